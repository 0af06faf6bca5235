/*
 * out_counts.c - counts, crosstabs and co-occurrence as human tables.
 */
#include "out_counts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The shallowest depth among the shown codes. */
static int base_depth(const struct report *r)
{
	int base = 0;

	for (size_t k = 0; k < r->nshow; k++) {
		int d = r->codes[r->show[k]].depth;

		base = base == 0 || d < base ? d : base;
	}
	return base;
}

char *counts_label(const struct report *r, size_t i, unsigned flags)
{
	struct strbuf sb = STRBUF_INIT;
	int base = base_depth(r);

	if (r->o->sort_count) {
		return xstrdup(r->codes[i].path);
	}
	for (int d = base; d < r->codes[i].depth; d++) {
		sb_adds(&sb, flags & COUNTS_NBSP ? "\xC2\xA0\xC2\xA0\xC2\xA0"
						 : "  ");
	}
	sb_adds(&sb, r->codes[i].name);
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

void counts_table_rows(const struct report *r, struct rows *out,
		       unsigned flags, const struct labels *l)
{
	char *h = xasprintf("%s (n=%zu)", l ? l->cases : "cases",
			    r->nunits);

	rows_init(out, l ? l->theme : "code", h, "%", NULL);
	free(h);
	if (flags & COUNTS_BAR) {
		rows_add_col(out, "");
	}
	rows_add_col(out, l ? l->documents : "documents");
	rows_add_col(out, l ? l->segments : "segments");
	rows_add_col(out, l ? l->codings : "codings");
	for (size_t k = 0; k < r->nshow; k++) {
		size_t i = r->show[k];
		const struct report_stat *s = &r->stat[i];
		char *label = counts_label(r, i, flags);

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
}

void counts_crosstab_rows(const struct report *r, struct rows *out,
			  unsigned flags, const struct labels *l)
{
	rows_init(out, l ? l->theme : "code", NULL);
	for (size_t g = 0; g <= r->ngroups; g++) {
		char *h = g < r->ngroups
				  ? xasprintf("%s (n=%lld)", r->groups[g],
					      r->group_n[g])
				  : xasprintf("%s (n=%zu)",
					      l ? l->all : "(all)", r->nunits);

		rows_add_col(out, h);
		rows_add_col(out, "%");
		free(h);
	}
	for (size_t k = 0; k < r->nshow; k++) {
		size_t i = r->show[k];
		char *label = counts_label(r, i, flags);

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
}

void counts_cooccur_rows(const struct report *r, const long long *mat,
			 struct rows *out, unsigned flags)
{
	size_t m = r->nshow;

	rows_init(out, "#", "code", NULL);
	for (size_t j = 0; j < m; j++) {
		char h[32];

		snprintf(h, sizeof(h), "%zu", j + 1);
		rows_add_col(out, h);
	}
	for (size_t a = 0; a < m; a++) {
		char *label = counts_label(r, r->show[a], flags);

		rows_int(out, (long long)a + 1);
		rows_str(out, label);
		free(label);
		for (size_t b = 0; b < m; b++) {
			rows_int(out, mat[a * m + b]);
		}
	}
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
