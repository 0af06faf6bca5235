/*
 * cmd_questions.c - qcode questions: the survey questions, with their
 * wording and how many answers and respondents each has.
 */
#include "commands.h"
#include "util.h"

static const char usage[] =
	"usage: qcode questions [--format table|csv|json]\n"
	"\n"
	"List the survey questions (the --text-columns of imported surveys)\n"
	"in the order of their columns: name (as documents and codebooks\n"
	"name it), wording (the question's text from a second header row,\n"
	"e.g. a Qualtrics export's; empty when the file had none), answers\n"
	"(documents) and cases (respondents who answered).\n"
	"\n"
	CLI_LIST_USAGE;

int cmd_questions(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct project *p;
	struct rows r;
	sqlite3_stmt *st;

	ctx->usage = usage;
	cli_common_only(ctx, argc, argv);
	p = ctx->proj;
	rows_init(&r, "name", "wording", "answers", "cases", NULL);
	/* The questions table, then questions documents name that it lacks
	 * (a project imported before questions were kept). */
	st = db_prepare(
		p, "WITH a(name, answers, cases) AS (SELECT question, "
		   "count(*), count(DISTINCT coalesce(case_id, -id)) FROM "
		   "documents WHERE question IS NOT NULL GROUP BY question), "
		   "q(name, wording, k1, k2) AS (SELECT name, wording, 0, ord "
		   "FROM questions UNION ALL SELECT name, NULL, 1, 0 FROM a "
		   "WHERE name NOT IN (SELECT name FROM questions)) "
		   "SELECT q.name, q.wording, coalesce(a.answers, 0), "
		   "coalesce(a.cases, 0) FROM q LEFT JOIN a USING(name) "
		   "ORDER BY k1, k2, q.name");
	while (db_step(p, st)) {
		rows_str(&r, db_col_text(st, 0));
		rows_str(&r, sqlite3_column_type(st, 1) == SQLITE_NULL
				     ? NULL
				     : db_col_text(st, 1));
		rows_int(&r, sqlite3_column_int64(st, 2));
		rows_int(&r, sqlite3_column_int64(st, 3));
	}
	sqlite3_finalize(st);
	rows_write(&r, ctx->format, stdout, 0);
	rows_release(&r);
	return QC_OK;
}
