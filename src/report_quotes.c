/*
 * report_quotes.c - quote books: the coded passages of each code in
 * scope, in codebook order, then by case, document and position, with
 * their text and an attribution built from case attributes.
 *
 * Only the codings of the codes asked for are read (through the index
 * on codings.code_id), and each document's text is read once, however
 * many passages it holds.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "speaker.h"
#include "text.h"
#include "util.h"

/* Placeholders every quote has, besides the project's attributes. */
static const char *const builtins[] = {
	"case", "document", "question", "speaker", "coder", "segment", "time",
};
#define NBUILTINS (sizeof(builtins) / sizeof(builtins[0]))

/* The index of a built-in placeholder NAME, or -1. */
static int builtin_index(const char *name)
{
	for (size_t i = 0; i < NBUILTINS; i++) {
		if (strcmp(name, builtins[i]) == 0) {
			return (int)i;
		}
	}
	return -1;
}

const char *report_time(long long ms, char *buf, size_t bufsz)
{
	long long s = ms / 1000;

	if (ms < 0) {
		buf[0] = '\0';
	} else if (ms % 1000) {
		snprintf(buf, bufsz, "%02lld:%02lld:%02lld.%03lld", s / 3600,
			 s / 60 % 60, s % 60, ms % 1000);
	} else {
		snprintf(buf, bufsz, "%02lld:%02lld:%02lld", s / 3600,
			 s / 60 % 60, s % 60);
	}
	return buf;
}

/*
 * Walk TMPL: literal text goes to LIT(ctx, s, n), each {name} to
 * VAR(ctx, name).  "{{" and "}}" are literal braces.  Returns 0, or -1
 * at an unclosed '{' (nothing more is called).
 */
static int tmpl_walk(const char *tmpl, void *ctx,
		     void (*lit)(void *, const char *, size_t),
		     void (*var)(void *, const char *))
{
	const char *s = tmpl;

	while (*s) {
		const char *close;
		char *name;

		if ((s[0] == '{' && s[1] == '{') ||
		    (s[0] == '}' && s[1] == '}')) {
			lit(ctx, s, 1);
			s += 2;
			continue;
		}
		if (*s != '{') {
			size_t n = strcspn(s, "{}");

			if (n == 0) {
				n = 1; /* a lone '}' */
			}
			lit(ctx, s, n);
			s += n;
			continue;
		}
		close = strchr(s + 1, '}');
		if (!close) {
			return -1;
		}
		name = xstrndup(s + 1, (size_t)(close - s - 1));
		var(ctx, name);
		free(name);
		s = close + 1;
	}
	return 0;
}

struct check_ctx {
	struct project *p;
	const char *tmpl;
};

/* Checking a template: literal text needs nothing. */
static void check_lit(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
}

/* Checking a template: NAME must be a built-in or an attribute. */
static void check_var(void *vctx, const char *name)
{
	struct check_ctx *c = vctx;
	struct strbuf known = STRBUF_INIT;
	sqlite3_stmt *st;
	char *msg;

	if (builtin_index(name) >= 0 ||
	    db_int(c->p, 0, "SELECT id FROM attributes WHERE name = %Q",
		   name)) {
		return;
	}
	for (size_t i = 0; i < NBUILTINS; i++) {
		sb_addf(&known, "%s%s", i ? ", " : "", builtins[i]);
	}
	st = db_prepare(c->p, "SELECT name FROM attributes ORDER BY name");
	while (db_step(c->p, st)) {
		sb_addf(&known, ", %s", db_col_text(st, 0));
	}
	sqlite3_finalize(st);
	msg = xasprintf("unknown placeholder '{%s}' in --attribution "
			"(known: %s)", name, sb_str(&known));
	sb_release(&known);
	die(QC_USAGE, "%s", msg);
}

void report_check_attribution(struct project *p, const char *tmpl)
{
	struct check_ctx c = { p, tmpl };

	if (tmpl_walk(tmpl, &c, check_lit, check_var) < 0) {
		die(QC_USAGE, "unclosed '{' in --attribution '%s'", tmpl);
	}
}

/* Expanding a template for one quote. */
struct expand_ctx {
	struct strbuf sb;
	const struct report_quote *q;
	sqlite3_stmt *case_attr, *doc_attr;
	struct project *p;
};

/* Expanding a template: copy literal text. */
static void expand_lit(void *vctx, const char *s, size_t n)
{
	struct expand_ctx *e = vctx;

	sb_add(&e->sb, s, n);
}

/* Expanding a template: the value of NAME for the quote (empty when
 * unknown for it). */
static void expand_var(void *vctx, const char *name)
{
	struct expand_ctx *e = vctx;
	const struct report_quote *q = e->q;
	char buf[32];

	switch (builtin_index(name)) {
	case 0:
		sb_adds(&e->sb, q->case_name);
		return;
	case 1:
		sb_adds(&e->sb, q->doc_name);
		return;
	case 2:
		sb_adds(&e->sb, q->question ? q->question : "");
		return;
	case 3:
		sb_adds(&e->sb, q->speaker ? q->speaker : "");
		return;
	case 4:
		sb_adds(&e->sb, q->coder);
		return;
	case 5:
		if (q->seg_idx >= 0) {
			sb_addf(&e->sb, "%lld", q->seg_idx);
		}
		return;
	case 6:
		sb_adds(&e->sb, report_time(q->time_ms, buf, sizeof(buf)));
		return;
	default:
		break;
	}
	/* An attribute of the case, else of the document. */
	if (q->case_id) {
		sqlite3_bind_int64(e->case_attr, 1, q->case_id);
		db_bind_text(e->p, e->case_attr, 2, name);
		if (db_step(e->p, e->case_attr)) {
			sb_adds(&e->sb, db_col_text(e->case_attr, 0));
			sqlite3_reset(e->case_attr);
			return;
		}
		sqlite3_reset(e->case_attr);
	}
	sqlite3_bind_int64(e->doc_attr, 1, q->doc_id);
	db_bind_text(e->p, e->doc_attr, 2, name);
	if (db_step(e->p, e->doc_attr)) {
		sb_adds(&e->sb, db_col_text(e->doc_attr, 0));
	}
	sqlite3_reset(e->doc_attr);
}

/* An attribution without the separators an empty value leaves at its
 * ends (", government" becomes "government"); returns S. */
static char *tidy(char *s)
{
	static const char sep[] = " ,;:-/|";
	size_t n = strlen(s), a = 0;

	while (a < n && strchr(sep, s[a])) {
		a++;
	}
	while (n > a && strchr(sep, s[n - 1])) {
		n--;
	}
	memmove(s, s + a, n - a);
	s[n - a] = '\0';
	return s;
}

/* The SQL condition on c.status for the mask. */
static const char *status_sql(unsigned mask)
{
	switch (mask & (REPORT_ACCEPTED | REPORT_SUGGESTED)) {
	case REPORT_SUGGESTED:
		return "c.status = 'suggested'";
	case REPORT_ACCEPTED | REPORT_SUGGESTED:
		return "c.status IN ('accepted', 'suggested')";
	default:
		return "c.status = 'accepted'";
	}
}

/* Column I as a new string, or NULL for SQL NULL; caller frees. */
/* A passage before its details are read: what ordering needs. */
struct pick {
	long long id, doc, start, end, seg;
	long long case_id;
	long long from, to; /* the quoted text (--context segment) */
};

/* qsort: passages by case (none last), document, start of the quoted
 * text (with --context segment, where the run of segments begins, so
 * that a run's passages are neighbours), start, end, id. */
static int cmp_pick(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	/* Cases in their order, documents without a case last. */
	if ((x->case_id == 0) != (y->case_id == 0)) {
		return x->case_id == 0 ? 1 : -1;
	}
	if (x->case_id != y->case_id) {
		return x->case_id < y->case_id ? -1 : 1;
	}
	if (x->doc != y->doc) {
		return x->doc < y->doc ? -1 : 1;
	}
	if (x->from != y->from) {
		return x->from < y->from ? -1 : 1;
	}
	if (x->start != y->start) {
		return x->start < y->start ? -1 : 1;
	}
	if (x->end != y->end) {
		return x->end < y->end ? -1 : 1;
	}
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Statements that read a kept passage's details. */
struct detail_stmts {
	sqlite3_stmt *doc, *seg, *coder;
	sqlite3_stmt *span; /* a segment's idx, start, end */
	sqlite3_stmt *next; /* the segments after one, in order */
};

/* With --context segment: the text P quotes, every segment the coding
 * overlaps, from the start of the first (its segment: a coding starting
 * in a speaker's label belongs to the turn after it) to the end of the
 * last; not the text between turns it may end in.  A coding in no
 * segment quotes its document when that has no segments (LLONG_MAX: to
 * its end), else (text outside every turn) its own words. */
static void segment_span(struct report *r, struct detail_stmts *ds,
			 struct pick *pk)
{
	long long idx;

	if (pk->seg <= 0) {
		/* In no segment: the whole document when it has none, else
		 * (text outside every turn) the coding's own words. */
		if (!db_int(r->p, 0, "SELECT EXISTS(SELECT 1 FROM segments "
				     "WHERE doc_id = %lld)", pk->doc)) {
			pk->from = 0;
			pk->to = LLONG_MAX;
		}
		return;
	}
	pk->from = 0;
	pk->to = LLONG_MAX;
	sqlite3_bind_int64(ds->span, 1, pk->seg);
	if (!db_step(r->p, ds->span)) {
		sqlite3_reset(ds->span);
		return;
	}
	idx = sqlite3_column_int64(ds->span, 0);
	pk->from = sqlite3_column_int64(ds->span, 1);
	pk->to = sqlite3_column_int64(ds->span, 2);
	sqlite3_reset(ds->span);
	if (pk->end > pk->to) {
		/* The turns it runs into: those starting before its end. */
		sqlite3_bind_int64(ds->next, 1, pk->doc);
		sqlite3_bind_int64(ds->next, 2, idx);
		while (db_step(r->p, ds->next) &&
		       sqlite3_column_int64(ds->next, 0) < pk->end) {
			long long e = sqlite3_column_int64(ds->next, 1);

			pk->to = e > pk->to ? e : pk->to;
		}
		sqlite3_reset(ds->next);
	}
}

/* Read the passages of code CI: their place from the codings index,
 * ordered and cut to the limit in memory (with CONTEXT_SEGMENT, one per
 * run of segments: codings whose segments overlap are one passage, the
 * first one's), then the details of those kept. */
static void collect_code(struct report *r, sqlite3_stmt *st,
			 struct detail_stmts *ds, size_t ci, long long limit,
			 int context_segment, struct report_quotes *out,
			 size_t *cap)
{
	struct pick *pk = NULL;
	size_t n = 0, pcap = 0, keep;

	sqlite3_bind_int64(st, 1, r->codes[ci].id);
	while (db_step(r->p, st)) {
		long long doc = sqlite3_column_int64(st, 1);

		if (doc <= 0 || doc > r->maxdoc || r->doc_unit[doc] < 0) {
			continue;
		}
		if (n == pcap) {
			pcap = pcap ? pcap * 2 : 64;
			pk = xrealloc(pk, pcap * sizeof(*pk));
		}
		pk[n].id = sqlite3_column_int64(st, 0);
		pk[n].doc = doc;
		pk[n].start = sqlite3_column_int64(st, 2);
		pk[n].end = sqlite3_column_int64(st, 3);
		pk[n].seg = sqlite3_column_int64(st, 4);
		pk[n].case_id = r->doc_case[doc];
		pk[n].from = pk[n].start;
		pk[n].to = pk[n].end;
		n++;
	}
	sqlite3_reset(st);
	if (context_segment) {
		for (size_t k = 0; k < n; k++) {
			segment_span(r, ds, &pk[k]);
		}
	}
	if (n) {
		qsort(pk, n, sizeof(*pk), cmp_pick);
	}
	if (context_segment && n) {
		/* One passage per run of overlapping segments (per document
		 * when none): the codings of one segment are neighbours in
		 * this order, and so are those running into it. */
		size_t w = 1;

		for (size_t k = 1; k < n; k++) {
			struct pick *last = &pk[w - 1];

			if (pk[k].doc != last->doc || pk[k].from >= last->to) {
				pk[w++] = pk[k];
			} else if (pk[k].to > last->to) {
				last->to = pk[k].to;
			}
		}
		n = w;
	}
	out->total[ci] = (long long)n;
	keep = limit && (size_t)limit < n ? (size_t)limit : n;
	for (size_t k = 0; k < keep; k++) {
		struct report_quote *q;

		if (out->n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			out->q = xrealloc(out->q, *cap * sizeof(*out->q));
		}
		q = &out->q[out->n++];
		memset(q, 0, sizeof(*q));
		q->code = ci;
		q->coding_id = pk[k].id;
		q->doc_id = pk[k].doc;
		q->case_id = pk[k].case_id;
		q->start = pk[k].start;
		q->end = pk[k].end;
		q->from = pk[k].from;
		q->to = pk[k].to;
		q->seg_idx = -1;
		q->time_ms = -1;
		/* The document, its case and question. */
		sqlite3_bind_int64(ds->doc, 1, q->doc_id);
		db_step(r->p, ds->doc);
		q->doc_name = xstrdup(db_col_text(ds->doc, 0));
		q->question = db_col_dup(ds->doc, 1);
		q->case_name = xstrdup(q->case_id ? db_col_text(ds->doc, 2)
						  : q->doc_name);
		sqlite3_reset(ds->doc);
		/* The segment. */
		if (pk[k].seg > 0) {
			sqlite3_bind_int64(ds->seg, 1, pk[k].seg);
			if (db_step(r->p, ds->seg)) {
				q->seg_idx = sqlite3_column_int64(ds->seg, 0);
				q->speaker = db_col_dup(ds->seg, 1);
				if (sqlite3_column_type(ds->seg, 2) !=
				    SQLITE_NULL) {
					q->time_ms = sqlite3_column_int64(
						ds->seg, 2);
				}
			}
			sqlite3_reset(ds->seg);
		}
		sqlite3_bind_int64(ds->coder, 1, q->coding_id);
		db_step(r->p, ds->coder);
		q->coder = xstrdup(db_col_text(ds->coder, 0));
		sqlite3_reset(ds->coder);
	}
	free(pk);
}

static const struct report_quotes *sort_qs;

/* qsort: quote indices by document, then their order. */
static int cmp_by_doc(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	long long dx = sort_qs->q[x].doc_id, dy = sort_qs->q[y].doc_id;

	if (dx != dy) {
		return dx < dy ? -1 : 1;
	}
	return x < y ? -1 : x > y;
}

/* V limited to [LO, HI]. */
static long long clamp(long long v, long long lo, long long hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Fill every quote's text, reading each document once. */
static void fill_texts(struct report *r, struct report_quotes *out)
{
	size_t *ord = xmalloc((out->n ? out->n : 1) * sizeof(size_t));
	sqlite3_stmt *st = db_prepare(r->p, "SELECT text FROM documents "
					    "WHERE id = ?");
	struct offmap m;
	long long cur = 0;
	int have = 0;

	for (size_t i = 0; i < out->n; i++) {
		ord[i] = i;
	}
	sort_qs = out;
	if (out->n) {
		qsort(ord, out->n, sizeof(size_t), cmp_by_doc);
	}
	sort_qs = NULL;
	for (size_t k = 0; k < out->n; k++) {
		struct report_quote *q = &out->q[ord[k]];
		long long a = q->from, b = q->to, chars;
		size_t b0, b1;

		if (!have || q->doc_id != cur) {
			if (have) {
				offmap_release(&m);
			}
			sqlite3_bind_int64(st, 1, q->doc_id);
			db_step(r->p, st);
			offmap_init(&m, db_col_text(st, 0),
				    (size_t)sqlite3_column_bytes(st, 0));
			cur = q->doc_id;
			have = 1;
		}
		chars = (long long)m.chars;
		a = clamp(a, 0, chars);
		b = clamp(b, a, chars);
		b0 = offmap_byte(&m, (size_t)a);
		b1 = offmap_byte(&m, (size_t)b);
		q->text = xstrndup(m.text + b0, b1 - b0);
		/* The next quote may be of another document: the text the
		 * map points into lives in the statement until reset. */
		if (k + 1 == out->n || out->q[ord[k + 1]].doc_id != cur) {
			offmap_release(&m);
			sqlite3_reset(st);
			have = 0;
		}
	}
	sqlite3_finalize(st);
	free(ord);
}

void report_select_show(struct report *r)
{
	free(r->show);
	r->show = xmalloc((r->ncodes ? r->ncodes : 1) * sizeof(size_t));
	r->nshow = 0;
	for (size_t i = 0; i < r->ncodes; i++) {
		if (r->codes[i].selected) {
			r->show[r->nshow++] = i;
		}
	}
}

void report_quotes(struct report *r, const struct report_quote_opts *qo,
		   struct report_quotes *out)
{
	char *sql;
	sqlite3_stmt *st;
	size_t cap = 0;
	struct expand_ctx e;
	const char *tmpl = qo->attribution ? qo->attribution : "{case}";
	struct detail_stmts ds;
	char *shown;

	memset(out, 0, sizeof(*out));
	out->total = xcalloc(r->ncodes + 1, sizeof(long long));
	/* Covered by the index codings_code: no table row is read. */
	sql = xasprintf("SELECT c.id, c.doc_id, c.start, c.end, "
			"c.segment_id FROM codings c WHERE c.code_id = ? AND "
			"%s%s", status_sql(r->o->status),
			r->coder_id ? " AND c.coder_id = ?" : "");
	st = db_prepare(r->p, sql);
	free(sql);
	if (r->coder_id) {
		sqlite3_bind_int64(st, 2, r->coder_id);
	}
	ds.doc = db_prepare(r->p, "SELECT d.name, d.question, cs.name FROM "
				  "documents d LEFT JOIN cases cs ON cs.id = "
				  "d.case_id WHERE d.id = ?");
	ds.seg = db_prepare(r->p, "SELECT idx, "
				  SPEAKER_NAME_SQL("segments.speaker") ", time_start "
				  "FROM segments WHERE id = ?");
	ds.span = db_prepare(r->p, "SELECT idx, start, end FROM segments "
				   "WHERE id = ?");
	ds.next = db_prepare(r->p, "SELECT start, end FROM segments WHERE "
				   "doc_id = ? AND idx > ? ORDER BY idx");
	ds.coder = db_prepare(r->p, "SELECT co.name FROM codings c JOIN "
				    "coders co ON co.id = c.coder_id WHERE "
				    "c.id = ?");
	/* Codebook order whatever the display order of a count. */
	shown = xcalloc(r->ncodes + 1, 1);
	for (size_t k = 0; k < r->nshow; k++) {
		shown[r->show[k]] = 1;
	}
	for (size_t i = 0; i < r->ncodes; i++) {
		if (shown[i]) {
			collect_code(r, st, &ds, i, qo->limit,
				     qo->context_segment, out, &cap);
		}
	}
	free(shown);
	sqlite3_finalize(ds.doc);
	sqlite3_finalize(ds.seg);
	sqlite3_finalize(ds.coder);
	sqlite3_finalize(ds.span);
	sqlite3_finalize(ds.next);
	sqlite3_finalize(st);
	fill_texts(r, out);
	memset(&e, 0, sizeof(e));
	e.p = r->p;
	e.case_attr = db_prepare(r->p, "SELECT x.value FROM case_attributes "
				       "x JOIN attributes a ON a.id = "
				       "x.attr_id WHERE x.case_id = ? AND "
				       "a.name = ?");
	e.doc_attr = db_prepare(r->p, "SELECT x.value FROM "
				      "document_attributes x JOIN attributes "
				      "a ON a.id = x.attr_id WHERE x.doc_id "
				      "= ? AND a.name = ?");
	for (size_t i = 0; i < out->n; i++) {
		e.q = &out->q[i];
		sb_init(&e.sb);
		if (tmpl_walk(tmpl, &e, expand_lit, expand_var) < 0) {
			sb_release(&e.sb);
			die(QC_USAGE, "unclosed '{' in --attribution '%s'",
			    tmpl);
		}
		out->q[i].attribution = tidy(sb_detach(&e.sb, NULL));
	}
	sqlite3_finalize(e.case_attr);
	sqlite3_finalize(e.doc_attr);
}

void report_quotes_release(struct report_quotes *qs)
{
	for (size_t i = 0; i < qs->n; i++) {
		struct report_quote *q = &qs->q[i];

		free(q->case_name);
		free(q->doc_name);
		free(q->question);
		free(q->speaker);
		free(q->coder);
		free(q->text);
		free(q->attribution);
	}
	free(qs->q);
	free(qs->total);
	memset(qs, 0, sizeof(*qs));
}
