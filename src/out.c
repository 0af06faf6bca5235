/*
 * out.c - the dispatch of rows to the writer of their format (out.h).
 */
#include "out.h"

void rows_write(const struct rows *r, enum out_format f, FILE *out,
		unsigned flags)
{
	switch (f) {
	case FMT_CSV:
		if (rows_xlsx_active()) {
			out_xlsx(r);
			break;
		}
		out_csv(r, out);
		break;
	case FMT_JSON:
		out_json(r, out, flags);
		break;
	case FMT_MD:
		out_md(r, out);
		break;
	case FMT_HTML:
		out_html(r, out);
		break;
	case FMT_TABLE:
	default:
		out_table(r, out, flags);
		break;
	}
}

void rows_finish(int ok)
{
	out_xlsx_finish(ok);
}
