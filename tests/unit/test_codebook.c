/*
 * test_codebook.c - the codebook's value checks, list syntax, Markdown
 * parser details and the Markdown writer's round trip.
 */
#include <stdlib.h>

#include "codebook.h"
#include "unit.h"
#include "util.h"

void test_cb_list(void)
{
	char *why = NULL;
	char **v = cb_list_parse(" a, b c ,, \"d, e\", מנכ\"ל, \"x\"\"y\",", &why);
	char *s;

	CHECK(v != NULL);
	if (v) {
		CHECK_INT(strv_len(v), 5);
		CHECK_STR(v[0], "a");
		CHECK_STR(v[1], "b c");
		CHECK_STR(v[2], "d, e");
		CHECK_STR(v[3], "מנכ\"ל");
		CHECK_STR(v[4], "x\"y");
		s = cb_list_format(v);
		CHECK_STR(s, "a, b c, \"d, e\", מנכ\"ל, x\"y");
		free(s);
		free_strv(v);
	}
	v = cb_list_parse("a, \"b", &why);
	CHECK(v == NULL);
	CHECK_STR(why, "unterminated quote");
	free(why);
	v = cb_list_parse("\"a\" b", &why);
	CHECK(v == NULL);
	CHECK_STR(why, "text after a closing quote");
	free(why);
	v = cb_list_parse("\"\"\"q\"", NULL);
	CHECK(v && v[0] && strcmp(v[0], "\"q") == 0);
	s = cb_list_format(v);
	CHECK_STR(s, "\"\"\"q\"");
	free(s);
	free_strv(v);
}

void test_cb_checks(void)
{
	char out[8], *why = NULL;

	CHECK(cb_check_color("#3A7", out, NULL) == 0);
	CHECK_STR(out, "#33aa77");
	CHECK(cb_check_color("#A0b1C2", out, NULL) == 0);
	CHECK_STR(out, "#a0b1c2");
	CHECK(cb_check_color("#12345", out, &why) == -1);
	CHECK_STR(why, "bad color '#12345' (use #RGB or #RRGGBB)");
	free(why);
	CHECK(cb_check_color("red", out, NULL) == -1);
	CHECK(cb_check_color("#ggg", out, NULL) == -1);

	CHECK(cb_check_keyword("נחשפ*", NULL) == 0);
	CHECK(cb_check_keyword("digital transform*", NULL) == 0);
	CHECK(cb_check_keyword("a*b", NULL) == -1);
	CHECK(cb_check_keyword("a *", NULL) == -1);
	CHECK(cb_check_keyword("a**", NULL) == -1);
	CHECK(cb_check_keyword("*", NULL) == -1);
	CHECK(cb_check_keyword("", NULL) == -1);

	CHECK(cb_check_regex("\\bדיגיטל\\p{L}*", NULL) == 0);
	CHECK(cb_check_regex("(abc", &why) == -1);
	CHECK_STR(why, "missing closing parenthesis at offset 4");
	free(why);
	/* The offset counts code points, not bytes. */
	CHECK(cb_check_regex("שלום[", &why) == -1);
	CHECK_STR(why, "missing terminating ] for character class at "
		       "offset 5");
	free(why);
	CHECK(cb_check_regex("", NULL) == -1);

	CHECK(cb_check_unit("sentence", NULL) == 0);
	CHECK(cb_check_unit("Sentence", NULL) == -1);
	CHECK(cb_check_language("ar", NULL) == 0);
	CHECK(cb_check_language("iw", &why) == -1);
	CHECK_STR(why, "unknown language 'iw' (known: ar, de, en, es, fr, he, "
		       "it, nl, pt, ru)");
	free(why);
	CHECK(cb_check_name("a/b", NULL) == -1);
	CHECK(cb_check_name("", NULL) == -1);
	CHECK(cb_check_name("מנכ\"ל", NULL) == 0);
}

/* Parse S; returns 0 or -1, with the message in MSG (caller frees). */
static int parse(struct codebook *cb, const char *s, char **msg)
{
	struct cb_error err;
	int rc;

	cb_error_init(&err);
	codebook_init(cb);
	rc = codebook_parse_md(cb, "t.md", s, strlen(s), &err);
	*msg = err.msg ? xstrdup(err.msg) : NULL;
	cb_error_release(&err);
	return rc;
}

void test_cb_parse_md(void)
{
	struct codebook cb;
	char *msg = NULL;
	const char *text =
		"- language: he\n"
		"- questions: benefit\n"
		"\n"
		"Preamble, not stored.\n"
		"<!-- a comment\n"
		"# Commented out\n"
		"-->\n"
		"# Top ##\n"
		"\n"
		"Line one\n"
		"  line two\n"
		"\n"
		"\\- not an item\n"
		"\n"
		"- exclude: x\n"
		"- Keywords: b, a\n"
		"  c d\n"
		"  e,\n"
		"- keywords: a\n"
		"- regex: r1\n"
		"    r2\n"
		"- unit: sentence\n"
		"---\n"
		"## Child\n"
		"- language: en\n"
		"### Grand\n"
		"# Other\n"
		"- questions: improve, \"x, y\"\n";
	const struct cb_code *c;

	CHECK(parse(&cb, text, &msg) == 0);
	CHECK(msg == NULL);
	free(msg);
	CHECK_INT(cb.ncodes, 4);
	if (cb.ncodes == 4) {
		c = &cb.codes[0];
		CHECK_STR(c->path, "Top");
		CHECK_STR(c->description, "Line one\nline two\n\n- not an item");
		CHECK_STR(c->language, "he");
		CHECK_STR(c->unit, "sentence");
		CHECK_STR(c->questions[0], "benefit");
		/* Keywords first, in file order, repeats dropped. */
		CHECK_INT(c->nrules, 7);
		CHECK_STR(c->rules[0].pattern, "b");
		CHECK_STR(c->rules[1].pattern, "a");
		CHECK_STR(c->rules[2].pattern, "c d");
		CHECK_STR(c->rules[3].pattern, "e");
		CHECK(c->rules[4].kind == CB_REGEX);
		CHECK_STR(c->rules[4].pattern, "r1");
		CHECK_STR(c->rules[5].pattern, "r2");
		CHECK_INT(c->rules[5].line, 21);
		CHECK(c->rules[6].kind == CB_EXCLUDE_KEYWORD);
		c = &cb.codes[2];
		CHECK_STR(c->path, "Top/Child/Grand");
		CHECK_INT(c->depth, 3);
		CHECK_INT(c->parent, 1);
		CHECK_STR(c->language, "en");
		CHECK_STR(c->unit, "sentence");
		CHECK_STR(c->questions[0], "benefit");
		c = &cb.codes[3];
		CHECK_STR(c->language, "he");
		CHECK_STR(c->unit, "segment");
		CHECK_INT(strv_len(c->questions), 2);
		CHECK_STR(c->questions[1], "x, y");
	}
	codebook_release(&cb);

	CHECK(parse(&cb, "# A\n- colour: red\n", &msg) == -1);
	CHECK_STR(msg, "unknown key 'colour' in 't.md' at line 2 (known: "
		       "keywords, regex, exclude, unit, questions, speakers, "
		       "language, color, example, codable, normalise)");
	free(msg);
	codebook_release(&cb);
	CHECK(parse(&cb, "# A\n- regex: a\n  (b\n", &msg) == -1);
	CHECK_STR(msg, "bad regex '(b' in 't.md' at line 3: missing closing "
		       "parenthesis at offset 2");
	free(msg);
	codebook_release(&cb);
}

/* Write CB as Markdown into a new string. */
static char *to_md(const struct codebook *cb)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	codebook_write_md(cb, f);
	fclose(f);
	return buf;
}

void test_cb_write_md(void)
{
	struct codebook cb, back;
	struct cb_code *c;
	char *md, *md2, *msg = NULL;

	/* A codebook as another producer (REFI) would build it. */
	codebook_init(&cb);
	c = codebook_add(&cb, -1, "Top", 0);
	c->description = xstrdup("# not a heading\n- not an item\n\nend");
	c->codable = 0;
	c = codebook_add(&cb, 0, "Kid", 0);
	cb_code_add_rule(c, CB_KEYWORD, "a, b", 0);
	cb_code_add_rule(c, CB_KEYWORD, "\"quoted", 0);
	cb_code_add_rule(c, CB_EXCLUDE_REGEX, "x:y", 0);
	free(c->unit);
	c->unit = xstrdup("match");
	c->example = xstrdup("two\nlines");
	CHECK(codebook_validate(&cb, NULL, NULL) == 0);
	md = to_md(&cb);
	CHECK_STR(md, "# Top\n"
		      "\n"
		      "\\# not a heading\n"
		      "\\- not an item\n"
		      "\n"
		      "end\n"
		      "\n"
		      "- codable: no\n"
		      "\n"
		      "## Kid\n"
		      "\n"
		      "- keywords: \"a, b\", \"\"\"quoted\"\n"
		      "- exclude: regex: x:y\n"
		      "- unit: match\n"
		      "- example: two lines\n");
	CHECK(parse(&back, md, &msg) == 0);
	free(msg);
	md2 = to_md(&back);
	CHECK_STR(md2, md);
	CHECK_STR(back.codes[0].description, cb.codes[0].description);
	CHECK_STR(back.codes[1].rules[1].pattern, "\"quoted");
	free(md);
	free(md2);
	codebook_release(&back);

	/* validate catches what the parser would. */
	c = codebook_add(&cb, -1, "Top", 7);
	CHECK(codebook_validate(&cb, "x.qdc", NULL) == -1);
	{
		struct cb_error err;

		cb_error_init(&err);
		codebook_validate(&cb, "x.qdc", &err);
		CHECK_STR(err.msg, "duplicate code 'Top' in 'x.qdc' at line 7");
		cb_error_release(&err);
	}
	codebook_release(&cb);
}
