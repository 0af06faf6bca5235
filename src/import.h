/*
 * import.h - what every importer shares: reading and decoding an input
 * file to normalised UTF-8, and writing sources, documents, segments,
 * cases and attributes into the project.  One importer per format lives
 * in src/import_<format>.c and is listed in import.c's format table.
 */
#ifndef QCODE_IMPORT_H
#define QCODE_IMPORT_H

#include <stddef.h>

#include "progress.h"
#include "project.h"
#include "segment.h"

/* Options of 'qcode import' (cmd_import.c fills them). */
struct import_opts {
	const char *format;    /* --format, or NULL to detect */
	const char *encoding;  /* --encoding, or NULL for UTF-8 */
	const char *case_name; /* --case: the case of every document */
	const char *name;      /* --name: document name (one file only) */
	/* CSV / TSV surveys */
	char delimiter;        /* --delimiter, or 0 to detect */
	const char *id_column; /* --id-column, or NULL for the first;
				* "@row": cases named by row number */
	char **text_columns;   /* --text-columns, NULL-terminated */
	long skip_rows;        /* --skip-rows: rows skipped after the header */
	long header_rows;      /* --header-rows, or 0: one, or three for a
				* Qualtrics export (recognised) */
	const char *sheet;     /* --sheet of an .xlsx workbook, or NULL */
	char **missing;        /* --missing values, NULL-terminated */
};

/* One input file, decoded. */
struct import_file {
	const char *path;     /* as the user named it */
	const char *base;     /* file name without directories */
	char *raw;            /* the bytes as read */
	size_t rawlen;
	char *text;           /* UTF-8, BOM removed, CRLF -> LF */
	size_t len;
	char sha256[65];      /* of text (streamed tables: see table_key) */
	char text_sha[65];    /* streamed: of the text read by import_scan */
	const char *encoding; /* "utf-8" or --encoding */
	/* import_buffer: the file's bytes (not owned), read instead of
	 * PATH, which only names them; else NULL. */
	const char *data;
	size_t datalen;
};

/* Counts a command reports at the end. */
struct import_stats {
	size_t files, skipped, documents, segments, cases, attributes;
	size_t codes, codings, coders, memos; /* .qdpx */
};

/* The importer's working state: cached statements and the source row of
 * the file being imported. */
struct import_ctx {
	struct project *p;
	const struct import_opts *o;
	struct import_stats stats;
	long long source_id;
	void *stmts; /* cached prepared statements (import.c) */
	/* Progress in bytes over all the command's files (NULL: none):
	 * BYTES_DONE counts the files finished; a streamed importer adds
	 * what it has read of the current one. */
	struct progress *pg;
	size_t bytes_done;
	/* The GUID the documents inserted now get (.qdpx), or NULL. */
	const char *doc_guid;
};

typedef void import_fn(struct import_ctx *ic, struct import_file *f);

/* The importers (src/import_<format>.c). */
import_fn import_txt;
import_fn import_md;
import_fn import_vtt;
import_fn import_srt;
import_fn import_csv; /* survey exports, ',' ';' or tab detected */
import_fn import_tsv; /* tab-separated survey exports */
import_fn import_xlsx; /* Excel workbooks: a sheet as a survey export */

import_fn import_turns; /* tables of speaker turns (import_turns.c) */

/* 1 when the first row of TEXT[0..LEN) (the file PATH; DELIM 0:
 * detected, tab for .tsv) is the header of a table of turns: it names a
 * text column and a speaker or start column (import_turns.c).  When it
 * is and DESC is not NULL, *DESC is what the header reads as ("speaker
 * 'Participant', text 'Text'; columns ignored: Age"; caller frees),
 * else NULL. */
int import_turns_detect(const char *path, const char *text, size_t len,
			char delim, char **desc);

#define FMT_ZIP 2
struct import_format {
	const char *name;       /* "txt", "md", "vtt", "srt", "csv", ... */
	const char *extensions; /* space-separated: ".txt .text" */
	import_fn *fn;
	int binary;             /* raw bytes: no decoding; FMT_ZIP: a zip
				 * archive the importer reads entry by entry
				 * (import_open_zip), import_path() only
				 * hashes the file */
	int streamed;           /* the importer reads the file itself, piece
				 * by piece: import_path() only hashes it */
};

/* Importers (src/import_<format>.c). */
import_fn import_qdpx;
import_fn import_qde;
import_fn import_docx; /* Word transcripts (import_docx.c) */
import_fn import_odt;  /* OpenDocument text transcripts */

/* 'qcode attr import': the first column (or --id-column) names the case,
 * every other column is an attribute; cases are created as needed.
 * Returns the number of rows (cases) read.  Dies like the importers. */
size_t import_attr_table(struct import_ctx *ic, const char *path);

/* The format named NAME, or NULL. */
const struct import_format *import_format_by_name(const char *name);
/* The format for PATH from its extension, else from its content (the
 * first bytes of RAW), else plain text. */
const struct import_format *import_detect(const char *path, const char *raw,
					  size_t rawlen);
/* Comma-separated names of every format, for messages. */
const char *import_format_list(void);

void import_ctx_init(struct import_ctx *ic, struct project *p,
		     const struct import_opts *o);
void import_ctx_release(struct import_ctx *ic);

/* Import one file: read, decode, detect, skip if its content is already
 * in the project (a notice), else run the importer.  Dies on bad input
 * (QC_INPUT) with the file and place named. */
void import_path(struct import_ctx *ic, const char *path);

/* The same for the bytes DATA[0..LEN) (not copied: they must outlive
 * the import), named NAME in the project and in messages, whose
 * extension picks the format as a path's does.  The parsers take a
 * buffer and a context, not a path (the fuzz harnesses, tests/fuzz/). */
void import_buffer(struct import_ctx *ic, const char *name, const char *data,
		   size_t len);

/* Read PATH and decode it into F (UTF-8 validation, or iconv from
 * ENCODING).  Dies with QC_INPUT naming the file, line and byte. */
void import_read(struct import_file *f, const char *path,
		 const char *encoding, int binary);
/* The same for the bytes DATA[0..LEN) named NAME (kept in F->data). */
void import_read_mem(struct import_file *f, const char *name,
		     const char *data, size_t len, const char *encoding,
		     int binary);
/* Open IN on F's text: F->data when set, else the file F->path (a
 * streamed importer reads it piece by piece). */
struct instream;
void import_open_text(struct instream *in, const struct import_file *f,
		      const char *encoding);
/* Open RZ on F's zip archive: its bytes when they were read (F->raw) or
 * given (F->data), else the file, read entry by entry (never whole).
 * Returns 0, or -1 with *MSG (malloc'd). */
struct refi_zip;
int import_open_zip(struct refi_zip *rz, const struct import_file *f,
		    char **msg);
void import_file_release(struct import_file *f);

/* Store helpers.  Names are UTF-8; ids are row ids. */
long long import_case(struct import_ctx *ic, const char *name);
long long import_attribute(struct import_ctx *ic, const char *name);
void import_case_attr(struct import_ctx *ic, long long case_id,
		      const char *attr, const char *value);
/* The same with the attribute's id (from import_attribute()). */
void import_case_attr_id(struct import_ctx *ic, long long case_id,
			 long long attr_id, const char *value);
/* A document text this long or longer goes into its row with a small
 * page cache (the row's pages are written once). */
#define IMPORT_LARGE_TEXT ((size_t)1 << 20)
/* Insert a document (TEXT is normalised UTF-8); returns its id.  Dies
 * when NAME is taken. CASE_ID 0 means none; QUESTION may be NULL. */
long long import_document(struct import_ctx *ic, const char *name,
			  long long case_id, const char *question,
			  const char *format, const char *text, size_t len);
/* The same, but returns 0 (inserting nothing) when NAME is taken, for
 * importers that name the place in their own message. */
long long import_document_new(struct import_ctx *ic, const char *name,
			      long long case_id, const char *question,
			      const char *format, const char *text, size_t len);
/* Insert segment IDX of DOC: code points [START, END); times in ms or
 * -1 when unknown; SPEAKER may be NULL. */
void import_segment(struct import_ctx *ic, long long doc, long idx,
		    size_t start, size_t end, const char *kind,
		    const char *speaker, long long t0, long long t1);
/* Insert the segments S of DOC, whose offsets are bytes of TEXT[0..LEN),
 * as code points, numbered from 1 in order. */
void import_segments(struct import_ctx *ic, long long doc, const char *text,
		     size_t len, const struct segments *s);
/* The document name for F: --name, else the file's base name. */
const char *import_doc_name(struct import_ctx *ic, const struct import_file *f);
/* The case id for --case (created when new), or 0 without --case. */
long long import_doc_case(struct import_ctx *ic);

#endif
