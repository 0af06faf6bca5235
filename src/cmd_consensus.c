/*
 * cmd_consensus.c - qcode consensus --coders A,B --into NAME: the agreed
 * version of two coders' work as a third coder, to finish with 'qcode
 * review'.
 *
 * Per document and code, the two coders' segments (their codings, those
 * sharing a character joined) are paired one to one as 'qcode agree
 * --unit span --overlap P' pairs them (span_pair.h; P = 0 by default:
 * any shared character), whatever segment of the document a coding
 * starts in.  A pair is an agreement: NAME gets one accepted coding over
 * the pair's whole span.  An unpaired segment is a disagreement: NAME
 * gets it as a suggested coding, to accept or reject in 'qcode review'.
 * NAME's codings from an earlier run are matched first (settle()): kept,
 * brought up to date, or left as decided, never doubled.
 */
#include <stdlib.h>
#include <string.h>

#include "coding.h"
#include "commands.h"
#include "lookup.h"
#include "span_pair.h"
#include "util.h"

static const char usage[] =
	"usage: qcode consensus --coders A,B --into NAME [--code C]...\n"
	"                       [--overlap P]\n"
	"\n"
	"Make the agreed version of two coders' work as the coder NAME.\n"
	"Per document and code, each coder's accepted codings (those that\n"
	"share a character joined into one segment) are paired with the\n"
	"other coder's as 'qcode agree --unit span --overlap P' pairs them:\n"
	"one to one, largest overlap first, when they share at least P\n"
	"percent of the longer of the two (default 0: any shared character),\n"
	"in whatever segment each starts.  A pair is an agreement: NAME gets\n"
	"one accepted coding over the pair's span (from its first start to\n"
	"its last end).  A segment left unpaired is a disagreement: NAME\n"
	"gets a suggested coding over it, to accept or reject with 'qcode\n"
	"review'.  Then 'qcode count --coder NAME' counts the agreed version.\n"
	"\n"
	"Run again (after the coders changed their work), NAME's earlier\n"
	"codings of the code are matched first.  One of exactly a new span\n"
	"is kept (a suggested one turns accepted when the span is now an\n"
	"agreement).  The others are grouped with the other new spans by\n"
	"overlap: a new span alone is made; one earlier coding with one new\n"
	"span moves to it (an agreement: accepted; a disagreement: only while\n"
	"still suggested); anything else (a rejected coding, an accepted one\n"
	"the coders now disagree on, more than one of either) is left as it\n"
	"is, for the meeting to settle.\n"
	"\n"
	"  --coders A,B        the two coders\n"
	"  --into NAME         the consensus coder (created when new)\n"
	"  --code C            only code C and its sub-codes (repeatable)\n"
	"  --overlap P         the share (0 to 100 percent of the longer)\n"
	"                      two segments must share to pair (default 0)\n"
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum { O_CODERS = OPT_BASE, O_INTO, O_CODE, O_OVERLAP };

/* A coding of the two coders (who: 0 or 1), or of the consensus coder
 * (who: its status, S_*), with its id. */
struct ccoding {
	long long id, doc, code, start, end, seg;
	int who;
	int claimed; /* the consensus coder's: matched to an item */
};

enum { S_SUGGESTED, S_ACCEPTED, S_REJECTED };

/* What the two coders' segments of a code in a document come to: an
 * agreed span (a pair) or a disagreement (one coder's segment). */
struct item {
	long long b, e;
	long long seg; /* the segment of the coding starting first (0: look
			* it up) */
	int agreed;
};

struct tally {
	size_t agreed, suggested, unchanged, updated, left;
};

/* A coder's id by name; dies when absent. */
static long long coder_id(struct project *p, const char *name)
{
	sqlite3_stmt *st = db_prepare(p, "SELECT id FROM coders WHERE "
					 "name = ?");
	long long id;

	db_bind_text(p, st, 1, name);
	id = db_step(p, st) ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (!id) {
		die(QC_NOTFOUND, "no coder '%s' in the project; 'qcode "
		    "codings' lists who coded what", name);
	}
	return id;
}

/* The codings SQL selects (id, doc, code, start, end, coder or
 * status, segment), sorted by document, code and span. */
static struct ccoding *load(struct project *p, const char *sql,
			    long long coder_b, int statuses, size_t *np)
{
	sqlite3_stmt *st = db_prepare(p, sql);
	struct ccoding *v = NULL;
	size_t n = 0, cap = 0;

	while (db_step(p, st)) {
		const char *w = (const char *)sqlite3_column_text(st, 5);
		int who;

		if (statuses) {
			who = strcmp(w, "accepted") == 0   ? S_ACCEPTED
			      : strcmp(w, "rejected") == 0 ? S_REJECTED
							   : S_SUGGESTED;
		} else {
			who = sqlite3_column_int64(st, 5) == coder_b;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = (struct ccoding){ sqlite3_column_int64(st, 0),
					   sqlite3_column_int64(st, 1),
					   sqlite3_column_int64(st, 2),
					   sqlite3_column_int64(st, 3),
					   sqlite3_column_int64(st, 4),
					   sqlite3_column_int64(st, 6), who, 0 };
	}
	sqlite3_finalize(st);
	*np = n;
	return v;
}

/* Make the consensus coder's coding of IT (code CODE in document DOC). */
static void make(struct project *p, long long into, long long doc,
		 long long code, const struct item *it)
{
	struct coding k;

	memset(&k, 0, sizeof(k));
	k.doc_id = doc;
	k.code_id = code;
	k.coder_id = into;
	k.segment_id = it->seg;
	k.start = it->b;
	k.end = it->e;
	k.origin = "manual";
	k.status = it->agreed ? "accepted" : "suggested";
	coding_insert(p, &k);
}

/* Set the consensus coder's coding C to IT's span and status. */
static void update(struct project *p, struct ccoding *c,
		   const struct item *it)
{
	sqlite3_stmt *st = db_cached(
		p, "UPDATE codings SET start = ?, end = ?, segment_id = ?, "
		   "status = ? WHERE id = ?");
	long long seg = it->seg ? it->seg : segment_of_span(p, c->doc, it->b);

	sqlite3_bind_int64(st, 1, it->b);
	sqlite3_bind_int64(st, 2, it->e);
	if (seg) {
		sqlite3_bind_int64(st, 3, seg);
	} else {
		sqlite3_bind_null(st, 3);
	}
	sqlite3_bind_text(st, 4, it->agreed ? "accepted" : "suggested", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, c->id);
	db_run(p, st);
}

static int item_cmp(const void *pa, const void *pb)
{
	const struct item *x = pa, *y = pb;

	if (x->b != y->b) {
		return x->b < y->b ? -1 : 1;
	}
	if (x->e != y->e) {
		return x->e < y->e ? -1 : 1;
	}
	return y->agreed - x->agreed;
}

/* The next item (not yet done) at or after *I, the next of NAME's
 * codings (not yet claimed) at or after *J; takes the one that starts
 * first, returning 1 for an item, 0 for a coding, -1 when none is
 * left. */
static int next_of(const struct item *it, size_t ni, const char *done,
		   size_t *i, const struct ccoding *c, size_t nc, size_t *j)
{
	while (*i < ni && done[*i]) {
		++*i;
	}
	while (*j < nc && c[*j].claimed) {
		++*j;
	}
	if (*i < ni && (*j >= nc || it[*i].b <= c[*j].start)) {
		return 1;
	}
	return *j < nc ? 0 : -1;
}

/*
 * Bring the consensus coder's codings C[0..NC) of a code in a document
 * (sorted by start) in line with the items IT[0..NI) (sorted by start):
 * 1. An item NAME has a coding of exactly (same span) is there: an
 *    agreement turns a suggested coding accepted (updated); an accepted
 *    coding of an agreement, a suggested one of a disagreement is
 *    unchanged; a decided one (a disagreement accepted or rejected, an
 *    agreement rejected) is left as it is.
 * 2. The other items and NAME's other codings are grouped by overlap
 *    (sharing a character, transitively).  A group without a coding of
 *    NAME's is made.  A group of one item and one coding: the coding is
 *    the item's earlier version and moves to its span (an agreement:
 *    accepted, unless rejected, which is left; a disagreement: when
 *    still suggested, else left).  Any other group is left as it is
 *    (each of its items counted): NAME's codings there are sorted out
 *    in 'qcode review' or by hand, never stacked with new ones.
 */
static void settle(struct project *p, long long into, long long doc,
		   long long code, struct item *it, size_t ni,
		   struct ccoding *c, size_t nc, struct tally *t)
{
	char *done = xcalloc(ni ? ni : 1, 1);
	size_t i = 0, j = 0;
	int w;

	/* both lists are sorted by start, then end: walked side by side */
	for (size_t x = 0, y = 0; x < ni && y < nc;) {
		if (c[y].start < it[x].b ||
		    (c[y].start == it[x].b && c[y].end < it[x].e)) {
			y++;
			continue;
		}
		if (c[y].start != it[x].b || c[y].end != it[x].e) {
			x++;
			continue;
		}
		c[y].claimed = 1;
		done[x] = 3; /* not 1: a group's own */
		if (it[x].agreed ? c[y].who == S_ACCEPTED
				 : c[y].who == S_SUGGESTED) {
			t->unchanged++;
		} else if (it[x].agreed && c[y].who == S_SUGGESTED) {
			update(p, &c[y], &it[x]);
			t->updated++;
		} else {
			t->left++;
		}
		x++;
		y++;
	}
	while ((w = next_of(it, ni, done, &i, c, nc, &j)) >= 0) {
		size_t nit = 0, nmine = 0, fi = i, fj = j;
		long long end = w ? it[i].e : c[j].end;

		/* one group: everything starting before its end so far */
		do {
			if (w) {
				end = it[i].e > end ? it[i].e : end;
				done[i] = 1;
				if (!nit++) {
					fi = i;
				}
			} else {
				end = c[j].end > end ? c[j].end : end;
				c[j].claimed = 1;
				if (!nmine++) {
					fj = j;
				}
			}
			w = next_of(it, ni, done, &i, c, nc, &j);
		} while (w >= 0 && (w ? it[i].b : c[j].start) < end);
		if (!nit) {
			continue; /* NAME's codings where the coders have none */
		}
		if (!nmine) {
			for (size_t x = fi; x < ni && it[x].b < end; x++) {
				if (done[x] != 1) {
					continue;
				}
				done[x] = 2;
				make(p, into, doc, code, &it[x]);
				*(it[x].agreed ? &t->agreed : &t->suggested) += 1;
			}
		} else if (nit == 1 && nmine == 1 &&
			   (it[fi].agreed ? c[fj].who != S_REJECTED
					  : c[fj].who == S_SUGGESTED)) {
			update(p, &c[fj], &it[fi]);
			t->updated++;
		} else {
			t->left += nit;
		}
	}
	free(done);
}

/* The SQL condition for the --code subtrees (NULL: every code). */
static char *code_filter(struct project *p, char **codes, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	if (!n) {
		return NULL;
	}
	sb_adds(&sb, "c.code_id IN (WITH RECURSIVE sub(id) AS (SELECT id "
		     "FROM codes WHERE id IN (");
	for (size_t i = 0; i < n; i++) {
		sb_addf(&sb, "%s%lld", i ? "," : "",
			lookup_code(p, codes[i], 0));
	}
	sb_adds(&sb, ") UNION SELECT k.id FROM codes k JOIN sub ON "
		     "k.parent_id = sub.id) SELECT id FROM sub)");
	return sb_detach(&sb, NULL);
}

int cmd_consensus(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "coders", required_argument, NULL, O_CODERS },
		{ "into", required_argument, NULL, O_INTO },
		{ "code", required_argument, NULL, O_CODE },
		{ "overlap", required_argument, NULL, O_OVERLAP },
		{ NULL, 0, NULL, 0 },
	};
	const char *coders = NULL, *into = NULL;
	char **names, **codes = NULL, *filter, *sql;
	size_t ncodes = 0, n = 0, nmine = 0, ni = 0, icap = 0, j = 0;
	long long ids[2], into_id;
	double overlap = 0;
	struct ccoding *cs, *mine;
	struct span_list l[2] = { { NULL, 0, 0 }, { NULL, 0, 0 } };
	struct span_pairing sp = { NULL, 0 };
	struct item *items = NULL;
	struct tally t = { 0, 0, 0, 0, 0 };
	struct project *p;
	int c;

	ctx->usage = usage;
	cli_help(argc, argv, usage);
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		switch (c) {
		case O_CODERS:
			coders = optarg;
			break;
		case O_INTO:
			into = optarg;
			break;
		case O_CODE:
			codes = xrealloc(codes, (ncodes + 1) * sizeof(char *));
			codes[ncodes++] = optarg;
			break;
		case O_OVERLAP: {
			char *end;

			overlap = strtod(optarg, &end);
			if (end == optarg || *end ||
			    !(overlap >= 0 && overlap <= 100)) {
				free(codes);
				cli_usage_error(ctx, "--overlap takes a "
						"percentage from 0 to 100, "
						"not '%s'", optarg);
			}
			break;
		}
		default:
			free(codes);
			cli_usage_error(ctx, "unexpected option");
		}
	}
	if (optind < argc || !coders || !into || !*into) {
		free(codes);
		cli_usage_error(ctx, optind < argc ? "unexpected argument"
				: "name the two coders (--coders A,B) and the "
				  "consensus coder (--into NAME)");
	}
	names = split_list(coders, ',');
	if (strv_len(names) != 2 || strcmp(names[0], names[1]) == 0 ||
	    strcmp(names[0], into) == 0 || strcmp(names[1], into) == 0) {
		free_strv(names);
		free(codes);
		cli_usage_error(ctx, "--coders needs two different coders, "
				"neither of them the --into coder");
	}
	p = ctx->proj;
	ids[0] = coder_id(p, names[0]);
	ids[1] = coder_id(p, names[1]);
	filter = code_filter(p, codes, ncodes);
	into_id = coder_get(p, into);
	sql = xasprintf("SELECT c.id, c.doc_id, c.code_id, c.start, c.end, "
			"c.coder_id, coalesce(c.segment_id, 0) FROM codings c "
			"WHERE c.coder_id IN (%lld, "
			"%lld) AND c.status = 'accepted'%s%s ORDER BY "
			"c.doc_id, c.code_id, c.start, c.end, c.id",
			ids[0], ids[1], filter ? " AND " : "",
			filter ? filter : "");
	cs = load(p, sql, ids[1], 0, &n);
	free(sql);
	/* the consensus coder's codings, whatever their status: what
	 * earlier runs made and review decided */
	sql = xasprintf("SELECT c.id, c.doc_id, c.code_id, c.start, c.end, "
			"c.status, c.segment_id FROM codings c WHERE "
			"c.coder_id = %lld%s%s "
			"ORDER BY c.doc_id, c.code_id, c.start, c.end, c.id",
			into_id, filter ? " AND " : "", filter ? filter : "");
	mine = load(p, sql, 0, 1, &nmine);
	free(sql);
	free(filter);
	/* per document and code: the two coders' segments paired as
	 * 'agree --unit span --overlap P' pairs them */
	for (size_t i = 0; i < n;) {
		long long doc = cs[i].doc, code = cs[i].code;
		size_t k;

		l[0].n = l[1].n = 0;
		for (; i < n && cs[i].doc == doc && cs[i].code == code; i++) {
			span_list_add(&l[cs[i].who], cs[i].start, cs[i].end,
				      cs[i].seg);
		}
		span_pair(&sp, &l[0], &l[1], overlap);
		if (l[0].n + l[1].n > icap) {
			icap = 2 * (l[0].n + l[1].n);
			items = xrealloc(items, icap * sizeof(*items));
		}
		ni = 0;
		for (size_t a = 0; a < l[0].n; a++) {
			const struct span_seg *x = &l[0].v[a];

			if (x->mate >= 0) {
				const struct span_seg *y = &l[1].v[x->mate];

				items[ni++] = (struct item){
					x->b <= y->b ? x->b : y->b,
					x->e > y->e ? x->e : y->e,
					x->b <= y->b ? x->tag : y->tag, 1 };
			} else {
				items[ni++] = (struct item){ x->b, x->e,
							     x->tag, 0 };
			}
		}
		for (size_t b = 0; b < l[1].n; b++) {
			if (l[1].v[b].mate < 0) {
				items[ni++] = (struct item){
					l[1].v[b].b, l[1].v[b].e,
					l[1].v[b].tag, 0 };
			}
		}
		if (ni) {
			qsort(items, ni, sizeof(*items), item_cmp);
		}
		while (j < nmine && (mine[j].doc < doc ||
				     (mine[j].doc == doc && mine[j].code < code))) {
			j++;
		}
		for (k = j; k < nmine && mine[k].doc == doc &&
			    mine[k].code == code;
		     k++) {
		}
		settle(p, into_id, doc, code, items, ni, mine + j, k - j, &t);
		j = k;
	}
	printf("consensus of '%s' and '%s' as '%s': %zu agreed coding%s "
	       "(accepted), %zu disagreement%s (suggested: decide with "
	       "'qcode review')\n", names[0], names[1], into, t.agreed,
	       t.agreed == 1 ? "" : "s", t.suggested,
	       t.suggested == 1 ? "" : "s");
	if (t.unchanged + t.updated + t.left) {
		printf("earlier codings of '%s': %zu unchanged, %zu "
		       "updated, %zu left as they are\n", into,
		       t.unchanged, t.updated, t.left);
	}
	span_pairing_release(&sp);
	free(l[0].v);
	free(l[1].v);
	free(items);
	free(mine);
	free(cs);
	free(codes);
	free_strv(names);
	return QC_OK;
}
