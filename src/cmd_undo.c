/*
 * cmd_undo.c - qcode undo: revert the last command that changed the
 * project.  The undo is itself recorded in the history.
 */
#include <stdlib.h>

#include "commands.h"
#include "util.h"

static const char usage[] =
	"usage: qcode undo\n"
	"\n"
	"Revert the last command that changed the project and has not been\n"
	"undone yet.  Repeat to go further back.  'qcode history' lists them.\n";

int cmd_undo(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct project *p;
	char *what = NULL;
	long long id;

	ctx->usage = usage;
	cli_common_only(ctx, argc, argv);
	p = cli_open(ctx, CLI_WRITE);
	id = project_undo(p, &what);
	if (!id) {
		project_rollback(p);
		die(QC_FAIL, "nothing to undo in '%s'", p->path);
	}
	printf("undid #%lld: qcode %s\n", id, what);
	free(what);
	return QC_OK;
}
