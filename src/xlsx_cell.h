/*
 * xlsx_cell.h - the values of Excel cells as Excel shows them (see
 * xlsx_cell.c): pure functions that append to a strbuf.
 */
#ifndef QCODE_XLSX_CELL_H
#define QCODE_XLSX_CELL_H

#include <stddef.h>

#include "util.h"

/* Excel's limits: columns A..XFD, rows 1..1048576. */
#define XLSX_MAX_COLS 16384
#define XLSX_MAX_ROWS 1048576

/* Append the cell text S[0..LEN) to OUT: _xHHHH_ escapes decoded (a
 * carriage return is written _x000D_), CRLF and CR turned into LF. */
void xlsx_text(struct strbuf *out, const char *s, size_t len);

/* Append V as the shortest text that reads back as V, the way Excel's
 * General format shows a number: 4.5, 1234567 (no exponent for whole
 * numbers below 10^15), 1E-07. */
void xlsx_number(struct strbuf *out, double v);

/* The format code of builtin number format ID when it shows a date or
 * time (14-22, 45-47, in their en-US forms), else NULL. */
const char *xlsx_builtin_date(long id);

/* 1 when the number format CODE shows a date or time: its first section
 * has y, m, d, h or s outside quotes, brackets and escapes, or an elapsed
 * [h] [m] [s]. */
int xlsx_is_date_code(const char *code);

/* Append SERIAL (days since 1900-01-00, with Excel's 29 February 1900;
 * or since 1904-01-01 with DATE1904) formatted by the date format CODE:
 * y, m (minutes after h or before s), d, h, s, AM/PM, A/P, [h] [m] [s],
 * fractions of a second, quoted text, \x; brackets such as [$-409] and
 * colours left out.  A serial Excel cannot show as a date (negative, past
 * 9999) is appended as a number. */
void xlsx_date(struct strbuf *out, double serial, int date1904,
	       const char *code);

/* Parse the cell reference REF ("B12") into a 0-based column and a
 * 1-based row.  Returns 0, or -1 when it is none (or past Excel's
 * limits). */
int xlsx_parse_ref(const char *ref, size_t *col, size_t *row);

#endif
