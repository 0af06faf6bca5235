/*
 * out_md.c - Markdown (GFM) table writer.
 */
#include <string.h>

#include "out.h"

static void md_put(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|') {
			fputs("\\|", out);
		} else if (*s == '\r' || *s == '\n') {
			/* CRLF, CR or LF: one break */
			if (*s == '\r' && s[1] == '\n') {
				s++;
			}
			fputs("<br>", out);
		} else {
			fputc(*s, out);
		}
	}
}

void out_md(const struct rows *r, FILE *out)
{
	char buf[64];

	fputc('|', out);
	for (size_t c = 0; c < r->ncols; c++) {
		fputc(' ', out);
		md_put(out, r->cols[c]);
		fputs(" |", out);
	}
	fputs("\n|", out);
	for (size_t c = 0; c < r->ncols; c++) {
		enum cell_kind k = CELL_STR;

		/* the first row's kind; a leading JSON null shown as text
		 * (agree's n/a) passes the question to the next row */
		for (size_t i = 0; i < r->nrows; i++) {
			const struct cell *cl = rows_cell(r, i, c);

			k = cl->kind;
			if (k != CELL_JSON || strcmp(cl->s, "null") != 0) {
				break;
			}
		}

		fputs(k == CELL_INT || k == CELL_REAL ? " ---: |" : " --- |",
		      out);
	}
	fputc('\n', out);
	for (size_t i = 0; i < r->nrows; i++) {
		fputc('|', out);
		for (size_t c = 0; c < r->ncols; c++) {
			fputc(' ', out);
			md_put(out, cell_text(rows_cell(r, i, c), buf,
					      sizeof(buf)));
			fputs(" |", out);
		}
		fputc('\n', out);
	}
}
