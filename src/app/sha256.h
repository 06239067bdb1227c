/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256 of a buffer as 64 lowercase hex digits (plus the NUL). */
#ifndef SAKER_SHA256_H
#define SAKER_SHA256_H

#include <stddef.h>

void sha256_hex(const void *data, size_t len, char out[65]);

#endif
