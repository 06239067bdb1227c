// SPDX-License-Identifier: Apache-2.0
/*
 * The informational commands of saker's command line, as Falco prints them:
 * --list-events (the event table, text or Markdown) and --support (one JSON
 * object: version, system, command line, config and rules files with their
 * contents and SHA-256 hashes).
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "app/cli.h"
#include "app/sha256.h"
#include "event/event_table.h"

/* Falco's (libsinsp's param_type_to_string) names, in enum param_type order. */
static const char *const param_type_names[] = {
	"NONE", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64", "CHARBUF", "BYTEBUF",
	"ERRNO", "SOCKADDR", "SOCKTUPLE", "FD", "PID", "FDLIST", "FSPATH", "SYSCALLID", "SIGTYPE", "RELTIME",
	"ABSTIME", "PORT", "L4PROTO", "SOCKFAMILY", "BOOL", "IPV4ADDR", "DYNAMIC", "FLAGS8", "FLAGS16", "FLAGS32",
	"UID", "GID", "DOUBLE", "SIGSET", "CHARBUFARRAY", "CHARBUF_PAIR_ARRAY", "IPV4NET", "IPV6ADDR", "IPV6NET",
	"IPADDR", "IPNET", "MODE", "FSRELPATH", "ENUMFLAGS8", "ENUMFLAGS16", "ENUMFLAGS32", "FD32", "PID32",
};

static const char *param_type_name(unsigned t)
{
	return t < sizeof(param_type_names) / sizeof(param_type_names[0]) ? param_type_names[t] : "<NA>";
}

/* One line of --list-events: "> name(TYPE param, ...)", or a Markdown table row. */
static void print_event(FILE *f, const struct event_info *ei, const char *name, bool markdown)
{
	char dir = ei->dir == 'E' ? '>' : '<';

	if (markdown)
		fprintf(f, "Yes | %c | **%s**(", dir, name);
	else
		fprintf(f, "%c %s(", dir, name);
	for (unsigned k = 0; k < ei->nparams; k++)
		fprintf(f, "%s%s %s", k ? ", " : "", param_type_name(ei->params[k].type), ei->params[k].name);
	fprintf(f, ")\n");
}

/* True when some event of the table other than the generic one is named name. */
static bool has_own_event(const char *name)
{
	for (int t = 2; t < EVENT_TABLE_SIZE; t++)
		if (event_table[t].name && !strcmp(event_table[t].name, name))
			return true;
	return false;
}

void cli_list_events(FILE *f, bool markdown)
{
	const struct event_info *ge = event_info_get(0), *gx = event_info_get(1);

	if (markdown)
		fprintf(f, "Falco | Dir | Event\n:-----|:----|:-----\n");
	/* every event but the generic, old-version, unused and unknown ones, in table order */
	for (int t = 2; t < EVENT_TABLE_SIZE; t++) {
		const struct event_info *ei = &event_table[t];

		if (!ei->name || !strcmp(ei->name, "NA") || (ei->flags & (EF_OLD_VERSION | EF_UNUSED)))
			continue;
		print_event(f, ei, ei->name, markdown);
	}
	/* then the syscalls that arrive as generic events, entry and exit */
	for (size_t k = 1; ge && gx && k < ppm_sc_count; k++) {
		if (!ppm_sc_names[k] || !*ppm_sc_names[k] || has_own_event(ppm_sc_names[k]))
			continue;
		print_event(f, ge, ppm_sc_names[k], markdown);
		print_event(f, gx, ppm_sc_names[k], markdown);
	}
}

/* A whole file, NUL-terminated; NULL (errno set) when it cannot be read. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		return NULL;
	do {
		if (n + 8192 + 1 > cap) {
			char *b = realloc(buf, cap = cap * 2 + 8192 + 1);

			if (!b) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = b;
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

/* A file's entry: name, and its content with the content's hash as the one variant. */
static cJSON *file_entry(const char *path)
{
	cJSON *o = cJSON_CreateObject(), *vars = cJSON_AddArrayToObject(o, "variants"), *v = cJSON_CreateObject();
	size_t len = 0;
	char *text = read_all(path, &len), hex[65];

	cJSON_AddStringToObject(o, "name", path);
	cJSON_AddStringToObject(v, "content", text ? text : "");
	if (text) {
		sha256_hex(text, len, hex);
		cJSON_AddStringToObject(v, "sha256sum", hex);
	} else {
		cJSON_AddStringToObject(v, "error", strerror(errno));
	}
	cJSON_AddItemToArray(vars, v);
	free(text);
	return o;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool yaml_name(const char *s)
{
	size_t l = strlen(s);

	return (l > 5 && !strcmp(s + l - 5, ".yaml")) || (l > 4 && !strcmp(s + l - 4, ".yml"));
}

/* The rules files a path stands for: itself, or a directory's .yaml/.yml files in name order. */
static void add_rules_path(cJSON *arr, const char *path)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	DIR *d;

	if (stat(path, &st) || !S_ISDIR(st.st_mode) || !(d = opendir(path))) {
		cJSON_AddItemToArray(arr, file_entry(path));
		return;
	}
	while ((de = readdir(d))) {
		char **nn;

		if (!yaml_name(de->d_name) || !(nn = realloc(names, (n + 1) * sizeof(*names))))
			continue;
		names = nn;
		if (asprintf(&names[n], "%s/%s", path, de->d_name) >= 0)
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		cJSON_AddItemToArray(arr, file_entry(names[i]));
		free(names[i]);
	}
	free(names);
}

int cli_print_support(FILE *f, const struct support_info *si, char *err, size_t n)
{
	struct utsname u;
	cJSON *o, *sys, *eng, *rules;
	char *cmdline = NULL, *s;
	size_t cl = 0;
	FILE *m;

	if (uname(&u)) {
		snprintf(err, n, "could not uname() to find system info: %s", strerror(errno));
		return -1;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "version", si->version);
	eng = cJSON_AddObjectToObject(o, "engine_info");
	cJSON_AddStringToObject(eng, "engine_version", si->engine_version);
	cJSON_AddStringToObject(eng, "engine_version_semver", si->engine_version);
	sys = cJSON_AddObjectToObject(o, "system_info");
	cJSON_AddStringToObject(sys, "sysname", u.sysname);
	cJSON_AddStringToObject(sys, "nodename", u.nodename);
	cJSON_AddStringToObject(sys, "release", u.release);
	cJSON_AddStringToObject(sys, "version", u.version);
	cJSON_AddStringToObject(sys, "machine", u.machine);
	if ((m = open_memstream(&cmdline, &cl))) {
		for (int i = 0; i < si->argc; i++)
			fprintf(m, "%s%s", i ? " " : "", si->argv[i]);
		fclose(m);
	}
	cJSON_AddStringToObject(o, "cmdline", cmdline ? cmdline : "");
	free(cmdline);
	if (si->config_path) {
		cJSON *cfg = file_entry(si->config_path), *v = cJSON_GetArrayItem(cJSON_GetObjectItem(cfg, "variants"), 0);

		cJSON_AddStringToObject(o, "config", cJSON_GetStringValue(cJSON_GetObjectItem(v, "content")));
		cJSON_AddItemToObject(o, "config_files", cJSON_CreateArray());
		cJSON_AddItemToArray(cJSON_GetObjectItem(o, "config_files"), cfg);
	} else {
		cJSON_AddStringToObject(o, "config", "");
		cJSON_AddItemToObject(o, "config_files", cJSON_CreateArray());
	}
	rules = cJSON_AddArrayToObject(o, "rules_files");
	for (size_t i = 0; i < si->nrules; i++)
		add_rules_path(rules, si->rules[i]);
	cJSON_AddItemToObject(o, "plugins", cJSON_CreateArray());
	s = cJSON_PrintUnformatted(o);
	fprintf(f, "%s\n", s ? s : "{}");
	free(s);
	cJSON_Delete(o);
	return 0;
}
