/*
 * rows.h - a listing or report as rows of typed cells, handed to a writer:
 * the terminal table (out_table.c), CSV (out_csv.c), JSON (out_json.c),
 * Markdown (out_md.c), an HTML table (out_html.c).  Commands fill rows;
 * writers decide the bytes.
 */
#ifndef QCODE_ROWS_H
#define QCODE_ROWS_H

#include <stddef.h>
#include <stdio.h>

enum out_format {
	FMT_TABLE = 1 << 0,
	FMT_CSV = 1 << 1,
	FMT_JSON = 1 << 2,
	FMT_MD = 1 << 3,
	FMT_HTML = 1 << 4,
	FMT_XLSX = 1 << 5, /* an Excel workbook (out_xlsx.c), -o FILE only */
	FMT_DOCX = 1 << 6, /* a Word document (out_docx.c), -o FILE only */
};

/* Parse NAME ("table", "csv", "json", "md", "html", "xlsx", "docx"); dies with
 * QC_USAGE when unknown or not in ALLOWED (a mask of out_format). */
enum out_format out_parse_format(const char *name, unsigned allowed);

enum cell_kind { CELL_NULL, CELL_STR, CELL_INT, CELL_REAL, CELL_JSON };

struct cell {
	enum cell_kind kind;
	char *s;     /* CELL_STR text, or CELL_JSON raw JSON */
	char *plain; /* CELL_JSON: what table and CSV print instead */
	long long i;
	double d;
	int prec;    /* CELL_REAL: digits after the point */
};

struct rows {
	size_t ncols;
	char **cols;
	size_t nrows;
	size_t ncells, cap;
	struct cell *cells;
};

/* Start a listing with the NULL-terminated column names. */
void rows_init(struct rows *r, ...);
void rows_add_col(struct rows *r, const char *name);
void rows_release(struct rows *r);

/* Append the next cell; a row is complete after ncols cells. */
void rows_str(struct rows *r, const char *s); /* NULL -> null cell */
void rows_int(struct rows *r, long long v);
void rows_real(struct rows *r, double v, int prec);
void rows_null(struct rows *r);
/* Raw JSON for --format json; PLAIN for the table and CSV. */
void rows_json(struct rows *r, const char *json, const char *plain);

/* Cell accessor. */
const struct cell *rows_cell(const struct rows *r, size_t row, size_t col);
/* Text of a cell as table and CSV show it; "" for null.  Points into the
 * cell or into BUF (at least 64 bytes). */
const char *cell_text(const struct cell *c, char *buf, size_t bufsz);

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

#endif
