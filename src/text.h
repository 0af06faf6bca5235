/*
 * text.h - UTF-8 validation and decoding, newline normalisation, and the one
 * place where offsets are converted between Unicode code points (the unit
 * qcode stores), UTF-8 bytes (what PCRE2 reports) and UTF-16 code units
 * (what NVivo writes).  Also display width and direction for terminals.
 */
#ifndef QCODE_TEXT_H
#define QCODE_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Where invalid UTF-8 was found: 1-based line, 0-based byte offset. */
struct utf8_error {
	size_t line;
	size_t byte;
};

/* Return 0 when S[0..LEN) is valid UTF-8 (no overlongs, surrogates or
 * NUL bytes), else -1 and fill ERR (may be NULL). */
int utf8_validate(const char *s, size_t len, struct utf8_error *err);

/* Decode the code point at S[*I] (valid UTF-8 assumed), advance *I. */
uint32_t utf8_next(const char *s, size_t len, size_t *i);
/* Decode the code point ending just before S[*I], move *I back to it. */
uint32_t utf8_prev(const char *s, size_t *i);
/* Encode CP into OUT; returns the number of bytes (1..4). */
size_t utf8_encode(uint32_t cp, char out[4]);
/* Number of code points in S[0..LEN). */
size_t utf8_count(const char *s, size_t len);

/* Normalise imported text: drop a leading BOM, turn CRLF and lone CR into
 * LF.  Returns a new NUL-terminated string (caller frees); *OUTLEN gets its
 * length. */
char *text_normalize(const char *s, size_t len, size_t *outlen);

/*
 * Offset conversion over one text.  Build once per document, then convert
 * many offsets in O(log n).  Code-point offsets are from 0, end-exclusive.
 */
struct offmap {
	const char *text;
	size_t len;        /* bytes */
	size_t chars;      /* code points */
	size_t nmarks;
	size_t *mark_byte; /* byte offset of every 64th code point */
};
void offmap_init(struct offmap *m, const char *text, size_t len);
/* utf8_validate() and offmap_init() in one pass over TEXT: 0 and M
 * built, or -1 (M released, ERR filled as utf8_validate() does). */
int offmap_init_valid(struct offmap *m, const char *text, size_t len,
		      struct utf8_error *err);
void offmap_release(struct offmap *m);
/* Byte offset of code point CP (CP may equal chars: returns len). */
size_t offmap_byte(const struct offmap *m, size_t cp);
/* Code point offset of byte offset B (B on a character boundary). */
size_t offmap_cp(const struct offmap *m, size_t b);

/* Convert a UTF-16 code-unit offset in TEXT to code points; returns -1
 * when it is past the end or inside a surrogate pair. */
long text_utf16_to_cp(const char *text, size_t len, size_t u16);
/* Code point offset to UTF-16 code units. */
size_t text_cp_to_utf16(const char *text, size_t len, size_t cp);

/* Terminal display width of a code point (0, 1 or 2). */
int cp_width(uint32_t cp);
/* Display width of S[0..LEN). */
size_t text_width(const char *s, size_t len);
/* True for a character keyword matching ignores inside a word: Hebrew
 * points and cantillation, Arabic harakat, tatweel, and the soft hyphen
 * (U+00AD, an invisible place where a word may break: Word's optional
 * hyphen). */
int cp_is_ignorable_mark(uint32_t cp);
/*
 * Arabic search normalisation, as Apache Lucene's ArabicNormalizer (and
 * the light stemmers of Larkey, Ballesteros and Connell, 2007) define it
 * for letters: alef with hamza above (أ) or below (إ) or with madda (آ)
 * becomes bare alef (ا), teh marbuta (ة) heh (ه), alef maqsura (ى) yeh
 * (ي).  (Harakat and tatweel, the rest of that normaliser, are
 * cp_is_ignorable_mark.)  cp_ar_fold returns what CP becomes (CP itself
 * for every other code point); cp_ar_variants writes the code points
 * that fold to CP, CP first, and returns how many (1 for a letter no
 * other folds to).
 */
uint32_t cp_ar_fold(uint32_t cp);
size_t cp_ar_variants(uint32_t cp, uint32_t out[4]);
/* True for a strong right-to-left code point (Hebrew, Arabic, ...). */
int cp_is_rtl(uint32_t cp);
/* True for a strong left-to-right letter. */
int cp_is_ltr(uint32_t cp);
/* 1 when the first strong character of S is right-to-left, else 0. */
int text_is_rtl(const char *s, size_t len);
/* 1 when S contains any right-to-left character. */
int text_has_rtl(const char *s, size_t len);

/* S with the noncharacters U+FFFE and U+FFFF (valid UTF-8, but not
 * characters XML 1.0 can hold: Word and Excel refuse such a file)
 * replaced by U+FFFD: a malloc'd copy, or NULL when S has none. */
char *text_xml_safe(const char *s);

#endif
