/*
 * cmd_codebook.c - qcode codebook load|show|export: the project's
 * codebook from and to a Markdown file, and as a tree (rename and merge:
 * cmd_codebook_edit.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codebook.h"
#include "codebook_formats.h"
#include "commands.h"
#include "refi_qdc.h"
#include "util.h"

/* Each subcommand's synopsis, after "usage: " (its own help) or its
 * indent (the codebook's help): written once. */
#define LOAD_SYNOPSIS                                                   \
	"qcode codebook load [--keep-missing | --delete-missing]\n"      \
	"                           [--dry-run] FILE\n"
#define SHOW_SYNOPSIS "qcode codebook show [--format table|csv|json]\n"
#define EXPORT_SYNOPSIS                                                 \
	"qcode codebook export [--format md|csv|json|qdc] [-o FILE]\n"

static const char usage[] =
	"usage: " LOAD_SYNOPSIS
	"       " SHOW_SYNOPSIS
	"       " EXPORT_SYNOPSIS
	"       " CODEBOOK_RENAME_SYNOPSIS
	"       " CODEBOOK_MERGE_SYNOPSIS
	"\n"
	"The codebook file is Markdown (.md):\n"
	"  # Theme               every heading is a code; '##' a sub-code of\n"
	"  ## Sub-theme          the heading above (levels may not skip); a\n"
	"                        code is known by its path, 'Theme/Sub-theme'\n"
	"  Paragraph text        the code's description\n"
	"  - keywords: a, b*, c d   words and phrases; a trailing '*' lets the\n"
	"                        word continue; \"x, y\" quotes a comma\n"
	"  - regex: PATTERN      a PCRE2 pattern; repeat the item, or put one\n"
	"                        more pattern on each indented line below it\n"
	"  - exclude: a, b       keywords that veto a hit in the same unit;\n"
	"  - exclude: regex: P   or a pattern that does\n"
	"  - unit: segment       what a hit codes: match, sentence or segment\n"
	"  - questions: Q1, Q2   survey questions the code applies to\n"
	"  - speakers: A, B      speakers the code applies to\n"
	"  - language: he        he, ar (prefixes, points ignored; ar also\n"
	"                        spelling: أ إ آ as ا, ة as ه, ى as ي), en, ...\n"
	"  - normalise: no       ar: keywords match only their own spelling\n"
	"  - color: #RRGGBB      or #RGB\n"
	"  - example: TEXT       a typical passage\n"
	"  - codable: no         a grouping node (no rules)\n"
	"List items before the first heading set file defaults (language,\n"
	"normalise, unit, questions, speakers); sub-codes inherit these five\n"
	"unless they set their own.  Lines indented under an item continue it (in a list\n"
	"a line break separates items like a comma).  Text before the first\n"
	"heading is not stored; <!-- ... --> is a comment.\n"
	"\n"
	"A REFI-QDA codebook (.qdc, from NVivo, ATLAS.ti, MAXQDA, QualCoder)\n"
	"loads and exports too: nesting, descriptions, colours, codable and\n"
	"code groups (Sets); the rules and the properties above travel in\n"
	"the description, between '--- qcode rules ---' and\n"
	"'--- end qcode rules ---' lines, in the syntax above.\n"
	"\n"
	"load     add and update codes by path and report what was added,\n"
	"         changed and removed; codings of unchanged codes stay.  A code\n"
	"         no longer in the file is removed with its unreviewed\n"
	"         (suggested) auto codings; when such a code has manual,\n"
	"         imported, accepted or rejected codings nothing is loaded\n"
	"         unless --keep-missing (keep those codes) or --delete-missing\n"
	"         (delete them and all their codings; 'qcode undo' restores).\n"
	"         --dry-run reports and writes nothing.\n"
	"show     the tree with rule and coding counts and descriptions\n"
	"export   the codebook as Markdown (loading it gives the same\n"
	"         codebook), CSV or JSON, to standard output or -o FILE\n"
	"rename   rename or move a code with its sub-codes, keeping its\n"
	"         codings, rules and memos (--create-codes: NEW's parents)\n"
	"merge    give FROM's codings, sub-codes, rules and memos to INTO and\n"
	"         delete FROM (identical codings folded into INTO's)\n"
	"'qcode undo' takes back a load, rename or merge.  'qcode help codebook\n"
	"SUB' describes each.\n";

static const char load_usage[] =
	"usage: " LOAD_SYNOPSIS
	"\n"
	"Load a Markdown (.md) or REFI-QDA (.qdc) codebook into the project:\n"
	"add and update codes by path and report what was added, changed and\n"
	"removed (and the code groups of a .qdc).  Codings of unchanged codes\n"
	"stay.  A code no longer in the file is removed with its unreviewed\n"
	"(suggested) auto codings; when such a code has manual, imported,\n"
	"accepted or rejected codings nothing is loaded, unless:\n"
	"  --keep-missing      keep the codes that are not in the file\n"
	"  --delete-missing    delete them with all their codings\n"
	"  --dry-run           report what would change; write nothing\n"
	"  -p, --project FILE  the project\n"
	"'qcode codebook --help' describes the file format.\n";

static const char show_usage[] =
	"usage: " SHOW_SYNOPSIS
	"\n"
	"Print the codebook tree: each code with its number of rules, its\n"
	"codings (all statuses) and how many of them are suggested, and its\n"
	"description.\n"
	"\n"
	CLI_LIST_USAGE;

static const char export_usage[] =
	"usage: " EXPORT_SYNOPSIS
	"\n"
	"Write the codebook as Markdown (the default; loading it gives the same\n"
	"codebook), CSV, JSON or a REFI-QDA codebook (qdc) to standard output,\n"
	"or to FILE with -o (the format then follows FILE's extension unless\n"
	"--format is given).\n"
	"\n"
	CLI_FORCE_USAGE
	CLI_BOM_USAGE;

enum { O_KEEP = OPT_BASE, O_DELETE, O_DRY, O_FMT, O_OUT };

static const char *change_word(enum cb_change_kind k)
{
	switch (k) {
	case CB_ADDED:
		return "added";
	case CB_CHANGED:
		return "changed";
	case CB_REMOVED:
		return "removed";
	case CB_KEPT:
		return "kept";
	case CB_BLOCKED:
		return "blocked";
	}
	return "";
}

static int cb_load(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "project", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "keep-missing", no_argument, NULL, O_KEEP },
		{ "delete-missing", no_argument, NULL, O_DELETE },
		{ "dry-run", no_argument, NULL, O_DRY },
		{ NULL, 0, NULL, 0 },
	};
	struct codebook cb;
	struct refi_sets sets;
	struct cb_changes ch;
	struct project *p;
	int c, dry = 0, keep = 0, del = 0;
	const char *file;

	ctx->formats = FMT_TABLE; /* no listing: no --bom, no xlsx */
	ctx->usage = load_usage;
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		switch (c) {
		case O_KEEP:
			keep = 1;
			break;
		case O_DELETE:
			del = 1;
			break;
		case O_DRY:
			dry = 1;
			break;
		default:
			cli_usage_error(ctx, "unexpected option");
		}
	}
	if (keep && del) {
		cli_usage_error(ctx, "--keep-missing and --delete-missing "
				"exclude each other");
	}
	if (optind >= argc) {
		cli_usage_error(ctx, "name the codebook file to load");
	}
	if (optind + 1 < argc) {
		cli_usage_error(ctx, "unexpected argument '%s'",
				argv[optind + 1]);
	}
	file = argv[optind];
	codebook_init(&cb);
	refi_sets_init(&sets);
	p = ctx->proj;
	codebook_format_read(NULL, file, &cb, &sets);
	cb_changes_init(&ch);
	ch.remove = keep ? CB_REMOVE_KEEP
			 : del ? CB_REMOVE_FORCE : CB_REMOVE_SAFE;
	if (codebook_apply(p, &cb, &ch) != 0) {
		struct strbuf sb = STRBUF_INIT;

		for (size_t i = 0; i < ch.nitems; i++) {
			if (ch.items[i].kind == CB_BLOCKED) {
				sb_addf(&sb, "%s'%s' (%lld)",
					sb.len ? ", " : "", ch.items[i].path,
					ch.items[i].codings);
			}
		}
		error("%zu code%s not in '%s' %s manual, imported or "
		      "reviewed codings: %s; nothing was loaded "
		      "(--keep-missing keeps such codes, --delete-missing "
		      "deletes them with their codings)",
		      ch.blocked, ch.blocked == 1 ? "" : "s", file,
		      ch.blocked == 1 ? "has" : "have", sb_str(&sb));
		sb_release(&sb);
		cb_changes_release(&ch);
		codebook_release(&cb);
		refi_sets_release(&sets);
		return QC_INPUT;
	}
	for (size_t i = 0; i < ch.nitems; i++) {
		printf("%-8s %s\n", change_word(ch.items[i].kind),
		       ch.items[i].path);
	}
	refi_sets_apply(p, &sets, stdout);
	printf("%s'%s': %zu code%s; %zu added, %zu changed, %zu removed",
	       dry ? "dry run, nothing written: " : "loaded ", file,
	       cb.ncodes, cb.ncodes == 1 ? "" : "s", ch.added, ch.changed,
	       ch.removed);
	if (ch.kept) {
		printf(", %zu kept", ch.kept);
	}
	printf(", %zu unchanged\n", ch.unchanged);
	if (dry) {
		project_rollback(p);
	}
	cb_changes_release(&ch);
	codebook_release(&cb);
	refi_sets_release(&sets);
	return QC_OK;
}

static int cb_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct codebook cb;
	struct project *p;
	struct rows r;
	sqlite3_stmt *st;
	int table;

	ctx->usage = show_usage;
	cli_common_only(ctx, argc, argv);
	p = ctx->proj;
	codebook_init(&cb);
	codebook_read_db(p, &cb);
	table = ctx->format == FMT_TABLE;
	if (table) {
		rows_init(&r, "code", "codable", "rules", "codings",
			  "suggested", "description", NULL);
	} else {
		rows_init(&r, "path", "name", "depth", "codable", "rules",
			  "codings", "suggested", "description", NULL);
	}
	st = db_prepare(p, "SELECT count(*), "
			   "coalesce(sum(status='suggested'), 0) "
			   "FROM codings WHERE code_id=?");
	for (size_t i = 0; i < cb.ncodes; i++) {
		const struct cb_code *c = &cb.codes[i];

		if (table) {
			char *name = xasprintf("%*s%s", 2 * (c->depth - 1), "",
					       c->name);

			rows_str(&r, name);
			free(name);
			rows_str(&r, c->codable ? "yes" : "no");
		} else {
			rows_str(&r, c->path);
			rows_str(&r, c->name);
			rows_int(&r, c->depth);
			if (ctx->format == FMT_JSON) {
				rows_json(&r, c->codable ? "true" : "false",
					  NULL);
			} else {
				rows_str(&r, c->codable ? "yes" : "no");
			}
		}
		rows_int(&r, (long long)c->nrules);
		sqlite3_bind_int64(st, 1, c->id);
		db_step(p, st);
		rows_int(&r, sqlite3_column_int64(st, 0));
		rows_int(&r, sqlite3_column_int64(st, 1));
		sqlite3_reset(st);
		if (table) {
			rows_str(&r, c->description ? c->description : "");
		} else {
			rows_str(&r, c->description);
		}
	}
	sqlite3_finalize(st);
	if (table && cb.ncodes == 0) {
		notice("the project has no codes yet; load a codebook with "
		       "'qcode codebook load FILE'");
	} else {
		rows_write(&r, ctx->format, stdout, 0);
	}
	rows_release(&r);
	codebook_release(&cb);
	return QC_OK;
}

static int cb_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "project", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "format", required_argument, NULL, O_FMT },
		{ "output", required_argument, NULL, 'o' },
		CLI_FORCE_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	const char *fmt = NULL, *outpath = NULL;
	const struct codebook_format *f = codebook_format_named("md");
	struct codebook cb;
	struct refi_sets sets;
	struct out_file of;
	FILE *out = stdout;
	int c, force = 0;

	ctx->usage = export_usage;
	while ((c = cli_getopt(ctx, argc, argv, "p:ho:", opts)) != -1) {
		switch (c) {
		case O_FMT:
			fmt = optarg;
			break;
		case 'o':
			outpath = optarg;
			break;
		case OPT_FORCE:
			force = 1;
			break;
		default:
			cli_usage_error(ctx, "unexpected option");
		}
	}
	if (optind < argc) {
		cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	}
	if (fmt) {
		f = codebook_format_named(fmt);
		if (!f) {
			cli_usage_error(ctx, "unknown format '%s' (choose "
					"from: md, csv, json, qdc)", fmt);
		}
	} else if (outpath && codebook_format_of(outpath)) {
		f = codebook_format_of(outpath);
	}
	codebook_init(&cb);
	refi_sets_init(&sets);
	codebook_read_db(ctx->proj, &cb);
	if (f->groups) {
		refi_sets_read_db(ctx->proj, &sets);
		if (!cb.ncodes) {
			codebook_release(&cb);
			refi_sets_release(&sets);
			die(QC_NOTFOUND, "the project has no codes; a .%s "
					 "needs at least one", f->name);
		}
	}
	if (outpath) {
		out_open(&of, outpath, f->markup ? OUT_MARKUP : OUT_TEXT,
			 force, ctx->proj->path);
		out = of.f;
	}
	f->write(&cb, &sets, out);
	codebook_release(&cb);
	refi_sets_release(&sets);
	if (outpath) {
		out_commit(&of);
	}
	return QC_OK;
}

int cmd_codebook(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct cmd_ctx *, int, char **);
	} subs[] = {
		{ "load", cb_load },
		{ "show", cb_show },
		{ "export", cb_export },
		{ "rename", cmd_codebook_rename },
		{ "merge", cmd_codebook_merge },
	};

	ctx->usage = usage;
	if (argc < 2) {
		cli_subcommand_error(ctx, NULL);
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(usage, stdout);
		return QC_OK;
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (strcmp(argv[1], subs[i].name) == 0) {
			return subs[i].fn(ctx, argc - 1, argv + 1);
		}
	}
	cli_subcommand_error(ctx, argv[1]);
}
