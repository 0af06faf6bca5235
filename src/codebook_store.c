/*
 * codebook_store.c - the codebook in the project: reading the codes and
 * rules tables into a struct codebook, and making them equal to one.
 */
#include <stdlib.h>
#include <string.h>

#include "codebook.h"
#include "util.h"

/* ---- reading ---- */

/* A codes row while the tree is built. */
struct row {
	long long id, parent_id, ord;
	char *name, *description, *color, *example, *language, *unit;
	char *questions, *speakers, *guid;
	int codable;
	int no_normalise;
	int done;
};

/* The names in a JSON array (or a lone value), or NULL for NULL. */
static char **json_list(struct project *p, sqlite3_stmt *st, const char *j)
{
	char **v;
	size_t n = 0, cap = 4;

	if (!j) {
		return NULL;
	}
	v = xmalloc(cap * sizeof(*v));
	db_bind_text(p, st, 1, j);
	while (db_step(p, st)) {
		if (n + 2 > cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = xstrdup(db_col_text(st, 0));
	}
	sqlite3_reset(st);
	v[n] = NULL;
	return v;
}

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->ord != y->ord) {
		return x->ord < y->ord ? -1 : 1;
	}
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Add ROWS[I] and its descendants (siblings by ord) to CB under PARENT. */
static void add_tree(struct project *p, struct codebook *cb,
		     struct row *rows, size_t n, size_t i, long parent,
		     sqlite3_stmt *js)
{
	struct row *r = &rows[i];
	struct cb_code *c;
	long me;

	r->done = 1;
	c = codebook_add(cb, parent, r->name, 0);
	me = (long)cb->ncodes - 1;
	c->id = r->id;
	c->description = r->description;
	c->color = r->color;
	c->example = r->example;
	c->codable = r->codable;
	c->no_normalise = r->no_normalise;
	c->guid = r->guid;
	free(c->language);
	c->language = r->language;
	free(c->unit);
	c->unit = r->unit ? r->unit : xstrdup("segment");
	free_strv(c->questions);
	c->questions = json_list(p, js, r->questions);
	free_strv(c->speakers);
	c->speakers = json_list(p, js, r->speakers);
	r->description = r->color = r->example = r->guid = NULL;
	r->language = r->unit = NULL;
	for (size_t k = 0; k < n; k++) {
		if (!rows[k].done && rows[k].parent_id == r->id) {
			add_tree(p, cb, rows, n, k, me, js);
		}
	}
}

static int code_id_cmp(const void *a, const void *b)
{
	const struct cb_code *x = *(const struct cb_code *const *)a;
	const struct cb_code *y = *(const struct cb_code *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

void codebook_read_db(struct project *p, struct codebook *cb)
{
	sqlite3_stmt *st = db_prepare(
		p, "SELECT id, parent_id, name, ord, description, color, "
		   "codable, example, language, unit, questions, speakers, "
		   "guid, normalise FROM codes");
	sqlite3_stmt *js = db_prepare(
		p, "SELECT value FROM json_each(CASE WHEN json_valid(?1) "
		   "THEN ?1 ELSE json_array(?1) END)");
	struct row *rows = NULL;
	size_t n = 0, cap = 0;
	struct cb_code **byid;

	while (db_step(p, st)) {
		struct row *r;

		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			rows = xrealloc(rows, cap * sizeof(*rows));
		}
		r = &rows[n++];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(st, 0);
		r->parent_id = sqlite3_column_int64(st, 1);
		r->name = xstrdup(db_col_text(st, 2));
		r->ord = sqlite3_column_int64(st, 3);
		r->description = db_col_dup(st, 4);
		r->color = db_col_dup(st, 5);
		r->codable = sqlite3_column_int(st, 6) != 0;
		r->example = db_col_dup(st, 7);
		r->language = db_col_dup(st, 8);
		r->unit = db_col_dup(st, 9);
		r->questions = db_col_dup(st, 10);
		r->speakers = db_col_dup(st, 11);
		r->guid = db_col_dup(st, 12);
		r->no_normalise = sqlite3_column_type(st, 13) != SQLITE_NULL &&
				  sqlite3_column_int(st, 13) == 0;
	}
	sqlite3_finalize(st);
	if (n) {
		qsort(rows, n, sizeof(*rows), row_cmp);
	}
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].done && rows[i].parent_id == 0) {
			add_tree(p, cb, rows, n, i, -1, js);
		}
	}
	sqlite3_finalize(js);
	for (size_t i = 0; i < n; i++) {
		free(rows[i].name);
		free(rows[i].description);
		free(rows[i].color);
		free(rows[i].example);
		free(rows[i].language);
		free(rows[i].unit);
		free(rows[i].questions);
		free(rows[i].speakers);
		free(rows[i].guid);
	}
	free(rows);

	/* Rules, found by code id. */
	byid = xmalloc((cb->ncodes + 1) * sizeof(*byid));
	for (size_t i = 0; i < cb->ncodes; i++) {
		byid[i] = &cb->codes[i];
	}
	qsort(byid, cb->ncodes, sizeof(*byid), code_id_cmp);
	st = db_prepare(p, "SELECT code_id, kind, pattern FROM rules "
			   "ORDER BY code_id, ord, id");
	while (db_step(p, st)) {
		struct cb_code key, *kp = &key, **hit;
		enum cb_rule_kind kind;

		key.id = sqlite3_column_int64(st, 0);
		hit = bsearch(&kp, byid, cb->ncodes, sizeof(*byid),
			      code_id_cmp);
		if (hit && cb_rule_kind_parse(db_col_text(st, 1), &kind) == 0) {
			cb_code_add_rule(*hit, kind, db_col_text(st, 2), 0);
		}
	}
	sqlite3_finalize(st);
	free(byid);
}

/* ---- applying ---- */

/* 1 when A and B are equal, an empty string counting as NULL (the
 * database and the file spell "no value" either way). */
static int same_str(const char *a, const char *b)
{
	if (!a || !*a || !b || !*b) {
		return (!a || !*a) == (!b || !*b);
	}
	return strcmp(a, b) == 0;
}

static int same_rules(const struct cb_code *a, const struct cb_code *b)
{
	if (a->nrules != b->nrules) {
		return 0;
	}
	for (size_t i = 0; i < a->nrules; i++) {
		if (a->rules[i].kind != b->rules[i].kind ||
		    strcmp(a->rules[i].pattern, b->rules[i].pattern) != 0) {
			return 0;
		}
	}
	return 1;
}

static int same_props(const struct cb_code *a, const struct cb_code *b)
{
	return same_str(a->description, b->description) &&
	       same_str(a->color, b->color) && a->codable == b->codable &&
	       same_str(a->example, b->example) &&
	       same_str(a->language, b->language) &&
	       a->no_normalise == b->no_normalise &&
	       same_str(a->unit, b->unit) &&
	       cb_strv_equal(a->questions, b->questions) &&
	       cb_strv_equal(a->speakers, b->speakers);
}

static void change(struct cb_changes *ch, enum cb_change_kind kind,
		   const char *path, long long codings)
{
	if (ch->nitems == ch->cap) {
		ch->cap = ch->cap ? ch->cap * 2 : 16;
		ch->items = xrealloc(ch->items, ch->cap * sizeof(*ch->items));
	}
	ch->items[ch->nitems].kind = kind;
	ch->items[ch->nitems].path = xstrdup(path);
	ch->items[ch->nitems].codings = codings;
	ch->nitems++;
}

static int ptr_path_cmp(const void *a, const void *b)
{
	const struct cb_code *x = *(const struct cb_code *const *)a;
	const struct cb_code *y = *(const struct cb_code *const *)b;

	return strcmp(x->path, y->path);
}

/* Bind the properties of C to ST's parameters 1..8 (description, color,
 * codable, example, language, unit, questions, speakers) and 14
 * (normalise). */
static void bind_props(struct project *p, sqlite3_stmt *st,
		       const struct cb_code *c)
{
	char *q = cb_strv_json(c->questions);
	char *s = cb_strv_json(c->speakers);

	db_bind_text(p, st, 1,
		     c->description && *c->description ? c->description
						       : NULL);
	db_bind_text(p, st, 2, c->color);
	sqlite3_bind_int(st, 3, c->codable);
	db_bind_text(p, st, 4, c->example && *c->example ? c->example : NULL);
	db_bind_text(p, st, 5, c->language);
	db_bind_text(p, st, 6, c->unit ? c->unit : "segment");
	db_bind_text(p, st, 7, q);
	db_bind_text(p, st, 8, s);
	sqlite3_bind_int(st, 14, !c->no_normalise);
	free(q);
	free(s);
}

void codebook_store_rules(struct project *p, long long id,
			  const struct cb_code *c)
{
	static const char sql[] = "INSERT INTO rules(code_id, kind, pattern, "
				  "ord) VALUES(?, ?, ?, ?)";
	sqlite3_stmt *ins = db_cached(p, sql);

	for (size_t r = 0; r < c->nrules; r++) {
		sqlite3_bind_int64(ins, 1, id);
		db_bind_text(p, ins, 2, cb_rule_kind_name(c->rules[r].kind));
		db_bind_text(p, ins, 3, c->rules[r].pattern);
		sqlite3_bind_int64(ins, 4, (long long)r);
		db_run(p, ins);
	}
}

/* Delete the code ID with its codings, rules and set memberships. */
static void delete_code(struct project *p, long long id)
{
	static const char *const sql[] = {
		"DELETE FROM codings WHERE code_id=%lld",
		"DELETE FROM code_set_members WHERE code_id=%lld",
		("DELETE FROM memos WHERE target_kind='code' AND "
		 "target_id=%lld"),
		"DELETE FROM rules WHERE code_id=%lld",
		"DELETE FROM codes WHERE id=%lld",
	};

	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		char *q = sqlite3_mprintf(sql[i], id);

		db_exec(p, q);
		sqlite3_free(q);
	}
}

int codebook_apply(struct project *p, const struct codebook *cb,
		   struct cb_changes *ch)
{
	struct codebook old;
	const struct cb_code **idx;
	long long *ids;
	char *keep;
	sqlite3_stmt *ins, *upd, *ord, *guid, *rdel;
	int rc = 0;

	codebook_init(&old);
	codebook_read_db(p, &old);
	idx = xmalloc((old.ncodes + 1) * sizeof(*idx));
	keep = xcalloc(old.ncodes + 1, 1);
	ids = xcalloc(cb->ncodes + 1, sizeof(*ids));
	for (size_t i = 0; i < old.ncodes; i++) {
		idx[i] = &old.codes[i];
	}
	qsort(idx, old.ncodes, sizeof(*idx), ptr_path_cmp);
	for (size_t i = 0; i < cb->ncodes; i++) {
		const struct cb_code *key = &cb->codes[i], **hit;

		hit = bsearch(&key, idx, old.ncodes, sizeof(*idx),
			      ptr_path_cmp);
		if (hit) {
			keep[*hit - old.codes] = 1;
		}
	}

	/* Refuse before changing anything. */
	if (ch->remove == CB_REMOVE_SAFE) {
		for (size_t i = 0; i < old.ncodes; i++) {
			long long n;

			if (keep[i]) {
				continue;
			}
			n = db_int(p, 0,
				   "SELECT count(*) FROM codings WHERE "
				   "code_id=%lld AND NOT (origin='auto' AND "
				   "status='suggested')",
				   old.codes[i].id);
			if (n) {
				change(ch, CB_BLOCKED, old.codes[i].path, n);
				ch->blocked++;
			}
		}
		if (ch->blocked) {
			rc = -1;
			goto done;
		}
	}

	ins = db_prepare(p, "INSERT INTO codes(description, color, codable, "
			    "example, language, unit, questions, speakers, "
			    "parent_id, name, path, ord, guid, normalise) "
			    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
			    "?11, ?12, ?13, ?14)");
	upd = db_prepare(p, "UPDATE codes SET description=?1, color=?2, "
			    "codable=?3, example=?4, language=?5, unit=?6, "
			    "questions=?7, speakers=?8, normalise=?14 "
			    "WHERE id=?9");
	ord = db_prepare(p, "UPDATE codes SET ord=?1 WHERE id=?2 AND "
			    "ord IS NOT ?1");
	guid = db_prepare(p, "UPDATE codes SET guid=?1 WHERE id=?2 AND "
			     "guid IS NULL");
	rdel = db_prepare(p, "DELETE FROM rules WHERE code_id=?");
	for (size_t i = 0; i < cb->ncodes; i++) {
		const struct cb_code *c = &cb->codes[i], **hit;

		hit = bsearch(&c, idx, old.ncodes, sizeof(*idx),
			      ptr_path_cmp);
		if (!hit) {
			bind_props(p, ins, c);
			if (c->parent >= 0) {
				sqlite3_bind_int64(ins, 9, ids[c->parent]);
			}
			db_bind_text(p, ins, 10, c->name);
			db_bind_text(p, ins, 11, c->path);
			sqlite3_bind_int64(ins, 12, (long long)i);
			db_bind_text(p, ins, 13, c->guid);
			db_run(p, ins);
			ids[i] = sqlite3_last_insert_rowid(p->db);
			codebook_store_rules(p, ids[i], c);
			change(ch, CB_ADDED, c->path, 0);
			ch->added++;
			continue;
		}
		ids[i] = (*hit)->id;
		sqlite3_bind_int64(ord, 1, (long long)i);
		sqlite3_bind_int64(ord, 2, ids[i]);
		db_run(p, ord);
		if (c->guid) {
			db_bind_text(p, guid, 1, c->guid);
			sqlite3_bind_int64(guid, 2, ids[i]);
			db_run(p, guid);
		}
		if (same_props(c, *hit) && same_rules(c, *hit)) {
			ch->unchanged++;
			continue;
		}
		if (!same_props(c, *hit)) {
			bind_props(p, upd, c);
			sqlite3_bind_int64(upd, 9, ids[i]);
			db_run(p, upd);
		}
		if ((*hit)->codable && !c->codable) {
			long long n = db_int(p, 0, "SELECT count(*) FROM codings "
						   "WHERE code_id = %lld",
					     ids[i]);

			if (n) {
				warn("code '%s' is no longer codable, but has "
				     "%lld coding%s of its own: they stay, and "
				     "count for it and its parents ('qcode "
				     "codings --code %s' lists them)",
				     c->path, n, n == 1 ? "" : "s", c->path);
			}
		}
		if (!same_rules(c, *hit)) {
			sqlite3_bind_int64(rdel, 1, ids[i]);
			db_run(p, rdel);
			codebook_store_rules(p, ids[i], c);
		}
		change(ch, CB_CHANGED, c->path, 0);
		ch->changed++;
	}

	/* Codes the codebook no longer has: kept after it, or deleted
	 * children first. */
	{
		size_t next = cb->ncodes;

		for (size_t i = 0; i < old.ncodes; i++) {
			if (keep[i]) {
				continue;
			}
			if (ch->remove == CB_REMOVE_KEEP) {
				sqlite3_bind_int64(ord, 1, (long long)next++);
				sqlite3_bind_int64(ord, 2, old.codes[i].id);
				db_run(p, ord);
				change(ch, CB_KEPT, old.codes[i].path, 0);
				ch->kept++;
			} else {
				change(ch, CB_REMOVED, old.codes[i].path, 0);
				ch->removed++;
			}
		}
		if (ch->remove != CB_REMOVE_KEEP) {
			for (size_t i = old.ncodes; i-- > 0;) {
				if (!keep[i]) {
					delete_code(p, old.codes[i].id);
				}
			}
		}
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(upd);
	sqlite3_finalize(ord);
	sqlite3_finalize(guid);
	sqlite3_finalize(rdel);
done:
	free(ids);
	free(keep);
	free(idx);
	codebook_release(&old);
	return rc;
}
