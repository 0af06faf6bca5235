/*
 * rows.c - the rows model (columns and typed cells) and the names of the
 * output formats.  The writers and the dispatch to them are in out.c.
 */
#include "rows.h"

#include <stdarg.h>
#include <stdio.h>
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

enum out_format out_parse_format(const char *name, unsigned allowed,
				 char **choices)
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
	if (choices) {
		*choices = sb_detach(&list, NULL);
	} else {
		sb_release(&list);
	}
	return 0;
}

void rows_init(struct rows *r, ...)
{
	va_list ap;
	const char *c;

	memset(r, 0, sizeof(*r));
	va_start(ap, r);
	while ((c = va_arg(ap, const char *)) != NULL) {
		rows_add_col(r, c);
	}
	va_end(ap);
}

void rows_add_col(struct rows *r, const char *name)
{
	r->cols = xrealloc(r->cols, (r->ncols + 1) * sizeof(char *));
	r->cols[r->ncols++] = xstrdup(name);
}

void rows_release(struct rows *r)
{
	for (size_t i = 0; i < r->ncols; i++) {
		free(r->cols[i]);
	}
	for (size_t i = 0; i < r->ncells; i++) {
		free(r->cells[i].s);
		free(r->cells[i].plain);
	}
	free(r->cols);
	free(r->cells);
	memset(r, 0, sizeof(*r));
}

static struct cell *next_cell(struct rows *r)
{
	struct cell *c;

	if (r->ncells == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->cells = xrealloc(r->cells, r->cap * sizeof(struct cell));
	}
	c = &r->cells[r->ncells++];
	memset(c, 0, sizeof(*c));
	r->nrows = (r->ncells + r->ncols - 1) / r->ncols;
	return c;
}

void rows_str(struct rows *r, const char *s)
{
	struct cell *c = next_cell(r);

	if (s) {
		c->kind = CELL_STR;
		c->s = xstrdup(s);
	}
}

void rows_int(struct rows *r, long long v)
{
	struct cell *c = next_cell(r);

	c->kind = CELL_INT;
	c->i = v;
}

void rows_real(struct rows *r, double v, int prec)
{
	struct cell *c = next_cell(r);

	c->kind = CELL_REAL;
	c->d = v;
	c->prec = prec;
}

void rows_null(struct rows *r)
{
	next_cell(r);
}

void rows_json(struct rows *r, const char *json, const char *plain)
{
	struct cell *c = next_cell(r);

	c->kind = CELL_JSON;
	c->s = xstrdup(json);
	c->plain = xstrdup(plain ? plain : "");
}

const struct cell *rows_cell(const struct rows *r, size_t row, size_t col)
{
	size_t k = row * r->ncols + col;
	static const struct cell null_cell;

	return k < r->ncells ? &r->cells[k] : &null_cell;
}

const char *cell_text(const struct cell *c, char *buf, size_t bufsz)
{
	switch (c->kind) {
	case CELL_STR:
		return c->s;
	case CELL_JSON:
		return c->plain;
	case CELL_INT:
		snprintf(buf, bufsz, "%lld", c->i);
		return buf;
	case CELL_REAL:
		snprintf(buf, bufsz, "%.*f", c->prec, c->d);
		return buf;
	case CELL_NULL:
		break;
	}
	return "";
}
