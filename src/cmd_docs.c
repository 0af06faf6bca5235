/*
 * cmd_docs.c - qcode docs: the documents in the project.
 */
#include "commands.h"
#include "listing.h"
#include "util.h"

static const char usage[] =
	"usage: qcode docs [--format table|csv|json]\n"
	"\n"
	"List the documents in the project, in import order: id, name, case,\n"
	"survey question, format, number of segments, length in characters\n"
	"and the sha256 of the stored text.  'qcode show DOC' prints one.\n"
	"\n"
	CLI_LIST_USAGE;

void docs_rows(struct project *p, struct rows *r)
{
	sqlite3_stmt *st;

	rows_init(r, "id", "name", "case", "question", "format", "segments",
		  "chars", "sha256", NULL);
	st = db_prepare(p, "SELECT d.id, d.name, c.name, d.question, "
			   "d.format, (SELECT count(*) FROM segments s WHERE "
			   "s.doc_id = d.id), d.chars, d.sha256 FROM documents "
			   "d LEFT JOIN cases c ON c.id = d.case_id ORDER BY "
			   "d.id");
	while (db_step(p, st)) {
		rows_int(r, sqlite3_column_int64(st, 0));
		rows_str(r, db_col_text(st, 1));
		rows_str(r, (const char *)sqlite3_column_text(st, 2));
		rows_str(r, (const char *)sqlite3_column_text(st, 3));
		rows_str(r, db_col_text(st, 4));
		rows_int(r, sqlite3_column_int64(st, 5));
		rows_int(r, sqlite3_column_int64(st, 6));
		rows_str(r, db_col_text(st, 7));
	}
	sqlite3_finalize(st);
}

int cmd_docs(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct project *p;
	struct rows r;

	ctx->usage = usage;
	cli_common_only(ctx, argc, argv);
	p = ctx->proj;
	docs_rows(p, &r);
	rows_write(&r, ctx->format, stdout, 0);
	rows_release(&r);
	return QC_OK;
}
