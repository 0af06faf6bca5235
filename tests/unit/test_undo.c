/*
 * test_undo.c - project_undo() on commands that end-to-end tests cannot
 * easily produce: rows replaced under the same unique key (delete then
 * insert, INSERT OR REPLACE), rows pointed at new rows, the same row
 * updated several times, unique keys swapped, cascading deletes.  Each
 * scenario runs as one command; undo must give back the exact content.
 */
#include <stdlib.h>
#include <unistd.h>

#include "project.h"
#include "schema.h"
#include "unit.h"
#include "util.h"

/* Every tracked table's rows, in id order, as text. */
static char *content(struct project *p)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t t = 0; t < schema_ntracked; t++) {
		char *sql = sqlite3_mprintf("SELECT * FROM \"%w\" ORDER BY id",
					    schema_tracked_tables[t]);
		sqlite3_stmt *st = db_prepare(p, sql);

		sqlite3_free(sql);
		sb_addf(&sb, "[%s]\n", schema_tracked_tables[t]);
		while (db_step(p, st)) {
			for (int c = 0; c < sqlite3_column_count(st); c++) {
				sb_addf(&sb, "%s%s", c ? "|" : "",
					sqlite3_column_type(st, c) ==
							SQLITE_NULL
						? "NULL"
						: db_col_text(st, c));
			}
			sb_addc(&sb, '\n');
		}
		sqlite3_finalize(st);
	}
	return sb_detach(&sb, NULL);
}

/* Run SQL as one command. */
static void command(struct project *p, const char *sql)
{
	project_begin(p, "test", 0, NULL);
	db_exec(p, sql);
	project_commit(p);
}

/* Undo the last command; returns what project_undo() returned. */
static long long undo(struct project *p)
{
	char *what = NULL;
	long long id;

	project_begin(p, "undo", 0, NULL);
	id = project_undo(p, NULL, 1, &what);
	if (id > 0) {
		project_commit(p);
	} else {
		project_rollback(p);
	}
	free(what);
	return id;
}

/* Run SQL as a command, undo it, and check the content is as before. */
static void roundtrip(struct project *p, const char *sql)
{
	char *before = content(p), *after;

	command(p, sql);
	after = content(p);
	CHECK(strcmp(before, after) != 0);
	free(after);
	CHECK(undo(p) > 0);
	after = content(p);
	if (strcmp(before, after) != 0) {
		printf("  undo of '%s' differs:\n--- before\n%s--- after\n%s",
		       sql, before, after);
		unit_failures++;
	}
	free(before);
	free(after);
}

void test_undo_scenarios(void)
{
	char dir[] = "/tmp/qcode-unit-XXXXXX";
	char *path, *c0, *c1;
	struct project *p;

	if (!mkdtemp(dir)) {
		CHECK(0);
		return;
	}
	path = xasprintf("%s/u.qcode", dir);
	p = project_create(path);
	command(p, "INSERT INTO cases(name) VALUES('c1'), ('c2');"
		   "INSERT INTO attributes(name) VALUES('sector');"
		   "INSERT INTO case_attributes(case_id, attr_id, value) "
		   "VALUES(1, 1, 'local');"
		   "INSERT INTO documents(name, case_id, format, text, chars, "
		   "sha256) VALUES('d1', 1, 'txt', 'abc def', 7, 'x');"
		   "INSERT INTO segments(doc_id, idx, start, end, kind) "
		   "VALUES(1, 0, 0, 3, 'p'), (1, 1, 4, 7, 'p');"
		   "INSERT INTO codes(name, path) VALUES('A', 'A'), ('B', 'B');"
		   "INSERT INTO codes(parent_id, name, path) VALUES(1, 'x', "
		   "'A/x');"
		   "INSERT INTO coders(name) VALUES('me');"
		   "INSERT INTO codings(doc_id, code_id, coder_id, segment_id, "
		   "start, end, origin, status) VALUES(1, 1, 1, 1, 0, 3, "
		   "'manual', 'accepted'), (1, 3, 1, 2, 4, 7, 'manual', "
		   "'suggested');");
	c0 = content(p);

	/* A row deleted and inserted again under the same unique key. */
	roundtrip(p, "DELETE FROM codes WHERE path = 'B';"
		     "INSERT INTO codes(name, path) VALUES('B', 'B');");
	/* INSERT OR REPLACE deletes the old row (recursive triggers). */
	roundtrip(p, "INSERT OR REPLACE INTO case_attributes(case_id, "
		     "attr_id, value) VALUES(1, 1, 'government');");
	/* An existing row pointed at a new row, which undo deletes. */
	roundtrip(p, "INSERT INTO codes(name, path) VALUES('C', 'C');"
		     "UPDATE codings SET code_id = (SELECT id FROM codes "
		     "WHERE path = 'C') WHERE id = 1;");
	roundtrip(p, "INSERT INTO documents(name, format, text, chars, "
		     "sha256) VALUES('d2', 'txt', 'xyz', 3, 'y');"
		     "UPDATE codings SET doc_id = (SELECT max(id) FROM "
		     "documents), start = 0, end = 3, segment_id = NULL "
		     "WHERE id = 2;");
	/* The same row updated several times. */
	roundtrip(p, "UPDATE codings SET status = 'rejected' WHERE id = 2;"
		     "UPDATE codings SET status = 'accepted' WHERE id = 2;"
		     "UPDATE codings SET memo = 'm' WHERE id = 2;");
	/* Rows the command inserted and then changed or deleted. */
	roundtrip(p, "INSERT INTO codes(name, path) VALUES('N', 'N');"
		     "UPDATE codes SET description = 'new' WHERE path = 'N';"
		     "INSERT INTO codes(parent_id, name, path) VALUES("
		     "(SELECT id FROM codes WHERE path = 'N'), 'M', 'N/M');"
		     "UPDATE codes SET parent_id = NULL, path = 'M' WHERE "
		     "path = 'N/M';"
		     "INSERT INTO coders(name) VALUES('tmp');"
		     "DELETE FROM coders WHERE name = 'tmp';"
		     "UPDATE codings SET code_id = (SELECT id FROM codes "
		     "WHERE path = 'M') WHERE id = 2;");
	/* Two unique keys swapped through a temporary one. */
	roundtrip(p, "UPDATE codes SET path = 'tmp' WHERE id = 1;"
		     "UPDATE codes SET path = 'A' WHERE id = 2;"
		     "UPDATE codes SET path = 'B' WHERE id = 1;");
	/* Cascades: a document with its segments and codings; a code with
	 * its child and codings; a case (documents.case_id set null). */
	roundtrip(p, "DELETE FROM documents WHERE name = 'd1';");
	roundtrip(p, "DELETE FROM codes WHERE path = 'A';");
	roundtrip(p, "DELETE FROM cases WHERE name = 'c1';");
	/* Everything at once. */
	roundtrip(p, "DELETE FROM codings; DELETE FROM segments;"
		     "DELETE FROM documents; DELETE FROM codes;"
		     "DELETE FROM coders; DELETE FROM case_attributes;"
		     "DELETE FROM cases;");
	c1 = content(p);
	CHECK_STR(c0, c1);
	free(c1);

	/* Undo the setup itself, then nothing is left to undo. */
	CHECK(undo(p) > 0);
	c1 = content(p);
	CHECK(strstr(c1, "abc def") == NULL);
	CHECK(strstr(c1, "[codings]\n[memos]\n") != NULL);
	free(c1);
	CHECK_INT(undo(p), 0);
	CHECK_INT(db_int(p, -1, "SELECT count(*) FROM history WHERE kind = "
				"'command' AND undone_by IS NULL"),
		  0);
	project_close(p);
	unlink(path);
	free(path);
	free(c0);
	rmdir(dir);
}

/* Run SQL as one command of CODER. */
static void command_of(struct project *p, const char *coder, const char *sql)
{
	project_set_coder(p, coder);
	command(p, sql);
}

/* Undo CODER's last command (ANY: anyone's); returns what project_undo()
 * returned, and *MSG its message (freed by the caller). */
static long long undo_of(struct project *p, const char *coder, int any,
			 char **msg)
{
	long long id;

	project_set_coder(p, coder);
	project_begin(p, "undo", 0, NULL);
	id = project_undo(p, coder, any, msg);
	if (id > 0) {
		project_commit(p);
	} else {
		project_rollback(p);
	}
	return id;
}

/* Undo per coder (the API qcode undo and the web server share). */
void test_undo_coders(void)
{
	char dir[] = "/tmp/qcode-unit-XXXXXX";
	char *path, *msg = NULL, *c0, *c1;
	struct project *p;

	if (!mkdtemp(dir)) {
		CHECK(0);
		return;
	}
	path = xasprintf("%s/u.qcode", dir);
	p = project_create(path);
	command_of(p, "ann", "INSERT INTO cases(name) VALUES('c1');");  /* #1 */
	command_of(p, "ben", "INSERT INTO cases(name) VALUES('c2');");  /* #2 */
	/* Ann's undo takes back #1 only; Ben's later case stays. */
	CHECK_INT(undo_of(p, "ann", 0, &msg), 1);                       /* #3 */
	CHECK_STR(msg, "test");
	free(msg);
	CHECK_INT(db_int(p, -1, "SELECT count(*) FROM cases WHERE name = "
				"'c1'"), 0);
	CHECK_INT(db_int(p, -1, "SELECT count(*) FROM cases WHERE name = "
				"'c2'"), 1);
	/* Nothing of Ann's left; an unknown coder has nothing either. */
	CHECK_INT(undo_of(p, "ann", 0, &msg), 0);
	CHECK(msg == NULL);
	CHECK_INT(undo_of(p, NULL, 0, &msg), 0);

	/* Ben edits a row Ann's command made: Ann's undo is refused. */
	command_of(p, "ann", "INSERT INTO codes(name, path) VALUES('A', "
			     "'A');");                                  /* #4 */
	command_of(p, "ben", "UPDATE codes SET description = 'b' WHERE "
			     "path = 'A';");                            /* #5 */
	c0 = content(p);
	CHECK_INT(undo_of(p, "ann", 0, &msg), -4);
	CHECK(msg && strstr(msg, "cannot undo #4 (qcode test) by 'ann'") &&
	      strstr(msg, "the later change #5 (qcode test) by 'ben'"));
	free(msg);
	c1 = content(p);
	CHECK_STR(c0, c1);
	free(c1);
	/* --any takes back Ben's edit; then Ann's command can go. */
	CHECK_INT(undo_of(p, "ann", 1, &msg), 5);
	free(msg);
	CHECK_INT(undo_of(p, "ann", 0, &msg), 4);
	free(msg);
	CHECK_INT(db_int(p, -1, "SELECT count(*) FROM codes"), 0);

	/* Ben's row points at a row Ann's command made. */
	command_of(p, "ann", "INSERT INTO cases(name) VALUES('c3');");
	command_of(p, "ben", "INSERT INTO attributes(name) VALUES('s');"
			     "INSERT INTO case_attributes(case_id, attr_id, "
			     "value) SELECT c.id, a.id, 'v' FROM cases c, "
			     "attributes a WHERE c.name = 'c3';");
	CHECK(undo_of(p, "ann", 0, &msg) < 0);
	free(msg);
	/* Ben's undo, then Ann's: both go, Ben's case c2 stays. */
	CHECK(undo_of(p, "ben", 0, &msg) > 0);
	free(msg);
	CHECK(undo_of(p, "ann", 0, &msg) > 0);
	free(msg);
	CHECK_INT(db_int(p, -1, "SELECT count(*) FROM cases"), 1);
	CHECK_INT(db_int(p, -1, "SELECT count(*) FROM case_attributes"), 0);
	project_close(p);
	unlink(path);
	free(path);
	free(c0);
	rmdir(dir);
}
