/*
 * out_table.c - the human table: columns aligned by display width (not
 * bytes), numbers right-aligned, line breaks in cells shown as spaces
 * and in column names (a group value of `count --by`) as U+23CE RETURN
 * SYMBOL, so that "Tel\nAviv" and "Tel Aviv" stay two headings, and every
 * cell holding right-to-left text wrapped in FIRST STRONG ISOLATE ...
 * POP DIRECTIONAL ISOLATE so a bidi terminal cannot reorder it into its
 * neighbours (leading spaces, an indentation, stay outside the isolate).
 * The last column is not padded.
 */
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "text.h"
#include "util.h"

#define FSI "\xE2\x81\xA8"
#define PDI "\xE2\x81\xA9"

#define RETURN_SYMBOL "\xE2\x8F\x8E" /* U+23CE */

/* The cell as one line: a tab becomes a space, and so does a line
 * break (CRLF, CR or LF) in a cell, one RETURN_SYMBOL in a column name
 * (HEAD 1). */
static char *flat(const char *s, int head)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = s; *p; p++) {
		if (*p == '\r' && p[1] == '\n') {
			continue;
		}
		if (*p == '\n' || *p == '\r') {
			sb_adds(&sb, head ? RETURN_SYMBOL : " ");
		} else {
			sb_addc(&sb, *p == '\t' ? ' ' : *p);
		}
	}
	return sb_detach(&sb, NULL);
}

static void put_cell(FILE *out, const char *s, size_t width, int right,
		     int pad)
{
	size_t len = strlen(s);
	size_t w = text_width(s, len);
	int rtl = text_has_rtl(s, len);
	size_t lead = strspn(s, " ");

	if (right) {
		for (; w < width; w++) {
			fputc(' ', out);
		}
	}
	/* Indentation stays outside the isolate, on the left. */
	fwrite(s, 1, lead, out);
	s += lead;
	if (rtl) {
		fputs(FSI, out);
	}
	fputs(s, out);
	if (rtl) {
		fputs(PDI, out);
	}
	if (!right && pad) {
		for (; w < width; w++) {
			fputc(' ', out);
		}
	}
}

static int is_num(const struct cell *c)
{
	return c->kind == CELL_INT || c->kind == CELL_REAL;
}

void out_table(const struct rows *r, FILE *out, unsigned flags)
{
	char buf[64];
	size_t *width;
	int *right;

	if (flags & ROWS_OBJECT) {
		size_t kw = 0;

		for (size_t c = 0; c < r->ncols; c++) {
			char *h = flat(r->cols[c], 1);
			size_t w = text_width(h, strlen(h));

			kw = w > kw ? w : kw;
			free(h);
		}
		for (size_t c = 0; r->nrows && c < r->ncols; c++) {
			char *h = flat(r->cols[c], 1);
			char *t = flat(cell_text(rows_cell(r, 0, c), buf,
						 sizeof(buf)), 0);

			put_cell(out, h, kw, 0, 1);
			fputs("  ", out);
			put_cell(out, t, 0, 0, 0);
			fputc('\n', out);
			free(h);
			free(t);
		}
		return;
	}
	width = xcalloc(r->ncols, sizeof(size_t));
	right = xcalloc(r->ncols, sizeof(int));
	for (size_t c = 0; c < r->ncols; c++) {
		char *h = flat(r->cols[c], 1);

		width[c] = text_width(h, strlen(h));
		free(h);
		right[c] = r->nrows > 0;
		for (size_t i = 0; i < r->nrows; i++) {
			const struct cell *cell = rows_cell(r, i, c);
			char *t = flat(cell_text(cell, buf, sizeof(buf)), 0);
			size_t w = text_width(t, strlen(t));

			/* a JSON null shown as text (agree's n/a) stands
			 * for no value: it keeps a number column right-
			 * aligned */
			if (!is_num(cell) && cell->kind != CELL_NULL &&
			    !(cell->kind == CELL_JSON &&
			      strcmp(cell->s, "null") == 0)) {
				right[c] = 0;
			}
			width[c] = w > width[c] ? w : width[c];
			free(t);
		}
	}
	for (size_t c = 0; c < r->ncols; c++) {
		char *h = flat(r->cols[c], 1);

		if (c) {
			fputs("  ", out);
		}
		put_cell(out, h, width[c], right[c], c + 1 < r->ncols);
		free(h);
	}
	fputc('\n', out);
	for (size_t i = 0; i < r->nrows; i++) {
		for (size_t c = 0; c < r->ncols; c++) {
			char *t = flat(cell_text(rows_cell(r, i, c), buf,
						 sizeof(buf)), 0);

			if (c) {
				fputs("  ", out);
			}
			put_cell(out, t, width[c], right[c], c + 1 < r->ncols);
			free(t);
		}
		fputc('\n', out);
	}
	free(width);
	free(right);
}
