/*
 * coding.h - codes, coders and codings as every writer of codings needs
 * them: manual coding, codings import, autocode, REFI import.
 */
#ifndef QCODE_CODING_H
#define QCODE_CODING_H

#include "project.h"

/* A coding to insert.  Offsets are code points, end-exclusive. */
struct coding {
	long long doc_id;
	long long code_id;
	long long coder_id;
	long long segment_id; /* 0: find the segment holding START */
	long long start, end;
	const char *origin;   /* "manual", "imported" or "auto" */
	const char *rule;     /* the keyword or pattern (auto), or NULL */
	const char *status;   /* "accepted", "suggested" or "rejected" */
	const char *memo;     /* or NULL */
	const char *guid;     /* or NULL */
};

/* The id of coder NAME, created when absent. */
long long coder_get(struct project *p, const char *name);

/* The id of the code at PATH, creating it and its missing ancestors
 * (codable, appended in codebook order). */
long long code_get_or_create(struct project *p, const char *path);

/* The segment of DOC for a coding that starts at code point START: the
 * first segment ending after START, which is the one the coding starts
 * in or, when START falls between segments (in a speaker label), the
 * turn that comes next; 0 when no segment ends after START. */
long long segment_of_span(struct project *p, long long doc, long long start);

/* Insert C; returns the new coding id.  Checks the span lies within the
 * document (dies with QC_INPUT otherwise).  Without C->segment_id, the
 * segment is segment_of_span()'s: every way in (code add, codings
 * import, .qdpx import) picks a coding's segment by the same rule. */
long long coding_insert(struct project *p, const struct coding *c);

/* Many codings in one go (autocode): the checks and the segment rule of
 * coding_insert(), the rows stored CODING_BATCH to a statement (one
 * statement per coding costs more than the coding).  add() keeps a copy
 * of the struct, not of its strings: they must live until the next
 * flush().  Flush before reading the codings back, then release. */
#define CODING_BATCH 128

struct coding_writer {
	struct project *p;
	struct coding pend[CODING_BATCH];
	long long seg[CODING_BATCH];
	size_t n;
	sqlite3_stmt *batch;
	/* What the batch statement's parameters hold (bound: it ran
	 * once): flush() binds only those that change, most of a run's
	 * being the same from row to row (coder, origin, status, ...). */
	int bound;
	long long bint[CODING_BATCH][6];
	const char *btext[CODING_BATCH][5];
	long long last_doc, last_chars;
};

/* init() turns SQLite's CHECK constraints off for the connection (the
 * writer makes those checks itself) and release() on again: while a
 * writer lives, write codings only through it. */
void coding_writer_init(struct coding_writer *w, struct project *p);
/* The caller has read document DOC and knows its length, CHARS code
 * points (documents.chars): the span checks of its codings use it
 * instead of looking it up for each. */
void coding_writer_doc(struct coding_writer *w, long long doc,
		       long long chars);
void coding_writer_add(struct coding_writer *w, const struct coding *c);
void coding_writer_flush(struct coding_writer *w);
void coding_writer_release(struct coding_writer *w);

/* 1 when DOC already has a coding of CODE on exactly [START, END). */
int coding_exists(struct project *p, long long doc, long long code,
		  long long start, long long end);

#endif
