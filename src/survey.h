/*
 * survey.h - survey tables read from any source of rows: a CSV or TSV
 * file (import_csv.c) or a sheet of an Excel workbook (import_xlsx.c).
 * A source hands out one row at a time, so memory holds a row, never the
 * file; import_csv.c turns the rows into cases, answers (documents),
 * attributes and questions the same way whatever the source.
 */
#ifndef QCODE_SURVEY_H
#define QCODE_SURVEY_H

#include <stddef.h>

#include "import.h"

/* A source of rows.  A source's own state follows this struct in a larger
 * one (the functions cast back to it). */
struct row_source {
	/* The current row: NFIELDS cells, NUL-terminated and modifiable,
	 * valid until the next call of next(). */
	size_t nfields;
	char **fields;
	size_t line;       /* where the row is: the file's line (CSV), or
			    * the sheet's row number (xlsx) */
	const char *unit;  /* what LINE counts, for messages: "line", "row" */
	char *where;       /* the file in messages (owned): "'a.csv'",
			    * "sheet 'Data' of 'a.xlsx'" */
	char *desc;        /* how the file was read, for the summary
			    * (owned): "'a.csv' as ','-separated" */
	/* The next row: 1, or 0 at the end (and on every later call).
	 * Dies (QC_INPUT, naming the file and place) on a broken row. */
	int (*next)(struct row_source *src);
	/* Bytes of the file read so far, for progress. */
	size_t (*consumed)(struct row_source *src);
	/* Release the source and its state (WHERE and DESC too). */
	void (*free)(struct row_source *src);
};

/* Import the rows of SRC (taken over: freed here) as the survey F (the
 * documents get FORMAT); with ATTRS_ONLY, as an attribute table ('qcode
 * attr import': no documents, no questions).  Returns the number of
 * rows (cases) read.  Dies on bad input. */
size_t survey_import(struct import_ctx *ic, struct import_file *f,
		     struct row_source *src, const char *format,
		     int attrs_only);

/* Die when options naming one document or one case were given for the
 * survey F. */
void survey_check_opts(struct import_ctx *ic, const struct import_file *f);

/* The sheet of the workbook F->path that --sheet names (the first
 * without it) as a source of rows.  Dies (QC_INPUT) when the workbook
 * cannot be read or has no such sheet (naming the sheets it has). */
struct row_source *xlsx_source_open(struct import_ctx *ic,
				    const struct import_file *f);

#endif
