/*
 * cmd_cases.c - qcode cases: every case with its attributes and the
 * number of its documents, in the order the cases were created.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "util.h"

static const char usage[] =
	"usage: qcode cases [--format table|csv|json]\n"
	"\n"
	"List the cases (respondents, interviewees) in the order they were\n"
	"created, with their attributes and the number of their documents.\n"
	"The table and CSV have one column per attribute (empty where a case\n"
	"has no value); JSON has fields case, attributes (an object holding\n"
	"the values the case has) and documents.\n"
	"\n"
	CLI_LIST_USAGE;

/* The attributes that some case has a value of, in creation order. */
struct attr_cols {
	size_t n;
	long long *ids;
	char **names;
};

static void attr_cols_load(struct project *p, struct attr_cols *a)
{
	sqlite3_stmt *st = db_prepare(
		p, "SELECT id, name FROM attributes WHERE id IN "
		   "(SELECT attr_id FROM case_attributes) ORDER BY id");
	size_t cap = 0;

	memset(a, 0, sizeof(*a));
	while (db_step(p, st)) {
		if (a->n == cap) {
			cap = cap ? cap * 2 : 16;
			a->ids = xrealloc(a->ids, cap * sizeof(*a->ids));
			a->names = xrealloc(a->names, cap * sizeof(*a->names));
		}
		a->ids[a->n] = sqlite3_column_int64(st, 0);
		a->names[a->n] = xstrdup(db_col_text(st, 1));
		a->n++;
	}
	sqlite3_finalize(st);
}

static void attr_cols_release(struct attr_cols *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->names[i]);
	}
	free(a->ids);
	free(a->names);
}

/* The column of attribute ID (ids are sorted), or a->n. */
static size_t attr_index(const struct attr_cols *a, long long id)
{
	size_t lo = 0, hi = a->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->ids[mid] < id) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo < a->n && a->ids[lo] == id ? lo : a->n;
}

int cmd_cases(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct project *p;
	struct attr_cols a;
	struct rows r;
	sqlite3_stmt *cases, *vals;
	char **row;
	int json;

	ctx->usage = usage;
	cli_common_only(ctx, argc, argv);
	p = ctx->proj;
	json = ctx->format == FMT_JSON;
	attr_cols_load(p, &a);
	rows_init(&r, "case", NULL);
	if (json) {
		rows_add_col(&r, "attributes");
	} else {
		for (size_t i = 0; i < a.n; i++) {
			rows_add_col(&r, a.names[i]);
		}
	}
	rows_add_col(&r, "documents");
	cases = db_prepare(p, "SELECT c.id, c.name, (SELECT count(*) FROM "
			      "documents d WHERE d.case_id = c.id) "
			      "FROM cases c ORDER BY c.id");
	vals = db_prepare(p, "SELECT attr_id, value FROM case_attributes "
			     "WHERE case_id = ? ORDER BY attr_id");
	row = xcalloc(a.n + 1, sizeof(*row));
	while (db_step(p, cases)) {
		char *obj = NULL;
		size_t objlen = 0;
		FILE *mem = NULL;
		int first = 1;

		rows_str(&r, db_col_text(cases, 1));
		sqlite3_bind_int64(vals, 1, sqlite3_column_int64(cases, 0));
		if (json) {
			mem = open_memstream(&obj, &objlen);
			if (!mem) {
				die(QC_INTERNAL, "out of memory");
			}
			fputc('{', mem);
		}
		memset(row, 0, (a.n + 1) * sizeof(*row));
		while (db_step(p, vals)) {
			long long aid = sqlite3_column_int64(vals, 0);
			size_t i = attr_index(&a, aid);

			if (i == a.n || sqlite3_column_type(vals, 1) ==
						SQLITE_NULL) {
				continue;
			}
			if (json) {
				fputs(first ? "" : ", ", mem);
				json_put_str(mem, a.names[i]);
				fputs(": ", mem);
				json_put_str(mem, db_col_text(vals, 1));
				first = 0;
			} else {
				row[i] = xstrdup(db_col_text(vals, 1));
			}
		}
		sqlite3_reset(vals);
		if (json) {
			fputc('}', mem);
			fclose(mem);
			rows_json(&r, obj, obj);
			free(obj);
		} else {
			for (size_t i = 0; i < a.n; i++) {
				rows_str(&r, row[i]);
				free(row[i]);
			}
		}
		rows_int(&r, sqlite3_column_int64(cases, 2));
	}
	sqlite3_finalize(vals);
	sqlite3_finalize(cases);
	free(row);
	rows_write(&r, ctx->format, stdout, 0);
	rows_release(&r);
	attr_cols_release(&a);
	return QC_OK;
}
