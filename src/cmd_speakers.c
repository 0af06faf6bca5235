/*
 * cmd_speakers.c - qcode speakers [alias|unalias]: the speakers of the
 * project's turns, with their spellings and turn counts per document;
 * aliases that merge spellings (speaker.h).
 */
#include <stdlib.h>
#include <string.h>

#include "codebook.h"
#include "commands.h"
#include "lookup.h"
#include "speaker.h"
#include "util.h"

#define SYNOPSIS                                                        \
	"usage: qcode speakers [--document DOC] [--format table|csv|json]\n" \
	"       qcode speakers alias FROM TO\n"                           \
	"       qcode speakers unalias FROM\n"

static const char usage[] =
	SYNOPSIS
	"\n"
	"List the speakers of the project's turns: one row per speaker and\n"
	"document with the speaker's name, the spellings the document writes\n"
	"it in, the document and the number of turns.  Spellings that differ\n"
	"only in case or spaces (Interviewer1, Interviewer 1, interviewer1)\n"
	"are one speaker; the name shown is its alias's name, else its most\n"
	"frequent spelling (the first imported of equally frequent ones).\n"
	"\n"
	"alias: from now on every command shows and filters speaker FROM (any\n"
	"spelling of it) as TO: show, quotes ({speaker}), review, the\n"
	"speakers: lists of a codebook in autocode, and this listing.  The\n"
	"documents keep their text; 'qcode undo' takes the alias back.\n"
	"unalias: remove the alias of FROM.\n"
	"\n"
	"  --document DOC      only the turns of document DOC (id or name)\n"
	CLI_LIST_USAGE
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum { O_DOCUMENT = OPT_BASE };

/* One speaker of one document: its name, turns and spellings. */
struct srow {
	char *name;
	char *doc;
	long long turns;
	char **spellings; /* NULL-terminated */
	size_t nspell;
};

static void srow_release(struct srow *s)
{
	free(s->name);
	free(s->doc);
	free_strv(s->spellings);
	memset(s, 0, sizeof(*s));
}

/* Append S as a row of R. */
static void srow_emit(struct rows *r, const struct srow *s)
{
	struct strbuf plain = STRBUF_INIT;
	char *json = cb_strv_json(s->spellings);

	for (size_t i = 0; i < s->nspell; i++) {
		sb_addf(&plain, "%s%s", i ? ", " : "", s->spellings[i]);
	}
	rows_str(r, s->name);
	rows_json(r, json, sb_str(&plain));
	rows_str(r, s->doc);
	rows_int(r, s->turns);
	free(json);
	sb_release(&plain);
}

/* The spellings of each speaker (by key) in each document, with the
 * speaker's name: its alias's, else the spelling with most turns in the
 * project (ties: the first imported). */
static const char list_sql[] =
	"WITH t AS (SELECT doc_id, speaker AS spelling, "
	SPEAKER_NAME_SQL("segments.speaker") " AS name, EXISTS(SELECT 1 "
	"FROM speaker_aliases a WHERE a.alias = "
	"speaker_key(segments.speaker)) AS aliased, "
	"count(*) AS turns, min(id) AS first FROM segments WHERE speaker "
	"IS NOT NULL "
	"GROUP BY doc_id, speaker), "
	"k AS (SELECT *, speaker_key(name) AS key FROM t), "
	"tot AS (SELECT key, name, max(aliased) AS aliased, sum(turns) AS n, "
	"min(first) AS first FROM k GROUP BY key, name), "
	"canon AS (SELECT key, name FROM (SELECT key, name, row_number() "
	"OVER (PARTITION BY key ORDER BY aliased DESC, n DESC, first) AS rn "
	"FROM tot) WHERE rn = 1) "
	"SELECT c.name, k.spelling, d.name, k.turns, k.key, k.doc_id "
	"FROM k JOIN canon c ON c.key = k.key JOIN documents d ON "
	"d.id = k.doc_id WHERE ?1 IS NULL OR k.doc_id = ?1 "
	"ORDER BY c.name, d.id, k.spelling";

/* qcode speakers [--document DOC] */
static int speakers_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "document", required_argument, NULL, O_DOCUMENT },
		{ NULL, 0, NULL, 0 },
	};
	const char *doc = NULL;
	struct project *p;
	sqlite3_stmt *st;
	struct srow cur;
	long long cur_doc = 0;
	char *cur_key = NULL;
	struct rows r;
	int c;

	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		if (c != O_DOCUMENT) {
			cli_usage_error(ctx, "unexpected option");
		}
		doc = optarg;
	}
	if (optind < argc) {
		cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	}
	p = ctx->proj;
	st = db_prepare(p, list_sql);
	if (doc) {
		sqlite3_bind_int64(st, 1, lookup_document(p, doc));
	}
	rows_init(&r, "speaker", "spellings", "document", "turns", NULL);
	memset(&cur, 0, sizeof(cur));
	while (db_step(p, st)) {
		const char *key = db_col_text(st, 4);
		long long d = sqlite3_column_int64(st, 5);

		if (!cur_key || strcmp(cur_key, key) != 0 || cur_doc != d) {
			if (cur_key) {
				srow_emit(&r, &cur);
				srow_release(&cur);
				free(cur_key);
			}
			cur_key = xstrdup(key);
			cur_doc = d;
			cur.name = xstrdup(db_col_text(st, 0));
			cur.doc = xstrdup(db_col_text(st, 2));
		}
		cur.spellings = xrealloc(cur.spellings, (cur.nspell + 2) *
							  sizeof(char *));
		cur.spellings[cur.nspell++] = xstrdup(db_col_text(st, 1));
		cur.spellings[cur.nspell] = NULL;
		cur.turns += sqlite3_column_int64(st, 3);
	}
	if (cur_key) {
		srow_emit(&r, &cur);
		srow_release(&cur);
		free(cur_key);
	}
	sqlite3_finalize(st);
	rows_write(&r, ctx->format, stdout, 0);
	rows_release(&r);
	return QC_OK;
}

/* The speaker name operand S, trimmed; a usage error when it is empty
 * or has no key (only spaces or marks).  Caller frees. */
static char *name_operand(struct cmd_ctx *ctx, const char *s)
{
	char *buf = xstrdup(s);
	char *name = xstrdup(trim(buf));
	char *key = speaker_key(name);
	int empty = !*key;

	free(key);
	free(buf);
	if (empty) {
		free(name);
		cli_usage_error(ctx, "a speaker's name cannot be empty");
	}
	return name;
}

/* Parse the common options and exactly N operands of a subcommand;
 * returns the index of the first. */
static int operands(struct cmd_ctx *ctx, int argc, char **argv, int n,
		    const char *what)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};

	if (cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts) != -1) {
		cli_usage_error(ctx, "unexpected option");
	}
	if (argc - optind != n) {
		cli_usage_error(ctx, "%s", what);
	}
	return optind;
}

/* Remove the alias of NAME (any spelling); returns 1 when there was
 * one. */
static int delete_alias(struct project *p, const char *name)
{
	sqlite3_stmt *st = db_prepare(p, "DELETE FROM speaker_aliases WHERE "
					 "alias = speaker_key(?)");

	db_bind_text(p, st, 1, name);
	db_run(p, st);
	sqlite3_finalize(st);
	return sqlite3_changes(p->db) > 0;
}

/* qcode speakers alias FROM TO */
static int speakers_alias(struct cmd_ctx *ctx, int argc, char **argv)
{
	int i = operands(ctx, argc, argv, 2,
			 "name a speaker and the name to show for it: "
			 "alias FROM TO");
	char *from = name_operand(ctx, argv[i]);
	char *to = name_operand(ctx, argv[i + 1]);
	struct project *p = ctx->proj;
	char *kfrom = speaker_key(from);
	char *target = speaker_resolve(p, to);
	char *ktarget = speaker_key(target);
	sqlite3_stmt *st;
	long long turns, docs, all, alldocs;

	if (strcmp(ktarget, kfrom) == 0 && !speaker_same(to, from)) {
		/* TO was an alias of FROM: the direction turns round. */
		delete_alias(p, to);
		free(target);
		free(ktarget);
		target = xstrdup(to);
		ktarget = speaker_key(target);
	}
	/* No chains: the aliases that named FROM name TARGET now, and
	 * every alias names TARGET's speaker in this spelling. */
	st = db_prepare(p, "UPDATE speaker_aliases SET speaker = ?1 WHERE "
			   "speaker_key(speaker) IN (?2, ?3) AND speaker IS "
			   "NOT ?1");
	db_bind_text(p, st, 1, target);
	db_bind_text(p, st, 2, kfrom);
	db_bind_text(p, st, 3, ktarget);
	db_run(p, st);
	sqlite3_finalize(st);
	st = db_prepare(p, "INSERT INTO speaker_aliases(alias, speaker) "
			   "VALUES(?1, ?2) ON CONFLICT(alias) DO UPDATE SET "
			   "speaker = excluded.speaker WHERE speaker IS NOT "
			   "excluded.speaker");
	db_bind_text(p, st, 1, kfrom);
	db_bind_text(p, st, 2, target);
	db_run(p, st);
	sqlite3_finalize(st);
	/* FROM's turns, and every turn shown as TARGET now: its own and
	 * those of all its aliases (FROM, and spellings repointed above). */
	st = db_prepare(p, "SELECT count(CASE WHEN k = ?1 THEN 1 END), "
			   "count(DISTINCT CASE WHEN k = ?1 THEN doc_id END), "
			   "count(*), count(DISTINCT doc_id) FROM (SELECT "
			   "doc_id, speaker_key(speaker) AS k FROM segments) "
			   "WHERE k = ?2 OR k IN (SELECT alias FROM "
			   "speaker_aliases WHERE speaker_key(speaker) = ?2)");
	db_bind_text(p, st, 1, kfrom);
	db_bind_text(p, st, 2, ktarget);
	db_step(p, st);
	turns = sqlite3_column_int64(st, 0);
	docs = sqlite3_column_int64(st, 1);
	all = sqlite3_column_int64(st, 2);
	alldocs = sqlite3_column_int64(st, 3);
	sqlite3_finalize(st);
	printf("speaker '%s' is shown as '%s': %lld turn%s in %lld "
	       "document%s", from, target, turns, turns == 1 ? "" : "s",
	       docs, docs == 1 ? "" : "s");
	if (all != turns) {
		printf("; %lld turn%s in %lld document%s shown as '%s' in all",
		       all, all == 1 ? "" : "s", alldocs,
		       alldocs == 1 ? "" : "s", target);
	}
	putchar('\n');
	if (!turns) {
		notice("no turn of the project is spoken by '%s' (yet)", from);
	}
	free(from);
	free(to);
	free(kfrom);
	free(target);
	free(ktarget);
	return QC_OK;
}

/* qcode speakers unalias FROM */
static int speakers_unalias(struct cmd_ctx *ctx, int argc, char **argv)
{
	int i = operands(ctx, argc, argv, 1,
			 "name the speaker whose alias to remove: unalias "
			 "FROM");
	char *from = name_operand(ctx, argv[i]);
	struct project *p = ctx->proj;

	if (!delete_alias(p, from)) {
		char *msg = xasprintf("'%s' has no alias; 'qcode speakers' "
				      "lists the speakers and their "
				      "spellings", from);

		free(from);
		die(QC_NOTFOUND, "%s", msg);
	}
	printf("speaker '%s' is shown as written again\n", from);
	free(from);
	return QC_OK;
}

int cmd_speakers(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	ctx->usage = usage;
	cli_help(argc, argv, usage);
	if (sub && strcmp(sub, "alias") == 0) {
		return speakers_alias(ctx, argc - 1, argv + 1);
	}
	if (sub && strcmp(sub, "unalias") == 0) {
		return speakers_unalias(ctx, argc - 1, argv + 1);
	}
	/* the listing takes no operand: a first word is a subcommand */
	if (sub && sub[0] != '-') {
		cli_subcommand_error(ctx, sub);
	}
	return speakers_list(ctx, argc, argv);
}
