/*
 * test_report.c - percentages and bars of the count tables.
 */
#include <stdlib.h>

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
