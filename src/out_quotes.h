/*
 * out_quotes.h - quote books as rows (csv, json), Markdown and HTML.
 */
#ifndef QCODE_OUT_QUOTES_H
#define QCODE_OUT_QUOTES_H

#include <stdio.h>

#include "report.h"
#include "rows.h"

/* code, path, case, document, question, segment, start, end, speaker,
 * text, attribution, time_start (ms), coder. */
void quotes_rows(const struct report *r, const struct report_quotes *qs,
		 struct rows *out);

/* Markdown: a heading per code (level LEVEL for a code with no shown
 * ancestor, one deeper per shown ancestor: report_tree_place()), each quote a block quote with its attribution; a
 * quote whose first strong character is right-to-left inside
 * <div dir="rtl"> ... </div>, which GitHub and pandoc both honour. */
void quotes_md(const struct report *r, const struct report_quotes *qs,
	       const char *lang, int level, FILE *out);

/* HTML: the same as <h2>.. headings and <blockquote dir=...>. */
void quotes_html(const struct report *r, const struct report_quotes *qs,
		 const char *lang, int level, FILE *out);

/* For the other quote book writers (out_docx.c): the shown codes (1
 * per code; caller frees it and *SUB, the passages of each code's
 * subtree: a code gets a heading when it is shown and that is not 0,
 * placed and named by report_tree_place()). */
char *headed_codes(const struct report *r, const struct report_quotes *qs,
		   long long **sub);
/* A quote's attribution line, "— ATTRIBUTION · " and the details: the
 * case when the attribution is something else, document#segment,
 * speaker, time, question (when the document name does not already say
 * it), coder.  The details are pieces, fixed text (separators and
 * labels, read in the paragraph's direction) and values, each of which
 * a writer makes an isolate of its own so that it reads in its own
 * direction: without, a right-to-left paragraph showed "2/answer#1" as
 * "answer#1/2" and broke "20_ptv.txt" apart.  The attribution is a
 * value too. */
struct quote_piece {
	char *text;
	int value; /* 1: a value (an isolate), 0: fixed text */
};
struct quote_line {
	const char *attribution; /* the quote's */
	struct quote_piece p[16]; /* at most 11 */
	size_t n;
	/* Isolates are needed: the paragraph is right to left (RTL given
	 * to quote_line) or the line holds right-to-left text; without,
	 * a writer may write the line as plain text as before. */
	int isolate;
};
void quote_line(const struct report_quote *q, const char *lang, int rtl,
		struct quote_line *l);
/* The line as plain text (caller frees). */
char *quote_line_text(const struct quote_line *l);
void quote_line_free(struct quote_line *l);
/* "N of M passages" when the quotes of code I starting at QS->q[K] are
 * fewer than the code's passages (a --limit cut them), else NULL; the
 * caller frees it. */
char *quotes_shown_note(const struct report_quotes *qs, size_t k, size_t i,
			const char *lang);

#endif
