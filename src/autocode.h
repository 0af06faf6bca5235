/*
 * autocode.h - applying the project's codebook rules to its documents
 * (the engine of 'qcode autocode').
 *
 * Documents, their segments and their existing codings are streamed from
 * the project in document order (three cursors merged), one document in
 * memory at a time; every segment is scanned once by the matcher
 * (match.h) for all codes.  What a code's rules find becomes codings
 * with origin 'auto' and the rule that made them.  Idempotent: a coding
 * that exists on the same code and span (any origin, any status) is not
 * created again; the code's earlier unreviewed auto codings (origin auto,
 * status suggested) that the rules no longer produce are removed, and
 * nothing else is ever touched.
 */
#ifndef QCODE_AUTOCODE_H
#define QCODE_AUTOCODE_H

#include <stddef.h>

#include "project.h"

struct autocode_opts {
	long long *codes;     /* code ids in scope; NULL: every code */
	size_t ncodes;
	const char *question; /* only documents answering it; NULL: all */
	long long coder_id;   /* the coder of new codings (not dry_run) */
	const char *status;   /* "suggested" or "accepted" */
	int dry_run;          /* count only; write nothing */
	int progress;         /* progress line on a terminal */
};

/* What autocode did (or would do) for one code. */
struct autocode_stat {
	long long code_id;
	char *path;
	int has_rules;
	long long hits;      /* rule matches that coded something */
	long long codings;   /* units the rules code (new + unchanged) */
	long long added, removed, unchanged;
	long long cases, documents, segments; /* dry_run only */
};

struct autocode_result {
	struct autocode_stat *v; /* codes in scope, in codebook order */
	size_t n;
};

/* Run autocode over the project P (inside the caller's transaction
 * unless O->dry_run).  Dies with QC_INPUT on a rule that does not
 * compile, naming the code.  Fills RES (release it).  The documents,
 * segments and speaker aliases may be read through a second connection,
 * which sees the project as last committed: the caller's transaction
 * must not have changed them (loading a codebook, adding a coder are
 * fine). */
void autocode_run(struct project *p, const struct autocode_opts *o,
		  struct autocode_result *res);
void autocode_result_release(struct autocode_result *res);

#endif
