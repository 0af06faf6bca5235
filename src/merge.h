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
	long long codes_renamed; /* matched by GUID under another path */
	long long codings_added, codings_dup;
	long long coders_added, cases_added, attrs_added, values_added;
	long long values_conflict, memos_added, questions_added;
	long long memos_conflict, status_conflict;
};

/* merge_project's FLAGS. */
enum {
	MERGE_THEIRS = 1,  /* in a conflict, take the other project's */
	MERGE_BY_TEXT = 2, /* documents by their text, not with case and
			    * question (a REFI-QDA project: no questions
			    * to compare) */
};

/* Attach the project at PATH to P for merging; returns the schema name
 * it is attached as (caller frees).  Dies with QC_INPUT when PATH is
 * missing, not a qcode project of this schema version, or P itself. */
char *merge_attach(struct project *p, const char *path);

/* Merge the project attached as SCHEMA into P (which has a transaction
 * open).  MERGE_THEIRS: where a code's definition, an attribute value,
 * or a coding's memo or status differs, take the other project's (else
 * keep ours).
 * MERGE_BY_TEXT: a document is matched by the sha256 of its text, not
 * with its case and question.  Among equal texts the GUID, the name and
 * (MERGE_BY_TEXT) the case decide; a document that could still be any
 * of several dies with QC_INPUT naming PATH (the other file, as the
 * user named it).  Conflicts (and a coding's status that differs) and
 * renamed documents are listed on OUT as they are found. */
void merge_project(struct project *p, const char *schema, const char *path,
		   unsigned flags, struct merge_stats *st, FILE *out);

/* 'qcode merge CODER.qdpx': 1 when PATH names a REFI-QDA project (.qdpx
 * or .qde, by its extension). */
int merge_is_refi(const char *path);
/* Read the REFI-QDA project PATH with the .qdpx importer into a new
 * temporary qcode project; returns its path (removed at exit).  Dies
 * like 'qcode import' on bad input. */
char *merge_refi_load(const char *path);

#endif
