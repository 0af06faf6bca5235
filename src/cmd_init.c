/*
 * cmd_init.c - qcode init [FILE]: create a new, empty project.
 */
#include "commands.h"
#include "util.h"

static const char usage[] =
	"usage: qcode init [FILE]\n"
	"\n"
	"Create a new project file (default: -p, $QCODE_PROJECT, or\n"
	"./project.qcode).  An existing file is never overwritten.\n";

int cmd_init(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS,
					      { NULL, 0, NULL, 0 } };
	const char *path;
	struct project *p;

	ctx->usage = usage;
	if (cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts) != -1) {
		cli_usage_error(ctx, "unexpected option");
	}
	if (argc - optind > 1) {
		cli_usage_error(ctx, "too many arguments");
	}
	path = optind < argc ? argv[optind]
			     : project_resolve_path(ctx->project_opt);
	p = project_create(path);
	project_close(p);
	printf("created project '%s'\n", path);
	return QC_OK;
}
