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

#endif
