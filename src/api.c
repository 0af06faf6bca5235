/*
 * api.c - the web workspace's HTTP interface: each route calls what the
 * command of the same name calls and writes its rows with the JSON
 * writer; each write is one transaction with one history entry, as the
 * command's is.  Request bodies are read with SQLite's JSON functions.
 *
 * Inputs are checked here before any module sees them, so that a bad
 * request gets a 4xx reply instead of reaching die() (which serve.c
 * catches all the same, as a 500).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "coding.h"
#include "listing.h"
#include "lookup.h"
#include "out_quotes.h"
#include "report.h"
#include "report_cli.h"
#include "serve.h"
#include "text.h"

int api_error(struct strbuf *out, int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	mem = open_memstream(&buf, &len);
	if (!mem) {
		die(QC_INTERNAL, "out of memory");
	}
	fputs("{\"error\": ", mem);
	json_put_str(mem, msg);
	fputs("}\n", mem);
	fclose(mem);
	sb_reset(out);
	sb_add(out, buf, len);
	free(buf);
	return status;
}

/* ---- writing JSON ---- */

FILE *api_open(char **buf, size_t *len)
{
	FILE *mem = open_memstream(buf, len);

	if (!mem) {
		die(QC_INTERNAL, "out of memory");
	}
	return mem;
}

void api_close(FILE *mem, char **buf, size_t *len, struct strbuf *out)
{
	fclose(mem);
	sb_add(out, *buf, *len);
	free(*buf);
	*buf = NULL;
}

void api_put_rows(FILE *mem, const struct rows *r, unsigned flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m2 = api_open(&buf, &len);

	out_json(r, m2, flags);
	fclose(m2);
	while (len > 0 && buf[len - 1] == '\n') {
		len--;
	}
	fwrite(buf, 1, len, mem);
	free(buf);
}

/* Write R as a JSON reply to OUT; returns STATUS. */
static int reply_rows(struct strbuf *out, const struct rows *r,
		      unsigned flags, int status)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = api_open(&buf, &len);

	out_json(r, mem, flags);
	api_close(mem, &buf, &len, out);
	return status;
}

/* Copy row I of SRC into DST (which has SRC's columns first). */
static void copy_row(struct rows *dst, const struct rows *src, size_t i)
{
	for (size_t c = 0; c < src->ncols; c++) {
		const struct cell *x = rows_cell(src, i, c);

		switch (x->kind) {
		case CELL_STR:
			rows_str(dst, x->s);
			break;
		case CELL_INT:
			rows_int(dst, x->i);
			break;
		case CELL_REAL:
			rows_real(dst, x->d, x->prec);
			break;
		case CELL_JSON:
			rows_json(dst, x->s, x->plain);
			break;
		case CELL_NULL:
			rows_null(dst);
			break;
		}
	}
}

/* DST: SRC's columns, then the NULL-terminated extra ones. */
static void rows_init_like(struct rows *dst, const struct rows *src, ...)
{
	va_list ap;
	const char *name;

	rows_init(dst, NULL);
	for (size_t c = 0; c < src->ncols; c++) {
		rows_add_col(dst, src->cols[c]);
	}
	va_start(ap, src);
	while ((name = va_arg(ap, const char *)) != NULL) {
		rows_add_col(dst, name);
	}
	va_end(ap);
}

/* ---- reading requests ---- */

/* The JSON value types a field can have. */
enum jtype { J_NONE, J_NULL, J_INT, J_TEXT, J_OTHER };

/* Field KEY of the JSON object BODY: its type, and its value in *IV or
 * *SV (a new string, caller frees; may be NULL when not wanted). */
static enum jtype jfield(struct api *a, const char *body, const char *key,
			 long long *iv, char **sv)
{
	static const char sql[] =
		"SELECT json_type(?1, ?2), json_extract(?1, ?2)";
	sqlite3_stmt *st = db_prepare(a->p, sql);
	char *path = xasprintf("$.\"%s\"", key);
	enum jtype t = J_NONE;

	db_bind_text(a->p, st, 1, body);
	db_bind_text(a->p, st, 2, path);
	if (db_step(a->p, st) &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL) {
		const char *type = db_col_text(st, 0);

		if (strcmp(type, "null") == 0) {
			t = J_NULL;
		} else if (strcmp(type, "integer") == 0 &&
			   sqlite3_column_type(st, 1) == SQLITE_INTEGER) {
			/* (An integer past 64 bits reads as a real: not a
			 * whole number qcode can take.) */
			t = J_INT;
			if (iv) {
				*iv = sqlite3_column_int64(st, 1);
			}
		} else if (strcmp(type, "text") == 0) {
			t = J_TEXT;
			if (sv) {
				*sv = xstrdup(db_col_text(st, 1));
			}
		} else {
			t = J_OTHER;
		}
	}
	sqlite3_finalize(st);
	free(path);
	return t;
}

/* 1 when BODY is a JSON object. */
static int json_object(struct api *a, const char *body)
{
	return db_int(a->p, 0, "SELECT CASE WHEN json_valid(%Q) THEN "
			       "json_type(%Q) = 'object' ELSE 0 END", body,
		      body) == 1;
}

/* Parse a decimal id ("12"); 0 when S is not one. */
static long long parse_id(const char *s)
{
	long long v = 0;

	if (!*s || strlen(s) > 18) {
		return 0;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9') {
			return 0;
		}
		v = v * 10 + (*s - '0');
	}
	return v;
}

const char *api_arg(const struct api_req *q, const char *name, int *bad)
{
	const char *v = q->arg(q->argctx, name);

	if (v && utf8_validate(v, strlen(v), NULL) != 0) {
		*bad = 1;
		return NULL;
	}
	return v && *v ? v : NULL;
}

/* ---- read routes ---- */

static int get_info(struct api *a, struct strbuf *out)
{
	struct rows r;
	int st;

	info_rows(a->p, &r);
	st = reply_rows(out, &r, ROWS_OBJECT, 200);
	rows_release(&r);
	return st;
}

/* GET /api/session: who the page codes as. */
static int get_session(struct api *a, struct strbuf *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = api_open(&buf, &len);

	fputs("{\"coder\": ", mem);
	json_put_str(mem, a->coder);
	fputs(", \"project\": ", mem);
	json_put_str(mem, a->p->path);
	fputs("}\n", mem);
	api_close(mem, &buf, &len, out);
	return 200;
}

/* The documents, with each one's codings (not rejected): all coders'
 * and the server's coder's, and its case's attributes (an object).  Two
 * grouped queries, not one per document: a project may hold thousands. */
static int get_documents(struct api *a, struct strbuf *out)
{
	/* One pass over the table in storage order (through the doc_id
	 * index it would visit the rows at random). */
	static const char count_sql[] =
		"SELECT doc_id, coder_id = (SELECT id FROM coders WHERE name = "
		"?1) FROM codings NOT INDEXED WHERE status <> 'rejected'";
	static const char attr_sql[] =
		"SELECT d.id, json_group_object(t.name, ca.value) FROM "
		"documents d JOIN case_attributes ca ON ca.case_id = d.case_id "
		"JOIN attributes t ON t.id = ca.attr_id WHERE ca.value IS NOT "
		"NULL GROUP BY d.id";
	long long maxdoc = db_int(a->p, 0, "SELECT max(id) FROM documents");
	long long *all = xcalloc((size_t)maxdoc + 1, sizeof(*all));
	long long *mine = xcalloc((size_t)maxdoc + 1, sizeof(*mine));
	char **attrs = xcalloc((size_t)maxdoc + 1, sizeof(*attrs));
	sqlite3_stmt *st;
	struct rows r, x;
	int status;

	st = db_prepare(a->p, count_sql);
	db_bind_text(a->p, st, 1, a->coder);
	while (db_step(a->p, st)) {
		long long d = sqlite3_column_int64(st, 0);

		if (d > 0 && d <= maxdoc) {
			all[d]++;
			mine[d] += sqlite3_column_int(st, 1) == 1;
		}
	}
	sqlite3_finalize(st);
	st = db_prepare(a->p, attr_sql);
	while (db_step(a->p, st)) {
		long long d = sqlite3_column_int64(st, 0);

		if (d > 0 && d <= maxdoc && !attrs[d]) {
			attrs[d] = xstrdup(db_col_text(st, 1));
		}
	}
	sqlite3_finalize(st);
	docs_rows(a->p, &r);
	rows_init_like(&x, &r, "codings", "my_codings", "attributes", NULL);
	for (size_t i = 0; i < r.nrows; i++) {
		long long d = rows_cell(&r, i, 0)->i;
		int in = d > 0 && d <= maxdoc;

		copy_row(&x, &r, i);
		rows_int(&x, in ? all[d] : 0);
		rows_int(&x, in ? mine[d] : 0);
		rows_json(&x, in && attrs[d] ? attrs[d] : "{}", "");
	}
	for (long long d = 0; d <= maxdoc; d++) {
		free(attrs[d]);
	}
	free(attrs);
	free(all);
	free(mine);
	status = reply_rows(out, &x, 0, 200);
	rows_release(&x);
	rows_release(&r);
	return status;
}

/* A coding's memo, for doc_codings(). */
struct memo_row {
	long long id;
	char *memo;
};

static int cmp_memo_row(const void *a, const void *b)
{
	long long x = ((const struct memo_row *)a)->id;
	long long y = ((const struct memo_row *)b)->id;

	return x < y ? -1 : x > y;
}

/* The codings of document DOC as 'qcode codings' rows, with each
 * coding's memo; only coding ONLY when it is not 0.  The memos come in
 * one query for the document (a query per coding cost more than the
 * listing itself on a transcript with hundreds of codings). */
static void doc_codings(struct api *a, long long doc, long long only,
			struct rows *x)
{
	sqlite3_stmt *st = db_prepare(a->p, "SELECT id, memo FROM codings "
					    "WHERE doc_id = ? AND memo IS NOT "
					    "NULL");
	struct memo_row *memos = NULL;
	size_t nmemos = 0, cap = 0;
	struct rows r;

	sqlite3_bind_int64(st, 1, doc);
	while (db_step(a->p, st)) {
		if (nmemos == cap) {
			cap = cap ? 2 * cap : 16;
			memos = xrealloc(memos, cap * sizeof(*memos));
		}
		memos[nmemos].id = sqlite3_column_int64(st, 0);
		memos[nmemos++].memo = xstrdup(db_col_text(st, 1));
	}
	sqlite3_finalize(st);
	if (nmemos > 1) {
		qsort(memos, nmemos, sizeof(*memos), cmp_memo_row);
	}
	codings_rows(a->p, doc, &r);
	rows_init_like(x, &r, "memo", NULL);
	for (size_t i = 0; i < r.nrows; i++) {
		struct memo_row key, *m;

		key.id = rows_cell(&r, i, 0)->i;
		if (only && key.id != only) {
			continue;
		}
		copy_row(x, &r, i);
		m = nmemos ? bsearch(&key, memos, nmemos, sizeof(*memos),
				     cmp_memo_row)
			   : NULL;
		if (m) {
			rows_str(x, m->memo);
		} else {
			rows_null(x);
		}
	}
	for (size_t i = 0; i < nmemos; i++) {
		free(memos[i].memo);
	}
	free(memos);
	rows_release(&r);
}

static int get_document(struct api *a, long long id, struct strbuf *out)
{
	sqlite3_stmt *st;
	struct rows segs, cods;
	char *name, *text, *buf = NULL;
	size_t len, blen = 0;
	FILE *mem;

	st = db_prepare(a->p, "SELECT d.name, d.text, c.name, d.question "
			      "FROM documents d LEFT JOIN cases c ON c.id = "
			      "d.case_id WHERE d.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (!db_step(a->p, st)) {
		sqlite3_finalize(st);
		return api_error(out, 404, "no document %lld in the project",
				 id);
	}
	name = xstrdup(db_col_text(st, 0));
	len = (size_t)sqlite3_column_bytes(st, 1);
	text = xstrndup(db_col_text(st, 1), len);
	mem = api_open(&buf, &blen);
	fprintf(mem, "{\"id\": %lld, \"name\": ", id);
	json_put_str(mem, name);
	fputs(", \"case\": ", mem);
	if (sqlite3_column_type(st, 2) == SQLITE_NULL) {
		fputs("null", mem);
	} else {
		json_put_str(mem, db_col_text(st, 2));
	}
	fputs(", \"question\": ", mem);
	if (sqlite3_column_type(st, 3) == SQLITE_NULL) {
		fputs("null", mem);
	} else {
		json_put_str(mem, db_col_text(st, 3));
	}
	sqlite3_finalize(st);
	fputs(", \"text\": ", mem);
	json_put_str(mem, text);
	show_rows(a->p, id, name, text, len, FMT_JSON, 1, &segs);
	fputs(", \"segments\": ", mem);
	api_put_rows(mem, &segs, 0);
	doc_codings(a, id, 0, &cods);
	fputs(", \"codings\": ", mem);
	api_put_rows(mem, &cods, 0);
	fputs("}\n", mem);
	api_close(mem, &buf, &blen, out);
	rows_release(&segs);
	rows_release(&cods);
	free(name);
	free(text);
	return 200;
}

/* Check the scope arguments of count, quotes and codes; on an error
 * write it to OUT and return its status, else 0. */
static int check_scope(struct api *a, const struct api_req *q,
		       struct report_opts *o, struct strbuf *out)
{
	int bad = 0;
	const char *question = api_arg(q, "question", &bad);
	const char *by = api_arg(q, "by", &bad);
	const char *status = api_arg(q, "status", &bad);
	const char *coder = api_arg(q, "coder", &bad);

	if (bad) {
		return api_error(out, 400, "a query argument is not UTF-8");
	}
	if (question && !db_int(a->p, 0, "SELECT 1 FROM documents WHERE "
					 "question = %Q", question)) {
		return api_error(out, 404, "no document answers question '%s'",
				 question);
	}
	if (by && !db_int(a->p, 0, "SELECT 1 FROM attributes WHERE name = "
				   "%Q", by)) {
		return api_error(out, 404, "no attribute '%s' in the project",
				 by);
	}
	if (coder && !db_int(a->p, 0, "SELECT 1 FROM coders WHERE name = %Q",
			     coder)) {
		return api_error(out, 404, "no coder '%s' in the project",
				 coder);
	}
	if (status) {
		o->status = report_parse_status(status);
		if (!o->status) {
			return api_error(out, 400, "unknown status '%s' "
					 "(accepted, suggested or all)",
					 status);
		}
	}
	o->question = question;
	o->by = by;
	o->coder = coder;
	return 0;
}

/* The code named SPEC, read by the one rule every command uses
 * (code_resolve(): a path, or a bare name only one code has); with
 * CREATE a missing code is created (and a bare name a sub-code has is
 * ambiguous, as with 'code add --create-codes').  On an error, writes
 * it to OUT, sets *STATUS and returns 0. */
static long long find_code(struct api *a, const char *spec, int create,
			   struct strbuf *out, int *status)
{
	struct strbuf cand = STRBUF_INIT;
	char *path = tag_to_code_path(spec, '/');
	long long id = 0;

	if (!path) {
		*status = api_error(out, 400, "'%s' is not a code path: a "
					      "level is empty", spec);
		return 0;
	}
	switch (code_resolve(a->p, path, CODE_BY_NAME |
				 (create ? CODE_CREATE : 0), &id, &cand)) {
	case CODE_FOUND:
		break;
	case CODE_MISSING:
		if (create) {
			id = code_get_or_create(a->p, path);
		} else {
			*status = api_error(out, 404, "no code '%s' in the "
						      "codebook", spec);
		}
		break;
	case CODE_AMBIGUOUS:
		*status = api_error(out, 400, "code name '%s' is ambiguous: "
					      "it could be %s; give its path",
				    spec, sb_str(&cand));
		break;
	}
	free(path);
	sb_release(&cand);
	return id;
}

/* What a report route (codes, count, quotes) adds to the common scope
 * of its query, and how it turns the report into its reply's rows. */
struct report_route {
	/* After check_scope(): change or add to O; 0, or an error status
	 * (the error in OUT).  NULL: nothing to add. */
	int (*scope)(struct api *a, const struct api_req *q,
		     struct report_opts *o, struct strbuf *out);
	/* The rows X of the report R (initialised on the options). */
	void (*rows)(struct api *a, struct report *r, struct rows *x);
};

/* Answer the report route RT: the options from Q's arguments, the
 * report, its rows as JSON; an error is a reply as well. */
static int report_reply(struct api *a, const struct api_req *q,
			const struct report_route *rt, struct strbuf *out)
{
	struct report_opts o;
	struct report r;
	struct rows x;
	int status;

	report_opts_init(&o);
	status = check_scope(a, q, &o, out);
	if (!status && rt->scope) {
		status = rt->scope(a, q, &o, out);
	}
	if (status) {
		report_opts_release(&o);
		return status;
	}
	report_init(&r, a->p, &o);
	rt->rows(a, &r, &x);
	status = reply_rows(out, &x, 0, 200);
	rows_release(&x);
	report_release(&r);
	report_opts_release(&o);
	return status;
}

/* The code tree counts every document: no ?by= or ?question=. */
static int codes_scope(struct api *a, const struct api_req *q,
		       struct report_opts *o, struct strbuf *out)
{
	o->by = NULL;
	o->question = NULL;
	return 0;
}

static void codes_rows(struct api *a, struct report *r, struct rows *x)
{
	report_count(r);
	api_codes_rows(a, r, x);
}

static int get_codes(struct api *a, const struct api_req *q,
		     struct strbuf *out)
{
	static const struct report_route codes = { codes_scope, codes_rows };
	struct rows x;
	int status, bad = 0;

	if (!api_arg(q, "coder", &bad) && !api_arg(q, "status", &bad) &&
	    !api_arg(q, "question", &bad) && !api_arg(q, "by", &bad) && !bad) {
		/* what the page asks for after every change: kept */
		api_codes_cached(a, &x);
		status = reply_rows(out, &x, 0, 200);
		rows_release(&x);
		return status;
	}
	return report_reply(a, q, &codes, out);
}

static void count_rows(struct api *a, struct report *r, struct rows *x)
{
	report_count(r);
	report_count_rows(r, x);
}

static int get_count(struct api *a, const struct api_req *q,
		     struct strbuf *out)
{
	static const struct report_route count = { NULL, count_rows };

	return report_reply(a, q, &count, out);
}

/* ?code=PATH: the quotes of that code (and its sub-codes) only. */
static int quotes_scope(struct api *a, const struct api_req *q,
			struct report_opts *o, struct strbuf *out)
{
	int status = 0, bad = 0;
	const char *code = api_arg(q, "code", &bad);

	if (code && find_code(a, code, 0, out, &status)) {
		report_opts_add_code(o, code);
	}
	return status;
}

static void quotes_rows_of(struct api *a, struct report *r, struct rows *x)
{
	struct report_quote_opts qo;
	struct report_quotes qs;

	memset(&qo, 0, sizeof(qo));
	report_select_show(r);
	report_quotes(r, &qo, &qs);
	quotes_rows(r, &qs, x);
	report_quotes_release(&qs);
}

static int get_quotes(struct api *a, const struct api_req *q,
		      struct strbuf *out)
{
	static const struct report_route quotes = { quotes_scope,
						    quotes_rows_of };
	int bad = 0;

	api_arg(q, "code", &bad);
	if (bad) {
		return api_error(out, 400, "a query argument is not UTF-8");
	}
	return report_reply(a, q, &quotes, out);
}

/* ---- write routes ---- */

/* Begin a write: the command's transaction and its history entry,
 * recorded under CODER (the request's, else the server's).  Returns 0,
 * or 503 (the error in OUT) when another process holds the project's
 * write lock past the busy timeout: answered here, before any module
 * would die of it. */
static int begin(struct api *a, const char *coder, const char *command,
		 int argc, char **argv, struct strbuf *out)
{
	if (sqlite3_exec(a->p->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		return api_error(out, 503, "the project is busy (another qcode "
					   "is writing to it): %s; try again",
				 sqlite3_errmsg(a->p->db));
	}
	sqlite3_exec(a->p->db, "ROLLBACK", NULL, NULL, NULL);
	project_set_coder(a->p, coder ? coder : a->coder);
	project_begin(a->p, command, argc, argv);
	return 0;
}

/* Roll back and return STATUS (an error already in OUT). */
static int fail(struct api *a, int status)
{
	project_rollback(a->p);
	return status;
}

/* The coding ID of document DOC as one row object into OUT. */
static int reply_coding(struct api *a, long long doc, long long id,
			int status, struct strbuf *out)
{
	struct rows x;

	doc_codings(a, doc, id, &x);
	status = reply_rows(out, &x, ROWS_OBJECT, status);
	rows_release(&x);
	return status;
}

/* A text field that must be UTF-8 when given: J_NONE, J_NULL or
 * J_TEXT into *S; -1 (an error in OUT) otherwise. */
static int text_field(struct api *a, const char *body, const char *key,
		      char **s, struct strbuf *out)
{
	enum jtype t = jfield(a, body, key, NULL, s);

	if (t == J_TEXT && utf8_validate(*s, strlen(*s), NULL) != 0) {
		free(*s);
		*s = NULL;
		return api_error(out, 400, "'%s' is not valid UTF-8", key),
		       -1;
	}
	if (t != J_NONE && t != J_NULL && t != J_TEXT) {
		return api_error(out, 400, "'%s' must be a string", key), -1;
	}
	return 0;
}

/* POST /api/codings: code a span. */
static int post_coding(struct api *a, const struct api_req *q,
		       struct strbuf *out)
{
	long long doc = 0, start = 0, end = 0, chars, code, existing, id;
	char *docname = NULL, *codespec = NULL, *memo = NULL, *coder = NULL;
	char *args[9];
	char *span = NULL;
	int argc = 0, status = 0, create = 0;
	enum jtype t;
	struct coding c;

	if (!json_object(a, q->body)) {
		return api_error(out, 400, "the request body is not a JSON "
					   "object");
	}
	t = jfield(a, q->body, "document", &doc, &docname);
	if (t == J_TEXT) {
		doc = lookup_document_id(a->p, docname);
		if (!doc) {
			status = api_error(out, 404, "no document '%s' in the "
						     "project", docname);
		}
	} else if (t != J_INT) {
		status = api_error(out, 400, "'document' must be a document "
					     "id or name");
	}
	if (!status && (jfield(a, q->body, "start", &start, NULL) != J_INT ||
			jfield(a, q->body, "end", &end, NULL) != J_INT)) {
		status = api_error(out, 400, "'start' and 'end' must be whole "
					     "numbers (code points)");
	}
	if (!status && jfield(a, q->body, "code", NULL, &codespec) != J_TEXT) {
		status = api_error(out, 400, "'code' must be a code path");
	}
	if (!status && (text_field(a, q->body, "memo", &memo, out) ||
			text_field(a, q->body, "coder", &coder, out))) {
		status = 400;
	}
	if (!status && codespec &&
	    utf8_validate(codespec, strlen(codespec), NULL) != 0) {
		status = api_error(out, 400, "'code' is not valid UTF-8");
	}
	if (!status) {
		t = jfield(a, q->body, "create", NULL, NULL);
		create = t == J_INT || t == J_OTHER;
		if (t == J_OTHER && db_int(a->p, 0, "SELECT json_extract(%Q, "
						    "'$.create') = 1",
					   q->body) != 1) {
			create = 0;
		}
	}
	if (status) {
		goto done;
	}
	if (coder && !*coder) {
		free(coder);
		coder = NULL;
	}
	span = xasprintf("%lld@%lld-%lld", doc, start, end);
	args[argc++] = "add";
	args[argc++] = span;
	args[argc++] = codespec;
	args[argc++] = "--coder";
	args[argc++] = coder ? coder : (char *)a->coder;
	if (memo) {
		args[argc++] = "--memo";
		args[argc++] = memo;
	}
	if (create) {
		args[argc++] = "--create-codes";
	}
	args[argc] = NULL;
	status = begin(a, coder, "code", argc, args, out);
	if (status) {
		goto done;
	}
	chars = db_int(a->p, -1, "SELECT chars FROM documents WHERE id = %lld",
		       doc);
	if (chars < 0) {
		status = fail(a, api_error(out, 404, "no document %lld in the "
						     "project", doc));
		goto done;
	}
	if (start < 0 || end <= start || end > chars) {
		status = fail(a, api_error(out, 400, "the span %lld-%lld is not "
					   "inside the document (0-%lld, the "
					   "end greater than the start)",
					   start, end, chars));
		goto done;
	}
	code = find_code(a, codespec, create, out, &status);
	if (!code) {
		status = fail(a, status);
		goto done;
	}
	if (!db_int(a->p, 1, "SELECT codable FROM codes WHERE id = %lld",
		    code)) {
		status = fail(a, api_error(out, 400, "code '%s' only groups "
					   "other codes; code one of its "
					   "sub-codes", codespec));
		goto done;
	}
	memset(&c, 0, sizeof(c));
	c.doc_id = doc;
	c.code_id = code;
	c.coder_id = coder_get(a->p, coder ? coder : a->coder);
	c.start = start;
	c.end = end;
	c.origin = "manual";
	c.status = "accepted";
	c.memo = memo;
	existing = db_int(a->p, 0,
			  "SELECT id FROM codings WHERE doc_id = %lld AND "
			  "code_id = %lld AND coder_id = %lld AND start = %lld "
			  "AND end = %lld ORDER BY id LIMIT 1",
			  c.doc_id, c.code_id, c.coder_id, c.start, c.end);
	if (existing) {
		project_rollback(a->p);
		status = reply_coding(a, doc, existing, 200, out);
		goto done;
	}
	id = coding_insert(a->p, &c);
	project_commit(a->p);
	api_codes_update(a, id, code, doc, 1);
	status = reply_coding(a, doc, id, 201, out);
done:
	free(span);
	free(docname);
	free(codespec);
	free(memo);
	free(coder);
	return status;
}

/* Whether coding ID counts in the code tree (it is accepted), with its
 * code and document into *CODE and *DOC; 0 when there is no such
 * coding. */
static int coding_counts(struct api *a, long long id, long long *code,
			 long long *doc)
{
	sqlite3_stmt *st = db_prepare(a->p, "SELECT code_id, doc_id, status "
					    "= 'accepted' FROM codings WHERE "
					    "id = ?");
	int counts = 0;

	*code = *doc = 0;
	sqlite3_bind_int64(st, 1, id);
	if (db_step(a->p, st)) {
		*code = sqlite3_column_int64(st, 0);
		*doc = sqlite3_column_int64(st, 1);
		counts = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	return counts;
}

/* DELETE /api/codings/ID */
static int delete_coding(struct api *a, long long id, const char *ids,
			 struct strbuf *out)
{
	char *args[] = { "rm", (char *)ids, NULL };
	int rc = begin(a, NULL, "code", 2, args, out);
	long long code, doc;
	int counted;

	if (rc) {
		return rc;
	}
	counted = coding_counts(a, id, &code, &doc);
	if (!doc) {
		return fail(a, api_error(out, 404, "no coding %lld in the "
						   "project", id));
	}
	{
		sqlite3_stmt *st = db_prepare(a->p, "DELETE FROM codings "
						    "WHERE id = ?");

		sqlite3_bind_int64(st, 1, id);
		db_run(a->p, st);
		sqlite3_finalize(st);
	}
	project_commit(a->p);
	api_codes_update(a, id, code, doc, -counted);
	sb_addf(out, "{\"deleted\": %lld}\n", id);
	return 200;
}

/* POST /api/codings/ID: {"status": ...} and/or {"memo": ...}. */
static int change_coding(struct api *a, const struct api_req *q,
			 long long id, const char *ids, struct strbuf *out)
{
	char *status = NULL, *memo = NULL;
	enum jtype ts, tm;
	char *args[4];
	long long doc, code;
	int rc, before;

	if (!json_object(a, q->body)) {
		return api_error(out, 400, "the request body is not a JSON "
					   "object");
	}
	ts = jfield(a, q->body, "status", NULL, &status);
	if (ts != J_NONE && (ts != J_TEXT || (strcmp(status, "accepted") != 0 &&
					      strcmp(status, "rejected") !=
						      0))) {
		free(status);
		return api_error(out, 400, "'status' must be \"accepted\" or "
					   "\"rejected\"");
	}
	if (text_field(a, q->body, "memo", &memo, out)) {
		free(status);
		return 400;
	}
	tm = jfield(a, q->body, "memo", NULL, NULL);
	if (ts == J_NONE && tm == J_NONE) {
		return api_error(out, 400, "say what to change: 'status' or "
					   "'memo'");
	}
	/* The history names what changed: "code accept 12", "serve memo
	 * 12", or both ("serve accept memo 12"). */
	if (tm == J_NONE) {
		args[0] = strcmp(status, "accepted") == 0 ? "accept" : "reject";
		args[1] = (char *)ids;
		args[2] = NULL;
		rc = begin(a, NULL, "code", 2, args, out);
	} else if (status) {
		args[0] = strcmp(status, "accepted") == 0 ? "accept" : "reject";
		args[1] = "memo";
		args[2] = (char *)ids;
		args[3] = NULL;
		rc = begin(a, NULL, "serve", 3, args, out);
	} else {
		args[0] = "memo";
		args[1] = (char *)ids;
		args[2] = NULL;
		rc = begin(a, NULL, "serve", 2, args, out);
	}
	if (rc) {
		free(status);
		free(memo);
		return rc;
	}
	before = coding_counts(a, id, &code, &doc);
	if (!doc) {
		rc = fail(a, api_error(out, 404, "no coding %lld in the "
						 "project", id));
		goto done;
	}
	if (status) {
		sqlite3_stmt *st = db_prepare(a->p, "UPDATE codings SET status "
						    "= ? WHERE id = ?");

		db_bind_text(a->p, st, 1, status);
		sqlite3_bind_int64(st, 2, id);
		db_run(a->p, st);
		sqlite3_finalize(st);
	}
	if (tm != J_NONE) {
		sqlite3_stmt *st = db_prepare(a->p, "UPDATE codings SET memo "
						    "= ? WHERE id = ?");

		db_bind_text(a->p, st, 1, memo && *memo ? memo : NULL);
		sqlite3_bind_int64(st, 2, id);
		db_run(a->p, st);
		sqlite3_finalize(st);
	}
	project_commit(a->p);
	if (status) {
		api_codes_update(a, id, code, doc,
				 (strcmp(status, "accepted") == 0) - before);
	}
	rc = reply_coding(a, doc, id, 200, out);
done:
	free(status);
	free(memo);
	return rc;
}

/* POST /api/undo */
static int post_undo(struct api *a, struct strbuf *out)
{
	char *what = NULL;
	long long id;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int rc = begin(a, NULL, "undo", 0, NULL, out);

	if (rc) {
		return rc;
	}
	/* As 'qcode undo': the server's coder takes back their own last
	 * change, never another coder's. */
	id = project_undo(a->p, a->coder, 0, &what);
	if (id < 0) {
		rc = fail(a, api_error(out, 409, "%s", what));
		free(what);
		return rc;
	}
	if (!id) {
		free(what);
		return fail(a, api_error(out, 409, "nothing of %s's to undo",
					 a->coder));
	}
	project_commit(a->p);
	api_codes_forget(a);
	mem = api_open(&buf, &len);
	fprintf(mem, "{\"undid\": %lld, \"command\": ", id);
	json_put_str(mem, what ? what : "");
	fputs("}\n", mem);
	api_close(mem, &buf, &len, out);
	free(what);
	return 200;
}

/* ---- routing ---- */

void api_release(struct api *a)
{
	api_codes_forget(a);
}

/* 1 when the JSON text S escapes a NUL character ("\u0000"), which
 * SQLite's JSON functions drop with the rest of the string. */
static int nul_escape(const char *s)
{
	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			continue;
		}
		if (s[1] == 'u' && strncmp(s + 2, "0000", 4) == 0) {
			return 1;
		}
		s++;
	}
	return 0;
}

int api_handle(struct api *a, const struct api_req *q, struct strbuf *out)
{
	const char *m = q->method;
	const char *path = q->path + 4; /* after "/api" */
	int get = strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
	int post = strcmp(m, "POST") == 0;
	long long id = 0;

	if (strlen(q->body) != q->len) {
		return api_error(out, 400, "the request body holds a NUL byte");
	}
	if (nul_escape(q->body)) {
		return api_error(out, 400, "the request body holds a NUL "
					   "character (\\u0000), which no "
					   "name or memo can hold");
	}
	if (strncmp(path, "/documents/", 11) == 0) {
		id = parse_id(path + 11);
		if (!id) {
			return api_error(out, 404, "no document '%s'",
					 path + 11);
		}
		return get ? get_document(a, id, out)
			   : api_error(out, 405, "method not allowed");
	}
	if (strncmp(path, "/codings/", 9) == 0) {
		id = parse_id(path + 9);
		if (!id) {
			return api_error(out, 404, "no coding '%s'", path + 9);
		}
		if (strcmp(m, "DELETE") == 0) {
			return delete_coding(a, id, path + 9, out);
		}
		return post ? change_coding(a, q, id, path + 9, out)
			    : api_error(out, 405, "method not allowed");
	}
	if (strcmp(path, "/codings") == 0) {
		return post ? post_coding(a, q, out)
			    : api_error(out, 405, "method not allowed");
	}
	if (strcmp(path, "/undo") == 0) {
		return post ? post_undo(a, out)
			    : api_error(out, 405, "method not allowed");
	}
	if (strcmp(path, "/session") == 0) {
		return get ? get_session(a, out)
			   : api_error(out, 405, "method not allowed");
	}
	if (strcmp(path, "/filters") == 0) {
		return get ? api_filters(a, out)
			   : api_error(out, 405, "method not allowed");
	}
	if (strcmp(path, "/info") == 0 || strcmp(path, "/documents") == 0 ||
	    strcmp(path, "/codes") == 0 || strcmp(path, "/count") == 0 ||
	    strcmp(path, "/quotes") == 0) {
		if (!get) {
			return api_error(out, 405, "method not allowed");
		}
		switch (path[1]) {
		case 'i':
			return get_info(a, out);
		case 'd':
			return api_documents_paged(q)
				       ? api_documents_page(a, q, out)
				       : get_documents(a, out);
		case 'q':
			return get_quotes(a, q, out);
		default:
			return path[3] == 'd' ? get_codes(a, q, out)
					      : get_count(a, q, out);
		}
	}
	return api_error(out, 404, "no such API route '%s'", q->path);
}
