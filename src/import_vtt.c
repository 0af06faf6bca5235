/*
 * import_vtt.c - WebVTT and SRT subtitles.
 *
 * Every cue keeps its start and end time.  A speaker is read from the
 * cue: a voice tag `<v Name>`, a line `[Name]: text`, or a line
 * `Name: text` (accepted by the rules of segment.h: the name recurs, or
 * it is a short one-off name among recurring ones).  A cue line without
 * a speaker continues the speaker before it, and consecutive cues of one
 * speaker (names compared by speaker_key()) merge into one turn that
 * keeps the first start and the last end time and the first spelling.  Cues before any speaker, or in a file without speakers, are
 * segments of their own.
 *
 * The stored document is the spoken text, not the file: one paragraph
 * per segment, "Name: text" for a turn (its cue lines joined by spaces,
 * tags removed, entities decoded; SRT: only the tags SRT players know,
 * other '<' text kept), so it reads as a transcript; the
 * segment's offsets cover the text after "Name: ".
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import.h"
#include "segment.h"
#include "speaker.h"
#include "text.h"
#include "util.h"

/* One line of cue text, markup removed. */
struct cline {
	size_t cue;        /* index of its cue */
	size_t lineno;     /* in the file, for messages */
	char *text;        /* the whole line, markup removed */
	char *voice;       /* <v Name>, or NULL */
	struct seg_label l;
	char *key;         /* speaker_key() of the label's name */
	int label;         /* a Name: / [Name]: label was parsed */
	int accepted;      /* the label names a speaker */
};

/* A cue's times. */
struct cue {
	long long t0, t1;
};

/* What the parser collects from a file. */
struct vtt {
	const char *path;
	struct cue *cues;
	size_t ncues, capcues;
	struct cline *lines;
	size_t nlines, caplines;
};

/* A copy of S[0..N) without leading and trailing blanks; caller frees. */
static char *dup_trimmed(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) {
		n--;
	}
	return xstrndup(s, n);
}

/* Decode the HTML entity at S[*I] ('&') into SB; advance *I. */
static void entity(const char *s, size_t len, size_t *i, struct strbuf *sb)
{
	static const struct {
		const char *name, *text;
	} ents[] = {
		{ "&amp;", "&" },   { "&lt;", "<" },    { "&gt;", ">" },
		{ "&quot;", "\"" }, { "&apos;", "'" },  { "&nbsp;", " " },
		{ "&lrm;", "\xE2\x80\x8E" }, { "&rlm;", "\xE2\x80\x8F" },
	};

	for (size_t k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
		size_t n = strlen(ents[k].name);

		if (*i + n <= len && memcmp(s + *i, ents[k].name, n) == 0) {
			sb_adds(sb, ents[k].text);
			*i += n;
			return;
		}
	}
	sb_addc(sb, '&');
	(*i)++;
}

/* The name in a voice tag "v Name" / "v.class Name" (TAG[0..N)), or
 * NULL when the tag is not a voice tag; caller frees. */
static char *voice_name(const char *tag, size_t n)
{
	size_t i = 1;
	char *name;

	if (n < 2 || tag[0] != 'v' || (tag[1] != ' ' && tag[1] != '.' &&
				       tag[1] != '\t')) {
		return NULL;
	}
	while (i < n && tag[i] != ' ' && tag[i] != '\t') {
		i++;
	}
	name = dup_trimmed(tag + i, n - i);
	if (!*name) {
		free(name);
		return NULL;
	}
	return name;
}

/* Append a cue line: SB's text trimmed, with VOICE (owned, may be
 * NULL).  Nothing is added for an empty line without a voice. */
static void emit(struct vtt *v, size_t lineno, struct strbuf *sb,
		 char *voice)
{
	char *t = dup_trimmed(sb_str(sb), sb->len);
	struct cline *c;

	sb_reset(sb);
	if (!*t && !voice) {
		free(t);
		return;
	}
	if (v->nlines == v->caplines) {
		v->caplines = v->caplines ? 2 * v->caplines : 64;
		v->lines = xrealloc(v->lines, v->caplines * sizeof(*c));
	}
	c = &v->lines[v->nlines++];
	memset(c, 0, sizeof(*c));
	c->cue = v->ncues - 1;
	c->lineno = lineno;
	c->text = t;
	c->voice = voice;
}

/* Whether TAG[0..N) (between '<' and '>') is a tag SRT players know:
 * b, i, u, font (with attributes) and their closing forms, in any
 * case.  SRT has no escaping, so any other '<' is text. */
static int srt_tag(const char *tag, size_t n)
{
	static const char *const names[] = { "b", "i", "u", "font" };

	if (n > 0 && tag[0] == '/') {
		tag++;
		n--;
	}
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		size_t m = strlen(names[k]);

		if (n >= m && strncasecmp(tag, names[k], m) == 0 &&
		    (n == m || (strcmp(names[k], "font") == 0 &&
				(tag[m] == ' ' || tag[m] == '\t')))) {
			return 1;
		}
	}
	return 0;
}

/* Add a cue line S[0..LEN): tags removed (a voice tag starts a new line
 * of its speaker; SRT: only the tags srt_tag() knows, and voice tags),
 * entities decoded, spaces trimmed. */
static void add_line(struct vtt *v, size_t lineno, const char *s, size_t len,
		     int srt)
{
	struct strbuf sb = STRBUF_INIT;
	char *voice = NULL;
	size_t i = 0;

	while (i < len) {
		const char *gt = memchr(s + i, '>', len - i);
		const char *rb = memchr(s + i, '}', len - i);

		if (s[i] == '<' && gt) {
			const char *tag = s + i + 1;
			size_t n = (size_t)(gt - s) - i - 1;
			char *nv = voice_name(tag, n);

			if (srt && !nv && !srt_tag(tag, n) &&
			    !(n == 2 && memcmp(tag, "/v", 2) == 0)) {
				sb_addc(&sb, s[i++]);
				continue;
			}
			i = (size_t)(gt - s) + 1;
			if (nv) {
				emit(v, lineno, &sb, voice);
				voice = nv;
			}
		} else if (s[i] == '{' && i + 1 < len && s[i + 1] == '\\' &&
			   rb) {
			/* SRT override codes such as {\an8}. */
			i = (size_t)(rb - s) + 1;
		} else if (s[i] == '&') {
			entity(s, len, &i, &sb);
		} else {
			sb_addc(&sb, s[i++]);
		}
	}
	emit(v, lineno, &sb, voice);
	sb_release(&sb);
}

/* Parse a timing line "START --> END [settings]" at S[0..LEN). */
static int timing(const char *s, size_t len, struct cue *c)
{
	const char *arrow = NULL;
	size_t i = 0, n;

	for (size_t k = 0; k + 3 <= len; k++) {
		if (memcmp(s + k, "-->", 3) == 0) {
			arrow = s + k;
			break;
		}
	}
	if (!arrow) {
		return 0;
	}
	while (i < len && (s[i] == ' ' || s[i] == '\t')) {
		i++;
	}
	n = segment_parse_time(s + i, len - i, &c->t0);
	if (!n) {
		return -1;
	}
	i += n;
	while (i < len && (s[i] == ' ' || s[i] == '\t')) {
		i++;
	}
	if (s + i != arrow) {
		return -1;
	}
	i += 3;
	while (i < len && (s[i] == ' ' || s[i] == '\t')) {
		i++;
	}
	n = segment_parse_time(s + i, len - i, &c->t1);
	if (!n || (i + n < len && s[i + n] != ' ' && s[i + n] != '\t')) {
		return -1;
	}
	return 1;
}

/* Whether line S[0..LEN) starts with WORD followed by a blank or its
 * end. */
static int starts_word(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && memcmp(s, word, n) == 0 &&
	       (len == n || s[n] == ' ' || s[n] == '\t');
}

/* SRT: the first line of a block, kept until the next line tells a cue
 * number (a timing line follows) from a continuation of the cue before
 * (cue text with a blank line inside). */
struct pend {
	const char *s; /* NULL when none */
	size_t n, lineno;
};

/* Whether S[0..N) is digits only (a cue number). */
static int all_digits(const char *s, size_t n)
{
	return n > 0 && strspn(s, "0123456789") >= n;
}

/* The block of one line P ended: in SRT, after a cue, its text
 * continues that cue; a lone cue number without a timing line is left
 * out with a warning, and so is, in WebVTT, any such line (WebVTT drops
 * a block without a timing line).  (Before the first cue, a line is a
 * title and left out.) */
static void pending(struct vtt *v, const char *path, struct pend *p,
		    int srt)
{
	if (p->s && v->ncues > 0) {
		if (!srt) {
			size_t k = p->n > 40 ? 40 : p->n;

			while (k < p->n && k > 0 &&
			       ((unsigned char)p->s[k] & 0xC0) == 0x80) {
				k--;
			}
			warn("a line without a timing line in '%s' at line "
			     "%zu: left out ('%.*s%s')", path, p->lineno,
			     (int)k, p->s, k < p->n ? "..." : "");
		} else if (all_digits(p->s, p->n)) {
			warn("a cue number '%.*s' without a timing line in "
			     "'%s' at line %zu: left out",
			     (int)p->n, p->s, path, p->lineno);
		} else {
			add_line(v, p->lineno, p->s, p->n, 1);
		}
	}
	p->s = NULL;
}

/* Split F's text into cues and cue lines; dies on malformed input. */
static void parse(struct vtt *v, const struct import_file *f, int srt)
{
	const char *s = f->text;
	size_t len = f->len, i = 0, lineno = 0;
	int in_cue = 0, skip = 0, header = !srt;
	size_t block_line = 0; /* lines seen in the current block */
	struct pend pend = { NULL, 0, 0 };

	while (i < len || (i == len && lineno == 0)) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) : len;
		size_t n = e - i;
		const char *line = s + i;
		struct cue c;
		int r;

		lineno++;
		i = e + 1;
		if (lineno == 1 && !srt) {
			if (!starts_word(line, n, "WEBVTT")) {
				die(QC_INPUT,
				    "'%s' is not a WebVTT file: it must "
				    "start with 'WEBVTT', at line 1",
				    f->path);
			}
			continue;
		}
		if (n == 0 || strspn(line, " \t") == n) {
			pending(v, f->path, &pend, srt);
			header = in_cue = skip = 0;
			block_line = 0;
			continue;
		}
		if (header || skip) {
			continue;
		}
		block_line++;
		if (in_cue) {
			add_line(v, lineno, line, n, srt);
			continue;
		}
		if (block_line == 1 && !srt &&
		    (starts_word(line, n, "NOTE") ||
		     starts_word(line, n, "STYLE") ||
		     starts_word(line, n, "REGION"))) {
			skip = 1;
			continue;
		}
		r = timing(line, n, &c);
		if (r < 0) {
			die(QC_INPUT,
			    "bad cue timing '%.*s' in '%s' at line %zu "
			    "(expected 'HH:MM:SS%cmmm --> HH:MM:SS%cmmm')",
			    (int)n, line, f->path, lineno, srt ? ',' : '.',
			    srt ? ',' : '.');
		}
		if (r == 0) {
			/* A cue identifier (SRT: the cue number) comes
			 * before the timing line, never after it.  SRT: a
			 * block of text after a cue continues it (the cue
			 * text had a blank line). */
			if (block_line == 1) {
				pend.s = line;
				pend.n = n;
				pend.lineno = lineno;
				continue;
			}
			if (srt && pend.s && v->ncues > 0 &&
			    !all_digits(pend.s, pend.n)) {
				add_line(v, pend.lineno, pend.s, pend.n, 1);
				add_line(v, lineno, line, n, 1);
				pend.s = NULL;
				in_cue = 1;
				continue;
			}
			die(QC_INPUT,
			    "cue without a timing line in '%s' at line "
			    "%zu (expected 'HH:MM:SS%cmmm --> "
			    "HH:MM:SS%cmmm')",
			    f->path, lineno - 1, srt ? ',' : '.',
			    srt ? ',' : '.');
		}
		if (c.t1 < c.t0) {
			die(QC_INPUT,
			    "cue ends before it starts in '%s' at line %zu",
			    f->path, lineno);
		}
		if (v->ncues == v->capcues) {
			v->capcues = v->capcues ? 2 * v->capcues : 64;
			v->cues = xrealloc(v->cues,
					   v->capcues * sizeof(*v->cues));
		}
		v->cues[v->ncues++] = c;
		pend.s = NULL;
		in_cue = 1;
	}
	pending(v, f->path, &pend, srt);
	if (v->ncues == 0) {
		die(QC_INPUT, "no cues in '%s'", f->path);
	}
}

/* Order cue lines by the key of their label's name, for counting. */
static int by_name(const void *a, const void *b)
{
	const struct cline *x = *(const struct cline *const *)a;
	const struct cline *y = *(const struct cline *const *)b;

	return strcmp(x->key, y->key);
}

/* Parse "Name:" and "[Name]:" labels in the lines without a voice tag
 * and decide which name speakers (see the top of this file). */
static void find_labels(struct vtt *v)
{
	struct cline **cand = xmalloc((v->nlines + 1) * sizeof(*cand));
	size_t nc = 0;
	int recurring = 0;

	for (size_t i = 0; i < v->nlines; i++) {
		struct cline *c = &v->lines[i];
		size_t k;

		if (c->voice) {
			continue;
		}
		c->label = segment_parse_label(c->text, strlen(c->text), 0,
					       &c->l);
		if (!c->label) {
			continue;
		}
		c->key = speaker_key(c->l.name);
		if (c->l.kind == SEG_BRACKET) {
			/* [Name]: is a speaker; [Music] is not. */
			k = c->l.text;
			while (k > 0 && c->text[k - 1] == ' ') {
				k--;
			}
			c->accepted = k > 0 && c->text[k - 1] == ':';
		} else if (c->l.kind == SEG_TIMED) {
			c->accepted = 1;
		} else {
			cand[nc++] = c;
		}
	}
	qsort(cand, nc, sizeof(*cand), by_name);
	for (size_t a = 0; a < nc;) {
		size_t b = a + 1;

		while (b < nc && strcmp(cand[a]->key, cand[b]->key) == 0) {
			b++;
		}
		if (b - a >= 2) {
			recurring = 1;
			for (size_t k = a; k < b; k++) {
				cand[k]->accepted = 1;
			}
		}
		a = b;
	}
	for (size_t k = 0; k < nc; k++) {
		if (!cand[k]->accepted && recurring &&
		    segment_name_like(cand[k]->l.name)) {
			cand[k]->accepted = 1;
		}
	}
	free(cand);
}

/* The segment being built. */
struct turn {
	int open;
	const char *speaker;
	size_t cue;
	long long t0, t1;
	struct strbuf text;
};

/* Append the finished turn T to the document DOC and the list OUT. */
static void flush_turn(struct turn *t, struct strbuf *doc,
		       struct segments *out)
{
	if (!t->open) {
		return;
	}
	segments_add_paragraph(out, doc, t->speaker, t->text.buf, t->text.len,
			       t->t0, t->t1);
	sb_reset(&t->text);
	t->open = 0;
}

/* The length of the spoken text T[0..N) of a labelled line whose label
 * came after the invisible characters LINE[0..LABEL): a line wrapped in
 * U+202B...U+202C (or another embedding or isolate) loses its opener
 * with the label, so its closer at the end goes too. */
static size_t without_closers(const char *line, size_t label, const char *t,
			      size_t n)
{
	size_t i = 0, open = 0;

	while (i < label) {
		uint32_t cp = utf8_next(line, label, &i);

		open += (cp >= 0x202A && cp <= 0x202E && cp != 0x202C) ||
			(cp >= 0x2066 && cp <= 0x2068);
	}
	for (; open > 0 && n >= 3; open--) {
		if (memcmp(t + n - 3, "\xE2\x80\xAC", 3) != 0 &&
		    memcmp(t + n - 3, "\xE2\x81\xA9", 3) != 0) {
			break;
		}
		n -= 3;
		while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t')) {
			n--;
		}
	}
	return n;
}

/* Build the document text and its segments from the parsed lines. */
static void build(struct vtt *v, struct strbuf *doc, struct segments *out)
{
	struct turn t;
	const char *cur = NULL;

	memset(&t, 0, sizeof(t));
	for (size_t i = 0; i < v->nlines; i++) {
		struct cline *c = &v->lines[i];
		const struct cue *cue = &v->cues[c->cue];
		const char *speaker = cur;
		const char *text = c->text;
		size_t n;

		if (c->voice) {
			speaker = c->voice;
		} else if (c->accepted) {
			speaker = c->l.name;
			text = c->text + c->l.text;
		}
		n = strlen(text);
		if (c->accepted && !c->voice) {
			n = without_closers(c->text, c->l.text, text, n);
		}
		cur = speaker;
		if (n == 0) {
			continue;
		}
		if (t.open && ((speaker && t.speaker &&
				speaker_same(speaker, t.speaker)) ||
			       (!speaker && !t.speaker && t.cue == c->cue))) {
			sb_addc(&t.text, ' ');
			sb_add(&t.text, text, n);
			t.t1 = cue->t1 > t.t1 ? cue->t1 : t.t1;
			t.cue = c->cue;
			continue;
		}
		flush_turn(&t, doc, out);
		t.open = 1;
		t.speaker = speaker;
		t.cue = c->cue;
		t.t0 = cue->t0;
		t.t1 = cue->t1;
		sb_add(&t.text, text, n);
	}
	flush_turn(&t, doc, out);
	sb_release(&t.text);
}

/* Free what parse() and find_labels() allocated in V. */
static void vtt_release(struct vtt *v)
{
	for (size_t i = 0; i < v->nlines; i++) {
		free(v->lines[i].text);
		free(v->lines[i].voice);
		free(v->lines[i].l.name);
		free(v->lines[i].key);
	}
	free(v->lines);
	free(v->cues);
}

/* Import F as subtitles (SRT when SRT, else WebVTT). */
static void import_subtitles(struct import_ctx *ic, struct import_file *f,
			     int srt)
{
	struct strbuf doc = STRBUF_INIT;
	struct segments segs;
	struct vtt v;
	long long case_id, id;

	memset(&v, 0, sizeof(v));
	v.path = f->path;
	segments_init(&segs);
	parse(&v, f, srt);
	find_labels(&v);
	build(&v, &doc, &segs);
	case_id = import_doc_case(ic);
	id = import_document(ic, import_doc_name(ic, f), case_id, NULL,
			     srt ? "srt" : "vtt", sb_str(&doc), doc.len);
	import_segments(ic, id, sb_str(&doc), doc.len, &segs);
	segments_release(&segs);
	sb_release(&doc);
	vtt_release(&v);
}

void import_vtt(struct import_ctx *ic, struct import_file *f)
{
	import_subtitles(ic, f, 0);
}

void import_srt(struct import_ctx *ic, struct import_file *f)
{
	import_subtitles(ic, f, 1);
}
