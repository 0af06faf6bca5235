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
#include "out_docx.h"
#include "out_html.h"
#include "out_quotes.h"
#include "report_cli.h"
#include "util.h"

static const char usage[] =
	"usage: qcode report -o FILE.html [OPTIONS]\n"
	"       qcode report --format docx -o FILE.docx [OPTIONS]\n"
	"\n"
	"Write one self-contained HTML report (no network, no other files):\n"
	"for each survey question (and for the documents that answer none),\n"
	"a bar chart of each theme's share of cases with k and %, the\n"
	"crosstab by --by ATTR as grouped bars and a table, the counts table\n"
	"and the quote book.  Sections follow the survey's column order and\n"
	"are headed with the question's wording when the import kept it.  A\n"
	"section leaves out the codes whose 'questions:' list in the codebook\n"
	"does not name its question, and the codes with no cases (it says\n"
	"how many); a question whose codes have no cases gets no section\n"
	"(the page names it at the end).  Wide tables scroll inside the\n"
	"page with the code column fixed.  The\n"
	"page takes the language and direction of the data (the codebook's\n"
	"language, else the script of the text): a Hebrew or Arabic project\n"
	"gives a right-to-left page.\n"
	"\n"
	"--format docx writes the same report as a Word document instead:\n"
	"the sections as headings, the crosstab and counts as Word tables,\n"
	"the quote book with each quote's attribution, right-to-left\n"
	"paragraphs and tables where the text is Hebrew or Arabic.  It has\n"
	"no charts (the HTML report has them).\n"
	"\n"
	"  -o, --output FILE   the file to write ('-': standard output, HTML\n"
	"                      only); never the project\n"
	CLI_FORCE_USAGE
	"  --format F          html (default) or docx (a Word document)\n"
	"  --by ATTR           add the crosstab by attribute ATTR\n"
	"  --title T           the page title (default: 'Theme report' in\n"
	"                      the language of the data)\n"
	"  --lang L            the language code, e.g. he, ar, en (default:\n"
	"                      detected)\n"
	"  --limit N           quotes per code (default 5; 0: all)\n"
	"  --attribution T     as for qcode quotes (default '{case}')\n"
	"  --context C         coding (default) or segment, as for quotes\n"
	"  --all-codes         keep codes with no cases, and sections\n"
	"                      without any\n"
	REPORT_SCOPE_USAGE
	REPORT_COUNT_USAGE
	"  --sort S            codebook (default) or count\n"
	"  --min K             only codes with at least K cases\n"
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum { O_TITLE = OPT_BASE, O_LANG, O_LIMIT, O_ATTR, O_CONTEXT,
       O_ALL_CODES };

/* What the report writes around each section. */
struct page {
	FILE *out;       /* the HTML page, or NULL: */
	struct docx *d;  /* the Word document */
	const char *lang;
	const struct labels *l;
	int rtl;
	int all_codes;   /* --all-codes: keep codes and sections without
			    cases */
	const struct report_quote_opts *qo;
	struct strbuf empty; /* the sections left out, for the last note */
	size_t nempty;
};

/* A survey question: its name, and its wording when the import kept
 * one (the survey's second header row). */
struct question {
	char *name;
	char *wording;
};

/* A section of the Word document: its heading, n, the crosstab and the
 * counts as Word tables, and the quote book; no charts. */
static void section_docx(struct page *pg, struct report *r,
			 const struct question *q, const char *title,
			 size_t dropped)
{
	const struct report_opts *o = r->o;
	struct docx *d = pg->d;
	struct report_quotes qs;
	struct rows rows;
	char *line;

	if (title) {
		docx_heading(d, 1, title);
	}
	if (q && q->wording) {
		line = xasprintf("%s: %s", pg->l->question, q->name);
		docx_para(d, "Note", line, pg->rtl);
		free(line);
	}
	if (r->coder_id && !o->n_all) {
		line = xasprintf("n = %zu %s %s %s", r->nunits, pg->l->cases,
				 pg->l->coded_by, o->coder);
	} else {
		line = xasprintf("n = %zu %s", r->nunits, pg->l->cases);
	}
	docx_para(d, NULL, line, pg->rtl);
	free(line);
	if (dropped) {
		line = xasprintf("%s %zu", pg->l->left_out, dropped);
		docx_para(d, "Note", line, pg->rtl);
		free(line);
	}
	if (o->by) {
		line = xasprintf("%s %s", pg->l->by, o->by);
		docx_heading(d, 2, line);
		free(line);
		counts_crosstab_rows(r, &rows, COUNTS_NBSP, pg->l);
		docx_table(d, &rows);
		rows_release(&rows);
	}
	docx_heading(d, 2, pg->l->counts);
	counts_table_rows(r, &rows, COUNTS_NBSP, pg->l);
	docx_table(d, &rows);
	rows_release(&rows);
	report_quotes(r, pg->qo, &qs);
	if (qs.n) {
		docx_heading(d, 2, pg->l->quotes);
		quotes_docx(r, &qs, pg->lang, 3, d);
	}
	report_quotes_release(&qs);
}

/* One section: the documents answering Q (NULL with NOQ: those
 * answering none; NULL without NOQ: all documents).  A section whose
 * codes have no cases is left out (named in the page's last note)
 * unless --all-codes. */
static void section(struct page *pg, struct project *p,
		    const struct report_opts *base, const struct question *q,
		    int noq)
{
	struct report_opts o = *base;
	struct report r;
	struct report_quotes qs;
	struct rows rows;
	FILE *out = pg->out;
	const char *title = q ? (q->wording ? q->wording : q->name)
			      : noq ? pg->l->other : NULL;
	size_t dropped = 0;
	char *aria;

	o.question = q ? q->name : NULL;
	o.no_question = noq;
	o.applicable = 1;
	report_init(&r, p, &o);
	report_count(&r);
	if (!pg->all_codes) {
		dropped = report_drop_empty(&r);
		if (r.nshow == 0) {
			sb_adds(&pg->empty, pg->nempty++ ? ", " : " ");
			sb_adds(&pg->empty, title ? title : pg->l->other);
			report_release(&r);
			return;
		}
	}
	if (pg->d) {
		section_docx(pg, &r, q, title, dropped);
		report_release(&r);
		return;
	}
	fputs("<section>\n", out);
	if (title) {
		fputs("<h2><bdi>", out);
		html_put(out, title);
		fputs("</bdi></h2>\n", out);
	}
	if (q && q->wording) {
		fprintf(out, "<p class=\"meta\">%s: <bdi>", pg->l->question);
		html_put(out, q->name);
		fputs("</bdi></p>\n", out);
	}
	fprintf(out, "<p class=\"n\"><bdi dir=\"ltr\">n = %zu</bdi> ",
		r.nunits);
	html_put(out, pg->l->cases);
	if (r.coder_id && !o.n_all) {
		fputc(' ', out);
		html_put(out, pg->l->coded_by);
		fputs(" <bdi>", out);
		html_put(out, o.coder);
		fputs("</bdi>", out);
	}
	fputs("</p>\n", out);
	if (dropped) {
		fputs("<p class=\"meta\">", out);
		html_put(out, pg->l->left_out);
		fprintf(out, " %zu</p>\n", dropped);
	}
	fputs("<h3>", out);
	html_put(out, pg->l->share);
	fputs("</h3>\n", out);
	aria = xasprintf("%s%s%s", pg->l->share, title ? ": " : "",
			 title ? title : "");
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
		out_html_wide(&rows, out);
		rows_release(&rows);
	}
	fputs("<h3>", out);
	html_put(out, pg->l->counts);
	fputs("</h3>\n", out);
	counts_table_rows(&r, &rows, COUNTS_NBSP, pg->l);
	out_html_wide(&rows, out);
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

/* The survey questions answered in the project, in the survey's column
 * order (questions.ord), those the questions table lacks after them by
 * name; with ONLY, that question alone. */
static struct question *questions(struct project *p, const char *only,
				  size_t *n)
{
	sqlite3_stmt *st = db_prepare(
		p, "SELECT d.question, q.wording FROM documents d LEFT JOIN "
		   "questions q ON q.name = d.question WHERE d.question IS "
		   "NOT NULL AND d.chars > 0 AND (?1 IS NULL OR d.question = "
		   "?1) GROUP BY d.question ORDER BY q.ord IS NULL, q.ord, "
		   "d.question");
	struct question *v = NULL;

	*n = 0;
	if (only) {
		db_bind_text(p, st, 1, only);
	}
	while (db_step(p, st)) {
		const char *w = (const char *)sqlite3_column_text(st, 1);

		v = xrealloc(v, (*n + 1) * sizeof(*v));
		v[*n].name = xstrdup(db_col_text(st, 0));
		v[*n].wording = w && *w ? xstrdup(w) : NULL;
		(*n)++;
	}
	sqlite3_finalize(st);
	return v;
}

/* The whole page: title, then a section per question. */
static void write_report(struct cmd_ctx *ctx, FILE *out, struct docx *d,
			 const struct report_opts *o,
			 const struct report_quote_opts *qo,
			 const char *title, const char *lang, int all_codes)
{
	struct project *p = ctx->proj;
	struct page pg;
	size_t nq = 0;
	struct question *qv = NULL;

	memset(&pg, 0, sizeof(pg));
	pg.out = out;
	pg.d = d;
	pg.lang = lang;
	pg.l = labels_get(lang);
	pg.rtl = lang_is_rtl(lang);
	pg.qo = qo;
	pg.all_codes = all_codes;
	sb_init(&pg.empty);
	if (!title) {
		title = pg.l->report;
	}
	if (d) {
		docx_title(d, title);
	} else {
		html_page_begin(out, lang, title);
		fputs("<h1><bdi>", out);
		html_put(out, title);
		fputs("</bdi></h1>\n", out);
	}
	qv = questions(p, o->question, &nq);
	for (size_t i = 0; i < nq; i++) {
		section(&pg, p, o, &qv[i], 0);
	}
	if (!o->question && nq == 0) {
		section(&pg, p, o, NULL, 0);
	} else if (!o->question &&
		   db_int(p, 0, "SELECT 1 FROM documents WHERE question IS "
				"NULL AND chars > 0 LIMIT 1")) {
		section(&pg, p, o, NULL, 1);
	}
	if (pg.nempty && d) {
		char *line = xasprintf("%s%s", pg.l->empty, sb_str(&pg.empty));

		docx_para(d, "Note", line, pg.rtl);
		free(line);
	} else if (pg.nempty) {
		fputs("<p class=\"meta\">", out);
		html_put(out, pg.l->empty);
		html_put(out, sb_str(&pg.empty));
		fputs("</p>\n", out);
	}
	if (!d) {
		html_page_end(out);
	}
	sb_release(&pg.empty);
	for (size_t i = 0; i < nq; i++) {
		free(qv[i].name);
		free(qv[i].wording);
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
		{ "all-codes", no_argument, NULL, O_ALL_CODES },
		{ NULL, 0, NULL, 0 },
	};
	struct report_quote_opts qo;
	struct report whole;
	struct report_opts o;
	const char *output = NULL, *title = NULL, *lang = NULL;
	struct out_file out;
	FILE *mem;
	char *buf = NULL;
	size_t len = 0;
	int c, all_codes = 0, force = 0;

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
		case O_ALL_CODES:
			all_codes = 1;
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
		cli_usage_error(ctx, ctx->format == FMT_DOCX
					     ? "name the Word document with -o "
					       "FILE.docx"
					     : "name the report file with -o "
					       "FILE.html");
	}
	if (ctx->format == FMT_DOCX && strcmp(output, "-") == 0) {
		report_opts_release(&o);
		cli_usage_error(ctx, "--format docx needs -o FILE.docx (a Word "
				"document is not written to the terminal)");
	}
	if (qo.attribution) {
		report_check_attribution(ctx->proj, qo.attribution);
	}
	if (!lang) {
		lang = report_language(ctx->proj);
	}
	/* The whole scope once: its checks (an unknown --question, --code,
	 * --coder or attribute) and the note on codings --status leaves
	 * out. */
	report_init(&whole, ctx->proj, &o);
	report_status_note(&whole, 0, "counted or quoted");
	report_release(&whole);
	if (ctx->format == FMT_DOCX) {
		/* libzip writes a temporary file beside the target and
		 * renames it when the document is complete. */
		char *target = out_target(output, OUT_ZIP, force,
					  ctx->proj->path);
		struct docx *d;

		if (!target) {
			die(QC_OUTPUT, "cannot write a Word document to '%s'",
			    output);
		}
		d = docx_new(lang);
		write_report(ctx, NULL, d, &o, &qo, title, lang, all_codes);
		docx_write(d, target);
		free(target);
		report_opts_release(&o);
		return QC_OK;
	}
	/* Build the page in memory, so a failure leaves no partial file. */
	mem = open_memstream(&buf, &len);
	if (!mem) {
		die(QC_INTERNAL, "cannot build the report: %s",
		    strerror(errno));
	}
	write_report(ctx, mem, NULL, &o, &qo, title, lang, all_codes);
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
