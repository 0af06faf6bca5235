/*
 * test_report.c - percentages and bars of the count tables, codes
 * left out of a report, the wrapped crosstab, the group palette.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out_chart.h"
#include "out_counts.h"
#include "report.h"
#include "unit.h"

void test_report_tenths(void)
{
	CHECK_INT(report_tenths(2, 3), 667);
	CHECK_INT(report_tenths(1, 3), 333);
	CHECK_INT(report_tenths(1, 8), 125);  /* 12.5 exactly */
	CHECK_INT(report_tenths(1, 16), 63);  /* 6.25 -> 6.3, half up */
	CHECK_INT(report_tenths(20, 33), 606);
	CHECK_INT(report_tenths(0, 5), 0);
	CHECK_INT(report_tenths(5, 5), 1000);
	CHECK_INT(report_tenths(0, 0), -1);
	CHECK_INT(report_parse_status("all"), 3);
	CHECK_INT(report_parse_status("rejected"), 0);
}

void test_counts_bar(void)
{
	char *b;

	b = counts_bar(1000, 4);
	CHECK_STR(b, "\xE2\x96\x88\xE2\x96\x88\xE2\x96\x88\xE2\x96\x88");
	free(b);
	b = counts_bar(0, 20);
	CHECK_STR(b, "");
	free(b);
	/* 50% of 3 cells = 12 eighths: one full block and a half block. */
	b = counts_bar(500, 3);
	CHECK_STR(b, "\xE2\x96\x88\xE2\x96\x8C");
	free(b);
	/* 1% of 20 cells = 1.6 eighths -> 2 eighths. */
	b = counts_bar(10, 20);
	CHECK_STR(b, "\xE2\x96\x8E");
	free(b);
}

void test_report_drop_empty(void)
{
	/* A (B, C), D; with --rollup none only C has cases: A stays as
	 * C's parent, B and D go. */
	struct report_code codes[4] = {
		{ .parent = REPORT_NONE, .end = 3, .depth = 1 },
		{ .parent = 0, .end = 2, .depth = 2 },
		{ .parent = 0, .end = 3, .depth = 2 },
		{ .parent = REPORT_NONE, .end = 4, .depth = 1 },
	};
	struct report_stat stat[4] = { { 0 }, { 0 }, { .cases = 2 }, { 0 } };
	size_t show[4] = { 0, 1, 2, 3 };
	struct report r = { 0 };

	r.ncodes = 4;
	r.codes = codes;
	r.stat = stat;
	r.show = show;
	r.nshow = 4;
	CHECK_INT(report_drop_empty(&r), 2);
	CHECK_INT(r.nshow, 2);
	CHECK_INT(r.show[0], 0);
	CHECK_INT(r.show[1], 2);
	/* Nothing more to drop. */
	CHECK_INT(report_drop_empty(&r), 0);
	CHECK_INT(r.nshow, 2);
}

/* The crosstab R written by counts_write_wrapped() at COLS; caller
 * frees. */
static char *wrapped(const struct rows *r, size_t cols)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	counts_write_wrapped(r, f, cols, 1, 2);
	fclose(f);
	return buf;
}

void test_counts_wrap(void)
{
	struct rows r;
	char *s;

	rows_init(&r, "code", "a (n=1)", "%", "b (n=2)", "%", "(all) (n=3)",
		  "%", NULL);
	rows_str(&r, "תמיכה");
	for (int g = 0; g < 3; g++) {
		rows_int(&r, g + 1);
		rows_real(&r, 50.0, 1);
	}
	/* Wide enough: one table, as out_table prints it. */
	s = wrapped(&r, 80);
	CHECK_STR(s, "code   a (n=1)     %  b (n=2)     %  (all) (n=3)     %\n"
		     "\xE2\x81\xA8תמיכה\xE2\x81\xA9        1  50.0        2  50.0"
		     "            3  50.0\n");
	free(s);
	/* 30 columns: a group (k and %) per block, the code repeated. */
	s = wrapped(&r, 30);
	CHECK_STR(s, "code   a (n=1)     %\n"
		     "\xE2\x81\xA8תמיכה\xE2\x81\xA9        1  50.0\n\n"
		     "code   b (n=2)     %\n"
		     "\xE2\x81\xA8תמיכה\xE2\x81\xA9        2  50.0\n\n"
		     "code   (all) (n=3)     %\n"
		     "\xE2\x81\xA8תמיכה\xE2\x81\xA9            3  50.0\n");
	free(s);
	/* Narrower than one group: still a group per block. */
	s = wrapped(&r, 5);
	CHECK(strstr(s, "(all) (n=3)") != NULL);
	free(s);
	rows_release(&r);
}

void test_chart_palette(void)
{
	/* 60 groups: no two share colour and style. */
	for (size_t a = 0; a < 60; a++) {
		for (size_t b = a + 1; b < 60; b++) {
			CHECK(strcmp(chart_group_color(a),
				     chart_group_color(b)) != 0 ||
			      chart_group_style(a) != chart_group_style(b));
		}
	}
	/* Twenty plain colours, then stripes. */
	CHECK_INT(chart_group_style(19), 0);
	CHECK_INT(chart_group_style(20), 1);
	CHECK_INT(chart_group_style(45), 2);
	CHECK_STR(chart_group_color(12), "#8cd17d");
	CHECK_STR(chart_group_color(32), "#8cd17d");
}
