/*
 * refi_export.c - write the project as a .qdpx (see refi_export.h).
 */
#include "refi_export.h"

#include <stdlib.h>
#include <string.h>

#include "codebook.h"
#include "refi_rules.h"
#include "util.h"
#include "xml.h"
#include "zipfile.h"

/* An object of the project and the GUID it is exported under. */
struct obj {
	long long id;
	char guid[37];
};

struct objs {
	struct obj *v;
	size_t n;
};

/* Load the rows of SQL (id, stored guid or NULL, identity; ordered by id)
 * into O, deriving a GUID from KIND and the identity where none is
 * stored. */
static void load_objs(struct project *p, struct objs *o, const char *kind,
		      const char *sql)
{
	sqlite3_stmt *st = db_prepare(p, sql);
	size_t cap = 0;

	memset(o, 0, sizeof(*o));
	while (db_step(p, st)) {
		struct obj *b;
		const char *g = (const char *)sqlite3_column_text(st, 1);

		if (o->n == cap) {
			cap = cap ? 2 * cap : 64;
			o->v = xrealloc(o->v, cap * sizeof(*o->v));
		}
		b = &o->v[o->n++];
		b->id = sqlite3_column_int64(st, 0);
		if (!g || refi_guid_norm(g, b->guid) != 0) {
			refi_guid_derive(kind,
					 (const char *)sqlite3_column_blob(st,
									   2),
					 (size_t)sqlite3_column_bytes(st, 2),
					 b->guid);
		}
	}
	sqlite3_finalize(st);
}

size_t refi_code_guids(struct project *p, struct refi_code_guid **out)
{
	return refi_code_guids_in(p, "main", out);
}

size_t refi_code_guids_in(struct project *p, const char *schema,
			  struct refi_code_guid **out)
{
	char *sql = sqlite3_mprintf("SELECT id, guid, path FROM \"%w\".codes "
				    "ORDER BY id", schema);
	sqlite3_stmt *st = db_prepare(p, sql);
	struct refi_guids stored = { NULL, 0, 0 };
	struct refi_code_guid *v = NULL;
	char **paths = NULL; /* of the codes without a GUID */
	size_t n = 0, cap = 0;

	sqlite3_free(sql);
	while (db_step(p, st)) {
		const char *g = (const char *)sqlite3_column_text(st, 1);
		struct refi_code_guid *c;

		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = xrealloc(v, cap * sizeof(*v));
			paths = xrealloc(paths, cap * sizeof(*paths));
		}
		c = &v[n];
		c->id = sqlite3_column_int64(st, 0);
		c->derived = !g || refi_guid_norm(g, c->guid) != 0;
		paths[n++] = c->derived ? xstrdup(db_col_text(st, 2)) : NULL;
		refi_guids_add(&stored, g);
	}
	sqlite3_finalize(st);
	refi_guids_sort(&stored);
	for (size_t i = 0; i < n; i++) {
		if (paths[i]) {
			refi_code_guid(paths[i], &stored, v[i].guid);
			free(paths[i]);
		}
	}
	free(paths);
	refi_guids_release(&stored);
	*out = v;
	return n;
}

/* The codes of P and their GUIDs into O. */
static void load_codes(struct project *p, struct objs *o)
{
	struct refi_code_guid *v;

	o->n = refi_code_guids(p, &v);
	o->v = o->n ? xmalloc(o->n * sizeof(*o->v)) : NULL;
	for (size_t i = 0; i < o->n; i++) {
		o->v[i].id = v[i].id;
		memcpy(o->v[i].guid, v[i].guid, sizeof(v[i].guid));
	}
	free(v);
}

/* The GUID of object ID, or NULL when O has no such object. */
static const char *obj_guid(const struct objs *o, long long id)
{
	size_t lo = 0, hi = o->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (o->v[mid].id == id) {
			return o->v[mid].guid;
		}
		if (o->v[mid].id < id) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return NULL;
}

/* An accepted coding, as exported. */
struct cod {
	long long id, doc, code, coder, start, end, seg_idx;
	char guid[37];
	char *memo, *origin, *rule;
	char memo_guid[37]; /* the note of MEMO */
};

/* A note: a memo, or the memo of a coding. */
struct note {
	char guid[37];
	int kind; /* NOTE_* */
	long long target;
	long long coder;
	char *name, *text; /* owned */
};

enum { NOTE_PROJECT, NOTE_CASE, NOTE_DOCUMENT, NOTE_CODE, NOTE_CODING };

/* Everything the export reads. */
struct exp {
	struct project *p;
	struct objs coders, codes, attrs, cases, docs, sets;
	struct cod *cods;
	size_t ncods;
	struct note *notes;      /* sorted by guid */
	size_t nnotes;
	struct note **by_target; /* sorted by kind, target, guid */
	char **guids;            /* every GUID written, for the check */
	size_t nguids, capguids;
	struct refi_export_stats *st;
	struct codebook cb;          /* the codebook, with rules */
	const struct cb_code **byid; /* its codes by id */
};

/* Record G as written, for check_unique(). */
static void seen(struct exp *e, const char *g)
{
	if (e->nguids == e->capguids) {
		e->capguids = e->capguids ? 2 * e->capguids : 256;
		e->guids = xrealloc(e->guids, e->capguids * sizeof(char *));
	}
	e->guids[e->nguids++] = xstrdup(g);
}

/* qsort order of strings. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every GUID names one object: a stored GUID shared by two rows would
 * make a file other tools misread. */
static void check_unique(struct exp *e)
{
	if (e->nguids > 1) {
		qsort(e->guids, e->nguids, sizeof(char *), cmp_str);
	}
	for (size_t i = 1; i < e->nguids; i++) {
		if (strcmp(e->guids[i - 1], e->guids[i]) == 0) {
			die(QC_PROJECT,
			    "GUID '%s' belongs to two objects of the "
			    "project; cannot export it",
			    e->guids[i]);
		}
	}
}

/* Column I as a malloc'd string, or NULL for NULL. */
/* Codings by document, span, then id (the order selections take). */
static int cmp_cod(const void *a, const void *b)
{
	const struct cod *x = a, *y = b;

	if (x->doc != y->doc) {
		return x->doc < y->doc ? -1 : 1;
	}
	if (x->start != y->start) {
		return x->start < y->start ? -1 : 1;
	}
	if (x->end != y->end) {
		return x->end < y->end ? -1 : 1;
	}
	/* Import keeps this order, so it survives a round trip. */
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Load the accepted codings with their GUIDs (stored or derived) and memo
 * notes, sorted as cmp_cod orders them. */
static void load_codings(struct exp *e)
{
	sqlite3_stmt *st = db_prepare(
		e->p,
		"SELECT g.id, g.doc_id, g.code_id, g.coder_id, g.start, g.end, "
		"g.guid, g.memo, g.origin, g.rule, s.idx, row_number() OVER "
		"(PARTITION BY g.doc_id, g.code_id, g.coder_id, g.start, g.end "
		"ORDER BY g.id) FROM codings g LEFT JOIN segments s ON s.id = "
		"g.segment_id WHERE g.status = 'accepted' ORDER BY g.id");
	size_t cap = 0;

	while (db_step(e->p, st)) {
		struct cod *c;
		const char *g = (const char *)sqlite3_column_text(st, 6);
		const char *dg, *kg, *rg;

		if (e->ncods == cap) {
			cap = cap ? 2 * cap : 256;
			e->cods = xrealloc(e->cods, cap * sizeof(*e->cods));
		}
		c = &e->cods[e->ncods];
		memset(c, 0, sizeof(*c));
		c->id = sqlite3_column_int64(st, 0);
		c->doc = sqlite3_column_int64(st, 1);
		c->code = sqlite3_column_int64(st, 2);
		c->coder = sqlite3_column_int64(st, 3);
		c->start = sqlite3_column_int64(st, 4);
		c->end = sqlite3_column_int64(st, 5);
		c->memo = db_col_dup(st, 7);
		c->origin = db_col_dup(st, 8);
		c->rule = db_col_dup(st, 9);
		c->seg_idx = sqlite3_column_type(st, 10) == SQLITE_NULL
				     ? -1
				     : sqlite3_column_int64(st, 10);
		dg = obj_guid(&e->docs, c->doc);
		kg = obj_guid(&e->codes, c->code);
		rg = obj_guid(&e->coders, c->coder);
		if (!dg || !kg || !rg) {
			die(QC_PROJECT, "coding %lld names a document, code or "
					"coder that is missing; cannot export",
			    c->id);
		}
		if (!g || refi_guid_norm(g, c->guid) != 0) {
			char *id = xasprintf("%s/%s/%s/%lld/%lld/%lld", dg, kg,
					     rg, c->start, c->end,
					     sqlite3_column_int64(st, 11));

			refi_guid_derive("coding", id, strlen(id), c->guid);
			free(id);
		}
		if (c->memo && *c->memo) {
			refi_guid_derive("coding-memo", c->guid, 36,
					 c->memo_guid);
		}
		e->ncods++;
	}
	sqlite3_finalize(st);
	e->st->not_accepted = (size_t)db_int(
		e->p, 0, "SELECT count(*) FROM codings WHERE status <> "
			 "'accepted'");
	if (e->ncods > 1) {
		qsort(e->cods, e->ncods, sizeof(*e->cods), cmp_cod);
	}
}

/* bsearch: a coding id against a coding pointer. */
static int cmp_cod_id(const void *key, const void *elem)
{
	long long id = *(const long long *)key;
	const struct cod *c = *(struct cod *const *)elem;

	return id < c->id ? -1 : id > c->id;
}

/* Coding pointers by id. */
static int cmp_cod_ptr(const void *a, const void *b)
{
	const struct cod *x = *(struct cod *const *)a;
	const struct cod *y = *(struct cod *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Notes by GUID. */
static int cmp_note(const void *a, const void *b)
{
	return strcmp(((const struct note *)a)->guid,
		      ((const struct note *)b)->guid);
}

/* Note pointers by target kind, target id, GUID. */
static int cmp_note_target(const void *a, const void *b)
{
	const struct note *x = *(struct note *const *)a;
	const struct note *y = *(struct note *const *)b;

	if (x->kind != y->kind) {
		return x->kind < y->kind ? -1 : 1;
	}
	if (x->target != y->target) {
		return x->target < y->target ? -1 : 1;
	}
	return strcmp(x->guid, y->guid);
}

/* Memos, and the memos of exported codings, as notes; a memo whose
 * target is not exported is left out (and counted). */
static void load_notes(struct exp *e)
{
	static const char *const kinds[] = { "project", "case", "document",
					     "code", "coding" };
	sqlite3_stmt *st = db_prepare(
	    e->p, "SELECT id, target_kind, target_id, coder_id, name, "
		  "text, guid, row_number() OVER (PARTITION BY target_kind, "
		  "target_id, name, text ORDER BY id) FROM memos ORDER BY "
		  "id");
	struct cod **cods = xmalloc((e->ncods + 1) * sizeof(*cods));
	size_t cap = 0;

	for (size_t i = 0; i < e->ncods; i++) {
		cods[i] = &e->cods[i];
	}
	if (e->ncods > 1) {
		qsort(cods, e->ncods, sizeof(*cods), cmp_cod_ptr);
	}
	for (size_t i = 0; i < e->ncods + 1; i++) {
		struct note *n;

		if (e->nnotes == cap) {
			cap = cap ? 2 * cap : 64;
			e->notes = xrealloc(e->notes, cap * sizeof(*e->notes));
		}
		n = &e->notes[e->nnotes];
		memset(n, 0, sizeof(*n));
		if (i < e->ncods) {
			/* The memo of a coding. */
			if (!e->cods[i].memo_guid[0]) {
				continue;
			}
			memcpy(n->guid, e->cods[i].memo_guid, 37);
			n->kind = NOTE_CODING;
			n->target = e->cods[i].id;
			n->coder = e->cods[i].coder;
			n->text = xstrdup(e->cods[i].memo);
			e->nnotes++;
			continue;
		}
		/* The memos table. */
		while (db_step(e->p, st)) {
			const char *kind = db_col_text(st, 1);
			long long target = sqlite3_column_int64(st, 2);
			const char *g =
			    (const char *)sqlite3_column_text(st, 6);
			const char *tg = NULL;
			int k = -1;

			for (int j = 0; j < 5; j++) {
				if (strcmp(kind, kinds[j]) == 0) {
					k = j;
				}
			}
			switch (k) {
			case NOTE_PROJECT:
				tg = "";
				break;
			case NOTE_CASE:
				tg = obj_guid(&e->cases, target);
				break;
			case NOTE_DOCUMENT:
				tg = obj_guid(&e->docs, target);
				break;
			case NOTE_CODE:
				tg = obj_guid(&e->codes, target);
				break;
			case NOTE_CODING: {
				struct cod **c =
				    bsearch(&target, cods, e->ncods,
					    sizeof(*cods), cmp_cod_id);

				tg = c ? (*c)->guid : NULL;
				break;
			}
			}
			if (!tg) {
				e->st->orphan_notes++;
				continue;
			}
			if (e->nnotes == cap) {
				cap = cap ? 2 * cap : 64;
				e->notes = xrealloc(e->notes,
						    cap * sizeof(*e->notes));
			}
			n = &e->notes[e->nnotes++];
			memset(n, 0, sizeof(*n));
			n->kind = k;
			n->target = k == NOTE_PROJECT ? 0 : target;
			n->coder = sqlite3_column_int64(st, 3);
			n->name = db_col_dup(st, 4);
			n->text = db_col_dup(st, 5);
			if (!n->text) {
				n->text = xstrdup("");
			}
			if (!g || refi_guid_norm(g, n->guid) != 0) {
				char *id = xasprintf(
					"%s/%s/%s/%s/%lld", kind, tg,
					n->name ? n->name : "", n->text,
					sqlite3_column_int64(st, 7));

				refi_guid_derive("memo", id, strlen(id),
						 n->guid);
				free(id);
			}
		}
	}
	sqlite3_finalize(st);
	free(cods);
	if (e->nnotes > 1) {
		qsort(e->notes, e->nnotes, sizeof(*e->notes), cmp_note);
	}
	e->by_target = xmalloc((e->nnotes + 1) * sizeof(*e->by_target));
	for (size_t i = 0; i < e->nnotes; i++) {
		e->by_target[i] = &e->notes[i];
	}
	if (e->nnotes > 1) {
		qsort(e->by_target, e->nnotes, sizeof(*e->by_target),
		      cmp_note_target);
	}
}

/* A new line indented DEPTH levels. */
static void indent(struct strbuf *sb, int depth)
{
	sb_addc(sb, '\n');
	for (int i = 0; i < depth; i++) {
		sb_adds(sb, "  ");
	}
}

/* <NAME>TEXT</NAME> on its own line. */
static void text_elem(struct strbuf *sb, int depth, const char *name,
		      const char *text)
{
	indent(sb, depth);
	sb_addf(sb, "<%s>", name);
	refi_put_text(sb, text);
	sb_addf(sb, "</%s>", name);
}

/* <NAME targetGUID="G"/> on its own line. */
static void ref_elem(struct strbuf *sb, int depth, const char *name,
		     const char *g)
{
	indent(sb, depth);
	sb_addf(sb, "<%s", name);
	refi_put_attr(sb, "targetGUID", g);
	sb_adds(sb, "/>");
}

/* The NoteRefs of KIND TARGET, in GUID order. */
static void note_refs(struct exp *e, struct strbuf *sb, int depth, int kind,
		      long long target)
{
	struct note key, *kp = &key, **lo;
	size_t i;

	key.kind = kind;
	key.target = target;
	key.guid[0] = '\0';
	/* The first note of (kind, target): a lower bound. */
	{
		size_t a = 0, b = e->nnotes;

		while (a < b) {
			size_t mid = (a + b) / 2;

			if (cmp_note_target(&e->by_target[mid], &kp) < 0) {
				a = mid + 1;
			} else {
				b = mid;
			}
		}
		i = a;
	}
	for (lo = e->by_target + i; i < e->nnotes && (*lo)->kind == kind &&
				    (*lo)->target == target;
	     i++, lo++) {
		ref_elem(sb, depth, "NoteRef", (*lo)->guid);
	}
}

/* 1 when some note is attached to KIND TARGET. */
static int has_notes(struct exp *e, int kind, long long target)
{
	for (size_t a = 0, b = e->nnotes; a < b;) {
		size_t mid = (a + b) / 2;
		const struct note *n = e->by_target[mid];

		if (n->kind == kind && n->target == target) {
			return 1;
		}
		if (n->kind < kind || (n->kind == kind && n->target < target)) {
			a = mid + 1;
		} else {
			b = mid;
		}
	}
	return 0;
}

/* <Users>: every coder, by id. */
static void write_users(struct exp *e, struct strbuf *sb)
{
	sqlite3_stmt *st;

	if (!e->coders.n) {
		return;
	}
	indent(sb, 1);
	sb_adds(sb, "<Users>");
	st = db_prepare(e->p, "SELECT id, name FROM coders ORDER BY id");
	while (db_step(e->p, st)) {
		const char *g =
		    obj_guid(&e->coders, sqlite3_column_int64(st, 0));

		indent(sb, 2);
		sb_adds(sb, "<User");
		refi_put_attr(sb, "guid", g);
		refi_put_attr(sb, "name", db_col_text(st, 1));
		sb_adds(sb, "/>");
		seen(e, g);
		e->st->coders++;
	}
	sqlite3_finalize(st);
	indent(sb, 1);
	sb_adds(sb, "</Users>");
}

/* The codes, loaded for the tree walk. */
struct code {
	long long id, parent;
	char *name, *desc, *color;
	int codable;
};

/* Codebook code pointers by id. */
static int cmp_cb_id(const void *a, const void *b)
{
	const struct cb_code *x = *(const struct cb_code *const *)a;
	const struct cb_code *y = *(const struct cb_code *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* The codebook's code with id ID, or NULL. */
static const struct cb_code *cb_code_by_id(struct exp *e, long long id)
{
	size_t lo = 0, hi = e->cb.ncodes;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (e->byid[mid]->id == id) {
			return e->byid[mid];
		}
		if (e->byid[mid]->id < id) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return NULL;
}

/* <Code> V[I] of the N codes with its description (and rules block),
 * notes and sub-codes, at DEPTH. */
static void write_code(struct exp *e, struct strbuf *sb, struct code *v,
		       size_t n, size_t i, int depth)
{
	const char *g = obj_guid(&e->codes, v[i].id);
	const struct cb_code *cc = cb_code_by_id(e, v[i].id);
	char col[8];
	char *desc = cc ? refi_rules_describe(
				  cc, cc->parent >= 0
					      ? &e->cb.codes[cc->parent]
					      : NULL)
			: v[i].desc ? xstrdup(v[i].desc)
				    : NULL;
	int kids = 0;

	for (size_t k = 0; k < n; k++) {
		kids += v[k].parent == v[i].id;
	}
	indent(sb, depth);
	sb_adds(sb, "<Code");
	refi_put_attr(sb, "guid", g);
	refi_put_attr(sb, "name", v[i].name);
	refi_put_attr(sb, "isCodable", v[i].codable ? "true" : "false");
	if (v[i].color && refi_color_norm(v[i].color, col) == 0) {
		refi_put_attr(sb, "color", col);
	}
	seen(e, g);
	e->st->codes++;
	if (!desc && !kids && !has_notes(e, NOTE_CODE, v[i].id)) {
		sb_adds(sb, "/>");
		return;
	}
	sb_adds(sb, ">");
	if (desc) {
		text_elem(sb, depth + 1, "Description", desc);
		free(desc);
	}
	note_refs(e, sb, depth + 1, NOTE_CODE, v[i].id);
	for (size_t k = 0; k < n; k++) {
		if (v[k].parent == v[i].id) {
			write_code(e, sb, v, n, k, depth + 1);
		}
	}
	indent(sb, depth);
	sb_adds(sb, "</Code>");
}

/* <CodeBook>: the code tree in codebook order. */
static void write_codebook(struct exp *e, struct strbuf *sb)
{
	sqlite3_stmt *st;
	struct code *v = NULL;
	size_t n = 0, cap = 0;

	if (!e->codes.n) {
		return;
	}
	st = db_prepare(e->p, "SELECT id, coalesce(parent_id, 0), name, "
			      "description, color, codable FROM codes ORDER "
			      "BY ord, id");
	while (db_step(e->p, st)) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n].id = sqlite3_column_int64(st, 0);
		v[n].parent = sqlite3_column_int64(st, 1);
		v[n].name = db_col_dup(st, 2);
		v[n].desc = db_col_dup(st, 3);
		v[n].color = db_col_dup(st, 4);
		v[n].codable = sqlite3_column_int(st, 5);
		n++;
	}
	sqlite3_finalize(st);
	indent(sb, 1);
	sb_adds(sb, "<CodeBook>");
	indent(sb, 2);
	sb_adds(sb, "<Codes>");
	for (size_t i = 0; i < n; i++) {
		if (!v[i].parent || !obj_guid(&e->codes, v[i].parent)) {
			write_code(e, sb, v, n, i, 3);
		}
	}
	indent(sb, 2);
	sb_adds(sb, "</Codes>");
	indent(sb, 1);
	sb_adds(sb, "</CodeBook>");
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].desc);
		free(v[i].color);
	}
	free(v);
}

/* The REFI typeOfVariable of an attribute type. */
static const char *variable_type(const char *t)
{
	static const char *const map[][2] = {
		{ "integer", "Integer" }, { "float", "Float" },
		{ "boolean", "Boolean" }, { "date", "Date" },
		{ "datetime", "DateTime" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(t, map[i][0]) == 0) {
			return map[i][1];
		}
	}
	return "Text";
}

/* 1 when S is all ASCII digits, at least MIN of them. */
static int all_digits(const char *s, size_t min)
{
	size_t n = 0;

	while (s[n] >= '0' && s[n] <= '9') {
		n++;
	}
	return n >= min && !s[n];
}

/* The value element for V of TYPE: the typed element when V has that
 * type's lexical form, else TextValue. */
static const char *value_elem(const char *type, const char *v)
{
	const char *s = (*v == '-' || *v == '+') ? v + 1 : v;

	if (strcmp(type, "Integer") == 0 && all_digits(s, 1)) {
		return "IntegerValue";
	}
	if (strcmp(type, "Float") == 0) {
		const char *dot = strchr(s, '.');
		char *ip = dot ? xstrndup(s, (size_t)(dot - s)) : xstrdup(s);
		int ok = (all_digits(ip, dot ? 0 : 1) &&
			  (!dot || all_digits(dot + 1, *ip ? 0 : 1)));

		free(ip);
		if (ok) {
			return "FloatValue";
		}
	}
	if (strcmp(type, "Boolean") == 0 &&
	    (strcmp(v, "true") == 0 || strcmp(v, "false") == 0 ||
	     strcmp(v, "1") == 0 || strcmp(v, "0") == 0)) {
		return "BooleanValue";
	}
	if (strcmp(type, "Date") == 0 && strlen(v) == 10 && v[4] == '-' &&
	    v[7] == '-') {
		return "DateValue";
	}
	if (strcmp(type, "DateTime") == 0 && strlen(v) >= 19 && v[10] == 'T') {
		return "DateTimeValue";
	}
	return "TextValue";
}

/* <Variables>: every attribute, by id. */
static void write_variables(struct exp *e, struct strbuf *sb)
{
	sqlite3_stmt *st;

	if (!e->attrs.n) {
		return;
	}
	indent(sb, 1);
	sb_adds(sb, "<Variables>");
	st = db_prepare(e->p, "SELECT id, name, type, description FROM "
			      "attributes ORDER BY id");
	while (db_step(e->p, st)) {
		const char *g =
		    obj_guid(&e->attrs, sqlite3_column_int64(st, 0));
		const char *desc = (const char *)sqlite3_column_text(st, 3);

		indent(sb, 2);
		sb_adds(sb, "<Variable");
		refi_put_attr(sb, "guid", g);
		refi_put_attr(sb, "name", db_col_text(st, 1));
		refi_put_attr(sb, "typeOfVariable",
			      variable_type(db_col_text(st, 2)));
		seen(e, g);
		e->st->attributes++;
		if (!desc) {
			sb_adds(sb, "/>");
			continue;
		}
		sb_adds(sb, ">");
		text_elem(sb, 3, "Description", desc);
		indent(sb, 2);
		sb_adds(sb, "</Variable>");
	}
	sqlite3_finalize(st);
	indent(sb, 1);
	sb_adds(sb, "</Variables>");
}

/* The VariableValues of row ID in TABLE (case_attributes.case_id or
 * document_attributes.doc_id), by attribute. */
static void write_values(struct exp *e, struct strbuf *sb, int depth,
			 const char *table, const char *col, long long id)
{
	char *sql = sqlite3_mprintf(
		"SELECT a.id, a.type, v.value FROM \"%w\" v JOIN attributes a "
		"ON a.id = v.attr_id WHERE v.\"%w\" = %lld AND v.value IS NOT "
		"NULL ORDER BY a.id",
		table, col, id);
	sqlite3_stmt *st = db_prepare(e->p, sql);

	sqlite3_free(sql);
	while (db_step(e->p, st)) {
		const char *type = variable_type(db_col_text(st, 1));

		indent(sb, depth);
		sb_adds(sb, "<VariableValue>");
		ref_elem(sb, depth + 1, "VariableRef",
			 obj_guid(&e->attrs, sqlite3_column_int64(st, 0)));
		text_elem(sb, depth + 1, value_elem(type, db_col_text(st, 2)),
			  db_col_text(st, 2));
		indent(sb, depth);
		sb_adds(sb, "</VariableValue>");
	}
	sqlite3_finalize(st);
}

/* <Cases>: every case with its attribute values and documents. */
static void write_cases(struct exp *e, struct strbuf *sb)
{
	sqlite3_stmt *st, *docs;

	if (!e->cases.n) {
		return;
	}
	indent(sb, 1);
	sb_adds(sb, "<Cases>");
	st = db_prepare(e->p, "SELECT id, name, description FROM cases ORDER "
			      "BY id");
	docs = db_prepare(e->p, "SELECT id FROM documents WHERE case_id = ? "
				"ORDER BY id");
	while (db_step(e->p, st)) {
		long long id = sqlite3_column_int64(st, 0);
		const char *g = obj_guid(&e->cases, id);
		const char *desc = (const char *)sqlite3_column_text(st, 2);

		indent(sb, 2);
		sb_adds(sb, "<Case");
		refi_put_attr(sb, "guid", g);
		refi_put_attr(sb, "name", db_col_text(st, 1));
		sb_adds(sb, ">");
		seen(e, g);
		e->st->cases++;
		if (desc) {
			text_elem(sb, 3, "Description", desc);
		}
		write_values(e, sb, 3, "case_attributes", "case_id", id);
		sqlite3_bind_int64(docs, 1, id);
		while (db_step(e->p, docs)) {
			ref_elem(sb, 3, "SourceRef",
				 obj_guid(&e->docs,
					  sqlite3_column_int64(docs, 0)));
		}
		sqlite3_reset(docs);
		indent(sb, 2);
		sb_adds(sb, "</Case>");
	}
	sqlite3_finalize(st);
	sqlite3_finalize(docs);
	indent(sb, 1);
	sb_adds(sb, "</Cases>");
}

/* The selections of document DOC: codings with one span share one. */
static void write_selections(struct exp *e, struct strbuf *sb,
			     long long doc, const char *dg)
{
	size_t lo = 0, hi = e->ncods;

	/* The first coding of DOC. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (e->cods[mid].doc < doc) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	for (size_t i = lo; i < e->ncods && e->cods[i].doc == doc;) {
		size_t j = i;
		char sg[37], *id;

		while (j < e->ncods && e->cods[j].doc == doc &&
		       e->cods[j].start == e->cods[i].start &&
		       e->cods[j].end == e->cods[i].end) {
			j++;
		}
		id = xasprintf("%s/%lld/%lld", dg, e->cods[i].start,
			       e->cods[i].end);
		refi_guid_derive("selection", id, strlen(id), sg);
		free(id);
		indent(sb, 3);
		sb_adds(sb, "<PlainTextSelection");
		refi_put_attr(sb, "guid", sg);
		sb_addf(sb, " startPosition=\"%lld\" endPosition=\"%lld\"",
			e->cods[i].start, e->cods[i].end);
		refi_put_attr(sb, "creatingUser",
			      obj_guid(&e->coders, e->cods[i].coder));
		sb_adds(sb, ">");
		seen(e, sg);
		for (size_t k = i; k < j; k++) {
			const struct cod *c = &e->cods[k];

			indent(sb, 4);
			sb_adds(sb, "<Coding");
			refi_put_attr(sb, "guid", c->guid);
			refi_put_attr(sb, "creatingUser",
				      obj_guid(&e->coders, c->coder));
			sb_adds(sb, ">");
			ref_elem(sb, 5, "CodeRef",
				 obj_guid(&e->codes, c->code));
			note_refs(e, sb, 5, NOTE_CODING, c->id);
			indent(sb, 4);
			sb_adds(sb, "</Coding>");
			seen(e, c->guid);
			e->st->codings++;
		}
		indent(sb, 3);
		sb_adds(sb, "</PlainTextSelection>");
		i = j;
	}
}

/* Add entry NAME (DATA taken over) to W, the archive PATH; dies with
 * QC_OUTPUT. */
static void add_entry(struct refi_zipw *w, const char *path, const char *name,
		      char *data, size_t len)
{
	char *msg;

	if (refi_zipw_add(w, name, data, len, &msg) != 0) {
		refi_zipw_discard(w);
		die_after(QC_OUTPUT, free, msg, "cannot write '%s': %s",
			  path, msg);
	}
}

/* The Sources: one TextSource per document with its selections. */
static void write_sources(struct exp *e, struct strbuf *sb)
{
	sqlite3_stmt *st;

	if (!e->docs.n) {
		return;
	}
	indent(sb, 1);
	sb_adds(sb, "<Sources>");
	st = db_prepare(e->p, "SELECT id, name, text FROM documents ORDER BY "
			      "id");
	while (db_step(e->p, st)) {
		long long id = sqlite3_column_int64(st, 0);
		const char *g = obj_guid(&e->docs, id);
		char *file = xasprintf("internal://%s.txt", g);

		indent(sb, 2);
		sb_adds(sb, "<TextSource");
		refi_put_attr(sb, "guid", g);
		refi_put_attr(sb, "name", db_col_text(st, 1));
		refi_put_attr(sb, "plainTextPath", file);
		sb_adds(sb, ">");
		seen(e, g);
		e->st->documents++;
		write_selections(e, sb, id, g);
		note_refs(e, sb, 3, NOTE_DOCUMENT, id);
		write_values(e, sb, 3, "document_attributes", "doc_id", id);
		indent(sb, 2);
		sb_adds(sb, "</TextSource>");
		free(file);
	}
	sqlite3_finalize(st);
	indent(sb, 1);
	sb_adds(sb, "</Sources>");
}

/* Each document's text as sources/<GUID>.txt in the archive W. */
static void add_sources(struct exp *e, struct refi_zipw *w, const char *path)
{
	sqlite3_stmt *st = db_prepare(e->p, "SELECT id, text FROM documents "
					    "ORDER BY id");

	while (db_step(e->p, st)) {
		const char *g = obj_guid(&e->docs, sqlite3_column_int64(st, 0));
		char *entry = xasprintf("sources/%s.txt", g);
		size_t len = (size_t)sqlite3_column_bytes(st, 1);
		char *text = xmalloc(len + 1);

		/* An empty document's text is a NULL blob: nothing to copy. */
		if (len) {
			memcpy(text, sqlite3_column_blob(st, 1), len);
		}
		add_entry(w, path, entry, text, len);
		free(entry);
	}
	sqlite3_finalize(st);
}

/* <Notes>: every exported note, by GUID. */
static void write_notes(struct exp *e, struct strbuf *sb)
{
	if (!e->nnotes) {
		return;
	}
	indent(sb, 1);
	sb_adds(sb, "<Notes>");
	for (size_t i = 0; i < e->nnotes; i++) {
		const struct note *n = &e->notes[i];

		indent(sb, 2);
		sb_adds(sb, "<Note");
		refi_put_attr(sb, "guid", n->guid);
		refi_put_attr(sb, "name", n->name);
		refi_put_attr(sb, "creatingUser",
			      n->coder ? obj_guid(&e->coders, n->coder) : NULL);
		sb_adds(sb, ">");
		text_elem(sb, 3, "PlainTextContent", n->text);
		indent(sb, 2);
		sb_adds(sb, "</Note>");
		seen(e, n->guid);
		e->st->notes++;
	}
	indent(sb, 1);
	sb_adds(sb, "</Notes>");
}

/* Case memos: the schema gives cases no NoteRef, so a Link from the note
 * to its case carries them. */
static void write_links(struct exp *e, struct strbuf *sb)
{
	int any = 0;

	for (size_t i = 0; i < e->nnotes; i++) {
		const struct note *n = e->by_target[i];
		char lg[37];

		if (n->kind != NOTE_CASE) {
			continue;
		}
		if (!any) {
			indent(sb, 1);
			sb_adds(sb, "<Links>");
			any = 1;
		}
		refi_guid_derive("link", n->guid, 36, lg);
		indent(sb, 2);
		sb_adds(sb, "<Link");
		refi_put_attr(sb, "guid", lg);
		refi_put_attr(sb, "name", "memo");
		refi_put_attr(sb, "direction", "OneWay");
		refi_put_attr(sb, "originGUID", n->guid);
		refi_put_attr(sb, "targetGUID", obj_guid(&e->cases, n->target));
		sb_adds(sb, "/>");
		seen(e, lg);
	}
	if (any) {
		indent(sb, 1);
		sb_adds(sb, "</Links>");
	}
}

/* <Sets>: the code groups, members in codebook order. */
static void write_sets(struct exp *e, struct strbuf *sb)
{
	sqlite3_stmt *st, *mem;

	if (!e->sets.n) {
		return;
	}
	indent(sb, 1);
	sb_adds(sb, "<Sets>");
	st = db_prepare(e->p, "SELECT id, name, description FROM code_sets "
			      "ORDER BY id");
	mem = db_prepare(e->p, "SELECT c.id FROM code_set_members m JOIN "
			       "codes c ON c.id = m.code_id WHERE m.set_id = ? "
			       "ORDER BY c.ord, c.id");
	while (db_step(e->p, st)) {
		long long id = sqlite3_column_int64(st, 0);
		const char *g = obj_guid(&e->sets, id);
		const char *desc = (const char *)sqlite3_column_text(st, 2);

		indent(sb, 2);
		sb_adds(sb, "<Set");
		refi_put_attr(sb, "guid", g);
		refi_put_attr(sb, "name", db_col_text(st, 1));
		sb_adds(sb, ">");
		seen(e, g);
		e->st->sets++;
		if (desc) {
			text_elem(sb, 3, "Description", desc);
		}
		sqlite3_bind_int64(mem, 1, id);
		while (db_step(e->p, mem)) {
			ref_elem(sb, 3, "MemberCode",
				 obj_guid(&e->codes,
					  sqlite3_column_int64(mem, 0)));
		}
		sqlite3_reset(mem);
		indent(sb, 2);
		sb_adds(sb, "</Set>");
	}
	sqlite3_finalize(st);
	sqlite3_finalize(mem);
	indent(sb, 1);
	sb_adds(sb, "</Sets>");
}

/* qcode.xml: what qcode knows that project.qde cannot say. */
static void write_extras(struct exp *e, struct strbuf *sb)
{
	sqlite3_stmt *st, *seg;

	sb_adds(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<QcodeExtras xmlns=\"urn:qcode:refi-extras:1\">");
	st = db_prepare(e->p, "SELECT id, sha256, format, question FROM "
			      "documents ORDER BY id");
	seg = db_prepare(e->p, "SELECT idx, start, end, kind, speaker, "
			       "time_start, time_end FROM segments WHERE "
			       "doc_id = ? ORDER BY idx");
	while (db_step(e->p, st)) {
		long long id = sqlite3_column_int64(st, 0);

		indent(sb, 1);
		sb_adds(sb, "<Document");
		refi_put_attr(sb, "guid", obj_guid(&e->docs, id));
		refi_put_attr(sb, "sha256", db_col_text(st, 1));
		refi_put_attr(sb, "format", db_col_text(st, 2));
		refi_put_attr(sb, "question",
			      (const char *)sqlite3_column_text(st, 3));
		sb_adds(sb, ">");
		sqlite3_bind_int64(seg, 1, id);
		while (db_step(e->p, seg)) {
			indent(sb, 2);
			sb_addf(sb, "<Segment idx=\"%lld\" start=\"%lld\" "
				    "end=\"%lld\"",
				sqlite3_column_int64(seg, 0),
				sqlite3_column_int64(seg, 1),
				sqlite3_column_int64(seg, 2));
			refi_put_attr(sb, "kind", db_col_text(seg, 3));
			refi_put_attr(
			    sb, "speaker",
			    (const char *)sqlite3_column_text(seg, 4));
			for (int k = 5; k <= 6; k++) {
				if (sqlite3_column_type(seg, k) !=
				    SQLITE_NULL) {
					sb_addf(sb, " %s=\"%lld\"",
						k == 5 ? "timeStart"
						       : "timeEnd",
						sqlite3_column_int64(seg, k));
				}
			}
			sb_adds(sb, "/>");
		}
		sqlite3_reset(seg);
		indent(sb, 1);
		sb_adds(sb, "</Document>");
	}
	sqlite3_finalize(st);
	sqlite3_finalize(seg);
	for (size_t i = 0; i < e->ncods; i++) {
		const struct cod *c = &e->cods[i];

		indent(sb, 1);
		sb_adds(sb, "<Coding");
		refi_put_attr(sb, "guid", c->guid);
		refi_put_attr(sb, "origin", c->origin);
		refi_put_attr(sb, "rule", c->rule);
		if (c->seg_idx >= 0) {
			sb_addf(sb, " segment=\"%lld\"", c->seg_idx);
		}
		sb_adds(sb, "/>");
	}
	sb_adds(sb, "\n</QcodeExtras>\n");
}

void refi_export_qdpx(struct project *p, const char *path, const char *name,
		      struct refi_export_stats *st)
{
	struct strbuf sb = STRBUF_INIT, ex = STRBUF_INIT;
	struct refi_zipw w;
	struct exp e;
	char *msg, *qde, *extras;
	size_t qlen, xlen;

	memset(&e, 0, sizeof(e));
	memset(st, 0, sizeof(*st));
	e.p = p;
	e.st = st;
	load_objs(p, &e.coders, "coder",
		  "SELECT id, guid, name FROM coders ORDER BY id");
	load_codes(p, &e.codes);
	load_objs(p, &e.attrs, "attribute",
		  "SELECT id, guid, name FROM attributes ORDER BY id");
	load_objs(p, &e.cases, "case",
		  "SELECT id, guid, name FROM cases ORDER BY id");
	load_objs(p, &e.docs, "document",
		  "SELECT id, guid, name || char(31) || sha256 FROM documents "
		  "ORDER BY id");
	load_objs(p, &e.sets, "set",
		  "SELECT id, guid, name FROM code_sets ORDER BY id");
	codebook_init(&e.cb);
	codebook_read_db(p, &e.cb);
	e.byid = xmalloc((e.cb.ncodes + 1) * sizeof(*e.byid));
	for (size_t i = 0; i < e.cb.ncodes; i++) {
		e.byid[i] = &e.cb.codes[i];
	}
	if (e.cb.ncodes > 1) {
		qsort(e.byid, e.cb.ncodes, sizeof(*e.byid), cmp_cb_id);
	}
	load_codings(&e);
	load_notes(&e);
	if (refi_zipw_open(&w, path, &msg) != 0) {
		die_after(QC_OUTPUT, free, msg, "cannot write '%s': %s",
			  path, msg);
	}
	sb_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Project");
	refi_put_attr(&sb, "xmlns", REFI_NS_PROJECT);
	refi_put_attr(&sb, "name", name);
	refi_put_attr(&sb, "origin", "qcode");
	sb_adds(&sb, ">");
	write_users(&e, &sb);
	write_codebook(&e, &sb);
	write_variables(&e, &sb);
	write_cases(&e, &sb);
	write_sources(&e, &sb);
	write_notes(&e, &sb);
	write_links(&e, &sb);
	write_sets(&e, &sb);
	note_refs(&e, &sb, 1, NOTE_PROJECT, 0);
	sb_adds(&sb, "\n</Project>\n");
	check_unique(&e);
	write_extras(&e, &ex);
	qde = sb_detach(&sb, &qlen);
	extras = sb_detach(&ex, &xlen);
	/* project.qde first, then the sources, then qcode.xml; the zip
	 * keeps the order entries were added in. */
	add_entry(&w, path, "project.qde", qde, qlen);
	add_sources(&e, &w, path);
	add_entry(&w, path, "qcode.xml", extras, xlen);
	if (refi_zipw_close(&w, &msg) != 0) {
		die_after(QC_OUTPUT, free, msg, "cannot write '%s': %s",
			  path, msg);
	}
	for (size_t i = 0; i < e.ncods; i++) {
		free(e.cods[i].memo);
		free(e.cods[i].origin);
		free(e.cods[i].rule);
	}
	for (size_t i = 0; i < e.nnotes; i++) {
		free(e.notes[i].name);
		free(e.notes[i].text);
	}
	for (size_t i = 0; i < e.nguids; i++) {
		free(e.guids[i]);
	}
	free(e.guids);
	free(e.cods);
	free(e.notes);
	free(e.by_target);
	free(e.byid);
	codebook_release(&e.cb);
	free(e.coders.v);
	free(e.codes.v);
	free(e.attrs.v);
	free(e.cases.v);
	free(e.docs.v);
	free(e.sets.v);
}
