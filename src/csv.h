/*
 * csv.h - an RFC 4180 reader over text in memory: quoted fields holding
 * delimiters, doubled quotes and line breaks; CRLF, LF or CR line ends.
 * It streams record by record and tells the 1-based line where each
 * record starts, and it detects the delimiter (',' ';' or tab).
 *
 * Leniencies, for files people have edited by hand: blank lines are
 * skipped; spaces after a closing quote are ignored; a field that starts
 * with a quote but has text after the closing quote on the same line
 * ("5" screen) is read literally, as if it were not quoted.
 */
#ifndef QCODE_CSV_H
#define QCODE_CSV_H

#include <stddef.h>

#include "instream.h"
#include "util.h"

/* A reader.  FIELDS point into the reader's buffer and stay valid until
 * the next csv_next(); they are NUL-terminated and may be modified. */
struct csv_reader {
	const char *s;      /* the text (not owned) */
	size_t len;
	size_t pos;         /* next byte to read */
	size_t line;        /* line of pos, 1-based */
	char delim;
	/* The current record. */
	size_t nfields;
	char **fields;
	size_t rec_line;    /* line where the record starts */
	/* After csv_next() returned -1: what went wrong, and where. */
	const char *err;
	size_t err_line;
	/* Internal. */
	struct strbuf buf;
	size_t *offs;
	size_t cap;
	struct instream *in;  /* csv_init_stream(): where the text comes from */
	struct strbuf win;    /* the text read from IN and not yet parsed */
	int in_end;           /* IN has given all its text */
};

/* The most text one record (row) may hold when read from a stream:
 * memory stays bounded even when a quote is never closed. */
#define CSV_RECORD_MAX ((size_t)16 << 20)
#define CSV_RECORD_MAX_NAME "16 MiB"


/* Start reading S[0..LEN) with delimiter DELIM.  Release with
 * csv_release(). */
void csv_init(struct csv_reader *r, const char *s, size_t len, char delim);
void csv_release(struct csv_reader *r);
/* Start reading the text of IN (not owned), piece by piece: memory holds
 * a window of the file, not all of it.  DELIM 0 detects the delimiter
 * from the start of the file (csv_detect()); R->delim tells it. */
void csv_init_stream(struct csv_reader *r, struct instream *in, char delim);

/* Read the next record: 1 when there is one (nfields >= 1), 0 at the end,
 * -1 on a broken record (R->err and R->err_line say why and where; the
 * reader must not be used further). */
int csv_next(struct csv_reader *r);

/* On a stream, csv_next() fails when a record grows past CSV_RECORD_MAX
 * (R->err is then one of these two, R->err_line the line where the
 * unclosed quoted field, or the record, starts). */
extern const char csv_err_open_quote[];
extern const char csv_err_long_record[];

/* Exit with QC_INPUT and the message of the failed csv_next() of R on
 * the file PATH. */
_Noreturn void csv_die(const struct csv_reader *r, const char *path);

/* The delimiter of S[0..LEN): the one of ',' ';' '\t' that splits the
 * header and the first records into the same number of fields (quotes
 * respected), preferring more fields; ',' when nothing splits. */
char csv_detect(const char *s, size_t len);

/* A printable name for DELIM: "','", "';'", "tab". */
const char *csv_delim_name(char delim);

#endif
