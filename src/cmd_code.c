/*
 * cmd_code.c - qcode code add|rm|accept|reject: coding by hand, and
 * deciding on codings one by one.
 */
#include <stdlib.h>
#include <string.h>

#include "coding.h"
#include "commands.h"
#include "lookup.h"
#include "util.h"

#define SYNOPSIS                                                        \
	"usage: qcode code add DOC[#SEGMENT|@START-END] CODE [--coder NAME]\n" \
	"                      [--memo TEXT] [--create-codes]\n"          \
	"       qcode code rm ID...\n"                                    \
	"       qcode code accept ID...\n"                                \
	"       qcode code reject ID...\n"

static const char usage[] =
	SYNOPSIS
	"\n"
	"add     code a whole document (DOC, a document name or id), one of\n"
	"        its segments (DOC#N, N as 'qcode show' numbers them) or a\n"
	"        span of it (DOC@START-END, in characters from 0, the end\n"
	"        not included); prints the new coding's id.  CODE is a path\n"
	"        'Parent/Child', or a name: the top-level code of that name,\n"
	"        else the only code with it.  The coding is manual and\n"
	"        accepted.\n"
	"  --coder NAME        who coded (default $QCODE_CODER, else the login\n"
	"                      name)\n"
	"  --memo TEXT         a note on the coding\n"
	"  --create-codes      create CODE (and its parents) when the codebook\n"
	"                      has no such code; a name only a sub-code has\n"
	"                      is then ambiguous (give the path)\n"
	"rm      remove codings (ids as 'qcode codings' lists them)\n"
	"accept  set codings' status to accepted\n"
	"reject  set codings' status to rejected\n"
	"\n"
	"An unknown id changes nothing.  'qcode undo' reverts the command.\n"
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum { O_CODER = OPT_BASE, O_MEMO, O_CREATE };

/* What DOC[#N|@S-E] names. */
struct target {
	long long doc;
	long long seg;   /* segment id, or 0 */
	long long start, end;
};

/* Parse "S-E" into *S and *E; 0 on success. */
static int parse_span(const char *s, long long *start, long long *end)
{
	char *e1, *e2;

	if (*s < '0' || *s > '9') {
		return -1;
	}
	*start = strtoll(s, &e1, 10);
	if (*e1 != '-' || e1[1] < '0' || e1[1] > '9') {
		return -1;
	}
	*end = strtoll(e1 + 1, &e2, 10);
	return *e2 ? -1 : 0;
}

/* Parse "N" into *N; 0 on success. */
static int parse_index(const char *s, long long *n)
{
	char *e;

	if (*s < '0' || *s > '9') {
		return -1;
	}
	*n = strtoll(s, &e, 10);
	return *e ? -1 : 0;
}

/* Resolve ARG (DOC, DOC#N or DOC@S-E) into T; dies when it names
 * nothing in the project. */
static void resolve_target(struct project *p, const char *arg,
			   struct target *t)
{
	const char *at = strrchr(arg, '@');
	const char *hash = strrchr(arg, '#');
	const char *mark = at > hash ? at : hash;
	char *name;
	long long chars;
	int ok;

	memset(t, 0, sizeof(*t));
	t->doc = lookup_document_id(p, arg);
	if (t->doc || !mark) {
		t->doc = lookup_document(p, arg);
		t->end = db_int(p, 0, "SELECT chars FROM documents WHERE "
				      "id = %lld", t->doc);
		return;
	}
	ok = mark == at ? parse_span(mark + 1, &t->start, &t->end) == 0
			: parse_index(mark + 1, &t->start) == 0;
	name = xstrndup(arg, (size_t)(mark - arg));
	t->doc = lookup_document_id(p, name);
	if (!t->doc) {
		lookup_document(p, ok ? name : arg);
	}
	free(name);
	if (!ok) {
		die(QC_USAGE, "cannot read '%s' in '%s': write DOC#N for "
			      "segment N or DOC@START-END for a span",
		    mark, arg);
	}
	if (mark == hash) {
		long long idx = t->start;
		sqlite3_stmt *st = db_prepare(
			p, "SELECT id, start, end FROM segments WHERE "
			   "doc_id = ? AND idx = ?");

		sqlite3_bind_int64(st, 1, t->doc);
		sqlite3_bind_int64(st, 2, idx);
		if (db_step(p, st)) {
			t->seg = sqlite3_column_int64(st, 0);
			t->start = sqlite3_column_int64(st, 1);
			t->end = sqlite3_column_int64(st, 2);
		}
		sqlite3_finalize(st);
		if (!t->seg) {
			long long n = db_int(p, 0, "SELECT count(*) FROM "
						   "segments WHERE doc_id = %lld",
					     t->doc);

			if (!n) {
				die(QC_NOTFOUND, "no segment %lld in '%.*s': it "
						 "has no segments", idx,
				    (int)(mark - arg), arg);
			}
			die(QC_NOTFOUND, "no segment %lld in '%.*s' (its "
					 "segments are %lld to %lld)", idx,
			    (int)(mark - arg), arg,
			    db_int(p, 0, "SELECT min(idx) FROM segments "
					 "WHERE doc_id = %lld", t->doc),
			    db_int(p, 0, "SELECT max(idx) FROM segments "
					 "WHERE doc_id = %lld", t->doc));
		}
		return;
	}
	if (t->end <= t->start) {
		die(QC_USAGE, "the span '%s' is empty: the end must be "
			      "greater than the start", mark);
	}
	chars = db_int(p, 0, "SELECT chars FROM documents WHERE id = %lld",
		       t->doc);
	if (t->end > chars) {
		die(QC_INPUT, "the span '%s' ends past the end of '%.*s' (%lld "
			      "characters)", mark, (int)(mark - arg), arg, chars);
	}
}

static int code_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "coder", required_argument, NULL, O_CODER },
		{ "memo", required_argument, NULL, O_MEMO },
		{ "create-codes", no_argument, NULL, O_CREATE },
		{ NULL, 0, NULL, 0 },
	};
	const char *coder = NULL, *memo = NULL, *codespec;
	struct project *p;
	struct target t;
	struct coding c;
	long long code, existing;
	int create = 0, opt;

	while ((opt = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		switch (opt) {
		case O_CODER:
			coder = optarg;
			break;
		case O_MEMO:
			memo = optarg;
			break;
		case O_CREATE:
			create = 1;
			break;
		default:
			cli_usage_error(ctx, "unexpected option");
		}
	}
	if (argc - optind != 2) {
		cli_usage_error(ctx, "name a document and a code");
	}
	if (coder && !*coder) {
		cli_usage_error(ctx, "--coder needs a name");
	}
	codespec = argv[optind + 1];
	p = ctx->proj;
	resolve_target(p, argv[optind], &t);
	code = create ? lookup_code_create(p, codespec)
		      : lookup_code(p, codespec, 1);
	if (!db_int(p, 1, "SELECT codable FROM codes WHERE id = %lld", code)) {
		die(QC_INPUT, "code '%s' only groups other codes (codable: no); "
			      "code one of its sub-codes", codespec);
	}
	memset(&c, 0, sizeof(c));
	c.doc_id = t.doc;
	c.code_id = code;
	c.coder_id = coder_get(p, cli_coder(coder));
	c.segment_id = t.seg ? t.seg
			     : segment_of_span(p, t.doc, t.start);
	c.start = t.start;
	c.end = t.end;
	c.origin = "manual";
	c.status = "accepted";
	c.memo = memo;
	existing = db_int(p, 0,
			  "SELECT id FROM codings WHERE doc_id = %lld AND "
			  "code_id = %lld AND coder_id = %lld AND start = %lld "
			  "AND end = %lld ORDER BY id LIMIT 1",
			  c.doc_id, c.code_id, c.coder_id, c.start, c.end);
	if (existing) {
		notice("'%s' already has that code from coder '%s' (coding "
		       "%lld); nothing added", argv[optind], cli_coder(coder),
		       existing);
		printf("%lld\n", existing);
		return QC_OK;
	}
	printf("%lld\n", coding_insert(p, &c));
	return QC_OK;
}

/* Parse the ids ARGV[optind..ARGC) into a NULL-free array; dies on a
 * malformed one.  *N gets the count; the caller frees the array. */
static long long *parse_ids(struct cmd_ctx *ctx, int argc, char **argv,
			    size_t *n)
{
	long long *ids;

	if (optind >= argc) {
		cli_usage_error(ctx, "name at least one coding id");
	}
	ids = xcalloc((size_t)(argc - optind), sizeof(*ids));
	*n = 0;
	for (int i = optind; i < argc; i++) {
		char *end;
		const char *s = argv[i];

		if (*s < '0' || *s > '9') {
			free(ids);
			cli_usage_error(ctx, "a coding id is a number, not '%s'",
					s);
		}
		ids[*n] = strtoll(s, &end, 10);
		if (*end) {
			free(ids);
			cli_usage_error(ctx, "a coding id is a number, not '%s'",
					s);
		}
		(*n)++;
	}
	return ids;
}

/* Die with QC_NOTFOUND naming every id of IDS that is not a coding. */
static void check_ids(struct project *p, const long long *ids, size_t n)
{
	struct strbuf missing = STRBUF_INIT;
	size_t nmissing = 0;

	for (size_t i = 0; i < n; i++) {
		if (!db_int(p, 0, "SELECT 1 FROM codings WHERE id = %lld",
			    ids[i])) {
			sb_addf(&missing, "%s%lld", missing.len ? ", " : "",
				ids[i]);
			nmissing++;
		}
	}
	if (nmissing) {
		die(QC_NOTFOUND, "no coding%s %s in the project (nothing "
				 "changed); 'qcode codings' lists them",
		    nmissing == 1 ? "" : "s", sb_str(&missing));
	}
	sb_release(&missing);
}

/* rm, accept, reject. */
static int code_ids(struct cmd_ctx *ctx, int argc, char **argv,
		    const char *sub)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS,
					      { NULL, 0, NULL, 0 } };
	const char *status = strcmp(sub, "accept") == 0   ? "accepted"
			     : strcmp(sub, "reject") == 0 ? "rejected"
							  : NULL;
	struct project *p;
	sqlite3_stmt *st;
	long long *ids;
	size_t n, changed = 0, same = 0;

	if (cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts) != -1) {
		cli_usage_error(ctx, "unexpected option");
	}
	ids = parse_ids(ctx, argc, argv, &n);
	p = ctx->proj;
	check_ids(p, ids, n);
	st = db_prepare(p, status ? "UPDATE codings SET status = ? WHERE "
				    "id = ? AND status <> ?1"
				  : "DELETE FROM codings WHERE id = ?2");
	for (size_t i = 0; i < n; i++) {
		if (status) {
			db_bind_text(p, st, 1, status);
		}
		sqlite3_bind_int64(st, 2, ids[i]);
		db_run(p, st);
		if (sqlite3_changes(p->db)) {
			changed++;
		} else if (status) {
			same++;
		}
	}
	sqlite3_finalize(st);
	free(ids);
	printf("%s %zu coding%s", status ? status : "removed", changed,
	       changed == 1 ? "" : "s");
	if (same) {
		printf(" (%zu %s already %s)", same, same == 1 ? "was" : "were",
		       status);
	}
	putchar('\n');
	return QC_OK;
}

int cmd_code(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	ctx->usage = usage;
	cli_help(argc, argv, usage);
	if (strcmp(sub, "add") == 0) {
		return code_add(ctx, argc - 1, argv + 1);
	}
	if (strcmp(sub, "rm") == 0 || strcmp(sub, "accept") == 0 ||
	    strcmp(sub, "reject") == 0) {
		return code_ids(ctx, argc - 1, argv + 1, sub);
	}
	cli_subcommand_error(ctx, sub);
}
