/*
 * cli.h - what every command shares: the context main() hands it, the
 * common options (-p/--project, --format, -h/--help), usage errors, and
 * opening the project for reading or for one writing transaction.
 *
 * A command's run, as main() and cli_getopt() make it:
 *  1. main() finds the command (and its subcommand) in its table, which
 *     says what it needs (ctx->need) and which formats it writes;
 *  2. the command parses its options with cli_getopt(); --help prints
 *     ctx->usage and exits without touching the project;
 *  3. at the end of the options cli_getopt() opens the project as
 *     ctx->need says (CLI_WRITE: with the command's transaction and
 *     history entry) into ctx->proj; a command whose need depends on an
 *     option sets ctx->need while parsing;
 *  4. the command runs on ctx->proj and returns an exit code;
 *  5. main() checks the output, then commits when the command returned
 *     QC_OK and rolls back otherwise (a command that failed, found
 *     problems, or whose output could not be written changes nothing).
 */
#ifndef QCODE_CLI_H
#define QCODE_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "project.h"
#include "out.h"

/* What a command does with the project (the command table's flags). */
enum cli_need {
	CLI_NONE,  /* nothing: no project is opened (init, validate) */
	CLI_READ,  /* reads it */
	CLI_WRITE  /* changes it in one transaction, recorded in history */
};

/* The operands a command takes after its options (main.c's command
 * table): at least MIN, at most MAX (-1: any number); MISSING completes
 * "name ..." when there are fewer.  cli_getopt() checks them at the end
 * of the options, before the project is opened. */
struct cli_operands {
	int min, max;
	const char *missing;
};

struct cmd_ctx {
	const char *name;        /* command name, e.g. "import" */
	const char *usage;       /* the command's whole help text: its
				  * synopsis lines, a blank line, the rest */
	enum cli_need need;      /* how cli_getopt() opens the project */
	const char *project_opt; /* -p FILE, global or the command's own */
	enum out_format format;  /* --format, FMT_TABLE by default */
	unsigned formats;        /* formats the command accepts */
	const char *coder;       /* a --coder option, when the command has one */
	const char *output;      /* -o FILE of --format xlsx (cli_getopt) */
	int force;               /* its --force */
	int xlsx;                /* --format xlsx (then format is FMT_CSV) */
	struct project *proj;    /* opened at the end of the options */
	int no_foreign_keys;     /* CLI_WRITE: run the transaction with
				  * SQLite's foreign-key checks off; only
				  * for a command whose every reference is
				  * to a row it read in that transaction
				  * and no delete of which cascades
				  * (autocode: cmd_autocode.c) */
	const char *subcommands; /* its subcommands, "add, rm" (main.c's
				  * table), or NULL */
	const struct cli_operands *operands; /* or NULL: the command
					      * checks them itself */
	int argc;                /* the command's own argv, for history */
	char **argv;
};

/* Option codes for long options without a short form start here. */
#define OPT_BASE 1000
enum { OPT_FORMAT = 900, OPT_PROJECT_LONG, OPT_FORCE, OPT_BOM, OPT_NO_BOM };
/* --force of the commands that write -o FILE (util.h out_open). */
#define CLI_FORCE_OPTION { "force", no_argument, NULL, OPT_FORCE }
#define CLI_FORCE_USAGE                                                 \
	"  --force             replace FILE even when it is not of this\n" \
	"                      format\n"
/* The help lines of the output options cli_getopt() adds (one wording for
 * every command): -o/--force for a command with xlsx, --bom/--no-bom for
 * one with CSV; CLI_LIST_USAGE is the --format line of a listing with
 * table, csv, json and xlsx, and both.  The help case checks that each
 * command's help names what its parser takes. */
#define CLI_XLSX_USAGE                                                  \
	"  -o, --output FILE   with --format xlsx: the workbook to write\n" \
	"                      (required; never the project)\n"            \
	CLI_FORCE_USAGE
#define CLI_BOM_USAGE                                                   \
	"  --bom, --no-bom     CSV: begin with a UTF-8 byte-order mark (for\n" \
	"                      Excel; default $QCODE_CSV_BOM=1)\n"
#define CLI_LIST_USAGE                                                  \
	"  --format F          table (default), csv, json or xlsx (an Excel\n" \
	"                      workbook: -o FILE)\n"                       \
	CLI_XLSX_USAGE CLI_BOM_USAGE

/* Long options every command accepts; commands append their own. */
#define CLI_COMMON_OPTIONS                                              \
	{ "project", required_argument, NULL, 'p' },                    \
	{ "format", required_argument, NULL, OPT_FORMAT },              \
	{ "help", no_argument, NULL, 'h' }
#define CLI_COMMON_SHORT "p:h"

/* Long options of the commands that read survey tables ('import', 'attr
 * import'): append CLI_TABLE_OPTIONS to the command's own and give each
 * option code to cli_table_option(). */
enum { OPT_ENCODING = 950, OPT_DELIM, OPT_IDCOL, OPT_SKIP, OPT_MISSING,
       OPT_HEADER_ROWS, OPT_SHEET };
#define CLI_TABLE_OPTIONS                                               \
	{ "encoding", required_argument, NULL, OPT_ENCODING },          \
	{ "delimiter", required_argument, NULL, OPT_DELIM },            \
	{ "id-column", required_argument, NULL, OPT_IDCOL },            \
	{ "skip-rows", required_argument, NULL, OPT_SKIP },             \
	{ "missing", required_argument, NULL, OPT_MISSING },            \
	{ "header-rows", required_argument, NULL, OPT_HEADER_ROWS },    \
	{ "sheet", required_argument, NULL, OPT_SHEET }
struct import_opts;
/* Apply table option C with argument ARG to O (--missing replaces an
 * earlier list; free O->missing with free_strv).  Returns 1, or 0 when C
 * is not a table option.  Dies with a usage error on a bad value. */
int cli_table_option(struct cmd_ctx *ctx, int c, const char *arg,
		     struct import_opts *o);

/*
 * Run getopt_long over ARGV (argv[0] is the command name), handling the
 * common options itself; returns the next command-specific option code,
 * or -1 at the end (then optind is the first operand).  A long option
 * named "coder" is also kept in ctx->coder: the history records it as
 * the coder of the change.
 *
 * At the end of the options it checks the number of operands against
 * ctx->operands (a usage error), then, unless ctx->need is CLI_NONE or
 * the project is open already, it opens the project named by -p /
 * $QCODE_PROJECT / ./project.qcode into ctx->proj, with CLI_WRITE also
 * beginning the command's transaction and history entry, recorded as the
 * change of cli_coder(ctx->coder).  (A command that begins its own transactions,
 * review and serve, needs CLI_READ.)  So options are checked before the
 * project is opened, and so are the operands' number where the command
 * table gives it; a usage error found later (a bad operand) rolls the
 * transaction back.
 *
 * Output options, added here for every command whose formats have them
 * unless the command defines the option itself: --bom / --no-bom when it
 * has CSV (csv_set_bom); -o/--output FILE and --force when it has xlsx.
 * --format xlsx sets ctx->xlsx and ctx->format = FMT_CSV, and at the end
 * of the options names the workbook (rows_xlsx_target); without -o, or
 * with -o and another format, it is a usage error.
 */
int cli_getopt(struct cmd_ctx *ctx, int argc, char **argv,
	       const char *shortopts, const struct option *longopts);

/* For a command with no options or operands of its own: parse the common
 * options; any other option or any operand is a usage error. */
void cli_common_only(struct cmd_ctx *ctx, int argc, char **argv);

/* A usage error: print "qcode: MSG" and the command's short usage (the
 * synopsis lines of ctx->usage) to stderr, roll back and close the
 * project if it is open, exit QC_USAGE. */
_Noreturn void cli_usage_error(struct cmd_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The usage error of a command with subcommands run with SUB, which is
 * none of ctx->subcommands, or without one (SUB NULL or ""): "unknown
 * subcommand 'SUB' (choose from: ...)" or "name a subcommand (choose
 * from: ...)", one wording for every command. */
_Noreturn void cli_subcommand_error(struct cmd_ctx *ctx, const char *sub);

/* Write the short usage of the help text HELP to OUT: its lines up to
 * the first blank line (the synopsis). */
void cli_synopsis(const char *help, FILE *out);

/* The coder name: OPT, else $QCODE_CODER, else the login name. */
const char *cli_coder(const char *opt);

/* For commands with subcommands or operands that would stop option
 * parsing before a --help: when ARGV (after argv[0], up to "--") asks for
 * -h or --help anywhere, print FULL (the whole help) to stdout and exit
 * 0.  Call it before cli_getopt(). */
void cli_help(int argc, char **argv, const char *full);

/* Parse --delimiter: one character, or 'tab' / '\\t'; dies with a usage
 * error otherwise. */
char cli_delimiter(struct cmd_ctx *ctx, const char *val);

/* Parse a non-negative integer option; dies with a usage error. */
long long cli_uint(struct cmd_ctx *ctx, const char *opt, const char *val);

#endif
