// SPDX-License-Identifier: Apache-2.0
/*
 * Falco's alert formats: the text line "<time>: <Priority> <output>" and the
 * JSON object (hostname, output, output_fields, priority, rule, source, tags,
 * time), with the json_include_* and time_format_iso_8601 options. The
 * rendered message comes from the rules; this file only assembles the alert.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fields/fields.h"
#include "output/output.h"

struct alert_fields {
	cJSON *obj;
};

static int dup_str(char **dst, const char *src)
{
	*dst = src ? strdup(src) : NULL;
	return src && !*dst ? -ENOMEM : 0;
}

int output_opts_copy(struct output_opts *dst, const struct output_opts *src)
{
	int rc = 0;

	*dst = *src;
	rc |= dup_str(&dst->file_filename, src->file_filename);
	rc |= dup_str(&dst->program, src->program);
	rc |= dup_str(&dst->http_url, src->http_url);
	rc |= dup_str(&dst->http_user_agent, src->http_user_agent);
	rc |= dup_str(&dst->http_ca_cert, src->http_ca_cert);
	rc |= dup_str(&dst->http_ca_bundle, src->http_ca_bundle);
	rc |= dup_str(&dst->http_ca_path, src->http_ca_path);
	if (rc) {
		output_opts_release(dst);
		return -ENOMEM;
	}
	return 0;
}

void output_opts_release(struct output_opts *o)
{
	free(o->file_filename);
	free(o->program);
	free(o->http_url);
	free(o->http_user_agent);
	free(o->http_ca_cert);
	free(o->http_ca_bundle);
	free(o->http_ca_path);
	o->file_filename = o->program = o->http_url = o->http_user_agent = NULL;
	o->http_ca_cert = o->http_ca_bundle = o->http_ca_path = NULL;
}

struct alert_fields *alert_fields_new(void)
{
	struct alert_fields *f = calloc(1, sizeof(*f));

	if (f && !(f->obj = cJSON_CreateObject())) {
		free(f);
		return NULL;
	}
	return f;
}

void alert_fields_free(struct alert_fields *f)
{
	if (!f)
		return;
	cJSON_Delete(f->obj);
	free(f);
}

static bool is_number_type(enum field_type t)
{
	return t == FT_UINT || t == FT_INT || t == FT_PORT || t == FT_RELTIME || t == FT_ABSTIME;
}

void alert_fields_add(void *fields, const char *name, const struct field_value *v)
{
	cJSON *o = ((struct alert_fields *)fields)->obj;
	char buf[FIELD_BUF_SIZE];

	if (cJSON_GetObjectItemCaseSensitive(o, name))
		return;
	if (!v->count) {
		cJSON_AddNullToObject(o, name);
	} else if (v->count == 1 && !v->s[0] && is_number_type(v->type)) {
		cJSON_AddNumberToObject(o, name, (double)v->n[0]);
	} else if (v->count == 1 && !v->s[0] && v->type == FT_BOOL) {
		cJSON_AddBoolToObject(o, name, v->n[0] != 0);
	} else {
		field_value_format(v, buf, sizeof(buf));
		cJSON_AddStringToObject(o, name, buf);
	}
}

void alert_fields_add_number(struct alert_fields *f, const char *name, double v)
{
	cJSON_AddNumberToObject(f->obj, name, v);
}

/* Falco's text time: local "HH:MM:SS.nnnnnnnnn", or ISO 8601 in UTC. */
static void text_time(const struct output_opts *o, uint64_t ts, char *out, size_t n)
{
	time_t secs = ts / 1000000000ull;
	struct tm tm;
	char b[64];

	if (o->time_format_iso_8601) {
		gmtime_r(&secs, &tm);
		strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(out, n, "%s.%09" PRIu64 "+0000", b, (uint64_t)(ts % 1000000000ull));
	} else {
		localtime_r(&secs, &tm);
		strftime(b, sizeof(b), "%H:%M:%S", &tm);
		snprintf(out, n, "%s.%09" PRIu64, b, (uint64_t)(ts % 1000000000ull));
	}
}

size_t alert_format_text(const struct output_opts *o, const struct alert *a, char *buf, size_t n)
{
	char tbuf[80];

	text_time(o, a->ts, tbuf, sizeof(tbuf));
	return (size_t)snprintf(buf, n, "%s: %s %s", tbuf, a->priority, a->output);
}

char *alert_format_json(const struct output_opts *o, const struct alert *a)
{
	cJSON *j = cJSON_CreateObject();
	char tb[64], iso[80];
	time_t secs = a->ts / 1000000000ull;
	struct tm tm;
	char *s;

	if (!j)
		return NULL;
	gmtime_r(&secs, &tm);
	strftime(tb, sizeof(tb), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(iso, sizeof(iso), "%s.%09" PRIu64 "Z", tb, (uint64_t)(a->ts % 1000000000ull));
	cJSON_AddStringToObject(j, "hostname", a->hostname ? a->hostname : "");
	if (o->json_include_output_property)
		cJSON_AddStringToObject(j, "output", a->output);
	if (o->json_include_output_fields_property && a->fields)
		cJSON_AddItemReferenceToObject(j, "output_fields", a->fields->obj);
	cJSON_AddStringToObject(j, "priority", a->priority);
	cJSON_AddStringToObject(j, "rule", a->rule);
	cJSON_AddStringToObject(j, "source", a->source);
	if (o->json_include_tags_property) {
		cJSON *t = cJSON_AddArrayToObject(j, "tags");

		for (size_t i = 0; i < a->ntags; i++)
			cJSON_AddItemToArray(t, cJSON_CreateString(a->tags[i]));
	}
	cJSON_AddStringToObject(j, "time", iso);
	s = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	return s;
}
