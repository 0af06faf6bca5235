/*
 * instream.c - input files as normalised UTF-8, piece by piece (see
 * instream.h).
 */
#include "instream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "forms.h"
#include "text.h"

size_t instream_default_piece = 65536;
/* Room kept before a piece for the undecoded end of the previous one. */
#define RAW_CARRY 16

/* Number of '\n' bytes in S[0..LEN). */
static size_t count_lines(const char *s, size_t len)
{
	size_t n = 0;
	const char *p, *end;

	if (len == 0) {
		return 0;
	}
	p = s;
	end = s + len;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/* Set IN up for PATH (the file, or the name of MEM) in ENCODING. */
static void setup(struct instream *in, const char *path,
		  const char *encoding, size_t piece, const char *mem,
		  size_t memlen)
{
	memset(in, 0, sizeof(*in));
	in->path = path;
	in->piece = piece ? piece : instream_default_piece;
	in->cd = (iconv_t)-1;
	in->encoding = "utf-8";
	sb_init(&in->pend);
	sha256_init(&in->sha);
	if (mem) {
		in->mem = mem;
		in->memlen = memlen;
	} else {
		in->fp = fopen(path, "rb");
		if (!in->fp) {
			die(QC_INPUT, "cannot read '%s': %s", path,
			    strerror(errno));
		}
	}
	if (encoding && strcasecmp(encoding, "utf-8") != 0 &&
	    strcasecmp(encoding, "utf8") != 0) {
		in->encoding = encoding;
		in->cd = iconv_open("UTF-8", encoding);
		if (in->cd == (iconv_t)-1) {
			die(QC_USAGE, "unknown encoding '%s' (try cp1255, "
				      "cp1256, cp1252, iso-8859-8, utf-16)",
			    encoding);
		}
		in->split_forms = strncasecmp(encoding, "utf", 3) != 0 &&
				  strncasecmp(encoding, "ucs", 3) != 0;
	}
	in->raw = xmalloc(in->piece + RAW_CARRY);
}

void instream_open(struct instream *in, const char *path,
		   const char *encoding, size_t piece)
{
	setup(in, path, encoding, piece, NULL, 0);
}

void instream_open_mem(struct instream *in, const char *name,
		       const char *data, size_t len, const char *encoding,
		       size_t piece)
{
	setup(in, name, encoding, piece, data ? data : "", len);
}

void instream_close(struct instream *in)
{
	if (in->fp) {
		fclose(in->fp);
	}
	if (in->cd != (iconv_t)-1) {
		iconv_close(in->cd);
	}
	free(in->raw);
	sb_release(&in->pend);
	memset(in, 0, sizeof(*in));
	in->cd = (iconv_t)-1;
}

/* Convert RAW[0..*LEFT) at *SRC onto PEND; returns what iconv returned
 * (errno set when it is (size_t)-1 for another reason than a full
 * output buffer). */
static size_t convert(struct instream *in, char **src, size_t *left)
{
	for (;;) {
		char chunk[16384];
		char *o = chunk;
		size_t ol = sizeof(chunk);
		size_t r = iconv(in->cd, src, left, &o, &ol);
		int e = errno;

		sb_add(&in->pend, chunk, sizeof(chunk) - ol);
		errno = e;
		if (r != (size_t)-1 || e != E2BIG) {
			return r;
		}
	}
}

/* Read the next piece of the file and append it, decoded, to PEND. */
static void decode_piece(struct instream *in)
{
	char *src = in->raw;
	size_t n, left, done;

	if (in->mem) {
		n = in->memlen - in->mempos < in->piece
			    ? in->memlen - in->mempos
			    : in->piece;
		memcpy(in->raw + in->nraw, in->mem + in->mempos, n);
		in->mempos += n;
	} else {
		n = fread(in->raw + in->nraw, 1, in->piece, in->fp);
	}
	if (n < in->piece) {
		if (in->fp && ferror(in->fp)) {
			die(QC_INPUT, "cannot read '%s': %s", in->path,
			    strerror(errno));
		}
		in->eof = 1;
	}
	in->nraw += n;
	in->consumed += n;
	if (in->cd == (iconv_t)-1) {
		sb_add(&in->pend, in->raw, in->nraw);
		in->nraw = 0;
		return;
	}
	left = in->nraw;
	if (convert(in, &src, &left) == (size_t)-1 &&
	    (errno != EINVAL || in->eof)) {
		size_t at = (size_t)(src - in->raw);

		/* The line: line ends decoded before the bad byte (raw
		 * bytes are no lines in UTF-16). */
		die(QC_INPUT,
		    "cannot read '%s' as %s at line %zu, byte %zu: %s",
		    in->path, in->encoding,
		    in->dec_lines + count_lines(in->pend.buf, in->pend.len) + 1,
		    in->raw_off + at,
		    errno == EINVAL ? "incomplete character at end"
				    : "invalid byte sequence");
	}
	/* An incomplete character waits for the next piece. */
	done = (size_t)(src - in->raw);
	in->raw_off += done;
	memmove(in->raw, src, left);
	in->nraw = left;
	if (in->nraw > RAW_CARRY) {
		die(QC_INPUT, "cannot read '%s' as %s at byte %zu: a character "
			      "longer than %d bytes",
		    in->path, in->encoding, in->raw_off, RAW_CARRY);
	}
	if (in->eof) {
		/* Flush: a stateful decoder (cp1255) holds back the last
		 * letter until it knows no point follows. */
		char chunk[64];
		char *o = chunk;
		size_t ol = sizeof(chunk);

		iconv(in->cd, NULL, NULL, &o, &ol);
		sb_add(&in->pend, chunk, sizeof(chunk) - ol);
	}
}

/* The length of the longest prefix of S[0..LEN) that does not end inside
 * a UTF-8 sequence (what is left waits for the next piece). */
static size_t complete_prefix(const char *s, size_t len)
{
	for (size_t k = 1; k <= 3 && k <= len; k++) {
		unsigned char b = (unsigned char)s[len - k];
		size_t need;

		if (b < 0x80) {
			return len;
		}
		if ((b & 0xC0) == 0x80) {
			continue;
		}
		need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
		return need > k ? len - k : len;
	}
	return len;
}

/* The canonical decomposition of Hebrew presentation form CP (a letter
 * with its points in one character, U+FB1D..U+FB4E) into OUT; returns
 * its length, or 0 when CP is not one.  Not the wide letters
 * U+FB20..U+FB29, whose decomposition is not canonical (and which no
 * code page's byte stands for). */
static size_t hebrew_form(uint32_t cp, uint32_t out[FORM_MAX])
{
	if (cp < 0xFB1D || cp > 0xFB4E || (cp >= 0xFB20 && cp <= 0xFB29)) {
		return 0;
	}
	return cp_form_letters(cp, out);
}

/* glibc's cp1255 decoder composes a letter and its points into a Hebrew
 * presentation form (U+FB1D..U+FB4E), a character no byte of an 8-bit
 * code page stands for; split such forms in the valid UTF-8 S[0..LEN)
 * back so the text holds what the file held (and keyword matching sees
 * plain letters and points).  Returns 0 when there is none, else 1 with
 * the result in OUT. */
static int split_forms(const char *s, size_t len, struct strbuf *out)
{
	size_t i = 0;

	if (!memmem(s, len, "\xEF\xAC", 2) && !memmem(s, len, "\xEF\xAD", 2)) {
		return 0;
	}
	while (i < len) {
		size_t at = i;
		uint32_t cp = utf8_next(s, len, &i), d[FORM_MAX];
		size_t n = hebrew_form(cp, d);

		if (!n) {
			sb_add(out, s + at, i - at);
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			char u[4];

			sb_add(out, u, utf8_encode(d[k], u));
		}
	}
	return 1;
}

/* Append the valid UTF-8 S[0..LEN) to OUT normalised: no BOM at the
 * start, LF for CRLF and CR; and hash it. */
static void emit(struct instream *in, const char *s, size_t len,
		 struct strbuf *out)
{
	struct strbuf forms = STRBUF_INIT;
	size_t i = 0, start = out->len;

	if (len == 0) {
		return;
	}
	if (in->split_forms && split_forms(s, len, &forms)) {
		s = forms.buf;
		len = forms.len;
	}
	if (!in->started) {
		in->started = 1;
		if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			i = 3;
		}
	}
	sb_grow(out, len - i);
	for (; i < len; i++) {
		char c = s[i];

		if (in->cr) {
			in->cr = 0;
			if (c == '\n') {
				continue;
			}
		}
		if (c == '\r') {
			c = '\n';
			in->cr = 1;
		}
		out->buf[out->len++] = c;
	}
	out->buf[out->len] = '\0';
	sha256_update(&in->sha, out->buf + start, out->len - start);
	sb_release(&forms);
}

/* Die: invalid UTF-8 at LINE and BYTE of a file read without
 * --encoding. */
static _Noreturn void bad_utf8(const struct instream *in, size_t line,
			       size_t byte)
{
	const unsigned char *b = (const unsigned char *)in->pend.buf;

	if (in->dec_off == 0 && in->pend.len >= 2 &&
	    ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
		die(QC_INPUT, "'%s' is UTF-16 (it starts with a UTF-16 "
			      "byte-order mark), not UTF-8; import it with "
			      "--encoding utf-16", in->path);
	}
	die(QC_INPUT, "invalid UTF-8 in '%s' at line %zu, byte %zu; name the "
		      "file's encoding with --encoding (e.g. cp1255 for "
		      "Hebrew, cp1256 for Arabic, cp1252 for Western)",
	    in->path, line, byte);
}

size_t instream_read(struct instream *in, struct strbuf *out)
{
	size_t before = out->len;

	while (out->len == before && !in->done) {
		struct utf8_error err;
		size_t cut;

		if (!in->eof) {
			decode_piece(in);
		}
		cut = in->eof ? in->pend.len
			      : complete_prefix(in->pend.buf, in->pend.len);
		if (!in->started && !in->eof && cut < 3) {
			continue; /* the BOM check needs three bytes */
		}
		if (utf8_validate(in->pend.buf, cut, &err) != 0) {
			if (in->cd == (iconv_t)-1) {
				bad_utf8(in, in->dec_lines + err.line,
					 in->dec_off + err.byte);
			}
			die(QC_INPUT, "'%s' holds a NUL or invalid character "
				      "after converting from %s, at line %zu",
			    in->path, in->encoding, in->dec_lines + err.line);
		}
		if (cut > 0) {
			emit(in, in->pend.buf, cut, out);
			in->dec_lines += count_lines(in->pend.buf, cut);
			in->dec_off += cut;
			memmove(in->pend.buf, in->pend.buf + cut,
				in->pend.len - cut);
			in->pend.len -= cut;
		}
		if (in->eof) {
			in->done = 1;
		}
	}
	return out->len - before;
}

void instream_sha256(struct instream *in, char hex[65])
{
	sha256_final_hex(&in->sha, hex);
}

char *instream_slurp(const char *path, const char *encoding, size_t *len,
		     char sha[65])
{
	struct instream in;

	instream_open(&in, path, encoding, 0);
	return instream_slurp_open(&in, len, sha);
}

char *instream_slurp_open(struct instream *in, size_t *len, char sha[65])
{
	struct strbuf sb = STRBUF_INIT;

	while (instream_read(in, &sb) > 0) {
		/* all of it */
	}
	instream_sha256(in, sha);
	instream_close(in);
	return sb_detach(&sb, len);
}
