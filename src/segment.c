/*
 * segment.c - speaker turns and paragraphs of a transcript (see
 * segment.h for the rules).  Three passes over the lines: parse a label
 * candidate on each line; decide which candidates are speakers (the
 * prose guard); build the segments.
 */
#include "segment.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "speaker.h"
#include "text.h"
#include "util.h"

#define NAME_MAX_CHARS 60
#define NAME_MAX_WORDS 6

void segments_init(struct segments *s)
{
	memset(s, 0, sizeof(*s));
}

void segments_release(struct segments *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].speaker);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void segments_add(struct segments *s, size_t start, size_t end,
		  const char *kind, const char *speaker, long long t0,
		  long long t1)
{
	struct segment *g;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	g = &s->v[s->n++];
	g->start = start;
	g->end = end;
	g->kind = kind;
	g->speaker = speaker ? xstrdup(speaker) : NULL;
	g->t0 = t0;
	g->t1 = t1;
}

void segments_add_paragraph(struct segments *out, struct strbuf *doc,
			    const char *speaker, const char *text, size_t len,
			    long long t0, long long t1)
{
	size_t start;

	if (doc->len) {
		sb_adds(doc, "\n\n");
	}
	if (speaker) {
		sb_addf(doc, "%s: ", speaker);
	}
	start = doc->len;
	sb_add(doc, text, len);
	segments_add(out, start, doc->len, speaker ? "turn" : "cue", speaker,
		     t0, t1);
}

/* Parse 1 to MAXD digits at S[*I]; returns the value or -1. */
static long digits(const char *s, size_t len, size_t *i, int mind, int maxd)
{
	long v = 0;
	int n = 0;

	while (*i < len && n < maxd && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		n++;
	}
	return n >= mind ? v : -1;
}

size_t segment_parse_time(const char *s, size_t len, long long *ms)
{
	long part[3];
	int nparts = 0;
	long frac = 0;
	size_t i = 0;

	part[0] = digits(s, len, &i, 1, 3);
	if (part[0] < 0) {
		return 0;
	}
	nparts = 1;
	while (nparts < 3 && i < len && s[i] == ':') {
		size_t j = i + 1;
		long v = digits(s, len, &j, 2, 2);

		if (v < 0 || v >= 60) {
			return 0;
		}
		part[nparts++] = v;
		i = j;
	}
	if (nparts < 2) {
		return 0;
	}
	if (nparts == 3 && part[1] >= 60) {
		return 0;
	}
	if (i < len && (s[i] == '.' || s[i] == ',') && i + 1 < len &&
	    s[i + 1] >= '0' && s[i + 1] <= '9') {
		size_t j = i + 1;
		size_t n0 = j;

		frac = digits(s, len, &j, 1, 3);
		for (size_t k = j - n0; k < 3; k++) {
			frac *= 10;
		}
		i = j;
	}
	/* A time is not followed by more digits or colons. */
	if (i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == ':')) {
		return 0;
	}
	if (nparts == 3) {
		*ms = ((long long)part[0] * 3600 + part[1] * 60 + part[2]) *
			      1000 + frac;
	} else {
		*ms = ((long long)part[0] * 60 + part[1]) * 1000 + frac;
	}
	return i;
}

/* A letter of a name: Latin, Greek, Cyrillic and other scripts that
 * cp_is_ltr() knows, the Hebrew and Arabic letters. */
static int name_letter(uint32_t cp)
{
	if (cp == 0x200E) {
		return 0;
	}
	return cp_is_ltr(cp) || (cp >= 0x05D0 && cp <= 0x05EA) ||
	       (cp >= 0x05EF && cp <= 0x05F2) ||
	       (cp >= 0x0620 && cp <= 0x064A) ||
	       (cp >= 0x066E && cp <= 0x06D3) || cp == 0x06D5 ||
	       (cp >= 0x06EE && cp <= 0x06EF) ||
	       (cp >= 0x06FA && cp <= 0x06FF) ||
	       (cp >= 0x0750 && cp <= 0x077F) ||
	       (cp >= 0x08A0 && cp <= 0x08C9) ||
	       (cp >= 0xFB1D && cp <= 0xFB4F && cp != 0xFB29) ||
	       (cp >= 0xFB50 && cp <= 0xFDFB) || (cp >= 0xFE70 && cp <= 0xFEFC);
}

/* A digit of a name: ASCII, Arabic-Indic, Extended Arabic-Indic. */
static int name_digit(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 0x0660 && cp <= 0x0669) ||
	       (cp >= 0x06F0 && cp <= 0x06F9);
}

/* Punctuation that names carry: initials, hyphens, apostrophes, Hebrew
 * geresh, gershayim and maqaf, a party or role in parentheses. */
static int name_punct(uint32_t cp)
{
	return cp == '.' || cp == '-' || cp == '_' || cp == '\'' ||
	       cp == '"' || cp == '&' || cp == '(' || cp == ')' ||
	       cp == 0x2019 || cp == 0x05F3 || cp == 0x05F4 || cp == 0x05BE;
}

/* A space or a tab. */
static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Whether S[i..len) starts with a character a speaker key ignores
 * that is not ASCII (direction marks, embeddings and isolates such as
 * U+202B...U+202C, U+2066-U+2069, U+061C, the BOM, other spaces; not
 * the marks of text.h's cp_is_ignorable_mark): returns its length in
 * bytes, else 0. */
static size_t invisible_at(const char *s, size_t len, size_t i)
{
	size_t j = i;
	uint32_t cp;

	if (i >= len || (unsigned char)s[i] < 0x80) {
		return 0;
	}
	cp = utf8_next(s, len, &j);
	/* Niqqud, harakat and tatweel belong to the letters they follow
	 * (a word may end with one): never blank. */
	return speaker_ignored_cp(cp) && !cp_is_ignorable_mark(cp) ? j - i
								    : 0;
}

/* Skip spaces, tabs and invisible characters (invisible_at()) at S[i]. */
static size_t skip_blank(const char *s, size_t len, size_t i)
{
	for (;;) {
		size_t n;

		if (i < len && is_space(s[i])) {
			i++;
		} else if ((n = invisible_at(s, len, i)) > 0) {
			i += n;
		} else {
			return i;
		}
	}
}

/* The end of S[a..e) without trailing spaces, tabs and invisible
 * characters (the PDF closing a line that an RLE opened). */
static size_t trim_end(const char *s, size_t a, size_t e)
{
	while (e > a) {
		size_t b = e - 1;

		if (is_space(s[b])) {
			e = b;
			continue;
		}
		while (b > a && ((unsigned char)s[b] & 0xC0) == 0x80) {
			b--;
		}
		if (invisible_at(s, e, b) != e - b) {
			break;
		}
		e = b;
	}
	return e;
}

/* Check that S[0..LEN) is a name (see segment.h); returns it with runs
 * of spaces collapsed (caller frees), or NULL. */
static char *valid_name(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0, chars = 0;
	int words = 0, space = 1, first = 1, depth = 0;

	while (len > 0 && is_space(s[len - 1])) {
		len--;
	}
	while (i < len) {
		size_t at = i;
		uint32_t cp = utf8_next(s, len, &i);

		chars++;
		if (cp == ' ' || cp == '\t') {
			space = 1;
			continue;
		}
		if (first && !name_letter(cp)) {
			goto bad;
		}
		if (!name_letter(cp) && !name_digit(cp) && !name_punct(cp) &&
		    !cp_is_ignorable_mark(cp)) {
			goto bad;
		}
		if (cp == '(') {
			depth++;
		} else if (cp == ')' && --depth < 0) {
			goto bad;
		}
		if (space) {
			if (!first) {
				sb_addc(&sb, ' ');
			}
			words++;
			space = 0;
		}
		first = 0;
		sb_add(&sb, s + at, i - at);
	}
	if (first || words > NAME_MAX_WORDS || chars > NAME_MAX_CHARS ||
	    depth != 0) {
		goto bad;
	}
	return sb_detach(&sb, NULL);
bad:
	sb_release(&sb);
	return NULL;
}

/* A timestamp in brackets or parentheses, or bare (H:MM:SS) and
 * followed by a space or the end, at S[i]: returns the index after it
 * (and after the spaces that follow), or I when there is none. */
static size_t leading_time(const char *s, size_t len, size_t i,
			   long long *ms)
{
	size_t n;

	if (i < len && (s[i] == '[' || s[i] == '(')) {
		char close = s[i] == '[' ? ']' : ')';

		n = segment_parse_time(s + i + 1, len - i - 1, ms);
		if (n && i + 1 + n < len && s[i + 1 + n] == close) {
			return skip_blank(s, len, i + n + 2);
		}
		return i;
	}
	/* Bare, only the long form: "10:30 we met" is not a timestamp. */
	n = segment_parse_time(s + i, len - i, ms);
	if (n && (i + n == len || is_space(s[i + n])) &&
	    memchr(s + i, ':', n) != memrchr(s + i, ':', n)) {
		return skip_blank(s, len, i + n);
	}
	return i;
}

/* Fill L for a label NAME (owned) whose text starts at I. */
static int found(const char *s, size_t len, size_t i, char *name,
		 enum seg_label_kind kind, struct seg_label *l)
{
	long long ms = -1;
	size_t t;

	l->name = name;
	l->text = skip_blank(s, len, i);
	/* Name: [00:12:03] text */
	t = leading_time(s, len, l->text, &ms);
	if (t != l->text && l->ms < 0) {
		l->ms = ms;
		l->text = t;
	}
	if (kind == SEG_INLINE && l->text == len) {
		kind = SEG_ALONE;
	}
	l->kind = kind;
	return 1;
}

/* [Name] text, [Name]: text. */
static int bracket_label(const char *s, size_t len, size_t i,
			 struct seg_label *l)
{
	const char *close = memchr(s + i, ']', len - i);
	char *name;
	size_t j;

	if (!close) {
		return 0;
	}
	name = valid_name(s + i + 1, (size_t)(close - s) - i - 1);
	if (!name) {
		return 0;
	}
	j = (size_t)(close - s) + 1;
	if (j < len && s[j] == ':') {
		j++;
	}
	return found(s, len, j, name, SEG_BRACKET, l);
}

/* **Name:** text, **Name**: text (Markdown). */
static int bold_label(const char *s, size_t len, size_t i,
		      struct seg_label *l)
{
	char mark[2] = { s[i], s[i] };
	size_t j = i + 2;
	size_t end;
	char *name;

	while (j + 1 < len && memcmp(s + j, mark, 2) != 0) {
		j++;
	}
	if (j + 1 >= len) {
		return 0;
	}
	end = j;
	j += 2;
	if (end > i + 2 && s[end - 1] == ':') {
		end--;
	} else if (j < len && s[j] == ':') {
		j++;
	} else {
		return 0;
	}
	name = valid_name(s + i + 2, end - i - 2);
	if (!name) {
		return 0;
	}
	if (j < len && ((s[j] >= '0' && s[j] <= '9') || s[j] == '/')) {
		free(name);
		return 0;
	}
	return found(s, len, j, name, SEG_BRACKET, l);
}

/* Name: text, Name (00:12:03): text. */
static int colon_label(const char *s, size_t len, size_t i,
		       struct seg_label *l)
{
	size_t colon = i, nend;
	int depth = 0;
	long long ms = -1;
	enum seg_label_kind kind = SEG_INLINE;
	char *name;

	for (; colon < len; colon++) {
		if (s[colon] == '(' || s[colon] == '[') {
			depth++;
		} else if ((s[colon] == ')' || s[colon] == ']') && depth > 0) {
			depth--;
		} else if (s[colon] == ':' && depth == 0) {
			break;
		}
	}
	if (colon >= len || colon == i) {
		return 0;
	}
	if (colon + 1 < len && ((s[colon + 1] >= '0' && s[colon + 1] <= '9') ||
				s[colon + 1] == '/' || s[colon + 1] == ':')) {
		return 0;
	}
	nend = colon;
	while (nend > i && is_space(s[nend - 1])) {
		nend--;
	}
	/* A timestamp in parentheses or brackets just before the colon. */
	if (nend > i && (s[nend - 1] == ')' || s[nend - 1] == ']')) {
		char open = s[nend - 1] == ')' ? '(' : '[';
		size_t o = nend - 1;

		while (o > i && s[o] != open) {
			o--;
		}
		if (s[o] == open) {
			long long t;
			size_t n = segment_parse_time(s + o + 1, nend - o - 2,
						      &t);

			if (n && n == nend - o - 2) {
				ms = t;
				kind = SEG_TIMED;
				nend = o;
			}
		}
	}
	name = valid_name(s + i, nend - i);
	if (!name) {
		return 0;
	}
	if (ms >= 0) {
		l->ms = ms;
	}
	return found(s, len, colon + 1, name, kind, l);
}

int segment_parse_label(const char *line, size_t len, unsigned flags,
			struct seg_label *l)
{
	size_t i = skip_blank(line, len, 0);
	size_t j;

	l->kind = SEG_NONE;
	l->name = NULL;
	l->ms = -1;
	l->text = i;
	j = leading_time(line, len, i, &l->ms);
	if (j == i) {
		l->ms = -1;
	}
	i = j;
	l->text = i;
	if (i >= len) {
		return 0;
	}
	if ((flags & SEG_MARKDOWN) && line[i] == '#') {
		return 0;
	}
	if (line[i] == '[') {
		return bracket_label(line, len, i, l);
	}
	if ((flags & SEG_MARKDOWN) && i + 2 < len &&
	    (memcmp(line + i, "**", 2) == 0 ||
	     memcmp(line + i, "__", 2) == 0)) {
		return bold_label(line, len, i, l);
	}
	return colon_label(line, len, i, l);
}

/* A line of the text and its label candidate. */
struct line {
	size_t start, end; /* bytes, without the newline */
	struct seg_label l;
	char *key;         /* speaker_key() of the label's name */
	int has_label;
	int accepted;
	int heading;       /* a Markdown heading */
	long long ts;      /* a leading timestamp, or -1 */
	size_t ts_text;    /* offset after it and its spaces */
};

/* Order candidate lines by the key of their name, for counting
 * (`Interviewer1:` and `interviewer 1:` name one speaker). */
static int by_name(const void *a, const void *b)
{
	const struct line *x = *(const struct line *const *)a;
	const struct line *y = *(const struct line *const *)b;

	return strcmp(x->key, y->key);
}

int segment_name_like(const char *name)
{
	int words = 1;

	if (*name >= 'a' && *name <= 'z') {
		return 0;
	}
	for (const char *p = name; *p; p++) {
		if (*p == ' ') {
			words++;
			if (p[1] >= 'a' && p[1] <= 'z') {
				return 0;
			}
		}
	}
	return words <= 2;
}

/* The prose guard: mark the lines whose label makes a turn. */
static void decide(struct line *lines, size_t n)
{
	struct line **cand = xmalloc((n ? n : 1) * sizeof(*cand));
	size_t nc = 0, first = n;
	int layout_alone = 0, layout_bracket = 0, inline_names = 0;

	for (size_t i = 0; i < n; i++) {
		if (lines[i].has_label) {
			cand[nc++] = &lines[i];
		}
	}
	qsort(cand, nc, sizeof(*cand), by_name);
	for (size_t a = 0; a < nc;) {
		size_t b = a + 1;
		int is_inline = 0;

		while (b < nc && strcmp(cand[a]->key, cand[b]->key) == 0) {
			b++;
		}
		for (size_t k = a; k < b; k++) {
			cand[k]->accepted = b - a >= 2; /* recurs */
			if (b - a >= 2 && cand[k]->l.kind == SEG_INLINE) {
				is_inline = 1;
			}
			if (b - a >= 2 && cand[k]->l.kind == SEG_ALONE) {
				layout_alone = 1;
			}
			if (b - a >= 2 && cand[k]->l.kind == SEG_BRACKET) {
				layout_bracket = 1;
			}
		}
		inline_names += is_inline;
		a = b;
	}
	free(cand);
	for (size_t i = 0; i < n; i++) {
		if (lines[i].has_label && lines[i].l.kind == SEG_TIMED) {
			lines[i].accepted = 1;
		}
		if (lines[i].accepted && first == n) {
			first = i;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct line *ln = &lines[i];

		if (!ln->has_label) {
			continue;
		}
		if (i < first) {
			ln->accepted = 0;
		} else if ((ln->l.kind == SEG_ALONE && layout_alone) ||
			   (ln->l.kind == SEG_BRACKET && layout_bracket) ||
			   (ln->l.kind == SEG_INLINE && inline_names >= 1 &&
			    segment_name_like(ln->l.name))) {
			ln->accepted = 1;
		}
	}
}

/* Whether S[a..b) is blank (spaces, tabs, newlines). */
static int blank(const char *s, size_t a, size_t b)
{
	for (; a < b; a++) {
		if (!is_space(s[a]) && s[a] != '\n') {
			return 0;
		}
	}
	return 1;
}

/* The segment being built. */
struct open_seg {
	int open;
	int turn;
	size_t start, end; /* start == (size_t)-1 until text is seen */
	char *speaker;     /* borrowed from the line's label */
	long long t0;
};

/* Append the open segment to OUT when it holds text; close it. */
static void close_seg(struct open_seg *o, struct segments *out)
{
	if (o->open && o->start != (size_t)-1 && o->end > o->start) {
		segments_add(out, o->start, o->end,
			     o->turn ? "turn" : "paragraph", o->speaker, o->t0,
			     -1);
	}
	memset(o, 0, sizeof(*o));
}

/* Add line LN's text from byte A to the open segment. */
static void extend(struct open_seg *o, const char *text, size_t a,
		   const struct line *ln, long long ms)
{
	size_t e = ln->end;

	a = skip_blank(text, e, a);
	e = trim_end(text, a, e);
	if (e <= a) {
		return;
	}
	if (o->start == (size_t)-1) {
		o->start = a;
		if (o->t0 < 0) {
			o->t0 = ms;
		}
	}
	o->end = e;
}

/* Open a turn of SPEAKER (borrowed) or a paragraph starting at T0. */
static void open_seg(struct open_seg *o, int turn, char *speaker,
		     long long t0)
{
	o->open = 1;
	o->turn = turn;
	o->start = (size_t)-1;
	o->end = 0;
	o->speaker = speaker;
	o->t0 = t0;
}

void segment_text(const char *text, size_t len, unsigned flags,
		  struct segments *out)
{
	/* Only the lines with a label, a leading timestamp or a heading
	 * are kept (most lines of a long text have none): the others are
	 * found again by the second scan below. */
	struct line *lines = NULL, plain;
	size_t n = 0, cap = 0, k = 0;
	struct open_seg o;

	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - text) : len;
		size_t b = skip_blank(text, e, i);
		struct line ln;

		memset(&ln, 0, sizeof(ln));
		ln.start = i;
		ln.end = e;
		ln.has_label = segment_parse_label(text + i, e - i, flags,
						   &ln.l);
		ln.key = ln.has_label ? speaker_key(ln.l.name) : NULL;
		ln.heading = (flags & SEG_MARKDOWN) && b < e && text[b] == '#';
		ln.ts = -1;
		ln.ts_text = leading_time(text, e, b, &ln.ts) - i;
		if (ln.ts_text == b - i) {
			ln.ts = -1;
			ln.ts_text = 0;
		}
		i = e + 1;
		if (!ln.has_label && !ln.heading && ln.ts < 0) {
			free(ln.l.name);
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			lines = xrealloc(lines, cap * sizeof(*lines));
		}
		lines[n++] = ln;
	}
	decide(lines, n);
	memset(&o, 0, sizeof(o));
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - text) : len;
		struct line *ln;
		int is_blank;

		if (k < n && lines[k].start == i) {
			ln = &lines[k++];
		} else {
			memset(&plain, 0, sizeof(plain));
			plain.start = i;
			plain.end = e;
			plain.ts = -1;
			ln = &plain;
		}
		i = e + 1;
		is_blank = blank(text, ln->start, ln->end);
		if (ln->accepted) {
			close_seg(&o, out);
			open_seg(&o, 1, ln->l.name, ln->l.ms);
			extend(&o, text, ln->start + ln->l.text, ln, -1);
		} else if (ln->heading) {
			close_seg(&o, out);
			open_seg(&o, 0, NULL, -1);
			extend(&o, text, ln->start, ln, -1);
			close_seg(&o, out);
		} else if (o.open && o.turn) {
			/* A timestamp opening a turn's first text line. */
			if (o.start == (size_t)-1 && ln->ts >= 0) {
				extend(&o, text, ln->start + ln->ts_text, ln,
				       ln->ts);
			} else {
				extend(&o, text, ln->start, ln, -1);
			}
		} else if (is_blank) {
			close_seg(&o, out);
		} else {
			long long ms = ln->ts;
			size_t a = ln->start + ln->ts_text;

			if (o.open && ms >= 0) {
				close_seg(&o, out);
			}
			if (!o.open) {
				open_seg(&o, 0, NULL, -1);
			}
			extend(&o, text, a, ln, ms);
		}
	}
	close_seg(&o, out);
	for (size_t i = 0; i < n; i++) {
		free(lines[i].l.name);
		free(lines[i].key);
	}
	free(lines);
}
