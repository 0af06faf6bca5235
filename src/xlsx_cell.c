/*
 * xlsx_cell.c - the values of Excel cells as Excel shows them: text with
 * OOXML's _xHHHH_ escapes, numbers as the General format writes them,
 * dates and times in a number format, and cell references.  Pure
 * functions, for import_xlsx.c.
 */
#include "xlsx_cell.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- Text of cells ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

/* Append code point U as UTF-8. */
static void add_utf8(struct strbuf *sb, unsigned u)
{
	if (u < 0x80) {
		sb_addc(sb, (char)u);
	} else if (u < 0x800) {
		sb_addc(sb, (char)(0xC0 | (u >> 6)));
		sb_addc(sb, (char)(0x80 | (u & 0x3F)));
	} else {
		sb_addc(sb, (char)(0xE0 | (u >> 12)));
		sb_addc(sb, (char)(0x80 | ((u >> 6) & 0x3F)));
		sb_addc(sb, (char)(0x80 | (u & 0x3F)));
	}
}

/* Normalise the string S[0..LEN) into OUT: OOXML's _xHHHH_ escapes
 * decoded (a carriage return is written _x000D_), CRLF and CR turned
 * into LF as for every imported text. */
void xlsx_text(struct strbuf *out, const char *s, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '_' && i + 6 < len && s[i + 1] == 'x' &&
		    s[i + 6] == '_' && hexval(s[i + 2]) >= 0 &&
		    hexval(s[i + 3]) >= 0 && hexval(s[i + 4]) >= 0 &&
		    hexval(s[i + 5]) >= 0) {
			unsigned u = (unsigned)(hexval(s[i + 2]) << 12 |
						hexval(s[i + 3]) << 8 |
						hexval(s[i + 4]) << 4 |
						hexval(s[i + 5]));

			/* Surrogates cannot stand alone in UTF-8. */
			if (u < 0xD800 || u > 0xDFFF) {
				add_utf8(&tmp, u);
				i += 6;
				continue;
			}
		}
		sb_addc(&tmp, s[i]);
	}
	for (size_t i = 0; i < tmp.len; i++) {
		if (tmp.buf[i] == '\r') {
			sb_addc(out, '\n');
			if (i + 1 < tmp.len && tmp.buf[i + 1] == '\n') {
				i++;
			}
		} else {
			sb_addc(out, tmp.buf[i]);
		}
	}
	sb_release(&tmp);
}

/* ---- Numbers and dates ---- */

/* Append V as the shortest text that reads back as V, the way Excel's
 * General format shows a number (no exponent for whole numbers below
 * 10^15). */
void xlsx_number(struct strbuf *out, double v)
{
	char buf[40];

	if (v == 0) {
		sb_addc(out, '0');
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, sizeof(buf), "%.0f", v);
		sb_adds(out, buf);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v) {
			break;
		}
	}
	/* Excel writes the exponent 1E-07. */
	for (char *e = buf; *e; e++) {
		if (*e == 'e') {
			*e = 'E';
		}
	}
	sb_adds(out, buf);
}

/* The format code of builtin format ID when it shows a date or time,
 * else NULL (the en-US forms Excel shows them in). */
const char *xlsx_builtin_date(long id)
{
	switch (id) {
	case 14: return "m/d/yyyy";
	case 15: return "d-mmm-yy";
	case 16: return "d-mmm";
	case 17: return "mmm-yy";
	case 18: return "h:mm AM/PM";
	case 19: return "h:mm:ss AM/PM";
	case 20: return "h:mm";
	case 21: return "h:mm:ss";
	case 22: return "m/d/yyyy h:mm";
	case 45: return "mm:ss";
	case 46: return "[h]:mm:ss";
	case 47: return "mm:ss.0";
	default: return NULL;
	}
}

/* 1 when the format CODE shows a date or time: its first section has y,
 * m, d, h or s outside quotes, brackets and escapes ([h] too). */
int xlsx_is_date_code(const char *code)
{
	for (const char *p = code; *p && *p != ';'; p++) {
		switch (*p) {
		case '"':
			p = strchr(p + 1, '"');
			if (!p) {
				return 0;
			}
			break;
		case '\\':
		case '_':
		case '*':
			if (!p[1]) {
				return 0;
			}
			p++;
			break;
		case '[':
			if ((p[1] == 'h' || p[1] == 'H' || p[1] == 'm' ||
			     p[1] == 'M' || p[1] == 's' || p[1] == 'S') &&
			    (p[2] == ']' || p[2] == p[1])) {
				return 1;
			}
			p = strchr(p, ']');
			if (!p) {
				return 0;
			}
			break;
		default:
			if (strchr("ymdhsYMDHS", *p)) {
				return 1;
			}
		}
	}
	return 0;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void civil(long long z, int *y, int *m, int *d)
{
	long long era, yoe, doy, mp;
	unsigned doe;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static const char *const month_names[] = {
	"January", "February", "March",     "April",   "May",      "June",
	"July",    "August",   "September", "October", "November", "December",
};
static const char *const day_names[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday",
};

/* A date-time broken down as Excel shows it. */
struct xdate {
	int y, mo, d, wday, h, mi, s, ms;
	double days; /* the serial, for elapsed [h] [m] [s] */
};

/* SERIAL (days since the workbook's epoch) broken down; returns -1 when
 * Excel would not show it as a date (negative, or past 9999). */
static int split_serial(double serial, int date1904, struct xdate *t)
{
	long long day, msec;

	if (!(serial >= 0) || serial >= 2958466) {
		return -1;
	}
	msec = llround(serial * 86400000.0);
	day = msec / 86400000;
	msec %= 86400000;
	memset(t, 0, sizeof(*t));
	t->days = serial;
	if (date1904) {
		day += 1462; /* 1904-01-01 is serial 1462 of 1900 */
	}
	if (!date1904 && day == 60) {
		/* Lotus's 29 February 1900, which Excel keeps. */
		t->y = 1900;
		t->mo = 2;
		t->d = 29;
		t->wday = 3;
	} else if (!date1904 && day == 0) {
		t->y = 1900;
		t->mo = 1;
		t->d = 0;
		t->wday = 6;
	} else {
		/* Serial 61 is 1900-03-01; before it, one day less. */
		long long unix_day = day - 25569 + (day < 60 ? 1 : 0);

		civil(unix_day, &t->y, &t->mo, &t->d);
		t->wday = (int)(((unix_day % 7) + 11) % 7);
	}
	t->h = (int)(msec / 3600000);
	t->mi = (int)(msec / 60000 % 60);
	t->s = (int)(msec / 1000 % 60);
	t->ms = (int)(msec % 1000);
	return 0;
}

/* Append the number N with at least WIDTH digits. */
static void add_int(struct strbuf *out, long long n, int width)
{
	sb_addf(out, "%0*lld", width, n);
}

/* Format SERIAL with the date format CODE (its first section) into OUT:
 * y, m (month, or minutes after h or before s), d, h, s, AM/PM, A/P,
 * [h] [m] [s] (elapsed), .0 after seconds; quoted text and \x literal;
 * other brackets ([$-409], colours) left out. */
void xlsx_date(struct strbuf *out, double serial, int date1904,
			const char *code)
{
	struct xdate t;
	int ampm = 0, last_h = 0;
	const char *p;

	if (split_serial(serial, date1904, &t) != 0) {
		xlsx_number(out, serial);
		return;
	}
	/* A 12-hour clock when the code has AM/PM or A/P. */
	for (p = code; *p && *p != ';'; p++) {
		if (*p == '"') {
			p = strchr(p + 1, '"');
			if (!p) {
				break;
			}
		} else if (strncasecmp(p, "AM/PM", 5) == 0 ||
			   strncasecmp(p, "A/P", 3) == 0) {
			ampm = 1;
		}
	}
	/* Round away what the code does not show of the seconds. */
	if (!strstr(code, "s.0") && !strstr(code, "S.0") && t.ms >= 500) {
		split_serial(serial + 0.5 / 86400.0, date1904, &t);
		t.ms = 0;
	}
	for (p = code; *p && *p != ';';) {
		size_t n = 1;
		char c = *p;

		if (c >= 'A' && c <= 'Z' && c != 'A') {
			c = (char)(c + 'a' - 'A');
		}
		while (p[n] && (p[n] == *p || p[n] == c ||
				p[n] + ('a' - 'A') == c)) {
			n++;
		}
		if (c == 'y' || c == 'e') {
			if (n <= 2 && c == 'y') {
				add_int(out, t.y % 100, 2);
			} else {
				add_int(out, t.y, 4);
			}
		} else if (c == 'm') {
			/* Minutes after an hour or before seconds. */
			const char *q = p + n;
			int minutes = last_h;

			while (*q && !strchr("ymdhsYMDHS", *q)) {
				q++;
			}
			if (*q == 's' || *q == 'S') {
				minutes = 1;
			}
			if (minutes && n <= 2) {
				add_int(out, t.mi, (int)n);
			} else if (n == 1 || n == 2) {
				add_int(out, t.mo, (int)n);
			} else if (n == 3) {
				sb_add(out, month_names[t.mo - 1], 3);
			} else if (n == 5) {
				sb_add(out, month_names[t.mo - 1], 1);
			} else {
				sb_adds(out, month_names[t.mo - 1]);
			}
			last_h = 0;
		} else if (c == 'd') {
			if (n <= 2) {
				add_int(out, t.d, (int)n);
			} else if (n == 3) {
				sb_add(out, day_names[t.wday], 3);
			} else {
				sb_adds(out, day_names[t.wday]);
			}
		} else if (c == 'h') {
			int h = t.h;

			if (ampm) {
				h = h % 12 ? h % 12 : 12;
			}
			add_int(out, h, n >= 2 ? 2 : 1);
			last_h = 1;
		} else if (c == 's') {
			add_int(out, t.s, n >= 2 ? 2 : 1);
			if (p[n] == '.' && p[n + 1] == '0') {
				size_t k = 0;
				int frac = t.ms;

				while (p[n + 1 + k] == '0') {
					k++;
				}
				sb_addc(out, '.');
				/* Tenths, hundredths or thousandths. */
				for (size_t i = 0; i < 3 && i < k; i++) {
					sb_addc(out, (char)('0' + frac / 100));
					frac = frac % 100 * 10;
				}
				n += 1 + k;
			}
			last_h = 0;
		} else if (*p == '[') {
			const char *e = strchr(p, ']');
			char u = (char)(p[1] | 0x20);

			if (!e) {
				break;
			}
			if (u == 'h' || u == 'm' || u == 's') {
				double span = u == 'h' ? 24 : u == 'm' ? 1440
								     : 86400;

				add_int(out, (long long)floor(t.days * span +
							       1e-9),
					(int)(e - p - 1));
				last_h = u == 'h';
			}
			n = (size_t)(e - p) + 1;
		} else if (strncasecmp(p, "AM/PM", 5) == 0) {
			sb_adds(out, t.h < 12 ? "AM" : "PM");
			n = 5;
		} else if (strncasecmp(p, "A/P", 3) == 0) {
			sb_addc(out, t.h < 12 ? p[0] : p[2]);
			n = 3;
		} else if (*p == '"') {
			const char *e = strchr(p + 1, '"');

			if (!e) {
				break;
			}
			sb_add(out, p + 1, (size_t)(e - p - 1));
			n = (size_t)(e - p) + 1;
		} else if (*p == '\\' && p[1]) {
			sb_addc(out, p[1]);
			n = 2;
		} else if ((*p == '_' || *p == '*') && p[1]) {
			/* Padding: a space for _, nothing for a fill. */
			if (*p == '_') {
				sb_addc(out, ' ');
			}
			n = 2;
		} else {
			sb_add(out, p, 1);
			n = 1;
		}
		p += n;
	}
}

int xlsx_parse_ref(const char *ref, size_t *col, size_t *row)
{
	size_t c = 0, r = 0;
	const char *p = ref;

	while (*p >= 'A' && *p <= 'Z') {
		c = c * 26 + (size_t)(*p - 'A' + 1);
		if (c > XLSX_MAX_COLS) {
			return -1;
		}
		p++;
	}
	if (c == 0 || *p < '1' || *p > '9') {
		return -1;
	}
	while (*p >= '0' && *p <= '9') {
		r = r * 10 + (size_t)(*p - '0');
		if (r > XLSX_MAX_ROWS) {
			return -1;
		}
		p++;
	}
	if (*p) {
		return -1;
	}
	*col = c - 1;
	*row = r;
	return 0;
}

