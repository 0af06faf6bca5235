/*
 * out_chart.c - inline SVG bar charts for the HTML report.
 *
 * Each code is a label line (indented and named by report_row_place())
 * and a bar beneath it whose length is the share of cases (100% = the
 * full bar area), with "k (p%)" on the bar, inside its end when it fits, else just past it.
 * Right-to-left reports mirror the chart: labels and bars start at the
 * right edge.  Text is measured by an estimate (code points x 7.2 px at
 * 13 px), which only decides whether a number fits inside its bar.
 * Everything is computed in integers so the bytes never vary.
 */
#include "out_chart.h"

#include <stdlib.h>
#include <string.h>

#include "out_html.h"
#include "text.h"
#include "util.h"

#define CHART_W 760    /* drawing width */
#define LABEL_H 18     /* label line */
#define BAR_H 20       /* a code's bar */
#define GBAR_H 15      /* one group's bar in a grouped chart */
#define GAP 10         /* between codes */
#define INDENT 18      /* per level */
#define VALUE_ROOM 110 /* kept free for the value past a full bar */
#define LABEL_MAX 100  /* code points of a label before "…" */

/* Twenty colours: Tableau 10, then ten of the lighter and darker
 * companions of Tableau 20 chosen to stay apart from the first ten. */
static const char *const palette[] = {
	"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
	"#a0cbe8", "#ffbe7d", "#8cd17d", "#b6992d", "#499894",
	"#79706e", "#d37295", "#fabfd2", "#d4a6c8", "#d7b5a6",
};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

/* Past the twenty colours, groups get the same colours with white
 * stripes: rising (style 1), then falling (style 2). */
#define NSTYLES 3
static const int stripe_angle[NSTYLES] = { 0, 45, 135 };

/* Charts on the page so far, so pattern ids stay unique in a report. */
static unsigned chart_serial;

const char *chart_group_color(size_t g)
{
	return palette[g % NPALETTE];
}

int chart_group_style(size_t g)
{
	return (int)(g / NPALETTE % NSTYLES);
}

/* The fill of group G in chart SERIAL: its colour, or a pattern. */
static char *group_fill(size_t g, unsigned serial)
{
	if (chart_group_style(g) == 0) {
		return xstrdup(chart_group_color(g));
	}
	return xasprintf("url(#qc%u-g%zu)", serial, g);
}

/* The patterns of the striped groups of a grouped chart. */
static void put_patterns(FILE *out, size_t ngroups, unsigned serial)
{
	if (ngroups <= NPALETTE) {
		return;
	}
	fputs("<defs>\n", out);
	for (size_t g = NPALETTE; g < ngroups; g++) {
		fprintf(out, "<pattern id=\"qc%u-g%zu\" width=\"6\" "
			     "height=\"6\" patternUnits=\"userSpaceOnUse\" "
			     "patternTransform=\"rotate(%d)\"><rect "
			     "width=\"6\" height=\"6\" fill=\"%s\"/><rect "
			     "width=\"2\" height=\"6\" fill=\"#fff\"/>"
			     "</pattern>\n",
			serial, g, stripe_angle[chart_group_style(g)],
			chart_group_color(g));
	}
	fputs("</defs>\n", out);
}

/* S cut to LABEL_MAX code points with an ellipsis; caller frees. */
static char *cut_label(const char *s)
{
	size_t len = strlen(s), i = 0, n = 0;

	while (i < len && n < LABEL_MAX) {
		utf8_next(s, len, &i);
		n++;
	}
	if (i >= len) {
		return xstrdup(s);
	}
	return xasprintf("%.*s\xE2\x80\xA6", (int)i, s);
}

/* Estimated width in pixels of S at 13 px. */
static long est_width(const char *s)
{
	return (long)(utf8_count(s, strlen(s)) * 72 / 10);
}

/* The shown codes the chart draws: those with at least one case. */
static size_t drawn(const struct report *r, size_t *out)
{
	size_t n = 0;

	for (size_t k = 0; k < r->nshow; k++) {
		if (r->stat[r->show[k]].cases > 0) {
			out[n++] = r->show[k];
		}
	}
	return n;
}

/* SHOWN for the drawn codes CODES[0..N). */
static char *drawn_mask(const struct report *r, const size_t *codes,
			size_t n)
{
	char *shown = xcalloc(r->ncodes + 1, 1);

	for (size_t k = 0; k < n; k++) {
		shown[codes[k]] = 1;
	}
	return shown;
}

/* x of a point DX pixels from the start edge. */
static long sx(int rtl, long dx)
{
	return rtl ? CHART_W - dx : dx;
}

/* <svg ...> of the chart width and height H, labelled ARIA. */
static void svg_open(FILE *out, long h, const char *aria)
{
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
		     "viewBox=\"0 0 %d %ld\" width=\"%d\" height=\"%ld\" "
		     "role=\"img\" aria-label=\"", CHART_W, h, CHART_W, h);
	html_put(out, aria);
	fputs("\">\n", out);
}

/* The label line LABEL at Y (baseline), indented; bold at LEVEL 0. */
static void put_label(FILE *out, const char *label, int level, int rtl,
		      long indent, long y)
{
	char *cut = cut_label(label);

	/* text-anchor "start" is the right end of right-to-left text. */
	fprintf(out, "<text x=\"%ld\" y=\"%ld\" text-anchor=\"start\" "
		     "direction=\"%s\" font-weight=\"%s\">",
		sx(rtl, indent), y, rtl ? "rtl" : "ltr",
		level == 0 ? "bold" : "normal");
	html_put(out, cut);
	fputs("</text>\n", out);
	free(cut);
}

/* A bar from the start edge at INDENT, LEN long, with its value. */
static void put_bar(FILE *out, int rtl, long indent, long y, long h,
		    long len, const char *color, const char *value)
{
	long vw = est_width(value) + 8;
	/* Not on stripes, where white text would not read. */
	int inside = len >= vw + 4 && strncmp(color, "url(", 4) != 0;
	long vx;

	fprintf(out, "<rect x=\"%ld\" y=\"%ld\" width=\"%ld\" height=\"%ld\" "
		     "fill=\"%s\"/>\n",
		rtl ? CHART_W - indent - len : indent, y, len, h, color);
	/* The value: inside the bar's end, or just past it. */
	vx = inside ? indent + len - 5 : indent + len + 5;
	fprintf(out, "<text x=\"%ld\" y=\"%ld\" text-anchor=\"%s\" "
		     "direction=\"ltr\" fill=\"%s\">",
		sx(rtl, vx), y + h - 5,
		(inside != rtl) ? "end" : "start",
		inside ? "#fff" : "#222");
	html_put(out, value);
	fputs("</text>\n", out);
}

/* "k (p%)" of K of N; caller frees. */
static char *value_text(long long k, long long n)
{
	long long t = report_tenths(k, n);

	if (t < 0) {
		return xasprintf("%lld", k);
	}
	return xasprintf("%lld (%lld.%lld%%)", k, t / 10, t % 10);
}

void chart_bars(FILE *out, const struct report *r, int rtl,
		const char *aria)
{
	size_t *codes = xmalloc((r->nshow + 1) * sizeof(size_t));
	size_t n = drawn(r, codes);
	char *shown = drawn_mask(r, codes, n);
	long y = 0, row = LABEL_H + BAR_H + GAP;

	svg_open(out, (long)n * row + 4, aria);
	for (size_t k = 0; k < n; k++) {
		size_t i = codes[k];
		char *label;
		int level = report_row_place(r, shown, i, &label);
		long indent = (long)level * INDENT + 2;
		long area = CHART_W - indent - VALUE_ROOM;
		long long t = report_tenths(r->stat[i].cases,
					    (long long)r->nunits);
		long len = (long)(area * (t < 0 ? 0 : t) / 1000);
		char *value = value_text(r->stat[i].cases,
					 (long long)r->nunits);

		fputs("<g><title>", out);
		html_put(out, r->codes[i].path);
		fputs("</title>\n", out);
		put_label(out, label, level, rtl, indent, y + 14);
		free(label);
		put_bar(out, rtl, indent, y + LABEL_H, BAR_H, len < 1 ? 1 : len,
			r->codes[i].color ? r->codes[i].color : palette[0],
			value);
		fputs("</g>\n", out);
		free(value);
		y += row;
	}
	fputs("</svg>\n", out);
	free(shown);
	free(codes);
}

void chart_grouped(FILE *out, const struct report *r, int rtl,
		   const char *aria)
{
	size_t *codes = xmalloc((r->nshow + 1) * sizeof(size_t));
	size_t n = drawn(r, codes);
	char *shown = drawn_mask(r, codes, n);
	long y = 0, row = LABEL_H + (long)r->ngroups * (GBAR_H + 2) + GAP;
	unsigned serial = ++chart_serial;

	svg_open(out, (long)n * row + 4, aria);
	put_patterns(out, r->ngroups, serial);
	for (size_t k = 0; k < n; k++) {
		size_t i = codes[k];
		char *label;
		int level = report_row_place(r, shown, i, &label);
		long indent = (long)level * INDENT + 2;
		long area = CHART_W - indent - VALUE_ROOM;

		fputs("<g><title>", out);
		html_put(out, r->codes[i].path);
		fputs("</title>\n", out);
		put_label(out, label, level, rtl, indent, y + 14);
		free(label);
		for (size_t g = 0; g < r->ngroups; g++) {
			long long c = r->gstat[i * r->ngroups + g].cases;
			long long t = report_tenths(c, r->group_n[g]);
			long len = (long)(area * (t < 0 ? 0 : t) / 1000);
			char *v = value_text(c, r->group_n[g]);
			/* The group's name on its bar: past a few groups
			 * colours alone are hard to match with the legend. */
			char *value = xasprintf("%s: %s", r->groups[g], v);
			char *fill = group_fill(g, serial);

			free(v);

			put_bar(out, rtl, indent,
				y + LABEL_H + (long)g * (GBAR_H + 2), GBAR_H,
				len < 1 ? 1 : len, fill, value);
			free(fill);
			free(value);
		}
		fputs("</g>\n", out);
		y += row;
	}
	fputs("</svg>\n", out);
	free(shown);
	free(codes);
}

void chart_legend(FILE *out, const struct report *r)
{
	fputs("<ul class=\"legend\">\n", out);
	for (size_t g = 0; g < r->ngroups; g++) {
		int st = chart_group_style(g);

		if (st == 0) {
			fprintf(out, "<li><span class=\"swatch\" style=\""
				     "background:%s\"></span> <bdi>",
				chart_group_color(g));
		} else {
			fprintf(out, "<li><span class=\"swatch\" style=\""
				     "background:repeating-linear-gradient("
				     "%ddeg,%s 0 4px,#fff 4px 6px)\"></span> "
				     "<bdi>", stripe_angle[st] + 90,
				chart_group_color(g));
		}
		html_put(out, r->groups[g]);
		fprintf(out, "</bdi> <span class=\"n\">(n=%lld)</span></li>\n",
			r->group_n[g]);
	}
	fputs("</ul>\n", out);
}
