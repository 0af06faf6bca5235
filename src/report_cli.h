/*
 * report_cli.h - the options count, cooccur, quotes and report share:
 * --question, --code, --coder, --status, --depth, --where, --min,
 * --sort and --by, parsed into a struct report_opts.
 */
#ifndef QCODE_REPORT_CLI_H
#define QCODE_REPORT_CLI_H

#include "cli.h"
#include "report.h"

enum {
	RO_QUESTION = 1100, RO_CODE, RO_CODER, RO_STATUS, RO_DEPTH,
	RO_WHERE, RO_MIN, RO_SORT, RO_BY, RO_ROLLUP, RO_N,
};

/* What every report command scopes by. */
#define REPORT_SCOPE_OPTIONS                                            \
	{ "question", required_argument, NULL, RO_QUESTION },          \
	{ "code", required_argument, NULL, RO_CODE },                  \
	{ "coder", required_argument, NULL, RO_CODER },                \
	{ "status", required_argument, NULL, RO_STATUS },              \
	{ "depth", required_argument, NULL, RO_DEPTH },                \
	{ "where", required_argument, NULL, RO_WHERE }
/* What the count tables add. */
#define REPORT_COUNT_OPTIONS                                            \
	{ "min", required_argument, NULL, RO_MIN },                    \
	{ "sort", required_argument, NULL, RO_SORT },                  \
	{ "rollup", required_argument, NULL, RO_ROLLUP },              \
	{ "n", required_argument, NULL, RO_N }

/* Usage lines for the scope options. */
#define REPORT_SCOPE_USAGE                                              \
	"  --question Q        only documents answering survey question Q\n" \
	"  --code C            only code C and its sub-codes (repeatable)\n" \
	"  --coder NAME        only codings by NAME\n"                  \
	"  --status S          accepted (default: manual, imported and\n" \
	"                      accepted codings), suggested, or all (both;\n" \
	"                      rejected codings never count)\n"         \
	"  --depth N           codes down to level N (top level is 1)\n" \
	"  --where ATTR=VALUE  only cases whose attribute ATTR is VALUE\n" \
	"                      (repeatable: all must hold)\n"

/* Usage lines for --rollup and --n. */
#define REPORT_COUNT_USAGE                                              \
	"  --rollup R          subcodes (default): a code's k counts the\n" \
	"                      cases coded with it or any of its sub-codes;\n" \
	"                      none: only the cases coded with the code\n" \
	"                      itself\n"                                  \
	"  --n N               with --coder, n is the cases with at least\n" \
	"                      one coding by that coder (coded, the\n"   \
	"                      default); all: every case in scope\n"

/* Set O to the defaults. */
void report_opts_init(struct report_opts *o);
/* Free what report_cli_option() allocated (not the strings). */
void report_opts_release(struct report_opts *o);
/* Handle option C with ARG; returns 1 when it is a report option,
 * 0 otherwise; usage errors exit. */
int report_cli_option(struct cmd_ctx *ctx, int c, const char *arg,
		      struct report_opts *o);
/* Parse --context: 1 for "segment", 0 for "coding"; otherwise release O
 * and exit with a usage error. */
int report_cli_context(struct cmd_ctx *ctx, const char *arg,
		       struct report_opts *o);
/* Add a code named on the command line. */
void report_opts_add_code(struct report_opts *o, const char *code);

#endif
