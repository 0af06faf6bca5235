/*
 * merge.c - merge another qcode project into this one (see merge.h).
 *
 * The other file is ATTACHed (read only in practice: merge never writes
 * to it) under a name of its own, and its rows are brought over with
 * INSERT ... SELECT, through temporary id maps (other id -> our id).
 * Matching: coders, cases, attributes, questions and code sets by name;
 * documents by content -- the sha256 of the stored text, with the case
 * and the survey question, so two respondents' identical answers stay
 * two documents; among equal texts the GUID, the name, then the case
 * decide, and a document nothing decides is refused (match_documents)
 * -- never by name alone; codes by path.  Inserted rows are
 * undone by 'qcode undo' like any command's (history marks), updated
 * ones (--theirs) through the undo log.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "merge.h"
#include "refi_export.h"
#include "schema.h"
#include "util.h"
#include "xml.h"

/* SQL with every "@." replaced by the attached schema's name. */
static char *sql_for(const char *schema, const char *sql)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *s = sql; *s; s++) {
		if (s[0] == '@' && s[1] == '.') {
			sb_adds(&sb, schema);
		} else {
			sb_addc(&sb, *s);
		}
	}
	return sb_detach(&sb, NULL);
}

/* Run SQL (with "@." for the other schema); returns the rows changed. */
static long long run(struct project *p, const char *schema, const char *sql)
{
	char *s = sql_for(schema, sql);

	db_exec(p, s);
	free(s);
	return sqlite3_changes(p->db);
}

static sqlite3_stmt *prep(struct project *p, const char *schema,
			  const char *sql)
{
	char *s = sql_for(schema, sql);
	sqlite3_stmt *st = db_prepare(p, s);

	free(s);
	return st;
}

static long long count(struct project *p, const char *schema,
		       const char *sql)
{
	sqlite3_stmt *st = prep(p, schema, sql);
	long long n = db_step(p, st) ? sqlite3_column_int64(st, 0) : 0;

	sqlite3_finalize(st);
	return n;
}

static void attach(struct project *p, const char *path, const char *schema)
{
	struct stat sb;
	char *sql;
	long long appid, version;

	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		die(QC_INPUT, "cannot read '%s': %s", path,
		    errno ? strerror(errno) : "not a file");
	}
	{
		struct stat mine;

		if (stat(p->path, &mine) == 0 && mine.st_dev == sb.st_dev &&
		    mine.st_ino == sb.st_ino) {
			die(QC_INPUT, "'%s' is this project; merge another "
			    "one", path);
		}
	}
	sql = sqlite3_mprintf("ATTACH %Q AS \"%w\"", path, schema);
	if (sqlite3_exec(p->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_free(sql);
		die(QC_INPUT, "'%s' is not a qcode project (%s)", path,
		    sqlite3_errmsg(p->db));
	}
	sqlite3_free(sql);
	sql = sqlite3_mprintf("PRAGMA \"%w\".application_id", schema);
	{
		sqlite3_stmt *st;

		if (sqlite3_prepare_v2(p->db, sql, -1, &st, NULL) !=
			    SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_finalize(st);
			sqlite3_free(sql);
			die(QC_INPUT, "'%s' is not a qcode project (%s)",
			    path, sqlite3_errmsg(p->db));
		}
		appid = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_free(sql);
	sql = sqlite3_mprintf("PRAGMA \"%w\".user_version", schema);
	version = db_int(p, 0, "%s", sql);
	sqlite3_free(sql);
	if (appid != QCODE_APPLICATION_ID) {
		die(QC_INPUT, "'%s' is not a qcode project", path);
	}
	if (version != (long long)schema_version) {
		die(QC_INPUT, "'%s' has schema %lld and this project %zu; open "
		    "it once with this qcode ('qcode -p %s info') to bring "
		    "it up to date", path, version, schema_version, path);
	}
}

/* Coders, cases, attributes and their values, questions. */
static void merge_names(struct project *p, const char *o, int theirs,
			struct merge_stats *st, FILE *out)
{
	sqlite3_stmt *q;

	st->coders_added += run(p, o,
		"INSERT INTO main.coders(name, guid) SELECT name, guid FROM "
		"@.coders WHERE name NOT IN (SELECT name FROM main.coders) "
		"ORDER BY id");
	run(p, o, "INSERT INTO temp.m_coder SELECT x.id, c.id FROM @.coders "
		  "x JOIN main.coders c ON c.name = x.name");
	st->cases_added += run(p, o,
		"INSERT INTO main.cases(name, description, guid) SELECT name, "
		"description, guid FROM @.cases WHERE name NOT IN (SELECT "
		"name FROM main.cases) ORDER BY id");
	run(p, o, "INSERT INTO temp.m_case SELECT x.id, c.id FROM @.cases x "
		  "JOIN main.cases c ON c.name = x.name");
	st->attrs_added += run(p, o,
		"INSERT INTO main.attributes(name, type, description, guid) "
		"SELECT name, type, description, guid FROM @.attributes WHERE "
		"name NOT IN (SELECT name FROM main.attributes) ORDER BY id");
	run(p, o, "INSERT INTO temp.m_attr SELECT x.id, a.id FROM "
		  "@.attributes x JOIN main.attributes a ON a.name = x.name");
	/* values both projects hold, differently */
	q = prep(p, o,
		 "SELECT c.name, a.name, y.value, x.value FROM "
		 "@.case_attributes x JOIN temp.m_case mc ON mc.o = x.case_id "
		 "JOIN temp.m_attr ma ON ma.o = x.attr_id JOIN "
		 "main.case_attributes y ON y.case_id = mc.n AND y.attr_id = "
		 "ma.n JOIN main.cases c ON c.id = mc.n JOIN main.attributes "
		 "a ON a.id = ma.n WHERE y.value IS NOT x.value ORDER BY "
		 "c.name, a.name");
	while (db_step(p, q)) {
		st->values_conflict++;
		fprintf(out, "conflict: case '%s', attribute '%s': '%s' here, "
			"'%s' there (%s)\n", db_col_text(q, 0),
			db_col_text(q, 1), db_col_text(q, 2),
			db_col_text(q, 3), theirs ? "took theirs"
						  : "kept ours");
	}
	sqlite3_finalize(q);
	if (theirs) {
		run(p, o, "UPDATE main.case_attributes SET value = (SELECT "
			  "x.value FROM @.case_attributes x JOIN temp.m_case "
			  "mc ON mc.o = x.case_id JOIN temp.m_attr ma ON ma.o "
			  "= x.attr_id WHERE mc.n = case_attributes.case_id "
			  "AND ma.n = case_attributes.attr_id) WHERE EXISTS "
			  "(SELECT 1 FROM @.case_attributes x JOIN "
			  "temp.m_case mc ON mc.o = x.case_id JOIN "
			  "temp.m_attr ma ON ma.o = x.attr_id WHERE mc.n = "
			  "case_attributes.case_id AND ma.n = "
			  "case_attributes.attr_id AND x.value IS NOT "
			  "case_attributes.value)");
	}
	st->values_added += run(p, o,
		"INSERT INTO main.case_attributes(case_id, attr_id, value) "
		"SELECT mc.n, ma.n, x.value FROM @.case_attributes x JOIN "
		"temp.m_case mc ON mc.o = x.case_id JOIN temp.m_attr ma ON "
		"ma.o = x.attr_id WHERE NOT EXISTS (SELECT 1 FROM "
		"main.case_attributes y WHERE y.case_id = mc.n AND "
		"y.attr_id = ma.n) ORDER BY x.id");
	st->questions_added += run(p, o,
		"INSERT INTO main.questions(name, wording, ord) SELECT name, "
		"wording, ord FROM @.questions WHERE name NOT IN (SELECT name "
		"FROM main.questions) ORDER BY id");
	run(p, o, "INSERT INTO main.speaker_aliases(alias, speaker) SELECT "
		  "alias, speaker FROM @.speaker_aliases WHERE alias NOT IN "
		  "(SELECT alias FROM main.speaker_aliases) ORDER BY id");
}

/* doc_guid(guid, name, sha256): the GUID a document is exported under
 * (refi_export.c): its stored one, else one derived from its name and
 * text. */
static void fn_doc_guid(sqlite3_context *cx, int argc, sqlite3_value **v)
{
	char out[37];

	(void)argc;
	refi_doc_guid((const char *)sqlite3_value_text(v[0]),
		      (const char *)sqlite3_value_text(v[1]),
		      (const char *)sqlite3_value_text(v[2]), out);
	sqlite3_result_text(cx, out, -1, SQLITE_TRANSIENT);
}

/* The documents of the query Q (name, case name or NULL) for a message:
 * 'a' (case 'r1'), 'b' and 'c'; after five, "and N more". */
static void add_docs(struct project *p, struct strbuf *sb, sqlite3_stmt *q)
{
	char *v[6];
	long long n = 0;

	while (db_step(p, q)) {
		if (n < 6) {
			struct strbuf one = STRBUF_INIT;

			sb_addf(&one, "'%s'", db_col_text(q, 0));
			if (sqlite3_column_type(q, 1) != SQLITE_NULL) {
				sb_addf(&one, " (case '%s')",
					db_col_text(q, 1));
			}
			v[n] = sb_detach(&one, NULL);
		}
		n++;
	}
	sqlite3_finalize(q);
	for (long long i = 0; i < n && i < 5; i++) {
		sb_adds(sb, i == 0 ? "" : i == n - 1 ? " and " : ", ");
		sb_adds(sb, v[i]);
	}
	if (n > 5) {
		sb_addf(sb, " and %lld more", n - 5);
	}
	for (long long i = 0; i < n && i < 6; i++) {
		free(v[i]);
	}
}

/* After the last pass: the groups of equal texts (temp.m_grp) where
 * nothing tells which document of the other's is which of ours -- one
 * of its documents and several of ours, or several of its and one of
 * ours -- refuse the merge rather than guess, since a guess can put a
 * coding on another respondent's answer. */
static void refuse_ambiguous(struct project *p, const char *path)
{
	sqlite3_stmt *q = db_prepare(
		p, "SELECT g.k, g.u, count(*) OVER () FROM temp.m_grp g "
		   "WHERE g.l > 0 AND NOT (g.u = 1 AND g.l = 1) ORDER BY "
		   "(SELECT min(o) FROM temp.m_theirs t WHERE t.k = g.k AND "
		   "t.n IS NULL) LIMIT 1");
	struct strbuf sb = STRBUF_INIT;
	sqlite3_stmt *d;
	long long u, more;
	char *msg;

	if (!db_step(p, q)) {
		sqlite3_finalize(q);
		return;
	}
	u = sqlite3_column_int64(q, 1);
	more = sqlite3_column_int64(q, 2) - 1;
	sb_addf(&sb, "'%s': its document%s ", path, u == 1 ? "" : "s");
	d = db_prepare(p, "SELECT t.name, c.name FROM temp.m_theirs t LEFT "
			  "JOIN main.cases c ON c.id = t.case_id WHERE t.k = "
			  "? AND t.n IS NULL ORDER BY t.o");
	db_bind_text(p, d, 1, db_col_text(q, 0));
	add_docs(p, &sb, d);
	sb_addf(&sb, " %s the same text as ", u == 1 ? "has" : "have");
	d = db_prepare(p, "SELECT d.name, c.name FROM temp.m_ours d LEFT "
			  "JOIN main.cases c ON c.id = d.case_id WHERE d.k = "
			  "? AND d.taken = 0 ORDER BY d.name");
	db_bind_text(p, d, 1, db_col_text(q, 0));
	add_docs(p, &sb, d);
	sqlite3_finalize(q);
	sb_addf(&sb, " here, and neither GUID, name nor case tells which is "
		     "which; nothing merged (give %s the name it has here)",
		u == 1 ? "it" : "each");
	if (more) {
		sb_addf(&sb, "; %lld more text%s like it", more,
			more == 1 ? "" : "s");
	}
	msg = sb_detach(&sb, NULL);
	die_after(QC_INPUT, free, msg, "%s", msg);
}

/* The documents neither GUID nor name matched: (a REFI-QDA project)
 * the same text and case, one on each side; then the same text (in a
 * qcode project with its case and question), one on each side; several
 * on either side that nothing tells apart are refused. */
static void match_left(struct project *p, int by_text, const char *path)
{
	db_exec(p, "CREATE INDEX temp.m_ours_k ON m_ours(k, case_id);"
		   "CREATE INDEX temp.m_theirs_k ON m_theirs(k);");
	if (by_text) {
		db_exec(p, "INSERT INTO temp.m_grp SELECT k, case_id, "
			   "count(*), (SELECT count(*) FROM temp.m_ours d "
			   "WHERE d.k = t.k AND d.case_id = t.case_id AND "
			   "d.taken = 0) FROM temp.m_theirs t WHERE n IS "
			   "NULL AND case_id IS NOT NULL GROUP BY k, case_id;"
			   "UPDATE temp.m_theirs SET n = (SELECT d.id FROM "
			   "temp.m_ours d WHERE d.k = m_theirs.k AND "
			   "d.case_id = m_theirs.case_id AND d.taken = 0) "
			   "WHERE n IS NULL AND EXISTS (SELECT 1 FROM "
			   "temp.m_grp g WHERE g.k = m_theirs.k AND g.c = "
			   "m_theirs.case_id AND g.u = 1 AND g.l = 1);"
			   "UPDATE temp.m_ours SET taken = 1 WHERE taken = 0 "
			   "AND id IN (SELECT n FROM temp.m_theirs);"
			   "DELETE FROM temp.m_grp;");
	}
	db_exec(p, "INSERT INTO temp.m_grp SELECT k, NULL, count(*), (SELECT "
		   "count(*) FROM temp.m_ours d WHERE d.k = t.k AND d.taken = "
		   "0) FROM temp.m_theirs t WHERE n IS NULL GROUP BY k;"
		   "UPDATE temp.m_theirs SET n = (SELECT d.id FROM "
		   "temp.m_ours d WHERE d.k = m_theirs.k AND d.taken = 0) "
		   "WHERE n IS NULL AND k IN (SELECT k FROM temp.m_grp WHERE "
		   "u = 1 AND l = 1);");
	refuse_ambiguous(p, path);
}

/* temp.m_ours: our documents, with the group K of their text (in a
 * qcode project with case and question, as KEY gives it), the GUID
 * export gives them (DERIVED: else the stored one) and whether one of
 * the other's is matched to them already. */
static void load_ours(struct project *p, const char *key, int derived)
{
	char *sql = xasprintf(
		"INSERT INTO temp.m_ours SELECT id, sha256%s, name, %s, "
		"case_id, id IN (SELECT n FROM temp.m_theirs WHERE n IS NOT "
		"NULL) FROM main.documents;"
		"CREATE INDEX temp.m_ours_guid ON m_ours(guid) WHERE guid IS "
		"NOT NULL;",
		key, derived ? "qcode_doc_guid(guid, name, sha256)" : "guid");

	db_exec(p, sql);
	free(sql);
}

/* Match each of the other's documents (temp.m_theirs) to one of ours
 * (temp.m_ours) of its group of equal texts K -- its text, and in a
 * qcode project its case and survey question -- by the strongest
 * evidence first: the same GUID (as export gives it: stored, else
 * derived from the name and text), then the same name, then (a REFI-QDA
 * project) the same case; a document left is matched only when it is
 * the one of its group on both sides, and new when we have none left
 * of its text.  One of the other's that could be several of ours, or
 * one of ours that several of the other's could be, refuses the merge
 * (refuse_ambiguous). */
static void match_documents(struct project *p, const char *o, int by_text,
			    const char *path)
{
	const char *key = by_text ? "" : " || ' ' || quote(question) || ' ' "
					 "|| quote(case_id)";
	int ours = 0;
	char *sql;

	if (sqlite3_create_function(p->db, "qcode_doc_guid", 3,
				    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				    fn_doc_guid, NULL, NULL) != SQLITE_OK) {
		die(QC_PROJECT, "%s", sqlite3_errmsg(p->db));
	}
	/* theirs, each with the document of ours of its name (names are
	 * unique) if its text is the same */
	sql = xasprintf(
		"DROP TABLE IF EXISTS temp.m_ours;"
		"DROP TABLE IF EXISTS temp.m_theirs;"
		"DROP TABLE IF EXISTS temp.m_pair;"
		"DROP TABLE IF EXISTS temp.m_grp;"
		"CREATE TEMP TABLE m_ours(id INTEGER PRIMARY KEY, k TEXT, "
		"name TEXT, guid TEXT, case_id INTEGER, taken INTEGER);"
		"CREATE TEMP TABLE m_theirs(o INTEGER PRIMARY KEY, k TEXT, "
		"name TEXT, guid TEXT, case_id INTEGER, n INTEGER, "
		"byname INTEGER);"
		"CREATE TEMP TABLE m_pair(o INTEGER, d INTEGER);"
		"CREATE INDEX temp.m_pair_o ON m_pair(o);"
		"CREATE INDEX temp.m_pair_d ON m_pair(d);"
		"CREATE TEMP TABLE m_grp(k TEXT, c INTEGER, u INTEGER, "
		"l INTEGER);"
		"CREATE INDEX temp.m_grp_k ON m_grp(k, c);"
		"INSERT INTO temp.m_theirs SELECT x.id, x.sha256%s, x.name, "
		"x.guid, mc.n, NULL, (SELECT d.id FROM main.documents d WHERE d.name "
		"= x.name AND d.sha256 = x.sha256%s) FROM @.documents x LEFT "
		"JOIN temp.m_case mc ON mc.o = x.case_id;",
		by_text ? "" : " || ' ' || quote(x.question) || ' ' || "
			       "quote(mc.n)",
		by_text ? "" : " AND d.question IS x.question AND d.case_id "
			       "IS mc.n");
	run(p, o, sql);
	free(sql);
	/* the same GUID: in a REFI-QDA project the file's and the one
	 * export gives ours; between qcode projects the stored ones (one
	 * derived is the name and text, the next step) */
	if (by_text || db_int(p, 0, "SELECT EXISTS (SELECT 1 FROM "
				    "temp.m_theirs WHERE guid IS NOT NULL)")) {
		load_ours(p, key, by_text);
		ours = 1;
		db_exec(p, "INSERT INTO temp.m_pair SELECT t.o, d.id FROM "
			   "temp.m_theirs t CROSS JOIN temp.m_ours d INDEXED "
			   "BY m_ours_guid ON d.guid = t.guid AND d.k = t.k;"
			   "UPDATE temp.m_theirs SET n = (SELECT h.d FROM "
			   "temp.m_pair h WHERE h.o = m_theirs.o) WHERE o IN "
			   "(SELECT o FROM temp.m_pair GROUP BY o HAVING "
			   "count(*) = 1 AND min(d) IN (SELECT d FROM "
			   "temp.m_pair GROUP BY d HAVING count(*) = 1));"
			   "UPDATE temp.m_ours SET taken = 1 WHERE id IN "
			   "(SELECT n FROM temp.m_theirs);");
	}
	/* the same name (one each side: names are unique) */
	db_exec(p, "UPDATE temp.m_theirs SET n = byname WHERE n IS NULL AND "
		   "byname IS NOT NULL AND byname NOT IN (SELECT n FROM "
		   "temp.m_theirs WHERE n IS NOT NULL)");
	/* (a copy's documents are all matched by now, as a rule) */
	if (db_int(p, 0, "SELECT EXISTS (SELECT 1 FROM temp.m_theirs WHERE "
			 "n IS NULL)")) {
		if (ours) {
			db_exec(p, "UPDATE temp.m_ours SET taken = 1 WHERE "
				   "taken = 0 AND id IN (SELECT n FROM "
				   "temp.m_theirs)");
		} else {
			load_ours(p, key, 0);
		}
		match_left(p, by_text, path);
	}
	db_exec(p, "INSERT INTO temp.m_doc SELECT o, n, 0 FROM temp.m_theirs "
		   "ORDER BY o");
}

/* Documents by content; a new one comes with its segments and source. */
static void merge_documents(struct project *p, const char *o,
			    const char *path, int by_text,
			    struct merge_stats *st, FILE *out)
{
	sqlite3_stmt *q, *ins, *name_taken;

	match_documents(p, o, by_text, path);
	st->docs_matched += count(p, o, "SELECT count(*) FROM temp.m_doc "
					"WHERE n IS NOT NULL");
	/* The sources of the documents added (a merge is not an import: a
	 * file whose documents are all ours already, such as the .qdpx a
	 * REFI-QDA merge reads, is not recorded as imported). */
	run(p, o, "INSERT INTO main.sources(path, sha256, format, encoding) "
		  "SELECT path, sha256, format, encoding FROM @.sources WHERE "
		  "sha256 NOT IN (SELECT sha256 FROM main.sources) AND id IN "
		  "(SELECT x.source_id FROM @.documents x JOIN temp.m_doc m "
		  "ON m.o = x.id WHERE m.n IS NULL) ORDER BY id");
	q = prep(p, o, "SELECT x.id, x.name FROM @.documents x JOIN "
		       "temp.m_doc m ON m.o = x.id WHERE m.n IS NULL ORDER BY "
		       "x.id");
	name_taken = db_prepare(p, "SELECT 1 FROM main.documents WHERE "
				   "name = ?");
	ins = prep(p, o,
		   "INSERT INTO main.documents(name, source_id, case_id, "
		   "question, format, text, chars, sha256, guid) SELECT ?, "
		   "(SELECT s.id FROM main.sources s JOIN @.sources y ON "
		   "y.sha256 = s.sha256 WHERE y.id = x.source_id), (SELECT n "
		   "FROM temp.m_case WHERE o = x.case_id), x.question, "
		   "x.format, x.text, x.chars, x.sha256, x.guid FROM "
		   "@.documents x WHERE x.id = ?");
	while (db_step(p, q)) {
		long long oid = sqlite3_column_int64(q, 0);
		char *name = xstrdup(db_col_text(q, 1));
		int n = 1;
		char *sql;

		/* a name this project uses for another text */
		for (;;) {
			sqlite3_reset(name_taken);
			db_bind_text(p, name_taken, 1, name);
			if (!db_step(p, name_taken)) {
				break;
			}
			free(name);
			name = xasprintf("%s (%d)", db_col_text(q, 1), ++n);
		}
		if (n > 1) {
			st->docs_renamed++;
			fprintf(out, "renamed: document '%s' is another text "
				"here; added as '%s'\n", db_col_text(q, 1),
				name);
		}
		sqlite3_reset(ins);
		db_bind_text(p, ins, 1, name);
		sqlite3_bind_int64(ins, 2, oid);
		db_step(p, ins);
		sql = sqlite3_mprintf("UPDATE temp.m_doc SET n = %lld, new = 1 "
				      "WHERE o = %lld",
				      sqlite3_last_insert_rowid(p->db), oid);
		db_exec(p, sql);
		sqlite3_free(sql);
		free(name);
		st->docs_added++;
	}
	sqlite3_finalize(q);
	sqlite3_finalize(ins);
	sqlite3_finalize(name_taken);
	run(p, o, "INSERT INTO main.segments(doc_id, idx, start, end, kind, "
		  "speaker, time_start, time_end) SELECT m.n, s.idx, s.start, "
		  "s.end, s.kind, s.speaker, s.time_start, s.time_end FROM "
		  "@.segments s JOIN temp.m_doc m ON m.o = s.doc_id WHERE "
		  "m.new = 1 ORDER BY s.id");
	run(p, o, "INSERT INTO temp.m_seg SELECT s.id, y.id FROM @.segments s "
		  "JOIN temp.m_doc m ON m.o = s.doc_id JOIN main.segments y ON "
		  "y.doc_id = m.n AND y.idx = s.idx");
	run(p, o, "INSERT INTO main.document_attributes(doc_id, attr_id, "
		  "value) SELECT m.n, ma.n, x.value FROM @.document_attributes "
		  "x JOIN temp.m_doc m ON m.o = x.doc_id JOIN temp.m_attr ma "
		  "ON ma.o = x.attr_id WHERE NOT EXISTS (SELECT 1 FROM "
		  "main.document_attributes y WHERE y.doc_id = m.n AND "
		  "y.attr_id = ma.n) ORDER BY x.id");
}

/* The rules of a code as one comparable string. */
#define RULES_OF(tbl, id)                                               \
	"(SELECT group_concat(kind || ':' || pattern, char(10)) FROM "  \
	"(SELECT kind, pattern FROM " tbl " WHERE code_id = " id        \
	" ORDER BY ord, id))"

/* How one of the other's codes found its code here. */
enum { CODE_NEW, CODE_BY_GUID, CODE_BY_PATH };

/* The GUIDs the codes of SCHEMA are exported under (refi_code_guids_in)
 * into the temporary table TBL(guid, id) of the columns COLS (with a
 * key: ours by GUID, where a GUID two codes store goes to the first;
 * theirs by id). */
static void load_code_guids(struct project *p, const char *schema,
			    const char *tbl, const char *cols)
{
	struct refi_code_guid *v;
	size_t n = refi_code_guids_in(p, schema, &v);
	char *sql = xasprintf("DROP TABLE IF EXISTS temp.%s;"
			      "CREATE TEMP TABLE %s(%s);", tbl, tbl, cols);
	sqlite3_stmt *ins;

	db_exec(p, sql);
	free(sql);
	sql = xasprintf("INSERT OR IGNORE INTO temp.%s(guid, id) VALUES(?, "
			"?)", tbl);
	ins = db_prepare(p, sql);
	free(sql);
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(ins);
		db_bind_text(p, ins, 1, v[i].guid);
		sqlite3_bind_int64(ins, 2, v[i].id);
		db_run(p, ins);
	}
	sqlite3_finalize(ins);
	free(v);
}

/* The message that the other's code NOW_PATH (found HOW_NOW) would be
 * our code OURS, which its code FIRST_PATH (found HOW_FIRST) is already
 * (caller frees). */
static char *two_codes_one(const char *file, const char *first_path,
			   int how_first, const char *now_path, int how_now,
			   const char *ours)
{
	const char *byg = how_first == CODE_BY_GUID ? first_path : now_path;
	const char *byp = byg == first_path ? now_path : first_path;

	if (how_first == CODE_BY_GUID && how_now == CODE_BY_GUID) {
		return xasprintf("'%s': its codes '%s' and '%s' are both code "
				 "'%s' here (the same GUID), so their codings "
				 "would be counted as one code's; nothing "
				 "merged", file, first_path, now_path, ours);
	}
	return xasprintf("'%s': its code '%s' is code '%s' here (the same "
			 "GUID), and its code '%s' has that path: merge "
			 "renames no code here, so the two would become one; "
			 "nothing merged (rename the code here first: 'qcode "
			 "codebook rename \"%s\" \"%s\"', and merge again)",
			 file, byg, ours, byp, ours, byg);
}

/* Match each of the other's codes, parents first, to one of ours: by
 * the GUID export gives it (stored, else derived from its path) and
 * ours, else by its path under its parent's path here; one of ours two
 * of the other's would become is refused.  A code found by GUID under
 * another path keeps ours, said on OUT.  A code of neither is added
 * under its parent's code here.  Fills temp.m_code. */
static void match_codes(struct project *p, const char *o, const char *file,
			struct merge_stats *st, FILE *out)
{
	sqlite3_stmt *q, *by_guid, *by_path, *taken, *parent, *put, *ins;

	load_code_guids(p, "main", "m_gours",
			"guid TEXT PRIMARY KEY, id INTEGER");
	load_code_guids(p, o, "m_gtheirs",
			"id INTEGER PRIMARY KEY, guid TEXT");
	q = prep(p, o, "SELECT x.id, x.name, x.path, x.parent_id, (SELECT "
		       "g.guid FROM temp.m_gtheirs g WHERE g.id = x.id) FROM "
		       "@.codes x ORDER BY length(x.path) - "
		       "length(replace(x.path, '/', '')), x.id");
	by_guid = db_prepare(p, "SELECT c.id, c.path FROM temp.m_gours g "
				"JOIN main.codes c ON c.id = g.id WHERE "
				"g.guid = ?");
	by_path = db_prepare(p, "SELECT id, path FROM main.codes WHERE path "
				"= ?");
	taken = prep(p, o, "SELECT x.path, m.how FROM temp.m_code m JOIN "
			   "@.codes x ON x.id = m.o WHERE m.n = ?");
	parent = db_prepare(p, "SELECT c.id, c.path FROM temp.m_code m JOIN "
			       "main.codes c ON c.id = m.n WHERE m.o = ?");
	put = db_prepare(p, "INSERT INTO temp.m_code VALUES(?, ?, ?, ?)");
	ins = prep(p, o, "INSERT INTO main.codes(parent_id, name, path, ord, "
			 "description, color, codable, example, language, "
			 "unit, questions, speakers, guid) SELECT ?, x.name, "
			 "?, x.ord, x.description, x.color, x.codable, "
			 "x.example, x.language, x.unit, x.questions, "
			 "x.speakers, x.guid FROM @.codes x WHERE x.id = ?");
	while (db_step(p, q)) {
		long long oid = sqlite3_column_int64(q, 0), pid = 0, id = 0;
		const char *theirs = db_col_text(q, 2);
		char *path, *ours = NULL;
		int how = CODE_NEW;

		/* its path here: under its parent's code here */
		if (sqlite3_column_type(q, 3) != SQLITE_NULL) {
			sqlite3_reset(parent);
			sqlite3_bind_int64(parent, 1,
					   sqlite3_column_int64(q, 3));
			if (!db_step(p, parent)) {
				die(QC_INTERNAL, "code '%s' of '%s' has no "
				    "parent", theirs, file);
			}
			pid = sqlite3_column_int64(parent, 0);
			path = xasprintf("%s/%s", db_col_text(parent, 1),
					 db_col_text(q, 1));
		} else {
			path = xstrdup(db_col_text(q, 1));
		}
		if (sqlite3_column_type(q, 4) != SQLITE_NULL) {
			sqlite3_reset(by_guid);
			db_bind_text(p, by_guid, 1, db_col_text(q, 4));
			if (db_step(p, by_guid)) {
				how = CODE_BY_GUID;
			}
		}
		if (how == CODE_NEW) {
			sqlite3_reset(by_path);
			db_bind_text(p, by_path, 1, path);
			if (db_step(p, by_path)) {
				how = CODE_BY_PATH;
			}
		}
		if (how != CODE_NEW) {
			sqlite3_stmt *f = how == CODE_BY_GUID ? by_guid
							      : by_path;

			id = sqlite3_column_int64(f, 0);
			ours = xstrdup(db_col_text(f, 1));
			sqlite3_reset(taken);
			sqlite3_bind_int64(taken, 1, id);
			if (db_step(p, taken)) {
				char *msg = two_codes_one(
					file, db_col_text(taken, 0),
					sqlite3_column_int(taken, 1), theirs,
					how, ours);

				free(path);
				free(ours);
				die_after(QC_INPUT, free, msg, "%s", msg);
			}
			if (strcmp(ours, path) != 0) {
				st->codes_renamed++;
				fprintf(out, "renamed: code '%s' there is "
					"'%s' here (the same GUID); it stays "
					"'%s'\n", theirs, ours, ours);
			}
		} else {
			sqlite3_reset(ins);
			if (pid) {
				sqlite3_bind_int64(ins, 1, pid);
			} else {
				sqlite3_bind_null(ins, 1);
			}
			db_bind_text(p, ins, 2, path);
			sqlite3_bind_int64(ins, 3, oid);
			db_run(p, ins);
			id = sqlite3_last_insert_rowid(p->db);
			st->codes_added++;
		}
		sqlite3_reset(put);
		sqlite3_bind_int64(put, 1, oid);
		sqlite3_bind_int64(put, 2, id);
		sqlite3_bind_int(put, 3, how == CODE_NEW);
		sqlite3_bind_int(put, 4, how);
		db_run(p, put);
		free(path);
		free(ours);
	}
	sqlite3_finalize(q);
	sqlite3_finalize(by_guid);
	sqlite3_finalize(by_path);
	sqlite3_finalize(taken);
	sqlite3_finalize(parent);
	sqlite3_finalize(put);
	sqlite3_finalize(ins);
}

/* Codes (match_codes), parents first; definitions that differ
 * reported. */
static void merge_codes(struct project *p, const char *o, const char *file,
			int theirs, struct merge_stats *st, FILE *out)
{
	sqlite3_stmt *q;

	match_codes(p, o, file, st, out);
	/* definitions that differ, for the codes both have */
	q = prep(p, o,
		 "SELECT c.path, c.description IS NOT x.description, c.color "
		 "IS NOT x.color, c.codable IS NOT x.codable, "
		 RULES_OF("main.rules", "c.id") " IS NOT "
		 RULES_OF("@.rules", "x.id") ", c.id, x.id FROM "
		 "temp.m_code m JOIN main.codes c ON c.id = m.n JOIN @.codes x "
		 "ON x.id = m.o WHERE m.new = 0 ORDER BY c.path");
	while (db_step(p, q)) {
		static const char *const what[] = { "description", "colour",
						    "codable", "rules" };
		struct strbuf sb = STRBUF_INIT;

		st->codes_matched++;
		for (int k = 0; k < 4; k++) {
			if (sqlite3_column_int(q, 1 + k)) {
				sb_addf(&sb, "%s%s", sb.len ? ", " : "",
					what[k]);
			}
		}
		if (sb.len) {
			st->codes_conflict++;
			fprintf(out, "conflict: code '%s': %s differ%s (%s)\n",
				db_col_text(q, 0), sb_str(&sb),
				strchr(sb_str(&sb), ',') ? "" : "s",
				theirs ? "took theirs" : "kept ours");
			if (theirs) {
				char *sql = sqlite3_mprintf(
					"UPDATE main.codes SET description = "
					"x.description, color = x.color, "
					"codable = x.codable FROM (SELECT * "
					"FROM @.codes WHERE id = %lld) x "
					"WHERE main.codes.id = %lld; "
					"DELETE FROM main.rules WHERE code_id "
					"= %lld; INSERT INTO main.rules("
					"code_id, kind, pattern, ord) SELECT "
					"%lld, kind, pattern, ord FROM "
					"@.rules WHERE code_id = %lld ORDER "
					"BY ord, id",
					sqlite3_column_int64(q, 6),
					sqlite3_column_int64(q, 5),
					sqlite3_column_int64(q, 5),
					sqlite3_column_int64(q, 5),
					sqlite3_column_int64(q, 6));

				run(p, o, sql);
				sqlite3_free(sql);
			}
		}
		sb_release(&sb);
	}
	sqlite3_finalize(q);
	run(p, o, "INSERT INTO main.rules(code_id, kind, pattern, ord) SELECT "
		  "m.n, r.kind, r.pattern, r.ord FROM @.rules r JOIN "
		  "temp.m_code m ON m.o = r.code_id WHERE m.new = 1 ORDER BY "
		  "r.id");
	run(p, o, "INSERT INTO main.code_sets(name, description, guid) SELECT "
		  "name, description, guid FROM @.code_sets WHERE name NOT IN "
		  "(SELECT name FROM main.code_sets) ORDER BY id");
	run(p, o, "INSERT OR IGNORE INTO main.code_set_members(set_id, "
		  "code_id) SELECT s.id, m.n FROM @.code_set_members x JOIN "
		  "@.code_sets y ON y.id = x.set_id JOIN main.code_sets s ON "
		  "s.name = y.name JOIN temp.m_code m ON m.o = x.code_id WHERE "
		  "NOT EXISTS (SELECT 1 FROM main.code_set_members z WHERE "
		  "z.set_id = s.id AND z.code_id = m.n) ORDER BY x.id");
}

/* The coding of ours that is the other's coding x (the same document,
 * span, code and coder), as an SQL expression. */
#define OUR_CODING(x)                                                   \
	"(SELECT y.id FROM main.codings y INDEXED BY codings_doc WHERE "  \
	"y.doc_id = (SELECT n FROM temp.m_doc WHERE o = " x ".doc_id) "   \
	"AND y.start = " x ".start AND y.end = " x ".end AND y.code_id = " \
	"(SELECT n FROM temp.m_code WHERE o = " x ".code_id) AND "        \
	"y.coder_id = (SELECT n FROM temp.m_coder WHERE o = " x           \
	".coder_id) ORDER BY y.id LIMIT 1)"

/* The memo of a coding both projects have: the other's fills an empty
 * one of ours; two different ones are a conflict (ours kept unless
 * THEIRS). */
static void merge_coding_memos(struct project *p, const char *o,
			       int theirs, struct merge_stats *st, FILE *out)
{
	sqlite3_stmt *q = prep(p, o,
		"SELECT y.id, y.memo, x.memo, d.name, y.start, y.end, "
		"k.path, r.name FROM (SELECT x.memo, " OUR_CODING("x")
		" AS ours FROM @.codings x WHERE x.memo IS NOT NULL AND "
		"x.memo <> '') x JOIN main.codings y ON y.id = x.ours JOIN "
		"main.documents d ON d.id = y.doc_id JOIN main.codes k ON "
		"k.id = y.code_id JOIN main.coders r ON r.id = y.coder_id "
		"WHERE y.memo IS NOT x.memo ORDER BY y.id");
	sqlite3_stmt *set = db_prepare(p, "UPDATE main.codings SET memo = ? "
					  "WHERE id = ?");

	while (db_step(p, q)) {
		const char *ours = db_col_text(q, 1);

		if (*ours) {
			st->memos_conflict++;
			fprintf(out, "conflict: the memo of %s's coding of "
				"'%s' [%lld, %lld) in '%s': '%s' here, '%s' "
				"there (%s)\n", db_col_text(q, 7),
				db_col_text(q, 6),
				sqlite3_column_int64(q, 4),
				sqlite3_column_int64(q, 5), db_col_text(q, 3),
				ours, db_col_text(q, 2),
				theirs ? "took theirs" : "kept ours");
			if (!theirs) {
				continue;
			}
		} else {
			st->memos_added++;
		}
		db_bind_text(p, set, 1, db_col_text(q, 2));
		sqlite3_bind_int64(set, 2, sqlite3_column_int64(q, 0));
		db_run(p, set);
	}
	sqlite3_finalize(q);
	sqlite3_finalize(set);
}

/* An id map (the other's id -> ours), open addressing. */
struct idmap {
	long long *k, *v;
	size_t cap, n;
};

#define IDMAP_EMPTY LLONG_MIN

static size_t id_hash(long long k)
{
	unsigned long long h = (unsigned long long)k * 0x9E3779B97F4A7C15ull;

	return (size_t)(h ^ (h >> 29));
}

static void idmap_put(struct idmap *m, long long k, long long v);

static void idmap_grow(struct idmap *m)
{
	struct idmap old = *m;

	m->cap = m->cap ? 2 * m->cap : 1024;
	m->k = xmalloc(m->cap * sizeof(long long));
	m->v = xmalloc(m->cap * sizeof(long long));
	m->n = 0;
	for (size_t i = 0; i < m->cap; i++) {
		m->k[i] = IDMAP_EMPTY;
	}
	for (size_t i = 0; i < old.cap; i++) {
		if (old.k[i] != IDMAP_EMPTY) {
			idmap_put(m, old.k[i], old.v[i]);
		}
	}
	free(old.k);
	free(old.v);
}

static void idmap_put(struct idmap *m, long long k, long long v)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap) {
		idmap_grow(m);
	}
	for (i = id_hash(k) & (m->cap - 1); m->k[i] != IDMAP_EMPTY;
	     i = (i + 1) & (m->cap - 1)) {
		if (m->k[i] == k) {
			m->v[i] = v;
			return;
		}
	}
	m->k[i] = k;
	m->v[i] = v;
	m->n++;
}

/* 1 and *V when K is mapped. */
static int idmap_get(const struct idmap *m, long long k, long long *v)
{
	if (!m->cap) {
		return 0;
	}
	for (size_t i = id_hash(k) & (m->cap - 1); m->k[i] != IDMAP_EMPTY;
	     i = (i + 1) & (m->cap - 1)) {
		if (m->k[i] == k) {
			*v = m->v[i];
			return 1;
		}
	}
	return 0;
}

/* The map of the temporary table TBL (o -> n, where n is set). */
static void idmap_load(struct project *p, const char *tbl, struct idmap *m)
{
	char *sql = xasprintf("SELECT o, n FROM temp.%s WHERE n IS NOT NULL",
			      tbl);
	sqlite3_stmt *st = db_prepare(p, sql);

	free(sql);
	memset(m, 0, sizeof(*m));
	while (db_step(p, st)) {
		idmap_put(m, sqlite3_column_int64(st, 0),
			  sqlite3_column_int64(st, 1));
	}
	sqlite3_finalize(st);
}

/* A coding's identity: document, span, code, coder. */
struct ckey {
	long long doc, start, end, code, coder;
};

/* A coding in the set: its identity, and for one of ours not yet met
 * in the other's codings its id (else 0) and status. */
struct cent {
	struct ckey k;
	long long id;
	int status;
};

struct cset {
	struct cent *v;
	size_t cap, n;
};

static const char *const statuses[] = { "accepted", "suggested",
					"rejected" };

static int status_of(const char *s)
{
	for (int i = 0; i < 3; i++) {
		if (strcmp(s, statuses[i]) == 0) {
			return i;
		}
	}
	die(QC_INTERNAL, "unknown coding status '%s'", s);
}

static size_t ckey_hash(const struct ckey *k)
{
	unsigned long long h = 1469598103934665603ull;
	const long long f[5] = { k->doc, k->start, k->end, k->code,
				 k->coder };

	for (int i = 0; i < 5; i++) {
		h = (h ^ (unsigned long long)f[i]) * 0x100000001B3ull;
		h ^= h >> 32;
	}
	return (size_t)h;
}

/* Add E; the entry of its identity when that was there already (valid
 * until the next add), else NULL. */
static struct cent *cset_add(struct cset *s, const struct cent *e)
{
	size_t i;

	if (4 * (s->n + 1) > 3 * s->cap) { /* load at most 3/4 */
		struct cset old = *s;

		s->cap = s->cap ? 2 * s->cap : 4096;
		s->v = xmalloc(s->cap * sizeof(*s->v));
		s->n = 0;
		for (size_t j = 0; j < s->cap; j++) {
			s->v[j].k.doc = IDMAP_EMPTY;
		}
		for (size_t j = 0; j < old.cap; j++) {
			if (old.v[j].k.doc != IDMAP_EMPTY) {
				cset_add(s, &old.v[j]);
			}
		}
		free(old.v);
	}
	for (i = ckey_hash(&e->k) & (s->cap - 1);
	     s->v[i].k.doc != IDMAP_EMPTY; i = (i + 1) & (s->cap - 1)) {
		if (memcmp(&s->v[i].k, &e->k, sizeof(e->k)) == 0) {
			return &s->v[i];
		}
	}
	s->v[i] = *e;
	s->n++;
	return NULL;
}

/* A coding both projects hold whose status differs: ours (ID) and the
 * other's status. */
struct sdiff {
	long long id;
	int theirs;
};

static int cmp_sdiff(const void *a, const void *b)
{
	long long x = ((const struct sdiff *)a)->id;
	long long y = ((const struct sdiff *)b)->id;

	return (x > y) - (x < y);
}

/* The codings both projects hold with another status (accepted,
 * suggested, rejected), listed as conflicts in the order of ours; the
 * other's status taken when THEIRS. */
static void merge_coding_status(struct project *p, struct sdiff *v,
				size_t n, int theirs,
				struct merge_stats *st, FILE *out)
{
	sqlite3_stmt *q, *set;

	if (!n) {
		return;
	}
	qsort(v, n, sizeof(*v), cmp_sdiff);
	q = db_prepare(p, "SELECT r.name, k.path, y.start, y.end, d.name, "
			  "y.status FROM main.codings y JOIN main.documents "
			  "d ON d.id = y.doc_id JOIN main.codes k ON k.id = "
			  "y.code_id JOIN main.coders r ON r.id = y.coder_id "
			  "WHERE y.id = ?");
	set = db_prepare(p, "UPDATE main.codings SET status = ? WHERE id = ?");
	for (size_t i = 0; i < n; i++) {
		const char *there = statuses[v[i].theirs];

		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, v[i].id);
		if (!db_step(p, q)) {
			continue;
		}
		st->status_conflict++;
		fprintf(out, "conflict: the status of %s's coding of '%s' "
			"[%lld, %lld) in '%s': '%s' here, '%s' there (%s)\n",
			db_col_text(q, 0), db_col_text(q, 1),
			sqlite3_column_int64(q, 2),
			sqlite3_column_int64(q, 3), db_col_text(q, 4),
			db_col_text(q, 5), there,
			theirs ? "took theirs" : "kept ours");
		if (theirs) {
			sqlite3_reset(set);
			db_bind_text(p, set, 1, there);
			sqlite3_bind_int64(set, 2, v[i].id);
			db_run(p, set);
		}
	}
	sqlite3_finalize(q);
	sqlite3_finalize(set);
}

/* Codings once per (document, span, code, coder), in one pass over
 * each project's codings: ours into a set, then the other's, mapped,
 * each new one inserted (the other's order) and added to the set, so a
 * coding the other file holds twice comes once too.  The first of the
 * other's codings that is one of ours compares their statuses. */
static void merge_coding_rows(struct project *p, const char *o, int theirs,
			      struct merge_stats *st, FILE *out)
{
	struct idmap mdoc, mcode, mcoder, mseg;
	struct cset set = { 0 };
	struct sdiff *diff = NULL;
	size_t ndiff = 0, capdiff = 0;
	sqlite3_stmt *q, *ins;
	long long total = 0;

	idmap_load(p, "m_doc", &mdoc);
	idmap_load(p, "m_code", &mcode);
	idmap_load(p, "m_coder", &mcoder);
	idmap_load(p, "m_seg", &mseg);
	q = db_prepare(p, "SELECT doc_id, start, end, code_id, coder_id, id, "
			  "status FROM main.codings ORDER BY id");
	while (db_step(p, q)) {
		struct cent e = { { sqlite3_column_int64(q, 0),
				    sqlite3_column_int64(q, 1),
				    sqlite3_column_int64(q, 2),
				    sqlite3_column_int64(q, 3),
				    sqlite3_column_int64(q, 4) },
				  sqlite3_column_int64(q, 5),
				  status_of(db_col_text(q, 6)) };

		cset_add(&set, &e);
	}
	sqlite3_finalize(q);
	q = prep(p, o, "SELECT doc_id, start, end, code_id, coder_id, "
		       "segment_id, origin, rule, status, memo, guid FROM "
		       "@.codings ORDER BY id");
	ins = db_prepare(p, "INSERT INTO main.codings(doc_id, start, end, "
			    "code_id, coder_id, segment_id, origin, rule, "
			    "status, memo, guid) VALUES(?, ?, ?, ?, ?, ?, ?, "
			    "?, ?, ?, ?)");
	while (db_step(p, q)) {
		struct cent e = { { 0 }, 0, 0 };
		struct cent *have;
		long long seg;

		total++;
		e.k.start = sqlite3_column_int64(q, 1);
		e.k.end = sqlite3_column_int64(q, 2);
		if (!idmap_get(&mdoc, sqlite3_column_int64(q, 0), &e.k.doc) ||
		    !idmap_get(&mcode, sqlite3_column_int64(q, 3),
			       &e.k.code) ||
		    !idmap_get(&mcoder, sqlite3_column_int64(q, 4),
			       &e.k.coder)) {
			continue;
		}
		have = cset_add(&set, &e);
		if (have) {
			int s = status_of(db_col_text(q, 8));

			if (have->id && have->status != s) {
				if (ndiff == capdiff) {
					capdiff = capdiff ? 2 * capdiff : 64;
					diff = xrealloc(diff, capdiff *
							sizeof(*diff));
				}
				diff[ndiff].id = have->id;
				diff[ndiff++].theirs = s;
			}
			have->id = 0;
			continue;
		}
		sqlite3_bind_int64(ins, 1, e.k.doc);
		sqlite3_bind_int64(ins, 2, e.k.start);
		sqlite3_bind_int64(ins, 3, e.k.end);
		sqlite3_bind_int64(ins, 4, e.k.code);
		sqlite3_bind_int64(ins, 5, e.k.coder);
		if (sqlite3_column_type(q, 5) != SQLITE_NULL &&
		    idmap_get(&mseg, sqlite3_column_int64(q, 5), &seg)) {
			sqlite3_bind_int64(ins, 6, seg);
		} else {
			sqlite3_bind_null(ins, 6);
		}
		for (int c = 6; c <= 10; c++) {
			sqlite3_bind_value(ins, c + 1, sqlite3_column_value(q, c));
		}
		db_run(p, ins);
		st->codings_added++;
	}
	sqlite3_finalize(q);
	sqlite3_finalize(ins);
	st->codings_dup += total - st->codings_added;
	free(set.v);
	free(mdoc.k);
	free(mdoc.v);
	free(mcode.k);
	free(mcode.v);
	free(mcoder.k);
	free(mcoder.v);
	free(mseg.k);
	free(mseg.v);
	merge_coding_status(p, diff, ndiff, theirs, st, out);
	free(diff);
}

/* Codings once per (document, span, code, coder); memos. */
static void merge_codings(struct project *p, const char *o, int theirs,
			  struct merge_stats *st, FILE *out)
{
	merge_coding_rows(p, o, theirs, st, out);
	merge_coding_memos(p, o, theirs, st, out);
	/* memos on the project, a case, a document, a code or a coding;
	 * the same memo (target, coder, text) once */
	db_exec(p, "DROP TABLE IF EXISTS temp.m_memo;"
		   "CREATE TEMP TABLE m_memo(o INTEGER PRIMARY KEY, "
		   "target);");
	run(p, o, "INSERT INTO temp.m_memo SELECT x.id, CASE x.target_kind "
		  "WHEN 'case' THEN (SELECT n FROM temp.m_case WHERE o = "
		  "x.target_id) WHEN 'document' THEN (SELECT n FROM "
		  "temp.m_doc WHERE o = x.target_id) WHEN 'code' THEN (SELECT "
		  "n FROM temp.m_code WHERE o = x.target_id) WHEN 'coding' "
		  "THEN (SELECT " OUR_CODING("c") " FROM @.codings c WHERE "
		  "c.id = x.target_id) ELSE x.target_id END FROM @.memos x "
		  "WHERE x.target_kind IN ('project', 'case', 'document', "
		  "'code', 'coding')");
	st->memos_added += run(p, o,
		"INSERT INTO main.memos(target_kind, target_id, coder_id, "
		"name, text, guid) SELECT x.target_kind, m.target, (SELECT n "
		"FROM temp.m_coder WHERE o = x.coder_id), x.name, x.text, "
		"x.guid FROM @.memos x JOIN temp.m_memo m ON m.o = x.id "
		"WHERE (x.target_kind = 'project' OR m.target IS NOT NULL) "
		"AND NOT EXISTS (SELECT 1 FROM main.memos y WHERE "
		"y.target_kind = x.target_kind AND y.text = x.text AND "
		"y.coder_id IS (SELECT n FROM temp.m_coder WHERE o = "
		"x.coder_id) AND y.target_id IS m.target) ORDER BY x.id");
}

char *merge_attach(struct project *p, const char *path)
{
	static int nattached;
	char *schema = xasprintf("other%d", ++nattached);

	attach(p, path, schema);
	return schema;
}

void merge_project(struct project *p, const char *schema, const char *path,
		   unsigned flags, struct merge_stats *st, FILE *out)
{
	int theirs = (flags & MERGE_THEIRS) != 0;

	db_exec(p, "DROP TABLE IF EXISTS temp.m_coder;"
		   "DROP TABLE IF EXISTS temp.m_case;"
		   "DROP TABLE IF EXISTS temp.m_attr;"
		   "DROP TABLE IF EXISTS temp.m_doc;"
		   "DROP TABLE IF EXISTS temp.m_seg;"
		   "DROP TABLE IF EXISTS temp.m_code;"
		   "CREATE TEMP TABLE m_coder(o INTEGER PRIMARY KEY, n);"
		   "CREATE TEMP TABLE m_case(o INTEGER PRIMARY KEY, n);"
		   "CREATE TEMP TABLE m_attr(o INTEGER PRIMARY KEY, n);"
		   "CREATE TEMP TABLE m_doc(o INTEGER PRIMARY KEY, n, new);"
		   "CREATE TEMP TABLE m_seg(o INTEGER PRIMARY KEY, n);"
		   "CREATE TEMP TABLE m_code(o INTEGER PRIMARY KEY, n, new, "
		   "how);"
		   "CREATE INDEX temp.m_code_n ON m_code(n);");
	merge_names(p, schema, theirs, st, out);
	merge_documents(p, schema, path, (flags & MERGE_BY_TEXT) != 0, st,
			out);
	merge_codes(p, schema, path, theirs, st, out);
	merge_codings(p, schema, theirs, st, out);
}
