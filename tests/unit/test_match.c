/*
 * test_match.c - the rule matcher: every keyword kind, Hebrew and Arabic
 * clitics, marks, regexes, exclusions, units, and the automaton against a
 * plain scan of the same rules.
 */
#include <stdlib.h>

#include "match.h"
#include "text.h"
#include "unit.h"
#include "util.h"

/* Scan TEXT (one segment) with one code of LANG and UNIT whose rules are
 * "kind:pattern" strings (NULL-terminated); return the units as
 * "start-end:rule" in code points, space-separated (caller frees). */
static char *scan(const char *lang, const char *unit, const char *const *rules,
		  const char *text)
{
	struct matcher *m = matcher_new();
	struct match_results r = MATCH_RESULTS_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct offmap om;
	enum match_unit u;
	char *err = NULL;
	int bad = -1, code;

	if (match_unit_parse(unit, &u) != 0) {
		return xstrdup("bad unit");
	}
	code = matcher_add_code(m, lang, u);
	for (size_t i = 0; rules[i]; i++) {
		const char *colon = strchr(rules[i], ':');
		char *kind = xstrndup(rules[i], (size_t)(colon - rules[i]));

		if (matcher_add_rule(m, code, kind, colon + 1, &err) < 0) {
			free(kind);
			matcher_free(m);
			return err;
		}
		free(kind);
	}
	if (matcher_compile(m, &bad, &err) != 0) {
		matcher_free(m);
		return err;
	}
	if (matcher_scan(m, text, strlen(text), 0, strlen(text), NULL, &r,
			 &err) != 0) {
		matcher_free(m);
		match_results_release(&r);
		return err;
	}
	offmap_init(&om, text, strlen(text));
	for (size_t i = 0; i < r.n; i++) {
		sb_addf(&sb, "%s%zu-%zu:%d", i ? " " : "",
			offmap_cp(&om, r.v[i].start), offmap_cp(&om, r.v[i].end),
			r.v[i].rule);
		if (r.v[i].hits > 1) {
			sb_addf(&sb, "x%zu", r.v[i].hits);
		}
	}
	offmap_release(&om);
	match_results_release(&r);
	matcher_free(m);
	return sb_detach(&sb, NULL);
}

/* Like scan() with unit "match", but returning the matched texts joined
 * by '|'. */
static char *hits(const char *lang, const char *const *rules,
		  const char *text)
{
	struct matcher *m = matcher_new();
	struct match_results r = MATCH_RESULTS_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *err = NULL;
	int bad, code = matcher_add_code(m, lang, MATCH_UNIT_MATCH);

	for (size_t i = 0; rules[i]; i++) {
		const char *colon = strchr(rules[i], ':');
		char *kind = xstrndup(rules[i], (size_t)(colon - rules[i]));

		if (matcher_add_rule(m, code, kind, colon + 1, &err) < 0) {
			abort();
		}
		free(kind);
	}
	if (matcher_compile(m, &bad, &err) != 0 ||
	    matcher_scan(m, text, strlen(text), 0, strlen(text), NULL, &r,
			 &err) != 0) {
		printf("  error: %s\n", err);
		free(err);
		unit_failures++;
	}
	for (size_t i = 0; i < r.n; i++) {
		if (i) {
			sb_addc(&sb, '|');
		}
		sb_add(&sb, text + r.v[i].start, r.v[i].end - r.v[i].start);
	}
	match_results_release(&r);
	matcher_free(m);
	return sb_detach(&sb, NULL);
}

#define CHECK_HITS(lang, rules, text, want)                             \
	do {                                                            \
		char *got_ = hits(lang, rules, text);                   \
		CHECK_STR(got_, want);                                  \
		free(got_);                                             \
	} while (0)

#define CHECK_SCAN(lang, unit, rules, text, want)                       \
	do {                                                            \
		char *got_ = scan(lang, unit, rules, text);             \
		CHECK_STR(got_, want);                                  \
		free(got_);                                             \
	} while (0)

void test_match_keywords(void)
{
	const char *const kcase[] = { "keyword:case", NULL };
	const char *const kstar[] = { "keyword:digit*", NULL };
	const char *const kphrase[] = { "keyword:case study", NULL };
	const char *const kci[] = { "keyword:Digital Tools", NULL };
	const char *const kkey[] = { "keyword:key", NULL };
	const char *const kheb[] = { "keyword:נחשפ*", NULL };
	const char *const kpunct[] = { "keyword:e-mail", NULL };
	const char *const kaccent[] = { "keyword:Ärger", NULL };
	const char *const ktwo[] = { "keyword:data", "keyword:data science",
				     NULL };
	const char *const ktwo2[] = { "keyword:data science", "keyword:data",
				      NULL };

	/* Whole words only: not inside "showcase" or "cases". */
	CHECK_HITS(NULL, kcase, "A showcase, a case, cases; CASE.",
		   "case|CASE");
	/* Digits are word characters too. */
	CHECK_HITS(NULL, kcase, "case1 2case case_x", "case");
	CHECK_HITS(NULL, kstar, "digital digitise digit undigital",
		   "digital|digitise|digit");
	/* A phrase across any run of whitespace, line breaks included. */
	CHECK_HITS(NULL, kphrase, "a case  study, a case\n\tstudy",
		   "case  study|case\n\tstudy");
	CHECK_HITS(NULL, kphrase, "showcase study; case studying", "");
	CHECK_HITS(NULL, kci, "DIGITAL TOOLS and digital tools",
		   "DIGITAL TOOLS|digital tools");
	/* Unicode case folding: the Kelvin sign is a capital K. */
	CHECK_HITS(NULL, kkey, "\xE2\x84\xAA" "EY key keys", "\xE2\x84\xAA"
		   "EY|key");
	CHECK_HITS(NULL, kaccent, "ärger ÄRGER Ärgernis", "ärger|ÄRGER");
	CHECK_HITS(NULL, kheb, "נחשפתי, נחשפנו ונחשפו; נחשף",
		   "נחשפתי|נחשפנו");
	CHECK_HITS(NULL, kpunct, "e-mail, E-Mail, email", "e-mail|E-Mail");
	/* At one position the earlier rule wins; matches never overlap. */
	CHECK_HITS(NULL, ktwo, "data science", "data");
	CHECK_HITS(NULL, ktwo2, "data science and data", "data science|data");
}

void test_match_hebrew(void)
{
	const char *const kshetach[] = { "keyword:שטח", NULL };
	const char *const kbi[] = { "keyword:BI", "keyword:2020", NULL };
	const char *const kphrase[] = { "keyword:רשות מקומית", NULL };
	const char *const kstar[] = { "keyword:נחשפ*", NULL };
	const char *const kpointed[] = { "keyword:שָׁלוֹם", NULL };
	const char *const kplain[] = { "keyword:שלום", NULL };

	/* One or more prefixes, כש among them. */
	CHECK_HITS("he", kshetach,
		   "שטח בשטח ובשטח שבשטח כשהשטח וכשבשטח",
		   "שטח|בשטח|ובשטח|שבשטח|כשהשטח|וכשבשטח");
	/* Chains Hebrew allows (hspell's list): ו, then ש or כש מש לכש,
	 * then the prepositions, the article last. */
	CHECK_HITS("he", kshetach,
		   "מהשטח ושהשטח כשמהשטח לכשבשטח ושמשבשטח כבשטח ככשטח "
		   "לכשטח כמהשטח מבשטח מלשטח ושלכשכמהשטח",
		   "מהשטח|ושהשטח|כשמהשטח|לכשבשטח|ושמשבשטח|כבשטח|ככשטח|"
		   "לכשטח|כמהשטח|מבשטח|מלשטח|ושלכשכמהשטח");
	/* Chains it does not: two ו, ו not first, the article after ב כ ל
	 * or before another prefix, two articles, ומב; a non-prefix letter,
	 * or letters after the word. */
	CHECK_HITS("he", kshetach,
		   "ווהבשטח בושטח בהשטח כהשטח לוהשטח הבשטח ההשטח הכשטח "
		   "ומבשטח בבשטח אשטח משטחים שטחים", "");
	/* Without language he there are no clitics. */
	CHECK_HITS(NULL, kshetach, "שטח בשטח", "שטח");
	/* Hyphen or maqaf before Latin letters or digits. */
	CHECK_HITS("he", kbi, "ה-BI וב־BI הBI ב-2020 ABI BI-ה",
		   "ה-BI|וב־BI|הBI|ב-2020|BI");
	CHECK_HITS("he", kphrase, "ברשות  מקומית אחת", "ברשות  מקומית");
	CHECK_HITS("he", kstar, "ונחשפנו למשהו; הנחשפים", "ונחשפנו|הנחשפים");
	/* Niqqud and cantillation are ignored, the text keeps them. */
	CHECK_HITS("he", kplain, "שָׁלוֹם וְשָׁלוֹם שָׁל֑וֹם", "שָׁלוֹם|וְשָׁלוֹם|שָׁל֑וֹם");
	CHECK_HITS("he", kpointed, "שלום ושלום", "שלום|ושלום");
	/* Offsets count the marks: in "בְּשָׂדֶה שָׁלוֹם" the first word is 9
	 * code points (3 letters, 6 marks), the hit 7 (4 letters, 3 marks). */
	CHECK_SCAN("he", "match", kplain, "בְּשָׂדֶה שָׁלוֹם", "10-17:0");
}

void test_match_arabic(void)
{
	const char *const kbook[] = { "keyword:كتاب", NULL };
	const char *const ktwo[] = { "keyword:مدرسة", NULL };

	CHECK_HITS("ar", kbook,
		   "كتاب الكتاب والكتاب بالكتاب فالكتاب للكتاب وبالكتاب "
		   "بكتاب وكتاب",
		   "كتاب|الكتاب|والكتاب|بالكتاب|فالكتاب|للكتاب|وبالكتاب|"
		   "بكتاب|وكتاب");
	/* No clitic, or letters after the word: no match. */
	CHECK_HITS("ar", kbook, "مكتاب كتابي", "");
	/* Harakat and tatweel are ignored; the text keeps them. */
	CHECK_HITS("ar", kbook, "كِتَابٌ وَالْكِتَاب كـتـاب",
		   "كِتَابٌ|وَالْكِتَاب|كـتـاب");
	CHECK_HITS("ar", ktwo, "في المدرسة، وللمدرسة", "المدرسة|وللمدرسة");
}

/* Scan TEXT for KEYWORD (language ar, unit match) with normalisation ON
 * or off; the hits joined by '|'. */
static char *ar_hits(const char *keyword, int on, const char *text)
{
	struct matcher *m = matcher_new();
	struct match_results r = MATCH_RESULTS_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *err = NULL;
	int bad, code = matcher_add_code(m, "ar", MATCH_UNIT_MATCH);

	matcher_set_normalise(m, code, on);
	if (matcher_add_rule(m, code, "keyword", keyword, &err) < 0 ||
	    matcher_compile(m, &bad, &err) != 0 ||
	    matcher_scan(m, text, strlen(text), 0, strlen(text), NULL, &r,
			 &err) != 0) {
		printf("  error: %s\n", err);
		free(err);
		unit_failures++;
	}
	for (size_t i = 0; i < r.n; i++) {
		if (i) {
			sb_addc(&sb, '|');
		}
		sb_add(&sb, text + r.v[i].start, r.v[i].end - r.v[i].start);
	}
	match_results_release(&r);
	matcher_free(m);
	return sb_detach(&sb, NULL);
}

#define CHECK_AR(kw, on, text, want)                                    \
	do {                                                            \
		char *got_ = ar_hits(kw, on, text);                     \
		CHECK_STR(got_, want);                                  \
		free(got_);                                             \
	} while (0)

/* Arabic spelling normalisation (keyword and text alike, the text kept
 * as it is) and the article contracted after ل. */
void test_match_arabic_normalise(void)
{
	const char *israel = "إسرائيل اسرائيل أسرائيل آسرائيل لإسرائيل "
			     "وإسرائيل إِسْرَائِيل اسرائـيل";

	/* Alef with hamza above or below or madda is bare alef, whichever
	 * the keyword has. */
	CHECK_AR("إسرائيل", 1, israel, "إسرائيل|اسرائيل|أسرائيل|آسرائيل|"
		 "لإسرائيل|وإسرائيل|إِسْرَائِيل|اسرائـيل");
	CHECK_AR("اسرائيل", 1, israel, "إسرائيل|اسرائيل|أسرائيل|آسرائيل|"
		 "لإسرائيل|وإسرائيل|إِسْرَائِيل|اسرائـيل");
	/* Teh marbuta is heh; alef maqsura is yeh (so على finds علي too:
	 * the normaliser cannot tell them apart). */
	CHECK_AR("حكومه", 1, "حكومة حكومه الحكومة للحكومة حكومات",
		 "حكومة|حكومه|الحكومة|للحكومة");
	CHECK_AR("على", 1, "على علي عليه", "على|علي");
	/* A keyword with the article: after ل the alef goes (للحكومة), and
	 * before a word starting with ل the article's lam too (لله). */
	CHECK_AR("الحكومة", 1, "الحكومة للحكومة وللحكومة بالحكومة حكومة "
		 "لحكومة", "الحكومة|للحكومة|وللحكومة|بالحكومة");
	CHECK_AR("الله", 1, "الله لله ولله فلله بالله والله لَِلّه له اله",
		 "الله|لله|ولله|فلله|بالله|والله|لَِلّه");
	/* ألم (pain) starts with no article: no contraction. */
	CHECK_AR("ألم", 1, "ألم الم بألم للم لم", "ألم|الم|بألم");
	/* Normalisation off: only the keyword's own spelling (the clitics
	 * and the contraction stay). */
	CHECK_AR("إسرائيل", 0, israel, "إسرائيل|لإسرائيل|وإسرائيل|"
		 "إِسْرَائِيل");
	CHECK_AR("حكومه", 0, "حكومة حكومه للحكومه", "حكومه|للحكومه");
	CHECK_AR("الله", 0, "الله لله ولله أله", "الله|لله|ولله");
}

void test_match_regex(void)
{
	const char *const rx[] = { "regex:\\b(data|infor)\\s+(base|set)s?\\b",
				   NULL };
	const char *const bad[] = { "regex:a(b", NULL };
	const char *const badu[] = { "regex:שלום[", NULL };
	const char *const empty[] = { "keyword: * ", NULL };
	const char *const mixed[] = { "keyword:policy", "regex:[0-9]{4}",
				      NULL };
	const char *const zero[] = { "regex:x*", NULL };
	char *got;

	CHECK_HITS(NULL, rx, "a data set, two databases, infor bases",
		   "data set|infor bases");
	got = scan(NULL, "match", bad, "x");
	CHECK_STR(got, "bad regex 'a(b': missing closing parenthesis at "
		       "offset 3");
	free(got);
	/* The offset counts code points. */
	got = scan(NULL, "match", badu, "x");
	CHECK_STR(got, "bad regex 'שלום[': missing terminating ] for "
		       "character class at offset 5");
	free(got);
	got = scan(NULL, "match", empty, "x");
	CHECK_STR(got, "empty keyword ' * '");
	free(got);
	/* Keywords and regexes of one code: one list, by position. */
	CHECK_SCAN(NULL, "match", mixed, "In 2021 the policy of 1999",
		   "3-7:1 12-18:0 22-26:1");
	/* Empty matches code nothing. */
	CHECK_SCAN(NULL, "match", zero, "ab", "");
}

void test_match_units(void)
{
	const char *const kw[] = { "keyword:bank", NULL };
	const char *const ex_seg[] = { "keyword:bank",
				       "exclude_keyword:river", NULL };
	const char *const ex_match[] = { "keyword:bank",
					 "exclude_keyword:river bank", NULL };
	const char *const ex_rx[] = { "keyword:bank",
				      "exclude_regex:\\bblood\\b", NULL };
	const char *const ex_time[] = { "keyword:time",
					"exclude_keyword:more time", NULL };
	const char *const heb[] = { "keyword:תקציב", NULL };
	const char *const ar[] = { "keyword:مدرسة", NULL };
	const char *text = "The bank closed. We sat by the river bank!\n"
			   "A bank? Yes.";
	size_t s, e;

	/* segment: one unit holding both hits */
	CHECK_SCAN(NULL, "segment", kw, text, "0-55:0x3");
	/* sentence: "The bank closed." "We sat by the river bank!" and
	 * "A bank?" */
	CHECK_SCAN(NULL, "sentence", kw, text, "0-16:0 17-42:0 43-50:0");
	CHECK_SCAN(NULL, "match", kw, text, "4-8:0 37-41:0 45-49:0");
	/* An exclusion vetoes the hits of its unit, and only of it. */
	CHECK_SCAN(NULL, "segment", ex_seg, text, "");
	CHECK_SCAN(NULL, "sentence", ex_seg, text, "0-16:0 43-50:0");
	CHECK_SCAN(NULL, "match", ex_match, text, "4-8:0 45-49:0");
	/* unit match: only an exclusion overlapping the hit vetoes it */
	CHECK_SCAN(NULL, "match", ex_seg, text, "4-8:0 37-41:0 45-49:0");
	CHECK_SCAN(NULL, "segment", ex_rx, "blood bank", "");
	CHECK_SCAN(NULL, "segment", ex_rx, "bloodbank bank", "0-14:0");
	/* Hebrew and Arabic sentence ends; an ellipsis; quotes. */
	CHECK_SCAN("he", "sentence", heb,
		   "אין תקציב… יש תקציב? כן. \"בתקציב.\" סוף", 
		   "0-10:0 11-20:0 25-34:0");
	CHECK_SCAN("ar", "sentence", ar, "هل المدرسة؟ نعم، مدرسة. لا",
		   "0-11:0 12-23:0");
	/* A period inside a number or a word does not end the sentence. */
	match_sentence("x 3.5 y. z", 0, 10, 2, 5, &s, &e);
	CHECK_INT(s, 0);
	CHECK_INT(e, 8);
	/* A single line break does not end a sentence (a hard-wrapped
	 * paragraph); a blank line does, spaces in it or not. */
	match_sentence("no time\nfor us. Yes", 0, 19, 8, 11, &s, &e);
	CHECK_INT(s, 0);
	CHECK_INT(e, 15);
	match_sentence("a b\n \r\nc d\n\ne", 0, 13, 9, 10, &s, &e);
	CHECK_INT(s, 7);
	CHECK_INT(e, 10);
	match_sentence("a b\n \r\nc d\n\ne", 0, 13, 0, 1, &s, &e);
	CHECK_INT(s, 0);
	CHECK_INT(e, 3);
	/* So an exclusion phrase broken by a line break vetoes the hit in
	 * every unit, as it did in a segment. */
	CHECK_SCAN(NULL, "match", ex_time, "We did not get more\ntime for it.",
		   "");
	CHECK_SCAN(NULL, "sentence", ex_time,
		   "We did not get more\ntime for it.", "");
	CHECK_SCAN(NULL, "segment", ex_time,
		   "We did not get more\ntime for it.", "");
	CHECK_SCAN(NULL, "sentence", ex_time,
		   "We did not get more.\nTime for it.", "21-33:0");
	CHECK_SCAN(NULL, "match", ex_time,
		   "We did not get more\n\ntime for it.", "21-25:0");
}

/* The automaton path and the whole-segment scan agree: code 0 has only
 * keywords (automaton); code 1 the same keywords plus one without a
 * literal, which makes it scan whole segments. */
void test_match_prefilter(void)
{
	static const char *const words[] = {
		"שטח", "בשטח", "משטחים", "ה-BI", "BI", "bi-", "case", "showcase",
		"Case", "data", "database", "שָׁלוֹם", "ושלום", "כשהשטח",
		"والكتاب", "كتاب", "كـتاب", "-", " ", "  ", "\n", ".", ",",
		"נחשפתי", "נחשף", "digital", "DIGIT", "x", "1", "2020",
		"إسرائيل", "اسرائيل", "لإسرائيل", "الله", "لله", "ولله",
		"حكومة", "للحكومة", "حكومه",
	};
	static const char *const kws[] = {
		"שטח", "BI", "case", "data*", "שלום", "كتاب", "נחשפ*",
		"digit*", "2020", "case study", "اسرائيل", "الله", "حكومة",
		"الحكومة",
	};
	const char *langs[] = { NULL, "he", "ar" };
	unsigned seed = 12345;
	size_t total = 0;

	for (size_t li = 0; li < 3; li++) {
		struct matcher *m = matcher_new();
		char *err = NULL;
		int bad;

		for (int k = 0; k < 2; k++) {
			matcher_add_code(m, langs[li], MATCH_UNIT_MATCH);
			for (size_t i = 0; i < sizeof(kws) / sizeof(*kws); i++) {
				matcher_add_rule(m, k, "keyword", kws[i], &err);
			}
		}
		matcher_add_rule(m, 1, "keyword", "Ωμέγα", &err);
		CHECK(matcher_compile(m, &bad, &err) == 0);
		for (int round = 0; round < 300; round++) {
			struct strbuf t = STRBUF_INIT;
			struct match_results r = MATCH_RESULTS_INIT;
			size_t a = 0, b = 0, n0 = 0;

			for (int w = 0; w < 12; w++) {
				seed = seed * 1103515245u + 12345u;
				sb_adds(&t, words[(seed >> 8) %
						  (sizeof(words) / sizeof(*words))]);
				seed = seed * 1103515245u + 12345u;
				if ((seed >> 9) % 3) {
					sb_addc(&t, ' ');
				}
			}
			CHECK(matcher_scan(m, t.buf, t.len, 0, t.len, NULL, &r,
					   &err) == 0);
			while (n0 < r.n && r.v[n0].code == 0) {
				n0++;
			}
			CHECK_INT(r.n - n0, n0);
			total += n0;
			for (a = 0, b = n0; a < n0 && b < r.n; a++, b++) {
				if (r.v[a].start != r.v[b].start ||
				    r.v[a].end != r.v[b].end ||
				    r.v[a].rule != r.v[b].rule) {
					printf("  differ on '%s'\n", t.buf);
					unit_failures++;
					break;
				}
			}
			match_results_release(&r);
			sb_release(&t);
		}
		matcher_free(m);
	}
	/* The texts are dense in hits: the comparison means something. */
	CHECK(total > 1500);
}

/* Only enabled codes are scanned; codes share the automaton. */
void test_match_enabled(void)
{
	struct matcher *m = matcher_new();
	struct match_results r = MATCH_RESULTS_INIT;
	const char *text = "budget and staff";
	unsigned char en[3] = { 1, 0, 1 };
	char *err = NULL;
	int bad;

	matcher_add_code(m, NULL, MATCH_UNIT_SEGMENT);
	matcher_add_code(m, NULL, MATCH_UNIT_SEGMENT);
	matcher_add_code(m, NULL, MATCH_UNIT_MATCH);
	matcher_add_rule(m, 0, "keyword", "budget", &err);
	matcher_add_rule(m, 1, "keyword", "budget", &err);
	matcher_add_rule(m, 2, "keyword", "staff", &err);
	matcher_add_rule(m, 2, "keyword", "budget", &err);
	CHECK(matcher_compile(m, &bad, &err) == 0);
	CHECK(matcher_scan(m, text, strlen(text), 0, strlen(text), en, &r,
			   &err) == 0);
	CHECK_INT(r.n, 3);
	if (r.n == 3) {
		CHECK_INT(r.v[0].code, 0);
		CHECK_INT(r.v[1].code, 2);
		CHECK_INT(r.v[1].rule, 1);
		CHECK_INT(r.v[2].code, 2);
		CHECK_INT(r.v[2].start, 11);
		CHECK_STR(matcher_rule(m, 2, r.v[2].rule), "staff");
	}
	/* A segment inside a larger text: offsets stay document offsets. */
	r.n = 0;
	CHECK(matcher_scan(m, text, strlen(text), 11, strlen(text), NULL, &r,
			   &err) == 0);
	CHECK_INT(r.n, 1);
	if (r.n == 1) {
		CHECK_INT(r.v[0].start, 11);
		CHECK_INT(r.v[0].end, 16);
	}
	match_results_release(&r);
	matcher_free(m);
}

/* A regex's ^ and $ are the segment's start and end, in a rule and in an
 * exclusion, whatever comes before the segment in the document; the
 * offsets are the document's. */
void test_match_regex_anchors(void)
{
	struct matcher *m = matcher_new();
	struct match_results r = MATCH_RESULTS_INIT;
	/* segments [4, 18) "Q1 no time yet" and [24, 38) "we had no time" */
	const char *text = "Ann:Q1 no time yet\nBob: we had no time\n";
	char *err = NULL;
	int bad;

	matcher_add_code(m, NULL, MATCH_UNIT_MATCH);
	matcher_add_rule(m, 0, "regex", "^Q\\d|time$", &err);
	matcher_add_code(m, NULL, MATCH_UNIT_SENTENCE);
	matcher_add_rule(m, 1, "keyword", "no time", &err);
	matcher_add_rule(m, 1, "exclude_regex", "^Q\\d|no time$", &err);
	CHECK(matcher_compile(m, &bad, &err) == 0);
	CHECK(matcher_scan(m, text, strlen(text), 4, 18, NULL, &r, &err) == 0);
	CHECK_INT(r.n, 1);
	if (r.n == 1) {
		CHECK_INT(r.v[0].code, 0);
		CHECK_INT(r.v[0].start, 4);
		CHECK_INT(r.v[0].end, 6);
	}
	r.n = 0;
	CHECK(matcher_scan(m, text, strlen(text), 24, 38, NULL, &r, &err) == 0);
	CHECK_INT(r.n, 1);
	if (r.n == 1) {
		CHECK_INT(r.v[0].code, 0);
		CHECK_INT(r.v[0].start, 34);
		CHECK_INT(r.v[0].end, 38);
	}
	match_results_release(&r);
	matcher_free(m);
}

/* A long paragraph without a sentence end (a speech-to-text transcript):
 * sentence units, and match units with an exclusion, cost work linear in
 * its length.  The matcher once found the sentence of every hit anew,
 * and ran the exclusions over it, which is hits times length: here
 * 10,000 hits in 480 KB, some 5 GB of scanning. */
void test_match_long_paragraph(void)
{
	struct matcher *m = matcher_new();
	struct match_results r = MATCH_RESULTS_INIT;
	struct strbuf t = STRBUF_INIT;
	char *err = NULL;
	int bad;

	for (int i = 0; i < 10000; i++) {
		sb_adds(&t, "so we spoke about the budget and the river bank ");
	}
	sb_adds(&t, "and that was all");
	matcher_add_code(m, NULL, MATCH_UNIT_SENTENCE);
	matcher_add_code(m, NULL, MATCH_UNIT_MATCH);
	matcher_add_code(m, NULL, MATCH_UNIT_SENTENCE);
	matcher_add_rule(m, 0, "keyword", "budget", &err);
	matcher_add_rule(m, 1, "keyword", "budget", &err);
	matcher_add_rule(m, 1, "keyword", "bank", &err);
	matcher_add_rule(m, 1, "exclude_keyword", "river bank", &err);
	matcher_add_rule(m, 1, "exclude_regex", "\\bspoken\\b", &err);
	matcher_add_rule(m, 2, "keyword", "budget", &err);
	matcher_add_rule(m, 2, "exclude_keyword", "not said", &err);
	CHECK(matcher_compile(m, &bad, &err) == 0);
	CHECK(matcher_scan(m, t.buf, t.len, 0, t.len, NULL, &r, &err) == 0);
	/* One sentence with every hit; each budget (the banks are all
	 * river banks); the same sentence, no exclusion in it. */
	CHECK_INT(r.n, 10002);
	if (r.n == 10002) {
		CHECK_INT(r.v[0].code, 0);
		CHECK_INT(r.v[0].start, 0);
		CHECK_INT(r.v[0].end, t.len);
		CHECK_INT(r.v[0].hits, 10000);
		CHECK_INT(r.v[1].code, 1);
		CHECK_INT(r.v[1].start, 22);
		CHECK_INT(r.v[1].end, 28);
		CHECK_INT(r.v[10000].start, 22 + 9999 * 48);
		CHECK_INT(r.v[10001].code, 2);
		CHECK_INT(r.v[10001].hits, 10000);
	}
	/* Six passes over the paragraph: finding the sentence, once per
	 * code; each of code 1's two exclusions, and code 2's one, once
	 * (it was 10,000 passes of each). */
	if (matcher_work(m) > 6 * t.len) {
		printf("  work %zu for %zu bytes\n", matcher_work(m), t.len);
	}
	CHECK(matcher_work(m) <= 6 * t.len);
	match_results_release(&r);
	sb_release(&t);
	matcher_free(m);
}
