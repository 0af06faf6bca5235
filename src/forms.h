/*
 * forms.h - presentation forms as the letters they stand for.  Text
 * copied from a PDF often holds Arabic letters in the shapes the PDF
 * draws them (U+FE8D alef, U+FEDF lam as it starts a word, U+FEFB the
 * lam-alef ligature) and Hebrew letters with points in one character
 * (U+FB2A shin with its dot): other characters than the letters a
 * keyword is written with.  Keyword matching reads them as those
 * letters (Unicode's NFKC of U+FB1D..U+FDFF and U+FE70..U+FEFC;
 * forms_table.c, written by scripts/gen_forms.py), and a coding found
 * there covers the forms as stored.
 */
#ifndef QCODE_FORMS_H
#define QCODE_FORMS_H

#include <stddef.h>
#include <stdint.h>

/* The most letters one form stands for (U+FDFA, a phrase of four words). */
#define FORM_MAX 18

struct form_entry {
	uint16_t cp;
	uint16_t off; /* its letters: forms_pool[off .. off + n) */
	uint8_t n;
};
extern const struct form_entry forms_table[];
extern const size_t forms_table_len;
extern const uint16_t forms_pool[];

/* The letters the presentation form CP stands for, into OUT; returns
 * how many, or 0 when CP is not a presentation form. */
size_t cp_form_letters(uint32_t cp, uint32_t out[FORM_MAX]);

/*
 * A text with its presentation forms as letters, and the maps between
 * code point offsets of the two.  A match [S, E) in the folded text is
 * the span forms_span gives in the original: from the form that gave
 * its first letter to the form that gave its last, whole.
 */
struct forms_fold {
	char *text;  /* the folded text, UTF-8, NUL-terminated */
	size_t len;  /* its bytes */
	size_t nf;   /* its code points */
	size_t no;   /* the original's code points */
	size_t *f2o; /* [nf + 1]: folded offset -> the original's */
	size_t *o2f; /* [no + 1]: original offset -> the folded text's */
};

/* Whether the valid UTF-8 TEXT[0..LEN) holds a presentation form. */
int forms_in(const char *text, size_t len);

/* Fold the valid UTF-8 TEXT[0..LEN) into F (release it). */
void forms_fold(struct forms_fold *f, const char *text, size_t len);
void forms_fold_release(struct forms_fold *f);

/* The original span of the folded span [*S, *E), in place. */
void forms_span(const struct forms_fold *f, size_t *s, size_t *e);

#endif
