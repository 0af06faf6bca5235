/*
 * codebook_formats.h - the codebook file formats, in one table: the
 * Markdown codebook (codebook_md.c), the CSV and JSON of 'codebook
 * export' (codebook_in.c, codebook_out.c) and REFI-QDA .qdc (refi_qdc.c).
 * 'codebook load', 'codebook export' and 'autocode --codebook' pick a
 * format here, by name or by a file's extension, and read or write
 * through it.
 */
#ifndef QCODE_CODEBOOK_FORMATS_H
#define QCODE_CODEBOOK_FORMATS_H

#include <stdio.h>

#include "codebook.h"
#include "refi_qdc.h"

struct codebook_format {
	const char *name;               /* --format: md, csv, json, qdc */
	const char *const *extensions;  /* with the dot; NULL-terminated */
	int markup;                     /* written text begins with '<' */
	int groups;                     /* carries code groups (SETS) */
	/* Read PATH into CB and SETS (initialised, empty; formats without
	 * groups leave SETS empty).  0, or -1 with ERR filled. */
	int (*read)(struct codebook *cb, struct refi_sets *sets,
		    const char *path, struct cb_error *err);
	/* The same for a file's bytes DATA[0..LEN), named NAME in
	 * messages (the fuzz harnesses, tests/fuzz/). */
	int (*read_mem)(struct codebook *cb, struct refi_sets *sets,
			const char *name, const char *data, size_t len,
			struct cb_error *err);
	void (*write)(const struct codebook *cb,
		      const struct refi_sets *sets, FILE *out);
};

/* The format called NAME, or NULL. */
const struct codebook_format *codebook_format_named(const char *name);
/* The format of PATH by its extension (any case), or NULL. */
const struct codebook_format *codebook_format_of(const char *path);
/* The extension of PATH including the dot, or "". */
const char *path_extension(const char *path);

/* Read the codebook FILE in format FMT (NULL: by FILE's extension) into
 * CB and SETS (initialised, empty).  Dies with QC_INPUT (CB and SETS
 * released) when the format is unknown or the file is bad. */
void codebook_format_read(const struct codebook_format *fmt,
			  const char *file, struct codebook *cb,
			  struct refi_sets *sets);

#endif
