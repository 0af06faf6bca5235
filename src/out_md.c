/*
 * out_md.c - Markdown (GFM) table writer and the escaping of Markdown
 * text (also the quote book's, out_quotes.c).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "util.h"

void md_text(FILE *out, const char *s, int bol)
{
	const char *s0 = s;

	for (; *s; s++) {
		if (bol) {
			const char *p = s;

			while (*p >= '0' && *p <= '9') {
				p++;
			}
			if (strchr("#+-=>", *s) ||
			    (p > s && (*p == '.' || *p == ')'))) {
				if (p > s) {
					fwrite(s, 1, (size_t)(p - s), out);
					s = p;
				}
				/* Written here, so that '>' (escaped
				 * inline too) gets one backslash. */
				fputc('\\', out);
				fputc(*s, out);
				bol = 0;
				continue;
			}
		}
		bol = 0;
		/* An underscore inside a word never emphasises. */
		if (*s == '_' && s > s0 && isalnum((unsigned char)s[-1]) &&
		    isalnum((unsigned char)s[1])) {
			fputc(*s, out);
			continue;
		}
		if (strchr("\\`*_[]<>&|~", *s)) {
			fputc('\\', out);
		}
		fputc(*s, out);
	}
}

/* A table cell: the text escaped (a backslash before '|' too, which
 * also ends the cell), each line break (CRLF, CR or LF) <br>. */
static void md_put(FILE *out, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "\r\n");
		char *line = xstrndup(s, n);

		md_text(out, line, 0);
		free(line);
		s += n;
		if (!*s) {
			break;
		}
		s += s[0] == '\r' && s[1] == '\n' ? 2 : 1;
		fputs("<br>", out);
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
