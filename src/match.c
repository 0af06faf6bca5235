/*
 * match.c - compiling rules to PCRE2 and scanning segments (match.h).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "match.h"

#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forms.h"
#include "text.h"
#include "util.h"

enum rule_kind { RK_KEYWORD, RK_REGEX, RK_EX_KEYWORD, RK_EX_REGEX };
enum lang { LANG_NONE, LANG_HE, LANG_AR };

/* Word characters, the keyword boundary: letters, marks, digits, and
 * the soft hyphen, which breaks no word. */
#define WORD "[\\p{L}\\p{M}\\p{N}\\x{AD}]"
/* Any run of ignorable marks (text.h cp_is_ignorable_mark). */
#define MARKS                                                           \
	"[\\x{AD}\\x{591}-\\x{5BD}\\x{5BF}\\x{5C1}\\x{5C2}\\x{5C4}\\x{5C5}"    \
	"\\x{5C7}\\x{610}-\\x{61A}\\x{640}\\x{64B}-\\x{65F}\\x{670}"    \
	"\\x{6D6}-\\x{6DC}\\x{6DF}-\\x{6E4}\\x{6E7}\\x{6E8}"            \
	"\\x{6EA}-\\x{6ED}]*+"
/*
 * Hebrew prefixes: the chains of prefix letters Hebrew spelling allows
 * before a word, as hspell (the Hebrew spell checker, Nadav Har'El and
 * Dan Kenigsberg; its genprefixes.pl builds the list the Debian package
 * compiles into libhspell) defines them, without the interrogative He:
 *   ו?  ש?  (כש | מש | לכש)?  T      or alone  מב | מל
 *   T:  nothing, ב ה כ ל מ, מה, כב ככ כל כמ כמה, בכ לכ מכ
 * so the conjunction first, then ש and the temporal כש / מש / לכש, then
 * the prepositions, the article ה last and never after ב כ ל (there it
 * is absorbed: בבית, not בהבית).  "וכשבבית" and "מהבית" match "בית";
 * "הכבית", "ההבית" and "ווהבית" do not.  HE_PREFIX writes T factored
 * (כ(מה|[בכלמ])? | מ[הכ]? | [בל]כ? | ה); add_he_prefix() lets a run of
 * marks follow every letter.
 */
#define HE_PREFIX                                                       \
	"(?:ו?ש?(?:[כמ]ש|לכש)?(?:כ(?:מה|[בכלמ])?|מ[הכ]?|[בל]כ?|ה)?"       \
	"|מ[בל])"
/* Longest keyword literal fed to the automaton, in code points. */
#define LIT_MAX 200
/* How far back from a literal the start of its word may lie. */
#define WALK_MAX 64

struct rule {
	enum rule_kind kind;
	char *pattern;
	pcre2_code *re; /* regex rules: compiled alone */
};

/* A keyword's literal: the code points the automaton looks for. */
struct literal {
	int code;
	uint32_t cp[LIT_MAX];
	size_t n;
};

struct code {
	enum lang lang;
	enum match_unit unit;
	struct rule *rules;
	size_t nrules, cap;
	pcre2_code *kw;    /* alternation of the keywords, or NULL */
	int kw_anchored;   /* every keyword has a literal: kw is anchored
			      and run only where a literal occurs */
	int hyphen;        /* he, and a keyword starts with Latin/digit */
	int exact;         /* ar: no spelling normalisation */
	pcre2_code *ex_kw; /* alternation of the exclude keywords */
};

/* The automaton: a DFA over a small alphabet of symbols. */
#define SYM_OTHER 0
#define SYM_SKIP 0xFFFF
struct automaton {
	uint16_t sym[0x800]; /* code point < 0x800 -> symbol */
	uint16_t sym_kelvin; /* U+212A KELVIN SIGN folds to 'k' */
	size_t nsym;
	size_t nstates;
	uint32_t *delta;     /* nstates * nsym */
	int32_t *out;        /* first output of a state, -1 */
	int32_t *dict;       /* next state with output on the failure path */
	unsigned char *emit; /* state has an output or a dict link */
	struct {
		int code;
		size_t len;  /* literal length in symbols */
		int32_t next;
	} *outs;
	size_t nouts;
};

struct cand {
	int code;
	size_t pos;
};

struct hit {
	int code;
	int rule;
	size_t start, end;
};

/* One exclusion pattern walking through a unit (make_units). */
struct excl {
	pcre2_code *re;
	const char *shown;
	size_t off;        /* where the next match is looked for */
	size_t base;       /* the subject starts here (the segment's
			      start, for a regex) */
	uint32_t opts;     /* PCRE2_NOTEOL: the unit ends before the
			      segment does */
	int have;          /* [s, e) is its current match */
	size_t s, e;
};

struct matcher {
	struct code *codes;
	size_t ncodes, cap;
	struct literal *lits;
	size_t nlits, litcap;
	int *scan_codes;     /* codes scanned whole: no literal */
	size_t nscan;
	struct automaton ac;
	int ready;           /* compiled, and it succeeded */
	int compiled;        /* matcher_compile ran */
	pcre2_code *word_re;
	struct match_scratch *own; /* matcher_scan's, and compiling's */
};

/* What one scan needs for itself (match.h): the compiled patterns are
 * shared, the match data and JIT stack are not. */
struct match_scratch {
	unsigned char *wordc; /* cache for cp < 0x10000: 0 ?, 1 word, 2 not */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	struct cand *cands;
	size_t ncands, candcap;
	struct hit *hits;
	size_t nhits, hitcap;
	struct excl *excl;   /* a code's exclusions, nrules + 1 */
	size_t nexcl, exclcap;
	size_t work;         /* bytes looked at for sentences and
				exclusions (matcher_work) */
};

void match_results_release(struct match_results *r)
{
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}

int match_unit_parse(const char *name, enum match_unit *unit)
{
	if (!name || strcmp(name, "segment") == 0) {
		*unit = MATCH_UNIT_SEGMENT;
	} else if (strcmp(name, "sentence") == 0) {
		*unit = MATCH_UNIT_SENTENCE;
	} else if (strcmp(name, "match") == 0) {
		*unit = MATCH_UNIT_MATCH;
	} else {
		return -1;
	}
	return 0;
}

struct matcher *matcher_new(void)
{
	struct matcher *m = xcalloc(1, sizeof(*m));

	return m;
}

static void automaton_release(struct automaton *ac)
{
	free(ac->delta);
	free(ac->out);
	free(ac->dict);
	free(ac->emit);
	free(ac->outs);
	memset(ac, 0, sizeof(*ac));
}

void matcher_free(struct matcher *m)
{
	if (!m) {
		return;
	}
	for (size_t i = 0; i < m->ncodes; i++) {
		struct code *c = &m->codes[i];

		for (size_t r = 0; r < c->nrules; r++) {
			free(c->rules[r].pattern);
			pcre2_code_free(c->rules[r].re);
		}
		free(c->rules);
		pcre2_code_free(c->kw);
		pcre2_code_free(c->ex_kw);
	}
	free(m->codes);
	free(m->lits);
	free(m->scan_codes);
	automaton_release(&m->ac);
	pcre2_code_free(m->word_re);
	match_scratch_free(m->own);
	free(m);
}

struct match_scratch *match_scratch_new(void)
{
	struct match_scratch *s = xcalloc(1, sizeof(*s));

	s->wordc = xcalloc(0x10000, 1);
	s->md = pcre2_match_data_create(1, NULL);
	s->mctx = pcre2_match_context_create(NULL);
	s->jit = pcre2_jit_stack_create(32 * 1024, 4 * 1024 * 1024, NULL);
	if (!s->md || !s->mctx || !s->jit) {
		die(QC_INTERNAL, "out of memory");
	}
	pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
	return s;
}

void match_scratch_free(struct match_scratch *s)
{
	if (!s) {
		return;
	}
	free(s->wordc);
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	pcre2_jit_stack_free(s->jit);
	free(s->cands);
	free(s->hits);
	free(s->excl);
	free(s);
}

size_t match_scratch_work(const struct match_scratch *s)
{
	return s->work;
}

int matcher_add_code(struct matcher *m, const char *language,
		     enum match_unit unit)
{
	struct code *c;

	if (m->ncodes == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 16;
		m->codes = xrealloc(m->codes, m->cap * sizeof(*m->codes));
	}
	c = &m->codes[m->ncodes];
	memset(c, 0, sizeof(*c));
	c->unit = unit;
	if (language && strcmp(language, "he") == 0) {
		c->lang = LANG_HE;
	} else if (language && strcmp(language, "ar") == 0) {
		c->lang = LANG_AR;
	}
	if (m->compiled) {
		die(QC_INTERNAL, "code added to a compiled matcher");
	}
	return (int)m->ncodes++;
}

static int is_space_cp(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	       cp == '\f' || cp == '\v' || cp == 0xA0 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
	       cp == 0x3000;
}

/* The keyword without its trailing '*', marks and surrounding space,
 * whitespace runs made single spaces.  *STAR tells whether it had one. */
static char *keyword_clean(const char *kw, int *star)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(kw), i = 0;
	int space = 0;

	while (i < len) {
		uint32_t c = utf8_next(kw, len, &i), cps[FORM_MAX];
		size_t n = cp_form_letters(c, cps);

		if (!n) { /* not a presentation form */
			cps[0] = c;
			n = 1;
		}
		for (size_t k = 0; k < n; k++) {
			uint32_t cp = cps[k];
			char buf[4];

			if (cp_is_ignorable_mark(cp)) {
				continue;
			}
			if (is_space_cp(cp)) {
				space = 1;
				continue;
			}
			if (space && sb.len) {
				sb_addc(&sb, ' ');
			}
			space = 0;
			sb_add(&sb, buf, utf8_encode(cp, buf));
		}
	}
	*star = 0;
	while (sb.len && sb.buf[sb.len - 1] == '*') {
		*star = 1;
		sb.buf[--sb.len] = '\0';
	}
	while (sb.len && sb.buf[sb.len - 1] == ' ') {
		sb.buf[--sb.len] = '\0';
	}
	return sb_detach(&sb, NULL);
}

int matcher_add_rule(struct matcher *m, int code, const char *kind,
		     const char *pattern, char **err)
{
	struct code *c = &m->codes[code];
	enum rule_kind k;
	struct rule *r;

	if (strcmp(kind, "keyword") == 0) {
		k = RK_KEYWORD;
	} else if (strcmp(kind, "regex") == 0) {
		k = RK_REGEX;
	} else if (strcmp(kind, "exclude_keyword") == 0) {
		k = RK_EX_KEYWORD;
	} else if (strcmp(kind, "exclude_regex") == 0) {
		k = RK_EX_REGEX;
	} else {
		*err = xasprintf("unknown rule kind '%s'", kind);
		return -1;
	}
	if (k == RK_KEYWORD || k == RK_EX_KEYWORD) {
		int star;
		char *clean = keyword_clean(pattern, &star);
		int empty = clean[0] == '\0';

		free(clean);
		if (empty) {
			*err = xasprintf("empty keyword '%s'", pattern);
			return -1;
		}
	}
	if (c->nrules == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 8;
		c->rules = xrealloc(c->rules, c->cap * sizeof(*c->rules));
	}
	r = &c->rules[c->nrules];
	r->kind = k;
	r->pattern = xstrdup(pattern);
	r->re = NULL;
	if (m->compiled) {
		die(QC_INTERNAL, "rule added to a compiled matcher");
	}
	return (int)c->nrules++;
}

void matcher_set_normalise(struct matcher *m, int code, int on)
{
	if (m->compiled) {
		die(QC_INTERNAL, "normalisation set on a compiled matcher");
	}
	m->codes[code].exact = !on;
}

const char *matcher_rule(const struct matcher *m, int code, int rule)
{
	return m->codes[code].rules[rule].pattern;
}

/* Letters that get an optional run of marks after them in a keyword. */
static int cp_takes_marks(uint32_t cp)
{
	return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF)
	       || (cp >= 0xFE70 && cp <= 0xFEFF);
}

/* Characters a literal may hold: no case (beyond ASCII, which the
 * automaton folds), never a mark. */
static int cp_literal_safe(uint32_t cp)
{
	return (cp > 0x20 && cp < 0x7F && cp != '\'' && cp != '"') ||
	       (cp >= 0x0590 && cp <= 0x07FF && !cp_is_ignorable_mark(cp) &&
		cp != 0x05F3 && cp != 0x05F4);
}

/* The spellings of an apostrophe (' ’ ‘ ʼ, and the Hebrew geresh ׳) and
 * of a double quote (" “ ” and the gershayim ״): a keyword written with
 * one finds the others (Word curls them; צה"ל is צה״ל).  Returns the
 * class, or NULL for another character. */
static const char *quote_class(uint32_t cp)
{
	switch (cp) {
	case '\'':
	case 0x2018:
	case 0x2019:
	case 0x02BC:
	case 0x05F3:
		return "[\\x{27}\\x{2018}\\x{2019}\\x{2BC}\\x{5F3}]";
	case '"':
	case 0x201C:
	case 0x201D:
	case 0x05F4:
		return "[\\x{22}\\x{201C}\\x{201D}\\x{5F4}]";
	default:
		return NULL;
	}
}

static int is_latin_or_digit(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
	       (cp >= 'A' && cp <= 'Z');
}

static void add_escaped(struct strbuf *sb, uint32_t cp)
{
	if (cp < 0x80 && ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z')
			  || (cp >= 'A' && cp <= 'Z'))) {
		sb_addc(sb, (char)cp);
	} else if (cp < 0x80 && cp > 0x20) {
		sb_addc(sb, '\\');
		sb_addc(sb, (char)cp);
	} else {
		sb_addf(sb, "\\x{%X}", (unsigned)cp);
	}
}

/* Append HE_PREFIX to SB, each Hebrew letter followed by a run of
 * marks. */
static void add_he_prefix(struct strbuf *sb)
{
	const char *p = HE_PREFIX;
	size_t len = strlen(p), i = 0;

	while (i < len) {
		uint32_t cp = utf8_next(p, len, &i);

		if (cp >= 0x05D0 && cp <= 0x05EA) {
			sb_addf(sb, "(?:\\x{%X}" MARKS ")", (unsigned)cp);
		} else if (cp == '[') {
			/* A class of letters: the class, then the marks. */
			sb_adds(sb, "(?:[");
			while ((cp = utf8_next(p, len, &i)) != ']') {
				sb_addf(sb, "\\x{%X}", (unsigned)cp);
			}
			sb_adds(sb, "]" MARKS ")");
		} else {
			sb_addc(sb, (char)cp);
		}
	}
}

/* Fold the Arabic letters of S in place (text.h cp_ar_fold: each keeps
 * its length in UTF-8). */
static void ar_fold_str(char *s)
{
	size_t len = strlen(s), i = 0;

	while (i < len) {
		size_t at = i;
		uint32_t cp = utf8_next(s, len, &i);
		uint32_t f = cp_ar_fold(cp);

		if (f != cp) {
			char buf[4];
			size_t n = utf8_encode(f, buf);

			memcpy(s + at, buf, n);
		}
	}
}

/* Append CP to SB; with NORM (Arabic normalisation), a class of every
 * spelling that folds to it (text.h cp_ar_variants). */
static void add_letter(struct strbuf *sb, uint32_t cp, int norm)
{
	uint32_t v[4];
	size_t n = norm ? cp_ar_variants(cp, v) : 1;

	if (n == 1) {
		add_escaped(sb, cp);
		return;
	}
	sb_addc(sb, '[');
	for (size_t i = 0; i < n; i++) {
		sb_addf(sb, "\\x{%X}", (unsigned)v[i]);
	}
	sb_addc(sb, ']');
}

/* Append the article ال of an Arabic pattern. */
static void add_ar_alef_lam(struct strbuf *sb, int norm)
{
	add_letter(sb, 0x0627, norm);
	sb_adds(sb, MARKS "\\x{644}" MARKS);
}

/* Arabic clitics: و ف, then ب ك with or without the article ال, or لل,
 * ل, or ال alone. */
static void add_ar_prefix(struct strbuf *sb, int norm)
{
	sb_adds(sb, "(?:[\\x{648}\\x{641}]" MARKS ")?"
		    "(?:[\\x{628}\\x{643}]" MARKS "(?:");
	add_ar_alef_lam(sb, norm);
	sb_adds(sb, ")?|\\x{644}" MARKS "\\x{644}" MARKS "|\\x{644}" MARKS "|");
	add_ar_alef_lam(sb, norm);
	sb_adds(sb, ")?");
}

/* Does the Arabic keyword KW (as written: the article's alef is bare,
 * and ألم is no article) start with the article ال and a letter?  Such
 * a keyword also matches after ل, which drops the article's alef (ل + الحكومة = للحكومة), or, when the word
 * itself starts with ل, the alef and the article's lam (ل + الله = لله,
 * ل + الليل = لليل); و or ف may come first (ولله, فللحكومة). */
static int ar_article_keyword(const char *kw)
{
	size_t len = strlen(kw), i = 0;

	if (utf8_next(kw, len, &i) != 0x0627 || i >= len ||
	    utf8_next(kw, len, &i) != 0x0644 || i >= len) {
		return 0;
	}
	return utf8_next(kw, len, &i) != ' ';
}

/* The medial form of the Hebrew final letter CP (ך ם ן ף ץ), which a
 * word has wherever it goes on; CP itself for any other letter. */
static uint32_t he_medial(uint32_t cp)
{
	switch (cp) {
	case 0x05DA: /* ך */
	case 0x05DD: /* ם */
	case 0x05DF: /* ן */
	case 0x05E3: /* ף */
	case 0x05E5: /* ץ */
		return cp + 1;
	default:
		return cp;
	}
}

/* Append the pattern of KW (cleaned; for Arabic with NORM, folded) of a
 * code in LANG to SB, ending with (*MARK:RULE).  ARTICLE: KW is Arabic
 * and starts with the article (ar_article_keyword). */
static void keyword_pattern(struct strbuf *sb, const char *kw, int star,
			    enum lang lang, int norm, int article, int rule)
{
	size_t len = strlen(kw), i = 0;
	uint32_t first;

	sb_adds(sb, "(?<!" WORD ")");
	i = 0;
	first = utf8_next(kw, len, &i);
	i = 0;
	if (lang == LANG_HE) {
		/* (The lookahead: a hyphen alone is no prefix.) */
		sb_adds(sb, "(?:(?=[\\x{5D0}-\\x{5EA}])");
		add_he_prefix(sb);
		sb_addf(sb, "%s)?",
			is_latin_or_digit(first) ? "[\\-\\x{5BE}]?" : "");
	} else if (lang == LANG_AR && article) {
		size_t k = 4; /* past ال: two 2-byte letters */

		sb_adds(sb, "(?:");
		add_ar_prefix(sb, norm);
		add_ar_alef_lam(sb, norm);
		sb_adds(sb, "|(?:[\\x{648}\\x{641}]" MARKS ")?\\x{644}" MARKS
			    "\\x{644}" MARKS);
		if (utf8_next(kw, len, &k) == 0x0644) {
			sb_adds(sb, "|(?:[\\x{648}\\x{641}]" MARKS ")?\\x{644}"
				    MARKS);
		}
		sb_adds(sb, ")");
		i = 4;
	} else if (lang == LANG_AR) {
		add_ar_prefix(sb, norm);
	}
	while (i < len) {
		uint32_t cp = utf8_next(kw, len, &i);
		uint32_t medial = star && i == len ? he_medial(cp) : cp;

		if (cp == ' ') {
			sb_adds(sb, "\\s+");
			continue;
		}
		if (medial != cp) {
			/* A final letter before the '*': the word ends
			 * there, or goes on from the medial form. */
			sb_addf(sb, "(?:\\x{%X}" MARKS WORD "*|\\x{%X}" MARKS
				    WORD "+)(*MARK:%d)",
				(unsigned)cp, (unsigned)medial, rule);
			return;
		}
		if (quote_class(cp)) {
			sb_adds(sb, quote_class(cp));
		} else {
			add_letter(sb, cp, norm);
		}
		if (lang != LANG_NONE || cp_takes_marks(cp)) {
			sb_adds(sb, MARKS);
		} else {
			/* A soft hyphen may break the word anywhere. */
			sb_adds(sb, "\\x{AD}*+");
		}
	}
	sb_adds(sb, star ? WORD "*" : "(?!" WORD ")");
	sb_addf(sb, "(*MARK:%d)", rule);
}

/* A cached test: is CP a word character (\p{L}, \p{M}, \p{N})? */
static int is_word(const struct matcher *m, struct match_scratch *s,
		   uint32_t cp)
{
	char buf[4];
	size_t n;
	int rc;

	if (cp < 0x80) {
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		       (cp >= 'A' && cp <= 'Z');
	}
	if (cp < 0x10000 && s->wordc[cp]) {
		return s->wordc[cp] == 1;
	}
	n = utf8_encode(cp, buf);
	rc = pcre2_match(m->word_re, (PCRE2_SPTR)buf, n, 0,
			 PCRE2_NO_UTF_CHECK, s->md, NULL);
	if (cp < 0x10000) {
		s->wordc[cp] = rc >= 0 ? 1 : 2;
	}
	return rc >= 0;
}

/* The literal of keyword KW (cleaned) into L, or 0 when it has none: the
 * longest run of safe characters in its first word such that everything
 * before the run is a word character. */
static int keyword_literal(struct matcher *m, const char *kw, int star,
			   struct literal *l)
{
	size_t len = strlen(kw), i = 0;
	size_t best_at = 0, best_n = 0, run_at = 0, run_n = 0, pos = 0;
	int before_ok = 1; /* every character so far is a word character */
	uint32_t cps[LIT_MAX];

	while (i < len && pos < LIT_MAX) {
		uint32_t cp = utf8_next(kw, len, &i);

		if (cp == ' ') {
			break;
		}
		cps[pos] = cp;
		if (cp_literal_safe(cp)) {
			if (run_n == 0) {
				run_at = pos;
			}
			if (run_n > 0 || before_ok) {
				run_n++;
			}
		} else {
			run_n = 0;
		}
		if (run_n > best_n) {
			best_n = run_n;
			best_at = run_at;
		}
		if (!is_word(m, m->own, cp)) {
			before_ok = 0;
		}
		pos++;
	}
	/* A keyword of one word ending in a final letter before a '*'
	 * (כסף*) may be written with its medial form (כספים): the literal
	 * stops before it. */
	if (star && i >= len && pos > 0 && best_at + best_n == pos &&
	    he_medial(cps[pos - 1]) != cps[pos - 1]) {
		best_n--;
	}
	if (best_n == 0) {
		return 0;
	}
	l->n = best_n;
	for (size_t k = 0; k < best_n; k++) {
		uint32_t cp = cps[best_at + k];

		l->cp[k] = cp >= 'A' && cp <= 'Z' ? cp + 32 : cp_ar_fold(cp);
	}
	return 1;
}

/* Compile PATTERN with OPTIONS (and JIT); on error fill *ERR. */
static pcre2_code *compile(const char *pattern, uint32_t options,
			   const char *shown, char **err)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern,
				       PCRE2_ZERO_TERMINATED,
				       options | PCRE2_UTF | PCRE2_UCP, &ec,
				       &eo, NULL);

	if (!re) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(ec, msg, sizeof(msg));
		if (eo > strlen(pattern)) {
			eo = strlen(pattern);
		}
		*err = xasprintf("bad regex '%s': %s at offset %zu", shown,
				 (const char *)msg, utf8_count(pattern, eo));
		return NULL;
	}
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

static void add_literal(struct matcher *m, const struct literal *l)
{
	if (m->nlits == m->litcap) {
		m->litcap = m->litcap ? 2 * m->litcap : 64;
		m->lits = xrealloc(m->lits, m->litcap * sizeof(*m->lits));
	}
	m->lits[m->nlits++] = *l;
}

/* Compile code CI: its keyword alternation (anchored when every keyword
 * has a literal), each regex alone, the exclusions. */
/* A regex as it runs: the text it reads has its presentation forms as
 * letters (forms.h), so a form written in the pattern becomes its
 * letter.  A form that stands for several letters (a ligature) is
 * refused: in a class ([...]) its letters would mean something else.
 * Returns the pattern (caller frees), or NULL with *ERR. */
static char *regex_fold_forms(const char *pat, char **err)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(pat), i = 0;

	while (i < len) {
		size_t at = i;
		uint32_t cp = utf8_next(pat, len, &i), out[FORM_MAX];
		size_t n = cp_form_letters(cp, out);

		if (n == 1) {
			char u[4];

			sb_add(&sb, u, utf8_encode(out[0], u));
		} else if (n > 1) {
			sb_release(&sb);
			*err = xasprintf("the regex '%s' holds U+%04X, a "
					 "presentation form that stands for "
					 "%zu letters, as the text is read; "
					 "write the letters instead",
					 pat, (unsigned)cp, n);
			return NULL;
		} else {
			sb_add(&sb, pat + at, i - at);
		}
	}
	return sb_detach(&sb, NULL);
}

static int compile_code(struct matcher *m, int ci, char **err)
{
	struct code *c = &m->codes[ci];
	struct strbuf kw = STRBUF_INIT, ex = STRBUF_INIT;
	size_t lit_from = m->nlits;
	int all_lit = 1, nkw = 0, nex = 0, rc = -1;
	int norm = c->lang == LANG_AR && !c->exact;

	for (size_t r = 0; r < c->nrules; r++) {
		struct rule *ru = &c->rules[r];
		int star, article;
		char *clean;
		struct strbuf *sb;

		if (ru->kind == RK_REGEX || ru->kind == RK_EX_REGEX) {
			char *folded = regex_fold_forms(ru->pattern, err);

			if (!folded) {
				goto done;
			}
			ru->re = compile(folded, 0, ru->pattern, err);
			free(folded);
			if (!ru->re) {
				goto done;
			}
			continue;
		}
		clean = keyword_clean(ru->pattern, &star);
		article = c->lang == LANG_AR && ar_article_keyword(clean);
		if (norm) {
			ar_fold_str(clean);
		}
		sb = ru->kind == RK_KEYWORD ? &kw : &ex;
		if (sb->len) {
			sb_addc(sb, '|');
		}
		keyword_pattern(sb, clean, star, c->lang, norm, article,
				(int)r);
		if (ru->kind == RK_KEYWORD) {
			struct literal l;
			/* Past an article that ل may contract. */
			size_t from = article ? 4 : 0;

			nkw++;
			l.code = ci;
			if (keyword_literal(m, clean + from, star, &l)) {
				add_literal(m, &l);
			} else {
				all_lit = 0;
			}
			if (c->lang == LANG_HE && is_latin_or_digit(
							  (unsigned char)clean[0])) {
				c->hyphen = 1;
			}
		} else {
			nex++;
		}
		free(clean);
	}
	if (nkw) {
		c->kw_anchored = all_lit;
		c->kw = compile(kw.buf, PCRE2_CASELESS |
				(all_lit ? PCRE2_ANCHORED : 0),
				"(keywords)", err);
		if (!c->kw) {
			goto done;
		}
	}
	if (!all_lit) {
		m->nlits = lit_from; /* the code is scanned whole */
	}
	if (nex) {
		c->ex_kw = compile(ex.buf, PCRE2_CASELESS, "(exclude keywords)",
				   err);
		if (!c->ex_kw) {
			goto done;
		}
	}
	rc = 0;
done:
	sb_release(&kw);
	sb_release(&ex);
	return rc;
}

/* The symbol of code point CP, created when it has none. */
static uint16_t ac_symbol(struct automaton *ac, uint32_t cp)
{
	if (!ac->sym[cp]) {
		ac->sym[cp] = (uint16_t)ac->nsym++;
	}
	return ac->sym[cp];
}

static uint32_t ac_new_state(struct automaton *ac, size_t *cap)
{
	if (ac->nstates == *cap) {
		size_t old = *cap;

		*cap = *cap ? 2 * *cap : 256;
		ac->delta = xrealloc(ac->delta,
				     *cap * ac->nsym * sizeof(*ac->delta));
		ac->out = xrealloc(ac->out, *cap * sizeof(*ac->out));
		for (size_t s = old; s < *cap; s++) {
			ac->out[s] = -1;
		}
	}
	for (size_t a = 0; a < ac->nsym; a++) {
		ac->delta[ac->nstates * ac->nsym + a] = UINT32_MAX;
	}
	return (uint32_t)ac->nstates++;
}

/* Build the automaton from every literal. */
static void ac_build(struct matcher *m)
{
	struct automaton *ac = &m->ac;
	size_t cap = 0, head = 0, tail = 0, outcap = 0;
	uint32_t *fail, *queue;

	automaton_release(ac);
	ac->nsym = 1; /* SYM_OTHER */
	for (size_t i = 0; i < m->nlits; i++) {
		for (size_t k = 0; k < m->lits[i].n; k++) {
			ac_symbol(ac, m->lits[i].cp[k]);
		}
	}
	/* ASCII case, the two non-ASCII case partners of ASCII letters,
	 * and marks, which the text may carry anywhere. */
	for (uint32_t c = 'A'; c <= 'Z'; c++) {
		ac->sym[c] = ac->sym[c + 32];
	}
	ac->sym[0x017F] = ac->sym['s'];
	/* Arabic spellings that fold to a letter of a literal (literals
	 * hold folded letters, text.h cp_ar_fold): a code that does not
	 * normalise sees more candidates, and its pattern decides. */
	for (size_t i = 0; i < m->nlits; i++) {
		for (size_t k = 0; k < m->lits[i].n; k++) {
			uint32_t v[4];
			size_t nv = cp_ar_variants(m->lits[i].cp[k], v);

			for (size_t j = 1; j < nv; j++) {
				ac->sym[v[j]] = ac->sym[v[0]];
			}
		}
	}
	ac->sym_kelvin = ac->sym['k'];
	for (uint32_t c = 0x80; c < 0x800; c++) {
		if (cp_is_ignorable_mark(c)) {
			ac->sym[c] = SYM_SKIP;
		}
	}
	ac_new_state(ac, &cap);
	for (size_t i = 0; i < m->nlits; i++) {
		uint32_t s = 0;

		for (size_t k = 0; k < m->lits[i].n; k++) {
			uint16_t a = ac->sym[m->lits[i].cp[k]];
			uint32_t *t = &ac->delta[s * ac->nsym + a];

			if (*t == UINT32_MAX) {
				uint32_t ns = ac_new_state(ac, &cap);

				/* delta may have moved */
				ac->delta[s * ac->nsym + a] = ns;
				s = ns;
			} else {
				s = *t;
			}
		}
		if (ac->nouts == outcap) {
			outcap = outcap ? 2 * outcap : 64;
			ac->outs = xrealloc(ac->outs, outcap * sizeof(*ac->outs));
		}
		ac->outs[ac->nouts].code = m->lits[i].code;
		ac->outs[ac->nouts].len = m->lits[i].n;
		ac->outs[ac->nouts].next = ac->out[s];
		ac->out[s] = (int32_t)ac->nouts++;
	}
	/* Failure links breadth first; complete the transition table. */
	fail = xcalloc(ac->nstates, sizeof(*fail));
	queue = xmalloc(ac->nstates * sizeof(*queue));
	ac->dict = xmalloc(ac->nstates * sizeof(*ac->dict));
	ac->emit = xcalloc(ac->nstates, 1);
	ac->dict[0] = -1;
	for (size_t a = 0; a < ac->nsym; a++) {
		uint32_t t = ac->delta[a];

		if (t == UINT32_MAX) {
			ac->delta[a] = 0;
		} else {
			fail[t] = 0;
			ac->dict[t] = -1;
			queue[tail++] = t;
		}
	}
	while (head < tail) {
		uint32_t s = queue[head++];

		ac->emit[s] = ac->out[s] >= 0 || ac->dict[s] >= 0;
		for (size_t a = 0; a < ac->nsym; a++) {
			uint32_t *t = &ac->delta[s * ac->nsym + a];
			uint32_t f = ac->delta[fail[s] * ac->nsym + a];

			if (*t == UINT32_MAX) {
				*t = f;
				continue;
			}
			fail[*t] = f;
			ac->dict[*t] = ac->out[f] >= 0 ? (int32_t)f
						       : ac->dict[f];
			queue[tail++] = *t;
		}
	}
	free(fail);
	free(queue);
}

int matcher_compile(struct matcher *m, int *bad_code, char **err)
{
	int ec;
	PCRE2_SIZE eo;

	if (m->ready) {
		return 0;
	}
	if (m->compiled) {
		die(QC_INTERNAL, "matcher compiled twice");
	}
	m->compiled = 1;
	if (!m->word_re) {
		m->word_re = pcre2_compile((PCRE2_SPTR)WORD,
					   PCRE2_ZERO_TERMINATED,
					   PCRE2_UTF | PCRE2_UCP |
						   PCRE2_ANCHORED,
					   &ec, &eo, NULL);
		if (!m->word_re) {
			die(QC_INTERNAL, "cannot compile the word class");
		}
		m->own = match_scratch_new();
	}
	m->nlits = 0;
	free(m->scan_codes);
	m->scan_codes = xmalloc((m->ncodes + 1) * sizeof(int));
	m->nscan = 0;
	for (size_t i = 0; i < m->ncodes; i++) {
		struct code *c = &m->codes[i];
		int has_regex = 0;

		if (compile_code(m, (int)i, err) != 0) {
			*bad_code = (int)i;
			return -1;
		}
		for (size_t r = 0; r < c->nrules; r++) {
			has_regex |= c->rules[r].kind == RK_REGEX;
		}
		if (has_regex || (c->kw && !c->kw_anchored)) {
			m->scan_codes[m->nscan++] = (int)i;
		}
	}
	ac_build(m);
	m->ready = 1;
	return 0;
}

static void add_hit(struct match_scratch *ms, int code, int rule, size_t s,
		    size_t e)
{
	if (ms->nhits == ms->hitcap) {
		ms->hitcap = ms->hitcap ? 2 * ms->hitcap : 64;
		ms->hits = xrealloc(ms->hits, ms->hitcap * sizeof(*ms->hits));
	}
	ms->hits[ms->nhits].code = code;
	ms->hits[ms->nhits].rule = rule;
	ms->hits[ms->nhits].start = s;
	ms->hits[ms->nhits].end = e;
	ms->nhits++;
}

static void add_cand(struct match_scratch *ms, int code, size_t pos)
{
	if (ms->ncands == ms->candcap) {
		ms->candcap = ms->candcap ? 2 * ms->candcap : 64;
		ms->cands = xrealloc(ms->cands, ms->candcap * sizeof(*ms->cands));
	}
	ms->cands[ms->ncands].code = code;
	ms->cands[ms->ncands].pos = pos;
	ms->ncands++;
}

/* The start of the word holding byte B, not before CS; (size_t)-1 when
 * it lies more than WALK_MAX characters back. */
static size_t word_start(const struct matcher *m, struct match_scratch *ms,
			 const char *text, size_t cs, size_t b)
{
	size_t w = b;
	int steps = 0;

	while (w > cs) {
		size_t p = w;
		uint32_t cp = utf8_prev(text, &p);

		if (!is_word(m, ms, cp)) {
			break;
		}
		if (!cp_is_ignorable_mark(cp) && ++steps > WALK_MAX) {
			return (size_t)-1;
		}
		w = p;
	}
	return w;
}

/* A literal of CODE starts at byte B: queue the word starts where a
 * keyword of the code may begin. */
static void literal_found(const struct matcher *m, struct match_scratch *ms,
			  const char *text, size_t cs, int code, size_t b)
{
	size_t w = word_start(m, ms, text, cs, b);

	if (w == (size_t)-1) {
		return;
	}
	if (m->codes[code].hyphen && w > cs) {
		size_t h = w;
		uint32_t cp = utf8_prev(text, &h);

		if (cp == '-' || cp == 0x05BE) {
			size_t w2 = word_start(m, ms, text, cs, h);

			if (w2 != (size_t)-1 && w2 < h) {
				add_cand(ms, code, w2);
			}
		}
	}
	add_cand(ms, code, w);
}

/* Run the automaton over TEXT[CS..CE), queueing candidates. */
static void ac_scan(const struct matcher *m, struct match_scratch *ms,
		    const char *text, size_t cs, size_t ce,
		    const unsigned char *enabled)
{
	const struct automaton *ac = &m->ac;
	const unsigned char *s = (const unsigned char *)text;
	size_t ring[256];
	size_t i = cs, pos = 0;
	uint32_t st = 0;

	if (m->nlits == 0) {
		return;
	}
	while (i < ce) {
		unsigned c = s[i];
		size_t n;
		uint32_t a;

		if (c < 0x80) {
			a = ac->sym[c];
			n = 1;
		} else if (c < 0xE0) {
			a = ac->sym[((c & 0x1F) << 6) | (s[i + 1] & 0x3F)];
			n = 2;
		} else if (c < 0xF0) {
			a = (c == 0xE2 && s[i + 1] == 0x84 && s[i + 2] == 0xAA)
				    ? ac->sym_kelvin
				    : SYM_OTHER;
			n = 3;
		} else {
			a = SYM_OTHER;
			n = 4;
		}
		if (a == SYM_SKIP) {
			i += n;
			continue;
		}
		ring[pos & 255] = i;
		pos++;
		st = ac->delta[st * ac->nsym + a];
		if (ac->emit[st]) {
			int32_t q = ac->out[st] >= 0 ? (int32_t)st
						     : ac->dict[st];

			while (q >= 0) {
				for (int32_t o = ac->out[q]; o >= 0;
				     o = ac->outs[o].next) {
					int code = ac->outs[o].code;

					if (!enabled || enabled[code]) {
						literal_found(
							m, ms, text, cs, code,
							ring[(pos -
							      ac->outs[o].len) &
							     255]);
					}
				}
				q = ac->dict[q];
			}
		}
		i += n;
	}
}

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->code != y->code) {
		return x->code < y->code ? -1 : 1;
	}
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->code != y->code) {
		return x->code < y->code ? -1 : 1;
	}
	if (x->start != y->start) {
		return x->start < y->start ? -1 : 1;
	}
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static int match_error(int rc, const char *pattern, char **err)
{
	PCRE2_UCHAR msg[256];

	pcre2_get_error_message(rc, msg, sizeof(msg));
	*err = xasprintf("matching '%s' failed: %s", pattern,
			 (const char *)msg);
	return -1;
}

static int mark_rule(pcre2_match_data *md)
{
	PCRE2_SPTR mark = pcre2_get_mark(md);

	return mark ? atoi((const char *)mark) : 0;
}

/* Every match of RE in TEXT[CS..CE) as hits of CODE; RULE < 0: the rule
 * is the (*MARK).  RE sees the subject TEXT[BASE..CE): a regex rule's
 * BASE is CS, so ^ is the segment's start as $ is its end. */
static int scan_all(struct match_scratch *ms, pcre2_code *re,
		    const char *text, size_t base, size_t cs, size_t ce,
		    int code, int rule, const char *shown, char **err)
{
	size_t off = cs;

	while (off < ce) {
		int rc = pcre2_match(re, (PCRE2_SPTR)(text + base), ce - base,
				     off - base, PCRE2_NO_UTF_CHECK, ms->md,
				     ms->mctx);
		PCRE2_SIZE *ov;

		if (rc == PCRE2_ERROR_NOMATCH) {
			break;
		}
		if (rc < 0) {
			return match_error(rc, shown, err);
		}
		ov = pcre2_get_ovector_pointer(ms->md);
		if (ov[1] <= ov[0]) {
			/* Empty match: codes nothing; step one character. */
			off = base + ov[0] + 1;
			while (off < ce && (text[off] & 0xC0) == 0x80) {
				off++;
			}
			continue;
		}
		add_hit(ms, code, rule < 0 ? mark_rule(ms->md) : rule,
			base + ov[0], base + ov[1]);
		off = base + ov[1];
	}
	return 0;
}

/* The first match of exclusion RE at or after OFF in TEXT[..UE) into
 * X->s, X->e; X->have 0 when there is none.  Returns 0, or -1 on error. */
static int excl_next(struct match_scratch *ms, struct excl *x,
		     const char *text, size_t ue, char **err)
{
	int rc;
	PCRE2_SIZE *ov;

	x->have = 0;
	if (x->off > ue) {
		return 0;
	}
	rc = pcre2_match(x->re, (PCRE2_SPTR)(text + x->base), ue - x->base,
			 x->off - x->base, PCRE2_NO_UTF_CHECK | x->opts, ms->md,
			 ms->mctx);
	if (rc == PCRE2_ERROR_NOMATCH) {
		ms->work += ue - x->off;
		x->off = ue + 1;
		return 0;
	}
	if (rc < 0) {
		return match_error(rc, x->shown, err);
	}
	ov = pcre2_get_ovector_pointer(ms->md);
	x->have = 1;
	x->s = x->base + ov[0];
	x->e = x->base + ov[1];
	ms->work += x->e - x->off;
	x->off = x->e > x->s ? x->e : x->s + 1;
	while (x->off < ue && (text[x->off] & 0xC0) == 0x80) {
		x->off++;
	}
	return 0;
}

/* Start the exclusions of code C over a new unit TEXT[US..UE) of the
 * segment that starts at CS and ends at CE: each finds its matches from
 * US on, in order, as many as are asked for.  A regex sees the segment
 * from CS on, so ^ is its start; $ is the unit's end only when that is
 * the segment's end. */
static int excl_start(struct match_scratch *ms, const struct code *c,
		      const char *text, size_t cs, size_t ce, size_t us,
		      size_t ue, char **err)
{
	ms->nexcl = 0;
	if (c->nrules + 1 > ms->exclcap) {
		ms->exclcap = c->nrules + 1;
		ms->excl = xrealloc(ms->excl, ms->exclcap * sizeof(*ms->excl));
	}
	for (size_t r = 0; r <= c->nrules; r++) {
		struct excl *x;

		if (r == c->nrules && c->ex_kw) {
			x = &ms->excl[ms->nexcl++];
			x->re = c->ex_kw;
			x->shown = "(exclude keywords)";
			x->base = 0;
		} else if (r < c->nrules && c->rules[r].kind == RK_EX_REGEX &&
			   c->rules[r].re) {
			x = &ms->excl[ms->nexcl++];
			x->re = c->rules[r].re;
			x->shown = c->rules[r].pattern;
			x->base = cs;
		} else {
			continue;
		}
		x->off = us;
		x->opts = ue < ce ? PCRE2_NOTEOL : 0;
		if (excl_next(ms, x, text, ue, err) != 0) {
			return -1;
		}
	}
	return 0;
}

/*
 * Does an exclusion started by excl_start over [US, UE) overlap the hit
 * [HS, HE)?  (HS < HE; an empty exclusion match counts strictly inside.)
 * Hits come in order of start and do not overlap, so each exclusion's
 * matches are found once per unit however many hits it holds: the work
 * is linear in the unit, not hits times unit.  Returns 1, 0, or -1.
 */
static int excl_overlaps(struct match_scratch *ms, const char *text,
			 size_t ue, size_t hs, size_t he, char **err)
{
	int hit = 0;

	for (size_t i = 0; i < ms->nexcl; i++) {
		struct excl *x = &ms->excl[i];

		while (x->have && x->e <= hs) {
			if (excl_next(ms, x, text, ue, err) != 0) {
				return -1;
			}
		}
		if (x->have && x->s < he) {
			hit = 1;
		}
	}
	return hit;
}

static void add_result(struct match_results *out, int code, int rule,
		       size_t s, size_t e)
{
	struct match_result *r;

	if (out->n == out->cap) {
		out->cap = out->cap ? 2 * out->cap : 32;
		out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
	}
	r = &out->v[out->n++];
	r->code = code;
	r->rule = rule;
	r->start = s;
	r->end = e;
	r->hits = 1;
}

/*
 * Turn the hits of one code, HITS[0..N) sorted by start, into units.
 * Linear in the segment whatever the number of hits: a hit inside the
 * unit (sentence) of the hit before it joins that unit without its
 * sentence being looked for again, and the exclusions of a sentence are
 * matched once for all its hits (unit match) or once per unit.
 */
static int make_units(const struct matcher *m, struct match_scratch *ms,
		      const char *text, size_t cs, size_t ce,
		      const struct hit *hits, size_t n,
		      struct match_results *out, char **err)
{
	const struct code *c = &m->codes[hits[0].code];
	size_t first = out->n, last_end = cs;
	size_t sus = 0, sue = 0; /* the sentence of the last hit (match) */
	int has_ex = c->ex_kw != NULL, have_sentence = 0;

	for (size_t r = 0; r < c->nrules && !has_ex; r++) {
		has_ex = c->rules[r].kind == RK_EX_REGEX;
	}
	for (size_t i = 0; i < n; i++) {
		const struct hit *h = &hits[i];
		size_t us, ue;

		if (h->start < last_end) {
			continue; /* overlaps an earlier hit of the code */
		}
		last_end = h->end;
		if (c->unit == MATCH_UNIT_SEGMENT) {
			us = cs;
			ue = ce;
		} else if (c->unit == MATCH_UNIT_SENTENCE) {
			if (out->n > first && h->end <= out->v[out->n - 1].end) {
				out->v[out->n - 1].hits++;
				continue; /* in the sentence of the hit before */
			}
			match_sentence(text, cs, ce, h->start, h->end, &us,
				       &ue);
			ms->work += ue - us;
		} else {
			if (has_ex) {
				int x;

				if (!have_sentence || h->end > sue) {
					match_sentence(text, cs, ce, h->start,
						       h->end, &sus, &sue);
					ms->work += sue - sus;
					have_sentence = 1;
					if (excl_start(ms, c, text, cs, ce, sus,
						       sue, err) != 0) {
						return -1;
					}
				}
				x = excl_overlaps(ms, text, sue, h->start,
						  h->end, err);
				if (x < 0) {
					return -1;
				}
				if (x) {
					continue;
				}
			}
			us = h->start;
			ue = h->end;
		}
		if (out->n > first && us < out->v[out->n - 1].end) {
			struct match_result *prev = &out->v[out->n - 1];

			if (ue > prev->end) {
				prev->end = ue;
			}
			prev->hits++;
			continue;
		}
		add_result(out, h->code, h->rule, us, ue);
	}
	if (has_ex && c->unit != MATCH_UNIT_MATCH) {
		size_t k = first;

		for (size_t i = first; i < out->n; i++) {
			int x = excl_start(ms, c, text, cs, ce,
					   out->v[i].start, out->v[i].end, err);

			for (size_t j = 0; j < ms->nexcl && x == 0; j++) {
				x = ms->excl[j].have;
			}
			if (x < 0) {
				return -1;
			}
			if (!x) {
				out->v[k++] = out->v[i];
			}
		}
		out->n = k;
	}
	return 0;
}

int matcher_scan(struct matcher *m, const char *text, size_t len,
		 size_t cs, size_t ce, const unsigned char *enabled,
		 struct match_results *out, char **err)
{
	int bad = 0;

	if (!m->ready) {
		if (m->compiled || matcher_compile(m, &bad, err) != 0) {
			if (!*err) {
				*err = xstrdup("the rules did not compile");
			}
			return -1;
		}
	}
	return matcher_scan_with(m, m->own, text, len, cs, ce, enabled, out,
				 err);
}

int matcher_scan_with(const struct matcher *m, struct match_scratch *ms,
		      const char *text, size_t len, size_t cs, size_t ce,
		      const unsigned char *enabled, struct match_results *out,
		      char **err)
{
	int cur = -1;
	size_t last_end = cs;

	(void)len;
	if (!m->ready) {
		*err = xstrdup("the rules are not compiled");
		return -1;
	}
	ms->ncands = 0;
	ms->nhits = 0;
	ac_scan(m, ms, text, cs, ce, enabled);
	/* Confirm each candidate word start with the code's alternation,
	 * leftmost first, skipping starts inside the previous match. */
	if (ms->ncands > 1) {
		qsort(ms->cands, ms->ncands, sizeof(*ms->cands), cand_cmp);
	}
	for (size_t i = 0; i < ms->ncands; i++) {
		const struct cand *k = &ms->cands[i];
		struct code *c = &m->codes[k->code];
		int rc;
		PCRE2_SIZE *ov;

		if (k->code != cur) {
			cur = k->code;
			last_end = cs;
		}
		if (k->pos < last_end) {
			continue; /* inside the previous match, or a repeat */
		}
		rc = pcre2_match(c->kw, (PCRE2_SPTR)text, ce, k->pos,
				 PCRE2_NO_UTF_CHECK, ms->md, ms->mctx);
		if (rc == PCRE2_ERROR_NOMATCH) {
			last_end = k->pos + 1;
			continue;
		}
		if (rc < 0) {
			return match_error(rc, "(keywords)", err);
		}
		ov = pcre2_get_ovector_pointer(ms->md);
		if (ov[1] > ov[0]) {
			add_hit(ms, k->code, mark_rule(ms->md), ov[0], ov[1]);
			last_end = ov[1];
		}
	}
	/* Codes whose rules have no literal scan the whole segment. */
	for (size_t i = 0; i < m->nscan; i++) {
		int ci = m->scan_codes[i];
		struct code *c = &m->codes[ci];

		if (enabled && !enabled[ci]) {
			continue;
		}
		if (c->kw && !c->kw_anchored &&
		    scan_all(ms, c->kw, text, 0, cs, ce, ci, -1, "(keywords)",
			     err) != 0) {
			return -1;
		}
		for (size_t r = 0; r < c->nrules; r++) {
			if (c->rules[r].kind == RK_REGEX &&
			    scan_all(ms, c->rules[r].re, text, cs, cs, ce, ci,
				     (int)r, c->rules[r].pattern, err) != 0) {
				return -1;
			}
		}
	}
	if (ms->nhits == 0) {
		return 0;
	}
	qsort(ms->hits, ms->nhits, sizeof(*ms->hits), hit_cmp);
	for (size_t i = 0; i < ms->nhits;) {
		size_t j = i;

		while (j < ms->nhits && ms->hits[j].code == ms->hits[i].code) {
			j++;
		}
		if (make_units(m, ms, text, cs, ce, ms->hits + i, j - i, out,
			       err) != 0) {
			return -1;
		}
		i = j;
	}
	return 0;
}

size_t matcher_work(const struct matcher *m)
{
	return m->own ? m->own->work : 0;
}

/* Sentence terminators and what may close a sentence after them. */
static int is_term(uint32_t cp)
{
	return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 ||
	       cp == 0x061F || cp == 0x06D4 || cp == 0x05C3 ||
	       cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F;
}

static int is_closer(uint32_t cp)
{
	return cp == '"' || cp == '\'' || cp == ')' || cp == ']' ||
	       cp == 0xBB || cp == 0x201D || cp == 0x2019 || cp == 0x05F4;
}

/* Past a run of terminators and closers starting at *I (< CE)?  Returns 1
 * when the run ends at CE or before whitespace, leaving *I after it. */
static int sentence_ends(const char *text, size_t ce, size_t *i)
{
	size_t j = *i, k;
	int term = 0;

	while (j < ce) {
		uint32_t cp;

		k = j;
		cp = utf8_next(text, ce, &k);
		if (is_term(cp)) {
			term = 1;
		} else if (!(term && is_closer(cp))) {
			break;
		}
		j = k;
	}
	*i = j;
	if (!term) {
		return 0;
	}
	k = j;
	return j >= ce || is_space_cp(utf8_next(text, ce, &k));
}

/* Does a terminator, perhaps followed by closers, end just before Q? */
static int boundary_before(const char *text, size_t cs, size_t q)
{
	while (q > cs) {
		size_t r = q;
		uint32_t cp = utf8_prev(text, &r);

		if (is_term(cp)) {
			return 1;
		}
		if (!is_closer(cp)) {
			return 0;
		}
		q = r;
	}
	return 0;
}

void match_sentence(const char *text, size_t cs, size_t ce, size_t hs,
		    size_t he, size_t *start, size_t *end)
{
	size_t s = hs, e = he;

	/* Back to the start: after a blank line, or after whitespace that
	 * follows a terminator.  A single line break is whitespace: a
	 * hard-wrapped paragraph's sentence runs on over it. */
	while (s > cs) {
		size_t p = s;
		uint32_t cp = utf8_prev(text, &p);

		if (is_space_cp(cp)) {
			size_t q = p;
			int breaks = cp == '\n';

			while (q > cs) {
				size_t r = q;
				uint32_t c2 = utf8_prev(text, &r);

				if (!is_space_cp(c2)) {
					break;
				}
				breaks += c2 == '\n';
				q = r;
			}
			if (breaks >= 2 || boundary_before(text, cs, q)) {
				break;
			}
			s = q;
			continue;
		}
		s = p;
	}
	/* Forward to the end: a blank line, or a terminator run before
	 * whitespace.  A hit that itself ends a sentence ends it. */
	if (e > hs && e < ce) {
		size_t p = e, k = e;
		uint32_t last = utf8_prev(text, &p);

		if (is_term(last) && is_space_cp(utf8_next(text, ce, &k))) {
			ce = e;
		}
	}
	while (e < ce) {
		size_t k = e;
		uint32_t cp = utf8_next(text, ce, &k);

		if (cp == '\n') {
			/* A blank line: only whitespace up to the next
			 * line break. */
			size_t j = k;
			int blank = 0;

			while (j < ce) {
				size_t j2 = j;
				uint32_t c2 = utf8_next(text, ce, &j2);

				if (!is_space_cp(c2)) {
					break;
				}
				if (c2 == '\n') {
					blank = 1;
					break;
				}
				j = j2;
			}
			if (blank) {
				break;
			}
			e = j;
			continue;
		}
		if (is_term(cp)) {
			size_t j = e;

			if (sentence_ends(text, ce, &j)) {
				e = j;
				break;
			}
			e = j;
			continue;
		}
		e = k;
	}
	/* Trim the whitespace around it. */
	while (s < hs) {
		size_t k = s;

		if (!is_space_cp(utf8_next(text, hs, &k))) {
			break;
		}
		s = k;
	}
	while (e > he) {
		size_t p = e;

		if (!is_space_cp(utf8_prev(text, &p))) {
			break;
		}
		e = p;
	}
	*start = s;
	*end = e;
}
