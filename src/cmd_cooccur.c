/*
 * cmd_cooccur.c - qcode cooccur: for every pair of codes, the cases (or
 * the coded segments) carrying both; a code counts with its sub-codes.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "out_counts.h"
#include "out_html.h"
#include "report_cli.h"
#include "util.h"

static const char usage[] =
	"usage: qcode cooccur [--unit case|segment] [OPTIONS]\n"
	"\n"
	"A code x code matrix: how many cases (with --unit segment: coded\n"
	"segments) carry both codes; a code counts with its sub-codes, and\n"
	"the diagonal is the code's own count.  The table numbers the codes\n"
	"and names them in the first columns; csv and json list every pair\n"
	"with a non-zero count (fields code, path, with, with_path, and\n"
	"cases or segments).  The table wraps to $COLUMNS (else the\n"
	"terminal's width, else 80), repeating the number and code columns.\n"
	"\n"
	"  --unit U            case (default) or segment\n"
	REPORT_SCOPE_USAGE
	"  --min K             only codes with at least K cases\n"
	"  --format F          table (default), csv, json, md, html or xlsx\n"
	"                      (an Excel workbook: -o FILE)\n"
	CLI_XLSX_USAGE
	CLI_BOM_USAGE
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum { O_UNIT = OPT_BASE };

int cmd_cooccur(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		REPORT_SCOPE_OPTIONS,
		{ "min", required_argument, NULL, RO_MIN },
		{ "unit", required_argument, NULL, O_UNIT },
		{ NULL, 0, NULL, 0 },
	};
	struct report_opts o;
	struct report r;
	struct rows rows;
	long long *mat;
	int c, seg = 0;

	ctx->usage = usage;
	report_opts_init(&o);
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		if (c == O_UNIT) {
			if (strcmp(optarg, "segment") == 0) {
				seg = 1;
			} else if (strcmp(optarg, "case") == 0) {
				seg = 0;
			} else {
				report_opts_release(&o);
				cli_usage_error(ctx, "unknown unit '%s' (choose "
						"from: case, segment)", optarg);
			}
		} else if (!report_cli_option(ctx, c, optarg, &o)) {
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
	mat = report_cooccur(&r, seg);
	if (ctx->format == FMT_CSV || ctx->format == FMT_JSON) {
		counts_cooccur_long(&r, mat, seg ? "segments" : "cases", &rows);
	} else {
		counts_cooccur_rows(&r, mat, &rows,
				    ctx->format == FMT_TABLE ? 0 : COUNTS_NBSP);
	}
	if (ctx->format == FMT_HTML) {
		const char *title = seg ? "Codes in the same segment"
					: "Codes in the same case";

		html_page_begin(stdout, report_language(ctx->proj), title);
		fputs("<h1>", stdout);
		html_put(stdout, title);
		fputs("</h1>\n", stdout);
		out_html_wide(&rows, stdout);
		html_page_end(stdout);
	} else if (ctx->format == FMT_TABLE) {
		counts_write_wrapped(&rows, stdout, counts_term_columns(), 2,
				     1);
	} else {
		rows_write(&rows, ctx->format, stdout, 0);
	}
	free(mat);
	rows_release(&rows);
	report_release(&r);
	report_opts_release(&o);
	return QC_OK;
}
