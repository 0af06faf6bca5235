/*
 * commands.h - one entry point per command, each in src/cmd_<name>.c,
 * listed in main.c's command table with what it needs of the project.
 * A command parses its options with cli_getopt(), which opens the
 * project into ctx->proj at their end (cli.h); it returns an exit code
 * (enum qc_exit), and main() checks the output, then commits the
 * project transaction when it returned QC_OK and rolls back otherwise.
 */
#ifndef QCODE_COMMANDS_H
#define QCODE_COMMANDS_H

#include "cli.h"

typedef int cmd_fn(struct cmd_ctx *ctx, int argc, char **argv);

cmd_fn cmd_init;
cmd_fn cmd_info;
cmd_fn cmd_undo;
cmd_fn cmd_history;
cmd_fn cmd_import;
cmd_fn cmd_autocode;
cmd_fn cmd_review;
cmd_fn cmd_docs;
cmd_fn cmd_show;
cmd_fn cmd_count;
cmd_fn cmd_cooccur;
cmd_fn cmd_code;
cmd_fn cmd_codings;
cmd_fn cmd_quotes;
cmd_fn cmd_codebook;
cmd_fn cmd_report;
cmd_fn cmd_cases;
cmd_fn cmd_questions;
cmd_fn cmd_attr;
cmd_fn cmd_export;
cmd_fn cmd_validate;
cmd_fn cmd_speakers;
cmd_fn cmd_agree;
cmd_fn cmd_serve;
cmd_fn cmd_merge;
cmd_fn cmd_consensus;
cmd_fn cmd_codings_import; /* 'codings import', from cmd_codings */
/* Its synopsis line (after "usage: " or its indent), in both helps. */
#define CODINGS_IMPORT_SYNOPSIS "qcode codings import [OPTIONS] FILE.csv\n"
/* 'codebook rename' and 'codebook merge', from cmd_codebook */
cmd_fn cmd_codebook_rename;
cmd_fn cmd_codebook_merge;
#define CODEBOOK_RENAME_SYNOPSIS                                        \
	"qcode codebook rename [--create-codes] [--dry-run] OLD NEW\n"
#define CODEBOOK_MERGE_SYNOPSIS "qcode codebook merge [--dry-run] FROM INTO\n"

#endif
