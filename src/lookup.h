/*
 * lookup.h - finding the objects a command line or a file names: a
 * document by id or name, a case, a code.  Every command that takes one
 * uses this, so they all read it the same way and fail with the same
 * message.
 */
#ifndef QCODE_LOOKUP_H
#define QCODE_LOOKUP_H

#include "project.h"
#include "util.h"

/* The id of document DOC: the document named DOC, else, when DOC is a
 * number, the document with that id (documents named "1", "2", ... are
 * found by name, whatever their ids).  Returns 0 when there is no such
 * document. */
long long lookup_document_id(struct project *p, const char *doc);

/* The id of document DOC, as lookup_document_id(); dies with
 * QC_NOTFOUND ("no document 'DOC' in the project; 'qcode docs' lists
 * them") when there is none. */
long long lookup_document(struct project *p, const char *doc);

/* The cases and codes a command line names, for coding. */

/* The id of the case named NAME; dies with QC_NOTFOUND when absent. */
long long lookup_case(struct project *p, const char *name);

/* The length of N when NAME is a whole number written N.0, N.00, ... (as
 * a spreadsheet or pandas writes an integer id), else 0. */
size_t lookup_whole_number(const char *name);

/*
 * code_resolve() - THE rule by which qcode reads a code it is given, in
 * every command (code add, codings, quotes, count --code, codings
 * import, agree, ...).  Use it rather than querying codes by name.
 *
 * PATH is a code path: levels separated by '/', each trimmed (see
 * tag_path()).  The rule:
 *   1. A code whose path is exactly PATH is the code.  So a PATH with a
 *      '/' is a full path from the top, and a bare name (no '/') is the
 *      top-level code of that name when there is one.
 *   2. Otherwise a PATH with a '/' is missing (CODE_MISSING).
 *   3. A bare name with no top-level code of that name may stand for
 *      the only code with that name only with CODE_BY_NAME (the source
 *      writes no paths at all: a command-line argument without '/', a
 *      file none of whose values has a separator).  A source that
 *      writes paths means a top-level code by a bare name, always.
 *   4. Never silently when a top-level code could also be meant: with
 *      CODE_CREATE (missing codes are to be created, so the bare name
 *      could be a new top-level code) or with several codes of that
 *      name, the name is CODE_AMBIGUOUS.
 * The answer depends only on the codebook and PATH, never on the order
 * codes were created in: importing the same files in any order gives
 * the same codings (or an ambiguity error).
 *
 * Returns CODE_FOUND with *ID set; CODE_MISSING (the caller creates
 * PATH, or reports it); or CODE_AMBIGUOUS.  CANDIDATES (may be NULL)
 * gets, for CODE_AMBIGUOUS, the paths it could mean, quoted and
 * comma-separated and sorted by path, with "or a new top-level code
 * 'NAME'" under CODE_CREATE; for CODE_MISSING of a bare name without
 * CODE_BY_NAME, the paths of the sub-codes of that name (a hint), else
 * nothing.
 */
enum { CODE_BY_NAME = 1, CODE_CREATE = 2 };
enum code_status { CODE_FOUND, CODE_MISSING, CODE_AMBIGUOUS };
enum code_status code_resolve(struct project *p, const char *path, int flags,
			      long long *id, struct strbuf *candidates);

/* The id of the code a command-line argument SPEC names: SPEC is read
 * as a path with '/' (tag_path()), then by code_resolve() with
 * CODE_BY_NAME.  Dies with QC_USAGE when a level is empty, QC_NOTFOUND
 * when there is no such code (suggesting 'qcode codebook load', and
 * --create-codes when OFFER_CREATE), or with QC_INPUT listing the
 * candidates' paths when SPEC is ambiguous. */
long long lookup_code(struct project *p, const char *spec, int offer_create);

/* As lookup_code(), for a command given --create-codes: a missing code
 * (and its missing ancestors) is created; a bare name that a sub-code
 * has but no top-level code is ambiguous (QC_INPUT). */
long long lookup_code_create(struct project *p, const char *spec);

/* The code path a tag stands for: TAG split at each occurrence of SEP
 * (any non-empty string: "/", ":", "->", ">", "::") into levels, each
 * trimmed of spaces and tabs, joined with '/'.  With SEP other than "/",
 * a '/' inside a level (a tag like "failures / bugs") becomes U+2215
 * DIVISION SLASH, since '/' separates levels in a path.  Returns a new
 * string (caller frees), or NULL when a level is empty. */
char *tag_path(const char *tag, const char *sep);

/* tag_path() with a separator of one character. */
char *tag_to_code_path(const char *tag, char sep);

#endif
