/*
 * cmd_codings_import.c - qcode codings import FILE.csv: the options and
 * help; the engine that reads, checks and writes the codings is
 * codings_import.c.
 */
#include <stdlib.h>
#include <string.h>

#include "codings_import.h"
#include "commands.h"
#include "util.h"

static const char usage[] =
	"usage: " CODINGS_IMPORT_SYNOPSIS
	"\n"
	"Import codings done elsewhere (their origin: 'imported').\n"
	"They are accepted unless a status column says suggested or rejected.\n"
	"What 'qcode codings --format csv --memos' lists imports back as it\n"
	"was (not its JSON).\n"
	"Long layout (the default): one row per coding; columns by name:\n"
	"  document      the document's name or id, or instead\n"
	"  case          the respondent, with 'question' (or --question) for\n"
	"                the survey answer coded\n"
	"  code          the code: a path 'Parent/Child' or a name ('tag' is\n"
	"                read when there is no 'code'; see Code names below)\n"
	"  start, end    optional: the document's characters from 0, the end\n"
	"                excluded (as 'qcode codings' lists them); a row\n"
	"                without them codes the whole document\n"
	"  segment       optional: without start/end, code segment N; with\n"
	"                them, N must be the span's segment (the first one\n"
	"                ending after start), which need not hold the whole\n"
	"                span (it may start on a speaker label, or run on)\n"
	"  coder, memo   optional\n"
	"  status        optional: accepted (also an empty cell), suggested\n"
	"                or rejected; not read in the wide layout\n"
	"Wide layout (--wide): an id column naming the case and any number of\n"
	"code columns ('Code 1', 'Code 2', ...); each filled cell codes the\n"
	"case's answer to --question Q.\n"
	"Without a question column or --question, the question is the one\n"
	"column named after a survey question in the project.  Codings\n"
	"already in the project are skipped; a case on two rows of a wide\n"
	"sheet is an error.\n"
	"\n"
	"Code names: when the file writes hierarchy (--tag-separator is given,\n"
	"or a value contains '/'), every value is a full path from the top\n"
	"and a value without a separator is a top-level code.  Only in a file\n"
	"that writes no paths may a name stand for the one sub-code that has\n"
	"it, and not with --create-codes (it could be a new top-level code):\n"
	"that, or a name several codes have, is an error listing their paths.\n"
	"\n"
	"  --wide              the wide layout\n"
	"  --question Q        the survey question the codes apply to\n"
	"  --id-column COL     the column naming the case (long: when there is\n"
	"                      no 'case' column; wide: default the first)\n"
	"  --code-column COL   long: the column holding the code\n"
	"  --code-columns A,B  wide: the code columns (default: every column\n"
	"                      whose name starts with 'code')\n"
	"  --tag-separator S   the string between levels of a code: '->',\n"
	"                      '>', '::', ':' or '/' (spaces around a level\n"
	"                      are dropped); with '->', 'know->unaware' is\n"
	"                      the code know/unaware (a '/' inside a level\n"
	"                      becomes U+2215 '\xE2\x88\x95')\n"
	"  --text-column COL   the column holding the text coded (the answer;\n"
	"                      long: the row's segment or span, if any):\n"
	"                      compared with the project's, white space\n"
	"                      normalised; every difference is reported\n"
	"  --strict            a text that differs is an error\n"
	"  --skip-codes V,W    code values that mean no code (NotCodable)\n"
	"  --create-codes      create codes the codebook lacks\n"
	"  --coder NAME        the coder where the file names none (default\n"
	"                      $QCODE_CODER, else the login name)\n"
	"  --encoding E        the file's encoding (cp1252, cp1255, ...)\n"
	"  --delimiter C       field separator (default: detect , ; or tab)\n"
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum {
	O_WIDE = OPT_BASE, O_QUESTION, O_IDCOL, O_CODECOL, O_CODECOLS,
	O_TAGSEP, O_SKIP, O_CREATE, O_CODER, O_ENCODING, O_DELIM, O_TEXTCOL,
	O_STRICT,
};

int cmd_codings_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "wide", no_argument, NULL, O_WIDE },
		{ "question", required_argument, NULL, O_QUESTION },
		{ "id-column", required_argument, NULL, O_IDCOL },
		{ "code-column", required_argument, NULL, O_CODECOL },
		{ "code-columns", required_argument, NULL, O_CODECOLS },
		{ "tag-separator", required_argument, NULL, O_TAGSEP },
		{ "skip-codes", required_argument, NULL, O_SKIP },
		{ "create-codes", no_argument, NULL, O_CREATE },
		{ "coder", required_argument, NULL, O_CODER },
		{ "encoding", required_argument, NULL, O_ENCODING },
		{ "delimiter", required_argument, NULL, O_DELIM },
		{ "text-column", required_argument, NULL, O_TEXTCOL },
		{ "strict", no_argument, NULL, O_STRICT },
		{ NULL, 0, NULL, 0 },
	};
	struct ci_opts o;
	char *tmp;
	int c;

	/* It writes no listing: no --format xlsx, -o or --bom of
	 * 'codings' (cli_getopt adds them by the formats). */
	ctx->formats = FMT_TABLE;
	memset(&o, 0, sizeof(o));
	ctx->usage = usage;
	cli_help(argc, argv, usage);
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		switch (c) {
		case O_WIDE:
			o.wide = 1;
			break;
		case O_QUESTION:
			o.question = optarg;
			break;
		case O_IDCOL:
			o.id_column = optarg;
			break;
		case O_CODECOL:
			o.code_column = optarg;
			break;
		case O_CODECOLS:
			free_strv(o.code_columns);
			o.code_columns = split_list(optarg, ',');
			break;
		case O_TAGSEP:
			tmp = xstrdup(optarg);
			free(o.tag_sep);
			o.tag_sep = xstrdup(trim(tmp));
			free(tmp);
			if (!*o.tag_sep) {
				cli_usage_error(ctx, "--tag-separator needs "
						"characters other than spaces");
			}
			break;
		case O_TEXTCOL:
			o.text_column = optarg;
			break;
		case O_STRICT:
			o.strict = 1;
			break;
		case O_SKIP:
			free_strv(o.skip_codes);
			o.skip_codes = split_list(optarg, ',');
			break;
		case O_CREATE:
			o.create = 1;
			break;
		case O_CODER:
			o.coder = optarg;
			break;
		case O_ENCODING:
			o.encoding = optarg;
			break;
		case O_DELIM:
			o.delimiter = cli_delimiter(ctx, optarg);
			break;
		default:
			cli_usage_error(ctx, "unexpected option");
		}
	}
	if (argc - optind != 1) {
		cli_usage_error(ctx, "name one CSV file of codings");
	}
	if (o.code_column && o.wide) {
		cli_usage_error(ctx, "--code-column is for the long layout; "
				"with --wide name the columns with "
				"--code-columns");
	}
	if (o.code_columns && !o.wide) {
		cli_usage_error(ctx, "--code-columns needs --wide");
	}
	if (o.strict && !o.text_column) {
		cli_usage_error(ctx, "--strict needs --text-column");
	}
	o.coder = cli_coder(o.coder);
	import_codings(ctx->proj, &o, argv[optind]);
	free_strv(o.code_columns);
	free_strv(o.skip_codes);
	free(o.tag_sep);
	return QC_OK;
}
