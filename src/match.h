/*
 * match.h - the rule matcher: a codebook's keyword and regex rules
 * compiled to PCRE2 (UTF, Unicode properties, JIT), and a scanner that
 * finds what each code would code in one segment of a document.
 *
 * Pure: no project access.  The autocode command feeds it codes and rules
 * read from the project and writes the units it returns as codings.
 *
 * Keyword semantics (issue 3):
 * - whole word: a keyword match neither starts nor ends inside a word;
 *   word characters are Unicode letters, marks and digits;
 * - case-insensitive (Unicode case folding, for scripts with case);
 * - a trailing '*' lets the last word continue ("נחשפ*" matches
 *   "נחשפתי"); before it a Hebrew final letter (ך ם ן ף ץ) also matches
 *   its medial form followed by more letters ("כסף*" matches "כספים");
 *   a phrase matches across any run of whitespace;
 * - Hebrew and Arabic points and marks (niqqud, cantillation, harakat,
 *   tatweel: text.h's cp_is_ignorable_mark) are ignored in the text and in
 *   the keyword, while offsets always point into the original text;
 * - language "he": a keyword may carry a chain of prefix letters that
 *   Hebrew allows (hspell's list, match.c HE_PREFIX: ו, then ש or כש מש
 *   לכש, then the prepositions, the article ה last and not after ב כ ל),
 *   attached directly, or with a hyphen or maqaf when the keyword starts
 *   with a Latin letter or digit ("ה-BI");
 *   language "ar": the clitics و ف, ب ك ل and the article ال, and their
 *   combinations (وال، بال، فال، لل، وبال ...); a keyword that starts with
 *   ال also matches after ل, which contracts it (للحكومة for الحكومة, لله
 *   and ولله for الله).  A prefix never lets a keyword match inside
 *   another word.
 * - language "ar" also normalises spelling, in the keyword and the text
 *   alike (text.h cp_ar_fold: أ إ آ as ا, ة as ه, ى as ي), unless
 *   matcher_set_normalise turns it off for the code.  The text itself is
 *   never changed: the keyword's letters become classes (ه: [هة]).
 * A regex rule is a PCRE2 pattern used as written (UTF and UCP on); its
 * subject is the segment TEXT[CS..CE) (matcher_scan), so ^ and $ are the
 * segment's start and end, in rules and exclusions alike.
 *
 * Speed: every keyword contributes a literal (its first word, folded,
 * marks removed) to one Aho-Corasick automaton shared by all codes, so a
 * segment is read once whatever the number of rules; only where a literal
 * occurs is the code's compiled alternation run, anchored at the start of
 * that word.  A code with a regex rule (no literal) scans the segment
 * with its alternation.  The result is the same as scanning each segment
 * with the code's alternation of all its rules: leftmost, non-overlapping
 * matches, the earliest rule winning at a position.
 */
#ifndef QCODE_MATCH_H
#define QCODE_MATCH_H

#include <stddef.h>

/* What a hit codes. */
enum match_unit {
	MATCH_UNIT_SEGMENT = 0, /* the segment (the default) */
	MATCH_UNIT_SENTENCE,    /* the sentence around the hit */
	MATCH_UNIT_MATCH,       /* the matched text itself */
};

/* Parse "segment", "sentence", "match" (NULL: segment); -1 if unknown. */
int match_unit_parse(const char *name, enum match_unit *unit);

/* One coded unit of one code: byte offsets into the scanned text. */
struct match_result {
	int code;          /* index from matcher_add_code */
	int rule;          /* index (per code, in the order added) of the
			      rule of the unit's first hit */
	size_t start, end; /* bytes, end-exclusive */
	size_t hits;       /* matches inside this unit */
};

/* A growable list of results; MATCH_RESULTS_INIT or zeroed to start. */
struct match_results {
	struct match_result *v;
	size_t n, cap;
};
#define MATCH_RESULTS_INIT { NULL, 0, 0 }
void match_results_release(struct match_results *r);

struct matcher;

/* A new, empty matcher; free it with matcher_free(). */
struct matcher *matcher_new(void);
void matcher_free(struct matcher *m);

/* Add a code.  LANGUAGE is "he", "ar", another code, or NULL.  Returns the
 * code's index (0, 1, ...). */
int matcher_add_code(struct matcher *m, const char *language,
		     enum match_unit unit);

/* Turn language "ar" spelling normalisation of code CODE on (the
 * default) or off (before matcher_compile). */
void matcher_set_normalise(struct matcher *m, int code, int on);

/*
 * Add a rule to code CODE.  KIND is "keyword", "regex", "exclude_keyword"
 * or "exclude_regex".  Returns the rule's index within the code, or -1 and
 * a reason in *ERR (caller frees) for an unknown kind or an empty keyword.
 * Regexes are checked by matcher_compile().
 */
int matcher_add_rule(struct matcher *m, int code, const char *kind,
		     const char *pattern, char **err);

/* The pattern of rule RULE of CODE, as added. */
const char *matcher_rule(const struct matcher *m, int code, int rule);

/*
 * Compile every code (once, after every code and rule is added; JIT where
 * available) and build the keyword
 * automaton.  Returns 0, or -1 with *ERR (caller frees): "bad regex
 * 'PATTERN': MESSAGE at offset N" (N in code points), and *BAD_CODE set
 * to the code's index.
 */
int matcher_compile(struct matcher *m, int *bad_code, char **err);

/*
 * Scan TEXT[CS..CE) - one segment of the document TEXT[0..LEN), which
 * must be valid UTF-8 - with every code for which ENABLED[code] is
 * nonzero (ENABLED NULL: every code).  Appends the coded units to OUT,
 * ordered by code and start; exclusions have vetoed theirs.  A unit is
 * the segment [CS, CE), the sentence around a hit, or the hit itself.
 * Returns 0, or -1 with *ERR (caller frees) when PCRE2 fails on a
 * pattern (a match limit, say).
 */
int matcher_scan(struct matcher *m, const char *text, size_t len,
		 size_t cs, size_t ce, const unsigned char *enabled,
		 struct match_results *out, char **err);

/*
 * Scanning from several threads at once: a compiled matcher is read
 * only while it scans, so threads share it, each with its own scratch
 * (PCRE2 match data, JIT stack, candidate and hit lists).  matcher_scan
 * uses the matcher's own scratch: one thread at a time.
 */
struct match_scratch;
struct match_scratch *match_scratch_new(void);
void match_scratch_free(struct match_scratch *s);
/* matcher_scan with scratch S: M must be compiled (matcher_compile), or
 * it fails with *ERR. */
int matcher_scan_with(const struct matcher *m, struct match_scratch *s,
		      const char *text, size_t len, size_t cs, size_t ce,
		      const unsigned char *enabled, struct match_results *out,
		      char **err);
/* matcher_work's count for the scans made with S. */
size_t match_scratch_work(const struct match_scratch *s);

/* How many bytes the matcher has looked at to find sentences and
 * exclusions since matcher_new: linear in the text scanned (tests check
 * it; a hit never rescans the sentence the hit before it found). */
size_t matcher_work(const struct matcher *m);

/* The sentence of TEXT[CS..CE) holding [HS, HE): sentences end at . ! ?
 * … ؟ ۔ ׃ (with closing quotes and brackets) followed by whitespace, at
 * a blank line (a line break, perhaps spaces, another line break), and
 * at CS and CE; a single line break is whitespace inside a sentence (a
 * hard-wrapped paragraph).  Surrounding whitespace is trimmed.  Byte
 * offsets. */
void match_sentence(const char *text, size_t cs, size_t ce, size_t hs,
		    size_t he, size_t *start, size_t *end);

#endif
