/*
 * report_cli.c - parsing the options the report commands share.
 */
#include "report_cli.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void report_opts_init(struct report_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->status = REPORT_ACCEPTED;
}

void report_opts_release(struct report_opts *o)
{
	free(o->codes);
	free(o->where);
	memset(o, 0, sizeof(*o));
}

void report_opts_add_code(struct report_opts *o, const char *code)
{
	o->codes = xrealloc(o->codes, (o->ncodes + 1) * sizeof(char *));
	o->codes[o->ncodes++] = (char *)code;
}

int report_cli_option(struct cmd_ctx *ctx, int c, const char *arg,
		      struct report_opts *o)
{
	switch (c) {
	case RO_QUESTION:
		o->question = arg;
		return 1;
	case RO_CODE:
		report_opts_add_code(o, arg);
		return 1;
	case RO_CODER:
		o->coder = arg;
		return 1;
	case RO_STATUS:
		o->status = report_parse_status(arg);
		if (!o->status) {
			cli_usage_error(ctx, "unknown status '%s' (choose "
					"from: accepted, suggested, all)", arg);
		}
		return 1;
	case RO_DEPTH:
		{
			long long d = cli_uint(ctx, "--depth", arg);

			o->depth = d > 1000 ? 1000 : (int)d;
		}
		if (o->depth < 1) {
			cli_usage_error(ctx, "--depth needs a level from 1 "
					"(the top level), not '%s'", arg);
		}
		return 1;
	case RO_WHERE:
		if (!strchr(arg, '=') || arg[0] == '=') {
			cli_usage_error(ctx, "--where needs ATTR=VALUE, not "
					"'%s'", arg);
		}
		o->where = xrealloc(o->where,
				    (o->nwhere + 1) * sizeof(char *));
		o->where[o->nwhere++] = (char *)arg;
		return 1;
	case RO_MIN:
		o->min = cli_uint(ctx, "--min", arg);
		return 1;
	case RO_SORT:
		if (strcmp(arg, "count") == 0) {
			o->sort_count = 1;
		} else if (strcmp(arg, "codebook") == 0) {
			o->sort_count = 0;
		} else {
			cli_usage_error(ctx, "unknown sort '%s' (choose from: "
					"codebook, count)", arg);
		}
		return 1;
	case RO_BY:
		o->by = arg;
		return 1;
	case RO_ROLLUP:
		if (strcmp(arg, "none") == 0) {
			o->rollup_none = 1;
		} else if (strcmp(arg, "subcodes") == 0) {
			o->rollup_none = 0;
		} else {
			cli_usage_error(ctx, "unknown rollup '%s' (choose "
					"from: subcodes, none)", arg);
		}
		return 1;
	case RO_N:
		if (strcmp(arg, "all") == 0) {
			o->n_all = 1;
		} else if (strcmp(arg, "coded") == 0) {
			o->n_all = 0;
		} else {
			cli_usage_error(ctx, "unknown n '%s' (choose from: "
					"coded, all)", arg);
		}
		return 1;
	default:
		return 0;
	}
}

int report_cli_context(struct cmd_ctx *ctx, const char *arg,
		       struct report_opts *o)
{
	if (strcmp(arg, "segment") == 0) {
		return 1;
	}
	if (strcmp(arg, "coding") != 0) {
		report_opts_release(o);
		cli_usage_error(ctx, "unknown context '%s' (choose from: "
				"coding, segment)", arg);
	}
	return 0;
}
