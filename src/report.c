/*
 * report.c - the scope, the codebook tree, counts with roll-ups,
 * crosstabs and co-occurrence.  Quote books are in report_quotes.c.
 *
 * How a count stays fast: the codings that count are read once, as
 * (code, document, segment) triples, with one SQL scan that touches no
 * text.  They are bucketed by code in codebook order, so the codings of
 * a code and all its descendants are one contiguous slice; distinct
 * cases, documents and segments of a slice are counted with "last seen"
 * stamps.  The work is the number of codings times the tree depth.
 */
#include "report.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lookup.h"
#include "util.h"

/* One coding that counts: its code (index), unit, document, segment
 * (0 when none). */
struct report_tuple {
	uint32_t code;
	int32_t unit;
	uint32_t doc;
	uint32_t seg;
};

/* The tuples of report_count(), kept for report_cooccur(): sorted by
 * code index; off[i] is the first tuple of code i (ncodes + 1 entries). */
struct report_priv {
	size_t ntup;
	struct report_tuple *tup;
	size_t *off;
	uint32_t maxseg;
};

int32_t report_case_unit(int32_t *case_unit, long long maxcase,
			 long long case_id, size_t *nunits)
{
	if (case_id > 0 && case_id <= maxcase) {
		if (case_unit[case_id] < 0) {
			case_unit[case_id] = (int32_t)(*nunits)++;
		}
		return case_unit[case_id];
	}
	return (int32_t)(*nunits)++;
}

unsigned report_parse_status(const char *s)
{
	if (strcmp(s, "accepted") == 0) {
		return REPORT_ACCEPTED;
	}
	if (strcmp(s, "suggested") == 0) {
		return REPORT_SUGGESTED;
	}
	if (strcmp(s, "all") == 0) {
		return REPORT_ACCEPTED | REPORT_SUGGESTED;
	}
	return 0;
}

long long report_tenths(long long k, long long n)
{
	if (n <= 0) {
		return -1;
	}
	return (2000 * k + n) / (2 * n);
}

/* ---- the codebook tree ---- */

struct raw_code {
	long long id, parent, ord;
	char *name, *path, *color;
};

/* qsort: codes by (ord, id), the codebook order of siblings. */
static int cmp_raw(const void *a, const void *b)
{
	const struct raw_code *x = a, *y = b;

	if (x->ord != y->ord) {
		return x->ord < y->ord ? -1 : 1;
	}
	return x->id < y->id ? -1 : x->id > y->id;
}

/* A colour we may put into HTML and SVG as it is: "#" and 3 or 6 hex
 * digits. */
static char *clean_color(const char *s)
{
	size_t n = strlen(s);

	if ((n != 4 && n != 7) || s[0] != '#') {
		return NULL;
	}
	for (size_t i = 1; i < n; i++) {
		if (!isxdigit((unsigned char)s[i])) {
			return NULL;
		}
	}
	return xstrdup(s);
}

/* Read the codes and lay them out in codebook order: a pre-order walk,
 * siblings by (ord, id).  A code whose parent is missing is a root; a
 * code caught in a parent cycle (never written by qcode) is left out. */
static void load_codes(struct report *r)
{
	sqlite3_stmt *st = db_prepare(r->p, "SELECT id, parent_id, name, "
					    "path, ord, color FROM codes");
	struct raw_code *raw = NULL;
	size_t n = 0, cap = 0, sp = 0, out = 0;
	size_t *byid, *par, *kidoff, *kids, *fill, *stack, *pos;
	long long maxid = 0;

	while (db_step(r->p, st)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			raw = xrealloc(raw, cap * sizeof(*raw));
		}
		raw[n].id = sqlite3_column_int64(st, 0);
		raw[n].parent = sqlite3_column_int64(st, 1);
		raw[n].name = xstrdup(db_col_text(st, 2));
		raw[n].path = xstrdup(db_col_text(st, 3));
		raw[n].ord = sqlite3_column_int64(st, 4);
		raw[n].color = clean_color(db_col_text(st, 5));
		maxid = raw[n].id > maxid ? raw[n].id : maxid;
		n++;
	}
	sqlite3_finalize(st);
	if (n) {
		qsort(raw, n, sizeof(*raw), cmp_raw);
	}
	byid = xmalloc((size_t)(maxid + 1) * sizeof(size_t));
	for (long long i = 0; i <= maxid; i++) {
		byid[i] = REPORT_NONE;
	}
	for (size_t i = 0; i < n; i++) {
		byid[raw[i].id] = i;
	}
	/* Children of each node (roots under the virtual node n), in
	 * sorted order. */
	par = xmalloc((n + 1) * sizeof(size_t));
	kidoff = xcalloc(n + 2, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		long long pid = raw[i].parent;

		par[i] = pid > 0 && pid <= maxid && byid[pid] != i &&
				 byid[pid] != REPORT_NONE
			 ? byid[pid] : n;
		kidoff[par[i] + 1]++;
	}
	for (size_t i = 0; i <= n; i++) {
		kidoff[i + 1] += kidoff[i];
	}
	kids = xmalloc((n + 1) * sizeof(size_t));
	fill = xmalloc((n + 1) * sizeof(size_t));
	memcpy(fill, kidoff, (n + 1) * sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		kids[fill[par[i]]++] = i;
	}
	/* Iterative pre-order walk from the roots; pos[i] = output index. */
	r->codes = xcalloc(n + 1, sizeof(struct report_code));
	stack = xmalloc((n + 1) * sizeof(size_t));
	pos = xmalloc((n + 1) * sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		pos[i] = REPORT_NONE;
	}
	for (size_t k = kidoff[n + 1]; k-- > kidoff[n];) {
		stack[sp++] = kids[k];
	}
	while (sp > 0) {
		size_t i = stack[--sp];
		struct report_code *c = &r->codes[out];

		pos[i] = out++;
		c->id = raw[i].id;
		c->name = raw[i].name;
		c->path = raw[i].path;
		c->color = raw[i].color;
		raw[i].name = raw[i].path = raw[i].color = NULL;
		c->parent = par[i] == n ? REPORT_NONE : pos[par[i]];
		c->depth = c->parent == REPORT_NONE
				   ? 1 : r->codes[c->parent].depth + 1;
		for (size_t k = kidoff[i + 1]; k-- > kidoff[i];) {
			stack[sp++] = kids[k];
		}
	}
	r->ncodes = out;
	for (size_t i = 0; i < n; i++) {
		free(raw[i].name);
		free(raw[i].path);
		free(raw[i].color);
	}
	/* Subtree ends: walk back, extending each parent's end. */
	for (size_t i = out; i-- > 0;) {
		struct report_code *c = &r->codes[i];

		if (c->end < i + 1) {
			c->end = i + 1;
		}
		if (c->parent != REPORT_NONE &&
		    r->codes[c->parent].end < c->end) {
			r->codes[c->parent].end = c->end;
		}
	}
	free(stack);
	free(pos);
	free(fill);
	free(kids);
	free(kidoff);
	free(par);
	free(byid);
	free(raw);
}

/* The index of the code named NAME, by lookup_code()'s rule (the one
 * every command follows). */
static size_t find_code(struct report *r, const char *name)
{
	long long id = lookup_code(r->p, name, 0);

	for (size_t i = 0; i < r->ncodes; i++) {
		if (r->codes[i].id == id) {
			return i;
		}
	}
	die(QC_NOTFOUND, "no code '%s' in the codebook", name);
}

/* Unselect the codes whose questions list (a JSON array the codebook
 * stores; NULL: every question) leaves out the question in scope; with
 * no_question, every code that names questions. */
static void unselect_inapplicable(struct report *r)
{
	sqlite3_stmt *st = db_prepare(
		r->p, "SELECT id FROM codes WHERE questions IS NOT NULL AND "
		      "json_valid(questions) AND NOT EXISTS(SELECT 1 FROM "
		      "json_each(codes.questions) WHERE value = ?)");

	if (r->o->question) {
		db_bind_text(r->p, st, 1, r->o->question);
	}
	while (db_step(r->p, st)) {
		long long id = sqlite3_column_int64(st, 0);

		for (size_t i = 0; i < r->ncodes; i++) {
			if (r->codes[i].id == id) {
				r->codes[i].selected = 0;
			}
		}
	}
	sqlite3_finalize(st);
}

/* Mark the codes --code, --depth and applicability leave in. */
static void select_codes(struct report *r)
{
	const struct report_opts *o = r->o;

	for (size_t i = 0; i < r->ncodes; i++) {
		r->codes[i].selected = o->ncodes == 0;
	}
	for (size_t k = 0; k < o->ncodes; k++) {
		size_t i = find_code(r, o->codes[k]);

		for (size_t j = i; j < r->codes[i].end; j++) {
			r->codes[j].selected = 1;
		}
	}
	if (o->depth > 0) {
		for (size_t i = 0; i < r->ncodes; i++) {
			if (r->codes[i].depth > o->depth) {
				r->codes[i].selected = 0;
			}
		}
	}
	if (o->applicable && (o->question || o->no_question)) {
		unselect_inapplicable(r);
	}
}

/* ---- the scope ---- */

/* The SQL condition on codings.status for the mask. */
static const char *status_sql(unsigned mask)
{
	switch (mask & (REPORT_ACCEPTED | REPORT_SUGGESTED)) {
	case REPORT_SUGGESTED:
		return "status = 'suggested'";
	case REPORT_ACCEPTED | REPORT_SUGGESTED:
		return "status IN ('accepted', 'suggested')";
	default:
		return "status = 'accepted'";
	}
}


static void need_attribute(struct report *r, const char *name)
{
	if (!db_int(r->p, 0, "SELECT id FROM attributes WHERE name = %Q",
		    name)) {
		die(QC_NOTFOUND, "no attribute '%s' in the project", name);
	}
}

/* A group value's sort key: values compare as numbers when all of an
 * attribute's values are finite numbers ("NaN", a missing-value marker
 * of pandas and R, is a name: it never equals itself as a number), else
 * byte by byte. */
struct group_val {
	char *s;
	double d;
};
static int group_numeric;

static int cmp_group(const void *a, const void *b)
{
	const struct group_val *x = a, *y = b;

	if (group_numeric && x->d != y->d) {
		return x->d < y->d ? -1 : 1;
	}
	return strcmp(x->s, y->s);
}

/* Give every unit its --by group. */
static void load_groups(struct report *r, const int32_t *case_unit,
			long long maxcase)
{
	char **val = xcalloc(r->nunits ? r->nunits : 1, sizeof(char *));
	struct group_val *gv;
	size_t ng = 0, nmissing = 0;
	sqlite3_stmt *st;

	need_attribute(r, r->o->by);
	st = db_prepare(r->p, "SELECT ca.case_id, ca.value FROM "
			      "case_attributes ca JOIN attributes a ON "
			      "a.id = ca.attr_id WHERE a.name = ?");
	db_bind_text(r->p, st, 1, r->o->by);
	while (db_step(r->p, st)) {
		long long cid = sqlite3_column_int64(st, 0);
		const char *v = db_col_text(st, 1);

		if (cid > 0 && cid <= maxcase && case_unit[cid] >= 0 && *v) {
			free(val[case_unit[cid]]);
			val[case_unit[cid]] = xstrdup(v);
		}
	}
	sqlite3_finalize(st);
	st = db_prepare(r->p, "SELECT da.doc_id, da.value FROM "
			      "document_attributes da JOIN attributes a ON "
			      "a.id = da.attr_id JOIN documents d ON d.id = "
			      "da.doc_id WHERE a.name = ? AND d.case_id IS "
			      "NULL");
	db_bind_text(r->p, st, 1, r->o->by);
	while (db_step(r->p, st)) {
		long long did = sqlite3_column_int64(st, 0);
		const char *v = db_col_text(st, 1);

		if (did > 0 && did <= r->maxdoc && r->doc_unit[did] >= 0 &&
		    *v) {
			free(val[r->doc_unit[did]]);
			val[r->doc_unit[did]] = xstrdup(v);
		}
	}
	sqlite3_finalize(st);
	/* Distinct values, sorted: as numbers when every value is one. */
	gv = xcalloc(r->nunits ? r->nunits : 1, sizeof(*gv));
	group_numeric = 1;
	for (size_t u = 0; u < r->nunits; u++) {
		if (val[u]) {
			char *end;

			gv[ng].s = val[u];
			gv[ng].d = strtod(val[u], &end);
			if (end == val[u] || *end || !isfinite(gv[ng].d)) {
				group_numeric = 0;
			}
			ng++;
		} else {
			nmissing++;
		}
	}
	if (ng) {
		qsort(gv, ng, sizeof(*gv), cmp_group);
	}
	r->groups = xcalloc(ng + 2, sizeof(char *));
	r->ngroups = 0;
	for (size_t i = 0; i < ng; i++) {
		if (strcmp(gv[i].s, "(none)") == 0 ||
		    strcmp(gv[i].s, "(all)") == 0) {
			/* Two columns of one name: which is which? */
			die(QC_INPUT, "attribute '%s' has the value '%s', "
				      "which the table names its column of "
				      "%s; change that value ('qcode attr "
				      "set CASE %s=...') to group by it",
			    r->o->by, gv[i].s,
			    gv[i].s[1] == 'n' ? "cases without a value"
					      : "all cases",
			    r->o->by);
		}
		if (i == 0 || strcmp(gv[i].s, gv[i - 1].s) != 0) {
			r->groups[r->ngroups++] = xstrdup(gv[i].s);
		}
	}
	if (nmissing) {
		r->groups[r->ngroups++] = xstrdup("(none)");
	}
	r->group_n = xcalloc(r->ngroups + 1, sizeof(long long));
	r->unit_group = xmalloc((r->nunits ? r->nunits : 1) *
				sizeof(int32_t));
	for (size_t u = 0; u < r->nunits; u++) {
		size_t lo = 0, hi = r->ngroups - (nmissing ? 1 : 0);
		int32_t g = (int32_t)r->ngroups - 1;

		if (val[u]) {
			struct group_val key = { val[u], strtod(val[u], NULL) };
			int found = 0;

			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				struct group_val m = { r->groups[mid],
						       strtod(r->groups[mid],
							      NULL) };
				int c = cmp_group(&key, &m);

				if (c == 0) {
					lo = hi = mid;
					found = 1;
					break;
				}
				if (c < 0) {
					hi = mid;
				} else {
					lo = mid + 1;
				}
			}
			if (!found) {
				die(QC_INTERNAL, "no --by group for value '%s'",
				    val[u]);
			}
			g = (int32_t)lo;
		}
		r->unit_group[u] = g;
		r->group_n[g]++;
		free(val[u]);
	}
	free(gv);
	free(val);
}

/* Split "ATTR=VALUE"; dies on a malformed condition. */
static void split_where(const char *w, char **attr, const char **value)
{
	const char *eq = strchr(w, '=');

	if (!eq || eq == w) {
		die(QC_USAGE, "--where needs ATTR=VALUE, not '%s'", w);
	}
	*attr = xstrndup(w, (size_t)(eq - w));
	*value = eq + 1;
}

/* With --coder: keep in scope only the units (cases) with at least one
 * coding by the coder in one of their documents in scope (the rule
 * 'agree' uses), whatever its status but rejected (so a coder whose
 * codings are all suggested keeps the cases, and the note on left-out
 * codings sees them), and number them again. */
static void keep_coded_units(struct report *r, int32_t *case_unit,
			     long long maxcase)
{
	sqlite3_stmt *st = db_prepare(r->p, "SELECT DISTINCT doc_id FROM "
					    "codings WHERE coder_id = ? AND "
					    "status IN ('accepted', "
					    "'suggested')");
	int32_t *renum = xmalloc((r->nunits ? r->nunits : 1) *
				 sizeof(int32_t));
	size_t kept = 0;

	for (size_t u = 0; u < r->nunits; u++) {
		renum[u] = -1;
	}
	sqlite3_bind_int64(st, 1, r->coder_id);
	while (db_step(r->p, st)) {
		long long did = sqlite3_column_int64(st, 0);

		if (did > 0 && did <= r->maxdoc && r->doc_unit[did] >= 0) {
			renum[r->doc_unit[did]] = 0;
		}
	}
	sqlite3_finalize(st);
	for (size_t u = 0; u < r->nunits; u++) {
		if (renum[u] == 0) {
			renum[u] = (int32_t)kept++;
		}
	}
	for (long long d = 0; d <= r->maxdoc; d++) {
		if (r->doc_unit[d] >= 0) {
			r->doc_unit[d] = renum[r->doc_unit[d]];
		}
	}
	for (long long c = 0; c <= maxcase; c++) {
		if (case_unit[c] >= 0) {
			case_unit[c] = renum[case_unit[c]];
		}
	}
	r->uncoded_units = r->nunits - kept;
	r->nunits = kept;
	free(renum);
}

/* Find the in-scope documents and give each its unit. */
static void load_scope(struct report *r)
{
	const struct report_opts *o = r->o;
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	long long maxcase;
	int32_t *case_unit;
	int bind = 1;

	if (o->coder) {
		st = db_prepare(r->p, "SELECT id FROM coders WHERE name = ?");
		db_bind_text(r->p, st, 1, o->coder);
		r->coder_id = db_step(r->p, st) ? sqlite3_column_int64(st, 0)
						: 0;
		sqlite3_finalize(st);
		if (!r->coder_id) {
			die(QC_NOTFOUND, "no coder '%s' in the project",
			    o->coder);
		}
	}
	if (o->question) {
		st = db_prepare(r->p, "SELECT 1 FROM documents WHERE "
				      "question = ? LIMIT 1");
		db_bind_text(r->p, st, 1, o->question);
		if (!db_step(r->p, st)) {
			sqlite3_finalize(st);
			die(QC_NOTFOUND, "no document answers question '%s'",
			    o->question);
		}
		sqlite3_finalize(st);
	}
	for (size_t i = 0; i < o->nwhere; i++) {
		char *attr;
		const char *val;

		split_where(o->where[i], &attr, &val);
		if (!db_int(r->p, 0, "SELECT id FROM attributes WHERE "
				     "name = %Q", attr)) {
			char *msg = xasprintf("no attribute '%s' in the "
					      "project", attr);

			free(attr);
			die(QC_NOTFOUND, "%s", msg);
		}
		if (!db_int(r->p, 0, "SELECT EXISTS(SELECT 1 FROM "
				     "case_attributes x JOIN attributes a ON "
				     "a.id = x.attr_id WHERE a.name = %Q AND "
				     "x.value = %Q) OR EXISTS(SELECT 1 FROM "
				     "document_attributes x JOIN attributes a "
				     "ON a.id = x.attr_id WHERE a.name = %Q AND "
				     "x.value = %Q)", attr, val, attr, val)) {
			/* A typo would give a table of zeros that looks
			 * like a finding. */
			char *vals = db_text(
				r->p,
				"SELECT group_concat(quote(value), ', ') FROM "
				"(SELECT DISTINCT x.value FROM case_attributes x "
				"JOIN attributes a ON a.id = x.attr_id WHERE "
				"a.name = %Q UNION SELECT x.value FROM "
				"document_attributes x JOIN attributes a ON "
				"a.id = x.attr_id WHERE a.name = %Q ORDER BY 1 "
				"LIMIT 12)", attr, attr);

			long long nv = db_int(
				r->p, 0,
				"SELECT count(*) FROM (SELECT x.value FROM "
				"case_attributes x JOIN attributes a ON a.id = "
				"x.attr_id WHERE a.name = %Q UNION SELECT "
				"x.value FROM document_attributes x JOIN "
				"attributes a ON a.id = x.attr_id WHERE a.name "
				"= %Q)", attr, attr);

			die(QC_NOTFOUND, "no case or document has %s = '%s' "
					 "(values are matched exactly); its "
					 "values are: %s%s", attr, val,
			    vals ? vals : "(none)",
			    nv > 12 ? ", ... ('qcode cases' lists them)" : "");
		}
		free(attr);
	}
	r->maxdoc = db_int(r->p, 0, "SELECT max(id) FROM documents");
	maxcase = db_int(r->p, 0, "SELECT max(id) FROM cases");
	r->doc_unit = xmalloc((size_t)(r->maxdoc + 1) * sizeof(int32_t));
	r->doc_case = xcalloc((size_t)r->maxdoc + 1, sizeof(long long));
	for (long long i = 0; i <= r->maxdoc; i++) {
		r->doc_unit[i] = -1;
	}
	case_unit = xmalloc((size_t)(maxcase + 1) * sizeof(int32_t));
	for (long long i = 0; i <= maxcase; i++) {
		case_unit[i] = -1;
	}
	sb_adds(&sql, "SELECT d.id, d.case_id FROM documents d WHERE "
		      "d.chars > 0");
	if (o->question) {
		sb_adds(&sql, " AND d.question = ?");
	} else if (o->no_question) {
		sb_adds(&sql, " AND d.question IS NULL");
	}
	for (size_t i = 0; i < o->nwhere; i++) {
		sb_adds(&sql, " AND CASE WHEN d.case_id IS NOT NULL THEN "
			      "EXISTS(SELECT 1 FROM case_attributes x JOIN "
			      "attributes a ON a.id = x.attr_id WHERE "
			      "x.case_id = d.case_id AND a.name = ? AND "
			      "x.value = ?) ELSE EXISTS(SELECT 1 FROM "
			      "document_attributes x JOIN attributes a ON "
			      "a.id = x.attr_id WHERE x.doc_id = d.id AND "
			      "a.name = ? AND x.value = ?) END");
	}
	sb_adds(&sql, " ORDER BY d.id");
	st = db_prepare(r->p, sb_str(&sql));
	sb_release(&sql);
	if (o->question) {
		db_bind_text(r->p, st, bind++, o->question);
	}
	for (size_t i = 0; i < o->nwhere; i++) {
		char *attr;
		const char *val;

		split_where(o->where[i], &attr, &val);
		for (int k = 0; k < 2; k++) {
			db_bind_text(r->p, st, bind++, attr);
			db_bind_text(r->p, st, bind++, val);
		}
		free(attr);
	}
	while (db_step(r->p, st)) {
		long long did = sqlite3_column_int64(st, 0);
		long long cid = sqlite3_column_int64(st, 1);

		if (cid > 0 && cid <= maxcase) {
			r->doc_case[did] = cid;
		}
		r->doc_unit[did] = report_case_unit(case_unit, maxcase, cid,
						    &r->nunits);
	}
	sqlite3_finalize(st);
	if (r->coder_id && !o->n_all) {
		keep_coded_units(r, case_unit, maxcase);
	}
	if (o->by) {
		load_groups(r, case_unit, maxcase);
	}
	free(case_unit);
}

void report_init(struct report *r, struct project *p,
		 const struct report_opts *o)
{
	memset(r, 0, sizeof(*r));
	r->p = p;
	r->o = o;
	load_codes(r);
	select_codes(r);
	load_scope(r);
}

void report_release(struct report *r)
{
	struct report_priv *pv = r->priv;

	for (size_t i = 0; i < r->ncodes; i++) {
		free(r->codes[i].name);
		free(r->codes[i].path);
		free(r->codes[i].color);
	}
	free(r->codes);
	free(r->doc_unit);
	free(r->doc_case);
	for (size_t g = 0; g < r->ngroups; g++) {
		free(r->groups[g]);
	}
	free(r->groups);
	free(r->group_n);
	free(r->unit_group);
	free(r->stat);
	free(r->gstat);
	free(r->show);
	if (pv) {
		free(pv->tup);
		free(pv->off);
		free(pv);
	}
	memset(r, 0, sizeof(*r));
}

/* ---- counting ---- */

/* Read the codings that count into tuples bucketed by code. */
static void load_tuples(struct report *r, struct report_priv *pv)
{
	long long maxcode = 0;
	int32_t *code_idx;
	size_t *cnt, ntmp = 0, cap = 0;
	struct report_tuple *tmp = NULL;
	sqlite3_stmt *st;
	char *sql;

	for (size_t i = 0; i < r->ncodes; i++) {
		maxcode = r->codes[i].id > maxcode ? r->codes[i].id : maxcode;
	}
	code_idx = xmalloc((size_t)(maxcode + 1) * sizeof(int32_t));
	for (long long i = 0; i <= maxcode; i++) {
		code_idx[i] = -1;
	}
	for (size_t i = 0; i < r->ncodes; i++) {
		code_idx[r->codes[i].id] = (int32_t)i;
	}
	sql = xasprintf("SELECT code_id, doc_id, segment_id FROM codings "
			"WHERE %s%s", status_sql(r->o->status),
			r->coder_id ? " AND coder_id = ?" : "");
	st = db_prepare(r->p, sql);
	free(sql);
	if (r->coder_id) {
		sqlite3_bind_int64(st, 1, r->coder_id);
	}
	while (db_step(r->p, st)) {
		long long code = sqlite3_column_int64(st, 0);
		long long doc = sqlite3_column_int64(st, 1);
		long long seg = sqlite3_column_int64(st, 2);

		if (code <= 0 || code > maxcode || code_idx[code] < 0 ||
		    doc <= 0 || doc > r->maxdoc || r->doc_unit[doc] < 0) {
			continue;
		}
		if (ntmp == cap) {
			cap = cap ? cap * 2 : 1024;
			tmp = xrealloc(tmp, cap * sizeof(*tmp));
		}
		tmp[ntmp].code = (uint32_t)code_idx[code];
		tmp[ntmp].unit = r->doc_unit[doc];
		tmp[ntmp].doc = (uint32_t)doc;
		tmp[ntmp].seg = seg > 0 && seg <= UINT32_MAX ? (uint32_t)seg
							   : 0;
		if (tmp[ntmp].seg > pv->maxseg) {
			pv->maxseg = tmp[ntmp].seg;
		}
		ntmp++;
	}
	sqlite3_finalize(st);
	free(code_idx);
	/* Counting sort by code index. */
	cnt = xcalloc(r->ncodes + 1, sizeof(size_t));
	for (size_t i = 0; i < ntmp; i++) {
		cnt[tmp[i].code + 1]++;
	}
	for (size_t i = 0; i < r->ncodes; i++) {
		cnt[i + 1] += cnt[i];
	}
	pv->off = xmalloc((r->ncodes + 1) * sizeof(size_t));
	memcpy(pv->off, cnt, (r->ncodes + 1) * sizeof(size_t));
	pv->tup = xmalloc((ntmp ? ntmp : 1) * sizeof(*pv->tup));
	for (size_t i = 0; i < ntmp; i++) {
		pv->tup[cnt[tmp[i].code]++] = tmp[i];
	}
	pv->ntup = ntmp;
	free(cnt);
	free(tmp);
}

static const struct report *sort_r;

/* qsort: shown codes by cases, most first, then codebook order. */
static int cmp_show(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	long long kx = sort_r->stat[x].cases, ky = sort_r->stat[y].cases;

	if (kx != ky) {
		return kx > ky ? -1 : 1;
	}
	return x < y ? -1 : x > y;
}

void report_count(struct report *r)
{
	struct report_priv *pv = xcalloc(1, sizeof(*pv));
	size_t ng = r->ngroups ? r->ngroups : 1;
	uint32_t *ustamp, *dstamp, *sstamp;

	r->priv = pv;
	load_tuples(r, pv);
	r->stat = xcalloc(r->ncodes ? r->ncodes : 1, sizeof(*r->stat));
	r->gstat = xcalloc((r->ncodes ? r->ncodes : 1) * ng,
			   sizeof(*r->gstat));
	ustamp = xcalloc(r->nunits + 1, sizeof(uint32_t));
	dstamp = xcalloc((size_t)r->maxdoc + 1, sizeof(uint32_t));
	sstamp = xcalloc((size_t)pv->maxseg + 1, sizeof(uint32_t));
	for (size_t i = 0; i < r->ncodes; i++) {
		uint32_t mark = (uint32_t)i + 1;
		struct report_stat *s = &r->stat[i];
		struct report_stat *gs = &r->gstat[i * ng];

		if (!r->codes[i].selected) {
			continue;
		}
		size_t last = pv->off[r->o->rollup_none ? i + 1
						      : r->codes[i].end];

		for (size_t t = pv->off[i]; t < last; t++) {
			const struct report_tuple *tp = &pv->tup[t];
			size_t g = r->ngroups ? (size_t)r->unit_group[tp->unit]
					      : 0;

			s->codings++;
			gs[g].codings++;
			if (ustamp[tp->unit] != mark) {
				ustamp[tp->unit] = mark;
				s->cases++;
				gs[g].cases++;
			}
			if (dstamp[tp->doc] != mark) {
				dstamp[tp->doc] = mark;
				s->documents++;
				gs[g].documents++;
			}
			if (tp->seg && sstamp[tp->seg] != mark) {
				sstamp[tp->seg] = mark;
				s->segments++;
				gs[g].segments++;
			}
		}
	}
	free(ustamp);
	free(dstamp);
	free(sstamp);
	r->show = xmalloc((r->ncodes ? r->ncodes : 1) * sizeof(size_t));
	r->nshow = 0;
	for (size_t i = 0; i < r->ncodes; i++) {
		if (r->codes[i].selected && r->stat[i].cases >= r->o->min) {
			r->show[r->nshow++] = i;
		}
	}
	if (r->o->sort_count && r->nshow) {
		sort_r = r;
		qsort(r->show, r->nshow, sizeof(size_t), cmp_show);
		sort_r = NULL;
	}
}

size_t report_drop_empty(struct report *r)
{
	char *keep = xcalloc(r->ncodes + 1, 1), *shown;
	size_t n = 0, dropped = 0;

	shown = xcalloc(r->ncodes + 1, 1);
	for (size_t k = 0; k < r->nshow; k++) {
		shown[r->show[k]] = 1;
	}
	/* Children come after their parent: walk back, lifting "keep" to
	 * the ancestors. */
	for (size_t i = r->ncodes; i-- > 0;) {
		if (shown[i] && r->stat[i].cases > 0) {
			keep[i] = 1;
		}
		if (keep[i] && r->codes[i].parent != REPORT_NONE) {
			keep[r->codes[i].parent] = 1;
		}
	}
	for (size_t k = 0; k < r->nshow; k++) {
		if (keep[r->show[k]]) {
			r->show[n++] = r->show[k];
		} else {
			dropped++;
		}
	}
	r->nshow = n;
	free(shown);
	free(keep);
	return dropped;
}

/* N with a comma between groups of three digits into BUF. */
static const char *group_digits(long long n, char *buf, size_t bufsz)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof(tmp), "%lld", n < 0 ? 0 : n);
	size_t o = 0;

	for (int i = 0; i < len && o + 2 < bufsz; i++) {
		if (i > 0 && (len - i) % 3 == 0) {
			buf[o++] = ',';
		}
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

long long report_status_left_out(struct report *r, int own_only)
{
	unsigned other = ~r->o->status & (REPORT_ACCEPTED | REPORT_SUGGESTED);
	char *in = xcalloc(r->ncodes + 1, 1), *sql;
	long long maxcode = 0, n = 0;
	int32_t *code_idx;
	sqlite3_stmt *st;

	if (!other) {
		free(in);
		return 0;
	}
	/* Codes whose codings are in scope: the selected ones, and (unless
	 * OWN_ONLY) those under a selected code, which roll up into it. */
	for (size_t i = 0; i < r->ncodes; i++) {
		size_t par = r->codes[i].parent;

		in[i] = r->codes[i].selected ||
			(!own_only && par != REPORT_NONE && in[par]);
		maxcode = r->codes[i].id > maxcode ? r->codes[i].id : maxcode;
	}
	code_idx = xmalloc((size_t)(maxcode + 1) * sizeof(int32_t));
	for (long long i = 0; i <= maxcode; i++) {
		code_idx[i] = -1;
	}
	for (size_t i = 0; i < r->ncodes; i++) {
		code_idx[r->codes[i].id] = (int32_t)i;
	}
	sql = xasprintf("SELECT code_id, doc_id FROM codings WHERE %s%s",
			status_sql(other),
			r->coder_id ? " AND coder_id = ?" : "");
	st = db_prepare(r->p, sql);
	free(sql);
	if (r->coder_id) {
		sqlite3_bind_int64(st, 1, r->coder_id);
	}
	while (db_step(r->p, st)) {
		long long code = sqlite3_column_int64(st, 0);
		long long doc = sqlite3_column_int64(st, 1);

		if (code > 0 && code <= maxcode && code_idx[code] >= 0 &&
		    in[code_idx[code]] && doc > 0 && doc <= r->maxdoc &&
		    r->doc_unit[doc] >= 0) {
			n++;
		}
	}
	sqlite3_finalize(st);
	free(code_idx);
	free(in);
	return n;
}

void report_status_note(struct report *r, int own_only, const char *verb)
{
	long long n = report_status_left_out(r, own_only);
	char buf[48];

	if (n == 0) {
		return;
	}
	notice("note: %s %s coding%s in scope %s not %s; --status all "
	       "includes %s", group_digits(n, buf, sizeof(buf)),
	       r->o->status & REPORT_ACCEPTED ? "suggested" : "accepted",
	       n == 1 ? "" : "s", n == 1 ? "is" : "are", verb,
	       n == 1 ? "it" : "them");
}

int report_tree_place(const struct report *r, const char *shown, size_t i,
		      char **label)
{
	const struct report_code *c = &r->codes[i];
	size_t a = c->parent;
	int level = 0;

	while (a != REPORT_NONE && !shown[a]) {
		a = r->codes[a].parent;
	}
	if (a == REPORT_NONE) {
		*label = xstrdup(c->path);
		return 0;
	}
	for (size_t b = a; b != REPORT_NONE; b = r->codes[b].parent) {
		level += shown[b] != 0;
	}
	if (a == c->parent) {
		*label = xstrdup(c->name);
	} else {
		/* The names from below A down to I; a path is its
		 * parent's path, '/' and its name. */
		size_t n = strlen(r->codes[a].path);

		*label = strncmp(c->path, r->codes[a].path, n) == 0 &&
					 c->path[n] == '/'
				 ? xstrdup(c->path + n + 1)
				 : xstrdup(c->path);
	}
	return level;
}

int report_row_place(const struct report *r, const char *shown, size_t i,
		     char **label)
{
	if (r->o->sort_count) {
		*label = xstrdup(r->codes[i].path);
		return 0;
	}
	return report_tree_place(r, shown, i, label);
}

char *report_show_mask(const struct report *r)
{
	char *shown = xcalloc(r->ncodes + 1, 1);

	for (size_t k = 0; k < r->nshow; k++) {
		shown[r->show[k]] = 1;
	}
	return shown;
}

char *report_n_label(const struct report *r, long long n,
		     const char *coded_by)
{
	if (r->coder_id && !r->o->n_all) {
		return xasprintf("n=%lld %s %s", n, coded_by, r->o->coder);
	}
	return xasprintf("n=%lld", n);
}

/* Append one row of the long layout. */
static void count_row(struct rows *out, const struct report_code *c,
		      const char *group, const struct report_stat *s,
		      long long n)
{
	long long t = report_tenths(s->cases, n);

	rows_str(out, c->name);
	rows_str(out, c->path);
	if (group) {
		rows_str(out, group);
	}
	rows_int(out, s->cases);
	rows_int(out, n);
	if (t < 0) {
		rows_null(out);
	} else {
		rows_real(out, (double)t / 10.0, 1);
	}
	rows_int(out, s->documents);
	rows_int(out, s->segments);
	rows_int(out, s->codings);
}

void report_count_rows(const struct report *r, struct rows *out)
{
	int by = r->o->by != NULL;

	rows_init(out, "code", "path", NULL);
	if (by) {
		rows_add_col(out, "group");
	}
	rows_add_col(out, "cases");
	rows_add_col(out, "n");
	rows_add_col(out, "percent");
	rows_add_col(out, "documents");
	rows_add_col(out, "segments");
	rows_add_col(out, "codings");
	for (size_t k = 0; k < r->nshow; k++) {
		size_t i = r->show[k];

		if (by) {
			for (size_t g = 0; g < r->ngroups; g++) {
				count_row(out, &r->codes[i], r->groups[g],
					  &r->gstat[i * r->ngroups + g],
					  r->group_n[g]);
			}
		}
		count_row(out, &r->codes[i], by ? "(all)" : NULL,
			  &r->stat[i], (long long)r->nunits);
	}
}

/* ---- co-occurrence ---- */

long long *report_cooccur(struct report *r, int segments)
{
	struct report_priv *pv = r->priv;
	size_t m = r->nshow, nkeys;
	long long *mat = xcalloc(m ? m * m : 1, sizeof(long long));
	int32_t *showpos = xmalloc((r->ncodes + 1) * sizeof(int32_t));
	size_t *cnt, *byk, *list;
	uint32_t *stamp;

	for (size_t i = 0; i < r->ncodes; i++) {
		showpos[i] = -1;
	}
	for (size_t k = 0; k < m; k++) {
		showpos[r->show[k]] = (int32_t)k;
	}
	/* Bucket the tuples by unit (or segment): counting sort. */
	nkeys = segments ? (size_t)pv->maxseg + 1 : r->nunits;
	cnt = xcalloc(nkeys + 1, sizeof(size_t));
	for (size_t t = 0; t < pv->ntup; t++) {
		size_t key = segments ? pv->tup[t].seg
				      : (size_t)pv->tup[t].unit;

		if (!segments || key) {
			cnt[key + 1]++;
		}
	}
	for (size_t k = 0; k < nkeys; k++) {
		cnt[k + 1] += cnt[k];
	}
	byk = xmalloc((cnt[nkeys] ? cnt[nkeys] : 1) * sizeof(size_t));
	{
		size_t *fill = xmalloc((nkeys + 1) * sizeof(size_t));

		memcpy(fill, cnt, (nkeys + 1) * sizeof(size_t));
		for (size_t t = 0; t < pv->ntup; t++) {
			size_t key = segments ? pv->tup[t].seg
					      : (size_t)pv->tup[t].unit;

			if (!segments || key) {
				byk[fill[key]++] = t;
			}
		}
		free(fill);
	}
	stamp = xcalloc(m + 1, sizeof(uint32_t));
	list = xmalloc((m + 1) * sizeof(size_t));
	for (size_t k = 0; k < nkeys; k++) {
		size_t nl = 0;
		uint32_t mark = (uint32_t)k + 1;

		if (cnt[k] == cnt[k + 1]) {
			continue;
		}
		for (size_t x = cnt[k]; x < cnt[k + 1]; x++) {
			size_t c = pv->tup[byk[x]].code;

			/* The code and its ancestors that are shown. */
			for (; c != REPORT_NONE; c = r->codes[c].parent) {
				int32_t sp = showpos[c];

				if (sp >= 0 && stamp[sp] != mark) {
					stamp[sp] = mark;
					list[nl++] = (size_t)sp;
				}
			}
		}
		for (size_t a = 0; a < nl; a++) {
			for (size_t b = 0; b < nl; b++) {
				mat[list[a] * m + list[b]]++;
			}
		}
	}
	free(stamp);
	free(list);
	free(byk);
	free(cnt);
	free(showpos);
	return mat;
}

/* ---- language ---- */

char *report_wording(struct project *p, const char *name)
{
	return db_text(p, "SELECT wording FROM questions WHERE name = %Q "
			  "AND wording <> ''", name);
}

const char *report_language(struct project *p)
{
	static char lang[16];
	sqlite3_stmt *st;
	long long he = 0, ar = 0, latin = 0;
	int found = 0;

	st = db_prepare(p, "SELECT language FROM codes WHERE language IS "
			   "NOT NULL AND language <> '' GROUP BY language "
			   "ORDER BY count(*) DESC, language LIMIT 1");
	if (db_step(p, st)) {
		const char *l = db_col_text(st, 0);
		size_t n = 0;

		for (; l[n] && n + 1 < sizeof(lang); n++) {
			if (!isalnum((unsigned char)l[n]) && l[n] != '-') {
				break;
			}
			lang[n] = (char)tolower((unsigned char)l[n]);
		}
		lang[n] = '\0';
		found = n > 0 && l[n] == '\0';
	}
	sqlite3_finalize(st);
	if (found) {
		return lang;
	}
	st = db_prepare(p, "SELECT name FROM codes UNION ALL SELECT * FROM "
			   "(SELECT substr(text, 1, 400) FROM documents "
			   "ORDER BY id LIMIT 50)");
	while (db_step(p, st)) {
		const unsigned char *s = sqlite3_column_text(st, 0);
		size_t len = (size_t)sqlite3_column_bytes(st, 0);

		for (size_t i = 0; s && i < len; i++) {
			unsigned char c = s[i];

			if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
				latin++;
			} else if (c == 0xD6 || c == 0xD7) {
				he++; /* U+0580..U+05FF lead bytes */
			} else if (c >= 0xD8 && c <= 0xDB) {
				ar++; /* U+0600..U+06FF */
			}
		}
	}
	sqlite3_finalize(st);
	if (he > latin && he >= ar) {
		return "he";
	}
	if (ar > latin && ar > he) {
		return "ar";
	}
	return "en";
}
