/*
 * coding.c - codes, coders and codings shared by every writer.
 */
#include "coding.h"

#include <stdlib.h>
#include <string.h>

#include "codebook.h"
#include "util.h"

long long coder_get(struct project *p, const char *name)
{
	long long id = db_int(p, 0, "SELECT id FROM coders WHERE name = %Q",
			      name);
	sqlite3_stmt *st;

	if (id) {
		return id;
	}
	st = db_prepare(p, "INSERT INTO coders(name) VALUES(?)");
	db_bind_text(p, st, 1, name);
	db_run(p, st);
	sqlite3_finalize(st);
	return sqlite3_last_insert_rowid(p->db);
}

long long code_get_or_create(struct project *p, const char *path)
{
	long long id = db_int(p, 0, "SELECT id FROM codes WHERE path = %Q",
			      path);
	const char *slash = strrchr(path, '/');
	long long parent = 0;
	sqlite3_stmt *st;

	if (id) {
		return id;
	}
	{
		char *why = NULL;

		/* die() exits: WHY is reclaimed with the process. */
		if (cb_check_name(slash ? slash + 1 : path, &why) != 0) {
			die(QC_USAGE, "%s", why);
		}
	}
	if (slash) {
		char *ppath = xstrndup(path, (size_t)(slash - path));

		parent = code_get_or_create(p, ppath);
		free(ppath);
	}
	st = db_prepare(p, "INSERT INTO codes(parent_id, name, path, ord) "
			   "VALUES(?, ?, ?, (SELECT coalesce(max(ord), 0) + 1 "
			   "FROM codes))");
	if (parent) {
		sqlite3_bind_int64(st, 1, parent);
	}
	db_bind_text(p, st, 2, slash ? slash + 1 : path);
	db_bind_text(p, st, 3, path);
	db_run(p, st);
	sqlite3_finalize(st);
	return sqlite3_last_insert_rowid(p->db);
}

/* Step ST (bound by the caller) for one integer; 0 when no row. */
static long long first_id(struct project *p, sqlite3_stmt *st)
{
	long long id = 0;

	if (db_step(p, st)) {
		id = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return id;
}

long long segment_of_span(struct project *p, long long doc, long long start)
{
	static const char sql[] =
		"SELECT id FROM segments WHERE doc_id = ? AND end > ? "
		"ORDER BY start, idx LIMIT 1";
	sqlite3_stmt *st = db_cached(p, sql);

	sqlite3_bind_int64(st, 1, doc);
	sqlite3_bind_int64(st, 2, start);
	return first_id(p, st);
}

/* The columns of a coding, in the order bind_coding() binds them. */
#define CODING_INTO \
	"INTO codings(doc_id, code_id, coder_id, segment_id, start, " \
	"end, origin, rule, status, memo, guid) VALUES"
#define CODING_COLS "INSERT " CODING_INTO
#define CODING_NCOLS 11

/* One coding (db_cached() knows a statement by its text's address). */
static const char insert_one_sql[] =
	CODING_COLS " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* Check C's span against its document and settle its segment: the one
 * rule every way in shares.  LAST_DOC and LAST_CHARS (or NULL) cache
 * the length of the document checked last. */
static long long checked_segment(struct project *p, const struct coding *c,
				 long long *last_doc, long long *last_chars)
{
	long long chars = -1;

	if (last_doc && *last_doc == c->doc_id) {
		chars = *last_chars;
	} else {
		sqlite3_stmt *st = db_cached(
			p, "SELECT chars FROM documents WHERE id = ?");

		sqlite3_bind_int64(st, 1, c->doc_id);
		if (db_step(p, st)) {
			chars = sqlite3_column_int64(st, 0);
		}
		sqlite3_reset(st);
		if (chars < 0) {
			die(QC_NOTFOUND, "no document with id %lld",
			    c->doc_id);
		}
		if (last_doc) {
			*last_doc = c->doc_id;
			*last_chars = chars;
		}
	}
	if (c->start < 0 || c->end < c->start || c->end > chars) {
		die(QC_INPUT, "coding %lld-%lld falls outside its document "
			      "(%lld characters)",
		    c->start, c->end, chars);
	}
	return c->segment_id ? c->segment_id
			     : segment_of_span(p, c->doc_id, c->start);
}

/* Bind C (segment SEG) to ST's parameters FIRST.. (CODING_NCOLS of them).
 * Texts are bound static: they must live until ST has run. */
static void bind_coding(sqlite3_stmt *st, int first, const struct coding *c,
			long long seg)
{
	const char *texts[] = {c->origin, c->rule, c->status, c->memo,
			       c->guid};

	sqlite3_bind_int64(st, first, c->doc_id);
	sqlite3_bind_int64(st, first + 1, c->code_id);
	sqlite3_bind_int64(st, first + 2, c->coder_id);
	if (seg) {
		sqlite3_bind_int64(st, first + 3, seg);
	} else {
		sqlite3_bind_null(st, first + 3);
	}
	sqlite3_bind_int64(st, first + 4, c->start);
	sqlite3_bind_int64(st, first + 5, c->end);
	for (int i = 0; i < 5; i++) {
		if (texts[i]) {
			sqlite3_bind_text(st, first + 6 + i, texts[i], -1,
					  SQLITE_STATIC);
		} else {
			sqlite3_bind_null(st, first + 6 + i);
		}
	}
}

/* The INSERT of N codings. */
static char *insert_sql(size_t n)
{
	struct strbuf sql = STRBUF_INIT;

	/* OR FAIL: a statement that breaks a constraint stops there, its
	 * rows before kept (the caller dies, rolling the transaction
	 * back).  The default, ABORT, made SQLite copy every page the
	 * statement changed into a statement journal first, to undo the
	 * statement alone: a 4 KiB write per index page per statement. */
	sb_adds(&sql, "INSERT OR FAIL " CODING_INTO);
	for (size_t i = 0; i < n; i++) {
		sb_adds(&sql, i ? ", (?" : " (?");
		for (int k = 1; k < CODING_NCOLS; k++) {
			sb_adds(&sql, ", ?");
		}
		sb_adds(&sql, ")");
	}
	return sb_detach(&sql, NULL);
}

long long coding_insert(struct project *p, const struct coding *c)
{
	long long seg = checked_segment(p, c, NULL, NULL);
	sqlite3_stmt *st = db_cached(p, insert_one_sql);

	bind_coding(st, 1, c, seg);
	db_run(p, st);
	return sqlite3_last_insert_rowid(p->db);
}

/* The writer checks what the table's CHECK constraints would: the span
 * (checked_segment()) and here origin and status.  By content, every
 * coding (a caller may reuse a buffer): two short compares, against the
 * 870 instructions SQLite's CHECKs cost a row. */
static int one_of(const char *s, const char *a, const char *b,
		  const char *c)
{
	return s && (strcmp(s, a) == 0 || strcmp(s, b) == 0 ||
		     strcmp(s, c) == 0);
}

static void check_kinds(const struct coding *c)
{
	if (!one_of(c->origin, "auto", "manual", "imported")) {
		die(QC_INPUT, "a coding's origin must be manual, imported or "
			      "auto, not '%s'", c->origin ? c->origin : "");
	}
	if (!one_of(c->status, "suggested", "accepted", "rejected")) {
		die(QC_INPUT, "a coding's status must be accepted, suggested "
			      "or rejected, not '%s'",
		    c->status ? c->status : "");
	}
}

void coding_writer_init(struct coding_writer *w, struct project *p)
{
	memset(w, 0, sizeof(*w));
	w->p = p;
	/* SQLite's evaluation of the codings table's CHECK constraints
	 * cost 870 instructions a row (12% of an insert); the writer makes
	 * the same checks itself, cheaper (check_kinds(),
	 * checked_segment()).  The pragma holds for the connection until
	 * release(); setting it expires prepared statements, which SQLite
	 * prepares again when they next start. */
	db_exec(p, "PRAGMA ignore_check_constraints=ON");
}

void coding_writer_doc(struct coding_writer *w, long long doc,
		       long long chars)
{
	w->last_doc = doc;
	w->last_chars = chars;
}

void coding_writer_add(struct coding_writer *w, const struct coding *c)
{
	check_kinds(c);
	w->seg[w->n] = checked_segment(w->p, c, &w->last_doc,
				       &w->last_chars);
	w->pend[w->n++] = *c;
	if (w->n == CODING_BATCH) {
		coding_writer_flush(w);
	}
}

/* Bind the batch statement's row I to w->pend[I] where it differs from
 * what the row held in the last batch.  A text is compared by its
 * address: bound static, SQLite reads it when the statement runs, so
 * the same address is the same binding whatever it holds by then. */
static void rebind_coding(struct coding_writer *w, size_t i)
{
	const struct coding *c = &w->pend[i];
	const long long ints[6] = {c->doc_id, c->code_id, c->coder_id,
				   w->seg[i], c->start, c->end};
	const char *texts[5] = {c->origin, c->rule, c->status, c->memo,
				c->guid};
	int first = 1 + CODING_NCOLS * (int)i;

	for (int k = 0; k < 6; k++) {
		if (w->bound && w->bint[i][k] == ints[k]) {
			continue;
		}
		w->bint[i][k] = ints[k];
		if (k == 3 && !ints[k]) {
			sqlite3_bind_null(w->batch, first + k);
		} else {
			sqlite3_bind_int64(w->batch, first + k, ints[k]);
		}
	}
	for (int k = 0; k < 5; k++) {
		if (w->bound && w->btext[i][k] == texts[k]) {
			continue;
		}
		w->btext[i][k] = texts[k];
		if (texts[k]) {
			sqlite3_bind_text(w->batch, first + 6 + k, texts[k], -1,
					  SQLITE_STATIC);
		} else {
			sqlite3_bind_null(w->batch, first + 6 + k);
		}
	}
}

void coding_writer_flush(struct coding_writer *w)
{
	if (w->n == CODING_BATCH) {
		if (!w->batch) {
			char *sql = insert_sql(CODING_BATCH);

			w->batch = db_prepare(w->p, sql);
			free(sql);
		}
		for (size_t i = 0; i < w->n; i++) {
			rebind_coding(w, i);
		}
		w->bound = 1;
		/* No sqlite3_clear_bindings(): the next batch binds over. */
		while (db_step(w->p, w->batch)) {
			;
		}
		sqlite3_reset(w->batch);
	} else {
		sqlite3_stmt *st = db_cached(w->p, insert_one_sql);

		for (size_t i = 0; i < w->n; i++) {
			bind_coding(st, 1, &w->pend[i], w->seg[i]);
			db_run(w->p, st);
		}
	}
	w->n = 0;
}

void coding_writer_release(struct coding_writer *w)
{
	sqlite3_finalize(w->batch);
	if (w->p) {
		db_exec(w->p, "PRAGMA ignore_check_constraints=OFF");
	}
	memset(w, 0, sizeof(*w));
}

int coding_exists(struct project *p, long long doc, long long code,
		  long long start, long long end)
{
	return db_int(p, 0,
		      "SELECT 1 FROM codings WHERE doc_id = %lld AND code_id "
		      "= %lld AND start = %lld AND end = %lld LIMIT 1",
		      doc, code, start, end) != 0;
}
