// SPDX-License-Identifier: Apache-2.0
/*
 * The informational commands of saker's command line, as Falco prints them:
 * --list (the fields by Falco's field classes, text, Markdown or names),
 * --list-events (the event table, text or Markdown), -L/-l in text (Falco's
 * two columns) and --support (one JSON object: version, system, command
 * line, config and rules files with their contents and SHA-256 hashes).
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
#include "fields/fields.h"

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

/* ------------------------------------------------------------ --list */

/*
 * Falco's field classes for the syscall source (libsinsp's filter check
 * list, in its order): a name, a short description and a description.
 * Each of saker's fields belongs to the first class whose test accepts it.
 */
struct field_class {
	const char *name, *shortdesc, *desc;
	bool (*has)(const char *field);
};

static bool prefixed(const char *f, const char *p)
{
	size_t l = strlen(p);

	return !strncmp(f, p, l) && (f[l] == '.' || f[l] == 0);
}

/* The fields of libsinsp's gen_event class: the ones every event source has. */
static bool class_gen_event(const char *f)
{
	static const char *const names[] = {
		"evt.num", "evt.time", "evt.time.s", "evt.time.iso8601", "evt.datetime", "evt.datetime.s",
		"evt.rawtime", "evt.rawtime.s", "evt.rawtime.ns", "evt.reltime", "evt.reltime.s", "evt.reltime.ns",
		"evt.pluginname", "evt.plugininfo", "evt.source", "evt.is_async", "evt.asynctype", "evt.hostname",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(f, names[i]))
			return true;
	return false;
}

static bool class_event(const char *f) { return prefixed(f, "evt") || prefixed(f, "syscall"); }
static bool class_process(const char *f) { return prefixed(f, "proc") || prefixed(f, "thread"); }
static bool class_user(const char *f) { return prefixed(f, "user"); }
static bool class_group(const char *f) { return prefixed(f, "group"); }
static bool class_container(const char *f) { return prefixed(f, "container"); }
static bool class_fd(const char *f) { return prefixed(f, "fd"); }
static bool class_fspath(const char *f) { return prefixed(f, "fs.path"); }
static bool class_fdlist(const char *f) { return prefixed(f, "fdlist"); }
static bool class_k8s(const char *f) { return prefixed(f, "k8s"); }

static const struct field_class field_classes[] = {
	{ "evt", "All event types", "These fields can be used for all event types", class_gen_event },
	{ "evt", "Syscall events only",
	  "Event fields applicable to syscall events. Note that for most events you can access the individual "
	  "arguments/parameters of each syscall via evt.arg, e.g. evt.arg.filename.", class_event },
	{ "process", "", "Additional information about the process and thread executing the syscall event.",
	  class_process },
	{ "user", "", "Information about the user executing the specific event.", class_user },
	{ "group", "", "Information about the user group.", class_group },
	{ "container", "",
	  "Container information. If the event is not happening inside a container, both id and name will be set "
	  "to 'host'.", class_container },
	{ "fd", "",
	  "Every syscall that has a file descriptor in its arguments has these fields set with information related "
	  "to the file.", class_fd },
	{ "fs.path", "",
	  "Every syscall that has a filesystem path in its arguments has these fields set with information related "
	  "to the path arguments. This differs from the fd.* fields as it includes syscalls like unlink, rename, "
	  "etc. that act directly on filesystem paths as compared to opened file descriptors.", class_fspath },
	{ "fdlist", "", "Poll event related fields.", class_fdlist },
	{ "k8s", "",
	  "Kubernetes context about pods and namespace name. These fields are populated with data gathered from "
	  "the container runtime.", class_k8s },
};

#define NCLASSES (sizeof(field_classes) / sizeof(field_classes[0]))

/* The class a field is listed under: the first whose test accepts it (fs.path before fd's "fd" prefix). */
static const struct field_class *class_of(const char *f)
{
	if (class_fspath(f))
		return &field_classes[7];
	if (class_fdlist(f))
		return &field_classes[8];
	for (size_t i = 0; i < NCLASSES; i++)
		if (field_classes[i].has(f))
			return &field_classes[i];
	return NULL;
}

/* Falco's column layout: descriptions start at column 30, lines end before column 120. */
#define LIST_RIGHT 30
#define LIST_WIDTH 120

/* libsinsp's wrapstring: words each followed by a space, a new line (indented to the right block) past the width. */
static void wrap_words(FILE *f, const char *in, size_t indent, size_t avail)
{
	size_t len = 0;

	for (const char *p = in; *p;) {
		size_t wl;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\v' || *p == '\f')
			p++;
		if (!*p)
			break;
		for (wl = 0; p[wl] && !strchr(" \t\n\r\v\f", p[wl]); wl++)
			;
		if (len + wl + 1 <= avail) {
			len += wl + 1;
		} else {
			fprintf(f, "\n%*s", (int)(indent ? indent : 1), " ");
			len = wl + 1;
		}
		fprintf(f, "%.*s ", (int)wl, p);
		p += wl;
	}
}

/* A field's tags as libsinsp lists them, in their (sorted) order: "(ARG_ALLOWED) ", or "". */
static const char *field_tags(const struct field_def *fd)
{
	if (fd->flags & FA_REQUIRED)
		return "(ARG_REQUIRED) ";
	if (fd->flags & (FA_INDEX | FA_KEY))
		return "(ARG_ALLOWED) ";
	return "";
}

static void print_class_text(FILE *f, const struct field_class *c, bool verbose)
{
	fprintf(f, "-------------------------------\n%-*s%s", LIST_RIGHT, "Field Class:", c->name);
	if (*c->shortdesc)
		fprintf(f, " (%s)", c->shortdesc);
	fprintf(f, "\n%-*s", LIST_RIGHT, "Description:");
	wrap_words(f, c->desc, LIST_RIGHT, LIST_WIDTH - LIST_RIGHT);
	fprintf(f, "\n%-*ssyscall \n\n", LIST_RIGHT, "Event Sources:");
	for (const struct field_def *fd = field_registry_next(NULL); fd; fd = field_registry_next(fd)) {
		char *desc = NULL;

		if ((fd->flags & FF_HIDDEN) || class_of(fd->name) != c)
			continue;
		if (strlen(fd->name) > LIST_RIGHT)
			fprintf(f, "%s\n%-*s", fd->name, LIST_RIGHT, " ");
		else
			fprintf(f, "%-*s", LIST_RIGHT, fd->name);
		/* as libsinsp: "(Type: T) " with -v, then the tags, then the description, wrapped as one text */
		if (asprintf(&desc, "%s%s%s%s%s%s", verbose ? "(Type: " : "", verbose ? field_type_name(fd->type) : "",
			     verbose ? ") " : "", field_tags(fd),
			     (fd->flags & FF_UNFILLED) ? "[not filled by saker] " : "", fd->desc) < 0)
			desc = NULL;
		wrap_words(f, desc ? desc : fd->desc, LIST_RIGHT, LIST_WIDTH - LIST_RIGHT);
		free(desc);
		fputc('\n', f);
	}
}

static void print_class_markdown(FILE *f, const struct field_class *c)
{
	fprintf(f, "## Field Class: %s\n\n%s\n\nEvent Sources: syscall \n\n", c->name, c->desc);
	fprintf(f, "Name | Type | Description\n:----|:-----|:-----------\n");
	for (const struct field_def *fd = field_registry_next(NULL); fd; fd = field_registry_next(fd))
		if (!(fd->flags & FF_HIDDEN) && class_of(fd->name) == c)
			fprintf(f, "`%s` | %s | %s%s\n", fd->name, field_type_name(fd->type),
				(fd->flags & FF_UNFILLED) ? "[not filled by saker] " : "", fd->desc);
}

void cli_list_fields(FILE *f, bool markdown, bool names_only, bool verbose)
{
	for (size_t i = 0; i < NCLASSES; i++) {
		const struct field_class *c = &field_classes[i];

		if (names_only) {
			for (const struct field_def *fd = field_registry_next(NULL); fd; fd = field_registry_next(fd))
				if (!(fd->flags & FF_HIDDEN) && class_of(fd->name) == c)
					fprintf(f, "%s\n", fd->name);
			continue;
		}
		if (markdown)
			print_class_markdown(f, c);
		else
			print_class_text(f, c, verbose);
		fputc('\n', f); /* Falco prints each class with printf("%s\n") */
	}
}

/* ---------------------------------------------------------- -L text */

/*
 * Falco's wrap_text(in, indent, line_len): each word followed by a space; a
 * word that would pass line_len - indent starts a new line indented by
 * indent spaces (even the first one).
 */
static char *wrap_text(const char *in, size_t indent, size_t line_len)
{
	char *out = NULL;
	size_t n = 0, len = 0;
	FILE *m = open_memstream(&out, &n);

	if (!m)
		return NULL;
	for (const char *p = in ? in : ""; *p;) {
		size_t wl;

		while (*p && strchr(" \t\n\r\v\f", *p))
			p++;
		if (!*p)
			break;
		for (wl = 0; p[wl] && !strchr(" \t\n\r\v\f", p[wl]); wl++)
			;
		if (len + wl + 1 <= line_len - indent) {
			len += wl + 1;
		} else {
			fprintf(m, "\n%*s", (int)(indent ? indent : 1), " ");
			len = wl + 1;
		}
		fprintf(m, "%.*s ", (int)wl, p);
		p += wl;
	}
	fclose(m);
	return out;
}

/* One row of Falco's two columns: "%-50s %s", cut as Falco's 4096-byte buffer cuts it. */
static void two_columns(FILE *f, const char *l, const char *r)
{
	char buf[4096];

	snprintf(buf, sizeof(buf) - 1, "%-50s %s", l, r);
	fprintf(f, "%s\n", buf);
}

void cli_describe_text_header(FILE *f)
{
	two_columns(f, "Rule", "Description");
	two_columns(f, "----", "-----------");
}

void cli_describe_text_rule(FILE *f, const char *name, const char *desc)
{
	char *w = wrap_text(desc, 51, 110), *s = NULL;

	if (asprintf(&s, "%s\n", w ? w : "") < 0)
		s = NULL;
	two_columns(f, name, s ? s : "");
	free(s);
	free(w);
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* j as nlohmann's dump(2) prints it (Falco's --rule-schema): keys sorted, two spaces an indent level. */
static void json_pretty(FILE *f, const cJSON *j, int depth)
{
	bool obj = cJSON_IsObject(j);
	const cJSON **kids;
	size_t n = 0, i = 0;
	char *s;

	if (!obj && !cJSON_IsArray(j)) {
		s = cJSON_PrintUnformatted(j);
		fputs(s ? s : "null", f);
		free(s);
		return;
	}
	for (const cJSON *c = j->child; c; c = c->next)
		n++;
	if (!n || !(kids = malloc(n * sizeof(*kids)))) {
		fputs(obj ? "{}" : "[]", f);
		return;
	}
	for (const cJSON *c = j->child; c; c = c->next)
		kids[i++] = c;
	if (obj)
		qsort(kids, n, sizeof(*kids), key_cmp);
	fputs(obj ? "{\n" : "[\n", f);
	for (i = 0; i < n; i++) {
		fprintf(f, "%*s", (depth + 1) * 2, "");
		if (obj) {
			cJSON *k = cJSON_CreateString(kids[i]->string);

			json_pretty(f, k, depth + 1);
			cJSON_Delete(k);
			fputs(": ", f);
		}
		json_pretty(f, kids[i], depth + 1);
		fputs(i + 1 < n ? ",\n" : "\n", f);
	}
	fprintf(f, "%*s%c", depth * 2, "", obj ? '}' : ']');
	free(kids);
}

void cli_print_json(FILE *f, const struct cJSON *j)
{
	json_pretty(f, j, 0);
	fputc('\n', f);
}
