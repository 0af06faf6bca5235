/*
 * cmd_info.c - qcode info: counts of what the project holds.
 */
#include "commands.h"
#include "listing.h"
#include "util.h"

static const char usage[] =
	"usage: qcode info [--format table|csv|json]\n"
	"\n"
	"Print the number of cases, documents, segments, codes, codings and\n"
	"coders in the project.\n"
	"\n"
	CLI_LIST_USAGE;

void info_rows(struct project *p, struct rows *r)
{
	static const char *const what[][2] = {
		{ "cases", "cases" },       { "documents", "documents" },
		{ "segments", "segments" }, { "codes", "codes" },
		{ "codings", "codings" },   { "coders", "coders" },
	};

	rows_init(r, NULL);
	for (size_t i = 0; i < sizeof(what) / sizeof(what[0]); i++) {
		rows_add_col(r, what[i][0]);
	}
	for (size_t i = 0; i < sizeof(what) / sizeof(what[0]); i++) {
		rows_int(r, db_int(p, 0, "SELECT count(*) FROM \"%w\"",
				    what[i][1]));
	}
}

int cmd_info(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct project *p;
	struct rows r;

	ctx->usage = usage;
	cli_common_only(ctx, argc, argv);
	p = ctx->proj;
	info_rows(p, &r);
	rows_write(&r, ctx->format, stdout, ROWS_OBJECT);
	rows_release(&r);
	return QC_OK;
}
