/*
 * agree_project.c - qcode agree --coders: reliability data from this
 * project's codings.
 */
#include <stdlib.h>
#include <string.h>

#include "agree_project.h"
#include "util.h"

void agree_project_opts_init(struct agree_project_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->unit = AGREE_UNIT_DOCUMENT;
	o->status = "accepted";
}

void agree_project_opts_release(struct agree_project_opts *o)
{
	free(o->codes);
	free(o->where);
	memset(o, 0, sizeof(*o));
}

int agree_project_option(struct cmd_ctx *ctx, struct agree_project_opts *o,
			 int c, const char *arg)
{
	switch (c) {
	case AP_UNIT:
		if (strcmp(arg, "document") == 0) {
			o->unit = AGREE_UNIT_DOCUMENT;
		} else if (strcmp(arg, "segment") == 0) {
			o->unit = AGREE_UNIT_SEGMENT;
		} else if (strcmp(arg, "character") == 0) {
			o->unit = AGREE_UNIT_CHARACTER;
		} else {
			agree_project_opts_release(o);
			cli_usage_error(ctx, "unknown unit '%s' (choose from: "
					"document, segment, character)", arg);
		}
		return 1;
	case AP_ALLDOCS:
		o->all_documents = 1;
		return 1;
	case AP_DISAGREE:
		o->disagreements = 1;
		return 1;
	case AP_CODE:
		o->codes = xrealloc(o->codes, (o->ncodes + 2) * sizeof(char *));
		o->codes[o->ncodes++] = (char *)arg;
		o->codes[o->ncodes] = NULL;
		return 1;
	case AP_QUESTION:
		o->question = arg;
		return 1;
	case AP_WHERE:
		o->where = xrealloc(o->where, (o->nwhere + 2) * sizeof(char *));
		o->where[o->nwhere++] = (char *)arg;
		o->where[o->nwhere] = NULL;
		return 1;
	case AP_STATUS:
		o->status = arg;
		return 1;
	}
	return 0;
}

int agree_project(struct cmd_ctx *ctx, const char *coders,
		  const struct agree_project_opts *o)
{
	(void)o;
	(void)coders;
	cli_usage_error(ctx, "--coders is not implemented yet");
}
