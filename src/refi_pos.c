/*
 * refi_pos.c - REFI-QDA selection positions to stored code points.
 */
#include "refi_pos.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "util.h"

#define MARK_STEP 64

struct refi_units refi_units_for(const char *origin)
{
	struct refi_units u = { 0, 0 };

	if (origin && strcasestr(origin, "nvivo")) {
		u.utf16 = 1;
	} else if (origin && strcasestr(origin, "atlas.ti")) {
		u.crlf_one = 1;
	}
	return u;
}

const char *refi_units_name(struct refi_units u)
{
	return u.utf16 ? "UTF-16 code units" : "characters";
}

/* The stored character at byte *B: advance *B past its source bytes and
 * return its width in file units. */
static size_t step(const struct refi_posmap *m, size_t *b)
{
	uint32_t c;

	if (m->raw[*b] == '\r' && *b + 1 < m->len && m->raw[*b + 1] == '\n') {
		*b += 2;
		return m->u.crlf_one ? 1 : 2;
	}
	c = utf8_next(m->raw, m->len, b);
	return m->u.utf16 && c >= 0x10000 ? 2 : 1;
}

void refi_posmap_init(struct refi_posmap *m, const char *raw, size_t len,
		      struct refi_units u)
{
	size_t cap = 16, b = 0, unit = 0, cp = 0;

	if (len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) {
		raw += 3;
		len -= 3;
	}
	m->raw = raw;
	m->len = len;
	m->u = u;
	m->nmarks = 0;
	m->marks = xmalloc(cap * sizeof(*m->marks));
	while (b < len) {
		if (cp % MARK_STEP == 0) {
			if (m->nmarks == cap) {
				cap *= 2;
				m->marks = xrealloc(m->marks,
						    cap * sizeof(*m->marks));
			}
			m->marks[m->nmarks].unit = unit;
			m->marks[m->nmarks].byte = b;
			m->marks[m->nmarks].cp = cp;
			m->nmarks++;
		}
		unit += step(m, &b);
		cp++;
	}
	m->units = unit;
	m->chars = cp;
}

void refi_posmap_release(struct refi_posmap *m)
{
	free(m->marks);
	memset(m, 0, sizeof(*m));
}

int refi_posmap_cp(const struct refi_posmap *m, long long pos, int is_end,
		   size_t *cp)
{
	size_t lo = 0, hi = m->nmarks, unit, b, k;

	if (pos < 0 || (unsigned long long)pos > m->units) {
		return -1;
	}
	if ((size_t)pos == m->units) {
		*cp = m->chars;
		return 0;
	}
	/* The last mark at or before POS. */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (m->marks[mid].unit <= (size_t)pos) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	unit = m->marks[lo].unit;
	b = m->marks[lo].byte;
	k = m->marks[lo].cp;
	for (;;) {
		size_t w = step(m, &b);

		if ((size_t)pos == unit) {
			*cp = k;
			return 0;
		}
		if ((size_t)pos < unit + w) {
			*cp = is_end ? k + 1 : k;
			return 0;
		}
		unit += w;
		k++;
	}
}
