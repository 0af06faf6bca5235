/*
 * project.h - the project file: open, create, migrate, transactions,
 * SQLite helpers, and the history that undo and audit read.
 *
 * A command that writes calls project_begin() once, makes its changes and
 * calls project_commit().  die() at any point rolls the transaction back
 * (the fatal hook), so a failed command changes nothing.
 */
#ifndef QCODE_PROJECT_H
#define QCODE_PROJECT_H

#include <stddef.h>

#include <sqlite3.h>

struct project {
	sqlite3 *db;
	char *path;
	int in_txn;
	int wal;           /* the file is in WAL mode (project.c use_wal) */
	char *coder;       /* recorded in history: project_set_coder() */
	long long hist_id; /* history row of the open command, or 0 */
	/* Statements prepared once and reused: see db_cached().  cache[0..
	 * ncache) in the order prepared; cache_slots is an open-addressing
	 * index of entry + 1 (0: empty) by the SQL's address, cache_cap
	 * slots (a power of two, at least twice ncache). */
	struct db_cache_entry {
		const char *sql;
		sqlite3_stmt *st;
	} *cache;
	size_t ncache, cache_cap;
	size_t *cache_slots;
};

/* Resolve the project path: OPT (from -p), else $QCODE_PROJECT, else
 * "project.qcode".  Returns a pointer that stays valid (not to be freed). */
const char *project_resolve_path(const char *opt);

/*
 * Many processes share a project: the file is in WAL mode (set by
 * project_create and by the first write of an older project), so readers
 * read while a command writes; a command waits up to $QCODE_BUSY_TIMEOUT
 * ms (30 s by default) for another's write, set before the first read,
 * and then dies with QC_PROJECT "project 'x' is busy".
 */

/* Create a new project at PATH; dies if it exists. Caller closes. */
struct project *project_create(const char *path);
/* Open an existing project, migrating it forward if it is older.
 * Dies with QC_PROJECT when missing, foreign, corrupt or newer. */
struct project *project_open(const char *path);
/* Close (rolling back an uncommitted transaction) and free. NULL is ok. */
void project_close(struct project *p);

/* The coder recorded in the history entries P begins from now on (NULL:
 * $QCODE_CODER, else none).  Undo per coder takes back that coder's
 * changes. */
void project_set_coder(struct project *p, const char *coder);
/* Begin the command's transaction and its history entry. ARGS is the
 * command line as the user gave it, recorded for audit. */
void project_begin(struct project *p, const char *command, int argc,
		   char **argv);
/* Commit the open transaction. */
void project_commit(struct project *p);
/* Roll back the open transaction (no-op when none is open). */
void project_rollback(struct project *p);

/* SQLite helpers: every error goes through db_die(). */
_Noreturn void db_die(struct project *p, const char *what);
sqlite3_stmt *db_prepare(struct project *p, const char *sql);
/* A prepared statement for SQL (a string with static storage: entries are
 * found by its address, in constant time however many there are),
 * prepared on first use and reset and unbound on every later one; the
 * project finalizes it on close.  For statements run once per row of a
 * bulk operation.  Do not finalize it; a caller that leaves it stepped
 * halfway resets it when done. */
sqlite3_stmt *db_cached(struct project *p, const char *sql);
/* Step ST: returns 1 for a row, 0 when done; dies on error. */
int db_step(struct project *p, sqlite3_stmt *st);
/* Step a statement that returns no rows, then reset it for reuse. */
void db_run(struct project *p, sqlite3_stmt *st);
/* Run the INSERT ST (then reset it and clear its bindings): 1 when the row
 * went in, 0 when a UNIQUE constraint refused it (the statement undone,
 * the transaction intact); any other error dies. */
int db_insert_new(struct project *p, sqlite3_stmt *st);
void db_exec(struct project *p, const char *sql);
/* Run SQL (sqlite3_mprintf format: use %Q for strings) returning one
 * integer; DFLT when there is no row or it is NULL. */
long long db_int(struct project *p, long long dflt, const char *fmt, ...);
/* Bind a string or NULL. */
void db_bind_text(struct project *p, sqlite3_stmt *st, int i, const char *s);
/* Column as text, never NULL ("" for NULL). */
const char *db_col_text(sqlite3_stmt *st, int i);
/* A copy of the column's text (free it), or NULL for NULL. */
char *db_col_dup(sqlite3_stmt *st, int i);
/* Run SQL (sqlite3_mprintf format) returning one string: a copy of the
 * first column of the first row (free it), or NULL when there is no row
 * or it is NULL. */
char *db_text(struct project *p, const char *fmt, ...);

/* Undo the last command of CODER (NULL: of an unnamed coder) not already
 * undone; with ANY, the last command of anyone.  Returns the history id
 * undone, with *WHAT its command line; 0 when there is nothing to undo;
 * or minus the id of CODER's last command when a later command of
 * someone else, not undone, builds on it (changed or deleted a row it
 * made or changed, or points at a row it made): then nothing is undone
 * and *WHAT is the message naming both.  (With ANY there is no later
 * command, so no refusal.)  Free *WHAT.  Prints nothing.  Must be called
 * inside project_begin()/project_commit(). */
long long project_undo(struct project *p, const char *coder, int any,
		       char **what);

/*
 * Run FN(ARG) with die() caught, for a process that goes on after a
 * refused input ('qcode serve' per request, the fuzz harnesses per
 * input): a die() below FN (its message printed and kept for
 * util_fatal_message()) returns here instead of exiting, after the
 * statements left open on P are finalized (not P's cached ones, which
 * are reset) and P's transaction is rolled back.  P may be NULL.
 * Returns 0, or -1 when FN died.  What FN allocated before it died is
 * not freed.  Calls do not nest.
 */
int project_try(struct project *p, void (*fn)(void *), void *arg);

#endif
