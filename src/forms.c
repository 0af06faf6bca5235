/*
 * forms.c - presentation forms as the letters they stand for (forms.h).
 */
#include "forms.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

size_t cp_form_letters(uint32_t cp, uint32_t out[FORM_MAX])
{
	size_t lo = 0, hi = forms_table_len;

	if (cp < 0xFB1D || cp > 0xFEFC) {
		return 0;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct form_entry *e = &forms_table[mid];

		if (e->cp == cp) {
			for (size_t k = 0; k < e->n; k++) {
				out[k] = forms_pool[e->off + k];
			}
			return e->n;
		}
		if (e->cp < cp) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return 0;
}

int forms_in(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	const unsigned char *end = s + len, *p = s;

	/* U+FB1D..U+FDFF is EF AC 9D..EF B7 BF; U+FE70..U+FEFC is
	 * EF B9 B0..EF BB BC: a lead byte EF is rare in these scripts. */
	while ((p = memchr(p, 0xEF, (size_t)(end - p))) && end - p >= 3) {
		size_t i = (size_t)(p - s);
		uint32_t out[FORM_MAX];

		if (cp_form_letters(utf8_next(text, len, &i), out)) {
			return 1;
		}
		p += 3;
	}
	return 0;
}

void forms_fold(struct forms_fold *f, const char *text, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0, cap = len + 1, no = 0, nf = 0;
	size_t ocap = 64;

	memset(f, 0, sizeof(*f));
	f->f2o = xmalloc(cap * sizeof(*f->f2o));
	f->o2f = xmalloc(ocap * sizeof(*f->o2f));
	sb_grow(&sb, len);
	while (i < len) {
		size_t at = i;
		uint32_t cp = utf8_next(text, len, &i), out[FORM_MAX];
		size_t n = cp_form_letters(cp, out);

		if (no + 2 > ocap) {
			ocap *= 2;
			f->o2f = xrealloc(f->o2f, ocap * sizeof(*f->o2f));
		}
		f->o2f[no] = nf;
		if (nf + FORM_MAX + 1 > cap) {
			cap = 2 * cap + FORM_MAX + 1;
			f->f2o = xrealloc(f->f2o, cap * sizeof(*f->f2o));
		}
		if (!n) {
			sb_add(&sb, text + at, i - at);
			f->f2o[nf++] = no++;
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			char u[4];

			sb_add(&sb, u, utf8_encode(out[k], u));
			f->f2o[nf++] = no;
		}
		no++;
	}
	f->o2f[no] = nf;
	f->f2o[nf] = no;
	f->nf = nf;
	f->no = no;
	f->text = sb_detach(&sb, &f->len);
}

void forms_fold_release(struct forms_fold *f)
{
	free(f->text);
	free(f->f2o);
	free(f->o2f);
	memset(f, 0, sizeof(*f));
}

void forms_span(const struct forms_fold *f, size_t *s, size_t *e)
{
	size_t fs = *s, fe = *e;

	*s = f->f2o[fs];
	*e = fe > fs ? f->f2o[fe - 1] + 1 : *s;
}
