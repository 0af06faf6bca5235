/*
 * out.c - the output formats by name and the dispatch of rows to their
 * writer (out.h).
 */
#include "out.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static const struct {
	const char *name;
	enum out_format f;
} formats[] = {
	{ "table", FMT_TABLE }, { "csv", FMT_CSV }, { "json", FMT_JSON },
	{ "md", FMT_MD },       { "html", FMT_HTML }, { "xlsx", FMT_XLSX },
	{ "docx", FMT_DOCX },
};

enum out_format out_parse_format(const char *name, unsigned allowed)
{
	struct strbuf list = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (!(allowed & formats[i].f)) {
			continue;
		}
		if (strcmp(name, formats[i].name) == 0) {
			sb_release(&list);
			return formats[i].f;
		}
		sb_addf(&list, "%s%s", list.len ? ", " : "", formats[i].name);
	}
	{
		char *l = sb_detach(&list, NULL);

		fprintf(stderr, "qcode: unknown format '%s' (choose from: %s)\n",
			name, l);
		free(l);
		exit(QC_USAGE);
	}
}

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
