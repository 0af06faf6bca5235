/*
 * test_xlsx.c - Excel cell values as Excel shows them: General numbers,
 * date formats, date-format detection, text escapes, cell references.
 */
#include <stdlib.h>

#include "unit.h"
#include "xlsx_cell.h"

static char *num(double v)
{
	struct strbuf sb = STRBUF_INIT;

	xlsx_number(&sb, v);
	return sb_detach(&sb, NULL);
}

static char *date(double serial, int date1904, const char *code)
{
	struct strbuf sb = STRBUF_INIT;

	xlsx_date(&sb, serial, date1904, code);
	return sb_detach(&sb, NULL);
}

#define CHECK_NUM(v, want)                                              \
	do {                                                            \
		char *got_ = num(v);                                    \
		CHECK_STR(got_, want);                                  \
		free(got_);                                             \
	} while (0)

#define CHECK_DATE(v, d1904, code, want)                                \
	do {                                                            \
		char *got_ = date(v, d1904, code);                      \
		CHECK_STR(got_, want);                                  \
		free(got_);                                             \
	} while (0)

void test_xlsx_number(void)
{
	CHECK_NUM(0, "0");
	CHECK_NUM(-0.0, "0");
	CHECK_NUM(42, "42");
	CHECK_NUM(-3, "-3");
	CHECK_NUM(4.5, "4.5");
	CHECK_NUM(0.1 + 0.2, "0.30000000000000004");
	CHECK_NUM(1.0 / 3, "0.3333333333333333");
	CHECK_NUM(123456789012345.0, "123456789012345");
	CHECK_NUM(1e15, "1E+15");
	CHECK_NUM(1e-7, "1E-07");
	CHECK_NUM(-2.5e-10, "-2.5E-10");
}

void test_xlsx_dates(void)
{
	/* 44536.75: Monday 2021-12-06 18:00. */
	CHECK_DATE(44536.75, 0, "m/d/yyyy", "12/6/2021");
	CHECK_DATE(44536.75, 0, "yyyy-mm-dd hh:mm:ss", "2021-12-06 18:00:00");
	CHECK_DATE(44536.75, 0, "dd/mm/yy", "06/12/21");
	CHECK_DATE(44536.75, 0, "d-mmm-yy", "6-Dec-21");
	CHECK_DATE(44536.75, 0, "mmmm d, yyyy", "December 6, 2021");
	CHECK_DATE(44536.75, 0, "mmmmm", "D");
	CHECK_DATE(44536.75, 0, "ddd dddd", "Mon Monday");
	CHECK_DATE(44536.75, 0, "h:mm AM/PM", "6:00 PM");
	CHECK_DATE(44536.25, 0, "h:mm a/p", "6:00 a");
	CHECK_DATE(44536.5, 0, "h AM/PM", "12 PM");
	CHECK_DATE(44536.0, 0, "hh:mm AM/PM", "12:00 AM");
	CHECK_DATE(44536.75, 0, "[$-409]mmm d;@", "Dec 6");
	CHECK_DATE(44536.75, 0, "\"Day \"d\\!", "Day 6!");
	CHECK_DATE(44536.75, 0, "[Red]yyyy", "2021");
	/* Minutes: after an hour, or before seconds. */
	CHECK_DATE(0.5 + 7.0 / 1440, 0, "h:mm", "12:07");
	CHECK_DATE(7.0 / 1440 + 5.0 / 86400, 0, "mm:ss", "07:05");
	CHECK_DATE(7.0 / 1440, 0, "m", "1");
	/* Seconds round unless their fractions are shown. */
	CHECK_DATE(59.6 / 86400, 0, "h:mm:ss", "0:01:00");
	CHECK_DATE(59.6 / 86400, 0, "mm:ss.0", "00:59.6");
	CHECK_DATE(1.25 / 86400, 0, "ss.00", "01.25");
	/* Elapsed time. */
	CHECK_DATE(2.5, 0, "[h]:mm:ss", "60:00:00");
	CHECK_DATE(0.5, 0, "[mm]", "720");
	/* Excel's calendar: serial 1 is 1900-01-01, 60 the fictitious
	 * 1900-02-29, 61 is 1900-03-01; the 1904 system starts a day 0. */
	CHECK_DATE(1, 0, "yyyy-mm-dd", "1900-01-01");
	CHECK_DATE(59, 0, "yyyy-mm-dd", "1900-02-28");
	CHECK_DATE(60, 0, "yyyy-mm-dd", "1900-02-29");
	CHECK_DATE(61, 0, "yyyy-mm-dd", "1900-03-01");
	CHECK_DATE(0, 1, "yyyy-mm-dd", "1904-01-01");
	CHECK_DATE(43074.75, 1, "yyyy-mm-dd hh:mm", "2021-12-06 18:00");
	CHECK_DATE(2958465, 0, "yyyy-mm-dd", "9999-12-31");
	/* Not a date Excel shows: the number. */
	CHECK_DATE(-1, 0, "yyyy-mm-dd", "-1");
	CHECK_DATE(2958466, 0, "yyyy-mm-dd", "2958466");
}

void test_xlsx_date_codes(void)
{
	CHECK(xlsx_is_date_code("yyyy-mm-dd"));
	CHECK(xlsx_is_date_code("h:mm"));
	CHECK(xlsx_is_date_code("[h]:mm:ss"));
	CHECK(xlsx_is_date_code("[$-409]mmm d;@"));
	CHECK(xlsx_is_date_code("DD/MM/YYYY"));
	CHECK(!xlsx_is_date_code("General"));
	CHECK(!xlsx_is_date_code("0.00"));
	CHECK(!xlsx_is_date_code("0.0%"));
	CHECK(!xlsx_is_date_code("#,##0 \"days\""));
	CHECK(!xlsx_is_date_code("[Red]0.00"));
	CHECK(!xlsx_is_date_code("0\\d"));
	CHECK(!xlsx_is_date_code("@"));
	CHECK(!xlsx_is_date_code("0;[Red]-0;\"dd\""));
	CHECK_STR(xlsx_builtin_date(14), "m/d/yyyy");
	CHECK_STR(xlsx_builtin_date(22), "m/d/yyyy h:mm");
	CHECK_STR(xlsx_builtin_date(46), "[h]:mm:ss");
	CHECK(xlsx_builtin_date(0) == NULL);
	CHECK(xlsx_builtin_date(2) == NULL);
	CHECK(xlsx_builtin_date(164) == NULL);
}

void test_xlsx_text_refs(void)
{
	static const char in[] = "a_x000D_\nb\r\nc\rd _x05D0_ _x00zz_ _xD800_";
	struct strbuf sb = STRBUF_INIT;
	size_t col = 0, row = 0;

	xlsx_text(&sb, in, sizeof(in) - 1);
	CHECK_STR(sb.buf, "a\nb\nc\nd \xD7\x90 _x00zz_ _xD800_");
	sb_release(&sb);
	CHECK_INT(xlsx_parse_ref("A1", &col, &row), 0);
	CHECK_INT(col, 0);
	CHECK_INT(row, 1);
	CHECK_INT(xlsx_parse_ref("AB12", &col, &row), 0);
	CHECK_INT(col, 27);
	CHECK_INT(row, 12);
	CHECK_INT(xlsx_parse_ref("XFD1048576", &col, &row), 0);
	CHECK_INT(col, 16383);
	CHECK_INT(row, 1048576);
	CHECK_INT(xlsx_parse_ref("XFE1", &col, &row), -1);
	CHECK_INT(xlsx_parse_ref("A1048577", &col, &row), -1);
	CHECK_INT(xlsx_parse_ref("B0", &col, &row), -1);
	CHECK_INT(xlsx_parse_ref("1A", &col, &row), -1);
	CHECK_INT(xlsx_parse_ref("a1", &col, &row), -1);
	CHECK_INT(xlsx_parse_ref("A1 ", &col, &row), -1);
	CHECK_INT(xlsx_parse_ref("", &col, &row), -1);
}
