/*
 * instream.h - an input file read piece by piece as normalised UTF-8:
 * decoded from --encoding with iconv (Hebrew presentation forms that
 * glibc's cp1255 composes are split back into letter and points),
 * validated, BOM removed, CRLF and CR turned into LF, and hashed
 * (SHA-256 of the normalised text).  Memory stays bounded by the piece
 * size whatever the file's size.  Every importer's text goes through
 * here, so the checks and their messages live in one place.
 */
#ifndef QCODE_INSTREAM_H
#define QCODE_INSTREAM_H

#include <iconv.h>
#include <stdio.h>

#include "sha256.h"
#include "util.h"

struct instream {
	const char *path;
	const char *encoding; /* "utf-8" or the --encoding name */
	FILE *fp;             /* NULL when reading MEM */
	const char *mem;      /* instream_open_mem: the bytes, */
	size_t memlen;        /* their length */
	size_t mempos;        /* and the next to read */
	iconv_t cd;           /* (iconv_t)-1 for UTF-8 input */
	int split_forms;      /* split Hebrew presentation forms */
	size_t piece;         /* bytes read from the file at a time */
	/* Raw bytes not yet decoded (an incomplete multibyte character). */
	char *raw;
	size_t nraw;
	size_t raw_off;       /* file offset of raw[0] */
	/* Decoded bytes not yet validated (an incomplete UTF-8 sequence). */
	struct strbuf pend;
	size_t dec_off;       /* decoded offset of pend.buf[0] */
	size_t dec_lines;     /* '\n' bytes decoded before pend.buf[0] */
	int started;          /* the BOM check is done */
	int cr;               /* the last byte given out ended a CR */
	size_t consumed;      /* bytes read from the file so far */
	int eof;              /* the file is read to its end */
	int done;             /* everything has been given out */
	struct sha256 sha;
};

/* The read size when a caller passes 0: 64 KiB.  The fuzz harnesses
 * (tests/fuzz/) make it small, so that their short inputs cross piece
 * boundaries as a large file does. */
extern size_t instream_default_piece;

/* Open PATH for reading as ENCODING (NULL, "utf-8" or "utf8": UTF-8).
 * PIECE is the read size (0: instream_default_piece).  Dies with QC_INPUT when the file
 * cannot be opened, QC_USAGE for an unknown encoding. */
void instream_open(struct instream *in, const char *path,
		   const char *encoding, size_t piece);
/* The same for the bytes DATA[0..LEN) (not copied; they must outlive
 * IN), named NAME in messages: a parser takes a buffer and a context
 * (the fuzz harnesses, tests/fuzz/). */
void instream_open_mem(struct instream *in, const char *name,
		       const char *data, size_t len, const char *encoding,
		       size_t piece);
/* Append the next piece of normalised text to OUT; returns the number
 * of bytes appended, 0 only at the end of the file.  Dies with QC_INPUT
 * naming the file, line and byte of invalid input. */
size_t instream_read(struct instream *in, struct strbuf *out);
/* After the end: the SHA-256 of all the text given out, as hex. */
void instream_sha256(struct instream *in, char hex[65]);
void instream_close(struct instream *in);

/* Read all of PATH as normalised text (the same checks); *SHA gets its
 * SHA-256.  Returns the text (caller frees) and its length in *LEN. */
char *instream_slurp(const char *path, const char *encoding, size_t *len,
		     char sha[65]);
/* The same for an opened stream, which it closes. */
char *instream_slurp_open(struct instream *in, size_t *len, char sha[65]);

#endif
