/*
 * project.c - the SQLite project file.
 */
#include "project.h"

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "schema.h"
#include "speaker.h"
#include "util.h"

/* The project whose transaction die() must roll back. */
static struct project *open_project;

static void fatal_cleanup(void)
{
	if (open_project) {
		project_close(open_project);
	}
}

/* Cleanups for die_after(). */
static void close_cb(void *p)
{
	project_close(p);
}

static void finalize_cb(void *st)
{
	sqlite3_finalize(st);
}

const char *project_resolve_path(const char *opt)
{
	const char *env;

	if (opt && *opt) {
		return opt;
	}
	env = getenv("QCODE_PROJECT");
	if (env && *env) {
		return env;
	}
	return "project.qcode";
}

/* Another connection holds the lock this one waited for in vain. */
static int is_busy(int rc)
{
	return (rc & 0xff) == SQLITE_BUSY;
}

_Noreturn static void die_busy(const char *path)
{
	die(QC_PROJECT, "project '%s' is busy: another qcode command is "
	    "writing to it; try again", path);
}

_Noreturn void db_die(struct project *p, const char *what)
{
	if (is_busy(sqlite3_extended_errcode(p->db))) {
		die_busy(p->path);
	}
	die(QC_PROJECT, "database error in '%s' (%s): %s", p->path, what,
	    sqlite3_errmsg(p->db));
}

sqlite3_stmt *db_prepare(struct project *p, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(p->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_die(p, "prepare");
	}
	return st;
}

/* The slot of SQL in P's cache index: its entry, or the empty slot
 * where it goes. */
static size_t *cache_slot(const struct project *p, const char *sql)
{
	size_t mask = p->cache_cap - 1;
	/* The address as a number (size_t holds a pointer on every POSIX
	 * system), its alignment bits dropped, spread by Fibonacci hashing. */
	size_t h = (size_t)(((size_t)sql >> 3) * 0x9E3779B97F4A7C15ull);

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		size_t e = p->cache_slots[i];

		if (e == 0 || p->cache[e - 1].sql == sql) {
			return &p->cache_slots[i];
		}
	}
}

sqlite3_stmt *db_cached(struct project *p, const char *sql)
{
	size_t *slot;

	if (p->cache_cap) {
		slot = cache_slot(p, sql);
		if (*slot) {
			sqlite3_stmt *st = p->cache[*slot - 1].st;

			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
	}
	if (2 * (p->ncache + 1) > p->cache_cap) {
		/* Grow the entries and rebuild the index. */
		p->cache_cap = p->cache_cap ? 2 * p->cache_cap : 32;
		p->cache = xrealloc(p->cache,
				    p->cache_cap / 2 * sizeof(*p->cache));
		free(p->cache_slots);
		p->cache_slots = xcalloc(p->cache_cap, sizeof(size_t));
		for (size_t i = 0; i < p->ncache; i++) {
			*cache_slot(p, p->cache[i].sql) = i + 1;
		}
	}
	slot = cache_slot(p, sql);
	p->cache[p->ncache].sql = sql;
	p->cache[p->ncache].st = db_prepare(p, sql);
	*slot = ++p->ncache;
	return p->cache[p->ncache - 1].st;
}

int db_step(struct project *p, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW) {
		return 1;
	}
	if (rc == SQLITE_DONE) {
		return 0;
	}
	db_die(p, "step");
}

int db_insert_new(struct project *p, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return 1;
	}
	if (rc == SQLITE_CONSTRAINT &&
	    sqlite3_extended_errcode(p->db) == SQLITE_CONSTRAINT_UNIQUE) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return 0;
	}
	db_die(p, "step");
}

void db_run(struct project *p, sqlite3_stmt *st)
{
	while (db_step(p, st)) {
		;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

void db_exec(struct project *p, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(p->db, sql, NULL, NULL, &err);

	if (rc != SQLITE_OK) {
		if (is_busy(rc)) {
			sqlite3_free(err);
			die_busy(p->path);
		}
		die_after(QC_PROJECT, sqlite3_free, err,
			  "database error in '%s': %s", p->path,
			  err ? err : "unknown error");
	}
}

long long db_int(struct project *p, long long dflt, const char *fmt, ...)
{
	va_list ap;
	char *sql;
	sqlite3_stmt *st;
	long long v = dflt;

	va_start(ap, fmt);
	sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (!sql) {
		die(QC_INTERNAL, "out of memory");
	}
	st = db_prepare(p, sql);
	sqlite3_free(sql);
	if (db_step(p, st) && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		v = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return v;
}

void db_bind_text(struct project *p, sqlite3_stmt *st, int i, const char *s)
{
	int rc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT)
		   : sqlite3_bind_null(st, i);

	if (rc != SQLITE_OK) {
		db_die(p, "bind");
	}
}

const char *db_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? (const char *)s : "";
}

char *db_col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? xstrdup((const char *)s) : NULL;
}

char *db_text(struct project *p, const char *fmt, ...)
{
	va_list ap;
	char *sql, *v = NULL;
	sqlite3_stmt *st;

	va_start(ap, fmt);
	sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (!sql) {
		die(QC_INTERNAL, "out of memory");
	}
	st = db_prepare(p, sql);
	sqlite3_free(sql);
	if (db_step(p, st)) {
		v = db_col_dup(st, 0);
	}
	sqlite3_finalize(st);
	return v;
}

/* (Re)create the triggers that log how to restore updated and deleted
 * rows of every tracked table.  The logged statement is an upsert of the
 * whole old row by id, so it restores the row whether it is still there
 * (an update) or gone (a delete, or a cascade while undoing).  An update
 * that leaves every value as it was logs nothing (project_commit: a
 * command that changed nothing leaves no history). */
static void create_undo_triggers(struct project *p)
{
	for (size_t t = 0; t < schema_ntracked; t++) {
		const char *tbl = schema_tracked_tables[t];
		struct strbuf set = STRBUF_INIT, cols = STRBUF_INIT,
			      vals = STRBUF_INIT, diff = STRBUF_INIT;
		char *sql = sqlite3_mprintf("PRAGMA table_info(%Q)", tbl);
		sqlite3_stmt *st = db_prepare(p, sql);
		char *ddl, *row, *older;

		sqlite3_free(sql);
		while (db_step(p, st)) {
			const char *c = db_col_text(st, 1);

			if (strcmp(c, "id") == 0) {
				continue;
			}
			sb_addf(&set, "%s\"%s\"=excluded.\"%s\"",
				set.len ? "," : "", c, c);
			sb_addf(&cols, ",\"%s\"", c);
			sb_addf(&vals, "||','||quote(old.\"%s\")", c);
			sb_addf(&diff, "%sold.\"%s\" IS NOT new.\"%s\"",
				diff.len ? " OR " : "", c, c);
		}
		sqlite3_finalize(st);
		/* The SQL expression building the restoring statement. */
		row = sqlite3_mprintf(
			"'INSERT INTO \"%w\"(id%s) VALUES('||old.id%s||') "
			"ON CONFLICT(id) DO UPDATE SET %s'",
			tbl, sb_str(&cols), sb_str(&vals), sb_str(&set));
		/* A row the running command inserted itself needs no
		 * restoring: undo deletes it (restoring it would bring it
		 * back pointing at rows undo removed). */
		older = sqlite3_mprintf(
			"WHEN old.id <= coalesce((SELECT max_id FROM "
			"history_marks WHERE hist_id = (SELECT max(id) FROM "
			"history) AND tbl = %Q), old.id)", tbl);
		ddl = sqlite3_mprintf(
			"DROP TRIGGER IF EXISTS \"undo_u_%w\";"
			"DROP TRIGGER IF EXISTS \"undo_d_%w\";"
			"CREATE TRIGGER \"undo_u_%w\" AFTER UPDATE ON \"%w\" %s "
			"AND (%s) "
			"BEGIN INSERT INTO undo_log(hist_id, tbl, row_id, sql) "
			"VALUES((SELECT max(id) FROM history), %Q, old.id, %s); "
			"END;"
			"CREATE TRIGGER \"undo_d_%w\" AFTER DELETE ON \"%w\" %s "
			"BEGIN INSERT INTO undo_log(hist_id, tbl, row_id, sql) "
			"VALUES((SELECT max(id) FROM history), %Q, old.id, %s); "
			"END;",
			tbl, tbl, tbl, tbl, older, sb_str(&diff), tbl, row, tbl,
			tbl, older, tbl, row);
		sqlite3_free(older);
		db_exec(p, ddl);
		sqlite3_free(ddl);
		sqlite3_free(row);
		sb_release(&set);
		sb_release(&cols);
		sb_release(&vals);
		sb_release(&diff);
	}
}

/* Readers go on reading while a command writes (write-ahead log).  The
 * journal mode is a setting of the file: project_create() sets it, and
 * an older project gets it from the first command that writes to it
 * (project_begin, migrate), never from one that only reads.  Where the
 * file system cannot do WAL the project stays in rollback mode, which
 * works, with readers waiting for writers. */
static void use_wal(struct project *p)
{
	sqlite3_stmt *st = NULL;

	if (p->wal) {
		return;
	}
	if (sqlite3_prepare_v2(p->db, "PRAGMA journal_mode=WAL", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		p->wal = strcmp(db_col_text(st, 0), "wal") == 0;
	}
	sqlite3_finalize(st);
}

/* Bring the schema from user_version FROM up to schema_version. */
static void migrate(struct project *p, long long from)
{
	use_wal(p);
	db_exec(p, "BEGIN IMMEDIATE");
	p->in_txn = 1;
	for (size_t v = (size_t)from; v < schema_version; v++) {
		for (const char *const *q = schema_migrations[v]; *q; q++) {
			db_exec(p, *q);
		}
	}
	create_undo_triggers(p);
	{
		char *sql = sqlite3_mprintf("PRAGMA application_id=%d;"
					    "PRAGMA user_version=%d;",
					    QCODE_APPLICATION_ID,
					    (int)schema_version);
		db_exec(p, sql);
		sqlite3_free(sql);
	}
	db_exec(p, "COMMIT");
	p->in_txn = 0;
}

static void configure(struct project *p)
{
	speaker_sql_register(p->db);
	/* A 32 MiB page cache (allocated as used): a large import or
	 * autocode run keeps its index pages in memory instead of spilling
	 * them to disk mid-transaction. */
	db_exec(p, "PRAGMA foreign_keys=ON; PRAGMA recursive_triggers=ON; "
		   "PRAGMA cache_size=-32768;");
}

/* How long a command waits for another command's write to finish:
 * $QCODE_BUSY_TIMEOUT milliseconds, 30 s by default. */
static int busy_timeout_ms(void)
{
	const char *env = getenv("QCODE_BUSY_TIMEOUT");
	char *end;
	long v;

	if (env && *env) {
		errno = 0;
		v = strtol(env, &end, 10);
		if (!errno && !*end && v >= 0 && v <= INT_MAX) {
			return (int)v;
		}
		warn("ignoring QCODE_BUSY_TIMEOUT='%s' (not a number of "
		     "milliseconds)", env);
	}
	return 30000;
}

static struct project *connect(const char *path, int flags)
{
	struct project *p = xcalloc(1, sizeof(*p));

	p->path = xstrdup(path);
	if (sqlite3_open_v2(path, &p->db, flags, NULL) != SQLITE_OK) {
		die_after(QC_PROJECT, close_cb, p,
			  "cannot open project '%s': %s", path,
			  p->db ? sqlite3_errmsg(p->db) : "out of memory");
	}
	open_project = p;
	util_set_fatal_hook(fatal_cleanup);
	/* Before the first read: a command that opens the project while
	 * another one writes waits for it instead of failing at once. */
	sqlite3_busy_timeout(p->db, busy_timeout_ms());
	return p;
}

struct project *project_create(const char *path)
{
	struct stat stt;
	struct project *p;

	if (stat(path, &stt) == 0) {
		die(QC_PROJECT, "'%s' already exists; not overwriting it", path);
	}
	p = connect(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	/* 16 KiB pages, set before the first page is written (a project in
	 * WAL mode keeps its page size for good; older projects keep their
	 * 4 KiB).  A project is long texts and many small rows: with 4 KiB
	 * pages autocode's 119,100 codings of scripts/bench_plain.sh went
	 * through four times as many WAL frames (two system calls each),
	 * checkpoint copies and B-tree pages, and the run took 0.34 s
	 * against 0.28 s (best of five each, the same project otherwise).
	 * Larger pages make each statement journal larger: the importers
	 * avoid statements that need one (import_csv.c, refi_import.c). */
	db_exec(p, "PRAGMA page_size=16384");
	configure(p);
	migrate(p, 0);
	return p;
}

struct project *project_open(const char *path)
{
	struct stat stt;
	struct project *p;
	long long appid, version;
	sqlite3_stmt *st = NULL;
	int rc;

	if (stat(path, &stt) != 0) {
		if (errno == ENOENT) {
			die(QC_PROJECT,
			    "no project at '%s'; create one with 'qcode init "
			    "%s', or name one with -p FILE or $QCODE_PROJECT",
			    path, path);
		}
		die(QC_PROJECT, "cannot open project '%s': %s", path,
		    strerror(errno));
	}
	if (S_ISDIR(stt.st_mode)) {
		die(QC_PROJECT, "'%s' is a folder, not a qcode project", path);
	}
	/* SQLite takes an empty file for an empty database. */
	if (S_ISREG(stt.st_mode) && stt.st_size == 0) {
		die(QC_PROJECT, "'%s' is an empty file (0 bytes), not a qcode "
		    "project", path);
	}
	p = connect(path, SQLITE_OPEN_READWRITE);
	/* A file that is not a database fails on the first read. */
	rc = sqlite3_prepare_v2(p->db, "PRAGMA application_id", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_ROW) {
		if (is_busy(rc)) {
			sqlite3_finalize(st);
			die_busy(path);
		}
		/* The fatal hook closes P. */
		die_after(QC_PROJECT, finalize_cb, st,
			  (rc & 0xff) == SQLITE_NOTADB
				  ? "'%s' is not a qcode project (%s)"
				  : "cannot read project '%s': %s",
			  path, sqlite3_errmsg(p->db));
	}
	appid = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	version = db_int(p, 0, "PRAGMA user_version");
	if (appid != QCODE_APPLICATION_ID) {
		if (db_int(p, 0, "SELECT count(*) FROM sqlite_master") == 0) {
			die(QC_PROJECT, "'%s' is not a qcode project (it is an "
			    "empty SQLite database)", path);
		}
		die(QC_PROJECT, "'%s' is not a qcode project (it is an SQLite "
			"database of another application)", path);
	}
	if (version < 1) {
		die(QC_PROJECT, "project '%s' is damaged: its schema version "
		    "(PRAGMA user_version) is %lld, which no qcode writes "
		    "(this qcode writes 1 to %zu); restore it from a backup",
		    path, version, schema_version);
	}
	if (version > (long long)schema_version) {
		die(QC_PROJECT,
		    "project '%s' was written by a newer qcode (schema %lld; "
		    "this qcode reads up to %zu); upgrade qcode to open it",
		    path, version, schema_version);
	}
	configure(p);
	if (version < (long long)schema_version) {
		migrate(p, version);
	}
	return p;
}

void project_close(struct project *p)
{
	if (!p) {
		return;
	}
	if (p->in_txn && p->db) {
		sqlite3_exec(p->db, "ROLLBACK", NULL, NULL, NULL);
		p->in_txn = 0;
	}
	for (size_t i = 0; i < p->ncache; i++) {
		sqlite3_finalize(p->cache[i].st);
	}
	free(p->cache);
	free(p->cache_slots);
	p->cache = NULL;
	p->cache_slots = NULL;
	p->ncache = p->cache_cap = 0;
	if (p->db) {
		sqlite3_close(p->db);
	}
	if (open_project == p) {
		open_project = NULL;
		util_set_fatal_hook(NULL);
	}
	free(p->coder);
	free(p->path);
	free(p);
}

void project_set_coder(struct project *p, const char *coder)
{
	free(p->coder);
	p->coder = coder && *coder ? xstrdup(coder) : NULL;
}

static void record_marks(struct project *p)
{
	for (size_t t = 0; t < schema_ntracked; t++) {
		char *sql = sqlite3_mprintf(
			"INSERT INTO history_marks(hist_id, tbl, max_id) "
			"SELECT %lld, %Q, coalesce(max(id), 0) FROM \"%w\"",
			p->hist_id, schema_tracked_tables[t],
			schema_tracked_tables[t]);

		db_exec(p, sql);
		sqlite3_free(sql);
	}
}

static void begin_history(struct project *p, const char *kind,
			  const char *command, const char *args,
			  long long undoes)
{
	sqlite3_stmt *st = db_prepare(
		p, "INSERT INTO history(kind, command, args, coder, undoes) "
		   "VALUES(?, ?, ?, ?, ?)");
	const char *coder = p->coder ? p->coder : getenv("QCODE_CODER");

	db_bind_text(p, st, 1, kind);
	db_bind_text(p, st, 2, command);
	db_bind_text(p, st, 3, args);
	db_bind_text(p, st, 4, coder && *coder ? coder : NULL);
	if (undoes) {
		sqlite3_bind_int64(st, 5, undoes);
	}
	db_run(p, st);
	sqlite3_finalize(st);
	p->hist_id = sqlite3_last_insert_rowid(p->db);
	record_marks(p);
}

/* Append ARG to SB as a shell reads it back: as it is when it holds
 * no blank or character the shell treats specially, else in single
 * quotes (a quote in it as '\''), so that a line of the history can be
 * run again. */
static void add_shell_word(struct strbuf *sb, const char *arg)
{
	if (*arg && *arg != '#' && *arg != '~' &&
	    !arg[strcspn(arg, " \t\n'\"\\$`*?[]{}()<>|&;!")]) {
		sb_adds(sb, arg);
		return;
	}
	sb_addc(sb, '\'');
	for (const char *c = arg; *c; c++) {
		if (*c == '\'') {
			sb_adds(sb, "'\\''");
		} else {
			sb_addc(sb, *c);
		}
	}
	sb_addc(sb, '\'');
}

void project_begin(struct project *p, const char *command, int argc,
		   char **argv)
{
	struct strbuf args = STRBUF_INIT;

	use_wal(p);
	db_exec(p, "BEGIN IMMEDIATE");
	p->in_txn = 1;
	/* Projects whose triggers log updates that change nothing (before
	 * 2026-12-06) get today's, inside the command's transaction. */
	if (!db_int(p, 0, "SELECT instr(sql, ' IS NOT new.') > 0 FROM "
			  "sqlite_master WHERE type = 'trigger' AND name = "
			  "'undo_u_codings'")) {
		create_undo_triggers(p);
	}
	for (int i = 0; i < argc; i++) {
		if (i) {
			sb_addc(&args, ' ');
		}
		add_shell_word(&args, argv[i]);
	}
	begin_history(p, "command", command, sb_str(&args), 0);
	sb_release(&args);
}

/* Whether the running command (history row P->hist_id) changed the
 * project: rows past its marks (inserted), or its undo log (updated or
 * deleted rows). */
static int command_changed(struct project *p)
{
	if (db_int(p, 0, "SELECT EXISTS(SELECT 1 FROM undo_log WHERE "
			 "hist_id = %lld)", p->hist_id)) {
		return 1;
	}
	for (size_t t = 0; t < schema_ntracked; t++) {
		const char *tbl = schema_tracked_tables[t];

		if (db_int(p, 0, "SELECT coalesce(max(id), 0) > (SELECT max_id "
				 "FROM history_marks WHERE hist_id = %lld AND "
				 "tbl = %Q) FROM \"%w\"", p->hist_id, tbl, tbl)) {
			return 1;
		}
	}
	return 0;
}

void project_commit(struct project *p)
{
	if (!p->in_txn) {
		return;
	}
	/* A command that changed nothing (a coding it already had, a
	 * codebook as loaded) leaves no history entry for undo to take
	 * back: 'undid #5' would name a change that never was. */
	if (p->hist_id &&
	    db_int(p, 0, "SELECT kind = 'command' FROM history WHERE id = "
			 "%lld", p->hist_id) &&
	    !command_changed(p)) {
		project_rollback(p);
		return;
	}
	db_exec(p, "COMMIT");
	p->in_txn = 0;
	p->hist_id = 0;
}

void project_rollback(struct project *p)
{
	if (!p->in_txn) {
		return;
	}
	db_exec(p, "ROLLBACK");
	p->in_txn = 0;
	p->hist_id = 0;
}

/* "#ID (qcode COMMAND ARGS) by CODER" for the history row ID. */
static char *describe(struct project *p, long long id)
{
	char *sql = sqlite3_mprintf(
		"SELECT command || CASE WHEN args = '' THEN '' ELSE ' ' || "
		"args END, coder FROM history WHERE id=%lld", id);
	sqlite3_stmt *st = db_prepare(p, sql);
	char *s;

	sqlite3_free(sql);
	if (db_step(p, st)) {
		s = sqlite3_column_type(st, 1) == SQLITE_NULL
			    ? xasprintf("#%lld (qcode %s) by an unnamed coder",
					id, db_col_text(st, 0))
			    : xasprintf("#%lld (qcode %s) by '%s'", id,
					db_col_text(st, 0),
					db_col_text(st, 1));
	} else {
		s = xasprintf("#%lld", id);
	}
	sqlite3_finalize(st);
	return s;
}

/* The first later change, not undone, that builds on what command TARGET
 * did, or 0: undoing TARGET would silently take its ground away.  It
 * builds on it when it updated or deleted a row TARGET inserted or
 * changed, or inserted a row that points at a row TARGET inserted (a
 * coding on an imported document: undoing the import would cascade the
 * coding away).  TARGET inserted the ids above its marks up to the marks
 * of the next history entry. */
static long long undo_blocker(struct project *p, long long target)
{
	long long next = db_int(p, 0, "SELECT min(id) FROM history WHERE "
				      "id > %lld", target);
	long long first = 0;

	/* Rows the later change updated or deleted (undo entries restore
	 * rows and are left out: they build on nothing). */
	first = db_int(
		p, 0,
		"SELECT min(u.hist_id) FROM undo_log u JOIN history h ON "
		"h.id = u.hist_id WHERE h.id > %lld AND h.id < %lld AND "
		"h.kind = 'command' AND h.undone_by IS NULL AND ("
		"(u.row_id > (SELECT max_id FROM history_marks WHERE "
		"hist_id = %lld AND tbl = u.tbl) AND u.row_id <= (SELECT "
		"max_id FROM history_marks WHERE hist_id = %lld AND tbl = "
		"u.tbl)) OR EXISTS (SELECT 1 FROM undo_log t WHERE t.tbl = "
		"u.tbl AND t.row_id = u.row_id AND t.hist_id = %lld))",
		target, p->hist_id, target, next, target);
	/* Rows inserted later that point at rows TARGET inserted. */
	for (size_t c = 0; c < schema_ntracked; c++) {
		const char *child = schema_tracked_tables[c];
		char *sql = sqlite3_mprintf("PRAGMA foreign_key_list(%Q)",
					    child);
		sqlite3_stmt *st = db_prepare(p, sql);

		sqlite3_free(sql);
		while (db_step(p, st)) {
			const char *parent = db_col_text(st, 2);
			const char *col = db_col_text(st, 3);
			long long row, by;

			row = db_int(
				p, 0,
				"SELECT min(id) FROM \"%w\" WHERE id > (SELECT "
				"max_id FROM history_marks WHERE hist_id = "
				"%lld AND tbl = %Q) AND \"%w\" > (SELECT max_id "
				"FROM history_marks WHERE hist_id = %lld AND "
				"tbl = %Q) AND \"%w\" <= (SELECT max_id FROM "
				"history_marks WHERE hist_id = %lld AND tbl = "
				"%Q)",
				child, next, child, col, target, parent, col,
				next, parent);
			if (!row) {
				continue;
			}
			/* The command that inserted it. */
			by = db_int(p, 0, "SELECT max(hist_id) FROM "
					  "history_marks WHERE tbl = %Q AND "
					  "max_id < %lld",
				    child, row);
			if (by && (!first || by < first)) {
				first = by;
			}
		}
		sqlite3_finalize(st);
	}
	return first;
}

/* Take back command TARGET: delete what it inserted, restore what it
 * updated or deleted, and mark it undone by the open history entry. */
static void undo_one(struct project *p, long long target)
{
	long long next = db_int(p, 0, "SELECT min(id) FROM history WHERE "
				      "id > %lld", target);
	sqlite3_stmt *st;
	char *sql;

	/* The undo entry itself is a history row of kind 'undo'. */
	sql = sqlite3_mprintf("UPDATE history SET kind='undo', undoes=%lld "
			      "WHERE id=%lld",
			      target, p->hist_id);
	db_exec(p, sql);
	sqlite3_free(sql);
	db_exec(p, "PRAGMA defer_foreign_keys=ON");

	/* First remove what it inserted, children first, so that restoring
	 * a row cannot collide with a new row on a unique key (a command that
	 * replaced a row).  Rows the command pointed at new rows may cascade
	 * away here; the log below brings them back.  Only TARGET's own
	 * rows: ids up to the marks of the entry after it (later commands
	 * of other coders keep theirs). */
	for (size_t t = schema_ntracked; t-- > 0;) {
		const char *tbl = schema_tracked_tables[t];

		sql = sqlite3_mprintf(
			"DELETE FROM \"%w\" WHERE id > (SELECT max_id FROM "
			"history_marks WHERE hist_id=%lld AND tbl=%Q) AND id <= "
			"(SELECT max_id FROM history_marks WHERE hist_id=%lld "
			"AND tbl=%Q)",
			tbl, target, tbl, next, tbl);
		db_exec(p, sql);
		sqlite3_free(sql);
	}
	/* A row it pointed at a new row (a code moved under a code it
	 * created) cascaded away just now with the rows pointing at it in
	 * turn (the moved code's codings and rules), which TARGET's log does
	 * not hold: this undo's own log (the triggers) does.  Restore those
	 * first, all but TARGET's own rows; TARGET's log then sets each row
	 * as it was before. */
	{
		char **again = NULL;
		size_t n = 0, cap = 0;

		sql = sqlite3_mprintf(
			"SELECT sql FROM undo_log u WHERE hist_id=%lld AND NOT "
			"coalesce(row_id > (SELECT max_id FROM history_marks "
			"WHERE hist_id=%lld AND tbl=u.tbl) AND row_id <= "
			"(SELECT max_id FROM history_marks WHERE hist_id=%lld "
			"AND tbl=u.tbl), 0) ORDER BY id DESC",
			p->hist_id, target, next);
		st = db_prepare(p, sql);
		sqlite3_free(sql);
		while (db_step(p, st)) {
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				again = xrealloc(again, cap * sizeof(*again));
			}
			again[n++] = xstrdup(db_col_text(st, 0));
		}
		sqlite3_finalize(st);
		for (size_t i = 0; i < n; i++) {
			db_exec(p, again[i]);
			free(again[i]);
		}
		free(again);
	}
	/* Then restore what it updated or deleted, newest first. */
	sql = sqlite3_mprintf("SELECT sql FROM undo_log WHERE hist_id=%lld "
			      "ORDER BY id DESC",
			      target);
	st = db_prepare(p, sql);
	sqlite3_free(sql);
	while (db_step(p, st)) {
		char *restore = xstrdup(db_col_text(st, 0));

		db_exec(p, restore);
		free(restore);
	}
	sqlite3_finalize(st);

	sql = sqlite3_mprintf("UPDATE history SET undone_by=%lld WHERE id=%lld",
			      p->hist_id, target);
	db_exec(p, sql);
	sqlite3_free(sql);
}

long long project_undo(struct project *p, const char *coder, int any,
		       char **what)
{
	long long target, later;

	*what = NULL;
	if (any) {
		target = db_int(p, 0,
				"SELECT max(id) FROM history WHERE kind="
				"'command' AND undone_by IS NULL AND id < %lld",
				p->hist_id);
	} else {
		target = db_int(p, 0,
				"SELECT max(id) FROM history WHERE kind="
				"'command' AND undone_by IS NULL AND id < %lld "
				"AND coder IS %Q",
				p->hist_id, coder);
	}
	if (!target) {
		return 0;
	}
	later = undo_blocker(p, target);
	if (later) {
		char *mine = describe(p, target), *theirs = describe(p, later);

		*what = xasprintf("cannot undo %s: the later change %s builds "
				  "on it; undo that first, or undo the last "
				  "change of anyone with 'qcode undo --any'",
				  mine, theirs);
		free(mine);
		free(theirs);
		return -target;
	}
	{
		char *sql = sqlite3_mprintf(
			"SELECT command || CASE WHEN args = '' THEN '' ELSE "
			"' ' || args END FROM history WHERE id=%lld", target);
		sqlite3_stmt *st = db_prepare(p, sql);

		sqlite3_free(sql);
		if (db_step(p, st)) {
			*what = xstrdup(db_col_text(st, 0));
		}
		sqlite3_finalize(st);
	}
	undo_one(p, target);
	return target;
}

/* The project_try() running, for its fatal hook. */
static jmp_buf *try_guard;

static void try_fatal(void)
{
	if (try_guard) {
		longjmp(*try_guard, 1);
	}
}

/* Finalize the statements a run left open when it died (not the
 * project's cached ones: they are reset) and roll back its transaction. */
static void try_recover(struct project *p)
{
	sqlite3_stmt *st;

	if (!p || !p->db) {
		return;
	}
	st = sqlite3_next_stmt(p->db, NULL);
	while (st) {
		sqlite3_stmt *next = sqlite3_next_stmt(p->db, st);
		int cached = 0;

		for (size_t i = 0; i < p->ncache; i++) {
			cached |= p->cache[i].st == st;
		}
		if (!cached) {
			sqlite3_finalize(st);
		}
		st = next;
	}
	for (size_t i = 0; i < p->ncache; i++) {
		sqlite3_reset(p->cache[i].st);
	}
	if (p->in_txn) {
		sqlite3_exec(p->db, "ROLLBACK", NULL, NULL, NULL);
		p->in_txn = 0;
		p->hist_id = 0;
	}
}

int project_try(struct project *p, void (*fn)(void *), void *arg)
{
	jmp_buf env;
	volatile int rc = 0;

	if (setjmp(env) == 0) {
		try_guard = &env;
		util_set_fatal_hook(try_fatal);
		fn(arg);
	} else {
		try_recover(p);
		rc = -1;
	}
	try_guard = NULL;
	/* Back to what die() does outside: close the open project. */
	util_set_fatal_hook(open_project ? fatal_cleanup : NULL);
	return rc;
}
