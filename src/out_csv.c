/*
 * out_csv.c - RFC 4180 CSV writer: a header row, fields quoted when they
 * hold a comma, quote or line break, quotes doubled.
 */
#include <stdlib.h>
#include <string.h>

#include "out.h"

static int bom = -1;          /* --bom 1, --no-bom 0, -1 $QCODE_CSV_BOM */
static FILE *bom_written;     /* the stream that has had the mark */

void csv_set_bom(int on)
{
	bom = on;
}

void csv_begin(FILE *out)
{
	int on = bom;

	if (on < 0) {
		const char *e = getenv("QCODE_CSV_BOM");

		on = e && strcmp(e, "1") == 0;
	}
	if (on && out != bom_written) {
		fputs("\xEF\xBB\xBF", out);
		bom_written = out;
	}
}

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

	csv_begin(out);
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
