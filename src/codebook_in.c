/*
 * codebook_in.c - the codebook's CSV and JSON exports read back (the
 * reverse of codebook_out.c): one row or object per code in codebook
 * order, a parent before its children.  Values are the codes' effective
 * ones, so each code sets its own; codebook_validate() checks them as for
 * every producer.  JSON is parsed by SQLite's JSON functions on an
 * in-memory database.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "codebook.h"
#include "csv.h"
#include "instream.h"
#include "util.h"

/* Add the code PATH named NAME under the code at PARENT (NULL or "": top
 * level) at LINE (0 when unknown); WHERE names the row or object in
 * messages.  Returns the code, or NULL with ERR filled. */
static struct cb_code *add_code(struct codebook *cb, const char *file,
				size_t line, const char *where,
				const char *path, const char *name,
				const char *parent, struct cb_error *err)
{
	long pi = -1;
	char *want;
	int ok;

	if (!name || !*name || !path || !*path) {
		cb_error_set(err, file, line, NULL, "%s has no path or name",
			     where);
		return NULL;
	}
	if (parent && *parent) {
		pi = codebook_find(cb, parent);
		if (pi < 0) {
			cb_error_set(err, file, line, NULL,
				     "%s: its parent '%s' is not among the "
				     "codes before it", where, parent);
			return NULL;
		}
		want = xasprintf("%s/%s", parent, name);
	} else {
		want = xstrdup(name);
	}
	ok = strcmp(want, path) == 0;
	free(want);
	if (!ok) {
		cb_error_set(err, file, line, NULL,
			     "%s: path '%s' is not its parent's path and its "
			     "name '%s' joined by '/'", where, path, name);
		return NULL;
	}
	/* A code must follow its parent's subtree: pre-order. */
	for (size_t i = (size_t)(pi + 1); i < cb->ncodes; i++) {
		if (cb->codes[i].depth <= (pi < 0 ? 0 : cb->codes[pi].depth)) {
			cb_error_set(err, file, line, NULL,
				     "%s: '%s' comes after codes outside its "
				     "parent; list each code right after its "
				     "parent's other sub-codes", where, path);
			return NULL;
		}
	}
	return codebook_add(cb, pi, name, line);
}

/* Set C's effective properties (the inherited values are replaced). */
static void set_props(struct cb_code *c, const char *description,
		      const char *color, int codable, const char *example,
		      const char *language, const char *unit)
{
	free(c->description);
	c->description = description && *description ? xstrdup(description)
						      : NULL;
	free(c->color);
	c->color = color && *color ? xstrdup(color) : NULL;
	c->codable = codable;
	free(c->example);
	c->example = example && *example ? xstrdup(example) : NULL;
	free(c->language);
	c->language = language && *language ? xstrdup(language) : NULL;
	free(c->unit);
	c->unit = xstrdup(unit && *unit ? unit : "segment");
}

/* Replace *DST (a NULL-terminated list, NULL for all) with SRC. */
static void set_list(char ***dst, char **src)
{
	free_strv(*dst);
	*dst = src;
}

/* ---- JSON ---- */

/* The JSON reader's state: an in-memory database for SQLite's JSON
 * functions, and the statement that lists an array's items. */
struct jin {
	sqlite3 *db;
	sqlite3_stmt *items;
	const char *file;
	struct cb_error *err;
};

/* The strings of the JSON array ARRAY (text) into *OUT (NULL-terminated,
 * caller frees).  Returns 0, or -1 (ERR filled) when an item is not a
 * string. */
static int json_strings(struct jin *j, const char *where, const char *key,
			const char *array, char ***out)
{
	size_t n = 0, cap = 4;
	char **v = xmalloc(cap * sizeof(*v));

	sqlite3_bind_text(j->items, 1, array, -1, SQLITE_STATIC);
	while (sqlite3_step(j->items) == SQLITE_ROW) {
		if (strcmp((const char *)sqlite3_column_text(j->items, 0),
			   "text") != 0) {
			v[n] = NULL;
			free_strv(v);
			sqlite3_reset(j->items);
			cb_error_set(j->err, j->file, 0, NULL,
				     "%s: '%s' must be an array of strings",
				     where, key);
			return -1;
		}
		if (n + 1 >= cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = xstrdup((const char *)sqlite3_column_text(j->items,
								   1));
	}
	sqlite3_reset(j->items);
	v[n] = NULL;
	*out = v;
	return 0;
}

/* Set *DST to the list KEY of JSON type TYPE and value VALUE: its
 * strings for an array, NULL (all) for null.  Returns 0, or -1. */
static int json_list(struct jin *j, const char *where, const char *key,
		     const char *type, const char *value, char ***dst)
{
	char **list = NULL;

	if (type && strcmp(type, "array") == 0 &&
	    json_strings(j, where, key, value, &list) != 0) {
		return -1;
	}
	set_list(dst, list);
	return 0;
}

/* Column I of ST as text, NULL when SQL NULL. */
static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Check that the value of KEY, whose JSON type is TYPE (NULL when
 * absent), is one of the space-separated TYPES. */
static int json_is(struct jin *j, const char *where, const char *key,
		   const char *type, const char *types)
{
	const char *t = type ? type : "null";
	size_t n = strlen(t);

	for (const char *p = types; *p;) {
		if (strncmp(p, t, n) == 0 && (p[n] == ' ' || !p[n])) {
			return 0;
		}
		p += strcspn(p, " ");
		p += *p == ' ';
	}
	cb_error_set(j->err, j->file, 0, NULL, "%s: '%s' must be %s", where,
		     key, strcmp(types, "text") == 0 ? "a string"
		     : strcmp(types, "text null") == 0 ? "a string or null"
		     : strcmp(types, "true false") == 0 ? "true or false"
		     : strcmp(types, "true false null") == 0
			     ? "true, false or null"
		     : strcmp(types, "array null") == 0 ? "an array or null"
		     : "an array");
	return -1;
}

/* The rules array RULES of code C. */
static int json_rules(struct jin *j, const char *where, struct cb_code *c,
		      const char *rules)
{
	sqlite3_stmt *st;
	int rc = 0, step = SQLITE_DONE;

	/* The JSON functions only on objects: on a string item (whose value
	 * is its text, not JSON) they fail, and a null item's value is SQL
	 * NULL. */
	if (sqlite3_prepare_v2(j->db, "SELECT type, "
				      "iif(type = 'object', json_type(value, "
				      "'$.kind'), NULL), "
				      "iif(type = 'object', json_extract("
				      "value, '$.kind'), NULL), "
				      "iif(type = 'object', json_type(value, "
				      "'$.pattern'), NULL), "
				      "iif(type = 'object', json_extract("
				      "value, '$.pattern'), NULL) "
				      "FROM json_each(?1)",
			       -1, &st, NULL) != SQLITE_OK) {
		die(QC_INTERNAL, "JSON: %s", sqlite3_errmsg(j->db));
	}
	sqlite3_bind_text(st, 1, rules, -1, SQLITE_STATIC);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		enum cb_rule_kind kind;

		if (strcmp(col(st, 0), "object") != 0 ||
		    json_is(j, where, "rules[].kind", col(st, 1), "text") ||
		    json_is(j, where, "rules[].pattern", col(st, 3),
			    "text")) {
			if (strcmp(col(st, 0), "object") != 0) {
				cb_error_set(j->err, j->file, 0, NULL,
					     "%s: each rule must be an object "
					     "{\"kind\", \"pattern\"}", where);
			}
			rc = -1;
		} else if (cb_rule_kind_parse(col(st, 2), &kind) != 0) {
			cb_error_set(j->err, j->file, 0, NULL,
				     "%s: unknown rule kind '%s' (keyword, "
				     "regex, exclude_keyword, exclude_regex)",
				     where, col(st, 2));
			rc = -1;
		} else {
			cb_code_add_rule(c, kind, col(st, 4), 0);
		}
	}
	if (rc == 0 && step != SQLITE_DONE) {
		die(QC_INTERNAL, "JSON: %s in '%s'", sqlite3_errmsg(j->db),
		    j->file);
	}
	sqlite3_finalize(st);
	return rc;
}

/* One code object (its fields in ST's columns, see codebook_read_json). */
static int json_code(struct jin *j, struct codebook *cb, sqlite3_stmt *st,
		     long index)
{
	char where[64];
	const char *types[] = { "text", "text", "text null", "text null",
				"text null", "true false", "text null",
				"text null", "text null", "array null",
				"array null", "array null", "true false null" };
	const char *keys[] = { "path", "name", "parent", "description",
			       "color", "codable", "example", "language",
			       "unit", "questions", "speakers", "rules",
			       "normalise" };
	struct cb_code *c;

	snprintf(where, sizeof(where), "code %ld", index + 1);
	if (strcmp(col(st, 0), "object") != 0) {
		cb_error_set(j->err, j->file, 0, NULL,
			     "%s is not an object", where);
		return -1;
	}
	for (int k = 0; k < 13; k++) {
		if (json_is(j, where, keys[k], col(st, 1 + 2 * k),
			    types[k]) != 0) {
			return -1;
		}
	}
	c = add_code(cb, j->file, 0, where, col(st, 2), col(st, 4),
		     col(st, 6), j->err);
	if (!c) {
		return -1;
	}
	set_props(c, col(st, 8), col(st, 10),
		  strcmp(col(st, 11), "true") == 0, col(st, 14), col(st, 16),
		  col(st, 18));
	/* Missing (an older export) or null: yes. */
	c->no_normalise = col(st, 26) && strcmp(col(st, 26), "false") == 0;
	if (json_list(j, where, "questions", col(st, 19), col(st, 20),
		      &c->questions) != 0 ||
	    json_list(j, where, "speakers", col(st, 21), col(st, 22),
		      &c->speakers) != 0) {
		return -1;
	}
	if (col(st, 23) && strcmp(col(st, 23), "array") == 0) {
		return json_rules(j, where, c, col(st, 24));
	}
	return 0;
}

/* Read the JSON codebook TEXT[0..LEN) (normalised UTF-8) named PATH. */
static int read_json_text(struct codebook *cb, const char *path,
			  const char *text, size_t len, struct cb_error *err)
{
	static const char *const keys[] = {
		"path", "name", "parent", "description", "color", "codable",
		"example", "language", "unit", "questions", "speakers",
		"rules", "normalise",
	};
	struct jin j = { NULL, NULL, path, err };
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	long index = 0;
	int rc = -1, step;

	/* Every field as (its JSON type, its value): columns 1 and 2 for
	 * "path", 3 and 4 for "name", ... */
	sb_adds(&sql, "SELECT type");
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		/* (Not on an item that is not an object: json_code()
		 * refuses it, and the JSON functions fail on a string.) */
		sb_addf(&sql, ", iif(type = 'object', json_type(value, "
			      "'$.%s'), NULL), CASE WHEN type <> 'object' "
			      "THEN NULL WHEN json_type(value, '$.%s') IN "
			      "('true', 'false') THEN json_type(value, "
			      "'$.%s') ELSE json_extract(value, '$.%s') END",
			keys[k], keys[k], keys[k], keys[k]);
	}
	sb_adds(&sql, " FROM json_each(?1) ORDER BY key");
	if (sqlite3_open(":memory:", &j.db) != SQLITE_OK ||
	    sqlite3_prepare_v2(j.db, "SELECT type, value FROM json_each(?1)",
			       -1, &j.items, NULL) != SQLITE_OK) {
		die(QC_INTERNAL, "JSON: %s", sqlite3_errmsg(j.db));
	}
	st = NULL;
	{
		sqlite3_stmt *v;
		int valid = 0;

		if (sqlite3_prepare_v2(j.db, "SELECT json_valid(?1) AND "
					     "json_type(?1) = 'array'",
				       -1, &v, NULL) != SQLITE_OK) {
			die(QC_INTERNAL, "JSON: %s", sqlite3_errmsg(j.db));
		}
		sqlite3_bind_text(v, 1, text, (int)len, SQLITE_STATIC);
		if (sqlite3_step(v) == SQLITE_ROW) {
			valid = sqlite3_column_int(v, 0);
		}
		sqlite3_finalize(v);
		if (!valid) {
			cb_error_set(err, path, 0, NULL,
				     "not a codebook in JSON (an array of "
				     "code objects, as 'qcode codebook export "
				     "--format json' writes)");
			goto out;
		}
	}
	if (sqlite3_prepare_v2(j.db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
		die(QC_INTERNAL, "JSON: %s", sqlite3_errmsg(j.db));
	}
	sqlite3_bind_text(st, 1, text, (int)len, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (json_code(&j, cb, st, index++) != 0) {
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		/* Never a short codebook taken for the whole one. */
		die(QC_INTERNAL, "JSON: %s in '%s'", sqlite3_errmsg(j.db),
		    path);
	}
	rc = codebook_validate(cb, path, err);
out:
	sqlite3_finalize(st);
	sqlite3_finalize(j.items);
	sqlite3_close(j.db);
	sb_release(&sql);
	return rc;
}

/* Read IN (opened, closed here) as a JSON codebook. */
static int read_json(struct codebook *cb, struct instream *in,
		     struct cb_error *err)
{
	const char *path = in->path;
	char sha[65];
	size_t len;
	char *text = instream_slurp_open(in, &len, sha);
	int rc = read_json_text(cb, path, text, len, err);

	free(text);
	return rc;
}

int codebook_read_json(struct codebook *cb, const char *path,
		       struct cb_error *err)
{
	struct instream in;

	instream_open(&in, path, NULL, 0);
	return read_json(cb, &in, err);
}

int codebook_read_json_mem(struct codebook *cb, const char *name,
			   const char *data, size_t len, struct cb_error *err)
{
	struct instream in;

	instream_open_mem(&in, name, data, len, NULL, 0);
	return read_json(cb, &in, err);
}

/* ---- CSV ---- */

/* The columns of a codebook CSV export, in any order. */
enum { C_PATH, C_NAME, C_PARENT, C_DESC, C_COLOR, C_CODABLE, C_EXAMPLE,
       C_LANG, C_UNIT, C_QUESTIONS, C_SPEAKERS, C_KEYWORDS, C_REGEX,
       C_EXCLUDE, C_NORMALISE, NCOLS };

static const char *const csv_names[NCOLS] = {
	"path", "name", "parent", "description", "color", "codable",
	"example", "language", "unit", "questions", "speakers", "keywords",
	"regex", "exclude", "normalise",
};

/* Parse list cell S of COLUMN into *OUT (NULL for an empty cell). */
static int csv_list(const char *s, const char *file, size_t line,
		    const char *column, char ***out, struct cb_error *err)
{
	char *why = NULL;

	*out = NULL;
	if (!*s) {
		return 0;
	}
	*out = cb_list_parse(s, &why);
	if (!*out) {
		cb_error_set(err, file, line, NULL, "%s in column '%s'",
			     why ? why : "bad list", column);
		free(why);
		return -1;
	}
	return 0;
}

/* The rules of one row: keywords, regexes one per line, and the exclude
 * cell (a keyword list, then "regex: PATTERN" lines). */
static int csv_rules(struct cb_code *c, char **f, const int *at,
		     const char *file, size_t line, struct cb_error *err)
{
	char **list;
	const char *s;

	if (csv_list(f[at[C_KEYWORDS]], file, line, "keywords", &list,
		     err) != 0) {
		return -1;
	}
	for (size_t i = 0; list && list[i]; i++) {
		cb_code_add_rule(c, CB_KEYWORD, list[i], line);
	}
	free_strv(list);
	for (s = f[at[C_REGEX]]; *s;) {
		size_t n = strcspn(s, "\n");
		char *re = xstrndup(s, n);

		if (*re) {
			cb_code_add_rule(c, CB_REGEX, re, line);
		}
		free(re);
		s += n + (s[n] == '\n');
	}
	for (s = f[at[C_EXCLUDE]]; *s;) {
		size_t n = strcspn(s, "\n");
		char *item = xstrndup(s, n);

		if (strncmp(item, "regex: ", 7) == 0) {
			cb_code_add_rule(c, CB_EXCLUDE_REGEX, item + 7, line);
		} else if (csv_list(item, file, line, "exclude", &list,
				    err) != 0) {
			free(item);
			return -1;
		} else {
			for (size_t i = 0; list && list[i]; i++) {
				cb_code_add_rule(c, CB_EXCLUDE_KEYWORD,
						 list[i], line);
			}
			free_strv(list);
		}
		free(item);
		s += n + (s[n] == '\n');
	}
	return 0;
}

/* One data row of the CSV. */
static int csv_code(struct codebook *cb, struct csv_reader *r, const int *at,
		    const char *file, struct cb_error *err)
{
	char **f = r->fields, **list;
	size_t line = r->rec_line;
	struct cb_code *c;
	const char *codable = f[at[C_CODABLE]];
	/* normalise: an older export has no such column (yes). */
	const char *norm = at[C_NORMALISE] >= 0 ? f[at[C_NORMALISE]] : "yes";

	if (strcmp(codable, "yes") != 0 && strcmp(codable, "no") != 0) {
		cb_error_set(err, file, line, NULL,
			     "'codable' must be yes or no, not '%s'", codable);
		return -1;
	}
	if (strcmp(norm, "yes") != 0 && strcmp(norm, "no") != 0) {
		cb_error_set(err, file, line, NULL,
			     "'normalise' must be yes or no, not '%s'", norm);
		return -1;
	}
	c = add_code(cb, file, line, "the row", f[at[C_PATH]], f[at[C_NAME]],
		     f[at[C_PARENT]], err);
	if (!c) {
		return -1;
	}
	set_props(c, f[at[C_DESC]], f[at[C_COLOR]], codable[0] == 'y',
		  f[at[C_EXAMPLE]], f[at[C_LANG]], f[at[C_UNIT]]);
	c->no_normalise = norm[0] == 'n';
	if (csv_list(f[at[C_QUESTIONS]], file, line, "questions", &list,
		     err) != 0) {
		return -1;
	}
	set_list(&c->questions, list);
	if (csv_list(f[at[C_SPEAKERS]], file, line, "speakers", &list,
		     err) != 0) {
		return -1;
	}
	set_list(&c->speakers, list);
	return csv_rules(c, f, at, file, line, err);
}

/* Read IN (opened, closed here) as a CSV codebook. */
static int read_csv(struct codebook *cb, struct instream *in,
		    struct cb_error *err)
{
	const char *path = in->path;
	struct csv_reader r;
	int at[NCOLS], rc;

	csv_init_stream(&r, in, ',');
	rc = csv_next(&r);
	if (rc == 1) {
		for (int k = 0; k < NCOLS; k++) {
			at[k] = -1;
			for (size_t i = 0; i < r.nfields; i++) {
				if (strcmp(trim(r.fields[i]),
					   csv_names[k]) == 0) {
					at[k] = (int)i;
				}
			}
			if (at[k] < 0 && k != C_NORMALISE) {
				cb_error_set(err, path, 1, NULL,
					     "no column '%s' (a codebook CSV "
					     "has the columns 'qcode codebook "
					     "export --format csv' writes)",
					     csv_names[k]);
				rc = -1;
				break;
			}
		}
	} else if (rc == 0) {
		cb_error_set(err, path, 0, NULL, "the file is empty");
		rc = -1;
	}
	while (rc == 1 && (rc = csv_next(&r)) == 1) {
		for (int k = 0; k < NCOLS && rc == 1; k++) {
			if (at[k] >= 0 && (size_t)at[k] >= r.nfields) {
				cb_error_set(err, path, r.rec_line, NULL,
					     "the row has %zu fields; column "
					     "'%s' is field %d", r.nfields,
					     csv_names[k], at[k] + 1);
				rc = -1;
			}
		}
		if (rc == 1 && csv_code(cb, &r, at, path, err) != 0) {
			rc = -1;
		}
	}
	if (rc == -1 && !err->msg) {
		cb_error_set(err, path, r.err_line, NULL, "%s", r.err);
	}
	csv_release(&r);
	if (rc != 0) {
		instream_close(in);
		return -1;
	}
	rc = codebook_validate(cb, path, err);
	instream_close(in);
	return rc;
}

int codebook_read_csv(struct codebook *cb, const char *path,
		      struct cb_error *err)
{
	struct instream in;

	instream_open(&in, path, NULL, 0);
	return read_csv(cb, &in, err);
}

int codebook_read_csv_mem(struct codebook *cb, const char *name,
			  const char *data, size_t len, struct cb_error *err)
{
	struct instream in;

	instream_open_mem(&in, name, data, len, NULL, 0);
	return read_csv(cb, &in, err);
}
