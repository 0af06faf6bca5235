/*
 * cmd_count.c - qcode count: per code, the cases that raised it (k) of
 * the cases in scope (n), the percentage, documents, segments and
 * codings; --by ATTR splits them by an attribute's values.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "out_counts.h"
#include "out_html.h"
#include "report_cli.h"
#include "util.h"

static const char usage[] =
	"usage: qcode count [OPTIONS]\n"
	"\n"
	"For every code: k, the cases (respondents, interviewees) with at\n"
	"least one coding of it or of any of its sub-codes; n, the cases\n"
	"with a non-empty document in scope; the percentage 100 k / n\n"
	"rounded half up to one decimal; and the documents, segments and\n"
	"codings.  A document without a case counts as a case of its own.\n"
	"The table's heads say what k and n are.  Codings left out by\n"
	"--status (suggested ones, by default) are counted in a note on\n"
	"standard error.\n"
	"\n"
	REPORT_SCOPE_USAGE
	REPORT_COUNT_USAGE
	"  --by ATTR           a crosstab: k, n and % for each value of the\n"
	"                      attribute ATTR, and for all cases; the table\n"
	"                      wraps to $COLUMNS (else the terminal's width,\n"
	"                      else 80), repeating the code column\n"
	"  --sort S            codebook (default) or count (most cases first)\n"
	"  --min K             only codes with at least K cases\n"
	"  --format F          table (default), csv, json, md, html or xlsx\n"
	"                      (an Excel workbook: -o FILE)\n"
	CLI_XLSX_USAGE
	CLI_BOM_USAGE
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

int cmd_count(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		REPORT_SCOPE_OPTIONS,
		REPORT_COUNT_OPTIONS,
		{ "by", required_argument, NULL, RO_BY },
		{ NULL, 0, NULL, 0 },
	};
	struct report_opts o;
	struct report r;
	struct rows rows;
	int c;

	ctx->usage = usage;
	report_opts_init(&o);
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		if (!report_cli_option(ctx, c, optarg, &o)) {
			cli_usage_error(ctx, "unexpected option");
		}
	}
	if (optind < argc) {
		report_opts_release(&o);
		cli_usage_error(ctx, "unexpected argument '%s' (name codes "
				"with --code)", argv[optind]);
	}
	report_init(&r, ctx->proj, &o);
	report_count(&r);
	report_status_note(&r, 0, "counted");
	switch (ctx->format) {
	case FMT_CSV:
	case FMT_JSON:
		report_count_rows(&r, &rows);
		break;
	case FMT_MD:
	case FMT_HTML:
		if (o.by) {
			counts_crosstab_rows(&r, &rows, COUNTS_NBSP, NULL);
		} else {
			counts_table_rows(&r, &rows, COUNTS_NBSP, NULL);
		}
		break;
	default:
		if (o.by) {
			counts_crosstab_rows(&r, &rows, 0, NULL);
		} else {
			counts_table_rows(&r, &rows, COUNTS_BAR, NULL);
		}
		break;
	}
	if (ctx->format == FMT_HTML) {
		char *w = o.question ? report_wording(ctx->proj, o.question)
				     : NULL;
		char *title = o.question ? xasprintf("Codes: %s",
						     w ? w : o.question)
					 : xstrdup("Codes");

		free(w);

		html_page_begin(stdout, report_language(ctx->proj), title);
		fputs("<h1 dir=\"auto\">", stdout);
		html_put(stdout, title);
		fputs("</h1>\n", stdout);
		out_html_wide(&rows, stdout);
		html_page_end(stdout);
		free(title);
	} else if (ctx->format == FMT_TABLE && o.by) {
		counts_write_wrapped(&rows, stdout, counts_term_columns(), 1,
				     2);
	} else {
		rows_write(&rows, ctx->format, stdout, 0);
	}
	rows_release(&rows);
	report_release(&r);
	report_opts_release(&o);
	return QC_OK;
}
