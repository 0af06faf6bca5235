/*
 * test_csv.c - the RFC 4180 reader: quoting, line ends, record lines,
 * broken records, and delimiter detection.
 */
#include <stdlib.h>

#include "csv.h"
#include "unit.h"

/* Read S with DELIM and return the records joined as "a|b/c|d/" (fields
 * joined by '|', records ended by '/'), with "@N" after each record's
 * start line when LINES is set; "ERR:what@line" on error. */
static char *readall(const char *s, char delim, int lines)
{
	struct csv_reader r;
	struct strbuf sb = STRBUF_INIT;
	int rc;

	csv_init(&r, s, strlen(s), delim);
	while ((rc = csv_next(&r)) == 1) {
		for (size_t i = 0; i < r.nfields; i++) {
			sb_addf(&sb, "%s%s", i ? "|" : "", r.fields[i]);
		}
		if (lines) {
			sb_addf(&sb, "@%zu", r.rec_line);
		}
		sb_addc(&sb, '/');
	}
	if (rc < 0) {
		sb_addf(&sb, "ERR:%s@%zu", r.err, r.err_line);
	}
	csv_release(&r);
	return sb_detach(&sb, NULL);
}

#define CHECK_CSV(in, delim, lines, want)                               \
	do {                                                            \
		char *got_ = readall(in, delim, lines);                 \
		CHECK_STR(got_, want);                                  \
		free(got_);                                             \
	} while (0)

void test_csv_read(void)
{
	/* Plain, LF and CRLF, with and without a final line end. */
	CHECK_CSV("a,b\n1,2\n", ',', 1, "a|b@1/1|2@2/");
	CHECK_CSV("a,b\r\n1,2", ',', 1, "a|b@1/1|2@2/");
	CHECK_CSV("a,b\r1,2\r", ',', 1, "a|b@1/1|2@2/");
	/* Empty fields, a trailing delimiter. */
	CHECK_CSV("a,,c,\n", ',', 0, "a||c|/");
	/* Quoted: delimiter, doubled quote, line breaks inside. */
	CHECK_CSV("id,t\n1,\"x, y\"\n2,\"say \"\"hi\"\"\"\n", ',', 1,
		  "id|t@1/1|x, y@2/2|say \"hi\"@3/");
	CHECK_CSV("id,t\n1,\"one\ntwo\r\nthree\"\n2,z\n", ',', 1,
		  "id|t@1/1|one\ntwo\nthree@2/2|z@5/");
	/* An empty quoted field, a quoted field alone on a line. */
	CHECK_CSV("\"\",\"\"\n\"\"\n", ',', 0, "|/" "/");
	/* Blank lines are skipped, and lines keep counting. */
	CHECK_CSV("a\n\n\nb\r\n\r\nc", ',', 1, "a@1/b@4/c@6/");
	/* Other delimiters; the comma is then plain text. */
	CHECK_CSV("a;b,c\n\"x;y\";z\n", ';', 0, "a|b,c/x;y|z/");
	CHECK_CSV("a\tb c\n\"1\t2\"\t3\n", '\t', 0, "a|b c/1\t2|3/");
	/* Spaces after a closing quote are ignored. */
	CHECK_CSV("\"a\"  ,b\n", ',', 0, "a|b/");
	/* Text after the closing quote on the same line: literal. */
	CHECK_CSV("\"5\" screen,b\n", ',', 0, "\"5\" screen|b/");
	/* A quote inside an unquoted field is literal. */
	CHECK_CSV("5\" screen,b\n", ',', 0, "5\" screen|b/");
	/* Hebrew and UTF-8 pass through. */
	CHECK_CSV("מגזר,תשובה\nמקומי,\"כן, בהחלט\"\n", ',', 0,
		  "מגזר|תשובה/מקומי|כן, בהחלט/");
	/* Empty input. */
	CHECK_CSV("", ',', 0, "");
	CHECK_CSV("\n\r\n", ',', 0, "");
}

void test_csv_errors(void)
{
	/* Unterminated quote: the line where the quote opened. */
	CHECK_CSV("a,b\n1,2\n3,\"open\nmore\nend\n", ',', 1,
		  "a|b@1/1|2@2/ERR:unterminated quoted field@3");
	CHECK_CSV("\"", ',', 0, "ERR:unterminated quoted field@1");
	/* Text after a closing quote once the field spans lines. */
	CHECK_CSV("a\n\"x\ny\" z\n", ',', 0,
		  "a/ERR:unexpected text after a closing quote@3");
}

void test_csv_detect(void)
{
	const char *semi = "id;text;n\n1;\"a, b, c\";2\n2;x,y;3\n";
	const char *tab = "id\ttext\n1\tyes, no; maybe\n";
	const char *comma = "id,text\n1,\"a; b\tc; d\"\n2,e\n";
	const char *quoted_delims = "id,t\n1,\"x;y;z;w\"\n";
	const char *one = "id\n1\n2\n";

	CHECK_INT(csv_detect(semi, strlen(semi)), ';');
	CHECK_INT(csv_detect(tab, strlen(tab)), '\t');
	CHECK_INT(csv_detect(comma, strlen(comma)), ',');
	CHECK_INT(csv_detect(quoted_delims, strlen(quoted_delims)), ',');
	CHECK_INT(csv_detect(one, strlen(one)), ',');
	CHECK_INT(csv_detect("", 0), ',');
	/* Ragged rows: the split that never exceeds the header wins. */
	CHECK_INT(csv_detect("a;b;c\n1;2\n1;2;3\n", 16), ';');
	CHECK_STR(csv_delim_name('\t'), "tab");
	CHECK_STR(csv_delim_name(';'), "';'");
}
