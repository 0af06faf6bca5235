/*
 * speaker.h - comparing speaker names, and speaker aliases.
 *
 * Two spellings name one speaker when their keys are equal: the key of
 * a name is the name with letters case-folded (Latin, Greek, Cyrillic;
 * Hebrew and Arabic have no case) and white space, invisible direction
 * marks and the marks keyword matching ignores (niqqud, harakat,
 * tatweel) left out.  So `Interviewer1`, `Interviewer 1` and
 * `interviewer1` are one speaker; `Interviewer` is another, unless an
 * alias (`qcode speakers alias`) merges them.
 *
 * Documents are immutable: segments keep the speaker as it was
 * imported.  The table speaker_aliases maps the key of a spelling
 * (column alias) to the name every command shows and filters by
 * (column speaker).  An alias's name is never itself an alias (adding
 * one repoints the aliases that named it).
 */
#ifndef QCODE_SPEAKER_H
#define QCODE_SPEAKER_H

#include <sqlite3.h>
#include <stdint.h>

#include "project.h"

/* Whether a key leaves CP out: white space, invisible format
 * characters (direction marks, embeddings and isolates U+202A-U+202E,
 * U+2066-U+2069, U+061C, zero-width joiners, BOM) and the marks
 * keyword matching ignores. */
int speaker_ignored_cp(uint32_t cp);

/* The key of NAME (see above), a new string the caller frees.  NULL for
 * NULL. */
char *speaker_key(const char *name);

/* 1 when A and B name one speaker by their keys (no aliases); two NULLs
 * are the same, a NULL and a name are not. */
int speaker_same(const char *a, const char *b);

/* Register the SQL function speaker_key(s) on DB (deterministic; NULL
 * for NULL).  project.c calls it for every connection. */
void speaker_sql_register(sqlite3 *db);

/* An SQL expression for the name commands show for the speaker in the
 * column COL (a string literal): its alias's name, else COL as stored.
 * COL must be qualified ("segments.speaker", "s.speaker"): inside the
 * expression a bare "speaker" is the alias table's column. */
#define SPEAKER_NAME_SQL(col)                                           \
	"coalesce((SELECT sa_.speaker FROM speaker_aliases sa_ WHERE "  \
	"sa_.alias = speaker_key(" col ")), " col ")"

/* The name NAME resolves to through the aliases of P: a new string the
 * caller frees. */
char *speaker_resolve(struct project *p, const char *name);

/* Turn the items of a code's speakers: list (NULL-terminated, items
 * owned; NULL is left alone) into the keys of the names they resolve
 * to, in place, keeping a leading "not ".  Compared with the key of a
 * segment's resolved speaker (speaker_key(SPEAKER_NAME_SQL(...))). */
void speaker_list_keys(struct project *p, char **list);

#endif
