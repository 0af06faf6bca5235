/*
 * cmd_report.c - qcode report -o FILE.html: one self-contained HTML
 * file (inline CSS and SVG, nothing fetched) with, per survey question,
 * a bar chart of each theme's share of cases, the crosstab by --by
 * ATTR as grouped bars and a table, the counts table and the quote
 * book, in the language and direction of the data.  No timestamps: the
 * same project gives the same bytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "labels.h"
#include "out_chart.h"
#include "out_counts.h"
#include "out_html.h"
#include "out_quotes.h"
#include "report_cli.h"
#include "util.h"

static const char usage[] =
	"usage: qcode report -o FILE.html [OPTIONS]\n"
	"\n"
	"Write one self-contained HTML report (no network, no other files):\n"
	"for each survey question (and for the documents that answer none),\n"
	"a bar chart of each theme's share of cases with k and %, the\n"
	"crosstab by --by ATTR as grouped bars and a table, the counts table\n"
	"and the quote book.  A section leaves out the codes whose\n"
	"'questions:' list in the codebook does not name its question.  The\n"
	"page takes the language and direction of the data (the codebook's\n"
	"language, else the script of the text): a Hebrew or Arabic project\n"
	"gives a right-to-left page.\n"
	"\n"
	"  -o, --output FILE   the HTML file to write ('-': standard output)\n"
	CLI_FORCE_USAGE
	"  --by ATTR           add the crosstab by attribute ATTR\n"
	"  --title T           the page title (default: 'Theme report' in\n"
	"                      the language of the data)\n"
	"  --lang L            the language code, e.g. he, ar, en (default:\n"
	"                      detected)\n"
	"  --limit N           quotes per code (default 5; 0: all)\n"
	"  --attribution T     as for qcode quotes (default '{case}')\n"
	"  --context C         coding (default) or segment, as for quotes\n"
	REPORT_SCOPE_USAGE
	"  --sort S            codebook (default) or count\n"
	"  --min K             only codes with at least K cases\n"
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum { O_TITLE = OPT_BASE, O_LANG, O_LIMIT, O_ATTR, O_CONTEXT };

/* What the report writes around each section. */
struct page {
	FILE *out;
	const char *lang;
	const struct labels *l;
	int rtl;
	const struct report_quote_opts *qo;
};

/* One section: the documents answering QUESTION (NULL with NOQ: those
 * answering none; NULL without NOQ: all documents). */
static void section(struct page *pg, struct project *p,
		    const struct report_opts *base, const char *question,
		    int noq)
{
	struct report_opts o = *base;
	struct report r;
	struct report_quotes qs;
	struct rows rows;
	FILE *out = pg->out;
	char *aria;

	o.question = question;
	o.no_question = noq;
	o.applicable = 1;
	report_init(&r, p, &o);
	report_count(&r);
	fputs("<section>\n", out);
	if (question || noq) {
		fputs("<h2><bdi>", out);
		html_put(out, question ? question : pg->l->other);
		fputs("</bdi></h2>\n", out);
	}
	fprintf(out, "<p class=\"n\">n = %zu ", r.nunits);
	html_put(out, pg->l->cases);
	fputs("</p>\n<h3>", out);
	html_put(out, pg->l->share);
	fputs("</h3>\n", out);
	aria = xasprintf("%s%s%s", pg->l->share, question ? ": " : "",
			 question ? question : "");
	chart_bars(out, &r, pg->rtl, aria);
	free(aria);
	if (o.by) {
		fputs("<h3>", out);
		html_put(out, pg->l->by);
		fputs(" <bdi>", out);
		html_put(out, o.by);
		fputs("</bdi></h3>\n", out);
		chart_legend(out, &r);
		chart_grouped(out, &r, pg->rtl, o.by);
		counts_crosstab_rows(&r, &rows, COUNTS_NBSP, pg->l);
		out_html(&rows, out);
		rows_release(&rows);
	}
	fputs("<h3>", out);
	html_put(out, pg->l->counts);
	fputs("</h3>\n", out);
	counts_table_rows(&r, &rows, COUNTS_NBSP, pg->l);
	out_html(&rows, out);
	rows_release(&rows);
	report_quotes(&r, pg->qo, &qs);
	if (qs.n) {
		fputs("<h3>", out);
		html_put(out, pg->l->quotes);
		fputs("</h3>\n", out);
		quotes_html(&r, &qs, pg->lang, 4, out);
	}
	fputs("</section>\n", out);
	report_quotes_release(&qs);
	report_release(&r);
}

/* The survey questions in the order they first appear. */
static char **questions(struct project *p, size_t *n)
{
	sqlite3_stmt *st = db_prepare(p, "SELECT question FROM documents "
					 "WHERE question IS NOT NULL AND "
					 "chars > 0 GROUP BY question ORDER "
					 "BY min(id)");
	char **v = NULL;

	*n = 0;
	while (db_step(p, st)) {
		v = xrealloc(v, (*n + 1) * sizeof(char *));
		v[(*n)++] = xstrdup(db_col_text(st, 0));
	}
	sqlite3_finalize(st);
	return v;
}

/* The whole page: title, then a section per question. */
static void write_report(struct cmd_ctx *ctx, FILE *out,
			 const struct report_opts *o,
			 const struct report_quote_opts *qo,
			 const char *title, const char *lang)
{
	struct project *p = ctx->proj;
	struct page pg;
	size_t nq = 0;
	char **qv = NULL;

	pg.out = out;
	pg.lang = lang;
	pg.l = labels_get(lang);
	pg.rtl = lang_is_rtl(lang);
	pg.qo = qo;
	if (!title) {
		title = pg.l->report;
	}
	html_page_begin(out, lang, title);
	fputs("<h1><bdi>", out);
	html_put(out, title);
	fputs("</bdi></h1>\n", out);
	if (o->question) {
		section(&pg, p, o, o->question, 0);
	} else {
		qv = questions(p, &nq);
		for (size_t i = 0; i < nq; i++) {
			section(&pg, p, o, qv[i], 0);
		}
		if (nq == 0) {
			section(&pg, p, o, NULL, 0);
		} else if (db_int(p, 0, "SELECT 1 FROM documents WHERE "
					"question IS NULL AND chars > 0 "
					"LIMIT 1")) {
			section(&pg, p, o, NULL, 1);
		}
	}
	html_page_end(out);
	for (size_t i = 0; i < nq; i++) {
		free(qv[i]);
	}
	free(qv);
}

int cmd_report(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		REPORT_SCOPE_OPTIONS,
		REPORT_COUNT_OPTIONS,
		{ "by", required_argument, NULL, RO_BY },
		{ "output", required_argument, NULL, 'o' },
		CLI_FORCE_OPTION,
		{ "title", required_argument, NULL, O_TITLE },
		{ "lang", required_argument, NULL, O_LANG },
		{ "limit", required_argument, NULL, O_LIMIT },
		{ "attribution", required_argument, NULL, O_ATTR },
		{ "context", required_argument, NULL, O_CONTEXT },
		{ NULL, 0, NULL, 0 },
	};
	struct report_quote_opts qo;
	struct report_opts o;
	const char *output = NULL, *title = NULL, *lang = NULL;
	struct out_file out;
	FILE *mem;
	char *buf = NULL;
	size_t len = 0;
	int c, force = 0;

	ctx->usage = usage;
	memset(&qo, 0, sizeof(qo));
	qo.limit = 5;
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
		case O_TITLE:
			title = optarg;
			break;
		case O_LANG:
			if (!*optarg || strspn(optarg, "abcdefghijklmnopqrstu"
					   "vwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123"
					   "456789") != strlen(optarg)) {
				report_opts_release(&o);
				cli_usage_error(ctx, "--lang needs a language "
						"code such as he, ar or en, not "
						"'%s'", optarg);
			}
			lang = optarg;
			break;
		case O_LIMIT:
			qo.limit = cli_uint(ctx, "--limit", optarg);
			break;
		case O_ATTR:
			qo.attribution = optarg;
			break;
		case O_CONTEXT:
			qo.context_segment = report_cli_context(ctx, optarg,
								 &o);
			break;
		default:
			if (!report_cli_option(ctx, c, optarg, &o)) {
				cli_usage_error(ctx, "unexpected option");
			}
		}
	}
	if (optind < argc) {
		report_opts_release(&o);
		cli_usage_error(ctx, "unexpected argument '%s' (name codes "
				"with --code)", argv[optind]);
	}
	if (!output) {
		report_opts_release(&o);
		cli_usage_error(ctx, "name the report file with -o FILE.html");
	}
	cli_open(ctx, CLI_READ);
	if (qo.attribution) {
		report_check_attribution(ctx->proj, qo.attribution);
	}
	if (!lang) {
		lang = report_language(ctx->proj);
	}
	/* Build the page in memory, so a failure leaves no partial file. */
	mem = open_memstream(&buf, &len);
	if (!mem) {
		die(QC_INTERNAL, "cannot build the report: %s",
		    strerror(errno));
	}
	write_report(ctx, mem, &o, &qo, title, lang);
	if (fclose(mem) != 0) {
		die(QC_INTERNAL, "cannot build the report: %s",
		    strerror(errno));
	}
	out_open(&out, output, OUT_MARKUP, force, ctx->proj->path);
	fwrite(buf, 1, len, out.f);
	free(buf);
	out_commit(&out);
	report_opts_release(&o);
	return QC_OK;
}
