/*
 * cmd_codebook_edit.c - qcode codebook rename|merge: reorganise the
 * codebook of a project that has codings.  A rename moves a code with its
 * sub-codes and keeps its id, so its codings, rules, memos, GUID and
 * group memberships stay; a merge gives one code's codings, sub-codes,
 * rules and memos to another and deletes it.  Each is one transaction
 * and one history entry: 'qcode undo' restores the codebook as it was
 * (the undo triggers log every row changed, project.c).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "codebook.h"
#include "coding.h"
#include "commands.h"
#include "lookup.h"
#include "refi_export.h"
#include "util.h"

static const char rename_usage[] =
	"usage: " CODEBOOK_RENAME_SYNOPSIS
	"\n"
	"Rename the code OLD to NEW, or move it (NEW a path under another\n"
	"parent, or a bare name for a top-level code), with all its sub-codes:\n"
	"their paths follow.  The code keeps its codings, rules, memos, GUID\n"
	"and code groups (a code without a GUID keeps the one 'qcode export'\n"
	"gave it, so a file of another program still names it).  NEW must\n"
	"not exist ('qcode codebook merge' joins two codes) nor lie under\n"
	"OLD; its parent must exist.\n"
	"  --create-codes      create NEW's missing parent codes\n"
	"  --dry-run           report what would change; write nothing\n"
	"  -p, --project FILE  the project\n"
	"'qcode undo' takes the rename back.  A codebook file loaded before\n"
	"still names OLD: export the codebook again ('qcode codebook export').\n";

static const char merge_usage[] =
	"usage: " CODEBOOK_MERGE_SYNOPSIS
	"\n"
	"Merge the code FROM into the code INTO, then delete FROM:\n"
	"- FROM's codings become INTO's.  A coding of FROM on the same span of\n"
	"  the same document by the same coder as one of INTO's is folded into\n"
	"  it: INTO's stays (with FROM's memo when it had none).  When the two\n"
	"  differ in status, or both have memos that differ, nothing is merged:\n"
	"  settle them first (qcode code accept|reject|rm).\n"
	"- FROM's sub-codes move under INTO (refused when INTO has a sub-code of\n"
	"  the same name).\n"
	"- FROM's rules are appended to INTO's; refused when the settings that\n"
	"  decide how rules match (language, unit, normalise, questions,\n"
	"  speakers) differ.\n"
	"- FROM's memos and code groups go to INTO; its description, colour\n"
	"  and example are dropped.\n"
	"INTO may not be FROM nor lie under it, nor only group other codes\n"
	"(codable: no) when FROM has codings or rules.\n"
	"  --dry-run           report what would change; write nothing\n"
	"  -p, --project FILE  the project\n"
	"'qcode undo' takes the merge back.\n";

enum { O_DRY = OPT_BASE, O_CREATE };

/* A code as the commands need it. */
struct code_row {
	long long id;
	char *path;
};

static void code_row_read(struct project *p, long long id,
			  struct code_row *c)
{
	c->id = id;
	c->path = db_text(p, "SELECT path FROM codes WHERE id = %lld", id);
}

static void code_row_release(struct code_row *c)
{
	free(c->path);
}

static const char *plural(long long n)
{
	return n == 1 ? "" : "s";
}

/* 1 when PATH is ROOT or lies under it. */
static int path_within(const char *path, const char *root)
{
	size_t n = strlen(root);

	return strncmp(path, root, n) == 0 &&
	       (path[n] == '\0' || path[n] == '/');
}

/* Move the codes under OLD (a path) to under NEW: their paths begin with
 * NEW instead.  NEW must not exist, nor anything under it. */
static void move_descendants(struct project *p, const char *old,
			     const char *new)
{
	sqlite3_stmt *st = db_prepare(
		p, "UPDATE codes SET path = ?2 || substr(path, length(?1) + 1) "
		   "WHERE substr(path, 1, length(?1) + 1) = ?1 || '/'");

	db_bind_text(p, st, 1, old);
	db_bind_text(p, st, 2, new);
	db_run(p, st);
	sqlite3_finalize(st);
}

/* Store on the code ROOT (a path) and the codes under it that have no
 * GUID the one export gives them now (refi_code_guids): derived from the
 * path, it would change with the path, and a program that has the code
 * from an export, or a file it wrote, would no longer be recognised as
 * having this code. */
static void keep_guids(struct project *p, const char *root)
{
	struct refi_code_guid *v;
	size_t n = refi_code_guids(p, &v);
	sqlite3_stmt *st = db_prepare(
		p, "UPDATE codes SET guid = ?1 WHERE id = ?2 AND (path = ?3 "
		   "OR substr(path, 1, length(?3) + 1) = ?3 || '/')");

	for (size_t i = 0; i < n; i++) {
		if (v[i].derived) {
			db_bind_text(p, st, 1, v[i].guid);
			sqlite3_bind_int64(st, 2, v[i].id);
			db_bind_text(p, st, 3, root);
			db_run(p, st);
		}
	}
	sqlite3_finalize(st);
	free(v);
}

/* Set the name, parent and path of code ID (PARENT 0: top level). */
static void set_code_place(struct project *p, long long id, long long parent,
			   const char *name, const char *path)
{
	sqlite3_stmt *st = db_prepare(
		p, "UPDATE codes SET parent_id = ?, name = ?, path = ? "
		   "WHERE id = ?");

	if (parent) {
		sqlite3_bind_int64(st, 1, parent);
	}
	db_bind_text(p, st, 2, name);
	db_bind_text(p, st, 3, path);
	sqlite3_bind_int64(st, 4, id);
	db_run(p, st);
	sqlite3_finalize(st);
}

int cmd_codebook_rename(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "project", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "create-codes", no_argument, NULL, O_CREATE },
		{ "dry-run", no_argument, NULL, O_DRY },
		{ NULL, 0, NULL, 0 },
	};
	struct project *p;
	struct code_row old;
	char *newpath, *why = NULL;
	const char *slash, *name;
	long long parent = 0, created, subs, codings;
	int c, dry = 0, create = 0;

	ctx->formats = FMT_TABLE;
	ctx->usage = rename_usage;
	cli_help(argc, argv, rename_usage);
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		switch (c) {
		case O_DRY:
			dry = 1;
			break;
		case O_CREATE:
			create = 1;
			break;
		default:
			cli_usage_error(ctx, "unexpected option");
		}
	}
	p = ctx->proj;
	code_row_read(p, lookup_code(p, argv[optind], 0), &old);
	newpath = tag_path(argv[optind + 1], "/");
	/* die() exits: what is allocated is reclaimed with the process. */
	if (!newpath) {
		die(QC_USAGE, "'%s' is not a code path: a level is empty",
		    argv[optind + 1]);
	}
	slash = strrchr(newpath, '/');
	name = slash ? slash + 1 : newpath;
	if (cb_check_name(name, &why) != 0) {
		die(QC_USAGE, "%s", why);
	}
	if (strcmp(newpath, old.path) == 0) {
		die(QC_USAGE, "'%s' is already the path of code '%s'",
		    newpath, old.path);
	}
	if (db_int(p, 0, "SELECT id FROM codes WHERE path = %Q", newpath)) {
		die(QC_INPUT, "code '%s' exists already; 'qcode codebook "
			      "merge %s %s' merges the two", newpath, old.path,
		    newpath);
	}
	if (path_within(newpath, old.path)) {
		die(QC_INPUT, "cannot move code '%s' under itself ('%s')",
		    old.path, newpath);
	}
	created = db_int(p, 0, "SELECT count(*) FROM codes");
	if (slash) {
		char *ppath = xstrndup(newpath, (size_t)(slash - newpath));

		parent = db_int(p, 0, "SELECT id FROM codes WHERE path = %Q",
				ppath);
		if (!parent && !create) {
			die(QC_NOTFOUND, "no code '%s' (the parent of '%s') in "
					 "the codebook; pass --create-codes "
					 "to create it", ppath, newpath);
		}
		if (!parent) {
			parent = code_get_or_create(p, ppath);
		}
		free(ppath);
	}
	created = db_int(p, 0, "SELECT count(*) FROM codes") - created;
	subs = db_int(p, 0,
		      "SELECT count(*) FROM codes WHERE substr(path, 1, "
		      "length(%Q) + 1) = %Q || '/'",
		      old.path, old.path);
	codings = db_int(p, 0,
			 "SELECT count(*) FROM codings WHERE code_id IN "
			 "(SELECT id FROM codes WHERE path = %Q OR substr(path, "
			 "1, length(%Q) + 1) = %Q || '/')",
			 old.path, old.path, old.path);
	keep_guids(p, old.path);
	move_descendants(p, old.path, newpath);
	set_code_place(p, old.id, parent, name, newpath);
	printf("%s%s '%s' to '%s': %lld sub-code%s, %lld coding%s",
	       dry ? "dry run, nothing written: " : "",
	       dry ? "would rename" : "renamed", old.path, newpath, subs,
	       plural(subs), codings, plural(codings));
	if (created) {
		printf("; %s %lld parent code%s", dry ? "would create"
						      : "created",
		       created, plural(created));
	}
	printf("\n");
	if (dry) {
		project_rollback(p);
	}
	free(newpath);
	code_row_release(&old);
	return QC_OK;
}

/* The settings of a code that decide how its rules match, as text. */
static char *rule_settings(struct project *p, long long id)
{
	return db_text(p,
		       "SELECT 'language ' || coalesce(language, '(none)') || "
		       "', unit ' || coalesce(unit, 'segment') || "
		       "', normalise ' || CASE normalise WHEN 0 THEN 'no' "
		       "ELSE 'yes' END || ', questions ' || "
		       "coalesce(questions, '(all)') || ', speakers ' || "
		       "coalesce(speakers, '(all)') FROM codes WHERE id = %lld",
		       id);
}

/* Fold the codings of FROM that INTO has already (same document, span
 * and coder) into INTO's.  Returns how many were folded; adds to CONF
 * the pairs that differ in status or memo (then the caller refuses). */
static long long fold_codings(struct project *p, const struct code_row *from,
			      const struct code_row *into,
			      struct strbuf *conf, long long *nconf)
{
	sqlite3_stmt *st = db_prepare(
		p, "SELECT f_id, i_id FROM (SELECT f.id AS f_id, (SELECT "
		   "min(i.id) FROM codings i WHERE i.code_id = ?2 AND "
		   "i.doc_id = f.doc_id AND i.start = f.start AND i.end = "
		   "f.end AND i.coder_id = f.coder_id) AS i_id FROM codings f "
		   "WHERE f.code_id = ?1) WHERE i_id IS NOT NULL ORDER BY "
		   "f_id");
	sqlite3_stmt *get = db_prepare(
		p, "SELECT c.status, c.memo, d.name, c.start, c.end, k.name "
		   "FROM codings c JOIN documents d ON d.id = c.doc_id "
		   "JOIN coders k ON k.id = c.coder_id WHERE c.id = ?");
	sqlite3_stmt *setmemo = db_prepare(
		p, "UPDATE codings SET memo = ? WHERE id = ?");
	sqlite3_stmt *notes = db_prepare(
		p, "UPDATE memos SET target_id = ? WHERE target_kind = "
		   "'coding' AND target_id = ?");
	sqlite3_stmt *del = db_prepare(p, "DELETE FROM codings WHERE id = ?");
	long long folded = 0, (*pairs)[2] = NULL;
	size_t npairs = 0, cap = 0;

	/* The pairs first: rows are deleted below. */
	sqlite3_bind_int64(st, 1, from->id);
	sqlite3_bind_int64(st, 2, into->id);
	while (db_step(p, st)) {
		if (npairs == cap) {
			cap = cap ? 2 * cap : 16;
			pairs = xrealloc(pairs, cap * sizeof(*pairs));
		}
		pairs[npairs][0] = sqlite3_column_int64(st, 0);
		pairs[npairs][1] = sqlite3_column_int64(st, 1);
		npairs++;
	}
	for (size_t k = 0; k < npairs; k++) {
		long long f = pairs[k][0], i = pairs[k][1];
		char *fstatus, *fmemo, *istatus, *imemo, *where;

		sqlite3_bind_int64(get, 1, f);
		db_step(p, get);
		fstatus = db_col_dup(get, 0);
		fmemo = db_col_dup(get, 1);
		where = xasprintf("'%s' %lld-%lld by '%s'",
				  db_col_text(get, 2),
				  (long long)sqlite3_column_int64(get, 3),
				  (long long)sqlite3_column_int64(get, 4),
				  db_col_text(get, 5));
		sqlite3_reset(get);
		sqlite3_bind_int64(get, 1, i);
		db_step(p, get);
		istatus = db_col_dup(get, 0);
		imemo = db_col_dup(get, 1);
		sqlite3_reset(get);
		if (strcmp(fstatus, istatus) != 0) {
			sb_addf(conf, "%scoding %lld (%s) of '%s' and %lld (%s) "
				      "of '%s' on %s",
				conf->len ? "; " : "", f, fstatus, from->path,
				i, istatus, into->path, where);
			(*nconf)++;
		} else if (fmemo && imemo && strcmp(fmemo, imemo) != 0) {
			sb_addf(conf, "%scodings %lld of '%s' and %lld of '%s' "
				      "on %s have different memos",
				conf->len ? "; " : "", f, from->path, i,
				into->path, where);
			(*nconf)++;
		} else {
			if (fmemo && !imemo) {
				db_bind_text(p, setmemo, 1, fmemo);
				sqlite3_bind_int64(setmemo, 2, i);
				db_run(p, setmemo);
			}
			sqlite3_bind_int64(notes, 1, i);
			sqlite3_bind_int64(notes, 2, f);
			db_run(p, notes);
			sqlite3_bind_int64(del, 1, f);
			db_run(p, del);
			folded++;
		}
		free(fstatus);
		free(fmemo);
		free(istatus);
		free(imemo);
		free(where);
	}
	free(pairs);
	sqlite3_finalize(st);
	sqlite3_finalize(get);
	sqlite3_finalize(setmemo);
	sqlite3_finalize(notes);
	sqlite3_finalize(del);
	return folded;
}

/* Refuse (die) when a sub-code of FROM has the name of one of INTO's
 * (FROM itself aside, which goes). */
static void check_children(struct project *p, const struct code_row *from,
			   const struct code_row *into)
{
	char *clash = db_text(
		p, "SELECT f.name FROM codes f JOIN codes i ON i.parent_id = "
		   "%lld AND i.name = f.name AND i.id <> %lld WHERE "
		   "f.parent_id = %lld ORDER BY f.path LIMIT 1",
		into->id, from->id, from->id);

	if (clash) {
		die(QC_INPUT, "'%s' has a sub-code '%s' and so has '%s'; "
			      "rename one first ('qcode codebook rename "
			      "%s/%s NEW'), or merge them",
		    from->path, clash, into->path, from->path, clash);
	}
}

/* Refuse (die) when INTO only groups other codes (codable: no) and FROM
 * has codings or rules of its own, which INTO cannot take ('code add'
 * refuses to code such a code). */
static void check_codable(struct project *p, const struct code_row *from,
			  const struct code_row *into)
{
	long long codings, rules;

	if (db_int(p, 1, "SELECT codable FROM codes WHERE id = %lld",
		   into->id)) {
		return;
	}
	codings = db_int(p, 0, "SELECT count(*) FROM codings WHERE code_id "
			       "= %lld", from->id);
	rules = db_int(p, 0, "SELECT count(*) FROM rules WHERE code_id = "
			     "%lld", from->id);
	if (codings || rules) {
		die(QC_INPUT, "code '%s' only groups other codes (codable: "
			      "no), and '%s' has %lld coding%s and %lld "
			      "rule%s; merge it into one of the sub-codes, or "
			      "make '%s' codable first",
		    into->path, from->path, codings, plural(codings), rules,
		    plural(rules), into->path);
	}
}

/* Give the rules of FROM to INTO, after INTO's.  Returns how many. */
static long long move_rules(struct project *p, const struct code_row *from,
			    const struct code_row *into)
{
	long long n = db_int(p, 0, "SELECT count(*) FROM rules WHERE "
				   "code_id = %lld", from->id);
	char *fs, *is, *sql;

	if (!n) {
		return 0;
	}
	fs = rule_settings(p, from->id);
	is = rule_settings(p, into->id);
	if (strcmp(fs, is) != 0) {
		/* die() exits: FS and IS are reclaimed with the process. */
		die(QC_INPUT, "the rules of '%s' and '%s' would match "
			      "differently (%s; %s); give them the same "
			      "settings in the codebook file first",
		    from->path, into->path, fs, is);
	}
	free(fs);
	free(is);
	sql = sqlite3_mprintf(
		"UPDATE rules SET code_id = %lld, ord = ord + 1 + coalesce("
		"(SELECT max(ord) FROM rules WHERE code_id = %lld), -1) "
		"WHERE code_id = %lld",
		into->id, into->id, from->id);
	db_exec(p, sql);
	sqlite3_free(sql);
	return n;
}

/* Run SQL made by sqlite3_mprintf(FMT, ...). */
static void exec_fmt(struct project *p, const char *fmt, ...)
{
	va_list ap;
	char *sql;

	va_start(ap, fmt);
	sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (!sql) {
		die(QC_INTERNAL, "out of memory");
	}
	db_exec(p, sql);
	sqlite3_free(sql);
}

int cmd_codebook_merge(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "project", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "dry-run", no_argument, NULL, O_DRY },
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf conf = STRBUF_INIT;
	struct project *p;
	struct code_row from, into;
	long long folded, moved, nconf = 0, subs, rules, memos, groups;
	int c, dry = 0;

	ctx->formats = FMT_TABLE;
	ctx->usage = merge_usage;
	cli_help(argc, argv, merge_usage);
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		switch (c) {
		case O_DRY:
			dry = 1;
			break;
		default:
			cli_usage_error(ctx, "unexpected option");
		}
	}
	p = ctx->proj;
	code_row_read(p, lookup_code(p, argv[optind], 0), &from);
	code_row_read(p, lookup_code(p, argv[optind + 1], 0), &into);
	if (from.id == into.id) {
		die(QC_USAGE, "'%s' and '%s' are the same code", argv[optind],
		    argv[optind + 1]);
	}
	if (path_within(into.path, from.path)) {
		die(QC_INPUT, "cannot merge '%s' into '%s', which lies under "
			      "it", from.path, into.path);
	}
	check_children(p, &from, &into);
	check_codable(p, &from, &into);
	folded = fold_codings(p, &from, &into, &conf, &nconf);
	if (nconf) {
		error("%lld coding%s of '%s' and '%s' on the same span by the "
		      "same coder differ: %s; nothing was merged (settle them "
		      "first with 'qcode code accept', 'reject' or 'rm')",
		      nconf, nconf == 1 ? "" : "s", from.path, into.path,
		      sb_str(&conf));
		sb_release(&conf);
		code_row_release(&from);
		code_row_release(&into);
		return QC_INPUT;
	}
	sb_release(&conf);
	rules = move_rules(p, &from, &into);
	moved = db_int(p, 0, "SELECT count(*) FROM codings WHERE code_id = "
			     "%lld", from.id);
	exec_fmt(p, "UPDATE codings SET code_id = %lld WHERE code_id = %lld",
		 into.id, from.id);
	memos = db_int(p, 0, "SELECT count(*) FROM memos WHERE target_kind "
			     "= 'code' AND target_id = %lld", from.id);
	exec_fmt(p, "UPDATE memos SET target_id = %lld WHERE target_kind = "
		    "'code' AND target_id = %lld", into.id, from.id);
	groups = db_int(p, 0,
			"SELECT count(*) FROM code_set_members WHERE code_id "
			"= %lld AND set_id NOT IN (SELECT set_id FROM "
			"code_set_members WHERE code_id = %lld)",
			from.id, into.id);
	exec_fmt(p, "INSERT INTO code_set_members(set_id, code_id) SELECT "
		    "set_id, %lld FROM code_set_members WHERE code_id = %lld "
		    "AND set_id NOT IN (SELECT set_id FROM code_set_members "
		    "WHERE code_id = %lld) ORDER BY id",
		 into.id, from.id, into.id);
	/* FROM's path out of the way first: a sub-code of FROM may take the
	 * same path under INTO (FROM's parent).  Paths never hold a line
	 * break (cb_check_name). */
	{
		char *tmp = xasprintf("%s\n(merged)", from.path);

		subs = db_int(p, 0, "SELECT count(*) FROM codes WHERE "
				    "parent_id = %lld", from.id);
		keep_guids(p, from.path);
		move_descendants(p, from.path, tmp);
		exec_fmt(p, "UPDATE codes SET path = %Q WHERE id = %lld", tmp,
			 from.id);
		move_descendants(p, tmp, into.path);
		exec_fmt(p, "UPDATE codes SET parent_id = %lld WHERE "
			    "parent_id = %lld", into.id, from.id);
		free(tmp);
	}
	exec_fmt(p, "DELETE FROM code_set_members WHERE code_id = %lld",
		 from.id);
	exec_fmt(p, "DELETE FROM codes WHERE id = %lld", from.id);
	printf("%s%s '%s' into '%s': %lld coding%s moved, %lld folded into "
	       "identical ones",
	       dry ? "dry run, nothing written: " : "",
	       dry ? "would merge" : "merged", from.path, into.path, moved,
	       plural(moved), folded);
	if (subs) {
		printf(", %lld sub-code%s moved", subs, plural(subs));
	}
	if (rules) {
		printf(", %lld rule%s appended", rules, plural(rules));
	}
	if (memos) {
		printf(", %lld memo%s moved", memos, plural(memos));
	}
	if (groups) {
		printf(", %lld code group%s joined", groups, plural(groups));
	}
	printf("; '%s' %s\n", from.path, dry ? "would be deleted"
					     : "deleted");
	if (dry) {
		project_rollback(p);
	}
	code_row_release(&from);
	code_row_release(&into);
	return QC_OK;
}
