/*
 * cmd_history.c - qcode history: the audit log of commands that changed
 * the project, oldest first.
 */
#include "commands.h"
#include "util.h"

static const char usage[] =
	"usage: qcode history [--format table|csv|json]\n"
	"\n"
	"List every command that changed the project: its number, kind\n"
	"(command or undo), the command line, the coder, and what undid it.\n"
	"\n"
	CLI_LIST_USAGE;

int cmd_history(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct project *p;
	sqlite3_stmt *st;
	struct rows r;

	ctx->usage = usage;
	cli_common_only(ctx, argc, argv);
	p = ctx->proj;
	rows_init(&r, "id", "kind", "command", "coder", "undone_by", NULL);
	st = db_prepare(p, "SELECT id, kind, CASE WHEN kind = 'undo' THEN "
			   "'undo #' || undoes ELSE command || CASE WHEN args "
			   "= '' THEN '' ELSE ' ' || args END END, coder, "
			   "undone_by FROM history ORDER BY id");
	while (db_step(p, st)) {
		rows_int(&r, sqlite3_column_int64(st, 0));
		rows_str(&r, db_col_text(st, 1));
		rows_str(&r, db_col_text(st, 2));
		rows_str(&r, (const char *)sqlite3_column_text(st, 3));
		if (sqlite3_column_type(st, 4) == SQLITE_NULL) {
			rows_null(&r);
		} else {
			rows_int(&r, sqlite3_column_int64(st, 4));
		}
	}
	sqlite3_finalize(st);
	rows_write(&r, ctx->format, stdout, 0);
	rows_release(&r);
	return QC_OK;
}
