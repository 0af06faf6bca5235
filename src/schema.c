/*
 * schema.c - the project schema, version by version.
 *
 * A migration is never edited once released; a change is a new entry.
 * Every user-data table has an AUTOINCREMENT id so that ids are never
 * reused, which lets undo find a command's inserts by id (project.c).
 */
#include "schema.h"

/* Covers what counts and quote books read of a coding, so they never
 * read the table (report.c, report_quotes.c).  Autocode on one thread
 * drops it while it stores many codings and builds it again after
 * (autocode.c). */
const char schema_codings_code_index[] =
	"CREATE INDEX codings_code ON codings(code_id, status, coder_id,\n"
	"  doc_id, segment_id, start, end);\n";

static const char *const v1[] = {
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);\n",
	/* History: one row per command that changed the project. */
	"CREATE TABLE history(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  kind TEXT NOT NULL CHECK(kind IN ('command','undo')),\n"
	"  command TEXT NOT NULL,\n"
	"  args TEXT NOT NULL DEFAULT '',\n"
	"  coder TEXT,\n"
	"  undone_by INTEGER REFERENCES history(id),\n"
	"  undoes INTEGER REFERENCES history(id));\n",
	/* Highest id of each tracked table when the command began. */
	"CREATE TABLE history_marks(\n"
	"  hist_id INTEGER NOT NULL REFERENCES history(id),\n"
	"  tbl TEXT NOT NULL, max_id INTEGER NOT NULL,\n"
	"  PRIMARY KEY(hist_id, tbl));\n",
	/* SQL that restores a row a command updated or deleted. */
	"CREATE TABLE undo_log(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  hist_id INTEGER NOT NULL, sql TEXT NOT NULL);\n",
	"CREATE INDEX undo_log_hist ON undo_log(hist_id);\n",
	"CREATE TABLE cases(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  description TEXT,\n"
	"  guid TEXT);\n",
	/* Attribute definitions (REFI "variables"). type: text, integer,
	 * float, date, datetime, boolean. */
	"CREATE TABLE attributes(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  type TEXT NOT NULL DEFAULT 'text',\n"
	"  description TEXT,\n"
	"  guid TEXT);\n",
	"CREATE TABLE case_attributes(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,\n"
	"  attr_id INTEGER NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,\n"
	"  value TEXT,\n"
	"  UNIQUE(case_id, attr_id));\n",
	/* An imported file, identified by the sha256 of its normalised
	 * content (for a survey table, mixed with the id and text columns
	 * imported: import.c table_key): importing it again is a no-op. */
	"CREATE TABLE sources(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  path TEXT NOT NULL,\n"
	"  sha256 TEXT NOT NULL UNIQUE,\n"
	"  format TEXT NOT NULL,\n"
	"  encoding TEXT NOT NULL DEFAULT 'utf-8');\n",
	"CREATE TABLE documents(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,\n"
	"  case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,\n"
	"  question TEXT,\n"
	"  format TEXT NOT NULL,\n"
	"  text TEXT NOT NULL,\n"
	"  chars INTEGER NOT NULL,\n"
	"  sha256 TEXT NOT NULL,\n"
	"  guid TEXT);\n",
	"CREATE INDEX documents_case ON documents(case_id);\n",
	"CREATE TABLE document_attributes(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
	"  attr_id INTEGER NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,\n"
	"  value TEXT,\n"
	"  UNIQUE(doc_id, attr_id));\n",
	/* A unit of a document; offsets in code points, end-exclusive;
	 * times in milliseconds. kind: turn, paragraph, cue, answer. */
	"CREATE TABLE segments(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
	"  idx INTEGER NOT NULL,\n"
	"  start INTEGER NOT NULL,\n"
	"  end INTEGER NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  speaker TEXT,\n"
	"  time_start INTEGER,\n"
	"  time_end INTEGER,\n"
	"  UNIQUE(doc_id, idx));\n",
	/* The codebook tree.  path is the '/'-joined names from the root. */
	"CREATE TABLE codes(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  parent_id INTEGER REFERENCES codes(id) ON DELETE CASCADE,\n"
	"  name TEXT NOT NULL,\n"
	"  path TEXT NOT NULL UNIQUE,\n"
	"  ord INTEGER NOT NULL DEFAULT 0,\n"
	"  description TEXT,\n"
	"  color TEXT,\n"
	"  codable INTEGER NOT NULL DEFAULT 1,\n"
	"  example TEXT,\n"
	"  language TEXT,\n"
	"  unit TEXT,\n"
	"  questions TEXT,\n"
	"  speakers TEXT,\n"
	"  guid TEXT);\n",
	/* Rules of a code.  kind: keyword, regex, exclude_keyword,
	 * exclude_regex. */
	"CREATE TABLE rules(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,\n"
	"  kind TEXT NOT NULL,\n"
	"  pattern TEXT NOT NULL,\n"
	"  ord INTEGER NOT NULL DEFAULT 0);\n",
	"CREATE INDEX rules_code ON rules(code_id);\n",
	/* Code groups (REFI Sets). */
	"CREATE TABLE code_sets(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  description TEXT,\n"
	"  guid TEXT);\n",
	"CREATE TABLE code_set_members(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  set_id INTEGER NOT NULL REFERENCES code_sets(id) ON DELETE CASCADE,\n"
	"  code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,\n"
	"  UNIQUE(set_id, code_id));\n",
	"CREATE TABLE coders(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  guid TEXT);\n",
	/* A code applied to doc text [start, end) in code points.
	 * origin: manual, imported, auto.  status: accepted, suggested,
	 * rejected.  rule: the keyword or pattern of an auto coding.
	 * (The checks are written with OR, not IN: SQLite builds a
	 * temporary b-tree for an IN list on every insert, which made
	 * bulk inserts 10 times slower.) */
	"CREATE TABLE codings(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
	"  code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,\n"
	"  coder_id INTEGER NOT NULL REFERENCES coders(id),\n"
	"  segment_id INTEGER REFERENCES segments(id) ON DELETE SET NULL,\n"
	"  start INTEGER NOT NULL,\n"
	"  end INTEGER NOT NULL,\n"
	"  origin TEXT NOT NULL CHECK(origin = 'manual' OR\n"
	"    origin = 'imported' OR origin = 'auto'),\n"
	"  rule TEXT,\n"
	"  status TEXT NOT NULL\n"
	"    CHECK(status = 'accepted' OR status = 'suggested' OR\n"
	"      status = 'rejected'),\n"
	"  memo TEXT,\n"
	"  guid TEXT,\n"
	"  CHECK(start >= 0 AND end >= start));\n",
	"CREATE INDEX codings_doc ON codings(doc_id, start);\n",
	schema_codings_code_index,
	/* Memos and notes: on the project (target_kind 'project'), a case,
	 * a document, a code or a coding. */
	"CREATE TABLE memos(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  target_kind TEXT NOT NULL,\n"
	"  target_id INTEGER,\n"
	"  coder_id INTEGER REFERENCES coders(id),\n"
	"  name TEXT,\n"
	"  text TEXT NOT NULL,\n"
	"  guid TEXT);\n",
	NULL,
};

/* Version 2.  Survey questions with their wording (a second header row,
 * e.g. Qualtrics'), in the order of the survey's columns; and speaker
 * aliases: a spelling of a speaker's name (compared by speaker_key(),
 * case and spaces ignored) and the name every command uses for it. */
static const char *const v2[] = {
	"CREATE TABLE questions(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  wording TEXT,\n"
	"  ord INTEGER NOT NULL DEFAULT 0);\n",
	"CREATE TABLE speaker_aliases(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  alias TEXT NOT NULL UNIQUE,\n"
	"  speaker TEXT NOT NULL);\n",
	/* Objects are found by GUID when a .qdpx comes in (refi_import.c);
	 * without these each lookup read the whole table, so importing a
	 * project was quadratic in its codings and cases.  Partial: codings
	 * made by autocode carry no GUID and cost nothing here. */
	"CREATE INDEX codings_guid ON codings(guid) WHERE guid IS NOT NULL;\n",
	"CREATE INDEX codes_guid ON codes(guid) WHERE guid IS NOT NULL;\n",
	"CREATE INDEX cases_guid ON cases(guid) WHERE guid IS NOT NULL;\n",
	"CREATE INDEX coders_guid ON coders(guid) WHERE guid IS NOT NULL;\n",
	"CREATE INDEX attributes_guid ON attributes(guid)\n"
	"  WHERE guid IS NOT NULL;\n",
	"CREATE INDEX code_sets_guid ON code_sets(guid)\n"
	"  WHERE guid IS NOT NULL;\n",
	"CREATE INDEX documents_guid ON documents(guid)\n"
	"  WHERE guid IS NOT NULL;\n",
	"CREATE INDEX memos_guid ON memos(guid) WHERE guid IS NOT NULL;\n",
	/* A code's "normalise: no": with language ar its keywords match
	 * only their own spelling (match.h).  1: normalise. */
	"ALTER TABLE codes ADD COLUMN normalise INTEGER NOT NULL DEFAULT 1;\n",
	/* Which row each undo_log entry restores, so that undo per coder
	 * can see a later change of another coder that touched the same
	 * row (project.c undo_blocker).  NULL in entries logged before. */
	"ALTER TABLE undo_log ADD COLUMN tbl TEXT;\n",
	"ALTER TABLE undo_log ADD COLUMN row_id INTEGER;\n",
	"CREATE INDEX undo_log_row ON undo_log(tbl, row_id);\n",
	NULL,
};

const char *const *const schema_migrations[] = { v1, v2 };
const size_t schema_version =
	sizeof(schema_migrations) / sizeof(schema_migrations[0]);

const char *const schema_tracked_tables[] = {
	"cases",  "attributes", "case_attributes",  "sources",
	"documents", "document_attributes", "segments", "codes",
	"rules",  "code_sets",  "code_set_members", "coders",
	"codings", "memos", "questions", "speaker_aliases",
};
const size_t schema_ntracked =
	sizeof(schema_tracked_tables) / sizeof(schema_tracked_tables[0]);
