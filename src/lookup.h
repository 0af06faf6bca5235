/*
 * lookup.h - finding the objects a command line names: a document by id
 * or name.  Every command that takes a DOC argument uses this, so they
 * all read it the same way and fail with the same message.
 */
#ifndef QCODE_LOOKUP_H
#define QCODE_LOOKUP_H

#include "project.h"

/* The id of document DOC: a number is tried as an id first, then any
 * DOC as a name.  Returns 0 when there is no such document. */
long long lookup_document_id(struct project *p, const char *doc);

/* The id of document DOC, as lookup_document_id(); dies with
 * QC_NOTFOUND ("no document 'DOC' in the project; 'qcode docs' lists
 * them") when there is none. */
long long lookup_document(struct project *p, const char *doc);

/* The cases and codes a command line names, for coding. */

/* The id of the case named NAME; dies with QC_NOTFOUND when absent. */
long long lookup_case(struct project *p, const char *name);

/* The id of the code at path SPEC or with the unique name SPEC; dies with
 * QC_NOTFOUND when there is none (suggesting 'qcode codebook load', and
 * --create-codes when OFFER_CREATE), or with QC_INPUT listing the paths
 * when a bare name is ambiguous. */
long long lookup_code(struct project *p, const char *spec, int offer_create);

/* The code path a tag stands for: TAG split at SEP into levels, each
 * trimmed of spaces and tabs, joined with '/'.  With SEP other than '/',
 * a '/' inside a level (a tag like "failures / bugs") becomes U+2215
 * DIVISION SLASH, since '/' separates levels in a path.  Returns a new
 * string (caller frees), or NULL when a level is empty. */
char *tag_to_code_path(const char *tag, char sep);

#endif
