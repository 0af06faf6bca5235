/*
 * out.h - the writers of rows: the terminal table (out_table.c), CSV
 * (out_csv.c), JSON (out_json.c), Markdown (out_md.c), an HTML table
 * (out_html.c), an Excel workbook (out_xlsx.c), and the dispatch by
 * format (out.c).  The writers read the rows model (rows.h); the model
 * knows nothing of them.
 */
#ifndef QCODE_OUT_H
#define QCODE_OUT_H

#include <stdio.h>

#include "rows.h"

/* Write flags. */
#define ROWS_OBJECT 1u /* one row: JSON object, table as "key: value" */

/* Write R in format F to OUT. */
void rows_write(const struct rows *r, enum out_format f, FILE *out,
		unsigned flags);

void out_table(const struct rows *r, FILE *out, unsigned flags);
void out_csv(const struct rows *r, FILE *out);
void out_json(const struct rows *r, FILE *out, unsigned flags);
void out_md(const struct rows *r, FILE *out);
/* An HTML <table> (a fragment; out_html.h has the page frame). */
void out_html(const struct rows *r, FILE *out);

/*
 * --format xlsx: cli.c parses it as FMT_CSV for the command (every
 * listing that has CSV builds the same rows) and names the workbook
 * here; from then on rows_write() of FMT_CSV adds a sheet (named after
 * the command, then "NAME 2", ...) to the workbook instead of writing
 * CSV.  rows_finish() (main.c, after a successful command) closes the
 * workbook and puts it in place through out_open's temporary file, so
 * FILE is never the project and a failed command leaves FILE as it was.
 * PROJECT_OPT is -p (project_resolve_path); FORCE as out_open.
 */
void rows_xlsx_target(const char *path, int force, const char *project_opt,
		      const char *sheet);
int rows_xlsx_active(void);
/* Whether most non-empty text cells of R's first column (WITH_HEAD 1:
 * and its head) begin right-to-left (Hebrew, Arabic): the sheet or table
 * reads right to left (out_xlsx.c, out_docx.c). */
int rows_first_col_rtl(const struct rows *r, int with_head);
/* Add R to the workbook as a sheet (out_xlsx.c). */
void out_xlsx(const struct rows *r);
/* Close and put the workbook in place (no-op when none was started);
 * with OK 0 discard it instead. */
void rows_finish(int ok);
void out_xlsx_finish(int ok);

/* CSV byte-order mark: written once at the start of each stream by
 * out_csv().  ON 1 / 0 is --bom / --no-bom; -1 (the default) follows
 * $QCODE_CSV_BOM ("1" turns it on). */
void csv_set_bom(int on);
/* Write the mark to OUT if it is on and OUT has not had it yet. */
void csv_begin(FILE *out);

/* Escaping helpers shared by writers and commands that build nested
 * output themselves. */
void json_put_str(FILE *out, const char *s);
void csv_put_field(FILE *out, const char *s);
/* S (one line) as Markdown text that reads as S: a backslash before the
 * ASCII punctuation that could start markup (\ ` * _ [ ] < > & | ~, an
 * underscore inside a word excepted) and, with BOL 1 (S starts a line),
 * before what would open a block there (# + - = >, "1." or "1)"). */
void md_text(FILE *out, const char *s, int bol);

#endif
