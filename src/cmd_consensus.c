/*
 * cmd_consensus.c - qcode consensus --coders A,B --into NAME: the agreed
 * version of two coders' work as a third coder, to finish with 'qcode
 * review'.
 *
 * Per document, segment and code, the two coders' codings are grouped
 * into clusters of overlapping spans (a sweep by start).  A cluster
 * both coders have a coding in is an agreement: NAME gets one accepted
 * coding over the cluster's whole span.  A cluster of one coder only is
 * a disagreement: NAME gets it as a suggested coding, to accept or
 * reject in 'qcode review'.  A coding NAME already has (same document,
 * span and code) is not made again, so a second run adds nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "coding.h"
#include "commands.h"
#include "lookup.h"
#include "util.h"

static const char usage[] =
	"usage: qcode consensus --coders A,B --into NAME [--code C]...\n"
	"\n"
	"Make the agreed version of two coders' work as the coder NAME.\n"
	"Per document, segment and code, the two coders' accepted codings\n"
	"that overlap form a cluster.  A cluster holding codings of both\n"
	"coders is an agreement: NAME gets one accepted coding over the\n"
	"cluster's span (from its first start to its last end).  A cluster\n"
	"of one coder only is a disagreement: NAME gets a suggested coding\n"
	"over it, to accept or reject with 'qcode review'.  Codings NAME\n"
	"already has (same document, span and code) are not made again.\n"
	"Then 'qcode count --coder NAME' counts the agreed version.\n"
	"\n"
	"  --coders A,B        the two coders\n"
	"  --into NAME         the consensus coder (created when new)\n"
	"  --code C            only code C and its sub-codes (repeatable)\n"
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum { O_CODERS = OPT_BASE, O_INTO, O_CODE };

struct ccoding {
	long long doc, code, seg, start, end;
	int who; /* 0 or 1 */
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

/* Make NAME's coding over [START, END) unless NAME has it; returns 1
 * when made. */
static int make(struct project *p, long long into,
		const struct ccoding *c, long long start, long long end,
		const char *status)
{
	sqlite3_stmt *st = db_cached(
		p, "SELECT 1 FROM codings WHERE doc_id = ? AND code_id = ? "
		   "AND coder_id = ? AND start = ? AND end = ?");
	struct coding k;

	sqlite3_bind_int64(st, 1, c->doc);
	sqlite3_bind_int64(st, 2, c->code);
	sqlite3_bind_int64(st, 3, into);
	sqlite3_bind_int64(st, 4, start);
	sqlite3_bind_int64(st, 5, end);
	if (db_step(p, st)) {
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	memset(&k, 0, sizeof(k));
	k.doc_id = c->doc;
	k.code_id = c->code;
	k.coder_id = into;
	k.segment_id = c->seg;
	k.start = start;
	k.end = end;
	k.origin = "manual";
	k.status = status;
	coding_insert(p, &k);
	return 1;
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
		{ NULL, 0, NULL, 0 },
	};
	const char *coders = NULL, *into = NULL;
	char **names, **codes = NULL, *filter, *sql;
	size_t ncodes = 0, n = 0, cap = 0, agreed = 0, suggested = 0;
	long long ids[2], into_id;
	struct ccoding *cs = NULL;
	struct project *p;
	sqlite3_stmt *st;
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
	sql = xasprintf("SELECT c.doc_id, c.code_id, coalesce(c.segment_id, "
			"0), c.start, c.end, c.coder_id FROM codings c WHERE "
			"c.coder_id IN (%lld, %lld) AND c.status = "
			"'accepted'%s%s ORDER BY c.doc_id, c.code_id, "
			"coalesce(c.segment_id, 0), c.start, c.end, c.id",
			ids[0], ids[1], filter ? " AND " : "",
			filter ? filter : "");
	st = db_prepare(p, sql);
	free(sql);
	free(filter);
	while (db_step(p, st)) {
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			cs = xrealloc(cs, cap * sizeof(*cs));
		}
		cs[n++] = (struct ccoding){
			sqlite3_column_int64(st, 0),
			sqlite3_column_int64(st, 1),
			sqlite3_column_int64(st, 2),
			sqlite3_column_int64(st, 3),
			sqlite3_column_int64(st, 4),
			sqlite3_column_int64(st, 5) == ids[1] };
	}
	sqlite3_finalize(st);
	into_id = coder_get(p, into);
	/* clusters of overlapping spans within (document, code, segment) */
	for (size_t i = 0; i < n;) {
		const struct ccoding *first = &cs[i];
		long long start = first->start, end = first->end;
		int who = 1 << first->who;
		struct ccoding k = *first;

		for (i++; i < n && cs[i].doc == first->doc &&
			  cs[i].code == first->code &&
			  cs[i].seg == first->seg && cs[i].start < end;
		     i++) {
			end = cs[i].end > end ? cs[i].end : end;
			who |= 1 << cs[i].who;
		}
		k.seg = first->seg;
		if (who == 3) {
			agreed += (size_t)make(p, into_id, &k, start, end,
					       "accepted");
		} else {
			suggested += (size_t)make(p, into_id, &k, start, end,
						  "suggested");
		}
	}
	printf("consensus of '%s' and '%s' as '%s': %zu agreed coding%s "
	       "(accepted), %zu disagreement%s (suggested: decide with "
	       "'qcode review')\n", names[0], names[1], into, agreed,
	       agreed == 1 ? "" : "s", suggested, suggested == 1 ? "" : "s");
	free(cs);
	free(codes);
	free_strv(names);
	return QC_OK;
}
