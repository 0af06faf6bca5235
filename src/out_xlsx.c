/*
 * out_xlsx.c - listings as an Excel workbook (libxlsxwriter): one sheet
 * per table, a bold frozen header row, numbers stored as numbers with as
 * many decimals as the CSV shows, the columns named "percent" or "%" as
 * fractions with a percent format (33.3 in CSV is 0.333 shown as 33.3%),
 * and a right-to-left sheet when most of the first column's text is
 * Hebrew or Arabic.  See rows.h for how cli.c and main.c drive it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <xlsxwriter.h>

#include "project.h"
#include "out.h"
#include "text.h"
#include "util.h"

#define XLSX_MAX_ROWS 1048576u
#define XLSX_MAX_STRING 32767
#define XLSX_MAX_WIDTH 60

static struct {
	char *path;        /* -o FILE, NULL when xlsx is not wanted */
	int force;
	char *project_opt;
	char *sheet;       /* base sheet name: the command */
	int nsheets;
	struct out_file of;
	lxw_workbook *wb;
	lxw_format *head;
	lxw_format *num[7];  /* 0..6 decimals */
	lxw_format *pct[7];
} X;

void rows_xlsx_target(const char *path, int force, const char *project_opt,
		      const char *sheet)
{
	free(X.path);
	free(X.project_opt);
	free(X.sheet);
	X.path = path ? xstrdup(path) : NULL;
	X.force = force;
	X.project_opt = project_opt ? xstrdup(project_opt) : NULL;
	X.sheet = xstrdup(sheet && *sheet ? sheet : "qcode");
}

int rows_xlsx_active(void)
{
	return X.path != NULL;
}

static void release(void)
{
	free(X.path);
	free(X.project_opt);
	free(X.sheet);
	X.path = X.project_opt = X.sheet = NULL;
}

static lxw_format *decimals(int pct, int prec)
{
	lxw_format **slot;

	if (prec < 0) {
		prec = 0;
	}
	if (prec > 6) {
		prec = 6;
	}
	slot = pct ? &X.pct[prec] : &X.num[prec];
	if (!*slot) {
		char fmt[16] = "0";

		if (prec) {
			strcat(fmt, ".");
			memset(fmt + 2, '0', (size_t)prec);
			fmt[2 + prec] = '\0';
		}
		if (pct) {
			strcat(fmt, "%");
		}
		*slot = workbook_add_format(X.wb);
		format_set_num_format(*slot, fmt);
	}
	return *slot;
}

/* The workbook's creation time: $SOURCE_DATE_EPOCH when it is set (the
 * same project then gives the same bytes), else 0 (libxlsxwriter: now).
 * As reproducible-builds.org's specification asks, a value that is not
 * a number of seconds (digits only, as 'date +%s' prints them) is an
 * error, not the clock; up to 9999-12-31 23:59:59 UTC, the last time a
 * workbook's properties can hold. */
static time_t source_date_epoch(void)
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	long long v = 0;

	if (!env || !*env) {
		return 0;
	}
	for (const char *s = env; *s; s++) {
		if (*s < '0' || *s > '9' || v > 253402300799LL) {
			v = -1;
			break;
		}
		v = v * 10 + (*s - '0');
	}
	if (v < 0 || v > 253402300799LL) {
		die_env("SOURCE_DATE_EPOCH='%s' is not a number of seconds "
			"since 1970-01-01 UTC (0 to 253402300799)", env);
	}
	/* libxlsxwriter takes 0 for "now": 1970-01-01 00:00:00 is written
	 * one second later, still the same every run */
	return v ? (time_t)v : 1;
}

static void open_workbook(void)
{
	const char *proj = project_resolve_path(X.project_opt);
	lxw_doc_properties props;

	if (strcmp(X.path, "-") == 0) {
		die(QC_USAGE, "--format xlsx writes a workbook to a file: name "
		    "it with -o FILE.xlsx");
	}
	out_open(&X.of, X.path, OUT_ZIP, X.force, proj);
	if (!X.of.tmp) {
		out_discard(&X.of);
		die(QC_OUTPUT, "cannot write a workbook to '%s': it is not a "
		    "regular file (name a FILE.xlsx)", X.path);
	}
	/* libxlsxwriter writes the temporary file out_open made (same
	 * inode: out_commit syncs and renames it). */
	X.wb = workbook_new(X.of.tmp);
	if (!X.wb) {
		die(QC_OUTPUT, "cannot write '%s': %s", X.path,
		    strerror(errno ? errno : EIO));
	}
	memset(&props, 0, sizeof(props));
	props.title = "qcode";
	props.created = source_date_epoch();
	workbook_set_properties(X.wb, &props);
	X.head = workbook_add_format(X.wb);
	format_set_bold(X.head);
}

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\ */
static char *sheet_name(void)
{
	char *base = xstrdup(X.sheet), *name;

	for (char *p = base; *p; p++) {
		if (strchr("[]:*?/\\", *p)) {
			*p = '_';
		}
	}
	if (strlen(base) > 24) {
		base[24] = '\0';
	}
	name = X.nsheets > 1 ? xasprintf("%s %d", base, X.nsheets)
			     : xstrdup(base);
	free(base);
	return name;
}

static int is_pct_col(const char *name)
{
	return strcasecmp(name, "percent") == 0 || strcmp(name, "%") == 0;
}

/* See rows.h. */
int rows_first_col_rtl(const struct rows *r, int with_head)
{
	size_t rtl = 0, text = 0;

	if (with_head && r->ncols && *r->cols[0]) {
		text++;
		rtl += text_is_rtl(r->cols[0], strlen(r->cols[0])) != 0;
	}

	for (size_t i = 0; i < r->nrows; i++) {
		const struct cell *c = rows_cell(r, i, 0);
		const char *s = c->kind == CELL_STR ? c->s
				: c->kind == CELL_JSON ? c->plain : NULL;

		if (!s || !*s) {
			continue;
		}
		text++;
		rtl += text_is_rtl(s, strlen(s)) != 0;
	}
	return text && rtl * 2 > text;
}

static void check(lxw_error e, const struct rows *r, size_t row, size_t col)
{
	if (e == LXW_NO_ERROR) {
		return;
	}
	if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) {
		die(QC_OUTPUT, "cannot write '%s': the text in row %zu, column "
		    "'%s' is longer than Excel's %d characters (use --format "
		    "csv)", X.path, row, r->cols[col], XLSX_MAX_STRING);
	}
	die(QC_OUTPUT, "cannot write '%s': %s", X.path, lxw_strerror(e));
}

/* A JSON cell that is a plain number (agree's statistics, written with
 * all their digits): stored as that number. */
static int json_number(const struct cell *c, double *v)
{
	char *end;

	if (!c->s || strcmp(c->s, c->plain) != 0 ||
	    !(c->s[0] == '-' || (c->s[0] >= '0' && c->s[0] <= '9'))) {
		return 0;
	}
	*v = strtod(c->s, &end);
	return end != c->s && *end == '\0';
}

static void note_width(double *w, size_t col, const char *s)
{
	double n = (double)text_width(s, strlen(s)) + 2;

	if (n > XLSX_MAX_WIDTH) {
		n = XLSX_MAX_WIDTH;
	}
	if (n > w[col]) {
		w[col] = n;
	}
}

void out_xlsx(const struct rows *r)
{
	lxw_worksheet *ws;
	char *name;
	double *width;
	int *pct;

	if (!X.path) {
		die(QC_INTERNAL, "out_xlsx: no workbook named");
	}
	if (r->nrows + 1 > XLSX_MAX_ROWS) {
		die(QC_OUTPUT, "cannot write '%s': %zu rows is more than a "
		    "sheet holds (use --format csv)", X.path, r->nrows);
	}
	if (!X.wb) {
		open_workbook();
	}
	X.nsheets++;
	name = sheet_name();
	ws = workbook_add_worksheet(X.wb, name);
	free(name);
	if (!ws) {
		die(QC_INTERNAL, "cannot add sheet %d to '%s'", X.nsheets,
		    X.path);
	}
	if (rows_first_col_rtl(r, 0)) {
		worksheet_right_to_left(ws);
	}
	width = xcalloc(r->ncols + 1, sizeof(double));
	pct = xcalloc(r->ncols + 1, sizeof(int));
	for (size_t c = 0; c < r->ncols; c++) {
		pct[c] = is_pct_col(r->cols[c]);
		check(worksheet_write_string(ws, 0, (lxw_col_t)c, r->cols[c],
					     X.head), r, 0, c);
		note_width(width, c, r->cols[c]);
	}
	worksheet_freeze_panes(ws, 1, 0);
	for (size_t i = 0; i < r->nrows; i++) {
		lxw_row_t row = (lxw_row_t)(i + 1);

		for (size_t c = 0; c < r->ncols; c++) {
			const struct cell *cl = rows_cell(r, i, c);
			lxw_col_t col = (lxw_col_t)c;
			char buf[64];
			double num;

			switch (cl->kind) {
			case CELL_NULL:
				continue;
			case CELL_INT:
				check(worksheet_write_number(ws, row, col,
							     (double)cl->i,
							     NULL), r, i + 1, c);
				break;
			case CELL_REAL:
				check(worksheet_write_number(
					      ws, row, col,
					      pct[c] ? cl->d / 100.0 : cl->d,
					      decimals(pct[c], cl->prec)),
				      r, i + 1, c);
				break;
			case CELL_JSON:
				if (json_number(cl, &num)) {
					check(worksheet_write_number(
						      ws, row, col, num, NULL),
					      r, i + 1, c);
					break;
				}
				/* fall through */
			case CELL_STR: {
				const char *v = cell_text(cl, buf,
							  sizeof(buf));
				char *safe = text_xml_safe(v);

				check(worksheet_write_string(
					      ws, row, col, safe ? safe : v,
					      NULL), r, i + 1, c);
				free(safe);
				break;
			}
			}
			note_width(width, c, cell_text(cl, buf, sizeof(buf)));
		}
	}
	for (size_t c = 0; c < r->ncols; c++) {
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width[c],
				     NULL);
	}
	free(width);
	free(pct);
}

void out_xlsx_finish(int ok)
{
	lxw_error e;

	if (!X.wb && X.path && ok) {
		/* The command had no table to write: an empty sheet. */
		char *name;

		open_workbook();
		X.nsheets++;
		name = sheet_name();
		workbook_add_worksheet(X.wb, name);
		free(name);
	}
	if (!X.wb) {
		release();
		return;
	}
	e = workbook_close(X.wb);
	X.wb = NULL;
	memset(X.num, 0, sizeof(X.num));
	memset(X.pct, 0, sizeof(X.pct));
	X.head = NULL;
	X.nsheets = 0;
	if (!ok) {
		out_discard(&X.of);
		release();
		return;
	}
	if (e != LXW_NO_ERROR) {
		die(QC_OUTPUT, "cannot write '%s': %s", X.path,
		    lxw_strerror(e));
	}
	out_commit(&X.of);
	release();
}
