// SPDX-License-Identifier: Apache-2.0
/*
 * From items to programs: exceptions folded into conditions, conditions
 * compiled to bytecode with short-circuit jumps, the event-type index, rule
 * selection, and the disassembler.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <ctype.h>
#include <fnmatch.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/rules_internal.h"

static const struct {
	const char *name;
	enum operand_kind kind;
	const char *meaning;
} opinfo[OP_COUNT] = {
#define OP(name, kind, meaning) { #name, OPK_##kind, meaning },
#include "rules/opcodes.def"
#undef OP
};

/* ----------------------------------------------------------- strset */

/*
 * Set lookups hash the length and the first and last 8 bytes (paths share
 * prefixes, names are short); probing compares whole keys, so this only
 * has to spread, not to be unique.
 */
static uint64_t str_hash(const char *s, size_t n)
{
	uint64_t h = n * 0x9E3779B97F4A7C15ull, a, b;

	if (n < 8) {
		for (size_t i = 0; i < n; i++)
			h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	} else {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		h ^= a * 0xC2B2AE3D27D4EB4Full;
		h = (h ^ (h >> 31)) * 0x165667B19E3779F9ull;
		h ^= b * 0x9E3779B97F4A7C15ull;
	}
	return h ^ (h >> 29);
}

int strset_add(struct strset *s, const char *key)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		char **nk = calloc(nc, sizeof(*nk));
		size_t *nl = calloc(nc, sizeof(*nl));

		if (!nk || !nl) {
			free(nk);
			free(nl);
			return -1;
		}
		for (i = 0; i < s->cap; i++)
			if (s->keys[i]) {
				size_t j = str_hash(s->keys[i], s->lens[i]) & (nc - 1);

				while (nk[j])
					j = (j + 1) & (nc - 1);
				nk[j] = s->keys[i];
				nl[j] = s->lens[i];
			}
		free(s->keys);
		free(s->lens);
		s->keys = nk;
		s->lens = nl;
		s->cap = nc;
	}
	i = str_hash(key, strlen(key)) & (s->cap - 1);
	while (s->keys[i]) {
		if (!strcmp(s->keys[i], key))
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	s->keys[i] = strdup(key);
	s->lens[i] = strlen(key);
	s->n++;
	return 0;
}

bool strset_has(const struct strset *s, const char *key, size_t len)
{
	size_t i;

	if (!s->cap)
		return false;
	i = str_hash(key, len) & (s->cap - 1);
	while (s->keys[i]) {
		if (s->lens[i] == len && !memcmp(s->keys[i], key, len))
			return true;
		i = (i + 1) & (s->cap - 1);
	}
	return false;
}

void strset_release(struct strset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->keys[i]);
	free(s->keys);
	free(s->lens);
	memset(s, 0, sizeof(*s));
}

/* ------------------------------------------------------------- slots */

int rs_slot(struct ruleset *rs, const char *key, const struct field_ref *ref, const uint8_t *xf, int nxf)
{
	struct slot *ns;

	for (size_t i = 0; i < rs->nslots; i++)
		if (!strcmp(rs->slots[i].key, key))
			return i;
	ns = realloc(rs->slots, (rs->nslots + 1) * sizeof(*ns));
	if (!ns)
		return -1;
	rs->slots = ns;
	ns = &rs->slots[rs->nslots];
	memset(ns, 0, sizeof(*ns));
	ns->key = strdup(key);
	ns->ref = *ref;
	if (nxf)
		memcpy(ns->xforms, xf, nxf);
	ns->nxforms = nxf;
	ns->buf = malloc(FIELD_BUF_SIZE * 2);
	return rs->nslots++;
}

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Apply a transformer to every value, writing into the slot's second buffer half. */
static void apply_xform(struct slot *s, int x, struct field_value *v)
{
	char *out = s->buf + FIELD_BUF_SIZE;
	size_t o = 0;

	for (uint32_t i = 0; i < v->count; i++) {
		const char *in = v->s[i];
		size_t n = v->len[i], start = o;

		if (!in) { /* numbers turned into text first */
			char num[32];

			n = snprintf(num, sizeof(num), "%lld", (long long)v->n[i]);
			in = num;
			if (x == X_LEN) {
				v->n[i] = n;
				continue;
			}
			memcpy(out + o, in, n);
			in = out + o;
		}
		if (x == X_LEN) {
			v->n[i] = n;
			v->s[i] = NULL;
			continue;
		}
		if (x == X_BASENAME) {
			const char *slash = memrchr(in, '/', n);

			if (slash) {
				v->len[i] = n - (slash + 1 - in);
				v->s[i] = slash + 1;
			}
			continue;
		}
		if (x == X_B64) {
			for (size_t k = 0; k < n && o + 5 < FIELD_BUF_SIZE; k += 3) {
				uint32_t w = (unsigned char)in[k] << 16;

				if (k + 1 < n) w |= (unsigned char)in[k + 1] << 8;
				if (k + 2 < n) w |= (unsigned char)in[k + 2];
				out[o++] = b64chars[(w >> 18) & 63];
				out[o++] = b64chars[(w >> 12) & 63];
				out[o++] = k + 1 < n ? b64chars[(w >> 6) & 63] : '=';
				out[o++] = k + 2 < n ? b64chars[w & 63] : '=';
			}
		} else {
			for (size_t k = 0; k < n && o + 1 < FIELD_BUF_SIZE; k++)
				out[o++] = x == X_TOLOWER ? tolower((unsigned char)in[k]) : toupper((unsigned char)in[k]);
		}
		v->s[i] = out + start;
		v->len[i] = o - start;
	}
	if (x == X_LEN)
		v->type = FT_UINT;
	else
		v->type = FT_STRING;
}

const struct field_value *rs_slot_value(struct ruleset *rs, int slot, struct field_ctx *fctx)
{
	struct slot *s = &rs->slots[slot];

	if (s->gen != rs->gen) {
		char *saved = fctx->buf;

		s->gen = rs->gen;
		fctx->buf = s->buf;
		s->ok = field_extract(fctx, &s->ref, &s->val);
		fctx->buf = saved;
		for (int i = 0; s->ok && i < s->nxforms; i++)
			apply_xform(s, s->xforms[i], &s->val);
	}
	return &s->val;
}

/* ------------------------------------------------------------ checks */

static bool ci_contains(const char *h, size_t hl, const char *n, size_t nl)
{
	if (nl > hl)
		return false;
	for (size_t i = 0; i + nl <= hl; i++)
		if (!strncasecmp(h + i, n, nl))
			return true;
	return false;
}

/* Operators that need a NUL-terminated copy of the value: kept out of the hot path's stack frame. */
static __attribute__((noinline)) bool match_one_str_copy(const struct check *c, const char *s, size_t len)
{
	char tmp[FIELD_BUF_SIZE];
	int r;

	snprintf(tmp, sizeof(tmp), "%.*s", (int)len, s);
	switch (c->op) {
	case CMP_REGEX:
		return regexec(c->re, tmp, 0, NULL, 0) == 0;
	case CMP_GLOB:
	case CMP_IGLOB:
		return fnmatch(c->vals[0], tmp, c->op == CMP_IGLOB ? FNM_CASEFOLD : 0) == 0;
	default:
		r = strcmp(tmp, c->vals[0]);
		return c->op == CMP_LT ? r < 0 : c->op == CMP_LE ? r <= 0 : c->op == CMP_GT ? r > 0 : r >= 0;
	}
}

static bool match_one_str(const struct check *c, const char *s, size_t len)
{
	switch (c->op) {
	case CMP_EQ:
	case CMP_NE:
		return c->nvals && c->vlens[0] == len && !memcmp(c->vals[0], s, len);
	case CMP_IN:
	case CMP_INTERSECTS:
		return strset_has(&c->set, s, len);
	case CMP_CONTAINS:
	case CMP_BCONTAINS:
		return memmem(s, len, c->vals[0], c->vlens[0]) != NULL;
	case CMP_ICONTAINS:
		return ci_contains(s, len, c->vals[0], c->vlens[0]);
	case CMP_STARTSWITH:
	case CMP_BSTARTSWITH:
		return len >= c->vlens[0] && !memcmp(s, c->vals[0], c->vlens[0]);
	case CMP_ENDSWITH: {
		size_t vl = c->vlens[0];

		return len >= vl && !memcmp(s + len - vl, c->vals[0], vl);
	}
	case CMP_PMATCH:
		for (size_t i = 0; i < c->nvals; i++) {
			size_t vl = c->vlens[i];

			if (len >= vl && !memcmp(s, c->vals[i], vl) && (len == vl || s[vl] == '/' || c->vals[i][vl - 1] == '/'))
				return true;
		}
		return false;
	case CMP_GLOB:
	case CMP_IGLOB:
	case CMP_REGEX:
	case CMP_LT: case CMP_LE: case CMP_GT: case CMP_GE:
		return match_one_str_copy(c, s, len);
	default:
		return false;
	}
}

static bool match_one_num(const struct check *c, int64_t v)
{
	switch (c->op) {
	case CMP_EQ:
	case CMP_NE: return c->nvals && v == c->nums[0];
	case CMP_LT: return v < c->nums[0];
	case CMP_LE: return v <= c->nums[0];
	case CMP_GT: return v > c->nums[0];
	case CMP_GE: return v >= c->nums[0];
	case CMP_IN:
	case CMP_INTERSECTS:
		for (size_t i = 0; i < c->nvals; i++)
			if (c->nums[i] == v)
				return true;
		return false;
	default: return false;
	}
}

static __attribute__((noinline)) bool match_one_net(const struct check *c, const char *s, size_t len)
{
	char tmp[64];
	struct in_addr a;

	snprintf(tmp, sizeof(tmp), "%.*s", (int)len, s);
	if (inet_pton(AF_INET, tmp, &a) != 1)
		return false;
	for (size_t i = 0; i < c->nvals; i++)
		if ((a.s_addr & c->masks[i]) == c->nets[i])
			return true;
	return false;
}

/* a number compared as text (e.g. a numeric field with a string operator) */
static __attribute__((noinline)) bool match_num_as_text(const struct check *c, int64_t v)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%lld", (long long)v);

	return match_one_str(c, num, n);
}

bool check_eval(struct ruleset *rs, const struct check *c, struct field_ctx *fctx)
{
	const struct field_value *v;
	bool numeric = c->nums != NULL;
	bool any = false;

	if (c->type_set && fctx->ev->info && fctx->ev->type > 1)
		return c->type_set[fctx->ev->type] ^ (c->op == CMP_NE);
	v = rs_slot_value(rs, c->slot, fctx);

	if (c->op == CMP_EXISTS)
		return v->count > 0;
	if (!v->count)
		return false; /* <NA> never matches, not even != */
	if (c->quant != Q_NONE) {
		uint32_t hits = 0;

		for (uint32_t i = 0; i < c->nsubs; i++) {
			if (check_eval(rs, &rs->checks[c->sub0 + i], fctx))
				hits++;
			else if (c->quant == Q_ALL)
				return false;
			if ((c->quant == Q_ANY && hits) || (c->quant == Q_ONE && hits > 1))
				break;
		}
		return c->quant == Q_ALL ? true : c->quant == Q_ANY ? hits > 0 : hits == 1;
	}
	if (c->rhs_slot >= 0) {
		const struct field_value *r = rs_slot_value(rs, c->rhs_slot, fctx);
		bool eq;

		if (!r->count)
			return false;
		if (v->s[0] && r->s[0])
			eq = v->len[0] == r->len[0] && !memcmp(v->s[0], r->s[0], v->len[0]);
		else
			eq = v->n[0] == r->n[0];
		return c->op == CMP_NE ? !eq : eq;
	}
	for (uint32_t i = 0; i < v->count && !any; i++) {
		if (c->nets)
			any = match_one_net(c, v->s[i], v->len[i]);
		else if (numeric && !v->s[i])
			any = match_one_num(c, v->n[i]);
		else if (v->s[i])
			any = match_one_str(c, v->s[i], v->len[i]);
		else
			any = match_num_as_text(c, v->n[i]);
	}
	return c->op == CMP_NE ? !any : any;
}

/* ------------------------------------------------------- event types */

/* A check on evt.type itself (no transformer): its values are event or syscall names. */
static bool is_type_check(const struct check *c)
{
	return c->lhs.def && !strcmp(c->lhs.def->name, "evt.type") && !c->nxforms;
}

/* The ppm_sc code of a syscall name, 0 when there is none. */
static size_t sc_code(const char *name)
{
	for (size_t k = 1; k < ppm_sc_count; k++)
		if (ppm_sc_names[k] && !strcmp(ppm_sc_names[k], name))
			return k;
	return 0;
}

/* Does any event of the table carry this name? */
static bool is_event_name(const char *name)
{
	for (int t = 2; t < EVENT_TABLE_SIZE; t++)
		if (event_info_get(t) && !strcmp(event_info_get(t)->name, name))
			return true;
	return false;
}

/*
 * Event types whose name is one of the check's values. A syscall with no
 * event of its own (sync, mlock, ...) arrives as a generic event (types 0
 * and 1) whose evt.type is the syscall's name: those types are added.
 */
static void types_of_names(const struct check *c, uint8_t out[EVENT_TABLE_SIZE])
{
	for (int t = 2; t < EVENT_TABLE_SIZE; t++) {
		const struct event_info *ei = event_info_get(t);

		if (!ei)
			continue;
		for (size_t i = 0; i < c->nvals; i++)
			if (!strcmp(ei->name, c->vals[i]))
				out[t] = 1;
	}
	for (size_t i = 0; i < c->nvals; i++)
		if (!is_event_name(c->vals[i]) && sc_code(c->vals[i]))
			out[0] = out[1] = 1;
}

/*
 * evt.type compared with names (=, !=, in, no transformer): the answer is a
 * function of the event type, so it is worked out once per type at load.
 * Generic events (types 0 and 1) take their name from the syscall number
 * and go the usual way (check_eval never reads their entries).
 */
static void check_type_set(struct check *c)
{
	if (c->type_set || !is_type_check(c) || c->quant != Q_NONE || c->rhs_slot >= 0 || c->nets ||
	    !(c->op == CMP_EQ || c->op == CMP_NE || c->op == CMP_IN) || (c->op != CMP_IN && c->nvals != 1))
		return;
	c->type_set = calloc(EVENT_TABLE_SIZE, 1);
	if (c->type_set)
		types_of_names(c, c->type_set);
}

/*
 * The names an evt.type check of rule r compares with: syscalls with no
 * event of their own go to r->syscalls (the capture asks for them as
 * generic events); a name that is neither an event nor a syscall matches
 * nothing, which is worth a warning (a typo would silence the rule).
 */
static void scan_type_names(struct ruleset *rs, const struct ast *a, struct rule *r)
{
	const struct check *c;

	if (!a)
		return;
	if (a->kind != A_CHECK) {
		scan_type_names(rs, a->l, r);
		scan_type_names(rs, a->r, r);
		return;
	}
	c = &rs->checks[a->check];
	if (!is_type_check(c) || c->rhs_slot >= 0 ||
	    !(c->op == CMP_EQ || c->op == CMP_NE || c->op == CMP_IN))
		return;
	for (uint32_t s = 0; s < (c->quant != Q_NONE ? c->nsubs : 1); s++) {
		const struct check *v = c->quant != Q_NONE ? &rs->checks[c->sub0 + s] : c;

		for (size_t i = 0; i < v->nvals; i++) {
			size_t k;

			if (is_event_name(v->vals[i]))
				continue;
			if (!(k = sc_code(v->vals[i]))) {
				rs_msg(rs, false, "LOAD_UNKNOWN_EVTTYPE", r->file, r->line, r->col, "rule", r->name,
				       "evt.type compared with '%s', which names no event type or syscall",
				       v->vals[i]);
				continue;
			}
			if (!r->syscalls && !(r->syscalls = calloc(ppm_sc_count, 1)))
				return;
			r->syscalls[k] = 1;
		}
	}
}

void ruleset_generic_syscalls(const struct ruleset *rs, uint8_t *out)
{
	memset(out, 0, ppm_sc_count);
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct rule *r = &rs->rules[i].r;

		if (r->syscalls && r->code && rule_is_active(rs, r))
			for (size_t k = 0; k < ppm_sc_count; k++)
				out[k] |= r->syscalls[k];
	}
}

bool ast_event_types(const struct ruleset *rs, const struct ast *a, uint8_t out[EVENT_TABLE_SIZE])
{
	uint8_t l[EVENT_TABLE_SIZE], r[EVENT_TABLE_SIZE];
	bool lr, rr;

	memset(out, 0, EVENT_TABLE_SIZE);
	switch (a->kind) {
	case A_CHECK: {
		const struct check *c = &rs->checks[a->check];

		if (!is_type_check(c))
			return false;
		if (c->quant != Q_NONE && c->op == CMP_EQ) {
			/* anyof/oneof: any of the names; allof: the names all name it */
			memset(l, c->quant == Q_ALL, EVENT_TABLE_SIZE);
			for (uint32_t i = 0; i < c->nsubs; i++) {
				types_of_names(&rs->checks[c->sub0 + i], memset(r, 0, EVENT_TABLE_SIZE));
				for (int t = 0; t < EVENT_TABLE_SIZE; t++)
					l[t] = c->quant == Q_ALL ? (l[t] && r[t]) : (l[t] || r[t]);
			}
			memcpy(out, l, EVENT_TABLE_SIZE);
			return true;
		}
		if (c->quant == Q_NONE && (c->op == CMP_EQ || c->op == CMP_IN)) {
			types_of_names(c, out);
			return true;
		}
		return false;
	}
	case A_AND:
		lr = ast_event_types(rs, a->l, l);
		rr = ast_event_types(rs, a->r, r);
		if (!lr && !rr)
			return false;
		for (int t = 0; t < EVENT_TABLE_SIZE; t++)
			out[t] = lr && rr ? (l[t] && r[t]) : lr ? l[t] : r[t];
		return true;
	case A_OR:
		lr = ast_event_types(rs, a->l, l);
		rr = ast_event_types(rs, a->r, r);
		if (!lr || !rr)
			return false;
		for (int t = 0; t < EVENT_TABLE_SIZE; t++)
			out[t] = l[t] || r[t];
		return true;
	case A_NOT: /* a negation restricts nothing */
	case A_TRUE:
	default:
		return false;
	}
}

/* ---------------------------------------------------- expanded text */

const char *const cmp_names[CMP_COUNT] = {
	"=", "!=", "<", "<=", ">", ">=", "contains", "icontains", "bcontains", "startswith", "bstartswith",
	"endswith", "glob", "iglob", "regex", "in", "intersects", "pmatch", "exists",
};

const char *const quant_names[] = { [Q_NONE] = "", [Q_ANY] = "anyof", [Q_ALL] = "allof", [Q_ONE] = "oneof" };

/* A value as the parser reads it back: bare when it is one plain word. */
static void print_value(FILE *f, const char *v)
{
	bool bare = *v != 0;

	for (const char *q = v; *q && bare; q++)
		bare = !isspace((unsigned char)*q) && !strchr(",()\"'\\", *q);
	if (bare && strcmp(v, "and") && strcmp(v, "or") && strcmp(v, "not")) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (const char *q = v; *q; q++) {
		if (*q == '"' || *q == '\\')
			fputc('\\', f);
		fputc(*q, f);
	}
	fputc('"', f);
}

static void print_check(FILE *f, const struct ruleset *rs, const struct check *c)
{
	fprintf(f, "%s %s", rs->slots[c->slot].key, cmp_names[c->op]);
	if (c->op == CMP_EXISTS)
		return;
	if (c->rhs_slot >= 0) {
		fprintf(f, " val(%s)", rs->slots[c->rhs_slot].key);
	} else if (c->quant != Q_NONE) {
		fprintf(f, " %s (", quant_names[c->quant]);
		for (uint32_t i = 0; i < c->nsubs; i++) {
			if (i)
				fputs(", ", f);
			print_value(f, rs->checks[c->sub0 + i].vals[0]);
		}
		fputc(')', f);
	} else if (c->op == CMP_IN || c->op == CMP_INTERSECTS || c->op == CMP_PMATCH) {
		fputs(" (", f);
		for (size_t i = 0; i < c->nvals; i++) {
			if (i)
				fputs(", ", f);
			print_value(f, c->vals[i]);
		}
		fputc(')', f);
	} else {
		fputc(' ', f);
		print_value(f, c->nvals ? c->vals[0] : "");
	}
}

static void print_ast(FILE *f, const struct ruleset *rs, const struct ast *a)
{
	switch (a->kind) {
	case A_CHECK:
		print_check(f, rs, &rs->checks[a->check]);
		break;
	case A_NOT:
		fputs("not ", f);
		if (a->l->kind != A_CHECK)
			fputc('(', f);
		print_ast(f, rs, a->l);
		if (a->l->kind != A_CHECK)
			fputc(')', f);
		break;
	case A_AND:
	case A_OR:
		/* "a and b or c" is bracketed even where precedence makes it
		 * unambiguous: older sysdig filters refuse and/or unbracketed */
		for (int side = 0; side < 2; side++) {
			const struct ast *k = side ? a->r : a->l;
			bool paren = (k->kind == A_AND || k->kind == A_OR) && k->kind != a->kind;

			if (side)
				fputs(a->kind == A_AND ? " and " : " or ", f);
			if (paren)
				fputc('(', f);
			print_ast(f, rs, k);
			if (paren)
				fputc(')', f);
		}
		break;
	case A_TRUE:
		fputs("evt.num exists", f);
		break;
	}
}

char *ast_print(const struct ruleset *rs, const struct ast *a)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	print_ast(f, rs, a);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* ---------------------------------------------------------- bytecode */

struct code {
	struct insn *v;
	size_t n, cap;
};

static size_t emit(struct code *c, enum opcode op, uint32_t arg)
{
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 32;
		struct insn *nv = realloc(c->v, nc * sizeof(*nv));

		if (!nv)
			abort();
		c->v = nv;
		c->cap = nc;
	}
	assert(opinfo[op].kind == OPK_NONE || arg <= UINT32_MAX);
	assert(op < OP_COUNT);
	c->v[c->n].op = op;
	c->v[c->n].arg = opinfo[op].kind == OPK_NONE ? 0 : arg;
	return c->n++;
}

static void gen(struct code *c, const struct ast *a)
{
	size_t j;

	switch (a->kind) {
	case A_CHECK:
		emit(c, OP_CHECK, a->check);
		break;
	case A_TRUE:
		emit(c, OP_TRUE, 0);
		break;
	case A_NOT:
		if (a->l->kind == A_CHECK) { /* "not check" is one instruction */
			emit(c, OP_NCHECK, a->l->check);
			break;
		}
		gen(c, a->l);
		emit(c, OP_NOT, 0);
		break;
	case A_AND:
	case A_OR:
		gen(c, a->l);
		j = emit(c, a->kind == A_AND ? OP_JF : OP_JT, 0);
		gen(c, a->r);
		c->v[j].arg = c->n; /* patched: jump past the right side */
		break;
	}
}

/*
 * Jump threading: a jump landing on another jump with the flag unchanged
 * goes straight to where that one leads. "a and b and c" compiles to
 * a JF b JF c, and without this a false `a` would step through every JF.
 * Targets only point forward, so one pass from the end settles each jump.
 */
static void thread_jumps(struct code *c)
{
	for (size_t pc = c->n; pc-- > 0;) {
		struct insn *in = &c->v[pc];
		uint32_t t;

		if (in->op != OP_JF && in->op != OP_JT)
			continue;
		t = in->arg;
		while (t < c->n && (c->v[t].op == OP_JF || c->v[t].op == OP_JT))
			t = c->v[t].op == in->op ? c->v[t].arg : t + 1;
		in->arg = t;
	}
}

int ast_compile(struct ast *a, struct rule *r)
{
	struct code c = { 0 };

	gen(&c, a);
	emit(&c, OP_RET, 0);
	thread_jumps(&c);
	free(r->code);
	r->code = c.v;
	r->ncode = c.n;
	return 0;
}

/*
 * The VM: direct threading (GNU C labels as values), one indirect jump per
 * instruction. Every program ends with RET and jumps only forward to an
 * instruction of the program (ast_compile), so there is no bounds check.
 */
static bool run(struct ruleset *rs, const struct rule *r, struct field_ctx *fctx)
{
	static const void *const at[OP_COUNT] = {
#define OP(name, kind, meaning) [OP_##name] = &&op_##name,
#include "rules/opcodes.def"
#undef OP
	};
	const struct insn *code = r->code, *in = code;
	struct check_memo *m;
	bool flag = false;

	if (!r->ncode)
		return false;
	goto *at[in->op];
op_CHECK:
op_NCHECK:
	/* a check shared by many rules (through a macro) runs once per event */
	m = &rs->memo[in->arg];
	if (m->gen != rs->gen) {
		m->val = check_eval(rs, &rs->checks[in->arg], fctx);
		m->gen = rs->gen;
	}
	flag = m->val ^ (in->op == OP_NCHECK);
	in++;
	goto *at[in->op];
op_JF:
	in = flag ? in + 1 : code + in->arg;
	goto *at[in->op];
op_JT:
	in = flag ? code + in->arg : in + 1;
	goto *at[in->op];
op_NOT:
	flag = !flag;
	in++;
	goto *at[in->op];
op_TRUE:
	flag = true;
	in++;
	goto *at[in->op];
op_RET:
	return flag;
}

void ruleset_disasm(const struct ruleset *rs, const struct rule *r, FILE *f)
{
	fprintf(f, "rule '%s':\n", r->name);
	for (size_t pc = 0; pc < r->ncode; pc++) {
		const struct insn *in = &r->code[pc];

		fprintf(f, "  %3zu %-5s", pc, opinfo[in->op].name);
		if (opinfo[in->op].kind == OPK_TARGET)
			fprintf(f, " -> %u", in->arg);
		else if (opinfo[in->op].kind == OPK_CHECK) {
			const struct check *c = &rs->checks[in->arg];
			fprintf(f, " #%u %s %s", in->arg, rs->slots[c->slot].key, cmp_names[c->op]);
			if (c->quant != Q_NONE)
				fprintf(f, " %s #%u..#%u", quant_names[c->quant], c->sub0, c->sub0 + c->nsubs - 1);
			else if (c->rhs_slot >= 0)
				fprintf(f, " val(%s)", rs->slots[c->rhs_slot].key);
			else if (c->op == CMP_IN || c->op == CMP_INTERSECTS || c->op == CMP_PMATCH)
				fprintf(f, " (%zu values)", c->nvals);
			else if (c->nvals)
				fprintf(f, " \"%s\"", c->vals[0]);
		}
		fputc('\n', f);
	}
	if (r->all_types) {
		fprintf(f, "  event types: all\n");
		return;
	}
	fprintf(f, "  event types:");
	for (int t = 0; t < EVENT_TABLE_SIZE; t++) {
		bool seen = false;

		if (!r->evttypes[t] || !event_info_get(t))
			continue;
		for (int u = 0; u < t && !seen; u++) /* each name once */
			seen = r->evttypes[u] && event_info_get(u) && !strcmp(event_info_get(u)->name, event_info_get(t)->name);
		if (!seen)
			fprintf(f, " %s", event_info_get(t)->name);
	}
	fputc('\n', f);
}

/* ------------------------------------------------------- exceptions */

static void sb_add(char **s, size_t *len, size_t *cap, const char *t)
{
	size_t l = strlen(t);

	if (*len + l + 1 > *cap) {
		*cap = (*len + l + 1) * 2;
		*s = realloc(*s, *cap);
	}
	memcpy(*s + *len, t, l + 1);
	*len += l;
}

/* A value as condition text: list names and "(...)" as written, others quoted. */
static void sb_value(struct ruleset *rs, char **s, size_t *len, size_t *cap, const char *v, bool list_op)
{
	if (v[0] == '(' || (list_op && rs_find_list(rs, v))) {
		if (v[0] != '(')
			sb_add(s, len, cap, "(");
		sb_add(s, len, cap, v);
		if (v[0] != '(')
			sb_add(s, len, cap, ")");
		return;
	}
	sb_add(s, len, cap, "\"");
	for (const char *p = v; *p; p++) {
		char ch[3] = { *p, 0, 0 };

		if (*p == '"' || *p == '\\') {
			ch[0] = '\\';
			ch[1] = *p;
		}
		sb_add(s, len, cap, ch);
	}
	sb_add(s, len, cap, "\"");
}

static bool is_list_op(const char *op)
{
	return !strcmp(op, "in") || !strcmp(op, "pmatch") || !strcmp(op, "intersects");
}

/* "(cond) and not (exc...)" or a copy of cond when there is nothing to add. */
static char *with_exceptions(struct ruleset *rs, struct rule_item *ri)
{
	size_t len = 0, cap = 0;
	char *s = NULL;

	sb_add(&s, &len, &cap, "(");
	sb_add(&s, &len, &cap, ri->r.condition);
	sb_add(&s, &len, &cap, ")");
	for (size_t i = 0; i < ri->nexc; i++) {
		struct exception *e = &ri->exc[i];

		if (!e->nrows)
			continue;
		if (!e->fields_is_list) {
			const char *op = e->ncomps ? e->comps[0] : "in";

			sb_add(&s, &len, &cap, " and not ");
			sb_add(&s, &len, &cap, e->fields[0]);
			sb_add(&s, &len, &cap, " ");
			sb_add(&s, &len, &cap, op);
			sb_add(&s, &len, &cap, " ");
			if (is_list_op(op)) {
				sb_add(&s, &len, &cap, "(");
				for (size_t r = 0; r < e->nrows; r++) {
					if (r)
						sb_add(&s, &len, &cap, ", ");
					if (rs_find_list(rs, e->rows[r][0]))
						sb_add(&s, &len, &cap, e->rows[r][0]);
					else
						sb_value(rs, &s, &len, &cap, e->rows[r][0], false);
				}
				sb_add(&s, &len, &cap, ")");
			} else {
				sb_value(rs, &s, &len, &cap, e->rows[0][0], false);
			}
			continue;
		}
		sb_add(&s, &len, &cap, " and not (");
		for (size_t r = 0; r < e->nrows; r++) {
			if (r)
				sb_add(&s, &len, &cap, " or ");
			sb_add(&s, &len, &cap, "(");
			for (size_t f = 0; f < e->nfields && f < e->rowlen[r]; f++) {
				const char *op = e->ncomps ? e->comps[f] : "=";

				if (f)
					sb_add(&s, &len, &cap, " and ");
				sb_add(&s, &len, &cap, e->fields[f]);
				sb_add(&s, &len, &cap, " ");
				sb_add(&s, &len, &cap, op);
				sb_add(&s, &len, &cap, " ");
				sb_value(rs, &s, &len, &cap, e->rows[r][f], is_list_op(op));
			}
			sb_add(&s, &len, &cap, ")");
		}
		sb_add(&s, &len, &cap, ")");
	}
	return s;
}

/* ----------------------------------------------------------- selection */

static bool has_tag(const struct rule *r, const char *tag)
{
	for (size_t i = 0; i < r->ntags; i++)
		if (!strcmp(r->tags[i], tag))
			return true;
	return false;
}

bool rule_is_active(const struct ruleset *rs, const struct rule *r)
{
	if (!r->enabled || r->priority > rs->min_priority)
		return false;
	if (rs->nonly_tags) {
		for (size_t i = 0; i < rs->nonly_tags; i++)
			if (has_tag(r, rs->only_tags[i]))
				return true;
		return false;
	}
	return true;
}

static int select_by_name(struct ruleset *rs, const char *pattern, bool enable)
{
	regex_t re;
	int n = 0;
	bool use_re = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) == 0;

	for (size_t i = 0; i < rs->nrules; i++) {
		struct rule *r = &rs->rules[i].r;
		regmatch_t m;

		if (!strcmp(r->name, pattern) ||
		    (use_re && regexec(&re, r->name, 1, &m, 0) == 0)) {
			r->enabled = enable;
			n++;
		}
	}
	if (use_re)
		regfree(&re);
	return n;
}

int ruleset_disable_name(struct ruleset *rs, const char *pattern) { return select_by_name(rs, pattern, false); }
int ruleset_enable_name(struct ruleset *rs, const char *pattern) { return select_by_name(rs, pattern, true); }

static void select_by_tag(struct ruleset *rs, const char *tag, bool enable)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (has_tag(&rs->rules[i].r, tag))
			rs->rules[i].r.enabled = enable;
}

void ruleset_disable_tag(struct ruleset *rs, const char *tag) { select_by_tag(rs, tag, false); }
void ruleset_enable_tag(struct ruleset *rs, const char *tag) { select_by_tag(rs, tag, true); }

void ruleset_only_tag(struct ruleset *rs, const char *tag)
{
	char **n = realloc(rs->only_tags, (rs->nonly_tags + 1) * sizeof(*n));

	if (!n)
		return;
	rs->only_tags = n;
	rs->only_tags[rs->nonly_tags++] = strdup(tag);
}

void ruleset_set_min_priority(struct ruleset *rs, int prio) { rs->min_priority = prio; }
void ruleset_set_match_all(struct ruleset *rs, bool all) { rs->match_all = all; }

void ruleset_set_container_info(struct ruleset *rs, const char *fmt)
{
	free(rs->container_info);
	rs->container_info = fmt ? strdup(fmt) : NULL;
}
void ruleset_keep_expanded(struct ruleset *rs) { rs->keep_expanded = true; }

/* ------------------------------------------------------------- compile */

static void cond_error(struct ruleset *rs, const char *kind, const char *name, const char *file, int line,
		       int col, const char *err, int pos)
{
	rs_msg(rs, true, "LOAD_ERR_COMPILE_CONDITION", file, line, col, kind, name,
	       "%s (at character %d of the condition)", err, pos + 1);
}

static void index_rule(struct ruleset *rs, uint32_t idx)
{
	struct rule *r = &rs->rules[idx].r;

	for (int t = 0; t < EVENT_TABLE_SIZE; t++) {
		uint32_t *n;

		if (!(r->all_types ? event_info_get(t) != NULL : r->evttypes[t]))
			continue;
		n = realloc(rs->by_type[t], (rs->n_by_type[t] + 1) * sizeof(*n));
		if (!n)
			continue;
		rs->by_type[t] = n;
		n[rs->n_by_type[t]++] = idx;
	}
}

int ruleset_compile(struct ruleset *rs)
{
	int before = rs->nerrors;
	char err[512];

	for (size_t i = 0; i < rs->nrules; i++) {
		struct rule_item *ri = &rs->rules[i];
		struct rule *r = &ri->r;
		char *cond;
		struct ast *a;
		int pos;

		/* disabled rules are compiled too: their errors show up in -V */
		cond = with_exceptions(rs, ri);
		a = cond_parse(rs, cond, err, sizeof(err), &pos);
		if (!a) {
			if (ri->skip_if_unknown && strstr(err, "unknown field")) {
				rs_msg(rs, false, "LOAD_UNKNOWN_FILTER", r->file, r->line, r->col, "rule", r->name,
				       "%s: rule skipped (skip-if-unknown-filter)", err);
				r->enabled = false;
			} else {
				cond_error(rs, "rule", r->name, r->file, r->line, r->col, err, pos);
			}
			free(cond);
			continue;
		}
		free(cond);
		r->all_types = !ast_event_types(rs, a, r->evttypes);
		free(r->syscalls);
		r->syscalls = NULL;
		scan_type_names(rs, a, r);
		if (r->all_types && ri->warn_evttypes)
			rs_msg(rs, false, "LOAD_NO_EVTTYPE", r->file, r->line, r->col, "rule", r->name,
			       "rule matches every event type: restrict it with evt.type for speed");
		ast_compile(a, r);
		if (rs->keep_expanded) {
			free(r->expanded);
			r->expanded = ast_print(rs, a);
		}
		ast_free(a);
		r->fmt = output_parse(rs, r->output, err, sizeof(err));
		if (!r->fmt)
			rs_msg(rs, true, "LOAD_ERR_COMPILE_OUTPUT", r->file, r->line, r->col, "rule", r->name, "%s", err);
	}
	/* macros are checked too, so a broken unused macro is still reported */
	for (size_t i = 0; i < rs->nmacros; i++) {
		struct macro_item *m = &rs->macros[i];
		bool used = m->used;
		struct ast *a;
		int pos;

		if (used)
			continue;
		a = cond_parse(rs, m->condition, err, sizeof(err), &pos);
		m->used = used;
		if (!a)
			cond_error(rs, "macro", m->name, m->file, m->line, m->col, err, pos);
		else
			rs_msg(rs, false, "LOAD_UNUSED_MACRO", m->file, m->line, m->col, "macro", m->name,
			       "macro is not used by any rule");
		ast_free(a);
	}
	for (size_t i = 0; i < rs->nlists; i++)
		if (!rs->lists[i].used)
			rs_msg(rs, false, "LOAD_UNUSED_LIST", rs->lists[i].file, rs->lists[i].line, rs->lists[i].col,
			       "list", rs->lists[i].name, "list is not used by any rule or macro");
	for (size_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i].r.code && rule_is_active(rs, &rs->rules[i].r))
			index_rule(rs, i);
	for (size_t i = 0; i < rs->nchecks; i++)
		check_type_set(&rs->checks[i]);
	free(rs->memo);
	rs->memo = calloc(rs->nchecks + 1, sizeof(*rs->memo));
	if (!rs->memo) {
		rs_msg(rs, true, "LOAD_ERR_VALIDATE", "", 0, 0, "ruleset", "", "out of memory");
		return rs->nerrors - before;
	}
	rs->compiled = true;
	return rs->nerrors - before;
}

void ruleset_event_types(const struct ruleset *rs, uint8_t out[EVENT_TABLE_SIZE])
{
	for (int t = 0; t < EVENT_TABLE_SIZE; t++)
		out[t] = rs->n_by_type[t] > 0;
}

int ruleset_eval(struct ruleset *rs, struct field_ctx *fctx, rule_hit_fn hit, void *ctx)
{
	uint16_t t = fctx->ev->type;
	int matches = 0;

	if (t >= EVENT_TABLE_SIZE)
		return 0;
	rs->gen++;
	for (uint32_t i = 0; i < rs->n_by_type[t]; i++) {
		struct rule *r = &rs->rules[rs->by_type[t][i]].r;

		if (!run(rs, r, fctx))
			continue;
		r->hits++;
		matches++;
		if (hit)
			hit(ctx, r, fctx);
		if (!rs->match_all)
			break;
	}
	return matches;
}

bool ruleset_match(struct ruleset *rs, const struct rule *r, struct field_ctx *fctx)
{
	rs->gen++;
	return r->code && run(rs, r, fctx);
}
