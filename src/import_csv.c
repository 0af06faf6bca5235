/*
 * import_csv.c - survey exports: one row per case (the id column, or the
 * row's number), one document per non-empty open-ended answer (the text
 * columns), every other column a case attribute, and a question per text
 * column (with its wording from a second header row).  The rows come from
 * a row source (survey.h): a CSV or TSV file (here) or a sheet of an
 * Excel workbook (import_xlsx.c).  Also the attribute tables of 'qcode
 * attr import' (first column the case, no documents).
 *
 * Cells are trimmed of surrounding whitespace; a cell that is then empty,
 * or equals one of the --missing values, is no answer and no value.
 * After the import, markers of no answer that became answers (one exact
 * answer filling much of a question) and --missing values no cell equals
 * are warned about; a column that is a question of the project is never
 * made an attribute.
 */
#include <stdint.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "instream.h"
#include "sha256.h"
#include "import.h"
#include "lookup.h"
#include "survey.h"
#include "text.h"
#include "util.h"

/* Attribute values of cases the project had stored by one statement, at
 * most (they are gathered over rows until there are this many). */
#define ATTR_CHUNK 256

/* One exact answer repeated at least this often, and in at least
 * 1 / REPEAT_SHARE of a question's answers, is likely a marker of no
 * answer (NotShown, -99): warned about after the import. */
#define REPEAT_MIN 10
#define REPEAT_SHARE 50
/* The repeated answers named per question, at most. */
#define REPEAT_SHOWN 5

/* What a column is imported as. */
enum col_role { COL_ATTR, COL_ID, COL_TEXT, COL_UNNAMED, COL_QUESTION };

/* No id column: --id-column @row names the cases by row number. */
#define NO_COL SIZE_MAX

/* A row read ahead (to recognise a Qualtrics export) and handed out
 * again: owned copies of its cells, and the array handed out (whose
 * pointers the reader may move, trimming the cells). */
struct saved_row {
	size_t n;
	char **own;
	char **fields;
	size_t line;
};

/* Case ids seen in the file, with the line of their row: an open
 * addressing hash set of owned strings. */
struct seen {
	size_t cap, n;
	char **keys;
	size_t *lines;
};

/* The file being imported. */
struct table {
	struct import_ctx *ic;
	struct import_file *f;
	const char *format;  /* "csv", "tsv", "xlsx": the documents' format */
	struct row_source *src;
	/* The current row: the source's, or a saved one handed out again. */
	size_t nfields;
	char **fields;
	size_t line;
	struct saved_row saved[2];
	size_t nsaved, next_saved;
	size_t recno;        /* rows read after the header rows */
	size_t ncols;
	char **names;        /* trimmed header names (owned) */
	char **wording;      /* the second header row's cells, or NULL */
	enum col_role *role;
	long long *attr_id;  /* attribute ids, created at the first value */
	size_t id_col;       /* NO_COL with --id-column @row */
	int qualtrics;       /* the third row holds Qualtrics ImportIds */
	size_t ntext, nattr;
	int unnamed_values;  /* a column without a name held values */
	struct seen seen;
	/* The attribute values of the current row, stored together. */
	size_t nrow_attr;
	long long *row_attr;
	const char **row_value;
	/* Values for cases the project had, not stored yet: case, attribute
	 * and the value's offset in pend_text, NUL-terminated there. */
	size_t npend;
	long long pend_case[ATTR_CHUNK], pend_attr[ATTR_CHUNK];
	size_t pend_at[ATTR_CHUNK];
	struct strbuf pend_text;
	sqlite3_stmt **attr_ins; /* [k]: stores k values */
	sqlite3_stmt *attr_new;	 /* stores one value of a case the row made */
	sqlite3_stmt *doc_sha;   /* a document's sha256 by name */
	size_t kept;             /* answers the project had already */
	int stale_attrs;         /* a text column is also an attribute */
	int attrs_only;          /* 'qcode attr import' */
	sqlite3_stmt *case_get;  /* a case's id by name */
	size_t whole_ids;        /* ids N.0 read as the project's case N */
	char *first_whole;       /* the first of them */
	sqlite3_stmt *attr_del;
	/* Per --missing value: the cells equal to it, and the first cell
	 * equal to it but for ASCII case (owned), for the warnings. */
	size_t *missing_hits;
	char **missing_like;
	/* Per column: a text column's answers in the project before. */
	long long *answers_before;
};

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ULL & (size_t)-1;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= (size_t)1099511628211ULL;
	}
	return h;
}

/* Add KEY seen at LINE; returns the line it was seen at before, or 0. */
static size_t seen_add(struct seen *h, const char *key, size_t line)
{
	size_t i;

	if (2 * (h->n + 1) > h->cap) {
		struct seen big = { h->cap ? h->cap * 2 : 256, h->n, NULL,
				    NULL };

		big.keys = xcalloc(big.cap, sizeof(*big.keys));
		big.lines = xcalloc(big.cap, sizeof(*big.lines));
		for (size_t k = 0; k < h->cap; k++) {
			if (!h->keys[k]) {
				continue;
			}
			i = hash_str(h->keys[k]) & (big.cap - 1);
			while (big.keys[i]) {
				i = (i + 1) & (big.cap - 1);
			}
			big.keys[i] = h->keys[k];
			big.lines[i] = h->lines[k];
		}
		free(h->keys);
		free(h->lines);
		*h = big;
	}
	i = hash_str(key) & (h->cap - 1);
	while (h->keys[i]) {
		if (strcmp(h->keys[i], key) == 0) {
			return h->lines[i];
		}
		i = (i + 1) & (h->cap - 1);
	}
	h->keys[i] = xstrdup(key);
	h->lines[i] = line;
	h->n++;
	return 0;
}

static void seen_release(struct seen *h)
{
	for (size_t i = 0; i < h->cap; i++) {
		free(h->keys[i]);
	}
	free(h->keys);
	free(h->lines);
	memset(h, 0, sizeof(*h));
}

/* "a, b, c": the header's names, for messages.  Caller frees. */
static char *column_list(const struct table *t)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t c = 0; c < t->ncols; c++) {
		if (t->role[c] != COL_UNNAMED) {
			sb_addf(&sb, "%s%s", sb.len ? ", " : "", t->names[c]);
		}
	}
	return sb_detach(&sb, NULL);
}

/* The column named NAME; dies naming the available ones when absent. */
static size_t find_column(struct table *t, const char *name,
			  const char *option)
{
	char *list;

	for (size_t c = 0; c < t->ncols; c++) {
		if (t->role[c] != COL_UNNAMED &&
		    strcmp(t->names[c], name) == 0) {
			return c;
		}
	}
	list = column_list(t);
	/* die() exits: the list is reclaimed with the process. */
	die(QC_USAGE, "no column '%s' (%s) in %s; its columns are: %s",
	    name, option, t->src->where, list);
}

/* 1 when T has a (named) column NAME. */
static int has_column(const struct table *t, const char *name)
{
	for (size_t c = 0; c < t->ncols; c++) {
		if (t->role[c] != COL_UNNAMED &&
		    strcmp(t->names[c], name) == 0) {
			return 1;
		}
	}
	return 0;
}

/* 1 when V (trimmed) counts as no answer. */
static int is_missing(const struct import_opts *o, const char *v)
{
	if (!*v) {
		return 1;
	}
	for (char **m = o->missing; m && *m; m++) {
		if (strcmp(*m, v) == 0) {
			return 1;
		}
	}
	return 0;
}

/* is_missing() for a cell of the file, counting the --missing values'
 * matches (and remembering a cell matching one but for case). */
static int cell_missing(struct table *t, const char *v)
{
	const struct import_opts *o = t->ic->o;
	size_t i = 0;

	if (!*v) {
		return 1;
	}
	for (char **m = o->missing; m && *m; m++, i++) {
		if (strcmp(*m, v) == 0) {
			t->missing_hits[i]++;
			return 1;
		}
		if (!t->missing_like[i] && strcasecmp(*m, v) == 0) {
			t->missing_like[i] = xstrdup(v);
		}
	}
	return 0;
}

/* The next row into T->nfields, T->fields and T->line: a saved one,
 * else the source's.  Returns 1, or 0 at the end. */
static int next_row(struct table *t)
{
	if (t->next_saved < t->nsaved) {
		struct saved_row *s = &t->saved[t->next_saved++];

		t->nfields = s->n;
		t->fields = s->fields;
		t->line = s->line;
		return 1;
	}
	if (!t->src->next(t->src)) {
		return 0;
	}
	t->nfields = t->src->nfields;
	t->fields = t->src->fields;
	t->line = t->src->line;
	return 1;
}

/* Read the next row of the source and keep a copy to hand out again.
 * Returns 1, or 0 at the end. */
static int save_row(struct table *t)
{
	struct saved_row *s = &t->saved[t->nsaved];

	if (!t->src->next(t->src)) {
		return 0;
	}
	s->n = t->src->nfields;
	s->line = t->src->line;
	s->own = xcalloc(s->n + 1, sizeof(*s->own));
	s->fields = xcalloc(s->n + 1, sizeof(*s->fields));
	for (size_t c = 0; c < s->n; c++) {
		s->own[c] = s->fields[c] = xstrdup(t->src->fields[c]);
	}
	t->nsaved++;
	return 1;
}

static void saved_release(struct table *t)
{
	for (size_t i = 0; i < t->nsaved; i++) {
		free_strv(t->saved[i].own);
		free(t->saved[i].fields);
	}
	t->nsaved = t->next_saved = 0;
}

/* 1 when the N cells V are a Qualtrics export's row of ImportIds: every
 * non-empty cell a {"ImportId":...} object, and one at least. */
static int importid_row(char *const *v, size_t n)
{
	size_t ids = 0;

	for (size_t c = 0; c < n; c++) {
		const char *s = v[c];

		while (*s == ' ' || *s == '\t') {
			s++;
		}
		if (!*s) {
			continue;
		}
		if (strncmp(s, "{\"ImportId\"", 11) != 0) {
			return 0;
		}
		ids++;
	}
	return ids > 0;
}

/* Keep the N cells V (the second header row) as the columns' wording. */
static void keep_wording(struct table *t, char **v, size_t n)
{
	for (size_t c = 0; c < t->ncols && c < n; c++) {
		const char *w = trim(v[c]);

		if (*w) {
			t->wording[c] = xstrdup(w);
		}
	}
}

/* Read the header rows: the first names the columns, the second (when
 * there are two or more) holds the questions' wording.  Without
 * --header-rows and --skip-rows, a Qualtrics export (its third row holds
 * ImportIds) is recognised and read with its three header rows. */
static void read_header_rows(struct table *t)
{
	const struct import_opts *o = t->ic->o;
	long n = o->header_rows;

	if (!next_row(t)) {
		die(QC_INPUT, "%s is empty: a header row naming the columns "
			      "is needed", t->src->where);
	}
	t->ncols = t->nfields;
	t->names = xcalloc(t->ncols, sizeof(*t->names));
	t->wording = xcalloc(t->ncols, sizeof(*t->wording));
	for (size_t c = 0; c < t->ncols; c++) {
		t->names[c] = xstrdup(trim(t->fields[c]));
	}
	if (!n && !o->skip_rows) {
		/* Read two rows ahead; hand them out again unless they are
		 * Qualtrics' wording and ImportIds. */
		if (save_row(t) && save_row(t) &&
		    importid_row(t->saved[1].fields, t->saved[1].n)) {
			keep_wording(t, t->saved[0].fields, t->saved[0].n);
			saved_release(t);
			t->qualtrics = 1;
			return;
		}
		return;
	}
	for (long i = 1; i < n; i++) {
		if (!next_row(t)) {
			return;
		}
		if (i == 1) {
			keep_wording(t, t->fields, t->nfields);
		} else if (i == 2 && importid_row(t->fields, t->nfields)) {
			t->qualtrics = 1;
		}
	}
}

/* A question per text column: its wording (a second header row's cell;
 * kept from an earlier import when this file has none) and its place in
 * the file. */
static void store_questions(struct table *t)
{
	struct project *p = t->ic->p;
	sqlite3_stmt *st = db_prepare(
		p, "INSERT INTO questions(name, wording, ord) VALUES(?, ?, ?) "
		   "ON CONFLICT(name) DO UPDATE SET wording = "
		   "coalesce(excluded.wording, wording), ord = excluded.ord "
		   "WHERE coalesce(excluded.wording, wording) IS NOT wording "
		   "OR excluded.ord IS NOT ord");

	for (size_t c = 0; c < t->ncols; c++) {
		if (t->role[c] != COL_TEXT) {
			continue;
		}
		db_bind_text(p, st, 1, t->names[c]);
		db_bind_text(p, st, 2, t->wording[c]);
		sqlite3_bind_int64(st, 3, (long long)c + 1);
		db_run(p, st);
	}
	sqlite3_finalize(st);
}

/* The columns left as attributes that are questions of the project
 * (their answers documents, from an earlier import naming them in
 * --text-columns): left out, so that a column is never both. */
static void leave_out_questions(struct table *t)
{
	struct project *p = t->ic->p;
	sqlite3_stmt *st = db_prepare(p, "SELECT 1 FROM questions WHERE "
					 "name = ?");
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;

	for (size_t c = 0; c < t->ncols; c++) {
		if (t->role[c] != COL_ATTR) {
			continue;
		}
		db_bind_text(p, st, 1, t->names[c]);
		if (db_step(p, st)) {
			t->role[c] = COL_QUESTION;
			sb_addf(&sb, "%s'%s'", n++ ? ", " : "", t->names[c]);
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (n == 1) {
		notice("%s: column %s is a question of the project (its "
		       "answers were imported before), so it is not made an "
		       "attribute%s", t->src->where, sb.buf,
		       t->attrs_only ? "" : "; name it in --text-columns to "
					    "import its answers again");
	} else if (n) {
		notice("%s: columns %s are questions of the project (their "
		       "answers were imported before), so they are not made "
		       "attributes%s", t->src->where, sb.buf,
		       t->attrs_only ? "" : "; name them in --text-columns "
					    "to import their answers again");
	}
	sb_release(&sb);
}

/* Read the header and decide each column's role. */
static void read_header(struct table *t, int attrs_only)
{
	const struct import_opts *o = t->ic->o;

	read_header_rows(t);
	t->role = xcalloc(t->ncols, sizeof(*t->role));
	t->attr_id = xcalloc(t->ncols, sizeof(*t->attr_id));
	for (size_t c = 0; c < t->ncols; c++) {
		t->role[c] = t->names[c][0] ? COL_ATTR : COL_UNNAMED;
		for (size_t k = 0; k < c && t->role[c] != COL_UNNAMED; k++) {
			if (strcmp(t->names[k], t->names[c]) == 0) {
				die(QC_INPUT, "column '%s' appears twice in "
					      "the header of %s (columns %zu "
					      "and %zu)", t->names[c],
				    t->src->where, k + 1, c + 1);
			}
		}
	}
	if (o->id_column && strcmp(o->id_column, "@row") == 0) {
		t->id_col = NO_COL;
	} else if (o->id_column) {
		t->id_col = find_column(t, o->id_column, "--id-column");
	} else if (t->qualtrics && has_column(t, "ResponseId")) {
		/* Qualtrics' first columns are dates; its id is this. */
		t->id_col = find_column(t, "ResponseId", "--id-column");
	} else if (t->role[0] == COL_UNNAMED) {
		die(QC_INPUT, "the first column of %s has no name; name the "
			      "case column with --id-column (or number the "
			      "cases by row with --id-column @row)",
		    t->src->where);
	}
	if (t->qualtrics && !o->header_rows && !o->skip_rows) {
		notice("%s is a Qualtrics export (its third row holds "
		       "ImportIds): read 3 header rows (column names, "
		       "question wording, ImportIds); --header-rows N "
		       "reads it otherwise", t->src->where);
	}
	if (t->id_col != NO_COL) {
		t->role[t->id_col] = COL_ID;
	}
	if (attrs_only) {
		leave_out_questions(t);
		return;
	}
	if (!o->text_columns || !o->text_columns[0]) {
		char *list = column_list(t);

		die(QC_USAGE, "name the open-ended questions of %s with "
			      "--text-columns A,B,...; its columns are: %s",
		    t->src->where, list);
	}
	for (char **n = o->text_columns; *n; n++) {
		size_t c = find_column(t, *n, "--text-columns");

		if (c == t->id_col) {
			die(QC_USAGE, "column '%s' of %s names the cases; it "
				      "cannot also be a text column", *n,
			    t->src->where);
		}
		t->role[c] = COL_TEXT;
		/* Imported before as an attribute (without --text-columns
		 * naming it): its values go, the answers replace them. */
		t->attr_id[c] = db_int(t->ic->p, 0,
				       "SELECT id FROM attributes WHERE "
				       "name = %Q", *n);
		t->stale_attrs |= t->attr_id[c] != 0;
	}
	leave_out_questions(t);
	t->answers_before = xcalloc(t->ncols, sizeof(*t->answers_before));
	for (size_t c = 0; c < t->ncols; c++) {
		if (t->role[c] == COL_TEXT) {
			t->answers_before[c] = db_int(
				t->ic->p, 0, "SELECT count(*) FROM documents "
					     "WHERE question = %Q", t->names[c]);
		}
	}
	store_questions(t);
}

/* 1 when the project's document NAME holds the text V. */
static int same_text(struct table *t, const char *name, const char *v)
{
	struct project *p = t->ic->p;
	char sha[65];
	int same = 0;

	if (!t->doc_sha) {
		t->doc_sha = db_prepare(p, "SELECT sha256 FROM documents "
					   "WHERE name = ?");
	}
	sha256_hex(v, strlen(v), sha);
	db_bind_text(p, t->doc_sha, 1, name);
	if (db_step(p, t->doc_sha)) {
		same = strcmp(db_col_text(t->doc_sha, 0), sha) == 0;
	}
	sqlite3_reset(t->doc_sha);
	return same;
}

/* Import cell V of column C for case CASE_ID. */
static void import_cell(struct table *t, size_t c, const char *id,
			long long case_id, const char *v)
{
	struct import_ctx *ic = t->ic;
	char *name;
	long long doc;

	switch (t->role[c]) {
	case COL_ID:
		return;
	case COL_UNNAMED:
		t->unnamed_values = 1;
		return;
	case COL_QUESTION:
		return;
	case COL_ATTR:
		if (!t->attr_id[c]) {
			t->attr_id[c] = import_attribute(ic, t->names[c]);
		}
		t->row_attr[t->nrow_attr] = t->attr_id[c];
		t->row_value[t->nrow_attr++] = v;
		return;
	case COL_TEXT:
		break;
	}
	name = xasprintf("%s/%s", id, t->names[c]);
	doc = import_document_new(ic, name, case_id, t->names[c], t->format,
				  v, strlen(v));
	if (!doc && same_text(t, name, v)) {
		/* Imported before (with other --text-columns): kept. */
		t->kept++;
		free(name);
		return;
	}
	if (!doc) {
		die(QC_INPUT, "a document named '%s' is already in the project "
			      "(from another file); %s at %s %zu",
		    name, t->src->where, t->src->unit, t->line);
	}
	free(name);
}

/* Store the pending attribute values with one statement.
 *
 * An upsert that changes a value fires undo's trigger, so SQLite keeps a
 * journal of the pages the statement changes (to take back the statement
 * alone).  With 16 KiB pages a statement per row went past the journal's
 * 64 KiB in memory: a re-import changing 63,749 rows' values took 1.9
 * times as long as with 4 KiB pages.  Many rows to a statement journal
 * each page once. */
static void flush_attrs(struct table *t)
{
	struct project *p = t->ic->p;
	size_t k = t->npend;
	sqlite3_stmt *st;

	if (!k) {
		return;
	}
	if (!t->attr_ins[k]) {
		struct strbuf sql = STRBUF_INIT;

		sb_adds(&sql, "INSERT INTO case_attributes(case_id, attr_id, "
			      "value) VALUES");
		for (size_t i = 0; i < k; i++) {
			sb_addf(&sql, "%s(?%zu, ?%zu, ?%zu)", i ? ", " : " ",
				3 * i + 1, 3 * i + 2, 3 * i + 3);
		}
		sb_adds(&sql, " ON CONFLICT(case_id, attr_id) DO UPDATE SET "
			      "value = excluded.value WHERE value IS NOT "
			      "excluded.value");
		t->attr_ins[k] = db_prepare(p, sql.buf);
		sb_release(&sql);
	}
	st = t->attr_ins[k];
	for (size_t i = 0; i < k; i++) {
		const char *v = t->pend_text.buf + t->pend_at[i];

		sqlite3_bind_int64(st, (int)(3 * i + 1), t->pend_case[i]);
		sqlite3_bind_int64(st, (int)(3 * i + 2), t->pend_attr[i]);
		if (sqlite3_bind_text(st, (int)(3 * i + 3), v, -1,
				      SQLITE_STATIC) != SQLITE_OK) {
			db_die(p, "bind");
		}
	}
	db_run(p, st);
	t->npend = 0;
	sb_reset(&t->pend_text);
}

/* Store the row's attribute values for CASE_ID, a case the project had:
 * gathered with other rows', and stored ATTR_CHUNK at a time. */
static void store_attrs(struct table *t, long long case_id)
{
	for (size_t i = 0; i < t->nrow_attr; i++) {
		if (t->npend == ATTR_CHUNK) {
			flush_attrs(t);
		}
		t->pend_case[t->npend] = case_id;
		t->pend_attr[t->npend] = t->row_attr[i];
		t->pend_at[t->npend++] = t->pend_text.len;
		sb_add(&t->pend_text, t->row_value[i],
		       strlen(t->row_value[i]) + 1);
	}
}

/* Store the row's attribute values for CASE_ID, a case the row made (so
 * it has none yet), a row at a time.
 *
 * store_attrs()'s statements write many rows of a table with foreign
 * keys, and may update rows (firing undo's trigger); SQLite keeps a
 * journal of every page such a statement changes, to take back the
 * statement alone if it fails.  A statement that inserts one row needs
 * none.  With 16 KiB pages the journal of each row went past SQLite's
 * 64 KiB and was written to a temporary file: 193,099 writes for a
 * 24 MB survey, and 1.6 times the import's time. */
static void store_new_attrs(struct table *t, long long case_id)
{
	struct project *p = t->ic->p;

	if (!t->attr_new) {
		t->attr_new = db_prepare(p, "INSERT INTO case_attributes("
					    "case_id, attr_id, value) "
					    "VALUES(?, ?, ?)");
	}
	for (size_t i = 0; i < t->nrow_attr; i++) {
		sqlite3_bind_int64(t->attr_new, 1, case_id);
		sqlite3_bind_int64(t->attr_new, 2, t->row_attr[i]);
		if (sqlite3_bind_text(t->attr_new, 3, t->row_value[i], -1,
				      SQLITE_STATIC) != SQLITE_OK) {
			db_die(p, "bind");
		}
		db_run(p, t->attr_new);
	}
}

/* Delete CASE_ID's values of the attributes named like text columns. */
static void drop_stale_attrs(struct table *t, long long case_id)
{
	struct project *p = t->ic->p;

	if (!t->attr_del) {
		t->attr_del = db_prepare(p, "DELETE FROM case_attributes "
					    "WHERE case_id = ? AND "
					    "attr_id = ?");
	}
	for (size_t c = 0; c < t->ncols; c++) {
		if (t->role[c] == COL_TEXT && t->attr_id[c]) {
			sqlite3_bind_int64(t->attr_del, 1, case_id);
			sqlite3_bind_int64(t->attr_del, 2, t->attr_id[c]);
			db_run(p, t->attr_del);
		}
	}
}

/* For 'attr import': the project's case N for an id ID written N.0 (a
 * spreadsheet's number) when there is no case ID, as 'codings import'
 * reads it; else 0. */
static long long whole_case(struct table *t, const char *id)
{
	struct project *p = t->ic->p;
	size_t d = lookup_whole_number(id);
	long long found = 0;

	if (!d) {
		return 0;
	}
	if (!t->case_get) {
		t->case_get = db_prepare(p, "SELECT id FROM cases WHERE "
					    "name = ?");
	}
	db_bind_text(p, t->case_get, 1, id);
	if (db_step(p, t->case_get)) {
		sqlite3_reset(t->case_get);
		return 0;
	}
	sqlite3_reset(t->case_get);
	if (sqlite3_bind_text(t->case_get, 1, id, (int)d, SQLITE_STATIC) !=
	    SQLITE_OK) {
		db_die(p, "bind");
	}
	if (db_step(p, t->case_get)) {
		found = sqlite3_column_int64(t->case_get, 0);
		if (!t->whole_ids++) {
			t->first_whole = xstrdup(id);
		}
	}
	sqlite3_reset(t->case_get);
	return found;
}

/* Warn about each --missing value that no cell of the file equals. */
static void warn_unmatched_missing(struct table *t)
{
	const struct import_opts *o = t->ic->o;
	size_t i = 0;

	for (char **m = o->missing; m && *m; m++, i++) {
		if (t->missing_hits[i]) {
			continue;
		}
		if (t->missing_like[i]) {
			warn("--missing value '%s' matches no cell of %s; "
			     "values are matched exactly, case and all, and "
			     "the file has '%s'", *m, t->src->where,
			     t->missing_like[i]);
		} else {
			warn("--missing value '%s' matches no cell of %s "
			     "(values are matched exactly, case and all)", *m,
			     t->src->where);
		}
	}
}

/* 1 when V can be given in --missing: one line, no comma (the
 * separator), no quote (the hint quotes the list for the shell). */
static int missing_able(const char *v)
{
	return !strpbrk(v, ",\n\r'");
}

/* Add V to the comma-separated LIST unless it is there. */
static void list_add(struct strbuf *list, const char *v)
{
	size_t n = strlen(v);

	for (const char *s = list->len ? list->buf : ""; *s;) {
		size_t k = strcspn(s, ",");

		if (k == n && strncmp(s, v, n) == 0) {
			return;
		}
		s += k + (s[k] == ',');
	}
	sb_addf(list, "%s%s", list->len ? "," : "", v);
}

/* 1 when the shell reads S as it is. */
static int shell_plain(const char *s)
{
	for (; *s; s++) {
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.,-+/:@%", *s)) {
			return 0;
		}
	}
	return 1;
}

/* Warn about the answers repeated exactly in a large share of the
 * answers to a question this import added answers to (REPEAT_MIN,
 * REPEAT_SHARE): a marker of no answer written into the cells
 * (NotShown, -99) makes answers and changes every count's denominator.
 * A re-import also says how many answers the question had before. */
static void warn_repeats(struct table *t)
{
	struct project *p = t->ic->p;
	const struct import_opts *o = t->ic->o;
	sqlite3_stmt *st = db_prepare(
		p, "SELECT (SELECT text FROM documents WHERE id = first), k "
		   "FROM (SELECT min(id) AS first, count(*) AS k FROM "
		   "documents WHERE question = ?1 GROUP BY sha256 HAVING k "
		   ">= ?2 AND k * ?3 >= ?4) ORDER BY k DESC, first");
	struct strbuf hint = STRBUF_INIT;
	int found = 0, unlisted = 0;

	for (size_t i = 0; o->missing && o->missing[i]; i++) {
		if (t->missing_hits[i]) {
			list_add(&hint, o->missing[i]);
		}
	}
	for (size_t c = 0; c < t->ncols; c++) {
		struct strbuf sb = STRBUF_INIT;
		struct strbuf vals = STRBUF_INIT;
		long long total, shown = 0, more = 0, covered = 0;
		int closed, cannot = 0;

		if (t->role[c] != COL_TEXT) {
			continue;
		}
		total = db_int(p, 0, "SELECT count(*) FROM documents WHERE "
				     "question = %Q", t->names[c]);
		if (total <= t->answers_before[c]) {
			continue;
		}
		db_bind_text(p, st, 1, t->names[c]);
		sqlite3_bind_int(st, 2, REPEAT_MIN);
		sqlite3_bind_int(st, 3, REPEAT_SHARE);
		sqlite3_bind_int64(st, 4, total);
		while (db_step(p, st)) {
			const char *v = db_col_text(st, 0);
			long long k = sqlite3_column_int64(st, 1);

			covered += k;
			if (shown == REPEAT_SHOWN) {
				more++;
				continue;
			}
			sb_addf(&sb, "%s%lld %s '%s' (%lld%%)",
				shown++ ? ", " : "", k,
				k == 1 ? "is" : "are", v,
				(k * 100 + total / 2) / total);
			if (!missing_able(v)) {
				cannot = 1;
			} else {
				list_add(&vals, v);
			}
		}
		sqlite3_reset(st);
		if (more) {
			sb_addf(&sb, ", and %lld more value%s", more,
				more == 1 ? "" : "s");
		}
		/* Every answer one of two or more such values: a closed
		 * question named in --text-columns rather than markers
		 * (they are not offered to --missing). */
		closed = shown >= 2 && covered == total;
		if (shown && !closed) {
			found = 1;
			unlisted |= cannot;
			for (const char *v = vals.len ? vals.buf : ""; *v;) {
				size_t k = strcspn(v, ",");
				char *one = xstrndup(v, k);

				list_add(&hint, one);
				free(one);
				v += k + (v[k] == ',');
			}
		}
		if (!shown) {
			;
		} else if (t->answers_before[c]) {
			warn("question '%s' had %lld answer%s before this "
			     "import and has %lld now (its counts' "
			     "denominators change); of them, %s%s", t->names[c],
			     t->answers_before[c],
			     t->answers_before[c] == 1 ? "" : "s", total,
			     sb.buf, closed ? "; every answer is one of these: "
					      "a closed question?" : "");
		} else {
			warn("question '%s': of its %lld answers, %s%s",
			     t->names[c], total, sb.buf,
			     closed ? "; every answer is one of these: a "
				      "closed question?" : "");
		}
		sb_release(&sb);
		sb_release(&vals);
	}
	sqlite3_finalize(st);
	if (found && !hint.len) {
		notice("an open-ended answer is rarely repeated exactly that "
		       "often; a value with a comma, a quote or a line break "
		       "cannot be given to --missing");
	} else if (found) {
		int plain = shell_plain(hint.buf);

		notice("an open-ended answer is rarely repeated exactly that "
		       "often: where such a value means no answer, take this "
		       "import back with 'qcode undo' and import again with "
		       "--missing %s%s%s%s", plain ? "" : "'", hint.buf,
		       plain ? "" : "'",
		       unlisted ? " (a value with a comma, a quote or a line "
				  "break cannot be given to --missing)"
				: "");
	}
	sb_release(&hint);
}

/* Warn about the answers to this import's questions that equal a
 * --missing value: imported before without it, they stay answers (the
 * file's cells are no answers now, but a re-import keeps what is
 * there). */
static void warn_missing_answers(struct table *t)
{
	struct project *p = t->ic->p;
	const struct import_opts *o = t->ic->o;
	sqlite3_stmt *st;

	if (!o->missing || !o->missing[0]) {
		return;
	}
	st = db_prepare(p, "SELECT count(*) FROM documents WHERE question = "
			   "? AND text = ?");
	for (size_t c = 0; c < t->ncols; c++) {
		struct strbuf sb = STRBUF_INIT;
		long long all = 0;

		if (t->role[c] != COL_TEXT) {
			continue;
		}
		for (char **m = o->missing; *m; m++) {
			long long k;

			db_bind_text(p, st, 1, t->names[c]);
			db_bind_text(p, st, 2, *m);
			k = db_step(p, st) ? sqlite3_column_int64(st, 0) : 0;
			sqlite3_reset(st);
			if (k) {
				sb_addf(&sb, "%s%lld '%s'", sb.len ? ", " : "",
					k, *m);
				all += k;
			}
		}
		if (all) {
			warn("question '%s' has %lld answer%s equal to a "
			     "--missing value (%s), imported before without "
			     "it; they stay answers and count: take that "
			     "import back with 'qcode undo' (see 'qcode "
			     "history')", t->names[c], all, all == 1 ? "" : "s",
			     sb.buf);
		}
		sb_release(&sb);
	}
	sqlite3_finalize(st);
}

/* Import one data record. */
static void import_record(struct table *t)
{
	const struct import_opts *o = t->ic->o;
	struct row_source *src = t->src;
	char rowid[32];
	const char *id;
	long long case_id;
	size_t prev, cases_before;
	int blank = 1;

	if (t->nfields > t->ncols) {
		die(QC_INPUT, "too many fields (%zu; the header has %zu) in "
			      "%s at %s %zu", t->nfields, t->ncols,
		    src->where, src->unit, t->line);
	}
	for (size_t c = 0; c < t->nfields; c++) {
		t->fields[c] = trim(t->fields[c]);
		if (t->fields[c][0]) {
			blank = 0;
		}
	}
	if (blank) {
		return;
	}
	if (t->id_col == NO_COL) {
		snprintf(rowid, sizeof(rowid), "%zu", t->recno);
		id = rowid;
	} else {
		id = t->id_col < t->nfields ? t->fields[t->id_col] : "";
	}
	if (t->id_col != NO_COL && is_missing(o, id)) {
		die(QC_INPUT, "no case id in column '%s' of %s at %s %zu; "
			      "--id-column @row names the cases by row number",
		    t->names[t->id_col], src->where, src->unit, t->line);
	}
	prev = seen_add(&t->seen, id, t->line);
	if (prev && t->id_col == NO_COL) {
		die(QC_INTERNAL, "row number %s twice", id);
	}
	if (prev) {
		die(QC_INPUT, "case '%s' appears twice in %s, at %ss %zu and "
			      "%zu (column '%s' must name each respondent "
			      "once; --id-column @row names the cases by row "
			      "number)", id, src->where, src->unit, prev,
		    t->line, t->names[t->id_col]);
	}
	cases_before = t->ic->stats.cases;
	case_id = t->attrs_only ? whole_case(t, id) : 0;
	if (!case_id) {
		case_id = import_case(t->ic, id);
	}
	t->nrow_attr = 0;
	for (size_t c = 0; c < t->nfields; c++) {
		if (c != t->id_col && !cell_missing(t, t->fields[c])) {
			import_cell(t, c, id, case_id, t->fields[c]);
		}
	}
	if (t->ic->stats.cases != cases_before) {
		store_new_attrs(t, case_id);
	} else {
		store_attrs(t, case_id);
	}
	if (t->stale_attrs) {
		drop_stale_attrs(t, case_id);
	}
}

size_t survey_import(struct import_ctx *ic, struct import_file *f,
		     struct row_source *src, const char *format,
		     int attrs_only)
{
	const struct import_opts *o = ic->o;
	struct table t;
	size_t rows = 0, ndata = 0, nmissing = 0;
	long long last_doc;

	memset(&t, 0, sizeof(t));
	t.ic = ic;
	t.f = f;
	t.format = format;
	t.src = src;
	t.attrs_only = attrs_only;
	for (char **m = o->missing; m && *m; m++) {
		nmissing++;
	}
	t.missing_hits = xcalloc(nmissing + 1, sizeof(*t.missing_hits));
	t.missing_like = xcalloc(nmissing + 1, sizeof(*t.missing_like));
	read_header(&t, attrs_only);
	t.row_attr = xcalloc(t.ncols, sizeof(*t.row_attr));
	t.row_value = xcalloc(t.ncols, sizeof(*t.row_value));
	t.attr_ins = xcalloc(ATTR_CHUNK + 1, sizeof(*t.attr_ins));
	for (long i = 0; i < o->skip_rows && next_row(&t); i++) {
		t.recno++;
	}
	last_doc = db_int(ic->p, 0, "SELECT max(id) FROM documents");
	while (next_row(&t)) {
		size_t before = t.seen.n;

		t.recno++;
		/* Qualtrics' wording and ImportId rows read as answers (too
		 * few header rows): refused, never made cases. */
		if (++ndata <= 2 && importid_row(t.fields, t.nfields)) {
			die(QC_INPUT, "%s %zu of %s holds Qualtrics ImportIds, "
				      "not answers: read the export with "
				      "--header-rows 3 (column names, question "
				      "wording, ImportIds)", src->unit, t.line,
			    src->where);
		}
		import_record(&t);
		rows += t.seen.n - before;
		if (ic->pg && rows % 1024 == 0) {
			progress_update(ic->pg,
					ic->bytes_done + src->consumed(src));
		}
	}
	flush_attrs(&t);
	/* Each answer is one segment, its whole text: stored for all the
	 * file's documents at once. */
	if (!attrs_only && ic->source_id) {
		sqlite3_stmt *st = db_prepare(
			ic->p, "INSERT INTO segments(doc_id, idx, start, end, "
			       "kind) SELECT id, 1, 0, chars, 'answer' FROM "
			       "documents WHERE id > ? AND source_id = ? "
			       "ORDER BY id");

		sqlite3_bind_int64(st, 1, last_doc);
		sqlite3_bind_int64(st, 2, ic->source_id);
		db_run(ic->p, st);
		sqlite3_finalize(st);
		ic->stats.segments += (size_t)sqlite3_changes(ic->p->db);
	}
	for (size_t c = 0; c < t.ncols; c++) {
		t.ntext += t.role[c] == COL_TEXT;
		t.nattr += t.role[c] == COL_ATTR;
	}
	for (size_t c = 0; c < t.ncols && t.stale_attrs; c++) {
		if (t.role[c] == COL_TEXT && t.attr_id[c]) {
			char *sql = sqlite3_mprintf(
				"DELETE FROM attributes WHERE id = %lld AND "
				"NOT EXISTS (SELECT 1 FROM case_attributes "
				"WHERE attr_id = %lld) AND NOT EXISTS (SELECT "
				"1 FROM document_attributes WHERE attr_id = "
				"%lld)", t.attr_id[c], t.attr_id[c],
				t.attr_id[c]);

			db_exec(ic->p, sql);
			sqlite3_free(sql);
		}
	}
	if (t.kept) {
		notice("'%s': %zu answer%s already in the project with the "
		       "same text, left as %s", f->path, t.kept,
		       t.kept == 1 ? " was" : "s were",
		       t.kept == 1 ? "it was" : "they were");
	}
	if (t.whole_ids) {
		notice("%s: %zu case id%s written with decimals (as '%s') "
		       "named the project's case%s without them (as '%.*s')",
		       src->where, t.whole_ids, t.whole_ids == 1 ? "" : "s",
		       t.first_whole, t.whole_ids == 1 ? "" : "s",
		       (int)lookup_whole_number(t.first_whole),
		       t.first_whole);
		free(t.first_whole);
	}
	if (t.unnamed_values) {
		warn("%s has values in a column without a name in the "
		     "header; they were not imported", src->where);
	}
	if (!attrs_only) {
		char *from = t.id_col == NO_COL
				     ? xstrdup("row numbers")
				     : xasprintf("'%s'", t.names[t.id_col]);

		notice("read %s: %zu row%s, cases from %s, %zu text "
		       "column%s, %zu attribute column%s", src->desc, rows,
		       rows == 1 ? "" : "s", from, t.ntext,
		       t.ntext == 1 ? "" : "s", t.nattr,
		       t.nattr == 1 ? "" : "s");
		free(from);
		warn_repeats(&t);
		warn_missing_answers(&t);
	}
	warn_unmatched_missing(&t);
	seen_release(&t.seen);
	saved_release(&t);
	src->free(src);
	for (size_t c = 0; c < t.ncols; c++) {
		free(t.names[c]);
		free(t.wording[c]);
	}
	free(t.names);
	free(t.wording);
	free(t.role);
	free(t.attr_id);
	for (size_t k = 0; k <= ATTR_CHUNK; k++) {
		sqlite3_finalize(t.attr_ins[k]);
	}
	free(t.attr_ins);
	sb_release(&t.pend_text);
	sqlite3_finalize(t.attr_new);
	sqlite3_finalize(t.case_get);
	sqlite3_finalize(t.doc_sha);
	sqlite3_finalize(t.attr_del);
	free(t.row_attr);
	free(t.row_value);
	free(t.missing_hits);
	for (size_t i = 0; i < nmissing; i++) {
		free(t.missing_like[i]);
	}
	free(t.missing_like);
	free(t.answers_before);
	return rows;
}

/* A CSV or TSV file as a source of rows. */
struct csv_source {
	struct row_source base;
	struct csv_reader r;
	struct instream in;
	const struct import_file *f;
	int ended;
};

static int csv_src_next(struct row_source *src)
{
	struct csv_source *cs = (struct csv_source *)src;
	int rc;

	if (cs->ended) {
		return 0;
	}
	rc = csv_next(&cs->r);
	if (rc < 0) {
		csv_die(&cs->r, cs->f->path);
	}
	if (rc == 0) {
		cs->ended = 1;
		if (cs->f->text_sha[0]) {
			char sha[65];

			/* The second reading must be the text the first
			 * one hashed. */
			instream_sha256(&cs->in, sha);
			if (strcmp(sha, cs->f->text_sha) != 0) {
				die(QC_INPUT, "'%s' changed while it was being "
					      "imported; nothing was imported",
				    cs->f->path);
			}
		}
		return 0;
	}
	src->nfields = cs->r.nfields;
	src->fields = cs->r.fields;
	src->line = cs->r.rec_line;
	return 1;
}

static size_t csv_src_consumed(struct row_source *src)
{
	return ((struct csv_source *)src)->in.consumed;
}

static void csv_src_free(struct row_source *src)
{
	struct csv_source *cs = (struct csv_source *)src;

	csv_release(&cs->r);
	instream_close(&cs->in);
	free(src->where);
	free(src->desc);
	free(cs);
}

/* F as a source of rows, separated by DELIM (0: detected). */
static struct row_source *csv_source_open(struct import_ctx *ic,
					  const struct import_file *f,
					  char delim)
{
	const struct import_opts *o = ic->o;
	struct csv_source *cs = xcalloc(1, sizeof(*cs));

	if (o->delimiter) {
		delim = o->delimiter;
	}
	cs->f = f;
	/* A survey export can be larger than memory should hold: it is
	 * read piece by piece, a second time after import_path() checked
	 * its content against the project's sources. */
	import_open_text(&cs->in, f, o->encoding);
	csv_init_stream(&cs->r, &cs->in, delim);
	cs->base.unit = "line";
	cs->base.where = xasprintf("'%s'", f->path);
	cs->base.desc = xasprintf("'%s' as %s-separated", f->path,
				  csv_delim_name(cs->r.delim));
	cs->base.next = csv_src_next;
	cs->base.consumed = csv_src_consumed;
	cs->base.free = csv_src_free;
	return &cs->base;
}

/* 1 when PATH ends in .xlsx (any case). */
static int is_xlsx(const char *path)
{
	size_t n = strlen(path);

	return n >= 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}

void survey_check_opts(struct import_ctx *ic, const struct import_file *f)
{
	if (ic->o->case_name || ic->o->name) {
		die(QC_USAGE, "--case and --name do not apply to the survey "
			      "export '%s': each row is a case and each answer "
			      "a document", f->path);
	}
	if (ic->o->sheet && strcmp(ic->o->format ? ic->o->format : "",
				   "xlsx") != 0 && !is_xlsx(f->path)) {
		die(QC_USAGE, "--sheet applies to Excel workbooks (.xlsx), "
			      "not to '%s'", f->path);
	}
}

/* The importer of format "csv". */
void import_csv(struct import_ctx *ic, struct import_file *f)
{
	survey_check_opts(ic, f);
	survey_import(ic, f, csv_source_open(ic, f, 0), "csv", 0);
}

/* The importer of format "tsv": tab-separated unless --delimiter. */
void import_tsv(struct import_ctx *ic, struct import_file *f)
{
	survey_check_opts(ic, f);
	survey_import(ic, f, csv_source_open(ic, f, '\t'), "tsv", 0);
}

size_t import_attr_table(struct import_ctx *ic, const char *path)
{
	struct import_file f;
	const char *slash = strrchr(path, '/');

	memset(&f, 0, sizeof(f));
	f.path = path;
	f.base = slash ? slash + 1 : path;
	if (is_xlsx(path)) {
		return survey_import(ic, &f, xlsx_source_open(ic, &f), NULL,
				     1);
	}
	if (ic->o->sheet) {
		die(QC_USAGE, "--sheet applies to Excel workbooks (.xlsx), "
			      "not to '%s'", path);
	}
	return survey_import(ic, &f, csv_source_open(ic, &f, 0), NULL, 1);
}
