/*
 * out_counts.c - counts, crosstabs and co-occurrence as human tables.
 */
#include "out_counts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "text.h"
#include "util.h"

char *counts_bar(long long tenths, int width)
{
	static const char *const part[8] = {
		"", "\xE2\x96\x8F", "\xE2\x96\x8E", "\xE2\x96\x8D",
		"\xE2\x96\x8C", "\xE2\x96\x8B", "\xE2\x96\x8A", "\xE2\x96\x89",
	};
	struct strbuf sb = STRBUF_INIT;
	long long eighths;

	if (tenths < 0) {
		tenths = 0;
	}
	if (tenths > 1000) {
		tenths = 1000;
	}
	eighths = (tenths * width * 8 + 500) / 1000;
	for (long long i = 0; i < eighths / 8; i++) {
		sb_adds(&sb, "\xE2\x96\x88");
	}
	sb_adds(&sb, part[eighths % 8]);
	return sb_detach(&sb, NULL);
}

char *counts_label(const struct report *r, const char *shown, size_t i,
		   unsigned flags)
{
	struct strbuf sb = STRBUF_INIT;
	char *label;
	int level;

	level = report_row_place(r, shown, i, &label);
	for (int d = 0; d < level; d++) {
		sb_adds(&sb, flags & COUNTS_NBSP ? "\xC2\xA0\xC2\xA0\xC2\xA0"
						 : "  ");
	}
	sb_adds(&sb, label);
	free(label);
	return sb_detach(&sb, NULL);
}

/* A percentage cell: one decimal, empty when n is 0. */
static void pct_cell(struct rows *out, long long k, long long n)
{
	long long t = report_tenths(k, n);

	if (t < 0) {
		rows_null(out);
	} else {
		rows_real(out, (double)t / 10.0, 1);
	}
}

/* The head of the code column: what a code's k counts, its own
 * codings or those of its sub-codes too. */
static char *code_head(const struct report *r, const struct labels *l)
{
	const struct labels *w = l ? l : labels_get("en");

	return xasprintf("%s (%s)", l ? l->theme : "code",
			 r->o->rollup_none ? w->own : w->rollup);
}

/* "WHAT (n=N)", or "WHAT (n=N coded by NAME)" with --coder. */
static char *n_head(const struct report *r, const char *what, long long n,
		    const struct labels *l)
{
	char *nl = report_n_label(r, n, l ? l->coded_by : "coded by");
	char *h = xasprintf("%s (%s)", what, nl);

	free(nl);
	return h;
}

void counts_table_rows(const struct report *r, struct rows *out,
		       unsigned flags, const struct labels *l)
{
	char *h = n_head(r, l ? l->cases : "cases", (long long)r->nunits, l);
	char *c = code_head(r, l);
	char *shown = report_show_mask(r);

	rows_init(out, c, h, "%", NULL);
	free(h);
	free(c);
	if (flags & COUNTS_BAR) {
		rows_add_col(out, "");
	}
	rows_add_col(out, l ? l->documents : "documents");
	rows_add_col(out, l ? l->segments : "segments");
	rows_add_col(out, l ? l->codings : "codings");
	for (size_t k = 0; k < r->nshow; k++) {
		size_t i = r->show[k];
		const struct report_stat *s = &r->stat[i];
		char *label = counts_label(r, shown, i, flags);

		rows_str(out, label);
		free(label);
		rows_int(out, s->cases);
		pct_cell(out, s->cases, (long long)r->nunits);
		if (flags & COUNTS_BAR) {
			char *bar = counts_bar(
				report_tenths(s->cases, (long long)r->nunits),
				20);

			rows_str(out, bar);
			free(bar);
		}
		rows_int(out, s->documents);
		rows_int(out, s->segments);
		rows_int(out, s->codings);
	}
	free(shown);
}

void counts_crosstab_rows(const struct report *r, struct rows *out,
			  unsigned flags, const struct labels *l)
{
	char *head = code_head(r, l);
	char *shown = report_show_mask(r);

	rows_init(out, head, NULL);
	free(head);
	for (size_t g = 0; g <= r->ngroups; g++) {
		char *h = g < r->ngroups
				  ? xasprintf("%s (n=%lld)", r->groups[g],
					      r->group_n[g])
				  : n_head(r, l ? l->all : "(all)",
					   (long long)r->nunits, l);

		rows_add_col(out, h);
		rows_add_col(out, "%");
		free(h);
	}
	for (size_t k = 0; k < r->nshow; k++) {
		size_t i = r->show[k];
		char *label = counts_label(r, shown, i, flags);

		rows_str(out, label);
		free(label);
		for (size_t g = 0; g < r->ngroups; g++) {
			long long c = r->gstat[i * r->ngroups + g].cases;

			rows_int(out, c);
			pct_cell(out, c, r->group_n[g]);
		}
		rows_int(out, r->stat[i].cases);
		pct_cell(out, r->stat[i].cases, (long long)r->nunits);
	}
	free(shown);
}

void counts_cooccur_rows(const struct report *r, const long long *mat,
			 struct rows *out, unsigned flags)
{
	size_t m = r->nshow;
	char *shown = report_show_mask(r);

	rows_init(out, "#", "code", NULL);
	for (size_t j = 0; j < m; j++) {
		char h[32];

		snprintf(h, sizeof(h), "%zu", j + 1);
		rows_add_col(out, h);
	}
	for (size_t a = 0; a < m; a++) {
		char *label = counts_label(r, shown, r->show[a], flags);

		rows_int(out, (long long)a + 1);
		rows_str(out, label);
		free(label);
		for (size_t b = 0; b < m; b++) {
			rows_int(out, mat[a * m + b]);
		}
	}
	free(shown);
}

void counts_cooccur_long(const struct report *r, const long long *mat,
			 const char *unit, struct rows *out)
{
	size_t m = r->nshow;

	rows_init(out, "code", "path", "with", "with_path", unit, NULL);
	for (size_t a = 0; a < m; a++) {
		for (size_t b = 0; b < m; b++) {
			const struct report_code *x = &r->codes[r->show[a]];
			const struct report_code *y = &r->codes[r->show[b]];

			if (!mat[a * m + b]) {
				continue;
			}
			rows_str(out, x->name);
			rows_str(out, x->path);
			rows_str(out, y->name);
			rows_str(out, y->path);
			rows_int(out, mat[a * m + b]);
		}
	}
}

/* The display width of cell C as the terminal table prints it. */
static size_t cell_width(const struct cell *c)
{
	char buf[64];
	const char *t = cell_text(c, buf, sizeof(buf));

	return text_width(t, strlen(t));
}

/* Append a copy of cell C to OUT. */
static void copy_cell(struct rows *out, const struct cell *c)
{
	switch (c->kind) {
	case CELL_INT:
		rows_int(out, c->i);
		break;
	case CELL_REAL:
		rows_real(out, c->d, c->prec);
		break;
	case CELL_STR:
		rows_str(out, c->s);
		break;
	default:
		rows_null(out);
	}
}

size_t counts_term_columns(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;

	if (env && *env) {
		char *end;
		long v = strtol(env, &end, 10);

		if (!*end && v > 0) {
			return (size_t)v;
		}
	}
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) ==
	    0 && ws.ws_col > 0) {
		return ws.ws_col;
	}
	return 80;
}

void counts_write_wrapped(const struct rows *r, FILE *out, size_t cols,
			  size_t keep, size_t step)
{
	size_t *width = xcalloc(r->ncols + 1, sizeof(size_t));
	size_t c = keep, blocks = 0, lead = 0;

	for (size_t k = 0; k < r->ncols; k++) {
		width[k] = text_width(r->cols[k], strlen(r->cols[k]));
		for (size_t i = 0; i < r->nrows; i++) {
			size_t w = cell_width(rows_cell(r, i, k));

			width[k] = w > width[k] ? w : width[k];
		}
	}
	for (size_t k = 0; k < keep && k < r->ncols; k++) {
		lead += (k ? 2 : 0) + width[k];
	}
	while (c < r->ncols || blocks == 0) {
		size_t used = lead, end = c;
		struct rows part;

		/* Whole steps of columns while they fit (at least one). */
		while (end < r->ncols) {
			size_t add = 0, e = end + step;

			e = e > r->ncols ? r->ncols : e;
			for (size_t k = end; k < e; k++) {
				add += 2 + width[k];
			}
			if (end > c && used + add > cols) {
				break;
			}
			used += add;
			end = e;
		}
		rows_init(&part, NULL);
		for (size_t k = 0; k < keep && k < r->ncols; k++) {
			rows_add_col(&part, r->cols[k]);
		}
		for (size_t k = c; k < end; k++) {
			rows_add_col(&part, r->cols[k]);
		}
		for (size_t i = 0; i < r->nrows; i++) {
			for (size_t k = 0; k < keep && k < r->ncols; k++) {
				copy_cell(&part, rows_cell(r, i, k));
			}
			for (size_t k = c; k < end; k++) {
				copy_cell(&part, rows_cell(r, i, k));
			}
		}
		if (blocks++) {
			fputc('\n', out);
		}
		out_table(&part, out, 0);
		rows_release(&part);
		c = end;
	}
	free(width);
}
