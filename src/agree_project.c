/*
 * agree_project.c - qcode agree --coders: reliability data from this
 * project's codings.  For every code (with its sub-codes) each unit --
 * a document, a segment, or a character -- is coded present or absent
 * by each coder; agree.c turns the units into statistics.
 *
 * Units are handled sparsely: a code's "marks" (unit, coder) are sorted
 * and walked, and the units no coder marked are added at once with
 * their number as weight.  Characters are never materialised: each
 * document's codings of a code are swept as intervals, and every run of
 * characters with the same coders is one weighted unit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agree.h"
#include "agree_project.h"
#include "lookup.h"
#include "report.h"
#include "span_pair.h"
#include "text.h"
#include "util.h"

void agree_project_opts_init(struct agree_project_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->unit = AGREE_UNIT_DOCUMENT;
	o->status = "accepted";
	o->overlap = 90; /* MAXQDA's default */
}

void agree_project_opts_release(struct agree_project_opts *o)
{
	free(o->codes);
	free(o->where);
	memset(o, 0, sizeof(*o));
}

int agree_project_option(struct cmd_ctx *ctx, struct agree_project_opts *o,
			 int c, const char *arg)
{
	switch (c) {
	case AP_UNIT:
		if (strcmp(arg, "document") == 0) {
			o->unit = AGREE_UNIT_DOCUMENT;
		} else if (strcmp(arg, "segment") == 0) {
			o->unit = AGREE_UNIT_SEGMENT;
		} else if (strcmp(arg, "character") == 0) {
			o->unit = AGREE_UNIT_CHARACTER;
		} else if (strcmp(arg, "span") == 0) {
			o->unit = AGREE_UNIT_SPAN;
		} else {
			agree_project_opts_release(o);
			cli_usage_error(ctx, "unknown unit '%s' (choose from: "
					"document, segment, character, span)",
					arg);
		}
		return 1;
	case AP_OVERLAP: {
		char *end;
		double v = strtod(arg, &end);

		if (end == arg || *end || !(v >= 0 && v <= 100)) {
			agree_project_opts_release(o);
			cli_usage_error(ctx, "--overlap takes a percentage "
					"from 0 to 100, not '%s'", arg);
		}
		o->overlap = v;
		o->overlap_set = 1;
		return 1;
	}
	case AP_ALLDOCS:
		o->all_documents = 1;
		return 1;
	case AP_DISAGREE:
		o->disagreements = 1;
		return 1;
	case AP_CODE:
		o->codes = xrealloc(o->codes, (o->ncodes + 2) * sizeof(char *));
		o->codes[o->ncodes++] = (char *)arg;
		o->codes[o->ncodes] = NULL;
		return 1;
	case AP_QUESTION:
		o->question = arg;
		return 1;
	case AP_WHERE:
		o->where = xrealloc(o->where, (o->nwhere + 2) * sizeof(char *));
		o->where[o->nwhere++] = (char *)arg;
		o->where[o->nwhere] = NULL;
		return 1;
	case AP_STATUS:
		o->status = arg;
		return 1;
	}
	return 0;
}


/* A coder's coding of a code row in a unit: for characters, the span. */
struct mark {
	size_t unit;
	size_t coder;
	long long start, end;
};

/* One output row: a code with its sub-codes. */
struct arow {
	size_t code;          /* index in report codes */
	struct mark *m;
	size_t n, cap;
	/* compact marks (documents and segments, up to 64 coders): unit
	 * << 6 | coder, a quarter of the memory */
	unsigned long long *cm;
};

/* A unit: a document, or a segment of one. */
struct aunit {
	size_t doc;           /* index in docs */
	long long seg_idx;    /* segment number, -1 for a document */
	long long start, end;
};

struct adoc {
	long long id;
	long long chars;
	char *name;           /* read by doc_names() */
	char *case_name;
	int named;
};

/* A coding of one of the coders, as read. */
struct raw {
	long long doc, code, start, end;
	size_t coder;
};

struct state {
	struct cmd_ctx *ctx;
	const struct agree_project_opts *o;
	struct project *p;
	struct report r;
	size_t ncoders;
	char **coder_names;
	long long *coder_ids;
	struct adoc *docs;
	size_t ndocs;
	long long *doc_index;     /* by document id: index in docs, or -1 */
	struct aunit *units;      /* documents or segments */
	size_t nunits;
	size_t *doc_first_unit;   /* segments: first unit of each doc */
	size_t *doc_nunits;
	struct arow *rows;
	size_t nrows;
	double total_chars;       /* of the documents compared */
	struct raw *raw;          /* the coders' codings in scope */
	size_t nraw;
	/* output */
	int compact;              /* marks as unit << 6 | coder */
	unsigned long long *umask; /* per unit: its coders (row_units) */
	size_t *touched;          /* the units with a mask */
	struct rows out;
	struct rows dis;          /* --disagreements */
	/* the document text cached for --disagreements */
	long long text_doc;
	char *text;
	struct offmap map;
};

static void add_mark(struct arow *row, int compact, size_t unit,
		     size_t coder, long long start, long long end)
{
	if (compact) {
		if (row->n == row->cap) {
			row->cap = row->cap ? 2 * row->cap : 64;
			row->cm = xrealloc(row->cm,
					   row->cap * sizeof(*row->cm));
		}
		row->cm[row->n++] = (unsigned long long)unit << 6 | coder;
		return;
	}
	if (row->n == row->cap) {
		row->cap = row->cap ? 2 * row->cap : 64;
		row->m = xrealloc(row->m, row->cap * sizeof(*row->m));
	}
	row->m[row->n++] = (struct mark){ unit, coder, start, end };
}

static int mark_cmp(const void *pa, const void *pb)
{
	const struct mark *x = pa, *y = pb;

	if (x->unit != y->unit) {
		return x->unit < y->unit ? -1 : 1;
	}
	if (x->start != y->start) {
		return x->start < y->start ? -1 : 1;
	}
	return x->coder < y->coder ? -1 : x->coder > y->coder;
}

/* ---- loading ---- */

static void load_coders(struct state *s, const char *list)
{
	char **names = split_list(list, ',');
	size_t n = strv_len(names);
	sqlite3_stmt *st;

	if (n < 2) {
		free_strv(names);
		cli_usage_error(s->ctx, "--coders needs two or more coder "
				"names, separated by commas");
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < i; j++) {
			if (strcmp(names[i], names[j]) == 0) {
				char *dup = xstrdup(names[i]);

				free_strv(names);
				cli_usage_error(s->ctx, "coder '%s' is named "
						"twice in --coders", dup);
			}
		}
	}
	s->coder_names = names;
	s->ncoders = n;
	s->coder_ids = xcalloc(n, sizeof(long long));
	st = db_prepare(s->p, "SELECT id FROM coders WHERE name = ?");
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(st);
		db_bind_text(s->p, st, 1, names[i]);
		if (!db_step(s->p, st)) {
			sqlite3_finalize(st);
			die(QC_NOTFOUND, "no coder '%s' in the project; 'qcode "
			    "codings' lists who coded what", names[i]);
		}
		s->coder_ids[i] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
}

/* The SQL condition on status for --status. */
static const char *status_cond(struct state *s)
{
	unsigned m = report_parse_status(s->o->status);

	if (!m) {
		cli_usage_error(s->ctx, "unknown status '%s' (choose from: "
				"accepted, suggested, all)", s->o->status);
	}
	if (m == REPORT_SUGGESTED) {
		return "c.status = 'suggested'";
	}
	if (m == (REPORT_ACCEPTED | REPORT_SUGGESTED)) {
		return "c.status IN ('accepted', 'suggested')";
	}
	return "c.status = 'accepted'";
}

/* The coder index of coder id ID, or -1. */
static long coder_index(const struct state *s, long long id)
{
	for (size_t i = 0; i < s->ncoders; i++) {
		if (s->coder_ids[i] == id) {
			return (long)i;
		}
	}
	return -1;
}

static char *coder_in_list(const struct state *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < s->ncoders; i++) {
		sb_addf(&sb, "%s%lld", i ? "," : "", s->coder_ids[i]);
	}
	return sb_detach(&sb, NULL);
}

/* Read the coders' codings (in --status, of documents in scope) in one
 * pass over the codings. */
static void load_codings(struct state *s, const char *status)
{
	char *ids = coder_in_list(s);
	char *sql = xasprintf("SELECT c.doc_id, c.code_id, c.coder_id, "
			      "c.start, c.end FROM codings c WHERE "
			      "c.coder_id IN (%s) AND %s", ids, status);
	sqlite3_stmt *st = db_prepare(s->p, sql);
	size_t cap = 0;

	free(sql);
	free(ids);
	while (db_step(s->p, st)) {
		long long d = sqlite3_column_int64(st, 0);
		long ci = coder_index(s, sqlite3_column_int64(st, 2));

		if (d < 0 || d > s->r.maxdoc || s->r.doc_unit[d] < 0 ||
		    ci < 0) {
			continue;
		}
		if (s->nraw == cap) {
			cap = cap ? 2 * cap : 1024;
			s->raw = xrealloc(s->raw, cap * sizeof(*s->raw));
		}
		s->raw[s->nraw++] = (struct raw){
			d, sqlite3_column_int64(st, 1),
			sqlite3_column_int64(st, 3),
			sqlite3_column_int64(st, 4), (size_t)ci };
	}
	sqlite3_finalize(st);
}

/* The documents compared: in scope, and coded by every coder (any
 * code) unless --all-documents. */
static void load_documents(struct state *s)
{
	long long maxdoc = s->r.maxdoc;
	unsigned char *seen = xcalloc((size_t)maxdoc + 1, s->ncoders);
	sqlite3_stmt *st;
	size_t cap = 0;

	for (size_t i = 0; i < s->nraw; i++) {
		seen[(size_t)s->raw[i].doc * s->ncoders + s->raw[i].coder] = 1;
	}
	s->doc_index = xmalloc(((size_t)maxdoc + 1) * sizeof(long long));
	/* names are read when a disagreement is listed (doc_names()) */
	st = db_prepare(s->p, "SELECT id, chars FROM documents ORDER BY id");
	for (long long d = 0; d <= maxdoc; d++) {
		s->doc_index[d] = -1;
	}
	while (db_step(s->p, st)) {
		long long d = sqlite3_column_int64(st, 0);
		int all = 1;

		if (d < 0 || d > maxdoc || s->r.doc_unit[d] < 0) {
			continue;
		}
		for (size_t i = 0; i < s->ncoders; i++) {
			all &= seen[(size_t)d * s->ncoders + i];
		}
		if (!all && !s->o->all_documents) {
			continue;
		}
		if (s->ndocs == cap) {
			cap = cap ? 2 * cap : 64;
			s->docs = xrealloc(s->docs, cap * sizeof(*s->docs));
		}
		s->doc_index[d] = (long long)s->ndocs;
		s->docs[s->ndocs++] = (struct adoc){
			d, sqlite3_column_int64(st, 1), NULL, NULL, 0 };
	}
	sqlite3_finalize(st);
	free(seen);
}

static int aunit_cmp(const void *pa, const void *pb)
{
	const struct aunit *x = pa, *y = pb;

	if (x->doc != y->doc) {
		return x->doc < y->doc ? -1 : 1;
	}
	if (x->start != y->start) {
		return x->start < y->start ? -1 : 1;
	}
	return x->seg_idx < y->seg_idx ? -1 : x->seg_idx > y->seg_idx;
}

/* The units: each document, or each segment of each document (a
 * document without segments is one segment). */
static void load_units(struct state *s)
{
	size_t cap = 0;

	s->doc_first_unit = xcalloc(s->ndocs ? s->ndocs : 1, sizeof(size_t));
	s->doc_nunits = xcalloc(s->ndocs ? s->ndocs : 1, sizeof(size_t));
	if (s->o->unit != AGREE_UNIT_SEGMENT) {
		s->units = xmalloc((s->ndocs ? s->ndocs : 1) *
				   sizeof(*s->units));
		for (size_t i = 0; i < s->ndocs; i++) {
			s->units[i] = (struct aunit){ i, -1, 0,
						      s->docs[i].chars };
			s->doc_first_unit[i] = i;
			s->doc_nunits[i] = 1;
		}
		s->nunits = s->ndocs;
		return;
	}
	{
		/* the segments in table order (a plain scan), then sorted by
		 * document, start and number in memory */
		sqlite3_stmt *st = db_prepare(
			s->p, "SELECT doc_id, idx, start, end FROM segments");
		struct aunit *seg = NULL;
		size_t nseg = 0, segcap = 0, j = 0;

		while (db_step(s->p, st)) {
			long long d = sqlite3_column_int64(st, 0), k;

			if (d < 0 || d > s->r.maxdoc ||
			    (k = s->doc_index[d]) < 0) {
				continue;
			}
			if (nseg == segcap) {
				segcap = segcap ? 2 * segcap : 256;
				seg = xrealloc(seg, segcap * sizeof(*seg));
			}
			seg[nseg++] = (struct aunit){
				(size_t)k, sqlite3_column_int64(st, 1),
				sqlite3_column_int64(st, 2),
				sqlite3_column_int64(st, 3) };
		}
		sqlite3_finalize(st);
		if (nseg) {
			qsort(seg, nseg, sizeof(*seg), aunit_cmp);
		}
		cap = nseg + s->ndocs;
		s->units = xmalloc((cap ? cap : 1) * sizeof(*s->units));
		for (size_t di = 0; di < s->ndocs; di++) {
			s->doc_first_unit[di] = s->nunits;
			if (j < nseg && seg[j].doc == di) {
				while (j < nseg && seg[j].doc == di) {
					s->units[s->nunits++] = seg[j++];
				}
			} else {
				/* a document without segments is one */
				s->units[s->nunits++] = (struct aunit){
					di, -1, 0, s->docs[di].chars };
			}
			s->doc_nunits[di] = s->nunits - s->doc_first_unit[di];
		}
		free(seg);
	}
}

/* The code rows: every code, or the --code subtrees (each code found by
 * lookup_code(), the project's one resolver). */
static void load_rows(struct state *s)
{
	int *sel = xcalloc(s->r.ncodes ? s->r.ncodes : 1, sizeof(int));

	for (size_t k = 0; k < s->o->ncodes; k++) {
		long long id = lookup_code(s->p, s->o->codes[k], 0);

		for (size_t i = 0; i < s->r.ncodes; i++) {
			if (s->r.codes[i].id == id) {
				for (size_t j = i; j < s->r.codes[i].end; j++) {
					sel[j] = 1;
				}
			}
		}
	}
	s->rows = xcalloc(s->r.ncodes ? s->r.ncodes : 1, sizeof(*s->rows));
	for (size_t i = 0; i < s->r.ncodes; i++) {
		if (!s->o->ncodes || sel[i]) {
			s->rows[s->nrows++].code = i;
		}
	}
	free(sel);
}

static int raw_cmp(const void *pa, const void *pb)
{
	const struct raw *x = pa, *y = pb;

	if (x->doc != y->doc) {
		return x->doc < y->doc ? -1 : 1;
	}
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Read the coders' codings into marks of every row they count for (the
 * coding's code and each of its ancestors). */
static void load_marks(struct state *s)
{
	long long maxcode = 0;
	long *row_of;
	size_t *code_of;

	for (size_t i = 0; i < s->r.ncodes; i++) {
		if (s->r.codes[i].id > maxcode) {
			maxcode = s->r.codes[i].id;
		}
	}
	row_of = xmalloc(((size_t)maxcode + 1) * sizeof(long));
	code_of = xmalloc(((size_t)maxcode + 1) * sizeof(size_t));
	for (long long i = 0; i <= maxcode; i++) {
		row_of[i] = -1;
		code_of[i] = REPORT_NONE;
	}
	for (size_t i = 0; i < s->r.ncodes; i++) {
		code_of[s->r.codes[i].id] = i;
	}
	for (size_t k = 0; k < s->nrows; k++) {
		row_of[s->r.codes[s->rows[k].code].id] = (long)k;
	}
	/* in document order: the units and masks touched next are then
	 * near the last ones (memory order), and so are the marks */
	if (s->nraw) {
		qsort(s->raw, s->nraw, sizeof(*s->raw), raw_cmp);
	}
	for (size_t k = 0; k < s->nraw; k++) {
		long long d = s->raw[k].doc, code = s->raw[k].code;
		long ci = (long)s->raw[k].coder;
		long long b = s->raw[k].start, e = s->raw[k].end;
		long long di;
		size_t ci_code, ulo, uend;

		if (d < 0 || d > s->r.maxdoc || (di = s->doc_index[d]) < 0 ||
		    code < 0 || code > maxcode || ci < 0) {
			continue;
		}
		/* the units it marks: its document, or the segments it
		 * overlaps -- from the first ending after b, every one
		 * starting before e (a unit for the whole document takes
		 * every coding) */
		ulo = uend = (size_t)di;
		uend++;
		if (s->o->unit == AGREE_UNIT_SEGMENT) {
			size_t lo = s->doc_first_unit[di];
			size_t end = lo + s->doc_nunits[di], hi = end;

			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;

				if (s->units[mid].seg_idx >= 0 &&
				    s->units[mid].end <= b) {
					lo = mid + 1;
				} else {
					hi = mid;
				}
			}
			ulo = lo;
			for (uend = lo; uend < end; uend++) {
				const struct aunit *un = &s->units[uend];

				if (un->seg_idx >= 0 && un->start >= e) {
					break;
				}
			}
		}
		/* walk up from the coding's code */
		for (ci_code = code_of[code]; ci_code != REPORT_NONE;
		     ci_code = s->r.codes[ci_code].parent) {
			long row = row_of[s->r.codes[ci_code].id];

			if (row < 0) {
				continue;
			}
			for (size_t u = ulo; u < uend; u++) {
				const struct aunit *un = &s->units[u];

				if (s->o->unit != AGREE_UNIT_SEGMENT ||
				    un->seg_idx < 0 ||
				    (un->start < e && b < un->end)) {
					add_mark(&s->rows[row], s->compact,
						 u, (size_t)ci,
						 b, e);
				}
			}
		}
	}
	free(row_of);
	free(code_of);
}

/* ---- output helpers ---- */

void agree_put_stat(struct rows *r, enum out_format f, double v)
{
	char buf[64];

	if (isnan(v)) {
		if (f == FMT_TABLE || f == FMT_MD) {
			rows_json(r, "null", "n/a");
		} else {
			rows_null(r);
		}
		return;
	}
	if (v == 0) {
		v = 0; /* not -0 */
	}
	if (f == FMT_TABLE || f == FMT_MD) {
		rows_real(r, v, 4);
		return;
	}
	snprintf(buf, sizeof(buf), "%.15g", v);
	rows_json(r, buf, buf);
}

enum { ST_PA, ST_COHEN, ST_SCOTT, ST_BENNETT, ST_FLEISS, ST_ALPHA, NSTAT };

static void stats_array(const struct agree_stats *st, double *v)
{
	v[ST_PA] = st->percent_agreement;
	v[ST_COHEN] = st->cohen_kappa;
	v[ST_SCOTT] = st->scott_pi;
	v[ST_BENNETT] = st->bennett_s;
	v[ST_FLEISS] = st->fleiss_kappa;
	v[ST_ALPHA] = st->alpha;
}

/* Which count a pattern V of coders falls in: 0 all (both), 1 only the
 * first / some, 2 only the second, 3 none (neither). */
static int pattern_class(const struct state *s, const int *v)
{
	size_t k = 0;

	for (size_t i = 0; i < s->ncoders; i++) {
		k += v[i] == 1;
	}
	if (k == s->ncoders) {
		return 0;
	}
	if (k == 0) {
		return 3;
	}
	if (s->ncoders == 2) {
		return v[0] == 1 ? 1 : 2;
	}
	return 1;
}

static void put_row(struct state *s, const char *code, const char *path,
		    double units, const double *counts, const double *stat)
{
	struct rows *r = &s->out;

	rows_str(r, code);
	rows_str(r, path);
	if (counts) {
		rows_int(r, llround(units));
		rows_int(r, llround(counts[0]));
		rows_int(r, llround(counts[1]));
		if (s->ncoders == 2) {
			rows_int(r, llround(counts[2]));
		}
		if (s->o->unit == AGREE_UNIT_SPAN) {
			rows_null(r); /* no universe of unit: undefined */
		} else {
			rows_int(r, llround(counts[3]));
		}
	} else {
		for (size_t i = 0; i < (s->ncoders == 2 ? 5u : 4u); i++) {
			rows_null(r);
		}
	}
	for (int k = 0; k < NSTAT; k++) {
		agree_put_stat(r, s->ctx->format, stat[k]);
	}
}

/* The text of document DOC [START, END) (code points), as a new string;
 * with LIMIT > 0, at most LIMIT characters and an ellipsis. */
static char *doc_text(struct state *s, size_t doc, long long start,
		      long long end, long long limit)
{
	const struct adoc *d = &s->docs[doc];
	size_t b0, b1;
	char *t;

	if (s->text_doc != d->id) {
		sqlite3_stmt *st = db_prepare(s->p, "SELECT text FROM "
						    "documents WHERE id = ?");

		if (s->text) {
			offmap_release(&s->map);
			free(s->text);
		}
		sqlite3_bind_int64(st, 1, d->id);
		s->text = xstrdup(db_step(s->p, st) ? db_col_text(st, 0) : "");
		sqlite3_finalize(st);
		offmap_init(&s->map, s->text, strlen(s->text));
		s->text_doc = d->id;
	}
	if (start < 0) {
		start = 0;
	}
	if (end > (long long)s->map.chars) {
		end = (long long)s->map.chars;
	}
	if (end < start) {
		end = start;
	}
	if (limit > 0 && end - start > limit) {
		b0 = offmap_byte(&s->map, (size_t)start);
		b1 = offmap_byte(&s->map, (size_t)(start + limit));
		t = xmalloc(b1 - b0 + 4);
		memcpy(t, s->text + b0, b1 - b0);
		memcpy(t + (b1 - b0), "\xE2\x80\xA6", 4); /* ... */
		return t;
	}
	b0 = offmap_byte(&s->map, (size_t)start);
	b1 = offmap_byte(&s->map, (size_t)end);
	return xstrndup(s->text + b0, b1 - b0);
}

/* A disagreement: code row ROW, document DOC, segment SEG (-1: none),
 * the span, who coded it (V). */
static void put_disagreement(struct state *s, const struct arow *row,
			     size_t doc, long long seg, long long start,
			     long long end, const int *v)
{
	struct rows *r = &s->dis;
	struct adoc *d = &s->docs[doc];
	char *text = doc_text(s, doc, start, end,
			      s->o->unit == AGREE_UNIT_DOCUMENT ? 80 : 0);

	if (!d->named) {
		sqlite3_stmt *st = db_cached(s->p,
			"SELECT d.name, c.name FROM documents d LEFT JOIN "
			"cases c ON c.id = d.case_id WHERE d.id = ?");

		sqlite3_bind_int64(st, 1, d->id);
		if (db_step(s->p, st)) {
			d->name = xstrdup(db_col_text(st, 0));
			if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
				d->case_name = xstrdup(db_col_text(st, 1));
			}
		}
		sqlite3_reset(st);
		d->named = 1;
	}

	rows_str(r, s->r.codes[row->code].path);
	rows_str(r, d->name);
	rows_str(r, d->case_name);
	if (seg >= 0) {
		rows_int(r, seg);
	} else {
		rows_null(r);
	}
	rows_int(r, start);
	rows_int(r, end);
	for (size_t i = 0; i < s->ncoders; i++) {
		rows_int(r, v[i] == 1);
	}
	rows_str(r, text);
	free(text);
}

/* ---- computing ---- */

static int size_cmp(const void *pa, const void *pb)
{
	size_t x = *(const size_t *)pa, y = *(const size_t *)pb;

	return x < y ? -1 : x > y;
}

/* Documents and segments: each unit once per row.  With up to 64
 * coders the coders of each unit are gathered in a bit mask per unit
 * (no sort); the units are visited in order only for --disagreements. */
static void row_units(struct state *s, struct arow *row,
		      struct agree_acc *pooled, double *counts, double *stat)
{
	struct agree_acc acc;
	struct agree_stats st;
	int *v = xmalloc(s->ncoders * sizeof(int));
	size_t marked = 0;

	agree_acc_init(&acc, s->ncoders, 2);
	if (s->compact) {
		size_t nt = 0;

		if (!s->umask) {
			s->umask = xcalloc(s->nunits ? s->nunits : 1,
					   sizeof(*s->umask));
			s->touched = xmalloc((s->nunits ? s->nunits : 1) *
					     sizeof(size_t));
		}
		for (size_t i = 0; i < row->n; i++) {
			size_t u = (size_t)(row->cm[i] >> 6);

			if (!s->umask[u]) {
				s->touched[nt++] = u;
			}
			s->umask[u] |= 1ull << (row->cm[i] & 63);
		}
		if (s->o->disagreements && nt) {
			qsort(s->touched, nt, sizeof(size_t), size_cmp);
		}
		for (size_t i = 0; i < nt; i++) {
			size_t u = s->touched[i];
			int c;

			for (size_t k = 0; k < s->ncoders; k++) {
				v[k] = (int)((s->umask[u] >> k) & 1);
			}
			s->umask[u] = 0;
			marked++;
			agree_acc_add(&acc, v, 1);
			agree_acc_add(pooled, v, 1);
			c = pattern_class(s, v);
			counts[c]++;
			if (s->o->disagreements && c != 0 && c != 3) {
				const struct aunit *un = &s->units[u];

				put_disagreement(s, row, un->doc, un->seg_idx,
						 un->start, un->end, v);
			}
		}
	} else {
		if (row->n) {
			qsort(row->m, row->n, sizeof(*row->m), mark_cmp);
		}
		for (size_t i = 0; i < row->n;) {
			size_t u = row->m[i].unit;
			int c;

			for (size_t k = 0; k < s->ncoders; k++) {
				v[k] = 0;
			}
			while (i < row->n && row->m[i].unit == u) {
				v[row->m[i++].coder] = 1;
			}
			marked++;
			agree_acc_add(&acc, v, 1);
			agree_acc_add(pooled, v, 1);
			c = pattern_class(s, v);
			counts[c]++;
			if (s->o->disagreements && c != 0 && c != 3) {
				const struct aunit *un = &s->units[u];

				put_disagreement(s, row, un->doc, un->seg_idx,
						 un->start, un->end, v);
			}
		}
	}
	for (size_t k = 0; k < s->ncoders; k++) {
		v[k] = 0;
	}
	if (s->nunits > marked) {
		double rest = (double)(s->nunits - marked);

		agree_acc_add(&acc, v, rest);
		if (row->n) {
			agree_acc_add(pooled, v, rest);
		}
		counts[3] += rest;
	}
	agree_acc_stats(&acc, AGREE_NOMINAL, NULL, &st);
	stats_array(&st, stat);
	agree_acc_release(&acc);
	free(v);
}

struct event {
	long long pos;
	size_t coder;
	int delta;
};

static int event_cmp(const void *pa, const void *pb)
{
	const struct event *x = pa, *y = pb;

	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Fold one document's figures into the length-weighted means (NVivo):
 * a statistic undefined because the coders agree on every character
 * counts as 1, as NVivo shows it. */
static void fold_doc(const struct state *s, const double *dstat,
		     double chars, int total_agreement, double *sumv,
		     double *sumw)
{
	for (int k = 0; k < NSTAT; k++) {
		double v = dstat[k];

		if ((k == ST_COHEN || k == ST_SCOTT) && s->ncoders != 2) {
			continue;
		}
		if (isnan(v)) {
			if (!total_agreement) {
				continue;
			}
			v = 1;
		}
		sumv[k] += chars * v;
		sumw[k] += chars;
	}
}

/* Characters: per document, runs of characters coded by the same
 * coders; the row's figures are the documents' weighted by length. */
static void row_chars(struct state *s, struct arow *row,
		      struct agree_acc *pooled, double *counts, double *stat)
{
	double sumv[NSTAT] = { 0 }, sumw[NSTAT] = { 0 }, dstat[NSTAT];
	int *v = xmalloc(s->ncoders * sizeof(int));
	int *cover = xmalloc(s->ncoders * sizeof(int));
	int *runv = xmalloc(s->ncoders * sizeof(int));
	struct event *ev = NULL;
	size_t evcap = 0, i = 0;
	double unmarked = s->total_chars;

	if (row->n) {
		qsort(row->m, row->n, sizeof(*row->m), mark_cmp);
	}
	while (i < row->n) {
		size_t doc = row->m[i].unit, nev = 0;
		long long chars = s->docs[doc].chars, prev = 0;
		long long run_start = -1, run_end = -1;
		double mixed = 0;
		struct agree_acc acc;
		struct agree_stats st;

		unmarked -= (double)chars;
		for (; i < row->n && row->m[i].unit == doc; i++) {
			long long b = row->m[i].start, e = row->m[i].end;

			b = b < 0 ? 0 : b > chars ? chars : b;
			e = e < b ? b : e > chars ? chars : e;
			if (nev + 2 > evcap) {
				evcap = evcap ? 2 * evcap : 64;
				ev = xrealloc(ev, evcap * sizeof(*ev));
			}
			ev[nev++] = (struct event){ b, row->m[i].coder, 1 };
			ev[nev++] = (struct event){ e, row->m[i].coder, -1 };
		}
		qsort(ev, nev, sizeof(*ev), event_cmp);
		agree_acc_init(&acc, s->ncoders, 2);
		for (size_t k = 0; k < s->ncoders; k++) {
			cover[k] = 0;
		}
		for (size_t k = 0; k <= nev;) {
			long long x = k < nev ? ev[k].pos : chars;

			if (x > prev) {
				int c;

				for (size_t j = 0; j < s->ncoders; j++) {
					v[j] = cover[j] > 0;
				}
				agree_acc_add(&acc, v, (double)(x - prev));
				agree_acc_add(pooled, v, (double)(x - prev));
				c = pattern_class(s, v);
				counts[c] += (double)(x - prev);
				if (c != 0 && c != 3) {
					mixed += (double)(x - prev);
				}
				if (s->o->disagreements) {
					int same = run_start >= 0 &&
						   run_end == prev &&
						   memcmp(runv, v,
							  s->ncoders *
							  sizeof(int)) == 0;

					if (run_start >= 0 && !same) {
						put_disagreement(s, row, doc,
							-1, run_start,
							run_end, runv);
						run_start = -1;
					}
					if (c != 0 && c != 3) {
						if (run_start < 0) {
							run_start = prev;
							memcpy(runv, v,
							       s->ncoders *
							       sizeof(int));
						}
						run_end = x;
					}
				}
				prev = x;
			}
			if (k == nev) {
				break;
			}
			for (; k < nev && ev[k].pos == x; k++) {
				cover[ev[k].coder] += ev[k].delta;
			}
		}
		if (run_start >= 0) {
			put_disagreement(s, row, doc, -1, run_start, run_end,
					 runv);
		}
		agree_acc_stats(&acc, AGREE_NOMINAL, NULL, &st);
		stats_array(&st, dstat);
		fold_doc(s, dstat, (double)chars, mixed == 0, sumv, sumw);
		agree_acc_release(&acc);
	}
	/* the documents no coder coded with this code, at once: every
	 * coder agrees on every character */
	if (unmarked > 0) {
		for (size_t k = 0; k < s->ncoders; k++) {
			v[k] = 0;
		}
		for (int k = 0; k < NSTAT; k++) {
			dstat[k] = NAN;
		}
		if (row->n) {
			agree_acc_add(pooled, v, unmarked);
		}
		counts[3] += unmarked;
		fold_doc(s, dstat, unmarked, 1, sumv, sumw);
	}
	for (int k = 0; k < NSTAT; k++) {
		stat[k] = sumw[k] > 0 ? sumv[k] / sumw[k] : NAN;
	}
	free(ev);
	free(v);
	free(cover);
	free(runv);
}

/* ---- spans (--unit span, MAXQDA's segment comparison) ---- */

/* Spans: per document, each coder's segments of the row (codings that
 * share a character joined) are paired one to one by span_pair(), the
 * pairs of largest overlap first, when they overlap by at least
 * --overlap percent of the longer of the two.  counts: 0 agreeing
 * pairs, 1 the first coder's segments left unpaired, 2 the second's. */
static void row_spans(struct state *s, struct arow *row, double *counts,
		      double *stat)
{
	struct span_list sv[2] = { { NULL, 0, 0 }, { NULL, 0, 0 } };
	struct span_pairing sp = { NULL, 0 };
	size_t i = 0;

	if (row->n) {
		qsort(row->m, row->n, sizeof(*row->m), mark_cmp);
	}
	while (i < row->n) {
		size_t doc = row->m[i].unit;
		long long chars = s->docs[doc].chars;

		sv[0].n = sv[1].n = 0;
		for (; i < row->n && row->m[i].unit == doc; i++) {
			long long b = row->m[i].start, e = row->m[i].end;
			size_t c = row->m[i].coder;

			b = b < 0 ? 0 : b > chars ? chars : b;
			e = e < b ? b : e > chars ? chars : e;
			span_list_add(&sv[c], b, e, 0);
		}
		counts[0] += (double)span_pair(&sp, &sv[0], &sv[1],
					       s->o->overlap);
		for (size_t c = 0; c < 2; c++) {
			for (size_t k = 0; k < sv[c].n; k++) {
				counts[1 + c] += sv[c].v[k].mate < 0;
			}
		}
		if (s->o->disagreements) {
			/* the unpaired segments in document order */
			size_t ka = 0, kb = 0;
			int v[2];

			while (ka < sv[0].n || kb < sv[1].n) {
				int takea = kb >= sv[1].n ||
					    (ka < sv[0].n &&
					     sv[0].v[ka].b <= sv[1].v[kb].b);
				const struct span_seg *x =
					takea ? &sv[0].v[ka++]
					      : &sv[1].v[kb++];

				if (x->mate >= 0) {
					continue;
				}
				v[0] = takea;
				v[1] = !takea;
				put_disagreement(s, row, doc, -1, x->b, x->e,
						 v);
			}
		}
	}
	for (int k = 0; k < NSTAT; k++) {
		stat[k] = NAN;
	}
	{
		double units = counts[0] + counts[1] + counts[2];

		stat[ST_PA] = units > 0 ? counts[0] / units : NAN;
	}
	span_pairing_release(&sp);
	free(sv[0].v);
	free(sv[1].v);
}

int agree_project(struct cmd_ctx *ctx, const char *coders,
		  const struct agree_project_opts *o)
{
	struct state s;
	struct report_opts ro;
	struct agree_acc pooled;
	struct agree_stats pst;
	const char *status;
	double *stats, total_units = 0, pcounts[4] = { 0 };
	double mean[NSTAT], pstat[NSTAT];
	size_t nused = 0;

	memset(&s, 0, sizeof(s));
	s.ctx = ctx;
	s.o = o;
	s.text_doc = -1;
	memset(&ro, 0, sizeof(ro));
	ro.question = o->question;
	ro.where = o->where;
	ro.nwhere = o->nwhere;
	ro.status = REPORT_ACCEPTED;
	status = status_cond(&s);
	if (o->overlap_set && o->unit != AGREE_UNIT_SPAN) {
		cli_usage_error(ctx, "--overlap applies to --unit span only");
	}
	s.p = ctx->proj;
	load_coders(&s, coders);
	if (o->unit == AGREE_UNIT_SPAN && s.ncoders != 2) {
		cli_usage_error(ctx, "--unit span compares two coders, not "
				"%zu", s.ncoders);
	}
	report_init(&s.r, s.p, &ro);
	load_rows(&s);
	load_codings(&s, status);
	load_documents(&s);
	load_units(&s);
	s.compact = (o->unit == AGREE_UNIT_DOCUMENT ||
		     o->unit == AGREE_UNIT_SEGMENT) && s.ncoders <= 64;
	load_marks(&s);
	if (!s.ndocs) {
		notice("no document in scope was coded by every one of the "
		       "coders; --all-documents compares every document in "
		       "scope");
	}
	/* the output's columns */
	rows_init(&s.out, "code", "path", "units", NULL);
	if (s.ncoders == 2) {
		char *a = xasprintf("only_%s", s.coder_names[0]);
		char *b = xasprintf("only_%s", s.coder_names[1]);

		rows_add_col(&s.out, "both");
		rows_add_col(&s.out, a);
		rows_add_col(&s.out, b);
		rows_add_col(&s.out, "neither");
		free(a);
		free(b);
	} else {
		rows_add_col(&s.out, "all");
		rows_add_col(&s.out, "some");
		rows_add_col(&s.out, "none");
	}
	rows_add_col(&s.out, "percent_agreement");
	rows_add_col(&s.out, "cohen_kappa");
	rows_add_col(&s.out, "scott_pi");
	rows_add_col(&s.out, "bennett_s");
	rows_add_col(&s.out, "fleiss_kappa");
	rows_add_col(&s.out, "krippendorff_alpha");
	rows_init(&s.dis, "code", "document", "case", "segment", "start",
		  "end", NULL);
	for (size_t i = 0; i < s.ncoders; i++) {
		rows_add_col(&s.dis, s.coder_names[i]);
	}
	rows_add_col(&s.dis, "text");
	for (size_t d = 0; d < s.ndocs; d++) {
		s.total_chars += (double)s.docs[d].chars;
	}
	if (o->unit == AGREE_UNIT_CHARACTER) {
		total_units = s.total_chars;
	} else {
		total_units = (double)s.nunits;
	}
	agree_acc_init(&pooled, s.ncoders, 2);
	stats = xcalloc((s.nrows ? s.nrows : 1) * NSTAT, sizeof(double));
	for (int k = 0; k < NSTAT; k++) {
		mean[k] = 0;
	}
	{
		double nmean[NSTAT] = { 0 };

		for (size_t i = 0; i < s.nrows; i++) {
			struct arow *row = &s.rows[i];
			double counts[4] = { 0 };
			double *st = stats + i * NSTAT;

			if (o->unit == AGREE_UNIT_SPAN) {
				row_spans(&s, row, counts, st);
			} else if (o->unit == AGREE_UNIT_CHARACTER) {
				row_chars(&s, row, &pooled, counts, st);
			} else {
				row_units(&s, row, &pooled, counts, st);
			}
			put_row(&s, s.r.codes[row->code].name,
				s.r.codes[row->code].path,
				o->unit == AGREE_UNIT_SPAN
					? counts[0] + counts[1] + counts[2]
					: total_units,
				counts, st);
			if (!row->n) {
				continue;
			}
			nused++;
			for (int k = 0; k < 4; k++) {
				pcounts[k] += counts[k];
			}
			for (int k = 0; k < NSTAT; k++) {
				if (!isnan(st[k])) {
					mean[k] += st[k];
					nmean[k]++;
				}
			}
		}
		for (int k = 0; k < NSTAT; k++) {
			mean[k] = nmean[k] ? mean[k] / nmean[k] : NAN;
		}
	}
	agree_acc_stats(&pooled, AGREE_NOMINAL, NULL, &pst);
	stats_array(&pst, pstat);
	if (o->unit == AGREE_UNIT_SPAN) {
		double n = pcounts[0] + pcounts[1] + pcounts[2];

		for (int k = 0; k < NSTAT; k++) {
			pstat[k] = NAN;
		}
		pstat[ST_PA] = n > 0 ? pcounts[0] / n : NAN;
		total_units = n;
		nused = 1;
	}
	put_row(&s, "(pooled)", NULL, total_units * (double)nused, pcounts,
		pstat);
	put_row(&s, "(mean)", NULL, 0, NULL, mean);
	if (o->disagreements) {
		rows_write(&s.dis, ctx->format, stdout, 0);
	} else {
		rows_write(&s.out, ctx->format, stdout, 0);
	}
	/* release */
	free(stats);
	agree_acc_release(&pooled);
	rows_release(&s.out);
	rows_release(&s.dis);
	for (size_t i = 0; i < s.nrows; i++) {
		free(s.rows[i].m);
		free(s.rows[i].cm);
	}
	free(s.rows);
	for (size_t d = 0; d < s.ndocs; d++) {
		free(s.docs[d].name);
		free(s.docs[d].case_name);
	}
	free(s.docs);
	free(s.raw);
	free(s.doc_index);
	free(s.units);
	free(s.doc_first_unit);
	free(s.doc_nunits);
	free(s.umask);
	free(s.touched);
	if (s.text) {
		offmap_release(&s.map);
		free(s.text);
	}
	free_strv(s.coder_names);
	free(s.coder_ids);
	report_release(&s.r);
	return QC_OK;
}
