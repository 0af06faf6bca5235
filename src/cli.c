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

int cli_getopt(struct cmd_ctx *ctx, int argc, char **argv,
	       const char *shortopts, const struct option *longopts)
{
	for (;;) {
		int c, li = -1;

		opterr = 0;
		c = getopt_long(argc, argv, shortopts, longopts, &li);
		if (li >= 0 && strcmp(longopts[li].name, "coder") == 0) {
			ctx->coder = optarg;
		}
		switch (c) {
		case 'p':
			ctx->project_opt = optarg;
			continue;
		case OPT_FORMAT:
			ctx->format = out_parse_format(optarg, ctx->formats);
			continue;
		case 'h':
			fputs(ctx->usage, stdout);
			exit(QC_OK);
		case '?':
			if (optopt && optopt < OPT_FORMAT) {
				cli_usage_error(ctx, "unknown or incomplete "
						"option '-%c'", optopt);
			}
			cli_usage_error(ctx, "unknown or incomplete option '%s'",
					argv[optind - 1]);
		case ':':
			cli_usage_error(ctx, "option '%s' needs a value",
					argv[optind - 1]);
		default:
			return c;
		}
	}
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
	fputs(ctx->usage, stderr);
	exit(QC_USAGE);
}

struct project *cli_open(struct cmd_ctx *ctx, int mode)
{
	const char *path = project_resolve_path(ctx->project_opt);

	ctx->proj = project_open(path);
	/* Also for commands that begin their own transactions (review). */
	project_set_coder(ctx->proj, cli_coder(ctx->coder));
	if (mode == CLI_WRITE) {
		project_begin(ctx->proj, ctx->name, ctx->argc - 1,
			      ctx->argv + 1);
	}
	return ctx->proj;
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

	if (cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts) != -1) {
		cli_usage_error(ctx, "unexpected option");
	}
	if (optind < argc) {
		cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	}
}
