/*
 * api_codes.c - GET /api/codes: the code tree with "k of n cases", kept
 * between requests.
 *
 * Counting reads every coding that counts (half a million on the bench
 * project: a quarter of a second), and the page asks for the tree after
 * every coding it makes.  So the server counts once (with report.c, as
 * 'qcode count' does) and then keeps the figures up to date itself: a
 * coding the page adds, removes, accepts or rejects changes the counts
 * of its code and the codes above it, by looking only at the other
 * codings of the same case.  Anything else the server writes (an undo,
 * a new code) drops the figures, and so does any change another process
 * commits (PRAGMA data_version): the next request counts again.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_cli.h"
#include "serve.h"

struct api_codes {
	struct report_opts o;
	struct report r;
	long long version; /* PRAGMA data_version when counted */
};

/* Changes other connections have committed change this number. */
static long long data_version(struct project *p)
{
	return db_int(p, 0, "PRAGMA data_version");
}

void api_codes_forget(struct api *a)
{
	if (a->codes) {
		report_release(&a->codes->r);
		report_opts_release(&a->codes->o);
		free(a->codes);
		a->codes = NULL;
	}
}

void api_codes_rows(struct api *a, const struct report *r, struct rows *x)
{
	sqlite3_stmt *st;

	rows_init(x, "id", "path", "name", "parent", "color", "codable",
		  "cases", "n", "codings", NULL);
	st = db_prepare(a->p, "SELECT codable FROM codes WHERE id = ?");
	for (size_t i = 0; i < r->ncodes; i++) {
		const struct report_code *c = &r->codes[i];
		int codable = 1;

		sqlite3_bind_int64(st, 1, c->id);
		if (db_step(a->p, st)) {
			codable = sqlite3_column_int(st, 0) != 0;
		}
		sqlite3_reset(st);
		rows_int(x, c->id);
		rows_str(x, c->path);
		rows_str(x, c->name);
		if (c->parent == REPORT_NONE) {
			rows_null(x);
		} else {
			rows_int(x, r->codes[c->parent].id);
		}
		rows_str(x, c->color);
		rows_json(x, codable ? "true" : "false", codable ? "yes" : "no");
		rows_int(x, r->stat[i].cases);
		rows_int(x, (long long)r->nunits);
		rows_int(x, r->stat[i].codings);
	}
	sqlite3_finalize(st);
}

void api_codes_cached(struct api *a, struct rows *x)
{
	struct api_codes *c = a->codes;
	long long version = data_version(a->p);

	if (c && c->version != version) {
		api_codes_forget(a);
		c = NULL;
	}
	if (!c) {
		c = xcalloc(1, sizeof(*c));
		report_opts_init(&c->o);
		report_init(&c->r, a->p, &c->o);
		report_count(&c->r);
		c->version = version;
		a->codes = c;
	}
	api_codes_rows(a, &c->r, x);
}

/* The index of code ID in R, or REPORT_NONE. */
static size_t code_index(const struct report *r, long long id)
{
	for (size_t i = 0; i < r->ncodes; i++) {
		if (r->codes[i].id == id) {
			return i;
		}
	}
	return REPORT_NONE;
}

/* Mark in HAVE the codes of the accepted codings of document DOC, but
 * coding SKIP. */
static void mark_codes(struct api *a, const struct report *r,
		       sqlite3_stmt *st, long long doc, long long skip,
		       char *have)
{
	sqlite3_bind_int64(st, 1, doc);
	sqlite3_bind_int64(st, 2, skip);
	while (db_step(a->p, st)) {
		size_t i = code_index(r, sqlite3_column_int64(st, 0));

		if (i != REPORT_NONE) {
			have[i] = 1;
		}
	}
	sqlite3_reset(st);
}

void api_codes_update(struct api *a, long long coding, long long code,
		      long long doc, int delta)
{
	struct api_codes *c = a->codes;
	struct report *r;
	sqlite3_stmt *st;
	long long version;
	size_t i;
	char *have;

	if (!c || !delta) {
		return;
	}
	r = &c->r;
	/* Should a query below fail (die(), caught by the server), the
	 * figures are left half changed: counted again next time. */
	version = c->version;
	c->version = -1;
	i = code_index(r, code);
	if (i == REPORT_NONE || doc <= 0 || doc > r->maxdoc ||
	    r->doc_unit[doc] < 0) {
		/* a code or document counted since: count again */
		api_codes_forget(a);
		return;
	}
	/* Which codes the case's other counted codings have. */
	have = xcalloc(r->ncodes, 1);
	st = db_prepare(a->p, "SELECT code_id FROM codings WHERE doc_id = ? "
			      "AND status = 'accepted' AND id <> ?");
	if (r->doc_case[doc] > 0) {
		sqlite3_stmt *ds = db_prepare(a->p, "SELECT id FROM documents "
						    "WHERE case_id = ?");

		sqlite3_bind_int64(ds, 1, r->doc_case[doc]);
		while (db_step(a->p, ds)) {
			long long d = sqlite3_column_int64(ds, 0);

			if (d > 0 && d <= r->maxdoc && r->doc_unit[d] >= 0) {
				mark_codes(a, r, st, d, coding, have);
			}
		}
		sqlite3_finalize(ds);
	} else {
		mark_codes(a, r, st, doc, coding, have);
	}
	sqlite3_finalize(st);
	/* The code and each code above it: one coding more or less, and
	 * one case more or less when no other coding of its subtree is in
	 * the case. */
	for (size_t k = i; k != REPORT_NONE; k = r->codes[k].parent) {
		int other = 0;

		for (size_t j = k; j < r->codes[k].end && !other; j++) {
			other = have[j];
		}
		r->stat[k].codings += delta;
		if (!other) {
			r->stat[k].cases += delta;
		}
	}
	free(have);
	c->version = version;
}
