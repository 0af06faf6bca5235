/*
 * test_instream.c - reading files piece by piece: the text, its hash and
 * the CSV records must not depend on where the pieces break (inside a
 * UTF-8 sequence, between CR and LF, inside a quoted field, in a BOM).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "csv.h"
#include "instream.h"
#include "sha256.h"
#include "unit.h"

/* Write LEN bytes of S to a new temporary file; returns its path
 * (caller frees and removes). */
static char *temp_file(const char *s, size_t len)
{
	char *path = xstrdup("/tmp/qcode-unit.XXXXXX");
	int fd = mkstemp(path);
	FILE *fp = fd >= 0 ? fdopen(fd, "wb") : NULL;

	if (!fp || fwrite(s, 1, len, fp) != len || fclose(fp) != 0) {
		printf("  cannot write %s\n", path);
		unit_failures++;
	}
	return path;
}

/* PATH read in pieces of PIECE bytes: the text (caller frees), its
 * length in *LEN and hash in SHA. */
static char *read_pieces(const char *path, const char *enc, size_t piece,
			 size_t *len, char sha[65])
{
	struct instream in;
	struct strbuf sb = STRBUF_INIT;

	instream_open(&in, path, enc, piece);
	while (instream_read(&in, &sb) > 0) {
		/* all */
	}
	instream_sha256(&in, sha);
	instream_close(&in);
	return sb_detach(&sb, len);
}

void test_instream_pieces(void)
{
	/* BOM, CRLF, a lone CR, Hebrew with points, Arabic, an emoji. */
	static const char utf8[] =
		"\xEF\xBB\xBF" "a\r\nשָׁלוֹם\rمرحبا\r\n\xF0\x9F\x98\x80 end\r";
	static const char want[] = "a\nשָׁלוֹם\nمرحبا\n\xF0\x9F\x98\x80 end\n";
	/* cp1255: alef, shin + shin dot + qamats (glibc composes the
	 * first two into U+FB2A, which must come back apart), CRLF. */
	static const char cp[] = "\xE0\xF9\xD1\xC8\r\n\xE1";
	static const char cp_want[] = "א" "ש\xD7\x81\xD6\xB8" "\n" "ב";
	char *p = temp_file(utf8, sizeof(utf8) - 1);
	char *q = temp_file(cp, sizeof(cp) - 1);
	char whole[65], sha[65];

	sha256_hex(want, sizeof(want) - 1, whole);
	for (size_t piece = 1; piece <= 9; piece++) {
		size_t len;
		char *t = read_pieces(p, NULL, piece, &len, sha);

		CHECK_STR(t, want);
		CHECK_INT(len, sizeof(want) - 1);
		CHECK_STR(sha, whole);
		free(t);
		t = read_pieces(q, "cp1255", piece, &len, sha);
		CHECK_STR(t, cp_want);
		free(t);
	}
	remove(p);
	remove(q);
	free(p);
	free(q);
}

/* The records of a CSV reader as "a|b/c|d/..." with each record's line. */
static char *records(struct csv_reader *r)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	while ((rc = csv_next(r)) == 1) {
		for (size_t i = 0; i < r->nfields; i++) {
			sb_addf(&sb, "%s%s", i ? "|" : "", r->fields[i]);
		}
		sb_addf(&sb, "@%zu/", r->rec_line);
	}
	if (rc < 0) {
		sb_addf(&sb, "ERR:%s@%zu", r->err, r->err_line);
	}
	return sb_detach(&sb, NULL);
}

/* FILE parsed whole and in pieces of each size in PIECES: the same
 * records, the same lines, the same delimiter. */
static void same_records(const char *path, const size_t *pieces, size_t n)
{
	struct csv_reader r;
	size_t len;
	char sha[65];
	char *text = read_pieces(path, NULL, 0, &len, sha);
	char delim = csv_detect(text, len);
	char *want;

	csv_init(&r, text, len, delim);
	want = records(&r);
	csv_release(&r);
	CHECK(strlen(want) > 0);
	for (size_t k = 0; k < n; k++) {
		struct instream in;
		char *got;

		instream_open(&in, path, NULL, pieces[k]);
		csv_init_stream(&r, &in, 0);
		CHECK_INT(r.delim, delim);
		got = records(&r);
		if (strcmp(got, want) != 0) {
			printf("  %s: pieces of %zu differ\n", path, pieces[k]);
			unit_failures++;
		}
		free(got);
		csv_release(&r);
		instream_close(&in);
	}
	free(want);
	free(text);
}

void test_csv_stream(void)
{
	/* Quoted fields with delimiters, doubled quotes, CRLF and LF inside,
	 * blank lines, a quote closing at the very end. */
	static const char s[] =
		"id;text;n\r\n1;\"a;b\r\nc \"\"q\"\"\";2\r\n\r\n"
		"2;plain ;\"x\ny\"\n3;\"5\" screen;4\n4;\"end\"";
	static const size_t small[] = { 1, 2, 3, 4, 5, 7, 11 };
	static const size_t big[] = { 7, 61, 4096 };
	const char *shared = getenv("SHARED");
	char *p = temp_file(s, sizeof(s) - 1);

	same_records(p, small, sizeof(small) / sizeof(small[0]));
	remove(p);
	free(p);
	/* A real export: 488 respondents, ';', quoted multi-line answers;
	 * skipped (with a note) without the shared data. */
	p = xasprintf("%s/fixtures/napire2018/napire_truth.csv",
		      shared ? shared : "../shared");
	if (access(p, R_OK) != 0) {
		printf("  skipped the napire export: no '%s' (the shared data; "
		       "set SHARED=DIR)\n", p);
		free(p);
		return;
	}
	same_records(p, big, sizeof(big) / sizeof(big[0]));
	free(p);
}

/* A stream of "id,text\n1,ok\n2,\"" then FILL bytes of text (lines of
 * 'x'), then CLOSE (or nothing), then "\n3,after\n": csv_next() results
 * in order into GOT (e.g. "11-" for two records and an error). */
static void stream_limit(size_t fill, const char *close, char *got,
			 struct csv_reader *r)
{
	struct strbuf sb = STRBUF_INIT;
	struct instream in;
	char *p;
	int rc, k = 0;

	sb_add(&sb, "id,text\n1,ok\n2,\"", 16);
	while (sb.len < 16 + fill) {
		size_t n = 16 + fill - sb.len < 64 ? 16 + fill - sb.len : 64;

		for (size_t i = 0; i + 1 < n; i++) {
			sb_addc(&sb, 'x');
		}
		sb_addc(&sb, '\n');
	}
	sb_addf(&sb, "%s\n3,after\n", close);
	p = temp_file(sb.buf, sb.len);
	sb_release(&sb);
	instream_open(&in, p, NULL, 0);
	csv_init_stream(r, &in, ',');
	do {
		rc = csv_next(r);
		got[k++] = rc == 1 ? '1' : rc == 0 ? '0' : '-';
	} while (rc == 1 && k < 8);
	got[k] = '\0';
	instream_close(&in);
	remove(p);
	free(p);
}

void test_csv_stream_limit(void)
{
	struct csv_reader r;
	char got[16];

	/* A quoted field just under the limit is read whole. */
	stream_limit(CSV_RECORD_MAX - 64, "\"", got, &r);
	CHECK_STR(got, "11110");
	csv_release(&r);
	/* One never closed is refused once the record passes the limit,
	 * with the line where the quote opened. */
	stream_limit(CSV_RECORD_MAX + 4096, "", got, &r);
	CHECK_STR(got, "11-");
	CHECK(r.err == csv_err_open_quote);
	CHECK_INT(r.err_line, 3);
	csv_release(&r);
}
