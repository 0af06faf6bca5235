/*
 * refi_qdc.c - REFI-QDA codebooks (.qdc), see refi_qdc.h.
 */
#include "refi_qdc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "refi_rules.h"
#include "util.h"
#include "xml.h"

void refi_sets_init(struct refi_sets *s)
{
	memset(s, 0, sizeof(*s));
}

void refi_sets_release(struct refi_sets *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].description);
		free_strv(s->v[i].members);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Append an empty set to S; returns it (valid until the next add). */
static struct refi_set *sets_add(struct refi_sets *s)
{
	struct refi_set *r;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	r = &s->v[s->n++];
	memset(r, 0, sizeof(*r));
	r->members = xcalloc(1, sizeof(char *));
	return r;
}

/* Append the code PATH to R's members. */
static void add_member(struct refi_set *r, const char *path)
{
	size_t n = strv_len(r->members);

	r->members = xrealloc(r->members, (n + 2) * sizeof(char *));
	r->members[n] = xstrdup(path);
	r->members[n + 1] = NULL;
}

/* What reading a .qdc needs at hand. */
struct qdc {
	struct codebook *cb;
	const char *path;
	struct cb_error *err;
	char (*guids)[37]; /* of cb->codes, by index */
	size_t cap;
};

/* The GUID of the Code or Set N, normalised into OUT; sets ERR when it
 * is missing or malformed. */
static int node_guid(struct qdc *r, const xmlNode *n, const char *what,
		     char out[37])
{
	char *g = refi_attr(n, "guid");

	if (!g || refi_guid_norm(g, out) != 0) {
		char *detail = g ? xasprintf(": '%s'", g) : NULL;

		cb_error_set(r->err, r->path, (size_t)refi_line(n), detail,
			     "%s has %s guid", what, g ? "an invalid" : "no");
		free(detail);
		free(g);
		return -1;
	}
	free(g);
	return 0;
}

/* Add the Code children of PARENT (and theirs) under code UP (-1: top).
 * Returns 0, or -1 with the error set. */
static int read_codes(struct qdc *r, const xmlNode *parent, long up)
{
	for (xmlNodePtr n = refi_first(parent); n; n = refi_next(n)) {
		char g[37], col[8], *name, *codable, *color;
		struct cb_code *c;
		xmlNodePtr d;
		long me;

		if (!refi_is(n, "Code")) {
			continue;
		}
		if (node_guid(r, n, "a Code", g) != 0) {
			return -1;
		}
		name = refi_attr(n, "name");
		if (!name) {
			name = xstrdup(g);
		} else {
			char *why, *clean = cb_clean_name(name, g, &why);

			if (why) {
				warn("'%s': code '%s' at line %ld is stored "
				     "as '%s'%s", r->path, name, refi_line(n),
				     clean, why);
				free(why);
			}
			free(name);
			name = clean;
		}
		c = codebook_add(r->cb, up, name, (size_t)refi_line(n));
		me = (long)r->cb->ncodes - 1;
		free(name);
		if (r->cb->ncodes > r->cap) {
			r->cap = r->cap ? 2 * r->cap : 64;
			r->guids =
			    xrealloc(r->guids, r->cap * sizeof(*r->guids));
		}
		memcpy(r->guids[me], g, 37);
		c->guid = xstrdup(g);
		codable = refi_attr(n, "isCodable");
		c->codable = !codable || (strcmp(codable, "false") != 0 &&
					  strcmp(codable, "0") != 0);
		free(codable);
		color = refi_attr(n, "color");
		if (color) {
			if (refi_color_norm(color, col) == 0) {
				c->color = xstrdup(col);
			} else {
				warn("'%s': code '%s' at line %ld has colour "
				     "'%s', which is not #RGB or #RRGGBB; "
				     "dropped", r->path, c->path, refi_line(n),
				     color);
			}
			free(color);
		}
		d = refi_child(n, "Description");
		if (d) {
			char *text = refi_text(d), *why;
			size_t at;

			if (refi_rules_parse(c, text, (size_t)refi_line(d),
					     &why, &at) != 0) {
				char *detail = xasprintf(": %s", why);

				cb_error_set(r->err, r->path, at, detail,
					     "bad qcode rules in the "
					     "description of code '%s'",
					     c->path);
				free(detail);
				free(why);
				free(text);
				return -1;
			}
			free(text);
		}
		if (read_codes(r, n, me) != 0) {
			return -1;
		}
	}
	return 0;
}

/* Read the Set children of SETS into OUT, members by code path.  Returns
 * 0, or -1 with the error set. */
static int read_sets(struct qdc *r, const xmlNode *sets,
		     struct refi_sets *out)
{
	for (xmlNodePtr n = refi_first(sets); n; n = refi_next(n)) {
		struct refi_set *s;
		xmlNodePtr d;
		char *name;

		if (!refi_is(n, "Set")) {
			continue;
		}
		s = sets_add(out);
		if (node_guid(r, n, "a Set", s->guid) != 0) {
			return -1;
		}
		name = refi_attr(n, "name");
		s->name = name && *name ? name : xstrdup(s->guid);
		if (s->name != name) {
			free(name);
		}
		s->line = (size_t)refi_line(n);
		d = refi_child(n, "Description");
		s->description = d ? refi_text(d) : NULL;
		for (xmlNodePtr m = refi_first(n); m; m = refi_next(m)) {
			char *g;
			char ng[37];
			size_t k;

			if (!refi_is(m, "MemberCode")) {
				continue;
			}
			g = refi_attr(m, "guid");
			if (!g) {
				g = refi_attr(m, "targetGUID");
			}
			if (!g || refi_guid_norm(g, ng) != 0) {
				cb_error_set(
				    r->err, r->path, (size_t)refi_line(m), NULL,
				    "set '%s' has a MemberCode without "
				    "a valid guid",
				    s->name);
				free(g);
				return -1;
			}
			for (k = 0; k < r->cb->ncodes; k++) {
				if (strcmp(r->guids[k], ng) == 0) {
					break;
				}
			}
			if (k == r->cb->ncodes) {
				char *detail = xasprintf(": '%s'", g);

				cb_error_set(
				    r->err, r->path, (size_t)refi_line(m),
				    detail,
				    "set '%s' names a code the codebook "
				    "does not define",
				    s->name);
				free(detail);
				free(g);
				return -1;
			}
			free(g);
			add_member(s, r->cb->codes[k].path);
		}
	}
	return 0;
}

int refi_qdc_read(struct codebook *cb, struct refi_sets *sets,
		  const char *path, struct cb_error *err)
{
	char *buf;
	size_t len;
	int rc;

	if (read_file(path, &buf, &len) != 0) {
		cb_error_set(err, NULL, 0, NULL, "cannot read '%s': %s", path,
			     strerror(errno));
		return -1;
	}
	rc = refi_qdc_parse(cb, sets, path, buf, len, err);
	free(buf);
	return rc;
}

int refi_qdc_parse(struct codebook *cb, struct refi_sets *sets,
		   const char *path, const char *buf, size_t len,
		   struct cb_error *err)
{
	struct qdc r;
	xmlDocPtr doc;
	xmlNodePtr root;
	char *msg;
	long line;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	r.cb = cb;
	r.path = path;
	r.err = err;
	doc = refi_xml_parse(buf, len, &line, &msg);
	if (!doc) {
		char *detail = xasprintf(": %s", msg);

		cb_error_set(err, path, (size_t)line, detail, "malformed XML");
		free(detail);
		free(msg);
		return -1;
	}
	refi_xml_normalize_ns(doc, NULL, NULL);
	root = xmlDocGetRootElement(doc);
	if (!refi_is(root, "CodeBook")) {
		cb_error_set(err, path, (size_t)refi_line(root), NULL,
			     "a <%s> is not a REFI-QDA <CodeBook>%s",
			     (const char *)root->name,
			     refi_is(root, "Project")
				     ? " (import a project with 'qcode "
				       "import')"
				     : "");
		goto done;
	}
	if (read_codes(&r, refi_child(root, "Codes"), -1) != 0 ||
	    read_sets(&r, refi_child(root, "Sets"), sets) != 0 ||
	    codebook_validate(cb, path, err) != 0) {
		goto done;
	}
	rc = 0;
done:
	free(r.guids);
	xmlFreeDoc(doc);
	return rc;
}

/* A new line indented DEPTH levels. */
static void indent(struct strbuf *sb, int depth)
{
	sb_addc(sb, '\n');
	for (int i = 0; i < depth; i++) {
		sb_adds(sb, "  ");
	}
}

/* The GUID code C is exported under: its own, else derived from its path
 * as the .qdpx export derives it, avoiding the codes' STORED GUIDs. */
static void code_guid(const struct cb_code *c,
		      const struct refi_guids *stored, char out[37])
{
	if (!c->guid || refi_guid_norm(c->guid, out) != 0) {
		refi_code_guid(c->path, stored, out);
	}
}

void refi_qdc_write(const struct codebook *cb, const struct refi_sets *sets,
		    FILE *out)
{
	struct strbuf sb = STRBUF_INIT;
	struct refi_guids stored = { NULL, 0, 0 };
	int depth = 1;

	for (size_t i = 0; i < cb->ncodes; i++) {
		refi_guids_add(&stored, cb->codes[i].guid);
	}
	refi_guids_sort(&stored);
	sb_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CodeBook");
	refi_put_attr(&sb, "xmlns", REFI_NS_CODEBOOK);
	refi_put_attr(&sb, "origin", "qcode");
	sb_adds(&sb, ">");
	if (cb->ncodes) {
		indent(&sb, 1);
		sb_adds(&sb, "<Codes>");
	}
	for (size_t i = 0; i < cb->ncodes; i++) {
		const struct cb_code *c = &cb->codes[i];
		const struct cb_code *up =
			c->parent >= 0 ? &cb->codes[c->parent] : NULL;
		char g[37], col[8], *desc = refi_rules_describe(c, up);
		int kids = i + 1 < cb->ncodes &&
			   cb->codes[i + 1].parent == (long)i;

		code_guid(c, &stored, g);
		depth = c->depth + 1;
		indent(&sb, depth);
		sb_adds(&sb, "<Code");
		refi_put_attr(&sb, "guid", g);
		refi_put_attr(&sb, "name", c->name);
		refi_put_attr(&sb, "isCodable", c->codable ? "true" : "false");
		if (c->color && refi_color_norm(c->color, col) == 0) {
			refi_put_attr(&sb, "color", col);
		}
		if (!desc && !kids) {
			sb_adds(&sb, "/>");
		} else {
			sb_adds(&sb, ">");
			if (desc) {
				indent(&sb, depth + 1);
				sb_adds(&sb, "<Description>");
				refi_put_text(&sb, desc);
				sb_adds(&sb, "</Description>");
			}
			if (!kids) {
				indent(&sb, depth);
				sb_adds(&sb, "</Code>");
			}
		}
		free(desc);
		/* Close the codes whose last descendant this is. */
		if (!kids) {
			int next = i + 1 < cb->ncodes ? cb->codes[i + 1].depth
						      : 1;

			for (int d = c->depth - 1; d >= next; d--) {
				indent(&sb, d + 1);
				sb_adds(&sb, "</Code>");
			}
		}
	}
	if (cb->ncodes) {
		indent(&sb, 1);
		sb_adds(&sb, "</Codes>");
	}
	if (sets && sets->n) {
		indent(&sb, 1);
		sb_adds(&sb, "<Sets>");
		for (size_t i = 0; i < sets->n; i++) {
			const struct refi_set *s = &sets->v[i];

			indent(&sb, 2);
			sb_adds(&sb, "<Set");
			refi_put_attr(&sb, "guid", s->guid);
			refi_put_attr(&sb, "name", s->name);
			if (!s->description && !s->members[0]) {
				sb_adds(&sb, "/>");
				continue;
			}
			sb_adds(&sb, ">");
			if (s->description) {
				indent(&sb, 3);
				sb_adds(&sb, "<Description>");
				refi_put_text(&sb, s->description);
				sb_adds(&sb, "</Description>");
			}
			for (size_t m = 0; s->members[m]; m++) {
				long k = codebook_find(cb, s->members[m]);
				char g[37];

				if (k < 0) {
					continue;
				}
				code_guid(&cb->codes[k], &stored, g);
				indent(&sb, 3);
				sb_adds(&sb, "<MemberCode");
				refi_put_attr(&sb, "guid", g);
				sb_adds(&sb, "/>");
			}
			indent(&sb, 2);
			sb_adds(&sb, "</Set>");
		}
		indent(&sb, 1);
		sb_adds(&sb, "</Sets>");
	}
	sb_adds(&sb, "\n</CodeBook>\n");
	fwrite(sb.buf, 1, sb.len, out);
	sb_release(&sb);
	refi_guids_release(&stored);
}

void refi_sets_read_db(struct project *p, struct refi_sets *sets)
{
	sqlite3_stmt *st = db_prepare(p, "SELECT id, guid, name, description "
					 "FROM code_sets ORDER BY id");
	sqlite3_stmt *mem = db_prepare(
		p, "SELECT c.path FROM code_set_members m JOIN codes c ON c.id "
		   "= m.code_id WHERE m.set_id = ? ORDER BY c.ord, c.id");

	while (db_step(p, st)) {
		struct refi_set *s = sets_add(sets);
		const char *g = (const char *)sqlite3_column_text(st, 1);
		const char *desc = (const char *)sqlite3_column_text(st, 3);

		s->name = xstrdup(db_col_text(st, 2));
		if (!g || refi_guid_norm(g, s->guid) != 0) {
			refi_guid_derive("set", s->name, strlen(s->name),
					 s->guid);
		}
		s->description = desc ? xstrdup(desc) : NULL;
		sqlite3_bind_int64(mem, 1, sqlite3_column_int64(st, 0));
		while (db_step(p, mem)) {
			add_member(s, db_col_text(mem, 0));
		}
		sqlite3_reset(mem);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(mem);
}

size_t refi_sets_apply(struct project *p, const struct refi_sets *sets,
		       FILE *report)
{
	size_t changed = 0;

	for (size_t i = 0; i < sets->n; i++) {
		const struct refi_set *s = &sets->v[i];
		struct strbuf was = STRBUF_INIT, now = STRBUF_INIT;
		sqlite3_stmt *st;
		long long id;
		char *sql;
		int added = 0;

		id = db_int(p, 0, "SELECT id FROM code_sets WHERE guid = %Q",
			    s->guid);
		if (!id) {
			id = db_int(p, 0, "SELECT id FROM code_sets WHERE name "
					  "= %Q", s->name);
		}
		if (!id) {
			st =
			    db_prepare(p, "INSERT INTO code_sets(name, "
					  "description, guid) VALUES(?, ?, ?)");
			db_bind_text(p, st, 1, s->name);
			db_bind_text(p, st, 2, s->description);
			db_bind_text(p, st, 3, s->guid);
			db_run(p, st);
			sqlite3_finalize(st);
			id = sqlite3_last_insert_rowid(p->db);
			added = 1;
		}
		/* What it held, to tell whether it changed. */
		sql = sqlite3_mprintf(
		    "SELECT name || char(31) || coalesce(description, '') "
		    "|| char(31) || coalesce((SELECT group_concat(c.path, "
		    "char(31)) FROM (SELECT c.path FROM code_set_members m "
		    "JOIN codes c ON c.id = m.code_id WHERE m.set_id = %lld "
		    "ORDER BY c.path) c), '') FROM code_sets WHERE id = %lld",
		    id, id);
		st = db_prepare(p, sql);
		sqlite3_free(sql);
		if (db_step(p, st)) {
			sb_adds(&was, db_col_text(st, 0));
		}
		sqlite3_finalize(st);
		st =
		    db_prepare(p, "UPDATE code_sets SET name = ?1, description "
				  "= ?2, guid = coalesce(guid, ?3) WHERE id = "
				  "?4 AND (name IS NOT ?1 OR description IS "
				  "NOT ?2 OR guid IS NULL)");
		db_bind_text(p, st, 1, s->name);
		db_bind_text(p, st, 2, s->description);
		db_bind_text(p, st, 3, s->guid);
		sqlite3_bind_int64(st, 4, id);
		db_run(p, st);
		sqlite3_finalize(st);
		sql = sqlite3_mprintf("DELETE FROM code_set_members WHERE "
				      "set_id = %lld", id);
		db_exec(p, sql);
		sqlite3_free(sql);
		st = db_prepare(p, "INSERT OR IGNORE INTO code_set_members("
				   "set_id, code_id) SELECT ?, id FROM codes "
				   "WHERE path = ?");
		for (size_t m = 0; s->members[m]; m++) {
			sqlite3_bind_int64(st, 1, id);
			db_bind_text(p, st, 2, s->members[m]);
			db_run(p, st);
		}
		sqlite3_finalize(st);
		{
			char **sorted = cb_strv_dup(s->members);
			size_t n = strv_len(sorted);

			for (size_t a = 1; a < n; a++) {
				for (size_t b = a; b > 0 &&
						   strcmp(sorted[b - 1],
							  sorted[b]) > 0;
				     b--) {
					char *t = sorted[b];

					sorted[b] = sorted[b - 1];
					sorted[b - 1] = t;
				}
			}
			sb_addf(&now, "%s\x1f%s\x1f", s->name,
				s->description ? s->description : "");
			for (size_t k = 0; k < n; k++) {
				sb_addf(&now, "%s%s", k ? "\x1f" : "",
					sorted[k]);
			}
			free_strv(sorted);
		}
		if (added || strcmp(sb_str(&was), sb_str(&now)) != 0) {
			changed++;
			if (report) {
				fprintf(report,
					"%-8s group '%s' (%zu code%s)\n",
					added ? "added" : "changed", s->name,
					strv_len(s->members),
					strv_len(s->members) == 1 ? "" : "s");
			}
		}
		sb_release(&was);
		sb_release(&now);
	}
	return changed;
}
