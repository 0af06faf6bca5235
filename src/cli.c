/*
 * cli.c - shared command-line handling.
 */
#include "cli.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import.h"
#include "util.h"

static int has_long(const struct option *lo, const char *name)
{
	for (; lo->name; lo++) {
		if (strcmp(lo->name, name) == 0) {
			return 1;
		}
	}
	return 0;
}

/* What cli_getopt added to the command's options (see cli.h). */
struct added {
	int output, force;
};

static struct option *add_output_options(const struct cmd_ctx *ctx,
					 const char *shortopts,
					 const struct option *longopts,
					 char **shortp, struct added *a)
{
	size_t n = 0;
	struct option *lo;

	memset(a, 0, sizeof(*a));
	while (longopts[n].name) {
		n++;
	}
	lo = xmalloc((n + 5) * sizeof(*lo));
	memcpy(lo, longopts, n * sizeof(*lo));
	if (ctx->formats & FMT_XLSX) {
		if (!strchr(shortopts, 'o') && !has_long(longopts, "output")) {
			lo[n++] = (struct option){ "output", required_argument,
						   NULL, 'o' };
			a->output = 1;
		}
		if (a->output && !has_long(longopts, "force")) {
			lo[n++] = (struct option)CLI_FORCE_OPTION;
			a->force = 1;
		}
	}
	if ((ctx->formats & FMT_CSV) && !has_long(longopts, "bom")) {
		lo[n++] = (struct option){ "bom", no_argument, NULL, OPT_BOM };
		lo[n++] = (struct option){ "no-bom", no_argument, NULL,
					   OPT_NO_BOM };
	}
	memset(&lo[n], 0, sizeof(*lo));
	/* ':' first: a missing value is ':', told apart from '?' */
	*shortp = xasprintf(":%s%s", shortopts, a->output ? "o:" : "");
	return lo;
}

/* Open the project as ctx->need says (cli.h), once. */
static void open_project(struct cmd_ctx *ctx)
{
	if (ctx->need == CLI_NONE || ctx->proj) {
		return;
	}
	ctx->proj = project_open(project_resolve_path(ctx->project_opt));
	/* Also for commands that begin their own transactions (review). */
	project_set_coder(ctx->proj, cli_coder(ctx->coder));
	if (ctx->need == CLI_WRITE) {
		/* Only outside a transaction (SQLite ignores it inside). */
		if (ctx->no_foreign_keys) {
			db_exec(ctx->proj, "PRAGMA foreign_keys=OFF");
		}
		project_begin(ctx->proj, ctx->name, ctx->argc - 1,
			      ctx->argv + 1);
	}
}

/* The end of the options: check and name the workbook of --format xlsx. */
static void output_end(struct cmd_ctx *ctx, const struct added *a)
{
	if (!a->output) {
		return;
	}
	if (!ctx->xlsx) {
		if (ctx->output) {
			cli_usage_error(ctx, "-o FILE writes --format xlsx; "
					"redirect other formats with '> FILE'");
		}
		return;
	}
	if (!ctx->output || strcmp(ctx->output, "-") == 0) {
		cli_usage_error(ctx, "--format xlsx needs -o FILE.xlsx (a "
				"workbook is not written to the terminal)");
	}
	rows_xlsx_target(ctx->output, ctx->force, ctx->project_opt,
			 ctx->name);
}

/* The usage error of an option getopt refused with '?': an unknown
 * short option (optopt), an unknown long option or ambiguous
 * abbreviation (optopt 0; ARG as given), or a long option that takes no
 * value given one (--dry-run=x). */
_Noreturn static void bad_option(struct cmd_ctx *ctx, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (!optopt) {
		cli_usage_error(ctx, "unknown option '%s'", arg);
	}
	if (strncmp(arg, "--", 2) == 0 && eq) {
		cli_usage_error(ctx, "option '%.*s' takes no value",
				(int)(eq - arg), arg);
	}
	cli_usage_error(ctx, "unknown option '-%c'", optopt);
}

/* The command whose short usage a die(QC_USAGE, ...) prints: a bad
 * value found after the options (an --id-column the file lacks). */
static const struct cmd_ctx *usage_ctx;

static void print_usage(void)
{
	cli_synopsis(usage_ctx->usage, stderr);
}

/* The N operands OPS against ctx->operands (cli.h). */
static void check_operands(struct cmd_ctx *ctx, int n, char **ops)
{
	const struct cli_operands *o = ctx->operands;

	if (!o) {
		return;
	}
	if (n < o->min) {
		cli_usage_error(ctx, "name %s", o->missing);
	}
	if (o->max >= 0 && n > o->max) {
		cli_usage_error(ctx, "unexpected argument '%s'", ops[o->max]);
	}
}

int cli_getopt(struct cmd_ctx *ctx, int argc, char **argv,
	       const char *shortopts, const struct option *longopts)
{
	/* Kept here, not on the stack only: a usage error exits with them
	 * still allocated (reachable, not lost). */
	static struct option *lo;
	static char *so;
	struct added a;

	free(lo);
	free(so);
	lo = add_output_options(ctx, shortopts, longopts, &so, &a);
	usage_ctx = ctx;
	util_set_usage_hook(print_usage);

	for (;;) {
		int c, li = -1;

		opterr = 0;
		c = getopt_long(argc, argv, so, lo, &li);
		if (li >= 0 && strcmp(lo[li].name, "coder") == 0) {
			ctx->coder = optarg;
		}
		if (c == 'o' && a.output) {
			ctx->output = optarg;
			continue;
		}
		if (c == OPT_FORCE && a.force) {
			ctx->force = 1;
			continue;
		}
		switch (c) {
		case 'p':
			ctx->project_opt = optarg;
			continue;
		case OPT_FORMAT: {
			/* static: reachable when the usage error exits */
			static char *choices;

			ctx->format = out_parse_format(optarg, ctx->formats,
						       &choices);
			if (!ctx->format) {
				cli_usage_error(ctx, "unknown format '%s' "
						"(choose from: %s)", optarg,
						choices);
			}
			ctx->xlsx = ctx->format == FMT_XLSX;
			if (ctx->xlsx) {
				ctx->format = FMT_CSV;
			}
			continue;
		}
		case OPT_BOM:
		case OPT_NO_BOM:
			csv_set_bom(c == OPT_BOM);
			continue;
		case 'h':
			fputs(ctx->usage, stdout);
			exit(QC_OK);
		case '?':
			bad_option(ctx, argv[optind - 1]);
		case ':':
			if (strncmp(argv[optind - 1], "--", 2) != 0) {
				cli_usage_error(ctx, "option '-%c' needs a "
						"value", optopt);
			}
			cli_usage_error(ctx, "option '%s' needs a value",
					argv[optind - 1]);
		default:
			free(lo);
			free(so);
			lo = NULL;
			so = NULL;
			if (c == -1) {
				check_operands(ctx, argc - optind,
					       argv + optind);
				output_end(ctx, &a);
				open_project(ctx);
			}
			return c;
		}
	}
}

void cli_synopsis(const char *help, FILE *out)
{
	const char *end = strstr(help, "\n\n");

	fwrite(help, 1, end ? (size_t)(end - help) + 1 : strlen(help), out);
}

_Noreturn void cli_usage_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("qcode: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cli_synopsis(ctx->usage, stderr);
	/* found after the options: the transaction begun then goes */
	project_close(ctx->proj);
	ctx->proj = NULL;
	exit(QC_USAGE);
}

_Noreturn void cli_subcommand_error(struct cmd_ctx *ctx, const char *sub)
{
	if (!sub || !*sub) {
		cli_usage_error(ctx, "name a subcommand (choose from: %s)",
				ctx->subcommands);
	}
	cli_usage_error(ctx, "unknown subcommand '%s' (choose from: %s)", sub,
			ctx->subcommands);
}

const char *cli_coder(const char *opt)
{
	const char *env;
	struct passwd *pw;

	if (opt && *opt) {
		return opt;
	}
	env = getenv("QCODE_CODER");
	if (env && *env) {
		return env;
	}
	env = getenv("USER");
	if (env && *env) {
		return env;
	}
	pw = getpwuid(getuid());
	if (pw && pw->pw_name && *pw->pw_name) {
		return pw->pw_name;
	}
	return "unknown";
}

long long cli_uint(struct cmd_ctx *ctx, const char *opt, const char *val)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(val, &end, 10);
	if (errno || end == val || *end || v < 0) {
		cli_usage_error(ctx, "%s needs a non-negative number, not '%s'",
				opt, val);
	}
	return v;
}

void cli_help(int argc, char **argv, const char *full)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			fputs(full, stdout);
			exit(QC_OK);
		}
	}
}

char cli_delimiter(struct cmd_ctx *ctx, const char *val)
{
	if (strcmp(val, "\\t") == 0 || strcmp(val, "tab") == 0) {
		return '\t';
	}
	if (strlen(val) != 1) {
		cli_usage_error(ctx, "--delimiter takes one character, not '%s'",
				val);
	}
	return val[0];
}

int cli_table_option(struct cmd_ctx *ctx, int c, const char *arg,
		     struct import_opts *o)
{
	switch (c) {
	case OPT_ENCODING:
		o->encoding = arg;
		return 1;
	case OPT_DELIM:
		o->delimiter = cli_delimiter(ctx, arg);
		return 1;
	case OPT_IDCOL:
		o->id_column = arg;
		return 1;
	case OPT_SKIP:
		o->skip_rows = (long)cli_uint(ctx, "--skip-rows", arg);
		return 1;
	case OPT_MISSING:
		free_strv(o->missing);
		o->missing = split_list(arg, ',');
		return 1;
	case OPT_HEADER_ROWS:
		o->header_rows = (long)cli_uint(ctx, "--header-rows", arg);
		if (o->header_rows < 1) {
			cli_usage_error(ctx, "--header-rows needs a number of "
					"rows from 1 up, not '%s'", arg);
		}
		return 1;
	case OPT_SHEET:
		o->sheet = arg;
		return 1;
	}
	return 0;
}

void cli_common_only(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS,
					      { NULL, 0, NULL, 0 } };
	enum cli_need need = ctx->need;

	/* the operands too are checked before the project is opened */
	ctx->need = CLI_NONE;
	if (cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts) != -1) {
		cli_usage_error(ctx, "unexpected option");
	}
	if (optind < argc) {
		cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	}
	ctx->need = need;
	open_project(ctx);
}
