/*
 * csv.c - the RFC 4180 reader and delimiter detection (see csv.h).
 */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

/* The one error that more text can mend: the file may go on. */
static const char unterminated[] = "unterminated quoted field";

const char csv_err_open_quote[] = "quoted field not closed within "
				  CSV_RECORD_MAX_NAME;
const char csv_err_long_record[] = "record longer than "
				   CSV_RECORD_MAX_NAME;

void csv_init(struct csv_reader *r, const char *s, size_t len, char delim)
{
	memset(r, 0, sizeof(*r));
	r->s = s;
	r->len = len;
	r->line = 1;
	r->delim = delim;
	sb_init(&r->buf);
}

void csv_release(struct csv_reader *r)
{
	sb_release(&r->buf);
	sb_release(&r->win);
	free(r->offs);
	free(r->fields);
	memset(r, 0, sizeof(*r));
}

/* Remember that a field starts at byte OFF of the buffer. */
static void push_field(struct csv_reader *r, size_t off)
{
	if (r->nfields == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->offs = xrealloc(r->offs, r->cap * sizeof(*r->offs));
		r->fields = xrealloc(r->fields, r->cap * sizeof(*r->fields));
	}
	r->offs[r->nfields++] = off;
}

/* Consume a line end at pos (CRLF, LF or CR), if there is one. */
static int eat_newline(struct csv_reader *r)
{
	if (r->pos < r->len && r->s[r->pos] == '\r') {
		r->pos++;
		if (r->pos < r->len && r->s[r->pos] == '\n') {
			r->pos++;
		}
		r->line++;
		return 1;
	}
	if (r->pos < r->len && r->s[r->pos] == '\n') {
		r->pos++;
		r->line++;
		return 1;
	}
	return 0;
}

/* Read an unquoted field up to the delimiter or the line end. */
static void read_plain(struct csv_reader *r)
{
	size_t b = r->pos;

	while (r->pos < r->len) {
		char c = r->s[r->pos];

		if (c == r->delim || c == '\n' || c == '\r') {
			break;
		}
		r->pos++;
	}
	sb_add(&r->buf, r->s + b, r->pos - b);
}

/* Read a quoted field starting at the opening quote.  Returns 0, 1 when
 * it must be re-read literally, -1 on error. */
static int read_quoted(struct csv_reader *r)
{
	size_t qline = r->line;
	int broke = 0;
	size_t p;

	r->pos++;
	for (;;) {
		const char *q;
		size_t b = r->pos;

		if (r->pos >= r->len) {
			r->err = unterminated;
			r->err_line = qline;
			return -1;
		}
		q = memchr(r->s + r->pos, '"', r->len - r->pos);
		if (!q) {
			r->err = unterminated;
			r->err_line = qline;
			return -1;
		}
		/* Copy up to the quote, turning CRLF and CR into LF. */
		for (size_t i = b; i < (size_t)(q - r->s); i++) {
			char c = r->s[i];

			if (c == '\r') {
				if (i + 1 < r->len && r->s[i + 1] == '\n') {
					continue;
				}
				c = '\n';
			}
			if (c == '\n') {
				r->line++;
				broke = 1;
			}
			sb_addc(&r->buf, c);
		}
		r->pos = (size_t)(q - r->s) + 1;
		if (r->pos < r->len && r->s[r->pos] == '"') {
			sb_addc(&r->buf, '"');
			r->pos++;
			continue;
		}
		break;
	}
	/* After the closing quote: spaces, then a delimiter or line end. */
	p = r->pos;
	while (p < r->len && r->s[p] != r->delim &&
	       (r->s[p] == ' ' || r->s[p] == '\t')) {
		p++;
	}
	if (p >= r->len || r->s[p] == r->delim || r->s[p] == '\n' ||
	    r->s[p] == '\r') {
		r->pos = p;
		return 0;
	}
	if (broke) {
		r->err = "unexpected text after a closing quote";
		r->err_line = r->line;
		return -1;
	}
	return 1;
}

/* Read the next record from S[0..LEN) (see csv_next()). */
static int next_record(struct csv_reader *r)
{
	sb_reset(&r->buf);
	r->nfields = 0;
	while (eat_newline(r)) {
		/* blank lines */
	}
	if (r->pos >= r->len) {
		return 0;
	}
	r->rec_line = r->line;
	for (;;) {
		size_t start = r->pos, line = r->line, off = r->buf.len;

		push_field(r, off);
		if (r->pos < r->len && r->s[r->pos] == '"') {
			int rc = read_quoted(r);

			if (rc < 0) {
				return -1;
			}
			if (rc == 1) {
				/* Text after the quote: read it literally. */
				r->buf.len = off;
				r->pos = start;
				r->line = line;
				read_plain(r);
			}
		} else {
			read_plain(r);
		}
		sb_addc(&r->buf, '\0');
		if (r->pos < r->len && r->s[r->pos] == r->delim) {
			r->pos++;
			continue;
		}
		eat_newline(r);
		break;
	}
	for (size_t i = 0; i < r->nfields; i++) {
		r->fields[i] = r->buf.buf + r->offs[i];
	}
	return 1;
}

/* Drop the window's text before POS and read from IN until the window
 * holds at least WANT bytes (or IN ends). */
static void refill(struct csv_reader *r, size_t want)
{
	size_t keep = r->win.len - r->pos;

	if (r->pos > 0 && keep > 0) {
		memmove(r->win.buf, r->win.buf + r->pos, keep);
	}
	r->win.len = keep;
	r->pos = 0;
	do {
		if (instream_read(r->in, &r->win) == 0) {
			r->in_end = 1;
		}
	} while (!r->in_end && r->win.len < want);
	r->s = r->win.buf;
	r->len = r->win.len;
}

int csv_next(struct csv_reader *r)
{
	for (;;) {
		size_t pos = r->pos, line = r->line;
		int rc = next_record(r);

		if (!r->in || r->in_end ||
		    (r->pos < r->len && !(rc < 0 && r->err == unterminated))) {
			return rc;
		}
		/* A record that is still not complete after CSV_RECORD_MAX
		 * bytes is refused: most likely a quote that is never
		 * closed, which would else take the rest of the file. */
		if (r->len - pos > CSV_RECORD_MAX) {
			if (rc < 0 && r->err == unterminated) {
				/* err_line: where the quote opened */
				r->err = csv_err_open_quote;
			} else {
				r->err = csv_err_long_record;
				r->err_line = r->rec_line;
			}
			return -1;
		}
		/* The record may go on in the next piece of the file: read
		 * it again with twice its text so far in the window (a long
		 * record is read again a logarithmic number of times), up to
		 * one byte over the limit. */
		r->pos = pos;
		r->line = line;
		{
			size_t want = 2 * (r->len - pos) + 1;

			if (want > CSV_RECORD_MAX + 1) {
				want = CSV_RECORD_MAX + 1;
			}
			refill(r, want);
		}
	}
}

void csv_die(const struct csv_reader *r, const char *path)
{
	if (r->err == csv_err_open_quote) {
		die(QC_INPUT, "a quoted field opened at line %zu of '%s' is not "
			      "closed within %s (an unterminated quote?)",
		    r->err_line, path, CSV_RECORD_MAX_NAME);
	}
	if (r->err == csv_err_long_record) {
		die(QC_INPUT, "the record at line %zu of '%s' is longer than %s "
			      "(a row may hold at most that much text)",
		    r->err_line, path, CSV_RECORD_MAX_NAME);
	}
	die(QC_INPUT, "%s in '%s' at line %zu", r->err, path, r->err_line);
}

/* Bytes read before the delimiter is detected on a stream. */
#define DETECT_BYTES (1 << 20)

void csv_init_stream(struct csv_reader *r, struct instream *in, char delim)
{
	csv_init(r, NULL, 0, delim);
	r->in = in;
	sb_init(&r->win);
	/* The start of the file, and at least its first line. */
	refill(r, DETECT_BYTES);
	while (!r->in_end && !memchr(r->s, '\n', r->len)) {
		refill(r, 2 * r->len);
	}
	if (!delim) {
		size_t n = r->len;
		const char *nl;

		/* Whole lines only, unless that is the whole file. */
		if (!r->in_end && (nl = memrchr(r->s, '\n', n)) != NULL) {
			n = (size_t)(nl - r->s) + 1;
		}
		r->delim = csv_detect(r->s, n);
	}
}

/* How well DELIM splits the start of S: the header's field count when
 * every sampled record has that many fields, else 0; *LOOSE gets the
 * header's count when no record has more fields than the header. */
static size_t score(const char *s, size_t len, char delim, size_t *loose)
{
	struct csv_reader r;
	size_t header = 0, n = 0;
	int consistent = 1, fits = 1;

	csv_init(&r, s, len, delim);
	while (n < 50) {
		int rc = csv_next(&r);

		if (rc < 0 && r.err == unterminated) {
			break; /* the sample ends inside a quoted field */
		}
		if (rc < 0) {
			consistent = fits = 0;
			break;
		}
		if (rc == 0) {
			break;
		}
		if (n == 0) {
			header = r.nfields;
		} else if (r.nfields != header) {
			consistent = 0;
			if (r.nfields > header) {
				fits = 0;
			}
		}
		n++;
	}
	csv_release(&r);
	*loose = fits && header > 1 ? header : 0;
	return consistent && header > 1 ? header : 0;
}

char csv_detect(const char *s, size_t len)
{
	static const char cand[] = { ',', ';', '\t' };
	size_t best = 0, best_loose = 0;
	char pick = 0, pick_loose = 0;

	for (size_t i = 0; i < sizeof(cand); i++) {
		size_t loose, sc = score(s, len, cand[i], &loose);

		if (sc > best) {
			best = sc;
			pick = cand[i];
		}
		if (loose > best_loose) {
			best_loose = loose;
			pick_loose = cand[i];
		}
	}
	if (pick) {
		return pick;
	}
	return pick_loose ? pick_loose : ',';
}

const char *csv_delim_name(char delim)
{
	switch (delim) {
	case ',':
		return "','";
	case ';':
		return "';'";
	case '\t':
		return "tab";
	case '|':
		return "'|'";
	default:
		return "the given delimiter";
	}
}
