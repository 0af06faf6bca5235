/*
 * import_csv.c - survey exports (.csv, .tsv): one row per case (the id
 * column), one document per non-empty open-ended answer (the text
 * columns), every other column a case attribute.  Also the attribute
 * tables of 'qcode attr import' (first column the case, no documents).
 *
 * Cells are trimmed of surrounding whitespace; a cell that is then empty,
 * or equals one of the --missing values, is no answer and no value.
 */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "instream.h"
#include "sha256.h"
#include "import.h"
#include "text.h"
#include "util.h"

/* Attribute values stored by one statement, at most. */
#define ATTR_CHUNK 64

/* What a column is imported as. */
enum col_role { COL_ATTR, COL_ID, COL_TEXT, COL_UNNAMED };

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
	const char *format;  /* "csv" or "tsv": the documents' format */
	struct csv_reader r;
	size_t ncols;
	char **names;        /* trimmed header names (owned) */
	enum col_role *role;
	long long *attr_id;  /* attribute ids, created at the first value */
	size_t id_col;
	size_t ntext, nattr;
	int unnamed_values;  /* a column without a name held values */
	struct seen seen;
	/* The attribute values of the current row, stored together. */
	size_t nrow_attr;
	long long *row_attr;
	const char **row_value;
	sqlite3_stmt **attr_ins; /* [k]: stores k values of one case */
	sqlite3_stmt *doc_sha;   /* a document's sha256 by name */
	size_t kept;             /* answers the project had already */
	int stale_attrs;         /* a text column is also an attribute */
	sqlite3_stmt *attr_del;
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
	die(QC_USAGE, "no column '%s' (%s) in '%s'; its columns are: %s",
	    name, option, t->f->path, list);
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

/* Die on a broken record. */
static _Noreturn void broken(struct table *t)
{
	die(QC_INPUT, "%s in '%s' at line %zu", t->r.err, t->f->path,
	    t->r.err_line);
}

/* Read the header and decide each column's role. */
static void read_header(struct table *t, int attrs_only)
{
	const struct import_opts *o = t->ic->o;
	int rc = csv_next(&t->r);

	if (rc < 0) {
		broken(t);
	}
	if (rc == 0) {
		die(QC_INPUT, "'%s' is empty: a header row naming the columns "
			      "is needed", t->f->path);
	}
	t->ncols = t->r.nfields;
	t->names = xcalloc(t->ncols, sizeof(*t->names));
	t->role = xcalloc(t->ncols, sizeof(*t->role));
	t->attr_id = xcalloc(t->ncols, sizeof(*t->attr_id));
	for (size_t c = 0; c < t->ncols; c++) {
		t->names[c] = xstrdup(trim(t->r.fields[c]));
		t->role[c] = t->names[c][0] ? COL_ATTR : COL_UNNAMED;
		for (size_t k = 0; k < c && t->role[c] != COL_UNNAMED; k++) {
			if (strcmp(t->names[k], t->names[c]) == 0) {
				die(QC_INPUT, "column '%s' appears twice in "
					      "the header of '%s' (columns %zu "
					      "and %zu)", t->names[c],
				    t->f->path, k + 1, c + 1);
			}
		}
	}
	if (o->id_column) {
		t->id_col = find_column(t, o->id_column, "--id-column");
	} else if (t->role[0] == COL_UNNAMED) {
		die(QC_INPUT, "the first column of '%s' has no name; name the "
			      "case column with --id-column", t->f->path);
	}
	t->role[t->id_col] = COL_ID;
	if (attrs_only) {
		return;
	}
	if (!o->text_columns || !o->text_columns[0]) {
		char *list = column_list(t);

		die(QC_USAGE, "name the open-ended questions of '%s' with "
			      "--text-columns A,B,...; its columns are: %s",
		    t->f->path, list);
	}
	for (char **n = o->text_columns; *n; n++) {
		size_t c = find_column(t, *n, "--text-columns");

		if (c == t->id_col) {
			die(QC_USAGE, "column '%s' of '%s' names the cases; it "
				      "cannot also be a text column", *n,
			    t->f->path);
		}
		t->role[c] = COL_TEXT;
		/* Imported before as an attribute (without --text-columns
		 * naming it): its values go, the answers replace them. */
		t->attr_id[c] = db_int(t->ic->p, 0,
				       "SELECT id FROM attributes WHERE "
				       "name = %Q", *n);
		t->stale_attrs |= t->attr_id[c] != 0;
	}
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
			      "(from another file); '%s' at line %zu",
		    name, t->f->path, t->r.rec_line);
	}
	free(name);
}

/* Store K attribute values of CASE_ID, from the row's I-th on, with one
 * statement. */
static void store_attr_chunk(struct table *t, long long case_id, size_t i0,
			     size_t k)
{
	struct project *p = t->ic->p;
	sqlite3_stmt *st;

	if (!t->attr_ins[k]) {
		struct strbuf sql = STRBUF_INIT;

		sb_adds(&sql, "INSERT INTO case_attributes(case_id, attr_id, "
			      "value) VALUES");
		for (size_t i = 0; i < k; i++) {
			sb_addf(&sql, "%s(?1, ?%zu, ?%zu)", i ? ", " : " ",
				2 * i + 2, 2 * i + 3);
		}
		sb_adds(&sql, " ON CONFLICT(case_id, attr_id) DO UPDATE SET "
			      "value = excluded.value WHERE value IS NOT "
			      "excluded.value");
		t->attr_ins[k] = db_prepare(p, sql.buf);
		sb_release(&sql);
	}
	st = t->attr_ins[k];
	sqlite3_bind_int64(st, 1, case_id);
	for (size_t i = 0; i < k; i++) {
		const char *v = t->row_value[i0 + i];

		sqlite3_bind_int64(st, (int)(2 * i + 2), t->row_attr[i0 + i]);
		if (sqlite3_bind_text(st, (int)(2 * i + 3), v, -1,
				      SQLITE_STATIC) != SQLITE_OK) {
			db_die(p, "bind");
		}
	}
	db_run(p, st);
}

/* Store the row's attribute values for CASE_ID, ATTR_CHUNK to a
 * statement (a survey may have hundreds of attribute columns). */
static void store_attrs(struct table *t, long long case_id)
{
	for (size_t i = 0; i < t->nrow_attr; i += ATTR_CHUNK) {
		size_t k = t->nrow_attr - i;

		store_attr_chunk(t, case_id, i,
				 k < ATTR_CHUNK ? k : ATTR_CHUNK);
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

/* Import one data record. */
static void import_record(struct table *t)
{
	const struct import_opts *o = t->ic->o;
	struct csv_reader *r = &t->r;
	const char *id;
	long long case_id;
	size_t prev;
	int blank = 1;

	if (r->nfields > t->ncols) {
		die(QC_INPUT, "too many fields (%zu; the header has %zu) in "
			      "'%s' at line %zu", r->nfields, t->ncols,
		    t->f->path, r->rec_line);
	}
	for (size_t c = 0; c < r->nfields; c++) {
		r->fields[c] = trim(r->fields[c]);
		if (r->fields[c][0]) {
			blank = 0;
		}
	}
	if (blank) {
		return;
	}
	id = t->id_col < r->nfields ? r->fields[t->id_col] : "";
	if (is_missing(o, id)) {
		die(QC_INPUT, "no case id in column '%s' of '%s' at line %zu",
		    t->names[t->id_col], t->f->path, r->rec_line);
	}
	prev = seen_add(&t->seen, id, r->rec_line);
	if (prev) {
		die(QC_INPUT, "case '%s' appears twice in '%s', at lines %zu "
			      "and %zu", id, t->f->path, prev, r->rec_line);
	}
	case_id = import_case(t->ic, id);
	t->nrow_attr = 0;
	for (size_t c = 0; c < r->nfields; c++) {
		if (!is_missing(o, r->fields[c])) {
			import_cell(t, c, id, case_id, r->fields[c]);
		}
	}
	store_attrs(t, case_id);
	if (t->stale_attrs) {
		drop_stale_attrs(t, case_id);
	}
}

/* Import F as a table; returns the number of rows (cases) read. */
static size_t import_table(struct import_ctx *ic, struct import_file *f,
			   const char *format, char delim, int attrs_only)
{
	const struct import_opts *o = ic->o;
	struct instream in;
	struct table t;
	size_t rows = 0;
	long long last_doc;
	int rc;

	memset(&t, 0, sizeof(t));
	t.ic = ic;
	t.f = f;
	t.format = format;
	if (o->delimiter) {
		delim = o->delimiter;
	}
	/* A survey export can be larger than memory should hold: it is
	 * read piece by piece, a second time after import_path() checked
	 * its content against the project's sources. */
	instream_open(&in, f->path, o->encoding, 0);
	csv_init_stream(&t.r, &in, delim);
	delim = t.r.delim;
	read_header(&t, attrs_only);
	t.row_attr = xcalloc(t.ncols, sizeof(*t.row_attr));
	t.row_value = xcalloc(t.ncols, sizeof(*t.row_value));
	t.attr_ins = xcalloc(ATTR_CHUNK + 1, sizeof(*t.attr_ins));
	for (long i = 0; i < o->skip_rows; i++) {
		rc = csv_next(&t.r);
		if (rc < 0) {
			broken(&t);
		}
	}
	last_doc = db_int(ic->p, 0, "SELECT max(id) FROM documents");
	while ((rc = csv_next(&t.r)) == 1) {
		size_t before = t.seen.n;

		import_record(&t);
		rows += t.seen.n - before;
		if (ic->pg && rows % 1024 == 0) {
			progress_update(ic->pg, ic->bytes_done + in.consumed);
		}
	}
	if (rc < 0) {
		broken(&t);
	}
	if (f->text_sha[0]) {
		char sha[65];

		/* The second reading must be the text the first one hashed. */
		instream_sha256(&in, sha);
		if (strcmp(sha, f->text_sha) != 0) {
			die(QC_INPUT, "'%s' changed while it was being "
				      "imported; nothing was imported",
			    f->path);
		}
	}
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
	if (t.unnamed_values) {
		warn("'%s' has values in a column without a name in the "
		     "header; they were not imported", f->path);
	}
	if (!attrs_only) {
		notice("read '%s' as %s-separated: %zu row%s, cases from "
		       "'%s', %zu text column%s, %zu attribute column%s",
		       f->path, csv_delim_name(delim), rows,
		       rows == 1 ? "" : "s", t.names[t.id_col], t.ntext,
		       t.ntext == 1 ? "" : "s", t.nattr,
		       t.nattr == 1 ? "" : "s");
	}
	seen_release(&t.seen);
	csv_release(&t.r);
	instream_close(&in);
	for (size_t c = 0; c < t.ncols; c++) {
		free(t.names[c]);
	}
	free(t.names);
	free(t.role);
	free(t.attr_id);
	for (size_t k = 0; k <= ATTR_CHUNK; k++) {
		sqlite3_finalize(t.attr_ins[k]);
	}
	free(t.attr_ins);
	sqlite3_finalize(t.doc_sha);
	sqlite3_finalize(t.attr_del);
	free(t.row_attr);
	free(t.row_value);
	return rows;
}

/* Options that name one document or one case make no sense here. */
static void check_opts(struct import_ctx *ic, struct import_file *f)
{
	if (ic->o->case_name || ic->o->name) {
		die(QC_USAGE, "--case and --name do not apply to the survey "
			      "export '%s': each row is a case and each answer "
			      "a document", f->path);
	}
}

/* The importer of format "csv". */
void import_csv(struct import_ctx *ic, struct import_file *f)
{
	check_opts(ic, f);
	import_table(ic, f, "csv", 0, 0);
}

/* The importer of format "tsv": tab-separated unless --delimiter. */
void import_tsv(struct import_ctx *ic, struct import_file *f)
{
	check_opts(ic, f);
	import_table(ic, f, "tsv", '\t', 0);
}

size_t import_attr_table(struct import_ctx *ic, const char *path)
{
	struct import_file f;
	const char *slash = strrchr(path, '/');

	memset(&f, 0, sizeof(f));
	f.path = path;
	f.base = slash ? slash + 1 : path;
	return import_table(ic, &f, NULL, 0, 1);
}
