/*
 * refi_validate.h - checking a REFI-QDA file: the schema (Project.xsd or
 * Codebook.xsd, loaded from disk) and what the schema cannot see: every
 * GUID referenced names an element of the right kind, GUIDs are unique,
 * sources named internal:// are in the archive and are UTF-8, selections
 * lie within their sources (counted as the writing tool counts), and the
 * namespace is exactly the 1.0 one.
 */
#ifndef QCODE_REFI_VALIDATE_H
#define QCODE_REFI_VALIDATE_H

#include "xml.h"

/*
 * The folder holding Project.xsd and Codebook.xsd: OPT (--schema-dir),
 * else $QCODE_SCHEMA_DIR, else the installed share folder, else
 * ../share/qcode/refi or ../../shared/refi/schemas beside the qcode
 * executable.  Returns it (malloc'd), or NULL with *WHY (malloc'd).
 */
char *refi_schema_dir(const char *opt, char **why);

/* Check the .qdpx, .qde or .qdc at PATH against the schemas in
 * SCHEMA_DIR, adding every problem to PS with its place.  Returns 0, or
 * -1 with *MSG (malloc'd) when PATH cannot be read at all. */
int refi_validate(const char *path, const char *schema_dir,
		  struct refi_problems *ps, char **msg);

#endif
