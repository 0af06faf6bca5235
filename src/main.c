/*
 * main.c - global options, the command table, dispatch.
 *
 * qcode [-p FILE] COMMAND [ARGS...]
 */
#include <errno.h>
#include <sqlite3.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "util.h"

#ifndef QCODE_VERSION
#define QCODE_VERSION "0.1.0"
#endif

/* A command: what it does with the project (cli.h: CLI_NONE, CLI_READ,
 * CLI_WRITE; the project is opened for it at the end of its options)
 * and the output formats it accepts (--format). */
struct command {
	const char *name;
	cmd_fn *fn;
	enum cli_need need;
	unsigned formats;
	const char *summary;
};

/* What each subcommand needs and writes (COMMAND SUB ...: argv[1] names
 * it); a command without subcommands, or run without one (the listings
 * 'qcode codings' and 'qcode speakers'), has its row in commands[].  The
 * command's own code dispatches to the subcommand. */
struct subcommand {
	const char *command, *name;
	enum cli_need need;
	unsigned formats;
};

#define LIST (FMT_TABLE | FMT_CSV | FMT_JSON | FMT_XLSX)
#define NONE CLI_NONE
#define READ CLI_READ
#define WRITE CLI_WRITE

static const struct command commands[] = {
	{ "init", cmd_init, NONE, 0, "create a new project file" },
	{ "info", cmd_info, READ, LIST, "what the project holds" },
	{ "import", cmd_import, WRITE, 0, "import transcripts, subtitles, surveys, .qdpx" },
	{ "docs", cmd_docs, READ, LIST, "list the documents" },
	{ "show", cmd_show, READ, LIST, "a document and its segments" },
	{ "code", cmd_code, WRITE, 0, "code by hand; accept, reject, remove codings" },
	{ "codings", cmd_codings, READ, LIST, "list codings; import codings done elsewhere" },
	{ "cases", cmd_cases, READ, LIST, "list cases with their attributes" },
	{ "questions", cmd_questions, READ, LIST, "list survey questions with their wording" },
	{ "attr", cmd_attr, WRITE, 0, "set or import case attributes" },
	{ "undo", cmd_undo, WRITE, 0, "revert the last command that changed the project" },
	{ "history", cmd_history, READ, LIST, "list the commands that changed the project" },
	{ "count", cmd_count, READ, LIST | FMT_MD | FMT_HTML, "how many cases raised each code, crosstabs" },
	{ "cooccur", cmd_cooccur, READ, LIST | FMT_MD | FMT_HTML, "codes found together in cases or segments" },
	{ "quotes", cmd_quotes, READ, FMT_CSV | FMT_JSON | FMT_MD | FMT_HTML | FMT_XLSX | FMT_DOCX, "the quote book: coded passages of each code" },
	/* --dry-run without --codebook: CLI_READ */
	{ "autocode", cmd_autocode, WRITE, LIST, "apply the codebook's rules to the documents" },
	/* begins a transaction per decision */
	{ "review", cmd_review, READ, 0, "accept or reject suggested codings one by one" },
	{ "codebook", cmd_codebook, READ, 0, "load, show, export the codebook; rename, merge codes" },
	{ "speakers", cmd_speakers, READ, LIST, "list speakers and their spellings; alias spellings" },
	{ "report", cmd_report, READ, FMT_HTML | FMT_DOCX, "the report as one HTML page or a Word document" },
	{ "export", cmd_export, READ, 0, "write the project as a REFI-QDA .qdpx" },
	{ "merge", cmd_merge, WRITE, 0, "add other coders' copies of the project to this one" },
	{ "consensus", cmd_consensus, WRITE, 0, "two coders' agreed version as a third coder" },
	/* --coders: CLI_READ (--data and --spans, the calculator: none) */
	{ "agree", cmd_agree, NONE, LIST | FMT_MD, "agreement between coders: kappa, alpha, per code" },
	/* begins a transaction per change made in the browser */
	{ "serve", cmd_serve, READ, 0, "a web workspace: code transcripts in the browser" },
	{ "validate", cmd_validate, NONE, LIST, "check .qdpx and .qdc files: schema and references" },
};

static const struct subcommand subcommands[] = {
	{ "code", "add", WRITE, 0 },
	{ "code", "rm", WRITE, 0 },
	{ "code", "accept", WRITE, 0 },
	{ "code", "reject", WRITE, 0 },
	{ "codings", "import", WRITE, 0 },
	{ "attr", "set", WRITE, 0 },
	{ "attr", "import", WRITE, 0 },
	/* load --dry-run writes and rolls back */
	{ "codebook", "load", WRITE, 0 },
	{ "codebook", "show", READ, LIST },
	/* its own --format md|csv|json|qdc and -o */
	{ "codebook", "export", READ, FMT_CSV },
	/* --dry-run writes and rolls back */
	{ "codebook", "rename", WRITE, 0 },
	{ "codebook", "merge", WRITE, 0 },
	{ "speakers", "alias", WRITE, 0 },
	{ "speakers", "unalias", WRITE, 0 },
};

/* The operands a command or subcommand takes after its options (cli.h:
 * at least MIN, at most MAX, -1 for any; "name MISSING" when fewer),
 * checked before the project is opened.  A command not listed checks
 * its own (count, cooccur, report and quotes filter with --code; init,
 * validate and agree open no project; the listings that take none use
 * cli_common_only). */
static const struct {
	const char *command, *sub; /* SUB NULL: the command without one */
	struct cli_operands ops;
} operands[] = {
	{ "import", NULL, { 1, -1, "at least one file to import" } },
	{ "show", NULL, { 1, 1, "the document to show (its id or name)" } },
	{ "code", "add", { 2, 2, "a document and a code" } },
	{ "code", "rm", { 1, -1, "at least one coding id" } },
	{ "code", "accept", { 1, -1, "at least one coding id" } },
	{ "code", "reject", { 1, -1, "at least one coding id" } },
	{ "codings", NULL, { 0, 0, NULL } },
	{ "codings", "import", { 1, 1, "one CSV file of codings" } },
	{ "attr", "set", { 2, -1, "a case and at least one KEY=VALUE" } },
	{ "attr", "import", { 1, -1, "at least one file to import" } },
	{ "undo", NULL, { 0, 0, NULL } },
	{ "autocode", NULL, { 0, 0, NULL } },
	{ "review", NULL, { 0, 0, NULL } },
	{ "codebook", "load", { 1, 1, "the codebook file to load" } },
	{ "codebook", "show", { 0, 0, NULL } },
	{ "codebook", "export", { 0, 0, NULL } },
	{ "codebook", "rename",
	  { 2, 2, "the code and its new path: rename OLD NEW" } },
	{ "codebook", "merge",
	  { 2, 2, "the code to merge and the one it joins: merge FROM INTO" } },
	{ "speakers", NULL, { 0, 0, NULL } },
	{ "speakers", "alias",
	  { 2, 2, "a speaker and the name to show for it: alias FROM TO" } },
	{ "speakers", "unalias",
	  { 1, 1, "the speaker whose alias to remove: unalias FROM" } },
	{ "export", NULL, { 0, 0, NULL } },
	{ "merge", NULL, { 1, -1, "the projects to merge" } },
	{ "serve", NULL, { 0, 0, NULL } },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))
#define NSUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))
#define NOPERANDS (sizeof(operands) / sizeof(operands[0]))

/* Its first paragraph is the short usage of a usage error. */
static const char main_usage[] =
	"usage: qcode [-p FILE] COMMAND [ARGS...]\n"
	"       qcode help [COMMAND [SUBCOMMAND]]\n"
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

/* A usage error of the global options: "qcode: MSG" and the short
 * usage; returns QC_USAGE. */
static int main_usage_error(const char *fmt, ...) QC_PRINTF(1, 2);
static int main_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("qcode: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cli_synopsis(main_usage, stderr);
	return QC_USAGE;
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
	unsigned formats = cmd->formats;
	/* the names of its subcommands, for cli_subcommand_error */
	char subs[128] = "";
	const char *sub = NULL;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	ctx.name = cmd->name;
	ctx.usage = "";
	ctx.need = cmd->need;
	for (size_t i = 0; i < NSUBCOMMANDS; i++) {
		if (strcmp(subcommands[i].command, cmd->name) != 0) {
			continue;
		}
		snprintf(subs + strlen(subs), sizeof(subs) - strlen(subs),
			 "%s%s", *subs ? ", " : "", subcommands[i].name);
		if (argc > 1 && strcmp(subcommands[i].name, argv[1]) == 0) {
			ctx.need = subcommands[i].need;
			formats = subcommands[i].formats;
			sub = subcommands[i].name;
		}
	}
	for (size_t i = 0; i < NOPERANDS; i++) {
		if (strcmp(operands[i].command, cmd->name) == 0 &&
		    (operands[i].sub && sub ? strcmp(operands[i].sub, sub) == 0
					    : operands[i].sub == sub)) {
			ctx.operands = &operands[i].ops;
		}
	}
	ctx.subcommands = *subs ? subs : NULL;
	ctx.project_opt = project_opt;
	ctx.format = FMT_TABLE;
	ctx.formats = formats ? formats : FMT_TABLE;
	ctx.argc = argc;
	/* getopt permutes the array it parses; the history records the
	 * command line as it was typed, from this copy. */
	ctx.argv = xmalloc(((size_t)argc + 1) * sizeof(char *));
	memcpy(ctx.argv, argv, ((size_t)argc + 1) * sizeof(char *));
	rc = cmd->fn(&ctx, argc, argv);
	util_set_usage_hook(NULL); /* ctx, whose usage it prints, ends here */
	/* --format xlsx: the workbook (kept when the command ran) */
	rows_finish(rc == QC_OK || rc == QC_FAIL);
	free(ctx.argv);
	ctx.argv = NULL;
	/* The output is checked before the change is committed: a command
	 * whose report could not be written changes nothing (die() rolls the
	 * transaction back).  The project was opened at the end of the
	 * command's options (cli_getopt). */
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
	/* No thread shares a connection with another running thread (serve
	 * answers on one server thread while the main thread waits;
	 * autocode's scanning threads never call SQLite), so SQLite need
	 * not lock around every call, nor count memory: a tenth of what
	 * storing a coding costs (autocode.c). */
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "-p") == 0 ||
		    strcmp(argv[i], "--project") == 0) {
			if (i + 1 >= argc) {
				return main_usage_error("option '%s' needs a "
							"value", argv[i]);
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
			return main_usage_error("unknown option '%s'",
						argv[i]);
		}
	}
	if (i >= argc) {
		return main_usage_error("name a command; 'qcode help' lists "
					"them");
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
				return main_usage_error("unknown command '%s'; "
							"'qcode help' lists "
							"them", argv[i + 1]);
			}
			if (i + 3 < argc) {
				return main_usage_error("unexpected argument "
							"'%s'", argv[i + 3]);
			}
			return run(cmd, project_opt, i + 2 < argc ? 3 : 2,
				   help_argv);
		}
		list_commands(stdout);
		return QC_OK;
	}
	cmd = find_command(argv[i]);
	if (!cmd) {
		return main_usage_error("unknown command '%s'; 'qcode help' "
					"lists them", argv[i]);
	}
	return run(cmd, project_opt, argc - i, argv + i);
}
