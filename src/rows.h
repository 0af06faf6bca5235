/*
 * rows.h - a listing or report as rows of typed cells, and the names of
 * the formats it can be written in.  Commands fill rows; the writers
 * (out.h: table, CSV, JSON, Markdown, HTML, Excel) decide the bytes.
 * Nothing here calls a writer.
 */
#ifndef QCODE_ROWS_H
#define QCODE_ROWS_H

#include <stddef.h>

enum out_format {
	FMT_TABLE = 1 << 0,
	FMT_CSV = 1 << 1,
	FMT_JSON = 1 << 2,
	FMT_MD = 1 << 3,
	FMT_HTML = 1 << 4,
	FMT_XLSX = 1 << 5, /* an Excel workbook (out_xlsx.c), -o FILE only */
	FMT_DOCX = 1 << 6, /* a Word document (out_docx.c), -o FILE only */
};

/* Parse NAME ("table", "csv", "json", "md", "html", "xlsx", "docx"); 0
 * when unknown or not in ALLOWED (a mask of out_format), and then
 * *CHOICES (when not NULL) gets the allowed names, "table, csv, json"
 * (the caller frees it). */
enum out_format out_parse_format(const char *name, unsigned allowed,
				 char **choices);

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

#endif
