/*
 * out_csv.c - RFC 4180 CSV writer: a header row, fields quoted when they
 * hold a comma, quote or line break, quotes doubled.
 */
#include <string.h>

#include "rows.h"

void csv_put_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"') {
			fputc('"', out);
		}
		fputc(*s, out);
	}
	fputc('"', out);
}

void out_csv(const struct rows *r, FILE *out)
{
	char buf[64];

	for (size_t c = 0; c < r->ncols; c++) {
		if (c) {
			fputc(',', out);
		}
		csv_put_field(out, r->cols[c]);
	}
	fputc('\n', out);
	for (size_t i = 0; i < r->nrows; i++) {
		for (size_t c = 0; c < r->ncols; c++) {
			if (c) {
				fputc(',', out);
			}
			csv_put_field(out, cell_text(rows_cell(r, i, c), buf,
						     sizeof(buf)));
		}
		fputc('\n', out);
	}
}
