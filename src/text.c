/*
 * text.c - UTF-8, offsets, display width and direction.
 */
#include "text.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Eight bytes of S from I. */
static uint64_t load8(const unsigned char *s, size_t i)
{
	uint64_t v;

	memcpy(&v, s + i, sizeof(v));
	return v;
}

#define HIGH_BITS 0x8080808080808080ULL
#define LOW_BITS 0x0101010101010101ULL

/* Fill ERR (may be NULL) for invalid UTF-8 at byte I of S. */
static void utf8_error_at(const unsigned char *s, size_t i,
			  struct utf8_error *err)
{
	if (err) {
		size_t line = 1;

		for (size_t k = 0; k < i; k++) {
			line += s[k] == '\n';
		}
		err->line = line;
		err->byte = i;
	}
}

/* The length of the valid 3- or 4-byte sequence at S[I], or 0. */
static size_t utf8_long_seq(const unsigned char *s, size_t len, size_t i)
{
	unsigned c = s[i];
	size_t need;
	uint32_t cp, min;

	if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		cp = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	for (size_t k = 1; k <= need; k++) {
		if (i + k >= len || (s[i + k] & 0xC0) != 0x80) {
			return 0;
		}
		cp = (cp << 6) | (s[i + k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		return 0;
	}
	return need + 1;
}

int utf8_validate(const char *str, size_t len, struct utf8_error *err)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t k;

		if (c < 0x80) {
			uint64_t v;

			if (c == 0) {
				goto bad;
			}
			i++;
			/* A run of ASCII without NUL, eight bytes at a time. */
			while (i + 8 <= len &&
			       !((v = load8(s, i)) & HIGH_BITS) &&
			       !((v - LOW_BITS) & ~v & HIGH_BITS)) {
				i += 8;
			}
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			/* Two bytes (Hebrew, Arabic): never too small. */
			if (i + 1 >= len || (s[i + 1] & 0xC0) != 0x80) {
				goto bad;
			}
			i += 2;
			continue;
		}
		if ((k = utf8_long_seq(s, len, i)) == 0) {
			goto bad;
		}
		i += k;
	}
	return 0;
bad:
	utf8_error_at(s, i, err);
	return -1;
}

uint32_t utf8_next(const char *str, size_t len, size_t *i)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c = s[*i];
	uint32_t cp;
	size_t need;

	if (c < 0x80) {
		(*i)++;
		return c;
	} else if (c < 0xE0) {
		need = 1;
		cp = c & 0x1F;
	} else if (c < 0xF0) {
		need = 2;
		cp = c & 0x0F;
	} else {
		need = 3;
		cp = c & 0x07;
	}
	(*i)++;
	while (need-- && *i < len) {
		cp = (cp << 6) | (s[*i] & 0x3F);
		(*i)++;
	}
	return cp;
}

uint32_t utf8_prev(const char *str, size_t *i)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t j = *i;
	size_t k;

	if (j == 0) {
		return 0;
	}
	j--;
	while (j > 0 && (s[j] & 0xC0) == 0x80) {
		j--;
	}
	*i = j;
	k = j;
	return utf8_next(str, (size_t)-1, &k);
}

size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t utf8_count(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			n++;
		}
	}
	return n;
}

char *text_normalize(const char *s, size_t len, size_t *outlen)
{
	char *out = xmalloc(len + 1);
	size_t i = 0, o = 0;

	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		i = 3;
	}
	for (; i < len; i++) {
		if (s[i] == '\r') {
			out[o++] = '\n';
			if (i + 1 < len && s[i + 1] == '\n') {
				i++;
			}
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

#define OFFMAP_STEP 64

/* Note that the character at byte I starts a step of the map. */
static void add_mark(struct offmap *m, size_t *n, size_t *cap, size_t i)
{
	if (*n == *cap) {
		*cap *= 2;
		m->mark_byte = xrealloc(m->mark_byte, *cap * sizeof(size_t));
	}
	m->mark_byte[(*n)++] = i;
}

void offmap_init(struct offmap *m, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t cap = 16, n = 0, cp = 0;

	m->text = text;
	m->len = len;
	m->mark_byte = xmalloc(cap * sizeof(size_t));
	for (size_t i = 0; i < len; i++) {
		/* Eight bytes at a time while no character starting in them
		 * is marked: count the bytes that are not continuations. */
		while (cp % OFFMAP_STEP >= 1 && cp % OFFMAP_STEP <= OFFMAP_STEP - 8
		       && i + 8 <= len) {
			uint64_t v = load8(s, i);
			/* 1 in each continuation byte (10xxxxxx), summed
			 * by the multiplication into the top byte (a
			 * popcount is a call without -mpopcnt). */
			uint64_t c = (v & ~(v << 1) & HIGH_BITS) >> 7;

			cp += 8 - (size_t)((c * 0x0101010101010101ULL) >> 56);
			i += 8;
		}
		if (i >= len) {
			break;
		}
		if ((s[i] & 0xC0) == 0x80) {
			continue;
		}
		if (cp % OFFMAP_STEP == 0) {
			add_mark(m, &n, &cap, i);
		}
		cp++;
	}
	m->nmarks = n;
	m->chars = cp;
}

int offmap_init_valid(struct offmap *m, const char *text, size_t len,
		      struct utf8_error *err)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t cap = 16, n = 0, cp = 0, i = 0;

	m->text = text;
	m->len = len;
	m->mark_byte = xmalloc(cap * sizeof(size_t));
	while (i < len) {
		unsigned c = s[i];

		if (cp % OFFMAP_STEP == 0) {
			add_mark(m, &n, &cap, i);
		}
		if (c < 0x80) {
			uint64_t v;

			if (c == 0) {
				goto bad;
			}
			i++;
			cp++;
			/* A run of ASCII without NUL, eight bytes at a
			 * time while no mark falls among them. */
			while (cp % OFFMAP_STEP != 0 &&
			       cp % OFFMAP_STEP <= OFFMAP_STEP - 8 &&
			       i + 8 <= len &&
			       !((v = load8(s, i)) & HIGH_BITS) &&
			       !((v - LOW_BITS) & ~v & HIGH_BITS)) {
				i += 8;
				cp += 8;
			}
		} else if (c >= 0xC2 && c <= 0xDF) {
			/* Two bytes (Hebrew, Arabic): a word of them at a
			 * time, up to the next mark. */
			do {
				if (i + 1 >= len || (s[i + 1] & 0xC0) != 0x80) {
					goto bad;
				}
				i += 2;
				cp++;
			} while (i < len && cp % OFFMAP_STEP != 0 &&
				 (c = s[i]) >= 0xC2 && c <= 0xDF);
		} else {
			size_t k = utf8_long_seq(s, len, i);

			if (k == 0) {
				goto bad;
			}
			i += k;
			cp++;
		}
	}
	m->nmarks = n;
	m->chars = cp;
	return 0;
bad:
	offmap_release(m);
	utf8_error_at(s, i, err);
	return -1;
}

void offmap_release(struct offmap *m)
{
	free(m->mark_byte);
	m->mark_byte = NULL;
	m->nmarks = 0;
}

size_t offmap_byte(const struct offmap *m, size_t cp)
{
	const unsigned char *s = (const unsigned char *)m->text;
	size_t k, b;

	if (cp >= m->chars) {
		return m->len;
	}
	k = cp / OFFMAP_STEP;
	b = m->mark_byte[k];
	for (size_t left = cp % OFFMAP_STEP; left > 0; left--) {
		b++;
		while (b < m->len && (s[b] & 0xC0) == 0x80) {
			b++;
		}
	}
	return b;
}

size_t offmap_cp(const struct offmap *m, size_t b)
{
	const unsigned char *s = (const unsigned char *)m->text;
	size_t lo = 0, hi = m->nmarks, cp;

	if (b >= m->len) {
		return m->chars;
	}
	/* Last mark at or before b. */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (m->mark_byte[mid] <= b) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	cp = lo * OFFMAP_STEP;
	for (size_t i = m->mark_byte[lo]; i < b; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			cp++;
		}
	}
	/* b inside a character counts as that character's start. */
	if ((s[b] & 0xC0) == 0x80) {
		cp--;
	}
	return cp;
}

long text_utf16_to_cp(const char *text, size_t len, size_t u16)
{
	size_t i = 0, units = 0, cp = 0;

	while (units < u16) {
		uint32_t c;

		if (i >= len) {
			return -1;
		}
		c = utf8_next(text, len, &i);
		units += c >= 0x10000 ? 2 : 1;
		cp++;
	}
	if (units != u16) {
		return -1;
	}
	return (long)cp;
}

size_t text_cp_to_utf16(const char *text, size_t len, size_t cp)
{
	size_t i = 0, units = 0;

	while (cp > 0 && i < len) {
		uint32_t c = utf8_next(text, len, &i);

		units += c >= 0x10000 ? 2 : 1;
		cp--;
	}
	return units;
}

struct range {
	uint32_t lo, hi;
};

static int in_ranges(uint32_t cp, const struct range *r, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp < r[mid].lo) {
			hi = mid;
		} else if (cp > r[mid].hi) {
			lo = mid + 1;
		} else {
			return 1;
		}
	}
	return 0;
}

/* Zero-width: nonspacing and enclosing marks and format characters of the
 * scripts our users write, plus the general combining blocks. */
static const struct range zero_width[] = {
	{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD },
	{ 0x05BF, 0x05BF }, { 0x05C1, 0x05C2 }, { 0x05C4, 0x05C5 },
	{ 0x05C7, 0x05C7 }, { 0x0600, 0x0605 }, { 0x0610, 0x061A },
	{ 0x061C, 0x061C }, { 0x064B, 0x065F }, { 0x0670, 0x0670 },
	{ 0x06D6, 0x06DD }, { 0x06DF, 0x06E4 }, { 0x06E7, 0x06E8 },
	{ 0x06EA, 0x06ED }, { 0x0711, 0x0711 }, { 0x0730, 0x074A },
	{ 0x07A6, 0x07B0 }, { 0x07EB, 0x07F3 }, { 0x0816, 0x082D },
	{ 0x08D3, 0x08FF }, { 0x0900, 0x0902 }, { 0x093A, 0x093A },
	{ 0x093C, 0x093C }, { 0x0941, 0x0948 }, { 0x094D, 0x094D },
	{ 0x0951, 0x0957 }, { 0x0962, 0x0963 }, { 0x0E31, 0x0E31 },
	{ 0x0E34, 0x0E3A }, { 0x0E47, 0x0E4E }, { 0x1AB0, 0x1AFF },
	{ 0x1DC0, 0x1DFF }, { 0x200B, 0x200F }, { 0x202A, 0x202E },
	{ 0x2060, 0x2064 }, { 0x2066, 0x206F }, { 0x20D0, 0x20FF },
	{ 0xFB1E, 0xFB1E }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F },
	{ 0xFEFF, 0xFEFF }, { 0xE0100, 0xE01EF },
};

static const struct range wide[] = {
	{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2E80, 0x303E },
	{ 0x3041, 0x33FF }, { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF },
	{ 0xA000, 0xA4CF }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF },
	{ 0xFE30, 0xFE4F }, { 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 },
	{ 0x1F300, 0x1F64F }, { 0x1F900, 0x1F9FF }, { 0x20000, 0x2FFFD },
	{ 0x30000, 0x3FFFD },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

int cp_width(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
		return 0;
	}
	if (cp < 0x300) {
		return 1;
	}
	if (in_ranges(cp, zero_width, NELEM(zero_width))) {
		return 0;
	}
	if (in_ranges(cp, wide, NELEM(wide))) {
		return 2;
	}
	return 1;
}

size_t text_width(const char *s, size_t len)
{
	size_t i = 0, w = 0;

	while (i < len) {
		w += (size_t)cp_width(utf8_next(s, len, &i));
	}
	return w;
}

int cp_is_ignorable_mark(uint32_t cp)
{
	return (cp >= 0x0591 && cp <= 0x05BD) || cp == 0x05BF ||
	       cp == 0x05C1 || cp == 0x05C2 || cp == 0x05C4 ||
	       cp == 0x05C5 || cp == 0x05C7 ||
	       (cp >= 0x0610 && cp <= 0x061A) ||
	       (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 ||
	       (cp >= 0x06D6 && cp <= 0x06DC) ||
	       (cp >= 0x06DF && cp <= 0x06E4) || cp == 0x06E7 ||
	       cp == 0x06E8 || (cp >= 0x06EA && cp <= 0x06ED) ||
	       cp == 0x0640 || cp == 0x00AD;
}

uint32_t cp_ar_fold(uint32_t cp)
{
	switch (cp) {
	case 0x0622: /* alef with madda above */
	case 0x0623: /* alef with hamza above */
	case 0x0625: /* alef with hamza below */
		return 0x0627;
	case 0x0629: /* teh marbuta */
		return 0x0647;
	case 0x0649: /* alef maqsura */
		return 0x064A;
	default:
		return cp;
	}
}

size_t cp_ar_variants(uint32_t cp, uint32_t out[4])
{
	size_t n = 0;

	out[n++] = cp;
	if (cp == 0x0627) {
		out[n++] = 0x0623;
		out[n++] = 0x0625;
		out[n++] = 0x0622;
	} else if (cp == 0x0647) {
		out[n++] = 0x0629;
	} else if (cp == 0x064A) {
		out[n++] = 0x0649;
	}
	return n;
}

int cp_is_rtl(uint32_t cp)
{
	return (cp >= 0x0590 && cp <= 0x08FF && !cp_is_ignorable_mark(cp) &&
		!(cp >= 0x0660 && cp <= 0x0669) &&
		!(cp >= 0x06F0 && cp <= 0x06F9)) ||
	       (cp >= 0xFB1D && cp <= 0xFDFF) ||
	       (cp >= 0xFE70 && cp <= 0xFEFE) ||
	       (cp >= 0x10800 && cp <= 0x10FFF) ||
	       (cp >= 0x1E800 && cp <= 0x1EFFF) || cp == 0x200F;
}

int cp_is_ltr(uint32_t cp)
{
	if (cp < 0x80) {
		return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
	}
	if (cp_is_rtl(cp) || cp_width(cp) == 0) {
		return 0;
	}
	/* Latin, Greek, Cyrillic, and the rest of the letters we meet. */
	return (cp >= 0x00C0 && cp <= 0x024F && cp != 0xD7 && cp != 0xF7) ||
	       (cp >= 0x0370 && cp <= 0x052F) ||
	       (cp >= 0x0900 && cp <= 0x0DFF) ||
	       (cp >= 0x1E00 && cp <= 0x1FFF) ||
	       (cp >= 0x3040 && cp <= 0x9FFF) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) || cp == 0x200E;
}

int text_is_rtl(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp = utf8_next(s, len, &i);

		if (cp_is_rtl(cp)) {
			return 1;
		}
		if (cp_is_ltr(cp)) {
			return 0;
		}
	}
	return 0;
}

int text_has_rtl(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (cp_is_rtl(utf8_next(s, len, &i))) {
			return 1;
		}
	}
	return 0;
}

char *text_xml_safe(const char *s)
{
	const char *p = strstr(s, "\xEF\xBF");
	char *out;

	while (p && p[2] != '\xBE' && p[2] != '\xBF') {
		p = strstr(p + 2, "\xEF\xBF");
	}
	if (!p) {
		return NULL;
	}
	out = xstrdup(s);
	for (char *q = out + (p - s); (q = strstr(q, "\xEF\xBF"));) {
		if (q[2] == '\xBE' || q[2] == '\xBF') {
			q[2] = '\xBD';
		}
		q += 3;
	}
	return out;
}
