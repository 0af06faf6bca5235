/*
 * api_docs.c - the document list in pages: GET /api/documents with
 * ?limit=, ?offset= and the filters the page offers (name, question,
 * case attribute, coded by the server's coder or not), and GET
 * /api/filters, the choices of those filters.
 *
 * A survey may hold 200,000 answers: the whole list (GET /api/documents
 * without arguments, api.c) is some 60 MB of JSON.  A page is one query
 * that stops after its rows (in id order), plus one that counts the
 * matches, both with the filters in SQL.
 */
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "rows.h"
#include "serve.h"

/* The arguments that ask for a page rather than the whole list. */
static const char *const page_args[] = {
	"limit", "offset", "name", "question", "attribute", "value", "coded",
};

#define DOCS_LIMIT_MAX 5000
#define DOCS_LIMIT_DEFAULT 100

int api_documents_paged(const struct api_req *q)
{
	for (size_t i = 0; i < sizeof(page_args) / sizeof(page_args[0]);
	     i++) {
		if (q->arg(q->argctx, page_args[i])) {
			return 1;
		}
	}
	return 0;
}

/* A whole number from 0 to MAX in S into *V; -1 when S is not one. */
static int parse_count(const char *s, long long max, long long *v)
{
	*v = 0;
	if (!*s || strlen(s) > 18) {
		return -1;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9') {
			return -1;
		}
		*v = *v * 10 + (*s - '0');
	}
	return *v <= max ? 0 : -1;
}

/* The filters of a page, checked. */
struct docs_filter {
	const char *name, *question, *attr, *value, *coded;
	long long attr_id;
	long long limit, offset;
};

/* Read and check Q's arguments into F; on an error, write it to OUT and
 * return its status, else 0. */
static int read_filter(struct api *a, const struct api_req *q,
		       struct docs_filter *f, struct strbuf *out)
{
	int bad = 0;
	const char *limit = api_arg(q, "limit", &bad);
	const char *offset = api_arg(q, "offset", &bad);

	memset(f, 0, sizeof(*f));
	f->name = api_arg(q, "name", &bad);
	f->question = api_arg(q, "question", &bad);
	f->attr = api_arg(q, "attribute", &bad);
	f->value = api_arg(q, "value", &bad);
	f->coded = api_arg(q, "coded", &bad);
	if (bad) {
		return api_error(out, 400, "a query argument is not UTF-8");
	}
	f->limit = DOCS_LIMIT_DEFAULT;
	if (limit && (parse_count(limit, DOCS_LIMIT_MAX, &f->limit) != 0 ||
		      f->limit == 0)) {
		return api_error(out, 400, "limit must be a number from 1 to "
					   "%d, not '%s'", DOCS_LIMIT_MAX,
				 limit);
	}
	if (offset && parse_count(offset, 1000000000000LL, &f->offset) != 0) {
		return api_error(out, 400, "offset must be a whole number, "
					   "not '%s'", offset);
	}
	if (f->coded && strcmp(f->coded, "yes") != 0 &&
	    strcmp(f->coded, "no") != 0) {
		return api_error(out, 400, "coded must be 'yes' or 'no', not "
					   "'%s'", f->coded);
	}
	if (!f->attr != !q->arg(q->argctx, "value")) {
		return api_error(out, 400, "attribute and value go together: "
					   "attribute=NAME&value=VALUE");
	}
	if (f->attr) {
		f->attr_id = db_int(a->p, 0, "SELECT id FROM attributes WHERE "
					     "name = %Q", f->attr);
		if (!f->attr_id) {
			return api_error(out, 404, "no attribute '%s' in the "
					 "project", f->attr);
		}
	}
	if (f->question && !db_int(a->p, 0, "SELECT 1 FROM documents WHERE "
					    "question = %Q", f->question)) {
		return api_error(out, 404, "no document answers question '%s'",
				 f->question);
	}
	return 0;
}

/* F's conditions on documents d (and their cases c) into SQL. */
static void filter_sql(const struct docs_filter *f, struct strbuf *sql)
{
	sb_adds(sql, " FROM documents d LEFT JOIN cases c ON c.id = "
		     "d.case_id WHERE 1");
	if (f->name) {
		sb_adds(sql, " AND instr(lower(d.name || ' ' || "
			     "coalesce(c.name, '')), lower(:name))");
	}
	if (f->question) {
		sb_adds(sql, " AND d.question = :question");
	}
	if (f->attr) {
		sb_adds(sql, " AND EXISTS(SELECT 1 FROM case_attributes x "
			     "WHERE x.case_id = d.case_id AND x.attr_id = "
			     ":attr AND x.value = :value)");
	}
	if (f->coded) {
		sb_addf(sql, " AND %sEXISTS(SELECT 1 FROM codings k WHERE "
			     "k.doc_id = d.id AND k.status <> 'rejected' AND "
			     "k.coder_id = (SELECT id FROM coders WHERE name "
			     "= :me))",
			strcmp(f->coded, "no") == 0 ? "NOT " : "");
	}
}

/* Prepare SQL with F's values bound to its named parameters. */
static sqlite3_stmt *prepare_filter(struct api *a, const char *sql,
				    const struct docs_filter *f)
{
	sqlite3_stmt *st = db_prepare(a->p, sql);
	const struct {
		const char *name, *value;
	} named[] = {
		{ ":name", f->name },	  { ":question", f->question },
		{ ":value", f->value },	  { ":me", a->coder },
	};
	int i;

	for (size_t k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
		i = sqlite3_bind_parameter_index(st, named[k].name);
		if (i > 0) {
			db_bind_text(a->p, st, i, named[k].value);
		}
	}
	i = sqlite3_bind_parameter_index(st, ":attr");
	if (i > 0) {
		sqlite3_bind_int64(st, i, f->attr_id);
	}
	i = sqlite3_bind_parameter_index(st, ":limit");
	if (i > 0) {
		sqlite3_bind_int64(st, i, f->limit);
		sqlite3_bind_int64(st, sqlite3_bind_parameter_index(
					       st, ":offset"), f->offset);
	}
	return st;
}

int api_documents_page(struct api *a, const struct api_req *q,
		       struct strbuf *out)
{
	struct docs_filter f;
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	long long total;
	struct rows x;
	int status = read_filter(a, q, &f, out);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	if (status) {
		return status;
	}
	sb_adds(&sql, "SELECT count(*)");
	filter_sql(&f, &sql);
	st = prepare_filter(a, sb_str(&sql), &f);
	total = db_step(a->p, st) ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);

	/* The columns of GET /api/documents (qcode docs, then the codings
	 * not rejected, all coders' and the server's coder's, and the
	 * case's attributes). */
	sb_reset(&sql);
	sb_adds(&sql,
		"SELECT d.id, d.name, c.name, d.question, d.format, (SELECT "
		"count(*) FROM segments s WHERE s.doc_id = d.id), d.chars, "
		"d.sha256, (SELECT count(*) FROM codings k WHERE k.doc_id = "
		"d.id AND k.status <> 'rejected'), (SELECT count(*) FROM "
		"codings k WHERE k.doc_id = d.id AND k.status <> 'rejected' "
		"AND k.coder_id = (SELECT id FROM coders WHERE name = :me)), "
		"(SELECT json_group_object(t.name, ca.value) FROM "
		"case_attributes ca JOIN attributes t ON t.id = ca.attr_id "
		"WHERE ca.case_id = d.case_id AND ca.value IS NOT NULL)");
	filter_sql(&f, &sql);
	sb_adds(&sql, " ORDER BY d.id LIMIT :limit OFFSET :offset");
	st = prepare_filter(a, sb_str(&sql), &f);
	sb_release(&sql);
	rows_init(&x, "id", "name", "case", "question", "format", "segments",
		  "chars", "sha256", "codings", "my_codings", "attributes",
		  NULL);
	while (db_step(a->p, st)) {
		rows_int(&x, sqlite3_column_int64(st, 0));
		rows_str(&x, db_col_text(st, 1));
		rows_str(&x, (const char *)sqlite3_column_text(st, 2));
		rows_str(&x, (const char *)sqlite3_column_text(st, 3));
		rows_str(&x, db_col_text(st, 4));
		rows_int(&x, sqlite3_column_int64(st, 5));
		rows_int(&x, sqlite3_column_int64(st, 6));
		rows_str(&x, db_col_text(st, 7));
		rows_int(&x, sqlite3_column_int64(st, 8));
		rows_int(&x, sqlite3_column_int64(st, 9));
		rows_json(&x, sqlite3_column_type(st, 10) == SQLITE_NULL
				      ? "{}"
				      : db_col_text(st, 10),
			  "");
	}
	sqlite3_finalize(st);

	mem = api_open(&buf, &len);
	fprintf(mem, "{\"total\": %lld, \"offset\": %lld, \"limit\": %lld, "
		     "\"documents\": ",
		total, f.offset, f.limit);
	api_put_rows(mem, &x, 0);
	fputs("}\n", mem);
	api_close(mem, &buf, &len, out);
	rows_release(&x);
	return 200;
}

int api_filters(struct api *a, struct strbuf *out)
{
	/* Questions in the survey's order (the questions table), then any
	 * other in the order of the documents that answer them. */
	static const char qsql[] =
		"SELECT d.question FROM documents d LEFT JOIN questions q ON "
		"q.name = d.question WHERE d.question IS NOT NULL GROUP BY "
		"d.question ORDER BY min(q.ord) IS NULL, min(q.ord), "
		"min(d.id)";
	static const char asql[] =
		"SELECT DISTINCT t.name, ca.value FROM case_attributes ca JOIN "
		"attributes t ON t.id = ca.attr_id WHERE ca.value IS NOT NULL "
		"ORDER BY t.name, ca.value";
	sqlite3_stmt *st;
	char *buf = NULL, *last = NULL;
	size_t len = 0;
	const char *sep = "";
	FILE *mem = api_open(&buf, &len);

	fputs("{\"questions\": [", mem);
	st = db_prepare(a->p, qsql);
	while (db_step(a->p, st)) {
		fputs(sep, mem);
		json_put_str(mem, db_col_text(st, 0));
		sep = ", ";
	}
	sqlite3_finalize(st);
	fputs("], \"attributes\": [", mem);
	st = db_prepare(a->p, asql);
	while (db_step(a->p, st)) {
		const char *name = db_col_text(st, 0);

		if (!last || strcmp(last, name) != 0) {
			fputs(last ? "]}, {\"name\": " : "{\"name\": ", mem);
			json_put_str(mem, name);
			fputs(", \"values\": [", mem);
			free(last);
			last = xstrdup(name);
			sep = "";
		}
		fputs(sep, mem);
		json_put_str(mem, db_col_text(st, 1));
		sep = ", ";
	}
	sqlite3_finalize(st);
	fputs(last ? "]}]}\n" : "]}\n", mem);
	free(last);
	api_close(mem, &buf, &len, out);
	return 200;
}
