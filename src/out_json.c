/*
 * out_json.c - JSON writer: an array of objects, one per line, keys in
 * column order; numbers as numbers, null as null.
 */
#include "out.h"

void json_put_str(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;

	/* Runs of bytes that need no escape go out in one fwrite: a
	 * document's text is most of what 'qcode serve' sends. */
	fputc('"', out);
	for (;; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\') {
			continue;
		}
		if (p > run) {
			fwrite(run, 1, (size_t)(p - run), out);
		}
		run = p + 1;
		switch (*p) {
		case '\0':
			fputc('"', out);
			return;
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			fprintf(out, "\\u%04x", *p);
		}
	}
}

static void put_cell(FILE *out, const struct cell *c)
{
	switch (c->kind) {
	case CELL_STR:
		json_put_str(out, c->s);
		break;
	case CELL_INT:
		fprintf(out, "%lld", c->i);
		break;
	case CELL_REAL:
		fprintf(out, "%.*f", c->prec, c->d);
		break;
	case CELL_JSON:
		fputs(c->s, out);
		break;
	case CELL_NULL:
		fputs("null", out);
		break;
	}
}

static void put_object(const struct rows *r, size_t row, FILE *out)
{
	fputc('{', out);
	for (size_t c = 0; c < r->ncols; c++) {
		if (c) {
			fputs(", ", out);
		}
		json_put_str(out, r->cols[c]);
		fputs(": ", out);
		put_cell(out, rows_cell(r, row, c));
	}
	fputc('}', out);
}

void out_json(const struct rows *r, FILE *out, unsigned flags)
{
	if (flags & ROWS_OBJECT) {
		if (r->nrows) {
			put_object(r, 0, out);
		} else {
			fputs("{}", out);
		}
		fputc('\n', out);
		return;
	}
	fputc('[', out);
	for (size_t i = 0; i < r->nrows; i++) {
		fputs(i ? ",\n  " : "\n  ", out);
		put_object(r, i, out);
	}
	fputs(r->nrows ? "\n]\n" : "]\n", out);
}
