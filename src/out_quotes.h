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
 * placed and named by report_tree_place()); a quote's details after
 * its attribution (caller frees). */
char *headed_codes(const struct report *r, const struct report_quotes *qs,
		   long long **sub);
char *quote_meta(const struct report_quote *q, const char *lang);
/* "N of M passages" when the quotes of code I starting at QS->q[K] are
 * fewer than the code's passages (a --limit cut them), else NULL; the
 * caller frees it. */
char *quotes_shown_note(const struct report_quotes *qs, size_t k, size_t i,
			const char *lang);

#endif
