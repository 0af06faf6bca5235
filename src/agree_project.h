/*
 * agree_project.h - qcode agree over the project: reliability data built
 * from the codings of named coders (per code, units present/absent),
 * handed to agree.c, printed per code and overall.
 */
#ifndef QCODE_AGREE_PROJECT_H
#define QCODE_AGREE_PROJECT_H

#include "cli.h"

/* Option codes of project mode (cmd_agree.c lists the options). */
enum {
	AP_UNIT = 1200, AP_ALLDOCS, AP_DISAGREE, AP_CODE, AP_QUESTION,
	AP_WHERE, AP_STATUS, AP_OVERLAP,
};

enum agree_unit { AGREE_UNIT_DOCUMENT, AGREE_UNIT_SEGMENT,
		  AGREE_UNIT_CHARACTER, AGREE_UNIT_SPAN };

struct agree_project_opts {
	enum agree_unit unit;
	int all_documents;   /* --all-documents */
	int disagreements;   /* --disagreements */
	char **codes;        /* --code, NULL-terminated, or NULL */
	size_t ncodes;
	const char *question;
	char **where;        /* --where ATTR=VALUE, NULL-terminated */
	size_t nwhere;
	const char *status;  /* accepted (default), suggested, all */
	double overlap;      /* --overlap P (--unit span), percent */
	int overlap_set;     /* --overlap was given */
};

void agree_project_opts_init(struct agree_project_opts *o);
void agree_project_opts_release(struct agree_project_opts *o);
/* Handle option C (cmd_agree.c's codes) with ARG; 1 when it is one of
 * project mode's options, else 0.  Usage errors exit. */
int agree_project_option(struct cmd_ctx *ctx, struct agree_project_opts *o,
			 int c, const char *arg);

/* A statistic's cell: null in JSON and CSV, n/a in table and md when V
 * is NAN; four decimals in tables, all significant digits otherwise. */
void agree_put_stat(struct rows *r, enum out_format f, double v);

/* Compare the coders named in CODERS ("A,B[,C...]"); print the table.
 * Returns the exit code. */
int agree_project(struct cmd_ctx *ctx, const char *coders,
		  const struct agree_project_opts *o);

#endif
