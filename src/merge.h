/*
 * merge.h - bring another qcode project's work into this one: coders,
 * cases and attributes (by name), documents (by content), codes (by
 * path), codings (once per document, span, code and coder), memos,
 * survey questions and code sets.  Runs inside the command's
 * transaction, so one 'qcode undo' takes the whole merge back.
 */
#ifndef QCODE_MERGE_H
#define QCODE_MERGE_H

#include <stdio.h>

#include "project.h"

struct merge_stats {
	long long docs_added, docs_matched, docs_renamed;
	long long codes_added, codes_matched, codes_conflict;
	long long codings_added, codings_dup;
	long long coders_added, cases_added, attrs_added, values_added;
	long long values_conflict, memos_added, questions_added;
};

/* Attach the project at PATH to P for merging; returns the schema name
 * it is attached as (caller frees).  Dies with QC_INPUT when PATH is
 * missing, not a qcode project of this schema version, or P itself. */
char *merge_attach(struct project *p, const char *path);

/* Merge the project attached as SCHEMA into P (which has a transaction
 * open).  THEIRS: where a code's definition or an attribute value
 * differs, take the other project's (else keep ours).  Conflicts and
 * renamed documents are listed on OUT as they are found. */
void merge_project(struct project *p, const char *schema, int theirs,
		   struct merge_stats *st, FILE *out);

#endif
