/*
 * test_refi.c - REFI-QDA normalisations and position conversion.
 */
#include <stdlib.h>

#include "codebook.h"
#include "refi_pos.h"
#include "refi_rules.h"
#include "unit.h"
#include "util.h"
#include "xml.h"
#include "zipfile.h"

void test_refi_guid(void)
{
	char g[37];

	CHECK(refi_guid_norm("{5215CC69-B628-4E02-AFB9-9BEEAEE55808}", g) == 0);
	CHECK_STR(g, "5215cc69-b628-4e02-afb9-9beeaee55808");
	CHECK(refi_guid_norm(" 088B08AC-D5CD-4ADB-8B71-B4F3459C177F\n", g) ==
	      0);
	CHECK_STR(g, "088b08ac-d5cd-4adb-8b71-b4f3459c177f");
	CHECK(refi_guid_norm("{5215cc69-b628-4e02-afb9-9beeaee55808", g) == -1);
	CHECK(refi_guid_norm("5215cc69b6284e02afb99beeaee55808", g) == -1);
	CHECK(refi_guid_norm("5215cc69-b628-4e02-afb9-9beeaee5580g", g) == -1);
	CHECK(refi_guid_norm("", g) == -1);
	refi_guid_derive("code", "Trust/Doubt", 11, g);
	CHECK_INT(strlen(g), 36);
	CHECK(g[14] == '8');
	CHECK(g[19] == '8' || g[19] == '9' || g[19] == 'a' || g[19] == 'b');
	{
		char h[37], k[37];

		refi_guid_derive("code", "Trust/Doubt", 11, h);
		refi_guid_derive("coder", "Trust/Doubt", 11, k);
		CHECK_STR(g, h);
		CHECK(strcmp(g, k) != 0);
		CHECK(refi_guid_norm(g, h) == 0);
	}
	{
		/* A code's GUID: derived from its path, else, when a code
		 * has that one stored, from the path and a count; the
		 * same each time, and none of the stored ones. */
		struct refi_guids st = { NULL, 0, 0 };
		char c[37], d[37], e[37];

		refi_code_guid("Trust/Doubt", NULL, c);
		CHECK_STR(c, g);
		refi_code_guid("Trust/Doubt", &st, c);
		CHECK_STR(c, g);
		refi_guids_add(&st, "not a guid");
		refi_guids_add(&st, "{5215CC69-B628-4E02-AFB9-9BEEAEE55808}");
		refi_guids_add(&st, g);
		refi_guids_sort(&st);
		CHECK_INT(st.n, 2);
		CHECK(refi_guids_has(&st, "5215cc69-b628-4e02-afb9-9beeaee55808"));
		refi_code_guid("Trust/Doubt", &st, c);
		refi_code_guid("Trust/Doubt", &st, d);
		CHECK_STR(c, d);
		CHECK(strcmp(c, g) != 0);
		CHECK(!refi_guids_has(&st, c));
		CHECK(c[14] == '8');
		/* That one stored too: the next count. */
		refi_guids_add(&st, c);
		refi_guids_sort(&st);
		refi_code_guid("Trust/Doubt", &st, e);
		CHECK(strcmp(e, c) != 0 && strcmp(e, g) != 0);
		refi_guids_release(&st);
	}
}

void test_refi_color(void)
{
	char c[8];

	CHECK(refi_color_norm("#46AA00", c) == 0);
	CHECK_STR(c, "#46aa00");
	CHECK(refi_color_norm("#fa0", c) == 0);
	CHECK_STR(c, "#ffaa00");
	CHECK(refi_color_norm("#FF46AA00", c) == 0); /* alpha dropped */
	CHECK_STR(c, "#46aa00");
	CHECK(refi_color_norm("#8fa0", c) == 0);
	CHECK_STR(c, "#ffaa00");
	CHECK(refi_color_norm(" #123456 ", c) == 0);
	CHECK_STR(c, "#123456");
	CHECK(refi_color_norm("#12345", c) == -1);
	CHECK(refi_color_norm("#123456789", c) == -1);
	CHECK(refi_color_norm("red", c) == -1);
	CHECK(refi_color_norm("#12x456", c) == -1);
}

/* Position POS of SRC counted as U, mapped to a stored code point. */
static long long map(const char *src, struct refi_units u, long long pos,
		     int is_end)
{
	struct refi_posmap m;
	size_t cp;
	int r;

	refi_posmap_init(&m, src, strlen(src), u);
	r = refi_posmap_cp(&m, pos, is_end, &cp);
	refi_posmap_release(&m);
	return r == 0 ? (long long)cp : -1;
}

void test_refi_positions(void)
{
	/* Stored as "a\nb😀c": a=0 \n=1 b=2 😀=3 c=4, 5 characters. */
	const char *src = "\xEF\xBB\xBF" "a\r\nb\xF0\x9F\x98\x80" "c";
	struct refi_units nvivo = refi_units_for("NVivo 14 (Windows)");
	struct refi_units atlas = refi_units_for("ATLAS.ti 23.2.3");
	struct refi_units spec = refi_units_for("MAXQDA 2022");
	struct refi_posmap m;

	CHECK(nvivo.utf16 && !nvivo.crlf_one);
	CHECK(!atlas.utf16 && atlas.crlf_one);
	CHECK(!spec.utf16 && !spec.crlf_one);
	CHECK(!refi_units_for(NULL).utf16);
	/* NVivo: a=0 CR=1 LF=2 b=3 😀=4,5 c=6, 7 units. */
	CHECK_INT(map(src, nvivo, 0, 0), 0);
	CHECK_INT(map(src, nvivo, 3, 0), 2);
	CHECK_INT(map(src, nvivo, 4, 0), 3);
	CHECK_INT(map(src, nvivo, 5, 0), 3); /* inside the pair: down */
	CHECK_INT(map(src, nvivo, 5, 1), 4); /* ... or up for an end */
	CHECK_INT(map(src, nvivo, 6, 1), 4);
	CHECK_INT(map(src, nvivo, 7, 1), 5);
	CHECK_INT(map(src, nvivo, 8, 1), -1);
	CHECK_INT(map(src, nvivo, 2, 0), 1); /* LF of the CRLF */
	CHECK_INT(map(src, nvivo, 2, 1), 2);
	/* ATLAS.ti: a=0 CRLF=1 b=2 😀=3 c=4, 5 units. */
	CHECK_INT(map(src, atlas, 2, 0), 2);
	CHECK_INT(map(src, atlas, 4, 0), 4);
	CHECK_INT(map(src, atlas, 5, 1), 5);
	CHECK_INT(map(src, atlas, 6, 1), -1);
	/* The standard: a=0 CR=1 LF=2 b=3 😀=4 c=5, 6 units. */
	CHECK_INT(map(src, spec, 3, 0), 2);
	CHECK_INT(map(src, spec, 5, 0), 4);
	CHECK_INT(map(src, spec, 6, 1), 5);
	CHECK_INT(map(src, spec, -1, 0), -1);
	refi_posmap_init(&m, src, strlen(src), nvivo);
	CHECK_INT(m.units, 7);
	CHECK_INT(m.chars, 5);
	refi_posmap_release(&m);
	/* Many marks: 200 Hebrew letters and CRLFs, NVivo counting. */
	{
		char *big = malloc(200 * 4 + 1);
		size_t n = 0;

		for (int i = 0; i < 200; i++) {
			memcpy(big + n, "\xD7\x90\r\n", 4);
			n += 4;
		}
		big[n] = '\0';
		for (int i = 0; i < 200; i += 13) {
			CHECK_INT(map(big, nvivo, 3 * i, 0), 2 * i);
			CHECK_INT(map(big, atlas, 2 * i, 0), 2 * i);
		}
		CHECK_INT(map(big, nvivo, 600, 1), 400);
		free(big);
	}
}

void test_refi_xml(void)
{
	const char *bad = "<?xml version=\"1.0\"?>\n<Project>\n<Users>\n"
			  "</Project>\n";
	const char *dtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [\n"
			  "<!ENTITY a \"aaaa\">]>\n<Project>&a;</Project>";
	const char *v04 =
	    "\xEF\xBB\xBF<CodeBook xmlns=\"urn:QDA-XML:codebook:0:4\">"
	    "<Codes><Code guid=\"x\" name=\"a &amp; b\"/></Codes>"
	    "</CodeBook>";
	struct strbuf sb = STRBUF_INIT;
	xmlDocPtr doc;
	xmlNodePtr root, code;
	long line;
	char *msg, *what, *name;

	doc = refi_xml_parse(bad, strlen(bad), &line, &msg);
	CHECK(doc == NULL);
	CHECK_INT(line, 4);
	CHECK(msg && strstr(msg, "mismatch"));
	free(msg);
	doc = refi_xml_parse(dtd, strlen(dtd), &line, &msg);
	CHECK(doc == NULL);
	CHECK_INT(line, 2);
	CHECK_STR(msg, "a DOCTYPE is not allowed in a REFI-QDA file");
	free(msg);
	doc = refi_xml_parse(v04, strlen(v04), &line, &msg);
	CHECK(doc != NULL);
	CHECK_INT(refi_xml_normalize_ns(doc, &what, &line), 1);
	CHECK_STR(what, "namespace 'urn:QDA-XML:codebook:0:4' is not "
			"'urn:QDA-XML:codebook:1.0'");
	free(what);
	root = xmlDocGetRootElement(doc);
	CHECK_STR((const char *)root->ns->href, REFI_NS_CODEBOOK);
	code = refi_child(refi_child(root, "Codes"), "Code");
	CHECK(code != NULL);
	name = refi_attr(code, "name");
	CHECK_STR(name, "a & b");
	free(name);
	CHECK(refi_attr(code, "color") == NULL);
	xmlFreeDoc(doc);
	refi_put_attr(&sb, "name", "a<\"b\"\n\x01");
	refi_put_text(&sb, "x & y\r\n");
	CHECK_STR(sb_str(&sb), " name=\"a&lt;&quot;b&quot;&#10;\xEF\xBF\xBD\""
			       "x &amp; y&#13;\n");
	sb_release(&sb);
}

/* A read callback giving the string at CTX seven bytes at a time. */
struct pieces {
	const char *s;
	size_t at, len;
};

static long read_pieces(void *ctx, char *buf, size_t len)
{
	struct pieces *p = ctx;
	size_t n = p->len - p->at;

	if (n > 7) {
		n = 7;
	}
	if (n > len) {
		n = len;
	}
	memcpy(buf, p->s + p->at, n);
	p->at += n;
	return (long)n;
}

/* Open a streaming reader on TEXT (pieces of 7 bytes): 0 when its first
 * element is ROOT, else -1 with *LINE, *MSG. */
static int read_root(const char *text, const char *root, long *line,
		     char **msg)
{
	struct pieces p = { text, 0, strlen(text) };
	struct refi_reader rd;
	int r = -1;

	*msg = NULL;
	if (refi_reader_open_io(&rd, read_pieces, &p) == 0) {
		while (refi_reader_read(&rd) == 1) {
			const char *name;

			if (xmlTextReaderNodeType(rd.r) !=
			    XML_READER_TYPE_ELEMENT) {
				continue;
			}
			name = (const char *)xmlTextReaderConstLocalName(rd.r);
			if (strcmp(name, root) == 0) {
				r = 0;
			}
			break;
		}
	}
	*line = rd.line;
	if (rd.msg) {
		*msg = xstrdup(rd.msg);
	}
	refi_reader_close(&rd);
	return r;
}

/* The streaming reader looks for a DOCTYPE through the whole prolog, read
 * a piece at a time, however long its comments (past the first read). */
void test_refi_reader_prolog(void)
{
	struct strbuf sb = STRBUF_INIT;
	long line;
	char *msg, *doc;

	CHECK_INT(read_root("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<Project/>",
			    "Project", &line, &msg),
		  0);
	CHECK(msg == NULL);
	/* A comment of 100 KB (several reads), then a DOCTYPE. */
	sb_adds(&sb, "<?xml version=\"1.0\"?>\n<!--");
	for (int i = 0; i < 2000; i++) {
		sb_adds(&sb, " \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D, "
			     "a long comment line of the prolog\n");
	}
	sb_adds(&sb, "-->\n<!-- and another -->\n");
	doc = xasprintf("%s<Project/>\n", sb_str(&sb));
	CHECK_INT(read_root(doc, "Project", &line, &msg), 0);
	CHECK(msg == NULL);
	free(doc);
	doc = xasprintf("%s<!doctype Project [<!ENTITY a \"aaaa\">]>\n"
			"<Project>&a;</Project>\n",
			sb_str(&sb));
	CHECK_INT(read_root(doc, "Project", &line, &msg), -1);
	CHECK_INT(line, 2004);
	CHECK_STR(msg, "a DOCTYPE is not allowed in a REFI-QDA file");
	free(msg);
	free(doc);
	/* A document that ends inside its prolog. */
	CHECK_INT(read_root("<?xml version=\"1.0\"?>\n<!-- open", "Project",
			    &line, &msg),
		  -1);
	CHECK(msg != NULL && strstr(msg, "DOCTYPE") == NULL);
	CHECK_INT(line, 2);
	free(msg);
	sb_release(&sb);
}

void test_refi_zip_names(void)
{
	CHECK(!refi_zip_unsafe_name("project.qde"));
	CHECK(!refi_zip_unsafe_name("sources/a..b.txt"));
	CHECK(!refi_zip_unsafe_name("sources/.root"));
	CHECK(refi_zip_unsafe_name("../evil"));
	CHECK(refi_zip_unsafe_name("sources/../../evil"));
	CHECK(refi_zip_unsafe_name("sources\\..\\evil"));
	CHECK(refi_zip_unsafe_name("/etc/passwd"));
	CHECK(refi_zip_unsafe_name("\\evil"));
	CHECK(refi_zip_unsafe_name("C:evil"));
	CHECK(refi_zip_unsafe_name("sources/.."));
}

void test_refi_rules(void)
{
	struct codebook cb;
	struct cb_code *top, *c, *back;
	char *text, *why;
	size_t line;

	codebook_init(&cb);
	top = codebook_add(&cb, -1, "למידה", 0);
	top->language = xstrdup("he");
	c = codebook_add(&cb, 0, "נתונים", 0);
	c->description = xstrdup("Working with data.");
	cb_code_add_rule(c, CB_KEYWORD, "נתונים", 0);
	cb_code_add_rule(c, CB_KEYWORD, "a, b", 0);
	cb_code_add_rule(c, CB_REGEX, "\\bdata\\b", 0);
	cb_code_add_rule(c, CB_EXCLUDE_KEYWORD, "big data", 0);
	cb_code_add_rule(c, CB_EXCLUDE_REGEX, "^Q\\d", 0);
	free(c->unit);
	c->unit = xstrdup("sentence");
	c->example = xstrdup("two\nlines");
	text = refi_rules_describe(&cb.codes[1], &cb.codes[0]);
	CHECK_STR(text, "Working with data.\n\n" REFI_RULES_BEGIN "\n"
			"- keywords: נתונים, \"a, b\"\n"
			"- regex: \\bdata\\b\n"
			"- exclude: big data\n"
			"- exclude: regex: ^Q\\d\n"
			"- unit: sentence\n"
			"- example: two lines\n" REFI_RULES_END);
	/* Read back into a sibling: the same rules and properties. */
	back = codebook_add(&cb, 0, "back", 0);
	CHECK(refi_rules_parse(back, text, 10, &why, &line) == 0);
	CHECK_STR(back->description, "Working with data.");
	CHECK_INT(back->nrules, 5);
	CHECK_STR(back->rules[1].pattern, "a, b");
	CHECK_INT(back->rules[1].line, 13);
	CHECK(back->rules[4].kind == CB_EXCLUDE_REGEX);
	CHECK_STR(back->unit, "sentence");
	CHECK_STR(back->language, "he");
	CHECK_STR(back->example, "two lines");
	free(text);
	/* A code with nothing to say has no description at all. */
	text = refi_rules_describe(&cb.codes[0], NULL);
	CHECK_STR(text, REFI_RULES_BEGIN "\n- language: he\n" REFI_RULES_END);
	free(text);
	back = codebook_add(&cb, 0, "plain", 0);
	CHECK(refi_rules_describe(back, &cb.codes[0]) == NULL);
	/* Errors name the line of the file. */
	CHECK(refi_rules_parse(back, "x\n" REFI_RULES_BEGIN "\n- colour: red\n"
				     REFI_RULES_END, 7, &why, &line) == -1);
	CHECK_INT(line, 9);
	CHECK(strstr(why, "unknown key 'colour'") != NULL);
	free(why);
	CHECK(refi_rules_parse(back, REFI_RULES_BEGIN "\n- keywords: a\n", 1,
			       &why, &line) == -1);
	CHECK(strstr(why, "no '" REFI_RULES_END "'") != NULL);
	free(why);
	codebook_release(&cb);
}
