/*
 * out_counts.h - the human layouts of counts: the counts table with
 * bars, the crosstab matrix, the co-occurrence matrix (terminal,
 * Markdown and HTML; CSV and JSON use the long rows of report.h).
 */
#ifndef QCODE_OUT_COUNTS_H
#define QCODE_OUT_COUNTS_H

#include "labels.h"
#include "report.h"
#include "rows.h"

#include <stdio.h>

#define COUNTS_BAR 1u  /* add a bar column (terminal) */
#define COUNTS_NBSP 2u /* indent with no-break spaces (Markdown, HTML) */

/* A bar of TENTHS (0..1000 = 0..100%) WIDTH cells wide at 100%, in
 * block characters down to eighths.  Caller frees. */
char *counts_bar(long long tenths, int width);

/* The label of code I as the tables show it: indented and named by
 * report_row_place() (SHOWN: report_show_mask()). Caller frees. */
char *counts_label(const struct report *r, const char *shown, size_t i,
		   unsigned flags);

/* code, cases (n=N), %, [bar], documents, segments, codings; with L
 * the column heads in L's language (NULL: the English field names). */
void counts_table_rows(const struct report *r, struct rows *out,
		       unsigned flags, const struct labels *l);
/* code, then per group "G (n=N)" and %, then "(all) (n=N)" and %. */
void counts_crosstab_rows(const struct report *r, struct rows *out,
			  unsigned flags, const struct labels *l);
/* #, code, then one column per shown code (numbered) from MAT. */
void counts_cooccur_rows(const struct report *r, const long long *mat,
			 struct rows *out, unsigned flags);
/* code, path, with, with_path, UNIT: every pair with a count. */
void counts_cooccur_long(const struct report *r, const long long *mat,
			 const char *unit, struct rows *out);

/* Write the terminal table R in blocks at most COLS wide: the first KEEP
 * columns, then as many of the others as fit, STEP at a time (2: a
 * group's k and % stay together); the next block below, after a blank
 * line, repeating the KEEP columns.  A block holds at least one STEP
 * however narrow COLS is. */
void counts_write_wrapped(const struct rows *r, FILE *out, size_t cols,
			  size_t keep, size_t step);
/* The width tables wrap at: $COLUMNS, else the terminal's width, else
 * 80. */
size_t counts_term_columns(void);

#endif
