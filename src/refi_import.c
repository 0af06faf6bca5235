/*
 * refi_import.c - REFI-QDA projects (.qdpx, or a bare project.qde with
 * its sources/ folder beside it): sources (plain text, or the
 * plain-text representation of DOCX and PDF sources), codes, users as
 * coders, codings with their coder, variables and cases as attributes,
 * notes as memos, and Sets of codes as code groups.
 *
 * GUIDs are kept (normalised) in the guid columns.  Objects already in the
 * project are reused: by GUID, else by name (a code by its GUID as export
 * derives it for a code without one, else by its path); a source
 * whose text is already a document attaches its codings to that document,
 * and a coding whose GUID is already present is not added twice.
 * Selection positions are converted from the writing tool's units
 * (refi_pos.h) and each is checked against its source: any that falls
 * outside is reported with its GUID and nothing is imported.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "coding.h"
#include "import.h"
#include "refi_export.h"
#include "refi_pos.h"
#include "refi_rules.h"
#include "segment.h"
#include "sha256.h"
#include "text.h"
#include "util.h"
#include "xml.h"
#include "zipfile.h"

/* A GUID and the row it became (ID), or the note it names (IDX). */
struct gentry {
	char guid[37];
	long long id;
	long line;
};

/* GUID -> row: open addressing, power-of-two capacity. */
struct gmap {
	struct gentry *v;
	size_t n, cap;
};

/* FNV-1a of a GUID string. */
static size_t ghash(const char *g)
{
	size_t h = 1469598103934665603ull & (size_t)-1;

	for (; *g; g++) {
		h = (h ^ (unsigned char)*g) * 1099511628211ull;
	}
	return h;
}

/* The slot of GUID in M: its entry, or the empty slot it would take. */
static struct gentry *gmap_slot(const struct gmap *m, const char *guid)
{
	size_t i;

	if (!m->cap) {
		return NULL;
	}
	for (i = ghash(guid) & (m->cap - 1); m->v[i].guid[0];
	     i = (i + 1) & (m->cap - 1)) {
		if (strcmp(m->v[i].guid, guid) == 0) {
			break;
		}
	}
	return &m->v[i];
}

/* The entry of GUID, or NULL. */
static const struct gentry *gmap_get(const struct gmap *m, const char *guid)
{
	struct gentry *e = gmap_slot(m, guid);

	return e && e->guid[0] ? e : NULL;
}

/* Map GUID to ID (first seen at LINE), growing M as needed. */
static void gmap_put(struct gmap *m, const char *guid, long long id,
		     long line)
{
	struct gentry *e;

	if (2 * (m->n + 1) > m->cap) {
		struct gmap big = { NULL, 0, m->cap ? 2 * m->cap : 64 };

		big.v = xcalloc(big.cap, sizeof(*big.v));
		for (size_t i = 0; i < m->cap; i++) {
			if (m->v[i].guid[0]) {
				*gmap_slot(&big, m->v[i].guid) = m->v[i];
			}
		}
		big.n = m->n;
		free(m->v);
		*m = big;
	}
	e = gmap_slot(m, guid);
	if (!e->guid[0]) {
		m->n++;
	}
	memcpy(e->guid, guid, 37);
	e->id = id;
	e->line = line;
}

/* Free M's entries. */
static void gmap_free(struct gmap *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* A note of the file and what it is attached to (the first reference). */
struct note {
	const char *kind; /* "project", "case", "document", "code", "coding" */
	long long target;
	char guid[37];
	char memo_first, done; /* see import_notes */
};

/* A Document of qcode.xml: its text's SHA-256 ("" when absent), format
 * and question, and its Segments (xsegv[seg0 .. seg0 + nseg)). */
struct xdoc {
	char sha[65];
	size_t format, question, seg0, nseg;
};

/* A Segment of qcode.xml: its attributes as int_attr() reads them (-2
 * when malformed), kind and speaker, and its line. */
struct xseg {
	long long idx, start, end, time_start, time_end;
	size_t kind, speaker;
	long line;
};

/* A Coding of qcode.xml: its segment (int_attr, -1 absent), origin and
 * rule. */
struct xcoding {
	long long segment;
	size_t origin, rule;
};

/* The sections of a Project that are imported, in the order they are
 * imported (each may need the ones before it). */
enum { SEC_USERS, SEC_CODEBOOK, SEC_VARIABLES, SEC_CASES, SEC_SOURCES,
       SEC_SETS, SEC_LINKS, NSEC };
static const char *const sec_names[NSEC] = { "Users",   "CodeBook",
					     "Variables", "Cases",
					     "Sources", "Sets",
					     "Links" };

/* How a Code of the file found its code. */
enum { CODE_BY_GUID, CODE_BY_DERIVED, CODE_BY_PATH, CODE_ADDED };

/* A Code of the file and the code it became, for the message when
 * another Code becomes that code too. */
struct crow {
	long line;
	int how;            /* CODE_* */
	char guid[37];
	char *path;         /* as the file has it, under the parent's path */
	char *kept;         /* the project's other path for it, or NULL */
};

/* The import of one .qdpx. */
struct qdpx {
	struct import_ctx *ic;
	struct project *p;
	const char *file;
	struct refi_zip zip;    /* the .qdpx */
	char *dir;              /* or the folder of a bare project.qde */
	struct refi_units units;
	struct gmap users, codes, vars, sources, cases, notes_by_guid;
	/* the code rows this file's Codes became ("%lld" of the id, in a
	 * key of 37 bytes like a GUID's; id: the index into crows): two
	 * Codes of the file must not become one code */
	struct gmap code_rows;
	struct crow *crows;
	size_t ncrows, cap_crows;
	/* The GUIDs export derives for the project's codes that have none
	 * stored (refi_code_guids), read before the first Code. */
	struct gmap derived;
	int derived_read;
	/* A source's GUID -> the first case listing it: the Cases come
	 * first, and a source's document is made with its case instead of
	 * being rewritten to get it. */
	struct gmap case_of;
	/* Every SourceRef of the Cases, in the file's order ("" for a
	 * missing or invalid targetGUID), checked after the Sources. */
	struct gentry *refs;
	size_t nrefs, refs_cap;
	/* A Variable's GUID -> the case that last got a value of it. */
	struct gmap case_var;
	struct codebook cb;     /* the file's codes, for inheritance */
	/* qcode.xml of a qcode export: its Document and Coding elements by
	 * GUID (the index into xdocv and xcodv), read into these compact
	 * records (strings in xpool; an offset + 1, 0 for none). */
	struct gmap xdocs, xcodings;
	struct xdoc *xdocv;
	struct xseg *xsegv;
	struct xcoding *xcodv;
	size_t nxdoc, nxseg, nxcod;
	struct strbuf xpool;
	struct note *notes;
	size_t nnotes, cap_notes, inote; /* inote: the next to store */
	int note_pass;          /* 0: qcode's coding memos, 1: the rest */
	/* The project is read by a streaming reader (see import_project);
	 * the Project's NoteRefs wait in keep until the end. */
	xmlDocPtr keep;
	xmlNodePtr root_refs;
	int present[NSEC], deferred[NSEC], done[NSEC], has_notes;
	char root_user[37];     /* the Project's creatingUserGUID, or "" */
	/* The project XML: xml[0..xlen), or entry xentry of the archive
	 * (when xml is NULL), read in pieces each time; what names it in
	 * messages after the file ("project.qde" in an archive, else
	 * NULL). */
	const char *xml, *what;
	size_t xlen;
	long xentry;
	char *note_err;         /* the first bad Note of the first pass */
	long long max_doc;      /* last document id before this import */
	long long project_user; /* coder of the Project's creatingUserGUID */
	long long unknown_user; /* coder for codings that name none */
	size_t oob;             /* selections outside their source */
	/* What is not imported, for the closing warnings. */
	size_t media, no_text, external, pdf_areas, case_codes, case_sels,
		set_members, links, graphs, dup_codings;
};

/* The guid of N (WHAT, for the message) normalised into OUT; dies with
 * QC_INPUT when absent or malformed. */
static void guid_or_die(struct qdpx *q, const xmlNode *n, const char *what,
			char out[37])
{
	char *g = refi_attr(n, "guid");

	if (!g || refi_guid_norm(g, out) != 0) {
		die(QC_INPUT, "%s in '%s' at line %ld has %s guid%s%s%s", what,
		    q->file, refi_line(n), g ? "an invalid" : "no",
		    g ? " '" : "", g ? g : "", g ? "'" : "");
	}
	free(g);
}

/* The GUID in attribute ATTR of N, normalised into OUT; 0, or -1 when
 * absent or invalid. */
static int attr_guid(const xmlNode *n, const char *attr, char out[37])
{
	char *g = refi_attr(n, attr);
	int r = g ? refi_guid_norm(g, out) : -1;

	free(g);
	return r;
}

/*
 * The statements below run once per item of the file (code, source,
 * case, coding), so they are prepared once (db_cached: SQL is a string
 * literal, known by its address) and reset after each use.
 */

/* Row id of SQL with one text parameter, or 0. */
static long long lookup(struct project *p, const char *sql, const char *v)
{
	sqlite3_stmt *st = db_cached(p, sql);
	long long id = 0;

	db_bind_text(p, st, 1, v);
	if (db_step(p, st)) {
		id = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return id;
}

/* Run SQL binding the N integers that follow; the first column of its
 * first row, or 0 (a statement that returns no rows: 0). */
static long long run_ints(struct project *p, const char *sql, int n, ...)
{
	sqlite3_stmt *st = db_cached(p, sql);
	long long id = 0;
	va_list ap;

	va_start(ap, n);
	for (int i = 1; i <= n; i++) {
		sqlite3_bind_int64(st, i, va_arg(ap, long long));
	}
	va_end(ap);
	if (db_step(p, st)) {
		id = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return id;
}

#define END ((const char *)-1)

/* Run SQL binding the text values in AP up to END (NULL binds NULL). */
static void exec_textv(struct project *p, const char *sql, va_list ap)
{
	sqlite3_stmt *st = db_cached(p, sql);
	const char *v;
	int i = 1;

	while ((v = va_arg(ap, const char *)) != END) {
		db_bind_text(p, st, i++, v);
	}
	db_run(p, st);
}

/* Run SQL binding the text values that follow, up to END. */
static void exec_text(struct project *p, const char *sql, ...)
{
	va_list ap;

	va_start(ap, sql);
	exec_textv(p, sql, ap);
	va_end(ap);
}

/* How the objects of a table are matched: by GUID, else by name (a row
 * found by name takes the GUID when it has none), else inserted. */
struct match_sql {
	const char *by_guid, *by_name, *set_guid, *insert;
};

/* The row of T for the GUID G and NAME, found as T says; else, when T
 * has an insert, a new row binding the text values that follow (up to
 * END), and *ADDED is set; else 0. */
static long long match_or_insert(struct project *p, const struct match_sql *t,
				 const char *g, const char *name, int *added,
				 ...)
{
	long long id = lookup(p, t->by_guid, g);
	va_list ap;

	*added = 0;
	if (id) {
		return id;
	}
	id = lookup(p, t->by_name, name);
	if (id) {
		exec_text(p, t->set_guid, g, name, END);
		return id;
	}
	if (!t->insert) {
		return 0;
	}
	va_start(ap, added);
	exec_textv(p, t->insert, ap);
	va_end(ap);
	*added = 1;
	return sqlite3_last_insert_rowid(p->db);
}

/* The text of SQL (a db_int-style format with one %lld), malloc'd; ""
 * when there is no row. */
static char *text_of(struct project *p, const char *fmt, long long id)
{
	char *sql = sqlite3_mprintf(fmt, id);
	sqlite3_stmt *st = db_prepare(p, sql);
	char *s;

	sqlite3_free(sql);
	s = xstrdup(db_step(p, st) ? db_col_text(st, 0) : "");
	sqlite3_finalize(st);
	return s;
}

/* Record that the NoteRef children of N attach their notes to KIND ID. */
static void note_refs(struct qdpx *q, const xmlNode *n, const char *kind,
		      long long id)
{
	for (xmlNodePtr c = refi_first(n); c; c = refi_next(c)) {
		const struct gentry *e;
		char g[37];

		if (!refi_is(c, "NoteRef")) {
			continue;
		}
		if (attr_guid(c, "targetGUID", g) != 0 ||
		    !(e = gmap_get(&q->notes_by_guid, g))) {
			warn("'%s': a NoteRef at line %ld names no note of the "
			     "file; ignored", q->file, refi_line(c));
			continue;
		}
		if (!q->notes[e->id].kind) {
			q->notes[e->id].kind = kind;
			q->notes[e->id].target = id;
		}
	}
}

/* A User becomes a coder (by GUID, else name); mapped in q->users. */
static void import_user(struct qdpx *q, const xmlNode *u)
{
	static const struct match_sql users_sql = {
		"SELECT id FROM coders WHERE guid = ?",
		"SELECT id FROM coders WHERE name = ?",
		"UPDATE coders SET guid = ?1 WHERE name = ?2 AND guid IS NULL",
		"INSERT INTO coders(name, guid) VALUES(?, ?)",
	};

	char g[37], *name;
	long long id;
	int added;

	if (!refi_is(u, "User")) {
		return;
	}
	guid_or_die(q, u, "a User", g);
	if (gmap_get(&q->users, g)) {
		die(QC_INPUT, "user guid '%s' in '%s' at line %ld is "
			      "used twice", g, q->file, refi_line(u));
	}
	name = refi_attr(u, "name");
	if (!name || !*name) {
		free(name);
		name = refi_attr(u, "id");
	}
	if (!name || !*name) {
		free(name);
		name = xstrdup(g);
	}
	id = match_or_insert(q->p, &users_sql, g, name, &added, name,
			     g, END);
	q->ic->stats.coders += (size_t)added;
	gmap_put(&q->users, g, id, refi_line(u));
	free(name);
}

/* The name of Code C (G: its GUID) as qcode can store it
 * (cb_clean_name()), said when it differs. */
static char *code_name(struct qdpx *q, const xmlNode *c, const char *g)
{
	char *name = refi_attr(c, "name"), *why, *clean;

	if (!name) {
		return xstrdup(g);
	}
	clean = cb_clean_name(name, g, &why);
	if (why) {
		warn("'%s': code '%s' at line %ld is stored as '%s'%s",
		     q->file, name, refi_line(c), clean, why);
		free(why);
	}
	free(name);
	return clean;
}

/* The Code children of PARENT become codes under PARENT_ID (0: top) at
 * PARENT_PATH; PARENT_IDX is the parent in q->cb, for inheritance.
 * Existing codes (find_code()) are reused as they are. */
static void import_codes(struct qdpx *q, const xmlNode *parent,
			 long long parent_id, const char *parent_path,
			 long parent_idx);

/* Map the GUIDs export derives for the project's codes without one to
 * those codes (q->derived). */
static void read_derived(struct qdpx *q)
{
	struct refi_code_guid *v;
	size_t n = refi_code_guids(q->p, &v);

	for (size_t i = 0; i < n; i++) {
		if (v[i].derived) {
			gmap_put(&q->derived, v[i].guid, v[i].id, 0);
		}
	}
	free(v);
	q->derived_read = 1;
}

/* The project's code for the Code with GUID G and PATH (under its
 * parent's path in the project): by its stored GUID, else by the GUID
 * export derives for a code without one (which it then stores), else by
 * its path (the code takes G when it has no GUID); 0 when there is none.
 * How it was found goes to *HOW. */
static long long find_code(struct qdpx *q, const char *g, const char *path,
			   int *how)
{
	const struct gentry *e;
	long long id;

	*how = CODE_BY_GUID;
	if ((id = lookup(q->p, "SELECT id FROM codes WHERE guid = ?", g))) {
		return id;
	}
	if (!q->derived_read) {
		read_derived(q);
	}
	if ((e = gmap_get(&q->derived, g))) {
		sqlite3_stmt *st = db_cached(
			q->p, "UPDATE codes SET guid = ? WHERE id = ? AND "
			      "guid IS NULL");

		db_bind_text(q->p, st, 1, g);
		sqlite3_bind_int64(st, 2, e->id);
		db_run(q->p, st);
		*how = CODE_BY_DERIVED;
		return e->id;
	}
	*how = CODE_BY_PATH;
	if ((id = lookup(q->p, "SELECT id FROM codes WHERE path = ?", path))) {
		exec_text(q->p, "UPDATE codes SET guid = ?1 WHERE path = ?2 "
				"AND guid IS NULL", g, path, END);
		return id;
	}
	*how = CODE_ADDED;
	return 0;
}

/* Die: the Code NOW of the file would become the code PROJ_PATH of the
 * project, which the Code FIRST became already. */
static void two_codes_one(struct qdpx *q, const struct crow *first,
			  const struct crow *now, const char *proj_path)
{
	const struct crow *byg = first->how == CODE_BY_PATH ? now : first;
	const struct crow *byp = byg == first ? now : first;

	if (byg->how == CODE_BY_PATH || byg->how == CODE_ADDED) {
		/* Two Codes of one path. */
		die(QC_INPUT, "'%s': the codes at lines %ld and %ld are both "
			      "'%s': qcode names a code by its path, so their "
			      "codings would be counted as one code's; rename "
			      "one of them in the program that wrote the file "
			      "and export it again",
		    q->file, first->line, now->line, proj_path);
	}
	if (byp->how != CODE_BY_PATH) {
		die(QC_INPUT, "'%s': the codes '%s' at line %ld (GUID '%s') "
			      "and '%s' at line %ld (GUID '%s') are both the "
			      "project's code '%s'; nothing imported",
		    q->file, first->path, first->line, first->guid,
		    now->path, now->line, now->guid, proj_path);
	}
	/* A code renamed in the other program, and a new code there with
	 * its old name. */
	die(QC_INPUT, "'%s': code '%s' at line %ld is the project's code '%s' "
		      "(the same GUID, '%s'), and code '%s' at line %ld (GUID "
		      "'%s') has the path '%s' too: import renames no code, so "
		      "the two would become one; rename the project's code "
		      "first ('qcode codebook rename \"%s\" \"%s\"') and "
		      "import the file again",
	    q->file, byg->path, byg->line, proj_path, byg->guid, byp->path,
	    byp->line, byp->guid, proj_path, proj_path, byg->path);
}

/* The element C, when it is a Code, becomes a code under PARENT_ID (0:
 * top) at PARENT_PATH, and its Code children under it; PARENT_IDX is the
 * parent in q->cb, for inheritance.  An existing code (find_code()) is
 * reused as it is: a Code that is a project's code by GUID under another
 * name keeps the project's name, said in a notice. */
static void import_code(struct qdpx *q, const xmlNode *c, long long parent_id,
			const char *parent_path, long parent_idx)
{
	char g[37], col[8], row[37], *name, *path, *codable, *color, *desc;
	xmlNodePtr d;
	long long id;
	long me;
	int is_codable, how;
	struct crow *cr;
	const struct gentry *had;

	if (!refi_is(c, "Code")) {
		return;
	}
	guid_or_die(q, c, "a Code", g);
	if (gmap_get(&q->codes, g)) {
		die(QC_INPUT, "code guid '%s' in '%s' at line %ld is "
			      "used twice (first at line %ld)", g,
		    q->file, refi_line(c),
		    gmap_get(&q->codes, g)->line);
	}
	name = code_name(q, c, g);
	path = parent_path ? xasprintf("%s/%s", parent_path, name)
			   : xstrdup(name);
	codable = refi_attr(c, "isCodable");
	is_codable = !codable || (strcmp(codable, "false") != 0 &&
				  strcmp(codable, "0") != 0);
	color = refi_attr(c, "color");
	if (color && refi_color_norm(color, col) != 0) {
		warn("'%s': code '%s' at line %ld has colour '%s', "
		     "which is not #RGB or #RRGGBB; dropped", q->file,
		     path, refi_line(c), color);
		col[0] = '\0';
	} else if (!color) {
		col[0] = '\0';
	}
	d = refi_child(c, "Description");
	desc = d ? refi_text(d) : NULL;
	/* The code as qcode sees it: what it inherits, and the rules
	 * and properties in its description. */
	codebook_add(&q->cb, parent_idx, name, (size_t)refi_line(c));
	me = (long)q->cb.ncodes - 1;
	if (desc) {
		char *why;
		size_t at;

		if (refi_rules_parse(&q->cb.codes[me], desc,
				     (size_t)refi_line(d), &why,
				     &at) != 0) {
			die(QC_INPUT,
			    "bad qcode rules in the description "
			    "of code '%s' in '%s' at line %zu: "
			    "%s",
			    path, q->file, at, why);
		}
	}
	if (q->ncrows == q->cap_crows) {
		q->cap_crows = q->cap_crows ? 2 * q->cap_crows : 64;
		q->crows = xrealloc(q->crows,
				    q->cap_crows * sizeof(*q->crows));
	}
	cr = &q->crows[q->ncrows++];
	cr->line = refi_line(c);
	memcpy(cr->guid, g, sizeof(g));
	cr->path = path;
	cr->kept = NULL;
	id = find_code(q, g, path, &how);
	cr->how = how;
	if (!id) {
		sqlite3_stmt *st = db_cached(
			q->p,
			"INSERT INTO codes(parent_id, name, path, ord, "
			"description, color, codable, guid) VALUES(?, "
			"?, ?, (SELECT coalesce(max(ord), -1) + 1 FROM "
			"codes), ?, ?, ?, ?)");

		if (parent_id) {
			sqlite3_bind_int64(st, 1, parent_id);
		}
		db_bind_text(q->p, st, 2, name);
		db_bind_text(q->p, st, 3, path);
		db_bind_text(q->p, st, 4, q->cb.codes[me].description);
		db_bind_text(q->p, st, 5, col[0] ? col : NULL);
		sqlite3_bind_int(st, 6, is_codable);
		db_bind_text(q->p, st, 7, g);
		db_run(q->p, st);
		id = sqlite3_last_insert_rowid(q->p->db);
		refi_rules_store(q->p, id, &q->cb.codes[me]);
		q->ic->stats.codes++;
		path = xstrdup(path);
	} else {
		/* Children nest under the code as it is stored. */
		path = text_of(q->p,
			       "SELECT path FROM codes WHERE id = "
			       "%lld",
			       id);
	}
	snprintf(row, sizeof(row), "%lld", id);
	if ((had = gmap_get(&q->code_rows, row))) {
		two_codes_one(q, &q->crows[had->id], cr, path);
	}
	if (how != CODE_BY_PATH && strcmp(path, cr->path) != 0) {
		cr->kept = xstrdup(path); /* said after the codebook */
	}
	gmap_put(&q->code_rows, row, (long long)(q->ncrows - 1),
		 refi_line(c));
	gmap_put(&q->codes, g, id, refi_line(c));
	note_refs(q, c, "code", id);
	import_codes(q, c, id, path, me);
	free(name);
	free(path);
	free(codable);
	free(color);
	free(desc);
}

/* The Code children of PARENT, as import_code() says. */
static void import_codes(struct qdpx *q, const xmlNode *parent,
			 long long parent_id, const char *parent_path,
			 long parent_idx)
{
	for (xmlNodePtr c = refi_first(parent); c; c = refi_next(c)) {
		import_code(q, c, parent_id, parent_path, parent_idx);
	}
}

/* The attribute type of a REFI typeOfVariable. */
static const char *var_type(const char *t)
{
	static const char *const map[][2] = {
		{ "Text", "text" },       { "Boolean", "boolean" },
		{ "Integer", "integer" }, { "Float", "float" },
		{ "Date", "date" },       { "DateTime", "datetime" },
	};

	for (size_t i = 0; t && i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(t, map[i][0]) == 0) {
			return map[i][1];
		}
	}
	return "text";
}

/* Description child text of N, malloc'd, or NULL. */
static char *description(const xmlNode *n)
{
	xmlNodePtr d = refi_child(n, "Description");

	return d ? refi_text(d) : NULL;
}

/* A name attribute, else the GUID. */
static char *name_or(const xmlNode *n, const char *g)
{
	char *name = refi_attr(n, "name");

	if (!name || !*name) {
		free(name);
		return xstrdup(g);
	}
	return name;
}

/* A Variable becomes an attribute (by GUID, else name). */
static void import_variable(struct qdpx *q, const xmlNode *v)
{
	static const struct match_sql vars_sql = {
		"SELECT id FROM attributes WHERE guid = ?",
		"SELECT id FROM attributes WHERE name = ?",
		"UPDATE attributes SET guid = ?1 WHERE name = ?2 AND guid IS "
		"NULL",
		"INSERT INTO attributes(name, type, description, guid) "
		"VALUES(?, ?, ?, ?)",
	};

	char g[37], *name, *type, *desc;
	long long id;
	int added;

	if (!refi_is(v, "Variable")) {
		return;
	}
	guid_or_die(q, v, "a Variable", g);
	name = name_or(v, g);
	type = refi_attr(v, "typeOfVariable");
	desc = description(v);
	id = match_or_insert(q->p, &vars_sql, g, name, &added, name,
			     var_type(type), desc, g, END);
	q->ic->stats.attributes += (size_t)added;
	gmap_put(&q->vars, g, id, refi_line(v));
	free(name);
	free(type);
	free(desc);
}

/* Store the VariableValue VV on the document ID (DOC 1) or the case ID
 * (DOC 0).  FRESH: the case is new to the project.
 *
 * A value of a case that may have one already is an upsert, whose
 * UPDATE fires undo's trigger; SQLite keeps a journal of the pages such
 * a statement changes (in a temporary file past 64 KiB).  A new case's
 * first value of a variable is a plain one-row insert, which needs
 * none. */
static void variable_value(struct qdpx *q, const xmlNode *vv, int doc,
			   long long id, int fresh)
{
	static const char new_sql[] =
		"INSERT INTO case_attributes(case_id, attr_id, value) "
		"VALUES(?, ?, ?)";
	static const char doc_sql[] =
		"INSERT INTO document_attributes(doc_id, attr_id, value) "
		"VALUES(?, ?, ?) ON CONFLICT(doc_id, attr_id) DO UPDATE SET "
		"value = excluded.value WHERE value IS NOT excluded.value";
	static const char case_sql[] =
		"INSERT INTO case_attributes(case_id, attr_id, value) "
		"VALUES(?, ?, ?) ON CONFLICT(case_id, attr_id) DO UPDATE SET "
		"value = excluded.value WHERE value IS NOT excluded.value";
	xmlNodePtr ref = refi_child(vv, "VariableRef"), val = NULL;
	const struct gentry *var;
	sqlite3_stmt *st;
	char g[37], *text;

	if (!ref || attr_guid(ref, "targetGUID", g) != 0 ||
	    !(var = gmap_get(&q->vars, g))) {
		warn("'%s': a VariableValue at line %ld names no Variable of "
		     "the file; ignored", q->file, refi_line(vv));
		return;
	}
	for (xmlNodePtr c = refi_first(vv); c; c = refi_next(c)) {
		if (c != ref) {
			val = c;
			break;
		}
	}
	if (!val) {
		return;
	}
	text = refi_text(val);
	if (!doc && fresh) {
		const struct gentry *had = gmap_get(&q->case_var, var->guid);

		fresh = !had || had->id != id;
		gmap_put(&q->case_var, var->guid, id, 0);
	}
	st = db_cached(q->p, doc ? doc_sql : fresh ? new_sql : case_sql);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, var->id);
	db_bind_text(q->p, st, 3, text);
	db_run(q->p, st);
	free(text);
}

/* The coder with GUID G: a User of the file, else one made for it. */
static long long coder_by_guid(struct qdpx *q, const char *g)
{
	const struct gentry *e = gmap_get(&q->users, g);
	long long id;

	if (e) {
		return e->id;
	}
	id = lookup(q->p, "SELECT id FROM coders WHERE guid = ?", g);
	if (!id) {
		warn("'%s': user '%s' is named by a coding but not listed "
		     "in Users; it becomes a coder of that name", q->file, g);
		id = lookup(q->p, "SELECT id FROM coders WHERE name = ?", g);
		if (!id) {
			exec_text(q->p, "INSERT INTO coders(name, guid) "
					"VALUES(?1, ?1)", g, END);
			id = sqlite3_last_insert_rowid(q->p->db);
			q->ic->stats.coders++;
		}
	}
	gmap_put(&q->users, g, id, 0);
	return id;
}

/* The coder of coding C: its creatingUser, else its selection's (SEL_USER,
 * may be NULL), else the project's creating user, else "unknown". */
static long long coder_for(struct qdpx *q, const xmlNode *c,
			   const char *sel_user)
{
	char g[37];

	if (attr_guid(c, "creatingUser", g) == 0) {
		return coder_by_guid(q, g);
	}
	if (sel_user) {
		return coder_by_guid(q, sel_user);
	}
	if (q->project_user) {
		return q->project_user;
	}
	if (!q->unknown_user) {
		long long before = db_int(q->p, 0, "SELECT count(*) FROM "
						   "coders");

		q->unknown_user = coder_get(q->p, "unknown");
		if (db_int(q->p, 0, "SELECT count(*) FROM coders") > before) {
			q->ic->stats.coders++;
		}
	}
	return q->unknown_user;
}

/* An integer attribute; DFLT when absent, -2 when malformed. */
static long long int_attr(const xmlNode *n, const char *name, long long dflt)
{
	char *v = refi_attr(n, name), *end;
	long long r;

	if (!v) {
		return dflt;
	}
	errno = 0;
	r = strtoll(v, &end, 10);
	if (errno || end == v || *end || r < 0) {
		r = -2;
	}
	free(v);
	return r;
}

/* The string at OFF (an offset + 1) in q->xpool, or NULL for 0. */
static const char *xpool_str(const struct qdpx *q, size_t off)
{
	return off ? q->xpool.buf + off - 1 : NULL;
}

/* Insert the coding C of DOC over [S, E); returns its id. */
static long long add_coding(struct qdpx *q, const xmlNode *c, long long doc,
			    size_t s, size_t e, const char *memo,
			    const char *sel_user)
{
	xmlNodePtr ref = refi_child(c, "CodeRef");
	const struct gentry *code, *x;
	const char *origin = NULL, *rule = NULL;
	struct coding k;
	char g[37], cg[37];
	int has_guid = attr_guid(c, "guid", g) == 0;
	long long id;

	if (!ref || attr_guid(ref, "targetGUID", cg) != 0) {
		die(QC_INPUT, "coding in '%s' at line %ld has no CodeRef with "
			      "a valid targetGUID", q->file, refi_line(c));
	}
	code = gmap_get(&q->codes, cg);
	if (!code) {
		die(QC_INPUT, "coding in '%s' at line %ld refers to code '%s', "
			      "which the file does not define", q->file,
		    refi_line(c), cg);
	}
	if (has_guid) {
		id = lookup(q->p, "SELECT id FROM codings WHERE guid = ?", g);
		if (id) {
			/* its notes are still the coding's */
			q->dup_codings++;
			note_refs(q, c, "coding", id);
			return id;
		}
	}
	memset(&k, 0, sizeof(k));
	k.doc_id = doc;
	k.code_id = code->id;
	k.coder_id = coder_for(q, c, sel_user);
	/* The same code on the same span by the same coder is there already
	 * (a project coming back from another tool).  By the document's
	 * index (codings_doc): the planner would else take codings_code
	 * (covering) and walk every coding of the code, quadratic in the
	 * codings imported; '+' keeps code_id out of the index choice. */
	id = run_ints(q->p, "SELECT id FROM codings WHERE doc_id = ? AND "
			    "+code_id = ? AND coder_id = ? AND start = ? AND "
			    "end = ?", 5, doc, code->id, k.coder_id,
		      (long long)s, (long long)e);
	if (id) {
		q->dup_codings++;
		note_refs(q, c, "coding", id);
		return id;
	}
	k.start = (long long)s;
	k.end = (long long)e;
	k.origin = "imported";
	k.status = "accepted";
	k.memo = memo;
	k.guid = has_guid ? g : NULL;
	if (has_guid && (x = gmap_get(&q->xcodings, g))) {
		const struct xcoding *xc = &q->xcodv[x->id];
		long long seg = xc->segment;

		origin = xpool_str(q, xc->origin);
		if (origin && (strcmp(origin, "manual") == 0 ||
			       strcmp(origin, "auto") == 0)) {
			k.origin = origin;
			rule = xpool_str(q, xc->rule);
			k.rule = rule;
		}
		if (seg >= 0) {
			k.segment_id = run_ints(q->p,
						"SELECT id FROM segments "
						"WHERE doc_id = ? AND idx = ?",
						2, doc, seg);
		}
	}
	id = coding_insert(q->p, &k);
	q->ic->stats.codings++;
	note_refs(q, c, "coding", id);
	return id;
}

/* Parse an integer position attribute; -1 when absent or malformed. */
static long long position(const xmlNode *n, const char *attr)
{
	char *v = refi_attr(n, attr), *end;
	long long r;

	if (!v) {
		return -1;
	}
	errno = 0;
	r = strtoll(v, &end, 10);
	if (errno || end == v || *trim(end) || r < 0) {
		r = -1;
	}
	free(v);
	return r;
}

/* A PlainTextSelection of DOC: its position converted through M and
 * checked (a problem is reported and counted in q->oob), its codings
 * added, its notes attached. */
static void import_selection(struct qdpx *q, const xmlNode *sel,
			     long long doc, const struct refi_posmap *m,
			     const char *src)
{
	char g[37], ug[37], *memo;
	long long s = position(sel, "startPosition");
	long long e = position(sel, "endPosition");
	size_t cs, ce;
	long long first = 0;

	guid_or_die(q, sel, "a PlainTextSelection", g);
	if (s < 0 || e < 0) {
		die(QC_INPUT, "selection '%s' in '%s' at line %ld has no valid "
			      "%s", g, q->file, refi_line(sel),
		    s < 0 ? "startPosition" : "endPosition");
	}
	if (s > e) {
		error("selection '%s' in '%s' at line %ld starts after it ends "
		      "(%lld-%lld)", g, q->file, refi_line(sel), s, e);
		q->oob++;
		return;
	}
	if (refi_posmap_cp(m, s, 0, &cs) != 0 ||
	    refi_posmap_cp(m, e, 1, &ce) != 0) {
		error("selection '%s' in '%s' at line %ld (%lld-%lld) falls "
		      "outside its source '%s' (length %zu %s)", g, q->file,
		      refi_line(sel), s, e, src, m->units,
		      refi_units_name(q->units));
		q->oob++;
		return;
	}
	memo = description(sel);
	for (xmlNodePtr c = refi_first(sel); c; c = refi_next(c)) {
		if (refi_is(c, "Coding")) {
			long long id = add_coding(
				q, c, doc, cs, ce, memo,
				attr_guid(sel, "creatingUser", ug) == 0 ? ug
									: NULL);

			if (!first) {
				first = id;
			}
		}
	}
	note_refs(q, sel, first ? "coding" : "document", first ? first : doc);
	free(memo);
}

/* NAME, or NAME (2), NAME (3), ... whichever no document has yet. */
static char *unique_doc_name(struct qdpx *q, const char *name)
{
	char *n = xstrdup(name);

	for (int k = 2; lookup(q->p, "SELECT id FROM documents WHERE name = ?",
			       n);
	     k++) {
		free(n);
		n = xasprintf("%s (%d)", name, k);
	}
	return n;
}

/* Where the plain text a plainTextPath names is: internal://X or a bare X,
 * looked up in sources/ (either case) or at the top of the archive, or of
 * the folder of a bare project.qde.  Returns the entry name or file path
 * (malloc'd), NULL when it is not there, or "" (malloc'd) for an external
 * (relative:// or absolute://) path. */
static char *locate(struct qdpx *q, const xmlNode *n, const char *path)
{
	static const char *const folders[] = { "sources/", "Sources/", "" };
	const char *p = path;

	if (strncmp(p, "internal://", 11) == 0) {
		p += 11;
	} else if (strstr(p, "://")) {
		return xstrdup("");
	}
	if (!*p || refi_zip_unsafe_name(p)) {
		die(QC_INPUT, "source path '%s' in '%s' at line %ld leaves the "
			      "%s; refusing the file", path, q->file,
		    refi_line(n), q->dir ? "folder" : "archive");
	}
	for (size_t k = 0; k < sizeof(folders) / sizeof(folders[0]); k++) {
		char *name;
		struct stat st;

		if (!q->dir) {
			long i;

			name = xasprintf("%s%s", folders[k], p);
			i = refi_zip_find(&q->zip, name);
			free(name);
			if (i >= 0) {
				return xstrdup(q->zip.names[i]);
			}
			continue;
		}
		name = xasprintf("%s/%s%s", q->dir, folders[k], p);
		if (stat(name, &st) == 0 && S_ISREG(st.st_mode)) {
			return name;
		}
		free(name);
	}
	return NULL;
}

/* Read the file LOC (from locate()) into *RAW (malloc'd) and check it is
 * UTF-8; dies otherwise. */
static void fetch(struct qdpx *q, const char *loc, char **raw, size_t *len)
{
	struct utf8_error err;
	char *msg;

	if (!q->dir) {
		if (refi_zip_read(&q->zip, refi_zip_find(&q->zip, loc), raw,
				  len, &msg) != 0) {
			die_after(QC_INPUT, free, msg, "cannot import '%s': %s",
				  q->file, msg);
		}
	} else {
		struct stat st;

		if (stat(loc, &st) == 0 &&
		    (size_t)st.st_size > REFI_ZIP_MAX_ENTRY) {
			die(QC_INPUT,
			    "'%s' is too large (%lld bytes; the limit "
			    "is %zu)",
			    loc, (long long)st.st_size, REFI_ZIP_MAX_ENTRY);
		}
		if (read_file(loc, raw, len) != 0) {
			die(QC_INPUT, "cannot read '%s': %s", loc,
			    strerror(errno));
		}
	}
	if (utf8_validate(*raw, *len, &err) != 0) {
		die(QC_INPUT,
		    "invalid UTF-8 in '%s'%s%s%s at line %zu, byte %zu",
		    q->dir ? loc : q->file, q->dir ? "" : " (",
		    q->dir ? "" : loc, q->dir ? "" : ")", err.line, err.byte);
	}
}

/* Read the plain text of source element T (a TextSource or a PDF's
 * Representation) into *RAW (malloc'd).  Returns 0, 1 when it has no
 * plain text, 2 when its text lies outside the archive. */
static int source_text(struct qdpx *q, const xmlNode *t, const char *name,
		       char **raw, size_t *len)
{
	char *path = refi_attr(t, "plainTextPath");
	xmlNodePtr content = refi_child(t, "PlainTextContent");

	*raw = NULL;
	if (path && *path) {
		char *loc = locate(q, t, path);

		if (loc && !*loc) {
			free(loc);
			free(path);
			return 2;
		}
		if (!loc && q->dir) {
			die(QC_INPUT, "source '%s' in '%s' at line %ld names "
				      "'%s', which is not in '%s/sources/'",
			    name, q->file, refi_line(t), path, q->dir);
		}
		if (!loc) {
			die(QC_INPUT, "source '%s' in '%s' at line %ld names "
				      "'%s', which the archive does not hold",
			    name, q->file, refi_line(t), path);
		}
		fetch(q, loc, raw, len);
		free(loc);
	} else if (content) {
		*raw = refi_text(content);
		*len = strlen(*raw);
	}
	free(path);
	return *raw ? 0 : 1;
}

/* The Document of qcode.xml for source G whose text has SHA, or NULL. */
static const struct xdoc *extra_document(struct qdpx *q, const char *g,
					 const char *sha)
{
	const struct gentry *e = gmap_get(&q->xdocs, g);

	if (!e) {
		return NULL;
	}
	return strcmp(q->xdocv[e->id].sha, sha) == 0 ? &q->xdocv[e->id]
						      : NULL;
}

/* Store the segments qcode.xml lists for DOC (CHARS long).  Returns 0, or
 * -1 (nothing stored) when they do not fit the text. */
static int extra_segments(struct qdpx *q, const struct xdoc *x,
			  long long doc, size_t chars)
{
	const struct xseg *v = q->xsegv + x->seg0;
	long long last = -1;

	for (size_t i = 0; i < x->nseg; i++) {
		const struct xseg *s = &v[i];

		if (s->idx <= last || s->start < 0 || s->end < s->start ||
		    (size_t)s->end > chars || s->time_start < -1 ||
		    s->time_end < -1) {
			warn(
			    "'%s' (qcode.xml): the segments at line %ld do not "
			    "fit their document; it is segmented afresh",
			    q->file, s->line);
			return -1;
		}
		last = s->idx;
	}
	for (size_t i = 0; i < x->nseg; i++) {
		const struct xseg *s = &v[i];
		const char *kind = xpool_str(q, s->kind);

		import_segment(q->ic, doc, (long)s->idx, (size_t)s->start,
			       (size_t)s->end, kind ? kind : "paragraph",
			       xpool_str(q, s->speaker), s->time_start,
			       s->time_end);
	}
	return 0;
}

/* Attribute NAME of N into q->xpool; its offset + 1, or 0 when absent. */
static size_t xpool_attr(struct qdpx *q, const xmlNode *n, const char *name)
{
	char *v = refi_attr(n, name);
	size_t off;

	if (!v) {
		return 0;
	}
	off = q->xpool.len + 1;
	sb_add(&q->xpool, v, strlen(v) + 1);
	free(v);
	return off;
}

/* The line of N, the element RD is on. */
static long reader_line(struct refi_reader *rd, const xmlNode *n)
{
	long l = refi_line(n);

	/* libxml2 keeps a larger line only in text nodes. */
	return l > 0 && l < 65535 ? l : xmlTextReaderGetParserLineNumber(rd->r);
}

/* Grow the array *V of *CAP items of SIZE bytes to hold N + 1. */
static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap) {
		return v;
	}
	*cap = *cap ? 2 * *cap : 64;
	return xrealloc(v, *cap * size);
}

/* Forget what was read of qcode.xml. */
static void extras_free(struct qdpx *q)
{
	gmap_free(&q->xdocs);
	gmap_free(&q->xcodings);
	free(q->xdocv);
	free(q->xsegv);
	free(q->xcodv);
	sb_release(&q->xpool);
	q->xdocv = NULL;
	q->xsegv = NULL;
	q->xcodv = NULL;
	q->nxdoc = q->nxseg = q->nxcod = 0;
}

/* Read qcode.xml (XML[0..LEN)) when the archive has one: a qcode export
 * keeps there what the standard cannot say.  A broken one is ignored with
 * a warning.  Read as a stream: what is kept is the compact records
 * above, not libxml2's tree (about 1 KB per Segment). */
static void read_extras(struct qdpx *q, const char *xml, size_t len)
{
	struct refi_reader rd;
	size_t capd = 0, caps = 0, capc = 0;
	long cur = -1; /* the Document being read, or -1 */
	int r, extras = 0;

	r = refi_reader_open(&rd, xml, len);
	if (r == 0) {
		r = refi_reader_read(&rd);
	}
	while (r == 1) {
		int depth = xmlTextReaderDepth(rd.r);
		xmlNodePtr n = xmlTextReaderCurrentNode(rd.r);
		char g[37];

		if (xmlTextReaderNodeType(rd.r) != XML_READER_TYPE_ELEMENT) {
			r = refi_reader_read(&rd);
			continue;
		}
		if (depth == 0) {
			extras = strcmp((const char *)n->name,
					"QcodeExtras") == 0;
			r = extras ? refi_reader_read(&rd)
				   : refi_reader_skip(&rd);
			continue;
		}
		if (depth == 2 && cur >= 0 &&
		    strcmp((const char *)n->name, "Segment") == 0) {
			struct xseg *sg;

			q->xsegv = grow(q->xsegv, &caps, q->nxseg,
					sizeof(*q->xsegv));
			sg = &q->xsegv[q->nxseg++];
			sg->idx = int_attr(n, "idx", -2);
			sg->start = int_attr(n, "start", -2);
			sg->end = int_attr(n, "end", -2);
			sg->time_start = int_attr(n, "timeStart", -1);
			sg->time_end = int_attr(n, "timeEnd", -1);
			sg->kind = xpool_attr(q, n, "kind");
			sg->speaker = xpool_attr(q, n, "speaker");
			sg->line = reader_line(&rd, n);
			q->xdocv[cur].nseg++;
		}
		if (depth != 1) {
			r = refi_reader_skip(&rd);
			continue;
		}
		cur = -1;
		if (strcmp((const char *)n->name, "Document") == 0 &&
		    attr_guid(n, "guid", g) == 0) {
			struct xdoc *d;
			char *sha = refi_attr(n, "sha256");

			q->xdocv = grow(q->xdocv, &capd, q->nxdoc,
					sizeof(*q->xdocv));
			d = &q->xdocv[q->nxdoc];
			/* A sha256 that is not one never matches. */
			d->sha[0] = '\0';
			if (sha && strlen(sha) < sizeof(d->sha)) {
				strcpy(d->sha, sha);
			} else if (sha) {
				strcpy(d->sha, "-");
			}
			free(sha);
			d->format = xpool_attr(q, n, "format");
			d->question = xpool_attr(q, n, "question");
			d->seg0 = q->nxseg;
			d->nseg = 0;
			gmap_put(&q->xdocs, g, (long long)q->nxdoc, 0);
			cur = (long)q->nxdoc++;
			r = refi_reader_read(&rd);
			continue;
		}
		if (strcmp((const char *)n->name, "Coding") == 0 &&
		    attr_guid(n, "guid", g) == 0) {
			struct xcoding *c;

			q->xcodv = grow(q->xcodv, &capc, q->nxcod,
					sizeof(*q->xcodv));
			c = &q->xcodv[q->nxcod];
			c->segment = int_attr(n, "segment", -1);
			c->origin = xpool_attr(q, n, "origin");
			c->rule = xpool_attr(q, n, "rule");
			gmap_put(&q->xcodings, g, (long long)q->nxcod++, 0);
		}
		r = refi_reader_skip(&rd);
	}
	if (r < 0) {
		long line;
		char *msg;

		/* In the words of libxml2's parser, as before the reader. */
		if (strncmp(rd.msg, "a DOCTYPE", 9) != 0 &&
		    refi_xml_check(xml, len, NULL, NULL, &line, &msg) != 0) {
			free(rd.msg);
			rd.msg = msg;
			rd.line = line;
		}
		warn("'%s': qcode.xml is malformed at line %ld (%s); ignored",
		     q->file, rd.line, rd.msg);
	}
	if (r < 0 || !extras) {
		extras_free(q);
	}
	refi_reader_close(&rd);
}

/*
 * The project's document that a source with text SHA (GUID G, name NAME,
 * listed by case CS or NULL) is, or 0 when the project lacks the text:
 * the one document with that text; of several, the one whose GUID (its
 * stored one, or the one qcode's export derives) is G, else the one
 * named NAME, else the one of case CS.  Several with nothing telling
 * which is refused: a survey's short answers ("no time") repeat, and a
 * guess would put one respondent's codings on another's answer.
 */
static long long known_doc(struct qdpx *q, const char *sha, const char *g,
			   const char *name, const struct gentry *cs)
{
	sqlite3_stmt *st = db_cached(
		q->p, "SELECT d.id, d.guid, d.name, d.case_id, c.name FROM "
		      "temp.known_texts k JOIN documents d ON d.id = k.id "
		      "LEFT JOIN cases c ON c.id = d.case_id WHERE "
		      "k.sha256 = ? ORDER BY d.id");
	struct strbuf which = STRBUF_INIT;
	long long first = 0, by[3] = { 0, 0, 0 };
	size_t n = 0, nby[3] = { 0, 0, 0 };

	db_bind_text(q->p, st, 1, sha);
	while (db_step(q->p, st)) {
		long long id = sqlite3_column_int64(st, 0);
		const char *dname = db_col_text(st, 2);
		char dg[37];
		int hit[3];

		refi_doc_guid((const char *)sqlite3_column_text(st, 1), dname,
			      sha, dg);
		hit[0] = strcmp(dg, g) == 0;
		hit[1] = strcmp(dname, name) == 0;
		hit[2] = cs && sqlite3_column_type(st, 3) != SQLITE_NULL &&
			 sqlite3_column_int64(st, 3) == cs->id;
		for (int k = 0; k < 3; k++) {
			if (hit[k]) {
				by[k] = id;
				nby[k]++;
			}
		}
		if (!n++) {
			first = id;
		}
		if (n <= 5) {
			sb_addf(&which, "%s'%s'", n > 1 ? ", " : "", dname);
			if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
				sb_addf(&which, " (case '%s')",
					db_col_text(st, 4));
			}
		}
	}
	sqlite3_reset(st);
	if (n <= 1) {
		sb_release(&which);
		return first;
	}
	for (int k = 0; k < 3; k++) {
		if (nby[k] == 1) {
			sb_release(&which);
			return by[k];
		}
	}
	if (n > 5) {
		sb_addf(&which, " and %zu more", n - 5);
	}
	die(QC_INPUT, "'%s': source '%s' has the same text as %zu documents "
		      "here (%s), and neither its GUID, name nor case tells "
		      "which it is; nothing imported (give it the name it has "
		      "here)", q->file, name, n, sb_str(&which));
}

/* Import the text source T; OWNER is the element carrying its GUID and
 * name (T itself, or the PDFSource of a Representation). */
static void import_text_source(struct qdpx *q, const xmlNode *t,
			       const xmlNode *owner)
{
	char g[37], tg[37], sha[65], *name, *raw, *text;
	const struct gentry *cs;
	struct segments segs;
	struct refi_posmap m;
	size_t rawlen, len;
	long long doc;
	int r;

	guid_or_die(q, owner, "a source", g);
	if (gmap_get(&q->sources, g)) {
		die(QC_INPUT, "source guid '%s' in '%s' at line %ld is used "
			      "twice", g, q->file, refi_line(owner));
	}
	/* The case listing it, by its GUID or its Representation's. */
	cs = gmap_get(&q->case_of, g);
	if (!cs && t != owner && attr_guid(t, "guid", tg) == 0) {
		cs = gmap_get(&q->case_of, tg);
	}
	name = refi_attr(owner, "name");
	if (!name || !*name) {
		char *path = refi_attr(t, "plainTextPath");
		const char *base = path ? strrchr(path, '/') : NULL;

		free(name);
		name = xstrdup(base ? base + 1 : path ? path : g);
		free(path);
	}
	r = source_text(q, t, name, &raw, &rawlen);
	if (r != 0) {
		if (r == 1) {
			q->no_text++;
		} else {
			q->external++;
		}
		free(name);
		return;
	}
	if ((rawlen < 3 || memcmp(raw, "\xEF\xBB\xBF", 3) != 0) &&
	    !memchr(raw, '\r', rawlen)) {
		/* Nothing to normalise (the usual case): one copy of a
		 * large source is enough. */
		text = raw;
		len = rawlen;
	} else {
		text = text_normalize(raw, rawlen, &len);
	}
	sha256_hex(text, len, sha);
	doc = q->max_doc ? known_doc(q, sha, g, name, cs) : 0;
	if (doc) {
		char *have = text_of(q->p, "SELECT name FROM documents WHERE "
					   "id = %lld", doc);

		notice("'%s': source '%s' has the text of document '%s'; its "
		       "codings go there", q->file, name, have);
		free(have);
		{ /* That document only (GUIDs are one object's). */
			sqlite3_stmt *st = db_cached(
				q->p, "UPDATE documents SET guid = ? WHERE "
				      "id = ? AND guid IS NULL");

			db_bind_text(q->p, st, 1, g);
			sqlite3_bind_int64(st, 2, doc);
			db_run(q->p, st);
		}
		if (cs) { /* a document the project had: unless it has one */
			run_ints(q->p, "UPDATE documents SET case_id = ? "
				       "WHERE id = ? AND case_id IS NULL",
				 2, cs->id, doc);
		}
	} else {
		char *uname = unique_doc_name(q, name);
		long long case_id = import_doc_case(q->ic);

		const struct xdoc *x = extra_document(q, g, sha);
		const char *format = x ? xpool_str(q, x->format) : NULL;
		const char *question = x ? xpool_str(q, x->question) : NULL;

		if (strcmp(uname, name) != 0) {
			notice("'%s': a document named '%s' exists; source "
			       "'%s' becomes '%s'", q->file, name, g, uname);
		}
		if (cs && !case_id) { /* --case's case stays */
			case_id = cs->id;
		}
		if (raw != text && len >= IMPORT_LARGE_TEXT) {
			/* SQLite copies the text into the row it builds:
			 * the text as the file has it is read again after
			 * (for the selections' positions), not held. */
			free(raw);
			raw = NULL;
		}
		q->ic->doc_guid = g;
		doc = import_document(q->ic, uname, case_id, question,
				      format && *format ? format : "qdpx", text,
				      len);
		q->ic->doc_guid = NULL;
		if (!x ||
		    extra_segments(q, x, doc, utf8_count(text, len)) != 0) {
			segments_init(&segs);
			segment_text(text, len, 0, &segs);
			import_segments(q->ic, doc, text, len, &segs);
			segments_release(&segs);
		}
		free(uname);
		if (!raw && source_text(q, t, name, &raw, &rawlen) != 0) {
			die(QC_FAIL, "source '%s' in '%s' has no text when "
				     "read again", name, q->file);
		}
	}
	gmap_put(&q->sources, g, doc, refi_line(owner));
	if (t != owner && attr_guid(t, "guid", tg) == 0 &&
	    !gmap_get(&q->sources, tg)) {
		gmap_put(&q->sources, tg, doc, refi_line(t));
	}
	refi_posmap_init(&m, raw, rawlen, q->units);
	for (int pass = 0; pass < 2; pass++) {
		const xmlNode *e = pass == 0 ? t : owner;

		if (pass == 1 && t == owner) {
			break;
		}
		for (xmlNodePtr c = refi_first(e); c; c = refi_next(c)) {
			if (refi_is(c, "PlainTextSelection")) {
				import_selection(q, c, doc, &m, name);
			} else if (refi_is(c, "Coding")) {
				add_coding(q, c, doc, 0, m.chars, NULL, NULL);
			} else if (refi_is(c, "VariableValue")) {
				variable_value(q, c, 1, doc, 0);
			} else if (refi_is(c, "PDFSelection")) {
				q->pdf_areas++;
			}
		}
		note_refs(q, e, "document", doc);
	}
	refi_posmap_release(&m);
	if (raw != text) {
		free(raw);
	}
	free(text);
	free(name);
}

/* A text or PDF source becomes a document; others are counted. */
static void import_source(struct qdpx *q, const xmlNode *s)
{
	if (refi_is(s, "TextSource")) {
		import_text_source(q, s, s);
	} else if (refi_is(s, "PDFSource")) {
		xmlNodePtr rep = refi_child(s, "Representation");

		if (rep) {
			import_text_source(q, rep, s);
		} else {
			q->no_text++;
		}
	} else if (s->type == XML_ELEMENT_NODE) {
		q->media++;
	}
}

/* After the Sources, each SourceRef of the Cases in the file's order: one
 * naming no source of the file is ignored, and one whose source has
 * another case (another Case listed it first, --case named one, or the
 * project's document had one) leaves it there; a warning each. */
static void check_source_refs(struct qdpx *q)
{
	for (size_t i = 0; i < q->nrefs; i++) {
		const struct gentry *r = &q->refs[i];
		const struct gentry *src =
			r->guid[0] ? gmap_get(&q->sources, r->guid) : NULL;

		if (!src) {
			char *name = text_of(q->p, "SELECT name FROM cases "
						   "WHERE id = %lld", r->id);

			warn("'%s': case '%s' names a source at line %ld "
			     "that the file does not hold; ignored", q->file,
			     name, r->line);
			free(name);
		} else if (run_ints(q->p, "SELECT count(*) FROM documents "
					  "WHERE id = ? AND case_id <> ?",
				    2, src->id, r->id)) {
			warn("'%s': source '%s' belongs to several cases; "
			     "it stays with the first", q->file, r->guid);
		}
	}
}

/* A Case, with its variable values; the documents it lists get it when
 * they are made (import_text_source). */
static void import_one_case(struct qdpx *q, const xmlNode *c)
{
	static const struct match_sql cases_sql = {
		"SELECT id FROM cases WHERE guid = ?",
		"SELECT id FROM cases WHERE name = ?",
		"UPDATE cases SET guid = ?1 WHERE name = ?2 AND guid IS NULL",
		"INSERT INTO cases(name, description, guid) VALUES(?, ?, ?)",
	};

	char g[37], *name, *desc;
	long long id;
	int added;

	if (!refi_is(c, "Case")) {
		return;
	}
	guid_or_die(q, c, "a Case", g);
	name = name_or(c, g);
	desc = description(c);
	id = match_or_insert(q->p, &cases_sql, g, name, &added, name,
			     desc, g, END);
	q->ic->stats.cases += (size_t)added;
	gmap_put(&q->cases, g, id, refi_line(c));
	for (xmlNodePtr k = refi_first(c); k; k = refi_next(k)) {
		char sg[37];

		if (refi_is(k, "CodeRef")) {
			q->case_codes++;
		} else if (refi_is(k, "SelectionRef")) {
			q->case_sels++;
		} else if (refi_is(k, "VariableValue")) {
			variable_value(q, k, 0, id, added);
		} else if (refi_is(k, "SourceRef")) {
			struct gentry *ref;

			if (q->nrefs == q->refs_cap) {
				q->refs_cap = q->refs_cap ? 2 * q->refs_cap
							  : 64;
				q->refs = xrealloc(q->refs, q->refs_cap *
								    sizeof(*q->refs));
			}
			ref = &q->refs[q->nrefs++];
			if (attr_guid(k, "targetGUID", sg) != 0) {
				sg[0] = 0;
			} else if (!gmap_get(&q->case_of, sg)) {
				gmap_put(&q->case_of, sg, id, refi_line(k));
			}
			memcpy(ref->guid, sg, sizeof(ref->guid));
			ref->id = id;
			ref->line = refi_line(k);
		}
	}
	free(name);
	free(desc);
}

/* A Set of codes becomes a code group; a set of sources or notes only is
 * counted and left out. */
static void import_set(struct qdpx *q, const xmlNode *s)
{
	static const struct match_sql sets_sql = {
		"SELECT id FROM code_sets WHERE guid = ?",
		"SELECT id FROM code_sets WHERE name = ?",
		"UPDATE code_sets SET guid = ?1 WHERE name = ?2 AND guid IS "
		"NULL",
		"INSERT INTO code_sets(name, description, guid) "
		"VALUES(?, ?, ?)",
	};

	char g[37], *name, *desc;
	size_t codes = 0, others = 0;
	long long id;
	int added;

	if (!refi_is(s, "Set")) {
		return;
	}
	guid_or_die(q, s, "a Set", g);
	for (xmlNodePtr m = refi_first(s); m; m = refi_next(m)) {
		if (refi_is(m, "MemberCode")) {
			codes++;
		} else if (refi_is(m, "MemberSource") ||
			   refi_is(m, "MemberNote")) {
			others++;
		}
	}
	q->set_members += others;
	if (!codes && others) {
		return;
	}
	name = name_or(s, g);
	desc = description(s);
	id = match_or_insert(q->p, &sets_sql, g, name, &added, name,
			     desc, g, END);
	for (xmlNodePtr m = refi_first(s); m; m = refi_next(m)) {
		const struct gentry *code;
		char cg[37];

		if (!refi_is(m, "MemberCode")) {
			continue;
		}
		if ((attr_guid(m, "targetGUID", cg) != 0 &&
		     attr_guid(m, "guid", cg) != 0) ||
		    !(code = gmap_get(&q->codes, cg))) {
			warn("'%s': set '%s' names a code at line %ld "
			     "that the file does not define; ignored",
			     q->file, name, refi_line(m));
			continue;
		}
		run_ints(q->p, "INSERT OR IGNORE INTO "
			       "code_set_members(set_id, code_id) "
			       "VALUES(?, ?)", 2, id, code->id);
	}
	free(name);
	free(desc);
}

/* A Link from a note to a case attaches the note to the case (the
 * schema gives cases no NoteRef); other links are not imported. */
static void import_link(struct qdpx *q, const xmlNode *l)
{
	const struct gentry *note, *c;
	char og[37], tg[37];

	if (!refi_is(l, "Link")) {
		return;
	}
	if (attr_guid(l, "originGUID", og) == 0 &&
	    attr_guid(l, "targetGUID", tg) == 0 &&
	    (note = gmap_get(&q->notes_by_guid, og)) &&
	    (c = gmap_get(&q->cases, tg))) {
		if (!q->notes[note->id].kind) {
			q->notes[note->id].kind = "case";
			q->notes[note->id].target = c->id;
		}
		return;
	}
	q->links++;
}

/* Index the Note N by GUID; it is stored once its target is known.  In
 * the first pass: a bad Note is kept in q->note_err (the file must be
 * read to its end before it is refused, as a parse into a tree did). */
static void collect_note(struct qdpx *q, const xmlNode *n)
{
	char g[37], *raw;

	if (!refi_is(n, "Note") || q->note_err) {
		return;
	}
	raw = refi_attr(n, "guid");
	if (!raw || refi_guid_norm(raw, g) != 0) {
		/* guid_or_die()'s message. */
		q->note_err = xasprintf(
			"a Note in '%s' at line %ld has %s guid%s%s%s", q->file,
			refi_line(n), raw ? "an invalid" : "no", raw ? " '" : "",
			raw ? raw : "", raw ? "'" : "");
	} else if (gmap_get(&q->notes_by_guid, g)) {
		q->note_err = xasprintf("note guid '%s' in '%s' at line %ld is "
					"used twice",
					g, q->file, refi_line(n));
	}
	free(raw);
	if (q->note_err) {
		return;
	}
	q->notes = grow(q->notes, &q->cap_notes, q->nnotes, sizeof(*q->notes));
	memset(&q->notes[q->nnotes], 0, sizeof(*q->notes));
	memcpy(q->notes[q->nnotes].guid, g, sizeof(g));
	gmap_put(&q->notes_by_guid, g, (long long)q->nnotes, refi_line(n));
	q->nnotes++;
}

/* A note whose first target is a coding is that coding's memo (where
 * 'qcode codings', the browser and merge see a coding's memo; export
 * writes it back as a note on the coding), unless the coding has another
 * memo already or the note is another user's: then it stays a memo of
 * its own.  Returns 1 when TEXT became CODING's memo, -1 when it is
 * already (the file imported again), 0 otherwise.  The note's GUID and
 * name are not kept (export derives the GUID from the coding's). */
static int note_as_coding_memo(struct qdpx *q, long long coding,
			       long long coder, const char *text)
{
	sqlite3_stmt *st;
	int r = 0;

	if (!*text) {
		return 0;
	}
	st = db_cached(q->p, "SELECT memo, coder_id FROM codings WHERE id = ?");
	sqlite3_bind_int64(st, 1, coding);
	if (db_step(q->p, st)) {
		const char *m = (const char *)sqlite3_column_text(st, 0);

		if (m && strcmp(m, text) == 0) {
			r = -1;
		} else if ((!m || !*m) &&
			   (!coder || coder == sqlite3_column_int64(st, 1))) {
			r = 1;
		}
	}
	sqlite3_reset(st);
	if (r == 1) {
		st = db_cached(q->p, "UPDATE codings SET memo = ? WHERE id = ?");
		db_bind_text(q->p, st, 1, text);
		sqlite3_bind_int64(st, 2, coding);
		db_run(q->p, st);
	}
	return r;
}

/* Store the Note N (the next of q->notes, in the order collect_note()
 * saw them) as a memo on its first target (else the project); a note on
 * a coding as the coding's memo (note_as_coding_memo).  Only the notes
 * of q->note_pass (see import_notes). */
static void import_note(struct qdpx *q, const xmlNode *n)
{
	char g[37], ug[37], *name, *raw = NULL, *text;
	sqlite3_stmt *st;
	size_t rawlen = 0, len, i;
	long long coder = 0;
	int r;

	if (!refi_is(n, "Note")) {
		return;
	}
	i = q->inote++;
	if (q->notes[i].done ||
	    (q->note_pass == 0 && !q->notes[i].memo_first)) {
		return;
	}
	q->notes[i].done = 1;
	guid_or_die(q, n, "a Note", g);
	if (lookup(q->p, "SELECT id FROM memos WHERE guid = ?", g)) {
		return;
	}
	name = refi_attr(n, "name");
	r = source_text(q, n, name ? name : g, &raw, &rawlen);
	text = r == 0 ? text_normalize(raw, rawlen, &len) : xstrdup("");
	if (attr_guid(n, "creatingUser", ug) == 0) {
		coder = coder_by_guid(q, ug);
	}
	if (q->notes[i].kind && strcmp(q->notes[i].kind, "coding") == 0 &&
	    (r = note_as_coding_memo(q, q->notes[i].target, coder, text)) !=
		0) {
		q->ic->stats.memos += r > 0;
		free(name);
		free(raw);
		free(text);
		return;
	}
	st = db_cached(q->p, "INSERT INTO memos(target_kind, "
			     "target_id, coder_id, name, text, guid) "
			     "VALUES(?, ?, ?, ?, ?, ?)");
	db_bind_text(q->p, st, 1,
		     q->notes[i].kind ? q->notes[i].kind : "project");
	if (q->notes[i].kind) {
		sqlite3_bind_int64(st, 2, q->notes[i].target);
	}
	if (coder) {
		sqlite3_bind_int64(st, 3, coder);
	}
	db_bind_text(q->p, st, 4, name);
	db_bind_text(q->p, st, 5, text);
	db_bind_text(q->p, st, 6, g);
	db_run(q->p, st);
	q->ic->stats.memos++;
	free(name);
	free(raw);
	free(text);
}

/* 1 when note I is the one qcode's export writes for a coding's memo
 * (its GUID derived from the coding's): it goes back to the coding's
 * memo before any other note on the coding is looked at, whatever the
 * order of the notes, so that export and import give the same project. */
static int is_coding_memo_note(struct qdpx *q, size_t i)
{
	char cg[37], dg[37];
	sqlite3_stmt *st;
	int r = 0;

	if (!q->notes[i].kind || strcmp(q->notes[i].kind, "coding") != 0) {
		return 0;
	}
	st = db_cached(q->p, "SELECT guid FROM codings WHERE id = ?");
	sqlite3_bind_int64(st, 1, q->notes[i].target);
	if (db_step(q->p, st) && sqlite3_column_text(st, 0) &&
	    refi_guid_norm(db_col_text(st, 0), cg) == 0) {
		refi_guid_derive("coding-memo", cg, 36, dg);
		r = strcmp(q->notes[i].guid, dg) == 0;
	}
	sqlite3_reset(st);
	return r;
}

/* Say what the file held that qcode does not import. */
static void report_skipped(const struct qdpx *q)
{
	static const char *const what[] = {
		("picture, audio or video source(s) not imported (qcode "
		 "holds text)"),
		"source(s) without a plain-text representation not imported",
		"external source(s) (relative:// or absolute://) not imported",
		"PDF area selection(s) not imported",
		"coding(s) of whole cases not imported",
		"selection(s) listed in cases not imported",
		"source or note member(s) of Sets not imported",
		"Link(s) not imported",
		"Graph(s) not imported",
		"coding(s) already in the project skipped",
	};
	const size_t n[] = {
		q->media,      q->no_text,   q->external,    q->pdf_areas,
		q->case_codes, q->case_sels, q->set_members, q->links,
		q->graphs,     q->dup_codings,
	};

	for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		if (n[i]) {
			warn("'%s': %zu %s", q->file, n[i], what[i]);
		}
	}
}

/* Die: the project XML is malformed where IN says (or, read from the
 * archive, the entry is damaged). */
static void malformed(struct qdpx *q, struct refi_zip_xml *in)
{
	/* A damaged entry is reported as such (as when it was read whole
	 * first), even when the damage broke the XML before the end. */
	refi_zip_xml_drain(in);
	if (in->zmsg) {
		die(QC_INPUT, "cannot import '%s': %s", q->file, in->zmsg);
	}
	/* In the words of libxml2's parser, as before the reader. */
	if (!in->rd.msg || strncmp(in->rd.msg, "a DOCTYPE", 9) != 0) {
		struct refi_zip_xml again;
		long line;
		char *msg;
		int r;

		memset(&again, 0, sizeof(again));
		if (q->xml) {
			r = refi_xml_check(q->xml, q->xlen, NULL, NULL, &line,
					   &msg);
		} else {
			again.zs = refi_zip_stream_open(&q->zip, q->xentry,
							&again.zmsg);
			r = again.zs ? refi_xml_check(NULL, 0,
						      refi_zip_xml_read,
						      &again, &line, &msg)
				     : 0;
		}
		refi_zip_xml_close(&again);
		if (r != 0) {
			free(in->rd.msg);
			in->rd.msg = msg;
			in->rd.line = line;
		}
	}
	die(QC_INPUT, "malformed XML in '%s'%s%s%s at line %ld: %s", q->file,
	    q->what ? " (" : "", q->what ? q->what : "", q->what ? ")" : "",
	    in->rd.line, in->rd.msg ? in->rd.msg : "cannot parse the XML");
}

/* Start reading the project XML from its beginning: IN is on its first
 * node; returns the reader's result. */
static int open_project(struct qdpx *q, struct refi_zip_xml *in)
{
	int r;

	memset(in, 0, sizeof(*in));
	if (q->xml) {
		r = refi_reader_open(&in->rd, q->xml, q->xlen);
	} else {
		in->zs = refi_zip_stream_open(&q->zip, q->xentry, &in->zmsg);
		if (!in->zs) {
			malformed(q, in);
		}
		r = refi_reader_open_io(&in->rd, refi_zip_xml_read, in);
	}
	return r == 0 ? refi_reader_read(&in->rd) : r;
}

/* Count the Graph N. */
static void count_graph(struct qdpx *q, const xmlNode *n)
{
	q->graphs += (size_t)refi_is(n, "Graph");
}

/* The section element N is, or -1. */
static int section_of(const xmlNode *n)
{
	for (int k = 0; k < NSEC; k++) {
		if (refi_is(n, sec_names[k])) {
			return k;
		}
	}
	return -1;
}

/* Enter the element RD is on: *R is the result of moving to its first
 * child, or past it when it is empty. */
static void enter(struct refi_reader *rd, int *r)
{
	if (xmlTextReaderIsEmptyElement(rd->r)) {
		*r = refi_reader_skip(rd);
	} else {
		*r = refi_reader_read(rd);
	}
}

/* In the element at DEPTH that RD has entered (enter()), move to the next
 * element child and return 1; when there is none, move past the element's
 * end and return 0.  *R is the reader's last result (1: on a node). */
static int next_child(struct refi_reader *rd, int depth, int *r)
{
	while (*r == 1 && xmlTextReaderDepth(rd->r) > depth) {
		if (xmlTextReaderNodeType(rd->r) == XML_READER_TYPE_ELEMENT) {
			return 1;
		}
		*r = refi_reader_read(rd);
	}
	if (*r == 1 &&
	    xmlTextReaderNodeType(rd->r) == XML_READER_TYPE_END_ELEMENT &&
	    xmlTextReaderDepth(rd->r) == depth) {
		*r = refi_reader_read(rd);
	}
	return 0;
}

/* Call FN on each element child of the element RD is on, with its
 * subtree (freed when the reader moves on: one child is in memory at a
 * time); RD ends past the element.  Returns the reader's result. */
static int each_child(struct qdpx *q, struct refi_reader *rd,
		      void (*fn)(struct qdpx *, const xmlNode *))
{
	int depth = xmlTextReaderDepth(rd->r), r;
	xmlNodePtr n;

	enter(rd, &r);
	while (next_child(rd, depth, &r)) {
		if (!(n = refi_reader_expand(rd))) {
			return -1;
		}
		fn(q, n);
		r = refi_reader_skip(rd);
	}
	return r;
}

/* A top-level Code. */
static void import_top_code(struct qdpx *q, const xmlNode *c)
{
	import_code(q, c, 0, NULL, -1);
}

/* What each child of a section becomes (the CodeBook: see
 * stream_section). */
static void (*const sec_fn[NSEC])(struct qdpx *, const xmlNode *) = {
	import_user, NULL,        import_variable, import_one_case,
	import_source, import_set, import_link,
};

/* Import section K, whose start tag RD is on, one child element at a
 * time (the CodeBook: one top-level Code of its first Codes at a time).
 * Returns the reader's result after the section. */
static int stream_section(struct qdpx *q, struct refi_reader *rd, int k)
{
	int depth = xmlTextReaderDepth(rd->r), r, codes = 0;

	if (k != SEC_CODEBOOK) {
		r = each_child(q, rd, sec_fn[k]);
	} else {
		enter(rd, &r);
		while (next_child(rd, depth, &r)) {
			if (!codes &&
			    refi_is(xmlTextReaderCurrentNode(rd->r), "Codes")) {
				codes = 1;
				r = each_child(q, rd, import_top_code);
			} else {
				r = refi_reader_skip(rd);
			}
		}
		for (size_t i = 0; i < q->ncrows; i++) {
			const struct crow *c = &q->crows[i];

			if (c->kept) {
				notice("'%s': code '%s' at line %ld is the "
				       "project's code '%s' (the same GUID); "
				       "it stays '%s' (import renames no "
				       "code)", q->file, c->path, c->line,
				       c->kept, c->kept);
			}
		}
	}
	if (k == SEC_USERS && q->root_user[0] &&
	    gmap_get(&q->users, q->root_user)) {
		q->project_user = gmap_get(&q->users, q->root_user)->id;
	}
	q->done[k] = 1;
	return r;
}

/*
 * The first pass over the project: the whole file is read (so a malformed
 * file is refused before anything is imported, as a parse into a tree
 * was), the root is checked, and what the second pass needs first is
 * kept: the root's attributes, which sections there are, the Notes'
 * GUIDs (any section may refer to them) and the Project's NoteRefs;
 * Graphs are counted.
 */
static void outline(struct qdpx *q)
{
	struct refi_zip_xml in;
	struct refi_reader *rd = &in.rd;
	char *root_name = NULL, *origin, ug[37];
	int r, is_project = 0, is_codebook = 0, graphs = 0;

	q->keep = xmlNewDoc(BAD_CAST "1.0");
	q->root_refs = xmlNewDocNode(q->keep, NULL, BAD_CAST "Project", NULL);
	xmlDocSetRootElement(q->keep, q->root_refs);
	r = open_project(q, &in);
	while (r == 1) {
		xmlNodePtr n, e;
		int k;

		if (xmlTextReaderNodeType(rd->r) != XML_READER_TYPE_ELEMENT) {
			r = refi_reader_read(rd);
			continue;
		}
		n = xmlTextReaderCurrentNode(rd->r);
		if (xmlTextReaderDepth(rd->r) == 0) {
			root_name = xstrdup((const char *)n->name);
			is_project = refi_is(n, "Project");
			is_codebook = refi_is(n, "CodeBook");
			origin = refi_attr(n, "origin");
			q->units = refi_units_for(origin);
			free(origin);
			if (attr_guid(n, "creatingUserGUID", ug) == 0) {
				memcpy(q->root_user, ug, sizeof(ug));
			}
			r = refi_reader_read(rd);
			continue;
		}
		k = section_of(n);
		if (k >= 0) {
			q->present[k] = 1;
			r = refi_reader_skip(rd);
		} else if (!q->has_notes && refi_is(n, "Notes")) {
			q->has_notes = 1;
			r = each_child(q, rd, collect_note);
		} else if (!graphs && refi_is(n, "Graphs")) {
			graphs = 1;
			r = each_child(q, rd, count_graph);
		} else if (refi_is(n, "NoteRef")) {
			if (!(e = refi_reader_expand(rd))) {
				r = -1;
				break;
			}
			if (!xmlAddChild(q->root_refs,
					 xmlDocCopyNode(e, q->keep, 1))) {
				die(QC_INTERNAL, "out of memory");
			}
			r = refi_reader_skip(rd);
		} else {
			r = refi_reader_skip(rd);
		}
	}
	if (r < 0) {
		free(root_name);
		malformed(q, &in);
	}
	refi_zip_xml_close(&in);
	if (!is_project) {
		die(QC_INPUT, "'%s'%s%s%s holds <%s>, not a REFI-QDA "
			      "<Project>%s", q->file, q->what ? " (" : "",
		    q->what ? q->what : "", q->what ? ")" : "",
		    root_name ? root_name : "",
		    is_codebook ? "; load a codebook with "
				  "'qcode codebook load'"
				: "");
	}
	free(root_name);
	if (q->note_err) {
		die(QC_INPUT, "%s", q->note_err);
	}
}

/* Read the project again up to its first element NAME, and import it:
 * section SEC, or (SEC -1) each child through FN. */
static void reread(struct qdpx *q, const char *name, int sec,
		   void (*fn)(struct qdpx *, const xmlNode *))
{
	struct refi_zip_xml in;
	struct refi_reader *rd = &in.rd;
	int r = open_project(q, &in);

	while (r == 1) {
		if (xmlTextReaderNodeType(rd->r) != XML_READER_TYPE_ELEMENT ||
		    xmlTextReaderDepth(rd->r) == 0) {
			r = refi_reader_read(rd);
		} else if (refi_is(xmlTextReaderCurrentNode(rd->r), name)) {
			r = sec >= 0 ? stream_section(q, rd, sec)
				     : each_child(q, rd, fn);
			break;
		} else {
			r = refi_reader_skip(rd);
		}
	}
	if (r < 0) {
		malformed(q, &in);
	}
	refi_zip_xml_close(&in);
}

/* The section to import next (the first present and not done), or -1. */
static int due(const struct qdpx *q)
{
	for (int k = 0; k < NSEC; k++) {
		if (q->present[k] && !q->done[k]) {
			return k;
		}
	}
	return -1;
}

/* Import the sections passed over whose turn has come, each by reading
 * the file again up to it. */
static void import_deferred(struct qdpx *q)
{
	int k;

	while ((k = due(q)) >= 0 && q->deferred[k]) {
		reread(q, sec_names[k], k, NULL);
	}
}

/* Import the project XML (q->xml or q->xentry).
 *
 * The file is read by a streaming reader, one source (code, case, ...)
 * at a time, never parsed into one tree (a large project's tree took ten
 * times the file's size).  The first pass (outline) checks it and
 * indexes the notes; the second imports the sections in the order Users,
 * CodeBook, Variables, Cases, Sources, Sets, Links (the schema's order),
 * whatever their order in the file: a section met before one it needs
 * is passed over and read again once its turn comes.  The notes, whose
 * targets are known only at the end, are read again last. */
static void import_project(struct qdpx *q)
{
	struct refi_zip_xml in;
	struct refi_reader *rd = &in.rd;
	int seen[NSEC] = { 0 }, r;

	outline(q);
	q->max_doc = db_int(q->p, 0, "SELECT max(id) FROM documents");
	/* The texts already in the project, by content: a source with one
	 * of them is that document.  (documents.sha256 has no index: it
	 * would cost every import a random-order index insert.) */
	if (q->max_doc) {
		db_exec(q->p, "DROP TABLE IF EXISTS temp.known_texts; "
			      "CREATE TEMP TABLE known_texts AS SELECT "
			      "sha256, id FROM documents; CREATE INDEX "
			      "temp.known_texts_sha ON "
			      "known_texts(sha256, id)");
	}
	r = open_project(q, &in);
	while (r == 1) {
		int k;

		if (xmlTextReaderNodeType(rd->r) != XML_READER_TYPE_ELEMENT ||
		    xmlTextReaderDepth(rd->r) == 0) {
			r = refi_reader_read(rd);
			continue;
		}
		k = section_of(xmlTextReaderCurrentNode(rd->r));
		if (k < 0 || seen[k]) {
			r = refi_reader_skip(rd);
			continue;
		}
		seen[k] = 1;
		if (due(q) == k) {
			r = stream_section(q, rd, k);
			import_deferred(q);
		} else {
			q->deferred[k] = 1;
			r = refi_reader_skip(rd);
		}
	}
	if (r < 0) {
		malformed(q, &in);
	}
	refi_zip_xml_close(&in);
	import_deferred(q);
	check_source_refs(q);
	note_refs(q, q->root_refs, "project", 0);
	/* The notes: first those of qcode's coding memos, then the rest in
	 * the file's order (each a reading of the file up to its Notes). */
	if (q->nnotes) {
		int memos = 0;

		for (size_t i = 0; i < q->nnotes; i++) {
			q->notes[i].memo_first = (char)is_coding_memo_note(q, i);
			memos |= q->notes[i].memo_first;
		}
		for (q->note_pass = memos ? 0 : 1; q->note_pass < 2;
		     q->note_pass++) {
			q->inote = 0;
			reread(q, "Notes", -1, import_note);
		}
	}
	if (q->oob) {
		die(QC_INPUT, "%zu selection%s in '%s' %s not fit %s source; "
			      "nothing imported", q->oob,
		    q->oob == 1 ? "" : "s", q->file,
		    q->oob == 1 ? "does" : "do", q->oob == 1 ? "its" : "their");
	}
	report_skipped(q);
	xmlFreeDoc(q->keep);
	gmap_free(&q->users);
	gmap_free(&q->codes);
	gmap_free(&q->code_rows);
	for (size_t i = 0; i < q->ncrows; i++) {
		free(q->crows[i].path);
		free(q->crows[i].kept);
	}
	free(q->crows);
	gmap_free(&q->derived);
	gmap_free(&q->vars);
	gmap_free(&q->sources);
	gmap_free(&q->cases);
	gmap_free(&q->case_of);
	free(q->refs);
	gmap_free(&q->case_var);
	gmap_free(&q->notes_by_guid);
	codebook_release(&q->cb);
	extras_free(q);
	free(q->notes);
	free(q->note_err);
}

/* Start the import of F. */
static void qdpx_init(struct qdpx *q, struct import_ctx *ic,
		      const struct import_file *f)
{
	memset(q, 0, sizeof(*q));
	codebook_init(&q->cb);
	q->ic = ic;
	q->p = ic->p;
	q->file = f->path;
	if (ic->o->name) {
		die(QC_USAGE, "--name does not apply to '%s': a REFI-QDA "
			      "project names its own documents", f->path);
	}
}

void import_qdpx(struct import_ctx *ic, struct import_file *f)
{
	struct qdpx q;
	char *msg;
	long i;

	qdpx_init(&q, ic, f);
	/* From the file when it was not read (import_source hashes it in
	 * pieces): the archive is never held whole. */
	if (import_open_zip(&q.zip, f, &msg) != 0) {
		die_after(QC_INPUT, free, msg, "cannot import '%s': %s",
			  f->path, msg);
	}
	q.xentry = refi_zip_find(&q.zip, "project.qde");
	if (q.xentry < 0) {
		die(QC_INPUT, "'%s' holds no project.qde; is it a REFI-QDA "
			      "project?", f->path);
	}
	q.what = "project.qde";
	/* qcode.xml first: its bytes are freed before project.qde is read
	 * (in pieces, from the archive, by each pass). */
	i = refi_zip_find(&q.zip, "qcode.xml");
	if (i >= 0) {
		char *extras;
		size_t elen;

		if (refi_zip_read(&q.zip, i, &extras, &elen, &msg) != 0) {
			die_after(QC_INPUT, free, msg, "cannot import '%s': %s",
				  f->path, msg);
		}
		read_extras(&q, extras, elen);
		free(extras);
	}
	import_project(&q);
	refi_zip_close(&q.zip);
}

void import_qde(struct import_ctx *ic, struct import_file *f)
{
	struct qdpx q;
	const char *slash = strrchr(f->path, '/');
	char *extras, *xml;
	size_t xlen;

	qdpx_init(&q, ic, f);
	q.dir = slash ? xstrndup(f->path, (size_t)(slash - f->path))
		      : xstrdup(".");
	extras = xasprintf("%s/qcode.xml", q.dir);
	if (read_file(extras, &xml, &xlen) == 0) {
		read_extras(&q, xml, xlen);
		free(xml);
	}
	free(extras);
	q.xml = f->raw;
	q.xlen = f->rawlen;
	import_project(&q);
	free(q.dir);
}
