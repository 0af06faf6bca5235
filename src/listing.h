/*
 * listing.h - the rows of the listings 'qcode info', 'docs', 'show' and
 * 'codings' print, for other front ends (the web workspace's API) that
 * must give the same rows as the command.  Each function starts R with
 * rows_init(); the caller releases it.
 */
#ifndef QCODE_LISTING_H
#define QCODE_LISTING_H

#include <stddef.h>

#include "project.h"
#include "out.h"

/* One row: the counts 'qcode info' prints. */
void info_rows(struct project *p, struct rows *r);

/* The documents, as 'qcode docs' lists them. */
void docs_rows(struct project *p, struct rows *r);

/* The segments of document ID (NAME, TEXT of LEN bytes) as 'qcode show'
 * prints them in format F (FULL: whole texts in the table). */
void show_rows(struct project *p, long long id, const char *name,
	       const char *text, size_t len, enum out_format f, int full,
	       struct rows *r);

/* The codings of document DOC (which must exist), as 'qcode codings
 * --doc' lists them. */
void codings_rows(struct project *p, long long doc, struct rows *r);

#endif
