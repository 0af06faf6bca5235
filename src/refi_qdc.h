/*
 * refi_qdc.h - REFI-QDA codebooks (.qdc): reading one into the codebook
 * model (struct codebook, codebook.h) plus its Sets, and writing the
 * project's codebook and code groups as one.  Nesting, descriptions (with
 * qcode's rules in a marked block, refi_rules.h), colours, isCodable and
 * Sets survive a round trip; GUIDs are kept, or derived as the .qdpx
 * export derives them, so a codebook and a project agree.
 */
#ifndef QCODE_REFI_QDC_H
#define QCODE_REFI_QDC_H

#include <stdio.h>

#include "codebook.h"
#include "project.h"

/* A code group (a REFI Set of codes): its members by code path. */
struct refi_set {
	char guid[37];
	char *name;
	char *description; /* or NULL */
	char **members;    /* code paths, NULL-terminated */
	size_t line;
};

struct refi_sets {
	struct refi_set *v;
	size_t n, cap;
};

void refi_sets_init(struct refi_sets *s);
void refi_sets_release(struct refi_sets *s);

/* Read the .qdc at PATH into CB (initialised, empty) and SETS
 * (initialised, empty), checked with codebook_validate.  Namespace
 * variants, brace or upper-case GUIDs, empty containers and colours with
 * an alpha channel are accepted.  Returns 0, or -1 with ERR filled. */
int refi_qdc_read(struct codebook *cb, struct refi_sets *sets,
		  const char *path, struct cb_error *err);
/* The same for the .qdc text BUF[0..LEN) named PATH in messages (the
 * fuzzing harness's entry point). */
int refi_qdc_parse(struct codebook *cb, struct refi_sets *sets,
		   const char *path, const char *buf, size_t len,
		   struct cb_error *err);

/* Write CB and SETS as a .qdc to OUT (no BOM; the same input gives the
 * same bytes). */
void refi_qdc_write(const struct codebook *cb, const struct refi_sets *sets,
		    FILE *out);

/* The project's code groups, by id, with their members in codebook
 * order. */
void refi_sets_read_db(struct project *p, struct refi_sets *sets);

/* Add or update the project's code groups to those of SETS (by GUID,
 * else name); groups SETS lacks stay.  Every member path must be a code
 * of the project.  Writes a line per group added or changed to REPORT
 * (may be NULL); returns their number. */
size_t refi_sets_apply(struct project *p, const struct refi_sets *sets,
		       FILE *report);

#endif
