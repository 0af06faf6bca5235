/*
 * cmd_undo.c - qcode undo: take back the coder's last change to the
 * project (--any: anyone's).  The undo is itself recorded in the history.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "util.h"

static const char usage[] =
	"usage: qcode undo [--coder NAME] [--any]\n"
	"\n"
	"Take back your last change to the project that has not been undone\n"
	"yet: the last command recorded under your coder name.  Repeat to go\n"
	"further back.  'qcode history' lists the changes and their coders.\n"
	"Another coder's later changes stay.  When one of them builds on your\n"
	"change (it edited or removed what your change made, or coded a\n"
	"document it imported), undo refuses and names it.\n"
	"\n"
	"  --coder NAME        whose change to take back (default\n"
	"                      $QCODE_CODER, else the login name)\n"
	"  --any               the last change of anyone, whoever made it\n"
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n"
	"\n"
	"Exit 1 when there is nothing to undo or the undo is refused.\n";

enum { O_CODER = OPT_BASE, O_ANY };

int cmd_undo(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "coder", required_argument, NULL, O_CODER },
		{ "any", no_argument, NULL, O_ANY },
		{ NULL, 0, NULL, 0 },
	};
	struct project *p;
	const char *coder;
	char *what = NULL;
	long long id, last;
	int any = 0, c;

	ctx->usage = usage;
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		switch (c) {
		case O_CODER:
			break; /* cli_getopt keeps it in ctx->coder */
		case O_ANY:
			any = 1;
			break;
		default:
			cli_usage_error(ctx, "unexpected option");
		}
	}
	if (optind < argc) {
		cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	}
	coder = cli_coder(ctx->coder);
	p = ctx->proj;
	if (ctx->coder && *ctx->coder) {
		/* --coder names whose change to take back; the history
		 * records who took it back ($QCODE_CODER, $USER or the
		 * login name, as cli_coder() finds it). */
		const char *runner = cli_coder(NULL);

		project_set_coder(p, runner);
		char *sql = sqlite3_mprintf("UPDATE history SET coder = %Q "
					    "WHERE id = %lld", runner,
					    p->hist_id);

		db_exec(p, sql);
		sqlite3_free(sql);
	}
	id = project_undo(p, coder, any, &what);
	if (id < 0) {
		error("%s", what);
		free(what);
		return QC_FAIL;
	}
	if (!id) {
		if (any) {
			error("nothing to undo in '%s'", p->path);
			return QC_FAIL;
		}
		last = db_int(p, 0, "SELECT max(id) FROM history WHERE kind="
				    "'command' AND undone_by IS NULL AND id < "
				    "%lld", p->hist_id);
		if (!last) {
			error("nothing to undo in '%s'", p->path);
			return QC_FAIL;
		}
		{
			char *sql = sqlite3_mprintf(
				"SELECT coder FROM history WHERE id=%lld", last);
			sqlite3_stmt *st = db_prepare(p, sql);
			char *who;

			sqlite3_free(sql);
			who = db_step(p, st) && sqlite3_column_type(st, 0) !=
							 SQLITE_NULL
				      ? xasprintf("'%s'", db_col_text(st, 0))
				      : xstrdup("an unnamed coder");
			sqlite3_finalize(st);
			error("nothing of coder '%s' to undo in '%s'; the last "
			      "change is #%lld by %s ('qcode undo --any' takes "
			      "it back)",
			      coder, p->path, last, who);
			free(who);
		}
		return QC_FAIL;
	}
	printf("undid #%lld: qcode %s\n", id, what);
	free(what);
	return QC_OK;
}
