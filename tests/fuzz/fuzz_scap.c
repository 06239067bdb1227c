// SPDX-License-Identifier: Apache-2.0
/* libFuzzer target: the scap capture reader and the replay pipeline. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "app/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state *st = state_new(&(struct state_opts){ .no_proc = true, .max_threads = 4096 });
	struct pipeline p;
	char path[64], err[256];
	int fd = memfd_create("fuzz.scap", 0);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	pipeline_init(&p, st, NULL, NULL);
	pipeline_replay(&p, path, NULL, NULL, err, sizeof(err));
	pipeline_release(&p);
	state_free(st);
	close(fd);
	return 0;
}
