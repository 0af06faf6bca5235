/*
 * import_formats.h - the importers by format (import_formats.c): the
 * format table, detection, and importing one file with its importer.
 */
#ifndef QCODE_IMPORT_FORMATS_H
#define QCODE_IMPORT_FORMATS_H

#include "import.h"

struct import_format {
	const char *name;       /* "txt", "md", "vtt", "srt", "csv", ... */
	const char *extensions; /* space-separated: ".txt .text" */
	import_fn *fn;
	int binary;             /* raw bytes (zip containers): no decoding */
	int streamed;           /* the importer reads the file itself, piece
				 * by piece: import_path() only hashes it */
};

/* The format named NAME, or NULL. */
const struct import_format *import_format_by_name(const char *name);
/* The format for PATH from its extension, else from its content (the
 * first bytes of RAW), else plain text. */
const struct import_format *import_detect(const char *path, const char *raw,
					  size_t rawlen);
/* Comma-separated names of every format, for messages. */
const char *import_format_list(void);

/* Import one file: read, decode, detect, skip if its content is already
 * in the project (a notice), else run the importer.  Dies on bad input
 * (QC_INPUT) with the file and place named. */
void import_path(struct import_ctx *ic, const char *path);

#endif
