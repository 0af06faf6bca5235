/*
 * main.c - global options, the command table, dispatch.
 *
 * qcode [-p FILE] COMMAND [ARGS...]
 */
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "util.h"

#ifndef QCODE_VERSION
#define QCODE_VERSION "0.1.0"
#endif

struct command {
	const char *name;
	cmd_fn *fn;
	unsigned formats; /* output formats the command accepts */
	const char *summary;
};

#define LIST (FMT_TABLE | FMT_CSV | FMT_JSON | FMT_XLSX)

static const struct command commands[] = {
	{ "init", cmd_init, 0, "create a new project file" },
	{ "info", cmd_info, LIST, "what the project holds" },
	{ "import", cmd_import, 0, "import transcripts, subtitles, surveys, .qdpx" },
	{ "docs", cmd_docs, LIST, "list the documents" },
	{ "show", cmd_show, LIST, "a document and its segments" },
	{ "code", cmd_code, 0, "code by hand; accept, reject, remove codings" },
	{ "codings", cmd_codings, LIST, "list codings; import codings done elsewhere" },
	{ "cases", cmd_cases, LIST, "list cases with their attributes" },
	{ "questions", cmd_questions, LIST, "list survey questions with their wording" },
	{ "attr", cmd_attr, 0, "set or import case attributes" },
	{ "undo", cmd_undo, 0, "revert the last command that changed the project" },
	{ "history", cmd_history, LIST, "list the commands that changed the project" },
	{ "count", cmd_count, LIST | FMT_MD | FMT_HTML, "how many cases raised each code, crosstabs" },
	{ "cooccur", cmd_cooccur, LIST | FMT_MD | FMT_HTML, "codes found together in cases or segments" },
	{ "quotes", cmd_quotes, FMT_CSV | FMT_JSON | FMT_MD | FMT_HTML | FMT_XLSX | FMT_DOCX, "the quote book: coded passages of each code" },
	{ "autocode", cmd_autocode, LIST, "apply the codebook's rules to the documents" },
	{ "review", cmd_review, 0, "accept or reject suggested codings one by one" },
	{ "codebook", cmd_codebook, LIST, "load, show and export the codebook" },
	{ "speakers", cmd_speakers, LIST, "list speakers and their spellings; alias spellings" },
	{ "report", cmd_report, FMT_HTML | FMT_DOCX, "the report as one HTML page or a Word document" },
	{ "export", cmd_export, 0, "write the project as a REFI-QDA .qdpx" },
	{ "merge", cmd_merge, 0, "add other coders' copies of the project to this one" },
	{ "consensus", cmd_consensus, 0, "two coders' agreed version as a third coder" },
	{ "agree", cmd_agree, LIST | FMT_MD, "agreement between coders: kappa, alpha, per code" },
	{ "serve", cmd_serve, 0, "a web workspace: code transcripts in the browser" },
	{ "validate", cmd_validate, LIST, "check .qdpx and .qdc files: schema and references" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char main_usage[] =
	"usage: qcode [-p FILE] COMMAND [ARGS...]\n"
	"       qcode help [COMMAND]\n"
	"       qcode --version\n"
	"\n"
	"The project is the file named by -p, else $QCODE_PROJECT, else\n"
	"./project.qcode.  'qcode COMMAND --help' describes a command.\n";

static void list_commands(FILE *out)
{
	fputs(main_usage, out);
	fputs("\ncommands:\n", out);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		fprintf(out, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	}
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, name) == 0) {
			return &commands[i];
		}
	}
	return NULL;
}

static int run(const struct command *cmd, const char *project_opt,
	       int argc, char **argv)
{
	struct cmd_ctx ctx;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	ctx.name = cmd->name;
	ctx.usage = "";
	ctx.project_opt = project_opt;
	ctx.format = FMT_TABLE;
	ctx.formats = cmd->formats ? cmd->formats : FMT_TABLE;
	ctx.argc = argc;
	/* getopt permutes the array it parses; the history records the
	 * command line as it was typed, from this copy. */
	ctx.argv = xmalloc(((size_t)argc + 1) * sizeof(char *));
	memcpy(ctx.argv, argv, ((size_t)argc + 1) * sizeof(char *));
	rc = cmd->fn(&ctx, argc, argv);
	/* --format xlsx: the workbook (kept when the command ran) */
	rows_finish(rc == QC_OK || rc == QC_FAIL);
	free(ctx.argv);
	ctx.argv = NULL;
	/* The output is checked before the change is committed: a command
	 * whose report could not be written changes nothing (die() rolls the
	 * transaction back). */
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		die(QC_OUTPUT, "cannot write output: %s",
		    errno ? strerror(errno) : "write error");
	}
	if (ctx.proj) {
		/* Only success commits.  QC_FAIL ("ran, found problems") comes
		 * from commands that wrote nothing (validate) or had nothing
		 * to do (undo), so rolling back loses nothing. */
		if (rc == QC_OK) {
			project_commit(ctx.proj);
		} else {
			project_rollback(ctx.proj);
		}
		project_close(ctx.proj);
		ctx.proj = NULL;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const char *project_opt = NULL;
	const struct command *cmd;
	int i = 1;

	setlocale(LC_CTYPE, "");
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "-p") == 0 ||
		    strcmp(argv[i], "--project") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "qcode: option '%s' needs a "
					"value\n%s", argv[i], main_usage);
				return QC_USAGE;
			}
			project_opt = argv[i + 1];
			i += 2;
		} else if (strncmp(argv[i], "--project=", 10) == 0) {
			project_opt = argv[i] + 10;
			i++;
		} else if (strcmp(argv[i], "-h") == 0 ||
			   strcmp(argv[i], "--help") == 0) {
			list_commands(stdout);
			return QC_OK;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("qcode %s\n", QCODE_VERSION);
			return QC_OK;
		} else {
			fprintf(stderr, "qcode: unknown option '%s'\n%s",
				argv[i], main_usage);
			return QC_USAGE;
		}
	}
	if (i >= argc) {
		list_commands(stderr);
		return QC_USAGE;
	}
	if (strcmp(argv[i], "help") == 0) {
		if (i + 1 < argc) {
			/* qcode help CMD [SUB]: what 'qcode CMD [SUB] --help'
			 * prints. */
			char *help_argv[] = { argv[i + 1],
					      i + 2 < argc ? argv[i + 2]
							   : "--help",
					      "--help", NULL };

			cmd = find_command(argv[i + 1]);
			if (!cmd) {
				fprintf(stderr, "qcode: unknown command '%s'; "
					"'qcode help' lists them\n", argv[i + 1]);
				return QC_USAGE;
			}
			if (i + 3 < argc) {
				fprintf(stderr, "qcode: usage: qcode help "
					"[COMMAND [SUBCOMMAND]]\n");
				return QC_USAGE;
			}
			return run(cmd, project_opt, i + 2 < argc ? 3 : 2,
				   help_argv);
		}
		list_commands(stdout);
		return QC_OK;
	}
	cmd = find_command(argv[i]);
	if (!cmd) {
		fprintf(stderr, "qcode: unknown command '%s'; 'qcode help' "
			"lists them\n", argv[i]);
		return QC_USAGE;
	}
	return run(cmd, project_opt, argc - i, argv + i);
}
