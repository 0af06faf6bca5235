/*
 * schema.h - the project file's schema and its forward migrations.
 */
#ifndef QCODE_SCHEMA_H
#define QCODE_SCHEMA_H

#include <stddef.h>

/* "QCOD": PRAGMA application_id of every qcode project. */
#define QCODE_APPLICATION_ID 0x51434F44

/* migrations[i], a NULL-terminated list of SQL statements, takes a
 * project from user_version i to i + 1. */
extern const char *const *const schema_migrations[];
extern const size_t schema_version; /* number of migrations */

/* Tables whose changes are recorded for undo, parents before children.
 * Every one has "id INTEGER PRIMARY KEY AUTOINCREMENT". */
/* The statement that creates the index codings_code. */
extern const char schema_codings_code_index[];
extern const char *const schema_tracked_tables[];
extern const size_t schema_ntracked;

#endif
