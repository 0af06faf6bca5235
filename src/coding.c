/*
 * coding.c - codes, coders and codings shared by every writer.
 */
#include "coding.h"

#include <stdlib.h>
#include <string.h>

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

long long coding_insert(struct project *p, const struct coding *c)
{
	static const char ins_sql[] =
		"INSERT INTO codings(doc_id, code_id, coder_id, segment_id, "
		"start, end, origin, rule, status, memo, guid) "
		"VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char chars_sql[] =
		"SELECT chars FROM documents WHERE id = ?";
	sqlite3_stmt *st = db_cached(p, chars_sql);
	long long chars = -1;
	long long seg = c->segment_id;

	sqlite3_bind_int64(st, 1, c->doc_id);
	if (db_step(p, st)) {
		chars = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (chars < 0) {
		die(QC_NOTFOUND, "no document with id %lld", c->doc_id);
	}
	if (c->start < 0 || c->end < c->start || c->end > chars) {
		die(QC_INPUT, "coding %lld-%lld falls outside its document "
			      "(%lld characters)",
		    c->start, c->end, chars);
	}
	if (!seg) {
		seg = segment_of_span(p, c->doc_id, c->start);
	}
	st = db_cached(p, ins_sql);
	sqlite3_bind_int64(st, 1, c->doc_id);
	sqlite3_bind_int64(st, 2, c->code_id);
	sqlite3_bind_int64(st, 3, c->coder_id);
	if (seg) {
		sqlite3_bind_int64(st, 4, seg);
	}
	sqlite3_bind_int64(st, 5, c->start);
	sqlite3_bind_int64(st, 6, c->end);
	db_bind_text(p, st, 7, c->origin);
	db_bind_text(p, st, 8, c->rule);
	db_bind_text(p, st, 9, c->status);
	db_bind_text(p, st, 10, c->memo);
	db_bind_text(p, st, 11, c->guid);
	db_run(p, st);
	return sqlite3_last_insert_rowid(p->db);
}

int coding_exists(struct project *p, long long doc, long long code,
		  long long start, long long end)
{
	return db_int(p, 0,
		      "SELECT 1 FROM codings WHERE doc_id = %lld AND code_id "
		      "= %lld AND start = %lld AND end = %lld LIMIT 1",
		      doc, code, start, end) != 0;
}
