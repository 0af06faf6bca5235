/*
 * codings_import.h - the engine of 'qcode codings import'
 * (codings_import.c): codings read from a CSV file, checked, written.
 */
#ifndef QCODE_CODINGS_IMPORT_H
#define QCODE_CODINGS_IMPORT_H

#include <stddef.h>

#include "project.h"

/* What 'qcode codings import' was asked (cmd_codings_import.c). */
struct ci_opts {
	int wide, create, strict;
	const char *question, *id_column, *code_column, *coder, *encoding;
	const char *text_column;
	char **code_columns, **skip_codes;
	char *tag_sep;      /* trimmed; NULL: not given ('/') */
	char delimiter;
	/* coder: of the rows that name none; the command gives the default
	 * (cli_coder: --coder, $QCODE_CODER, the login); NULL: "unknown". */
	/* The file's bytes, read instead of the path, which names them
	 * (the fuzz harness); NULL: read the file. */
	const char *data;
	size_t datalen;
};

/* Import the codings of the CSV file PATH (or of O->data, named PATH)
 * into P, inside the caller's transaction: every row is read and checked
 * first, so bad input dies (QC_INPUT, naming file and line) before
 * anything is written; prints what it added. */
void import_codings(struct project *p, const struct ci_opts *o,
		    const char *path);

#endif
