// SPDX-License-Identifier: Apache-2.0
/*
 * Rules engine tests: load errors with codes and positions, event-type
 * index, bytecode (golden disassembly), and evaluation on synthetic events
 * through state and the field registry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "app/pipeline.h"
#include "rules/rules.h"
#include "synth.h"

static struct ruleset *load(const char *yaml)
{
	struct ruleset *rs = ruleset_new();

	if (ruleset_load_buffer(rs, "test.yaml", yaml, strlen(yaml)) == 0)
		ruleset_compile(rs);
	return rs;
}

static const struct load_msg *first_error(const struct ruleset *rs)
{
	for (size_t i = 0; i < ruleset_nmsgs(rs); i++)
		if (ruleset_msg(rs, i)->error)
			return ruleset_msg(rs, i);
	return NULL;
}

static bool has_warning(const struct ruleset *rs, const char *code)
{
	for (size_t i = 0; i < ruleset_nmsgs(rs); i++)
		if (!ruleset_msg(rs, i)->error && !strcmp(ruleset_msg(rs, i)->code, code))
			return true;
	return false;
}

#define RULE(cond) "- rule: r\n  desc: d\n  condition: " cond "\n  output: o %proc.name\n  priority: WARNING\n"
/* the same, as a printf format for a condition */
#define RULE_FMT "- rule: r\n  desc: d\n  condition: %s\n  output: o %%proc.name\n  priority: WARNING\n"

static void test_load_errors(void **state)
{
	static const struct {
		const char *yaml, *code;
		int line, col;
		const char *msg;
	} cases[] = {
		{ "- rule: [unclosed\n", "LOAD_ERR_YAML_PARSE", 2, 1, NULL },
		{ "rule: x\n", "LOAD_ERR_YAML_VALIDATE", 0, 0, "Rules content is not yaml array of objects" },
		{ RULE("proc.nme = bash"), "LOAD_ERR_COMPILE_CONDITION", 3, 14, "unknown field 'proc.nme'" },
		{ RULE("no_such_macro and proc.name = bash"), "LOAD_ERR_VALIDATE", 3, 14, "Undefined macro 'no_such_macro' used in filter." },
		{ RULE("proc.pid contains 1"), "LOAD_ERR_COMPILE_CONDITION", 3, 32, "numeric field" },
		{ RULE("proc.pid = abc"), "LOAD_ERR_COMPILE_CONDITION", 3, 25, "not a number" },
		{ RULE("proc.name = bash and"), "LOAD_ERR_COMPILE_CONDITION", 3, 34, NULL },
		{ RULE("(proc.name = bash"), "LOAD_ERR_COMPILE_CONDITION", 3, 31, "expected ')'" },
		{ "- rule: r\n  desc: d\n  condition: proc.name = x\n  priority: WARNING\n", "LOAD_ERR_YAML_VALIDATE", 1, 3, "Item has no mapping for key 'output'" },
		{ "- rule: r\n  desc: d\n  condition: proc.name = x\n  output: o\n  priority: LOUD\n", "LOAD_ERR_YAML_VALIDATE", 5, 13, "unknown priority 'LOUD'" },
		{ "- rule: r\n  desc: d\n  condition: evt.num > 0\n  output: bad %not_a_real_field\n  priority: INFO\n", "LOAD_ERR_COMPILE_OUTPUT", 4, 11, "not_a_real_field" },
		{ "- list: l\n  items: [a]\n  append: true\n", "LOAD_ERR_VALIDATE", 1, 3, "but no list by that name already exists" },
		{ "- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n- rule: r\n  output: p\n  append: true\n  override:\n    output: replace\n", "LOAD_ERR_YAML_VALIDATE", 6, 3, "cannot be used together" },
		{ "- rule: r\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n", "LOAD_ERR_YAML_VALIDATE", 1, 3, "Item has no mapping for key 'desc'" },
		{ "- macro: a\n  condition: evt.type = open\n- macro: b\n  condition: a\n- macro: a\n  condition: and b\n"
		  "  override:\n    condition: append\n" RULE("a"), "LOAD_ERR_VALIDATE", 4, 14, "reference loop in macro 'a'" },
		{ "- macro: a\n  condition: b\n- macro: b\n  condition: evt.type = open\n" RULE("a"), "LOAD_ERR_VALIDATE", 2, 14,
		  "Undefined macro 'b' used in filter." },
		{ "- required_engine_version: 99.0.0\n", "LOAD_ERR_VALIDATE", 1, 3, "Rules require engine version 99.0.0" },
		{ "- required_engine_version: 0.99.0\n", "LOAD_ERR_VALIDATE", 1, 3, "but engine version is" },
		{ "- required_engine_version: abc\n", "LOAD_ERR_YAML_VALIDATE", 1, 3, "as a semver string" },
		{ "- rule: x\n", "LOAD_ERR_YAML_VALIDATE", 1, 3, "Item has no mapping for key 'condition'" },
		{ "- rule:\n  desc: d\n", "LOAD_ERR_YAML_VALIDATE", 1, 3, "Mapping for key 'rule' is empty" },
		{ "- list: l\n", "LOAD_ERR_YAML_VALIDATE", 1, 3, "Item has no mapping for key 'items'" },
		{ "- macro: m\n", "LOAD_ERR_YAML_VALIDATE", 1, 3, "Item has no mapping for key 'condition'" },
		{ "- [a, b]\n", "LOAD_ERR_YAML_VALIDATE", 1, 3, "Each element should be a yaml associative array" },
		{ RULE("proc.name = x") "- rule: r\n  append: true\n  output: more\n", "LOAD_ERR_VALIDATE", 6, 3,
		  "Appended rule must have exceptions or condition property" },
		{ RULE("proc.name regex \"[unclosed\""), "LOAD_ERR_COMPILE_CONDITION", 3, 30, "regular expression" },
		{ RULE("proc.name regex val(proc.pname)"), "LOAD_ERR_COMPILE_CONDITION", 3, 34, "not val(proc.pname)" },
		{ RULE("proc.pid contains val(proc.ppid)"), "LOAD_ERR_COMPILE_CONDITION", 3, 36, "numeric field" },
		/* required_plugin_versions, as Falco's reader and collector check it */
		{ "- required_plugin_versions: x\n", "LOAD_ERR_YAML_VALIDATE", 1, 29,
		  "Value of required_plugin_versions must be a sequence" },
		{ "- required_plugin_versions:\n    - [a]\n", "LOAD_ERR_YAML_VALIDATE", 2, 7, "Plugin version must be a mapping" },
		{ "- required_plugin_versions:\n    - version: 0.1.0\n", "LOAD_ERR_YAML_VALIDATE", 2, 7,
		  "Item has no mapping for key 'name'" },
		{ "- required_plugin_versions:\n    - name: k\n", "LOAD_ERR_YAML_VALIDATE", 2, 7,
		  "Item has no mapping for key 'version'" },
		{ "- required_plugin_versions:\n    - name: k\n      version:\n", "LOAD_ERR_YAML_VALIDATE", 2, 7,
		  "Mapping for key 'version' is empty" },
		{ "- required_plugin_versions:\n    - name: k\n      version: [1]\n", "LOAD_ERR_YAML_VALIDATE", 3, 16,
		  "Value is not a scalar value" },
		{ "- required_plugin_versions:\n    - name: k\n      version: 1.0\n", "LOAD_ERR_VALIDATE", 2, 7,
		  "Invalid required version '1.0' for plugin 'k'" },
		{ "- required_plugin_versions:\n    - name: k\n      version: 0.1.0\n      alternatives: k2\n",
		  "LOAD_ERR_YAML_VALIDATE", 2, 7, "Value of plugin version alternatives must be a sequence" },
		{ "- required_plugin_versions:\n    - name: k\n      version: 0.1.0\n      alternatives:\n        - k2\n",
		  "LOAD_ERR_YAML_VALIDATE", 5, 11, "Plugin version alternative must be a mapping" },
		{ "- required_plugin_versions:\n    - name: k\n      version: 0.1.0\n      alternatives:\n"
		  "        - name: k2\n          version: x\n", "LOAD_ERR_VALIDATE", 2, 7, "Invalid required version 'x' for plugin 'k2'" },
		{ "- required_plugin_versions:\n    - name: k\n      version: 0.1.0\n      alternatives:\n"
		  "        - name: k\n          version: 0.2.0\n", "LOAD_ERR_VALIDATE", 2, 7,
		  "Defined multiple alternative version requirements for plugin 'k'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ruleset *rs = load(cases[i].yaml);
		const struct load_msg *m = first_error(rs);

		if (!m)
			fail_msg("case %zu: no error for:\n%s", i, cases[i].yaml);
		if (strcmp(m->code, cases[i].code) || m->line != cases[i].line || m->col != cases[i].col ||
		    (cases[i].msg && !strstr(m->msg, cases[i].msg)))
			fail_msg("case %zu: got %s at %d:%d '%s'", i, m->code, m->line, m->col, m->msg);
		assert_string_equal(m->file, "test.yaml");
		ruleset_free(rs);
	}
}

static char *evttypes(const char *cond)
{
	static char out[1024];
	char yaml[2048];
	struct ruleset *rs;
	struct rule *r;
	size_t o = 0;

	snprintf(yaml, sizeof(yaml), "- rule: r\n  desc: d\n  condition: %s\n  output: o\n  priority: WARNING\n", cond);
	rs = load(yaml);
	assert_null(first_error(rs));
	r = ruleset_find(rs, "r");
	out[0] = 0;
	if (r->all_types) {
		snprintf(out, sizeof(out), "all");
	} else { /* unique names, sorted */
		const char *names[64];
		int n = 0;

		for (int t = 0; t < EVENT_TABLE_SIZE; t++) {
			bool dup = false;

			if (!r->evttypes[t])
				continue;
			for (int k = 0; k < n; k++)
				dup |= !strcmp(names[k], event_info_get(t)->name);
			if (!dup && n < 64)
				names[n++] = event_info_get(t)->name;
		}
		for (int a = 0; a < n; a++)
			for (int b = a + 1; b < n; b++)
				if (strcmp(names[a], names[b]) > 0) {
					const char *x = names[a];

					names[a] = names[b];
					names[b] = x;
				}
		for (int k = 0; k < n; k++)
			o += snprintf(out + o, sizeof(out) - o, "%s%s", o ? "," : "", names[k]);
	}
	ruleset_free(rs);
	return out;
}

/*
 * Falco's tables of load result codes, as userspace/engine/falco_load_result.cpp
 * (falcosecurity/falco, 0.37 to 0.43) has them: error_codes/error_strings (an
 * error's codedesc in the JSON is its short string: Falco's error_desc()
 * returns error_strings), warning_codes/warning_strings/warning_descs (a
 * warning's codedesc is its long description).
 */
static const struct {
	const char *code, *str, *desc;
} falco_errors[] = {
	{ "LOAD_ERR_FILE_READ", "File read error", NULL },
	{ "LOAD_ERR_YAML_PARSE", "YAML parse error", NULL },
	{ "LOAD_ERR_YAML_VALIDATE", "Error validating internal structure of YAML file", NULL },
	{ "LOAD_ERR_COMPILE_CONDITION", "Error compiling condition", NULL },
	{ "LOAD_ERR_COMPILE_OUTPUT", "Error compiling output", NULL },
	{ "LOAD_ERR_VALIDATE", "Error validating rule/macro/list/exception objects", NULL },
	{ "LOAD_ERR_EXTENSION", "Error in extension item", NULL },
}, falco_warnings[] = {
	{ "LOAD_UNKNOWN_SOURCE", "Unknown event source",
	  "A rule has a unknown event source. This can occur when reading rules content without having a "
	  "corresponding plugin loaded, etc. The rule will be silently ignored." },
	{ "LOAD_UNSAFE_NA_CHECK", "Unsafe <NA> comparison in condition",
	  "Comparing a field value with <NA> is unsafe and can lead to unpredictable behavior of the rule "
	  "condition. If you need to check for the existence of a field, consider using the 'exists' operator "
	  "instead." },
	{ "LOAD_NO_EVTTYPE", "Condition has no event-type restriction",
	  "A rule condition matches too many evt.type values. This has a significant performance penalty. Make the "
	  "condition more specific by adding an evt.type field or further restricting the number of evt.type "
	  "values in the condition." },
	{ "LOAD_UNKNOWN_FILTER", "Unknown field or event-type in condition or output",
	  "A rule condition or output refers to a field or evt.type that does not exist. This is normally an "
	  "error, but if a rule has a skip-if-unknown-filter property, the error is downgraded to a warning." },
	{ "LOAD_UNUSED_MACRO", "Unused macro",
	  "A macro is defined in the rules content but is not used by any other macro or rule." },
	{ "LOAD_UNUSED_LIST", "Unused list",
	  "A list is defined in the rules content but is not used by any other list, macro, or rule." },
	{ "LOAD_UNKNOWN_ITEM", "Unknown rules file item",
	  "An unknown top-level object is in the rules content. It will be ignored." },
	{ "LOAD_DEPRECATED_ITEM", "Used deprecated item", "A deprecated item is employed by lists, macros, or rules." },
	{ "LOAD_WARNING_EXTENSION", "Warning in extension item", "An extension item has a warning" },
	{ "LOAD_APPEND_NO_VALUES", "Overriding/appending with no values",
	  "A rule exception is overriding/appending with no values" },
	{ "LOAD_EXCEPTION_NAME_NOT_UNIQUE", "Multiple exceptions defined with the same name",
	  "A rule is defining multiple exceptions with the same name" },
	{ "LOAD_INVALID_MACRO_NAME", "Invalid macro name", "A macro is defined with an invalid name" },
	{ "LOAD_INVALID_LIST_NAME", "Invalid list name", "A list is defined with an invalid name" },
	{ "LOAD_COMPILE_CONDITION", "Warning in rule condition",
	  "A rule condition or output have been parsed with a warning" },
	{ "LOAD_UNKNOWN_KEY", "Unknown key in item definition",
	  "An item in the rules content contains an unrecognized key. The key will be ignored. This may indicate "
	  "a typo or a property placed on the wrong item type." },
};

static void test_load_codes_as_falco(void **unused)
{
	(void)unused;
	for (size_t i = 0; i < sizeof(falco_errors) / sizeof(falco_errors[0]); i++) {
		assert_string_equal(load_code_str(falco_errors[i].code), falco_errors[i].str);
		assert_string_equal(load_code_desc(falco_errors[i].code, true), falco_errors[i].str);
	}
	for (size_t i = 0; i < sizeof(falco_warnings) / sizeof(falco_warnings[0]); i++) {
		assert_string_equal(load_code_str(falco_warnings[i].code), falco_warnings[i].str);
		assert_string_equal(load_code_desc(falco_warnings[i].code, false), falco_warnings[i].desc);
	}
}

static void test_event_types(void **state)
{
	(void)state;
	assert_string_equal(evttypes("evt.type = openat"), "openat");
	assert_string_equal(evttypes("evt.type in (open, openat) and proc.name = cat"), "open,openat");
	assert_string_equal(evttypes("(evt.type = execve or evt.type = connect) and proc.name = x"), "connect,execve");
	assert_string_equal(evttypes("evt.type = execve and evt.type in (execve, open)"), "execve");
	assert_string_equal(evttypes("proc.name = cat"), "all");
	assert_string_equal(evttypes("not evt.type = open"), "all");
	assert_string_equal(evttypes("evt.type = open or proc.name = x"), "all");
	/* a syscall without an event of its own comes as a generic event ("syscall") */
	assert_string_equal(evttypes("evt.type = sync"), "syscall");
	assert_string_equal(evttypes("evt.type in (sync, openat)"), "openat,syscall");
	assert_string_equal(evttypes("evt.type = no_such_syscall"), "");
}

static void test_no_evttype_warning(void **state)
{
	struct ruleset *rs = load(RULE("proc.name = cat"));

	(void)state;
	assert_true(has_warning(rs, "LOAD_NO_EVTTYPE"));
	ruleset_free(rs);
	/* a misspelt event type is named; a syscall without an event of its own is fine */
	rs = load(RULE("evt.type in (openat, opneat) and proc.name = cat"));
	assert_true(has_warning(rs, "LOAD_UNKNOWN_EVTTYPE"));
	ruleset_free(rs);
	rs = load(RULE("evt.type = sync and proc.name = cat"));
	assert_false(has_warning(rs, "LOAD_UNKNOWN_EVTTYPE"));
	ruleset_free(rs);
}

static void test_disasm_golden(void **state)
{
	struct ruleset *rs = load(RULE("evt.type = openat and (proc.name = cat or not fd.name startswith /etc)"));
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	ruleset_disasm(rs, ruleset_find(rs, "r"), f);
	fclose(f);
	assert_string_equal(buf,
		"rule 'r':\n"
		"    0 CHECK #0 evt.type = \"openat\"\n"
		"    1 JF    -> 5\n"
		"    2 CHECK #1 proc.name = \"cat\"\n"
		"    3 JT    -> 5\n"
		"    4 NCHECK #2 fd.name startswith \"/etc\"\n"
		"    5 RET  \n"
		"  event types: openat\n");
	free(buf);
	ruleset_free(rs);
	/* jump threading: a false "a" leaves at once, a true "c" skips "d" */
	rs = load(RULE("evt.type = openat and proc.name = a and (proc.name = c or proc.name = d) and not fd.num = 3"));
	f = open_memstream(&buf, &len);
	ruleset_disasm(rs, ruleset_find(rs, "r"), f);
	fclose(f);
	assert_string_equal(buf,
		"rule 'r':\n"
		"    0 CHECK #0 evt.type = \"openat\"\n"
		"    1 JF    -> 9\n"
		"    2 CHECK #1 proc.name = \"a\"\n"
		"    3 JF    -> 9\n"
		"    4 CHECK #2 proc.name = \"c\"\n"
		"    5 JT    -> 8\n"
		"    6 CHECK #3 proc.name = \"d\"\n"
		"    7 JF    -> 9\n"
		"    8 NCHECK #4 fd.num = \"3\"\n"
		"    9 RET  \n"
		"  event types: openat\n");
	free(buf);
	ruleset_free(rs);
}

/* ------------------------------------------------------------ evaluation */

struct hits {
	char names[16][64];
	int n;
	char output[1024];
};

static struct ruleset *eval_rs;

static void on_hit(void *ctx, struct rule *r, struct field_ctx *fctx)
{
	struct hits *h = ctx;

	if (h->n < 16)
		snprintf(h->names[h->n++], 64, "%s", r->name);
	rule_format_output(eval_rs, r, fctx, NULL, h->output, sizeof(h->output));
}

static void on_event(void *ctx, struct event *ev, struct field_ctx *fctx)
{
	(void)ev;
	ruleset_eval(eval_rs, fctx, on_hit, ctx);
}

static void send(struct pipeline *p, struct synth *s)
{
	uint32_t len = synth_end(s);

	pipeline_event(p, s->buf, len, 0);
}

static void ev_clone_child(struct pipeline *p, uint64_t tid, uint64_t ptid, const char *comm, uint32_t flags)
{
	struct synth s;

	synth_clone(&s, 1000 + tid, 0, tid, (flags & (1 << 13)) ? ptid : tid, ptid, comm, flags, "cpuset=/\0", 10);
	send(p, &s);
}

static void ev_execve(struct pipeline *p, uint64_t tid, const char *exe, const char *args, size_t argslen,
		      const char *cgroups, size_t cglen)
{
	struct synth s;

	synth_execve(&s, 2000 + tid, tid, exe, args, argslen, "/work", cgroups, cglen, "HOME=/root\0", 11, 34816, 1000);
	send(p, &s);
}

static void ev_openat(struct pipeline *p, uint64_t tid, int64_t fd, int64_t dirfd, const char *name, uint32_t flags)
{
	struct synth s;

	synth_openat(&s, 3000 + tid, tid, fd, dirfd, name, flags);
	send(p, &s);
}

static const char *const eval_rules =
	"- list: shells\n  items: [bash, sh]\n"
	"- list: more_shells\n  items: [shells, zsh]\n"
	"- macro: spawned\n  condition: evt.type = execve and evt.dir = <\n"
	"- rule: shell from web\n  desc: d\n  condition: spawned and proc.name in (more_shells) and proc.pname = nginx\n"
	"  output: shell %proc.name from %proc.pname gp=%proc.aname[2] cmd=%proc.cmdline ctr=%container.id tty=%proc.tty env=%proc.env[HOME]\n  priority: WARNING\n  tags: [shell]\n"
	"- rule: etc read\n  desc: d\n  condition: evt.type = openat and fd.name startswith /etc/ and evt.is_open_read = true\n"
	"  output: read %fd.name dir=%fd.directory file=%fd.filename by %proc.name\n  priority: NOTICE\n"
	"  exceptions:\n    - name: trusted\n      fields: [proc.name, fd.name]\n      values:\n        - [cat, /etc/hostname]\n"
	"- rule: shellish\n  desc: d\n  condition: evt.type = openat and proc.name pmatch (/nope) or (evt.type = openat and fd.name glob '/tmp/*.sh')\n"
	"  output: sh file %fd.name\n  priority: INFO\n";

static void test_eval(void **unused)
{
	struct state *st = state_new(&(struct state_opts){ .no_proc = true });
	struct pipeline p;
	struct hits h = { 0 };

	(void)unused;
	eval_rs = load(eval_rules);
	assert_null(first_error(eval_rs));
	pipeline_init(&p, st, on_event, &h);
	state_add_thread(st, 100, 100, 1);
	ev_execve(&p, 100, "/usr/sbin/nginx", "", 0, "cpuset=/", 9);
	ev_clone_child(&p, 200, 100, "nginx", 0);
	ev_execve(&p, 200, "/bin/bash", "-c\0id\0", 6,
		  "cpuset=/libpod_parent/libpod-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\0", 95);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.names[0], "shell from web");
	assert_string_equal(h.output, "shell bash from nginx gp=<NA> cmd=bash -c id ctr=0123456789ab tty=34816 env=/root");
	/* a relative open through a directory fd, and the exception */
	h.n = 0;
	ev_openat(&p, 200, 3, -100, "/etc", 1 | (1 << 10));
	ev_openat(&p, 200, 4, 3, "passwd", 1);
	assert_int_equal(h.n, 1); /* "/etc" itself does not start with "/etc/" */
	assert_string_equal(h.names[0], "etc read");
	assert_string_equal(h.output, "read /etc/passwd dir=/etc file=passwd by bash");
	h.n = 0;
	ev_clone_child(&p, 300, 200, "bash", 0);
	ev_execve(&p, 300, "/bin/cat", "/etc/hostname\0", 14, "cpuset=/", 9);
	ev_openat(&p, 300, 5, -100, "/etc/hostname", 1);
	assert_int_equal(h.n, 0); /* the exception matches cat + /etc/hostname */
	ev_openat(&p, 300, 6, -100, "/tmp/x.sh", 2);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.names[0], "shellish");
	pipeline_release(&p);
	state_free(st);
	ruleset_free(eval_rs);
}

/* Does a one-rule condition match an openat of name by "bash"? */
static bool opens_match(const char *cond, const char *name)
{
	char yaml[1024];
	struct state *st = state_new(&(struct state_opts){ .no_proc = true });
	struct pipeline p;
	struct hits h = { 0 };

	snprintf(yaml, sizeof(yaml),
		 "- list: secret_dirs\n  items: [/root/, /etc/ssh/]\n" RULE_FMT, cond);
	eval_rs = load(yaml);
	if (first_error(eval_rs))
		fail_msg("%s: %s", cond, first_error(eval_rs)->msg);
	pipeline_init(&p, st, on_event, &h);
	state_add_thread(st, 100, 100, 1);
	ev_execve(&p, 100, "/bin/bash", "", 0, "cpuset=/", 9);
	ev_openat(&p, 100, 3, -100, name, 1);
	pipeline_release(&p);
	state_free(st);
	ruleset_free(eval_rs);
	return h.n == 1;
}

/*
 * Does cond match an openat of name by bash (child of nginx), with other
 * rules loaded first that compare the same fields: their `=`/`in` checks
 * form one group per field, answered by one lookup, and most of them gate
 * their rule (a required first check). The answers must be those of the
 * checks one by one.
 */
static bool opens_match_grouped(const char *cond, const char *name)
{
	char yaml[4096];
	struct state *st = state_new(&(struct state_opts){ .no_proc = true });
	struct pipeline p;
	struct hits h = { 0 };

	snprintf(yaml, sizeof(yaml),
		 "- rule: f1\n  desc: d\n  condition: evt.type = openat and fd.name = /never1 and proc.name = bash\n"
		 "  output: o\n  priority: WARNING\n"
		 "- rule: f2\n  desc: d\n  condition: fd.name in (/never2, /x/y, /etc/passwd) and proc.name = nobody\n"
		 "  output: o\n  priority: WARNING\n"
		 "- rule: f3\n  desc: d\n  condition: evt.type = openat and fd.filename in (never3, y, x) and proc.name = nobody\n"
		 "  output: o\n  priority: WARNING\n"
		 "- rule: f4\n  desc: d\n  condition: not fd.name in (/x, /x/y, /etc/passwd, /y) and proc.name = nobody\n"
		 "  output: o\n  priority: WARNING\n"
		 "- rule: f5\n  desc: d\n  condition: evt.type = openat and proc.aname in (init, nobody) and fd.filename = x\n"
		 "  output: o\n  priority: WARNING\n"
		 "- rule: f6\n  desc: d\n  condition: evt.type = openat and proc.aname = nobody2\n"
		 "  output: o\n  priority: WARNING\n" RULE_FMT, cond);
	eval_rs = load(yaml);
	if (first_error(eval_rs))
		fail_msg("%s: %s", cond, first_error(eval_rs)->msg);
	pipeline_init(&p, st, on_event, &h);
	state_add_thread(st, 100, 100, 1);
	ev_execve(&p, 100, "/usr/sbin/nginx", "", 0, "cpuset=/", 9);
	ev_clone_child(&p, 200, 100, "nginx", 0);
	ev_execve(&p, 200, "/bin/bash", "", 0, "cpuset=/", 9);
	h.n = 0;
	ev_openat(&p, 200, 3, -100, name, 1);
	pipeline_release(&p);
	state_free(st);
	ruleset_free(eval_rs);
	return h.n == 1 && !strcmp(h.names[0], "r");
}

static void test_groups_and_gates(void **unused)
{
	(void)unused;
	assert_true(opens_match_grouped("fd.name = /x", "/x"));
	assert_false(opens_match_grouped("fd.name = /x", "/x/y"));
	assert_true(opens_match_grouped("fd.name in (/a, /x/y)", "/x/y"));
	assert_false(opens_match_grouped("fd.name in (/a, /x/y)", "/x"));
	assert_true(opens_match_grouped("fd.name != /x", "/y"));
	assert_false(opens_match_grouped("fd.name != /x", "/x"));
	assert_true(opens_match_grouped("not fd.name in (/x/y, /etc/passwd)", "/x"));
	assert_false(opens_match_grouped("not fd.name in (/x/y, /etc/passwd)", "/etc/passwd"));
	assert_true(opens_match_grouped("fd.filename in (z, y) and fd.name = /x/y", "/x/y"));
	assert_false(opens_match_grouped("fd.filename in (z, y) and fd.name = /x/y", "/z/y"));
	assert_true(opens_match_grouped("fd.filename = x or fd.filename = y", "/a/y"));
	assert_false(opens_match_grouped("fd.filename = x or fd.filename = y", "/a/z"));
	/* a field with several values (every ancestor's name): any of them */
	assert_true(opens_match_grouped("proc.aname in (nginx, nobody)", "/x"));
	assert_true(opens_match_grouped("proc.aname = nginx", "/x"));
	assert_false(opens_match_grouped("proc.aname = nobody", "/x"));
	assert_false(opens_match_grouped("proc.aname in (init, nobody)", "/x"));
}

/* "field op val(other)" compares with op, as a value written in the rule would (not only = and !=) */
static void test_val_field_operators(void **unused)
{
	(void)unused;
	/* bash (pid 100) opens a file as fd 3 */
	assert_true(opens_match("fd.name = val(fd.name)", "/etc/x"));
	assert_false(opens_match("fd.name != val(fd.name)", "/etc/x"));
	assert_true(opens_match("fd.name > val(fd.directory)", "/etc/x"));
	assert_false(opens_match("fd.name < val(fd.directory)", "/etc/x"));
	assert_true(opens_match("fd.name <= val(fd.name)", "/etc/x"));
	assert_false(opens_match("fd.name < val(fd.name)", "/etc/x"));
	assert_true(opens_match("fd.name startswith val(fd.directory)", "/etc/x"));
	assert_false(opens_match("fd.directory startswith val(fd.name)", "/etc/x"));
	assert_true(opens_match("fd.name contains val(fd.filename)", "/etc/x"));
	assert_true(opens_match("fd.name endswith val(proc.name)", "/tmp/bash"));
	assert_false(opens_match("fd.name endswith val(proc.name)", "/tmp/x"));
	assert_true(opens_match("fd.name icontains val(proc.name)", "/tmp/BASH.log"));
	assert_true(opens_match("fd.name glob val(fd.name)", "/x"));
	assert_true(opens_match("fd.filename iglob val(fd.filename)", "/tmp/x*"));
	assert_false(opens_match("fd.name glob val(fd.filename)", "/tmp/x"));
	assert_true(opens_match("fd.num < val(proc.pid)", "/x"));
	assert_false(opens_match("fd.num > val(proc.pid)", "/x"));
	assert_true(opens_match("fd.num >= val(fd.num)", "/x"));
	assert_false(opens_match("fd.num < val(fd.num)", "/x"));
	assert_true(opens_match("fd.num != val(proc.pid)", "/x"));
	/* a number against a text: the number's decimal text */
	assert_true(opens_match("fd.filename = val(fd.num)", "/tmp/3"));
	assert_false(opens_match("fd.filename = val(fd.num)", "/tmp/4"));
}

/* evt.type =, != and in are answered per event type at load: the same answers as comparing the name */
static void test_event_type_checks(void **unused)
{
	(void)unused;
	assert_true(opens_match("evt.type = openat", "/x"));
	assert_false(opens_match("evt.type = open", "/x"));
	assert_true(opens_match("fd.name = /x and evt.type != open", "/x"));
	assert_false(opens_match("fd.name = /x and evt.type != openat", "/x"));
	assert_true(opens_match("evt.type in (open, openat, openat2)", "/x"));
	assert_false(opens_match("evt.type in (open, creat)", "/x"));
	assert_true(opens_match("fd.name = /x and not evt.type in (open, creat)", "/x"));
	/* a transformer or another operator takes the general path, with the same meaning */
	assert_true(opens_match("fd.name = /x and toupper(evt.type) = OPENAT", "/x"));
	assert_true(opens_match("fd.name = /x and evt.type startswith open", "/x"));
	/* a leading evt.type check is folded per type (the program starts after it) */
	assert_true(opens_match("evt.type in (open, openat) and fd.name = /x", "/x"));
	assert_false(opens_match("evt.type in (open, openat) and fd.name = /x", "/y"));
	assert_true(opens_match("not evt.type = execve and fd.name = /x", "/x"));
	assert_false(opens_match("not evt.type = execve and fd.name = /x", "/y"));
	assert_true(opens_match("evt.type != execve and evt.type = openat and fd.name = /x", "/x"));
	/* a name no event type has: never true for =, always for != */
	assert_false(opens_match("fd.name = /x and evt.type = ptrace", "/x"));
	assert_true(opens_match("fd.name = /x and evt.type != ptrace", "/x"));
	/* evt.type checks anywhere are answered per type (a program per type): or-branches of other types drop out */
	assert_true(opens_match("(evt.type = execve and proc.name = nobody) or (evt.type = openat and fd.name = /x)", "/x"));
	assert_false(opens_match("(evt.type = execve and proc.name = nobody) or (evt.type = openat and fd.name = /x)", "/y"));
	assert_false(opens_match("(evt.type = execve and proc.name = nobody) or (evt.type = open and fd.name = /x)", "/x"));
	assert_true(opens_match("(evt.type = openat or evt.type = execve) and fd.name = /x", "/x"));
	assert_true(opens_match("evt.type in (open, openat) and (fd.name = /y or (evt.type = openat and fd.name = /x))", "/x"));
	assert_false(opens_match("evt.type in (open, openat) and (fd.name = /y or (evt.type = open and fd.name = /x))", "/x"));
	/* a branch that is true for the type makes the rule true on it */
	assert_true(opens_match("evt.type = openat or (evt.type = execve and proc.name = nobody)", "/y"));
	assert_true(opens_match("fd.name = /x or evt.type = openat", "/y"));
	assert_true(opens_match("evt.type != execve and (fd.name = /x or not evt.type = openat)", "/x"));
	assert_false(opens_match("evt.type != execve and (fd.name = /x or not evt.type = openat)", "/y"));
	assert_false(opens_match("(fd.name = /x or not evt.type = openat) and evt.type in (open, openat)", "/y"));
	assert_true(opens_match("(fd.name = /x or not evt.type = openat) and evt.type in (open, openat)", "/x"));
	/* negations fold too */
	assert_true(opens_match("not (evt.type = openat and fd.name = /y) and fd.name = /x", "/x"));
	assert_false(opens_match("not (evt.type = openat and fd.name = /x) and fd.name = /x", "/x"));
	assert_true(opens_match("not (evt.type != openat or fd.name != /x)", "/x"));
	assert_false(opens_match("not (evt.type != openat or fd.name != /x)", "/y"));
}

static void test_quantifiers(void **unused)
{
	(void)unused;
	/* anyof: one value is enough; a list name works as the right side */
	assert_true(opens_match("evt.type = openat and fd.name startswith anyof (/etc/, /root/)", "/root/.ssh/id"));
	assert_false(opens_match("evt.type = openat and fd.name startswith anyof (/etc/, /root/)", "/tmp/x"));
	assert_true(opens_match("evt.type = openat and fd.name startswith anyof secret_dirs", "/etc/ssh/key"));
	assert_false(opens_match("evt.type = openat and fd.name startswith anyof secret_dirs", "/etc/passwd"));
	/* allof: every value */
	assert_true(opens_match("evt.type = openat and fd.name contains allof (ss, wd)", "/etc/passwd"));
	assert_false(opens_match("evt.type = openat and fd.name contains allof (ss, wd)", "/etc/shadow"));
	/* oneof: exactly one */
	assert_true(opens_match("evt.type = openat and fd.name endswith oneof (passwd, pwd)", "/etc/passwd"));
	assert_false(opens_match("evt.type = openat and fd.name endswith oneof (passwd, wd)", "/etc/passwd"));
	assert_false(opens_match("evt.type = openat and fd.name endswith oneof (shadow, group)", "/etc/passwd"));
	/* with a transformer, and negated */
	assert_true(opens_match("evt.type = openat and toupper(fd.name) contains anyof (PASS, SHAD)", "/etc/passwd"));
	assert_false(opens_match("evt.type = openat and not fd.name glob anyof ('/etc/*', '/root/*')", "/etc/passwd"));
	/* anyof over a string operator loops over its items: the answers of one check per item */
	assert_true(opens_match("evt.type = openat and fd.name endswith anyof (.locked, .c, .o)", "/tmp/x.o"));
	assert_false(opens_match("evt.type = openat and fd.name endswith anyof (.locked, .c, .o)", "/tmp/x.oo"));
	assert_true(opens_match("evt.type = openat and fd.name endswith anyof (zz, \"\")", "/tmp/x"));
	assert_true(opens_match("evt.type = openat and fd.name startswith anyof (/a, /t)", "/tmp/x"));
	assert_false(opens_match("evt.type = openat and fd.name startswith anyof (/a, /tmp/x/)", "/tmp/x"));
	assert_true(opens_match("evt.type = openat and fd.name contains anyof (zz, mp/)", "/tmp/x"));
	assert_true(opens_match("evt.type = openat and fd.name icontains anyof (zz, MP/)", "/tmp/x"));
	assert_true(opens_match("evt.type = openat and fd.name bcontains anyof (7a7a, 6d70)", "/tmp/x"));
	assert_false(opens_match("evt.type = openat and fd.name bcontains anyof (7a7a, 6d71)", "/tmp/x"));
	assert_true(opens_match("evt.type = openat and fd.name glob anyof ('/a/*', '/tmp/?')", "/tmp/x"));
	assert_false(opens_match("evt.type = openat and not fd.name contains anyof (zz, mp/)", "/tmp/x"));
	/* a field with several values (every ancestor's name): any value, any item */
	assert_true(opens_match_grouped("evt.type = openat and proc.aname endswith anyof (zz, inx)", "/x"));
	assert_false(opens_match_grouped("evt.type = openat and proc.aname endswith anyof (zz, inxx)", "/x"));
	/* a field without a value matches no item */
	assert_false(opens_match("evt.type = openat and proc.pname startswith anyof (\"\", b)", "/x"));
	/* a bare word that is not followed by a list stays a value */
	assert_false(opens_match("evt.type = openat and proc.name = anyof", "/etc/passwd"));
	/* event types come through the quantifier */
	assert_string_equal(evttypes("evt.type = anyof (open, openat) and proc.name = x"), "open,openat");
	assert_string_equal(evttypes("evt.type = oneof (execve, connect)"), "connect,execve");
	{ /* the expanded condition keeps the quantifier and the list's items */
		static const char yaml[] = "- list: l\n  items: [/a b, c]\n"
			RULE("(fd.name startswith allof l or evt.num > 1) and not proc.name = x");
		struct ruleset *rs = ruleset_new();

		ruleset_keep_expanded(rs);
		assert_int_equal(ruleset_load_buffer(rs, "q.yaml", yaml, strlen(yaml)), 0);
		assert_int_equal(ruleset_compile(rs), 0);
		assert_string_equal(ruleset_find(rs, "r")->expanded,
				    "(fd.name startswith allof (\"/a b\", c) or evt.num > 1) and not proc.name = x");
		ruleset_free(rs);
	}
}

static void test_quantifier_errors(void **unused)
{
	static const struct { const char *cond, *msg; } cases[] = {
		{ "fd.name in anyof (a, b)", "compare one value" },
		{ "fd.name startswith anyof ()", "at least one value" },
		{ "proc.pid = anyof (1, x)", "not a number" },
		{ "fd.name contains allof (a, b", "expected ')'" },
	};

	(void)unused;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char yaml[512];
		struct ruleset *rs;
		const struct load_msg *m;

		snprintf(yaml, sizeof(yaml), RULE_FMT, cases[i].cond);
		rs = load(yaml);
		m = first_error(rs);
		if (!m || strcmp(m->code, "LOAD_ERR_COMPILE_CONDITION") || !strstr(m->msg, cases[i].msg))
			fail_msg("%s: got %s", cases[i].cond, m ? m->msg : "no error");
		ruleset_free(rs);
	}
}

static void test_override_and_append(void **unused)
{
	const char *yaml =
		"- list: l\n  items: [a]\n"
		"- list: l\n  items: [b]\n  override:\n    items: append\n"
		"- rule: r\n  desc: d\n  condition: evt.type = open and proc.name in (l)\n  output: o\n  priority: INFO\n"
		"- rule: r\n  condition: and proc.pid > 1\n  override:\n    condition: append\n"
		"- rule: r\n  priority: ERROR\n  override:\n    priority: replace\n"
		"- rule: r\n  enabled: false\n";
	struct ruleset *rs = load(yaml);
	struct rule *r;

	(void)unused;
	assert_null(first_error(rs));
	r = ruleset_find(rs, "r");
	assert_string_equal(r->condition, "evt.type = open and proc.name in (l) and proc.pid > 1");
	assert_int_equal(r->priority, PRIO_ERROR);
	assert_false(r->enabled);
	ruleset_free(rs);
}

static void test_selection(void **unused)
{
	const char *yaml =
		"- rule: a one\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  tags: [x]\n"
		"- rule: b two\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: WARNING\n  tags: [y]\n";
	struct ruleset *rs = ruleset_new();

	(void)unused;
	ruleset_load_buffer(rs, "t.yaml", yaml, strlen(yaml));
	assert_int_equal(ruleset_disable_name(rs, "^a"), 1);
	ruleset_compile(rs);
	assert_false(rule_is_active(rs, ruleset_find(rs, "a one")));
	assert_true(rule_is_active(rs, ruleset_find(rs, "b two")));
	ruleset_set_min_priority(rs, PRIO_ERROR);
	assert_false(rule_is_active(rs, ruleset_find(rs, "b two")));
	ruleset_free(rs);
	rs = ruleset_new();
	ruleset_load_buffer(rs, "t.yaml", yaml, strlen(yaml));
	ruleset_only_tag(rs, "x");
	ruleset_enable_name(rs, "a one");
	assert_true(rule_is_active(rs, ruleset_find(rs, "a one")));
	assert_false(rule_is_active(rs, ruleset_find(rs, "b two")));
	ruleset_free(rs);
}

static void test_output_escaping(void **unused)
{
	struct state *st = state_new(&(struct state_opts){ .no_proc = true });
	struct pipeline p;
	struct hits h = { 0 };

	(void)unused;
	eval_rs = load(RULE("evt.type = execve") );
	pipeline_init(&p, st, on_event, &h);
	ev_execve(&p, 400, "/tmp/evil\nline", "", 0, "cpuset=/", 9);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.output, "o evil\\nline");
	pipeline_release(&p);
	state_free(st);
	ruleset_free(eval_rs);
}

static void test_container_metadata(void **unused)
{
	static const char id[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	static const char cg[] = "cpuset=/docker/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	struct state *st = state_new(&(struct state_opts){ .no_proc = true });
	struct pipeline p;
	struct hits h = { 0 };
	struct synth s;
	char json[1024];

	(void)unused;
	eval_rs = load("- rule: priv\n  desc: d\n  condition: evt.type = execve and container.privileged = true\n"
		       "  output: '%container.id %container.name %container.image.repository %container.image.tag %container.type %container.mounts'\n"
		       "  priority: INFO\n");
	assert_null(first_error(eval_rs));
	pipeline_init(&p, st, on_event, &h);
	snprintf(json, sizeof(json), "{\"container\":{\"id\":\"%s\",\"name\":\"web\",\"image\":\"nginx:1.25\","
		 "\"imagerepo\":\"nginx\",\"imagetag\":\"1.25\",\"type\":0,\"privileged\":true,"
		 "\"Mounts\":[{\"Source\":\"/etc\",\"Destination\":\"/host/etc\",\"Mode\":\"\",\"RW\":false}]}}", id);
	/* container JSON (2-byte lengths; SAKER_EV_CONTAINER_JSON_2_E has 4-byte ones) */
	synth_begin(&s, SAKER_EV_CONTAINER_JSON_E, 1, 500, saker_event_nparams(SAKER_EV_CONTAINER_JSON_E));
	synth_str(&s, json);
	send(&p, &s);
	ev_execve(&p, 600, "/bin/sh", "", 0, cg, sizeof(cg));
	assert_int_equal(h.n, 1);
	/* Falco's mount format: source:dest:mode:rdwr:propagation */
	assert_string_equal(h.output, "0123456789ab web nginx 1.25 docker /etc:/host/etc::false:");
	pipeline_release(&p);
	state_free(st);
	ruleset_free(eval_rs);
}

static void test_upstream_ruleset(void **unused)
{
	struct ruleset *rs = ruleset_new();
	const char *path = getenv("SAKER_COMPAT_RULES");

	(void)unused;
	if (!path)
		path = "../shared/compat/falco_rules.yaml";
	ruleset_keep_expanded(rs);
	assert_int_equal(ruleset_load_path(rs, path), 0);
	assert_int_equal(ruleset_compile(rs), 0);
	assert_true(ruleset_nrules(rs) >= 20);
	{ /* it requires the container plugin (0.4.0 in falco-rules 5.1.0): saker's built-in one meets that */
		char err[512];

		assert_int_equal(ruleset_check_plugins(rs, true, err, sizeof(err)), 0);
	}
	/* each expanded condition reads back as itself, with the same event types */
	for (size_t i = 0; i < ruleset_nrules(rs); i++) {
		const struct rule *r = ruleset_rule(rs, i);
		struct ruleset *again = ruleset_new();
		const struct rule *r2;

		assert_non_null(r->expanded);
		ruleset_keep_expanded(again);
		assert_int_equal(ruleset_add_rule(again, r->name, r->expanded, "o", 4), 0);
		if (ruleset_compile(again))
			fail_msg("%s: expanded condition does not compile: %s", r->name, ruleset_msg(again, 0)->msg);
		r2 = ruleset_find(again, r->name);
		assert_string_equal(r2->expanded, r->expanded);
		assert_int_equal(r2->all_types, r->all_types);
		assert_memory_equal(r2->evttypes, r->evttypes, EVENT_TABLE_SIZE);
		ruleset_free(again);
	}
	ruleset_free(rs);
}

/* Load files in order into one ruleset (not compiled). */
static struct ruleset *load_files(const char *const *yaml, size_t n)
{
	struct ruleset *rs = ruleset_new();
	char name[32];

	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "f%zu.yaml", i);
		ruleset_load_buffer(rs, name, yaml[i], strlen(yaml[i]));
	}
	return rs;
}

#define PLUGINS(entries) "- required_plugin_versions:\n" entries
#define PLUGIN(name, ver) "    - name: " name "\n      version: " ver "\n"
#define ALT(name, ver) "        - name: " name "\n          version: " ver "\n"

/* required_plugin_versions: kept entry by entry in load order, in Falco's describe JSON shape. */
static void test_plugin_versions_describe(void **unused)
{
	static const char *const files[] = {
		PLUGINS(PLUGIN("container", "0.4.0") PLUGIN("k8saudit", "0.7.0") "      alternatives:\n"
			ALT("k8saudit-eks", "0.4.0") ALT("k8saudit-gke", "0.1.0")),
		PLUGINS(PLUGIN("container", "0.2.0")) RULE("evt.type = execve"),
	};
	struct ruleset *rs = load_files(files, 2);
	cJSON *d, *pv;
	char *s;

	(void)unused;
	assert_int_equal(ruleset_nerrors(rs), 0);
	assert_int_equal(ruleset_compile(rs), 0);
	d = ruleset_describe_json(rs, NULL);
	pv = cJSON_GetObjectItem(d, "required_plugin_versions");
	s = cJSON_PrintUnformatted(pv);
	/* as Falco: no merging (container twice), alternatives after name and version, keys sorted */
	assert_string_equal(s, "[{\"alternatives\":[],\"name\":\"container\",\"version\":\"0.4.0\"},"
			       "{\"alternatives\":[{\"name\":\"k8saudit-eks\",\"version\":\"0.4.0\"},"
			       "{\"name\":\"k8saudit-gke\",\"version\":\"0.1.0\"}],\"name\":\"k8saudit\",\"version\":\"0.7.0\"},"
			       "{\"alternatives\":[],\"name\":\"container\",\"version\":\"0.2.0\"}]");
	free(s);
	cJSON_Delete(d);
	ruleset_free(rs);
}

/* Falco's check_plugin_requirements, with saker's built-in container plugin as the one loaded. */
static void test_plugin_requirements(void **unused)
{
	static const struct {
		const char *yaml;
		const char *err; /* NULL: met */
	} cases[] = {
		{ PLUGINS(PLUGIN("container", "0.4.0")), NULL },
		{ PLUGINS(PLUGIN("container", SAKER_CONTAINER_PLUGIN_VERSION)), NULL },
		{ PLUGINS(PLUGIN("container", "0.0.1")), NULL },
		{ PLUGINS(PLUGIN("container", "0.4.0-rc1")), NULL }, /* sinsp_version reads the three numbers */
		{ PLUGINS(PLUGIN("container", "0.99.0")),
		  "Plugin 'container' version '" SAKER_CONTAINER_PLUGIN_VERSION "' is not compatible with required plugin "
		  "version '0.99.0'" },
		{ PLUGINS(PLUGIN("container", "1.0.0")),
		  "Plugin 'container' version '" SAKER_CONTAINER_PLUGIN_VERSION "' is not compatible with required plugin "
		  "version '1.0.0'" },
		{ PLUGINS(PLUGIN("k8saudit", "0.1.0")), "Plugin requirement not satisfied, must load one of: k8saudit (>= 0.1.0)" },
		{ PLUGINS(PLUGIN("k8saudit", "0.7.0") "      alternatives:\n" ALT("k8saudit-eks", "0.4.0")),
		  "Plugin requirement not satisfied, must load one of: k8saudit (>= 0.7.0), k8saudit-eks (>= 0.4.0)" },
		{ PLUGINS(PLUGIN("k8saudit", "0.7.0") "      alternatives:\n" ALT("container", "0.1.0")), NULL },
		/* the first alternative saker has decides, as in Falco */
		{ PLUGINS(PLUGIN("container", "0.99.0") "      alternatives:\n" ALT("container2", "0.1.0")),
		  "Plugin 'container' version '" SAKER_CONTAINER_PLUGIN_VERSION "' is not compatible with required plugin "
		  "version '0.99.0'" },
		{ PLUGINS(PLUGIN("container", "0.1.0") PLUGIN("json", "0.7.0")),
		  "Plugin requirement not satisfied, must load one of: json (>= 0.7.0)" },
		{ "- required_plugin_versions: []\n", NULL },
	};
	char err[512];

	(void)unused;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ruleset *rs = load(cases[i].yaml);
		int rc = ruleset_check_plugins(rs, true, err, sizeof(err));

		assert_int_equal(ruleset_nerrors(rs), 0);
		if (cases[i].err ? rc != -1 || strcmp(err, cases[i].err) : rc != 0)
			fail_msg("case %zu: rc %d '%s'", i, rc, rc ? err : "");
		ruleset_free(rs);
	}
}

/* A run stops loading at the first file with an error (Falco's load_rules_files): later requirements do not count; -V's do. */
static void test_plugin_requirements_after_error(void **unused)
{
	static const char *const files[] = {
		PLUGINS(PLUGIN("container", "0.1.0")),
		"- rule: broken\n",
		PLUGINS(PLUGIN("k8saudit", "0.1.0")),
	};
	struct ruleset *rs = load_files(files, 3);
	char err[512];

	(void)unused;
	assert_int_equal(ruleset_nerrors(rs), 1);
	assert_int_equal(ruleset_check_plugins(rs, true, err, sizeof(err)), 0);
	assert_int_equal(ruleset_check_plugins(rs, false, err, sizeof(err)), -1);
	assert_string_equal(err, "Plugin requirement not satisfied, must load one of: k8saudit (>= 0.1.0)");
	ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_load_codes_as_falco),
		cmocka_unit_test(test_event_types),
		cmocka_unit_test(test_no_evttype_warning),
		cmocka_unit_test(test_disasm_golden),
		cmocka_unit_test(test_eval),
		cmocka_unit_test(test_event_type_checks),
		cmocka_unit_test(test_val_field_operators),
		cmocka_unit_test(test_groups_and_gates),
		cmocka_unit_test(test_quantifiers),
		cmocka_unit_test(test_quantifier_errors),
		cmocka_unit_test(test_override_and_append),
		cmocka_unit_test(test_selection),
		cmocka_unit_test(test_output_escaping),
		cmocka_unit_test(test_container_metadata),
		cmocka_unit_test(test_upstream_ruleset),
		cmocka_unit_test(test_plugin_versions_describe),
		cmocka_unit_test(test_plugin_requirements),
		cmocka_unit_test(test_plugin_requirements_after_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
