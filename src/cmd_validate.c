/*
 * cmd_validate.c - qcode validate FILE...: check REFI-QDA files (.qdpx,
 * .qde, .qdc) against the schemas and qcode's own reference checks.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "refi_validate.h"
#include "util.h"

static const char usage[] =
	"usage: qcode validate [--schema-dir DIR] [--format table|csv|json]\n"
	"                      FILE.qdpx|FILE.qde|FILE.qdc...\n"
	"\n"
	"Check REFI-QDA files: against the schema (Project.xsd for projects,\n"
	"Codebook.xsd for codebooks), and for what the schema cannot see:\n"
	"every GUID referenced names an element of the right kind, no GUID\n"
	"is used twice, sources named internal:// are in the archive and are\n"
	"UTF-8, every selection lies within its source (counted as the\n"
	"writing tool counts), the namespace is the 1.0 one.  Lists each\n"
	"problem with its place: file, line, problem.  Exit status 0 when\n"
	"every file is valid, 1 when problems were found, 3 when a file\n"
	"cannot be read.\n"
	"\n"
	"  --schema-dir DIR    the folder of Project.xsd and Codebook.xsd\n"
	"                      (default $QCODE_SCHEMA_DIR, else the installed\n"
	"                      copy, else ../shared/refi/schemas beside the\n"
	"                      source tree)\n"
	CLI_LIST_USAGE;

enum { O_SCHEMA = OPT_BASE };

int cmd_validate(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "schema-dir", required_argument, NULL, O_SCHEMA },
		{ NULL, 0, NULL, 0 },
	};
	struct refi_problems ps;
	const char *opt_dir = NULL;
	char *dir, *why;
	int c, rc = QC_OK;

	ctx->usage = usage;
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		switch (c) {
		case O_SCHEMA:
			opt_dir = optarg;
			break;
		default:
			cli_usage_error(ctx, "unexpected option");
		}
	}
	if (optind >= argc) {
		cli_usage_error(ctx, "name at least one file to validate");
	}
	dir = refi_schema_dir(opt_dir, &why);
	if (!dir) {
		die(QC_INPUT, "%s", why);
	}
	memset(&ps, 0, sizeof(ps));
	for (int i = optind; i < argc; i++) {
		size_t before = ps.n;
		char *msg;

		if (refi_validate(argv[i], dir, &ps, &msg) != 0) {
			error("%s", msg);
			free(msg);
			rc = QC_INPUT;
			continue;
		}
		if (ps.n > before) {
			error("%zu problem%s in '%s'", ps.n - before,
			      ps.n - before == 1 ? "" : "s", argv[i]);
			if (rc == QC_OK) {
				rc = QC_FAIL;
			}
		} else if (ctx->format == FMT_TABLE) {
			printf("'%s': valid\n", argv[i]);
		}
	}
	if (ps.n || ctx->format != FMT_TABLE) {
		struct rows r;

		rows_init(&r, "file", "line", "problem", NULL);
		for (size_t i = 0; i < ps.n; i++) {
			rows_str(&r, ps.v[i].place);
			if (ps.v[i].line > 0) {
				rows_int(&r, ps.v[i].line);
			} else {
				rows_null(&r);
			}
			rows_str(&r, ps.v[i].msg);
		}
		rows_write(&r, ctx->format, stdout, 0);
		rows_release(&r);
	}
	refi_problems_release(&ps);
	free(dir);
	return rc;
}
