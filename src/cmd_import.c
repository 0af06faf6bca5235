/*
 * cmd_import.c - qcode import FILE...: transcripts, subtitles, survey
 * exports and REFI-QDA projects into the project, in one transaction.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "import.h"
#include "progress.h"
#include "util.h"

static const char usage[] =
	"usage: qcode import [OPTIONS] FILE...\n"
	"\n"
	"Import transcripts (.txt, .md, Word .docx, OpenDocument .odt),\n"
	"subtitles (.vtt, .srt), survey exports (.csv, .tsv, Excel .xlsx)\n"
	"and REFI-QDA projects (.qdpx).  Text is stored as UTF-8 with the\n"
	"BOM removed and CRLF turned into LF; .docx and .odt keep their\n"
	"paragraphs' text, a blank line between paragraphs.  A file whose\n"
	"content is already in the project is skipped with a notice.\n"
	"\n"
	"  --format F          force the format (txt, md, vtt, srt, csv, tsv,\n"
	"                      xlsx, turns, qdpx, qde, docx, odt) instead\n"
	"                      of detecting it\n"
	"  --encoding E        the files' encoding (cp1255, cp1256, cp1252,\n"
	"                      iso-8859-8, utf-16, ...); default UTF-8\n"
	"  --case NAME         the case (respondent) the documents belong to\n"
	"  --name NAME         the document name (one file only; default: the\n"
	"                      file name)\n"
	"surveys (csv, tsv, xlsx): header rows, then one row per case.  Cells\n"
	"are trimmed; an empty or --missing cell (matched exactly, case and\n"
	"all) gives no document or attribute.  One exact answer in at least\n"
	"10 and 2% of a question's answers (a marker such as NotShown?) is\n"
	"warned about, naming the --missing that leaves it out.  A csv/tsv\n"
	"row may hold at most 16 MiB of text (a quote never closed is\n"
	"reported with the line where it opened).\n"
	"  --delimiter C       field separator (default: detect , ; or tab;\n"
	"                      tab for .tsv and .tab)\n"
	"  --sheet NAME|N      the sheet of an .xlsx workbook (default: the\n"
	"                      first)\n"
	"  --id-column COL     the column naming the case (default: the\n"
	"                      first; a Qualtrics export's ResponseId); a\n"
	"                      case may appear once per file.  @row names\n"
	"                      the cases by row number (1 for the first row\n"
	"                      after the header rows), the same on re-import\n"
	"  --text-columns A,B  the open-ended questions (required): each\n"
	"                      non-empty cell becomes a document CASE/QUESTION\n"
	"                      with one answer segment; every other column\n"
	"                      becomes a case attribute\n"
	"  --header-rows N     N header rows (default 1): the first names the\n"
	"                      columns, the second holds the questions'\n"
	"                      wording (kept: see 'qcode questions'), others\n"
	"                      are ignored.  Without --header-rows and\n"
	"                      --skip-rows a Qualtrics export (a third row of\n"
	"                      {\"ImportId\":...}) is recognised and read with\n"
	"                      3, with a notice; its legacy layout (no\n"
	"                      ImportId row) needs --header-rows 2\n"
	"  --skip-rows N       skip N rows after the header rows\n"
	"  --missing V1,V2     values that count as empty (e.g. NotShown)\n"
	"turn tables (turns): a header naming start, end, speaker and text\n"
	"columns, one utterance per row; a .csv, .tsv or .txt file whose\n"
	"header names a text column and a speaker or start column is one\n"
	"when no --text-columns are given.  One document per file;\n"
	"consecutive rows of one speaker merge into one turn.\n"
	"\n"
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum {
	O_FORMAT = OPT_BASE, O_CASE, O_NAME, O_TEXTCOLS,
};

/* The sizes of the N files at PATHS, added up (unreadable ones count 0:
 * importing them reports why). */
static size_t total_bytes(int n, char **paths)
{
	size_t total = 0;

	for (int i = 0; i < n; i++) {
		struct stat st;

		if (stat(paths[i], &st) == 0) {
			total += (size_t)st.st_size;
		}
	}
	return total;
}

int cmd_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "project", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "case", required_argument, NULL, O_CASE },
		{ "name", required_argument, NULL, O_NAME },
		{ "text-columns", required_argument, NULL, O_TEXTCOLS },
		CLI_TABLE_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct import_opts o;
	struct import_ctx ic;
	struct progress pg;
	int c;

	memset(&o, 0, sizeof(o));
	ctx->usage = usage;
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		switch (c) {
		case O_FORMAT:
			o.format = optarg;
			if (!import_format_by_name(optarg)) {
				cli_usage_error(ctx, "unknown import format "
						"'%s' (choose from: %s)",
						optarg, import_format_list());
			}
			break;
		case O_CASE:
			o.case_name = optarg;
			break;
		case O_NAME:
			o.name = optarg;
			break;
		case O_TEXTCOLS:
			free_strv(o.text_columns);
			o.text_columns = split_list(optarg, ',');
			break;
		default:
			if (!cli_table_option(ctx, c, optarg, &o)) {
				cli_usage_error(ctx, "unexpected option");
			}
		}
	}
	if (optind >= argc) {
		cli_usage_error(ctx, "name at least one file to import");
	}
	if (o.name && argc - optind > 1) {
		cli_usage_error(ctx, "--name needs exactly one file");
	}
	import_ctx_init(&ic, ctx->proj, &o);
	progress_start_bytes(&pg, "importing", total_bytes(argc - optind,
							   argv + optind));
	ic.pg = &pg;
	for (int i = optind; i < argc; i++) {
		struct stat st;

		import_path(&ic, argv[i]);
		if (stat(argv[i], &st) == 0) {
			ic.bytes_done += (size_t)st.st_size;
		}
		progress_update(&pg, ic.bytes_done);
	}
	progress_end(&pg);
	printf("imported %zu file%s: %zu document%s, %zu segment%s, %zu new "
	       "case%s",
	       ic.stats.files - ic.stats.skipped,
	       ic.stats.files - ic.stats.skipped == 1 ? "" : "s",
	       ic.stats.documents, ic.stats.documents == 1 ? "" : "s",
	       ic.stats.segments, ic.stats.segments == 1 ? "" : "s",
	       ic.stats.cases, ic.stats.cases == 1 ? "" : "s");
	if (ic.stats.codes || ic.stats.codings || ic.stats.coders ||
	    ic.stats.memos) {
		printf("; %zu new code%s, %zu coding%s, %zu new coder%s, %zu "
		       "memo%s", ic.stats.codes, ic.stats.codes == 1 ? "" : "s",
		       ic.stats.codings, ic.stats.codings == 1 ? "" : "s",
		       ic.stats.coders, ic.stats.coders == 1 ? "" : "s",
		       ic.stats.memos, ic.stats.memos == 1 ? "" : "s");
	}
	if (ic.stats.skipped) {
		printf(" (%zu already present)", ic.stats.skipped);
	}
	putchar('\n');
	import_ctx_release(&ic);
	/* Nothing new: leave the project, history included, as it was. */
	if (ic.stats.files == ic.stats.skipped) {
		project_rollback(ctx->proj);
	}
	free_strv(o.text_columns);
	free_strv(o.missing);
	return QC_OK;
}
