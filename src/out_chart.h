/*
 * out_chart.h - inline SVG bar charts of counts (the HTML report).
 */
#ifndef QCODE_OUT_CHART_H
#define QCODE_OUT_CHART_H

#include <stdio.h>

#include "report.h"

/* A horizontal bar per shown code with cases (after report_count()):
 * its share of the n cases, "k (p%)" on the bar.  RTL mirrors it. */
void chart_bars(FILE *out, const struct report *r, int rtl,
		const char *aria);
/* The same with one bar per --by group under each code. */
void chart_grouped(FILE *out, const struct report *r, int rtl,
		   const char *aria);
/* The groups' colours and n as an HTML list. */
void chart_legend(FILE *out, const struct report *r);
/* The colour of group G.  Static string.  Twenty colours; past them
 * the colours come again with stripes (chart_group_style() 1 and 2),
 * so up to 60 groups look different. */
const char *chart_group_color(size_t g);
/* 0: a plain fill; 1, 2: white stripes at two angles. */
int chart_group_style(size_t g);

#endif
