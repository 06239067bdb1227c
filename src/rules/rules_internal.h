/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of src/rules: items, checks, AST, bytecode, the ruleset.
 */
#ifndef SAKER_RULES_INTERNAL_H
#define SAKER_RULES_INTERNAL_H

#include <regex.h>

#include "rules/rules.h"
#include "rules/ynode.h"

enum opcode {
#define OP(name, kind, meaning) OP_##name,
#include "rules/opcodes.def"
#undef OP
	OP_COUNT,
};

enum operand_kind { OPK_NONE, OPK_CHECK, OPK_TARGET };

struct insn {
	uint8_t op;
	uint32_t arg;
};

enum cmp_op {
	CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_CONTAINS, CMP_ICONTAINS, CMP_BCONTAINS,
	CMP_STARTSWITH, CMP_BSTARTSWITH, CMP_ENDSWITH, CMP_GLOB, CMP_IGLOB, CMP_REGEX, CMP_IN,
	CMP_INTERSECTS, CMP_PMATCH, CMP_EXISTS, CMP_COUNT,
};

/* anyof/allof/oneof: how many of a list's values must satisfy the operator */
enum quant { Q_NONE, Q_ANY, Q_ALL, Q_ONE };

/* Operator and quantifier spellings, indexed by enum cmp_op and enum quant. */
extern const char *const cmp_names[CMP_COUNT];
extern const char *const quant_names[];

enum xform { X_TOLOWER, X_TOUPPER, X_B64, X_BASENAME, X_LEN };

/* A string set: open addressing over string hashes. */
struct strset {
	char **keys;
	size_t *lens;              /* length of each key, compared before the bytes */
	size_t cap, n;
};

/* A comparison of one field against values, a list, or another field. */
struct check {
	int slot;                  /* cache slot of the left side */
	struct field_ref lhs;
	uint8_t xforms[4];
	int nxforms;
	enum field_type type;      /* after transformers */
	enum cmp_op op;
	char **vals;               /* right-side values as written */
	size_t *vlens;             /* their lengths */
	size_t nvals;
	int64_t *nums;             /* numeric right side */
	struct strset set;         /* in/intersects over strings */
	regex_t *re;
	bool has_re;
	int rhs_slot;              /* val(field): cache slot of the right side, or -1 */
	struct field_ref rhs;
	uint32_t *nets, *masks;    /* IPv4 networks for ipnet comparisons */
	enum quant quant;          /* with a quantifier, the values are checks */
	uint32_t sub0, nsubs;      /* sub0..sub0+nsubs-1 in rs->checks */
	uint8_t *type_set;         /* evt.type =/!=/in: the answer per event type (generic events excepted) */
};

enum ast_kind { A_AND, A_OR, A_NOT, A_CHECK, A_TRUE };

struct ast {
	enum ast_kind kind;
	struct ast *l, *r;
	int check;                 /* index into rs->checks */
};

struct list_item {
	char *name;
	char **items;
	size_t n;
	char file[256];
	int line, col;
	bool used;
};

struct macro_item {
	char *name;
	char *condition;
	char file[256];
	int line, col;
	bool used;
	bool visiting;
};

struct exception {
	char *name;
	char **fields;
	size_t nfields;
	bool fields_is_list;
	char **comps;
	size_t ncomps;
	/* values: rows of strings (one per field) */
	char ***rows;
	size_t *rowlen;
	size_t nrows;
};

struct rule_item {
	struct rule r;
	struct exception *exc;
	size_t nexc;
	bool skip_if_unknown;
	bool warn_evttypes;
	int prio_filter;           /* set by -o priority */
};

struct output_tok {
	bool is_field;
	char *text;                /* literal text or field name */
	int slot;                  /* cache slot for fields */
	struct field_ref ref;
};

struct output_fmt {
	struct output_tok *toks;
	size_t n;
};

/* Per-event cache of field values, one entry per slot. */
struct slot {
	char *key;                 /* canonical text: "tolower(proc.name)" */
	struct field_ref ref;
	uint8_t xforms[4];
	int nxforms;
	uint64_t gen;
	struct field_value val;
	bool ok;
	char *buf;
};

/* A check's result for the current event (generation-stamped). */
struct check_memo {
	uint64_t gen;
	bool val;
};

struct ruleset {
	struct list_item *lists;
	size_t nlists;
	struct macro_item *macros;
	size_t nmacros;
	struct rule_item *rules;
	size_t nrules;
	struct load_msg *msgs;
	size_t nmsgs;
	int nerrors;
	struct check *checks;
	size_t nchecks;
	struct check_memo *memo;   /* one per check, sized at compile */
	struct slot *slots;
	size_t nslots;
	/* evt-type index: for each type, rule indexes in file order */
	uint32_t *by_type[EVENT_TABLE_SIZE];
	uint32_t n_by_type[EVENT_TABLE_SIZE];
	uint64_t gen;
	int min_priority;
	bool match_all;
	char **only_tags;
	size_t nonly_tags;
	bool compiled;
	bool keep_expanded;
	char *container_info;      /* what %container.info becomes (-pc, -pk), NULL: the default */
};

void rs_msg(struct ruleset *rs, bool error, const char *code, const char *file, int line, int col,
	    const char *item_type, const char *item_name, const char *fmt, ...)
	__attribute__((format(printf, 9, 10)));

struct list_item *rs_find_list(struct ruleset *rs, const char *name);
struct macro_item *rs_find_macro(struct ruleset *rs, const char *name);

/* Parse a condition into an AST (macros and lists expanded, checks appended to rs). */
struct ast *cond_parse(struct ruleset *rs, const char *text, char *err, size_t errlen, int *errpos);
void ast_free(struct ast *a);

/* Event types a condition can match: out[type]=1; returns false when unrestricted. */
bool ast_event_types(const struct ruleset *rs, const struct ast *a, uint8_t out[EVENT_TABLE_SIZE]);

/* The condition an AST stands for, as text the condition parser reads back. */
char *ast_print(const struct ruleset *rs, const struct ast *a);

/* Compile an AST into r->code. */
int ast_compile(struct ast *a, struct rule *r);

/* A cache slot for a field text (with transformers), created on first use. */
int rs_slot(struct ruleset *rs, const char *key, const struct field_ref *ref, const uint8_t *xf, int nxf);

/* Evaluate the field of a slot for the current event (cached). */
const struct field_value *rs_slot_value(struct ruleset *rs, int slot, struct field_ctx *fctx);

bool check_eval(struct ruleset *rs, const struct check *c, struct field_ctx *fctx);

/* Free what a check owns (not the check itself). */
void check_release(struct check *c);

struct output_fmt *output_parse(struct ruleset *rs, const char *fmt, char *err, size_t n);
void output_free(struct output_fmt *f);

int strset_add(struct strset *s, const char *key);
bool strset_has(const struct strset *s, const char *key, size_t len);
void strset_release(struct strset *s);

#endif
