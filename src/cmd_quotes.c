/*
 * cmd_quotes.c - qcode quotes [CODE...]: the quote book, the coded
 * passages of each code with where they come from and who said them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "labels.h"
#include "out_docx.h"
#include "out_html.h"
#include "out_quotes.h"
#include "report_cli.h"
#include "util.h"

static const char usage[] =
	"usage: qcode quotes [OPTIONS] [CODE...]\n"
	"\n"
	"The quote book: for each code (all codes, or the CODEs named and\n"
	"their sub-codes) in codebook order, its coded passages ordered by\n"
	"case, document and position, each with its case, document, segment,\n"
	"speaker, time, coder and an attribution.  The same project always\n"
	"gives the same bytes.  Markdown (the default) and HTML mark\n"
	"right-to-left quotes so they render right-to-left.  Codings left\n"
	"out by --status (suggested ones, by default) are counted in a\n"
	"note on standard error.\n"
	"\n"
	"  --attribution T     the attribution of each quote: {name} is a\n"
	"                      case attribute (e.g. '{role}, {sector}') or\n"
	"                      one of {case} {document} {question} {speaker}\n"
	"                      {coder} {segment} {time}; {{ and }} are braces.\n"
	"                      Default: '{case}' (the document's name when it\n"
	"                      has no case)\n"
	"  --context C         coding (default): the coded text (codings of a\n"
	"                      code that overlap, as autocode's sentence and\n"
	"                      match units can make, each quote their words);\n"
	"                      segment: the whole segment (answer, speaker\n"
	"                      turn) around it, every segment when it runs\n"
	"                      into the next ones; once per code however many\n"
	"                      codings it holds\n"
	"  --limit N           at most N passages per code (0: all)\n"
	"  -o, --output FILE   write the quote book to FILE (default: standard\n"
	"                      output; xlsx and docx need it); never the\n"
	"                      project\n"
	CLI_FORCE_USAGE
	REPORT_SCOPE_USAGE
	"  --format F          md (default), html, csv, json, xlsx (a sheet)\n"
	"                      or docx (a Word document); xlsx and docx\n"
	"                      need -o FILE\n"
	CLI_BOM_USAGE
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum { O_ATTR = OPT_BASE, O_CONTEXT, O_LIMIT };

int cmd_quotes(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		REPORT_SCOPE_OPTIONS,
		{ "attribution", required_argument, NULL, O_ATTR },
		{ "context", required_argument, NULL, O_CONTEXT },
		{ "limit", required_argument, NULL, O_LIMIT },
		{ "output", required_argument, NULL, 'o' },
		CLI_FORCE_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	struct report_quote_opts qo;
	struct report_quotes qs;
	struct report_opts o;
	struct report r;
	const char *lang, *output = NULL;
	struct out_file of;
	FILE *out;
	int c, force = 0;

	ctx->usage = usage;
	memset(&qo, 0, sizeof(qo));
	report_opts_init(&o);
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT "o:",
			       opts)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case OPT_FORCE:
			force = 1;
			break;
		case O_ATTR:
			qo.attribution = optarg;
			break;
		case O_CONTEXT:
			qo.context_segment = report_cli_context(ctx, optarg,
								 &o);
			break;
		case O_LIMIT:
			qo.limit = cli_uint(ctx, "--limit", optarg);
			break;
		default:
			if (!report_cli_option(ctx, c, optarg, &o)) {
				cli_usage_error(ctx, "unexpected option");
			}
		}
	}
	for (int i = optind; i < argc; i++) {
		report_opts_add_code(&o, argv[i]);
	}
	if (ctx->format == FMT_TABLE) {
		ctx->format = FMT_MD;
	}
	if (ctx->xlsx && (!output || strcmp(output, "-") == 0)) {
		cli_usage_error(ctx, "--format xlsx needs -o FILE.xlsx (a "
				"workbook is not written to the terminal)");
	}
	if (ctx->format == FMT_DOCX && (!output || strcmp(output, "-") == 0)) {
		cli_usage_error(ctx, "--format docx needs -o FILE.docx (a Word "
				"document is not written to the terminal)");
	}
	if (qo.attribution) {
		report_check_attribution(ctx->proj, qo.attribution);
	}
	report_init(&r, ctx->proj, &o);
	report_select_show(&r);
	report_status_note(&r, 1, "quoted");
	report_quotes(&r, &qo, &qs);
	lang = report_language(ctx->proj);
	memset(&of, 0, sizeof(of));
	if (ctx->format == FMT_DOCX) {
		/* libzip writes a temporary file beside the target and
		 * renames it when the document is complete. */
		char *target = out_target(output, OUT_ZIP, force,
					  ctx->proj->path);
		struct docx *d = docx_new(lang);

		if (!target) {
			die(QC_OUTPUT, "cannot write a Word document to '%s'",
			    output);
		}
		docx_title(d, labels_get(lang)->quotes);
		quotes_docx(&r, &qs, lang, 1, d);
		docx_write(d, target);
		free(target);
		report_quotes_release(&qs);
		report_release(&r);
		report_opts_release(&o);
		return QC_OK;
	}
	if (ctx->xlsx) {
		rows_xlsx_target(output, force, ctx->project_opt, "quotes");
		out = stdout; /* unused: the rows go to the workbook */
	} else {
		out_open(&of, output ? output : "-",
			 ctx->format == FMT_HTML ? OUT_MARKUP : OUT_TEXT,
			 force, ctx->proj->path);
		out = of.f;
	}
	if (ctx->format == FMT_MD) {
		quotes_md(&r, &qs, lang, 2, out);
	} else if (ctx->format == FMT_HTML) {
		const struct labels *l = labels_get(lang);

		html_page_begin(out, lang, l->quotes);
		fputs("<h1>", out);
		html_put(out, l->quotes);
		fputs("</h1>\n", out);
		quotes_html(&r, &qs, lang, 2, out);
		html_page_end(out);
	} else {
		struct rows rows;

		quotes_rows(&r, &qs, &rows);
		rows_write(&rows, ctx->format, out, 0);
		rows_release(&rows);
	}
	if (!ctx->xlsx) {
		out_commit(&of);
	}
	report_quotes_release(&qs);
	report_release(&r);
	report_opts_release(&o);
	return QC_OK;
}
