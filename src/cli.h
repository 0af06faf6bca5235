/*
 * cli.h - what every command shares: the context main() hands it, the
 * common options (-p/--project, --format, -h/--help), usage errors, and
 * opening the project for reading or for one writing transaction.
 */
#ifndef QCODE_CLI_H
#define QCODE_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "project.h"
#include "out.h"

struct cmd_ctx {
	const char *name;        /* command name, e.g. "import" */
	const char *usage;       /* the command's usage text */
	const char *project_opt; /* -p FILE, global or the command's own */
	enum out_format format;  /* --format, FMT_TABLE by default */
	unsigned formats;        /* formats the command accepts */
	const char *coder;       /* a --coder option, when the command has one */
	const char *output;      /* -o FILE of --format xlsx (cli_getopt) */
	int force;               /* its --force */
	int xlsx;                /* --format xlsx (then format is FMT_CSV) */
	struct project *proj;    /* opened by cli_open() */
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
 * or -1 at the end (then *OPTIND_OUT is the first operand).  A long
 * option named "coder" is also kept in ctx->coder: the history records
 * it as the coder of the change (cli_open).
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

/* Print "qcode: MSG" and the usage to stderr, exit QC_USAGE. */
_Noreturn void cli_usage_error(struct cmd_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define CLI_READ 0
#define CLI_WRITE 1
/* Open the project named by -p / $QCODE_PROJECT / ./project.qcode; with
 * CLI_WRITE also begin the command's transaction and history entry,
 * recorded as the change of cli_coder(ctx->coder).  main() checks the
 * output, then commits when the command returns 0 and rolls back
 * otherwise (a command whose output failed changes nothing). */
struct project *cli_open(struct cmd_ctx *ctx, int mode);

/* The coder name: OPT, else $QCODE_CODER, else the login name. */
const char *cli_coder(const char *opt);

/* For commands whose usage errors show a short synopsis: when ARGV (after
 * argv[0], up to "--") asks for -h or --help, print FULL to stdout and
 * exit 0.  Call it before cli_getopt() with ctx->usage the synopsis. */
void cli_help(int argc, char **argv, const char *full);

/* Parse --delimiter: one character, or 'tab' / '\\t'; dies with a usage
 * error otherwise. */
char cli_delimiter(struct cmd_ctx *ctx, const char *val);

/* Parse a non-negative integer option; dies with a usage error. */
long long cli_uint(struct cmd_ctx *ctx, const char *opt, const char *val);

#endif
