/*
 * cmd_autocode.c - qcode autocode: apply the codebook's rules to the
 * documents, in one transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "autocode.h"
#include "codebook.h"
#include "codebook_formats.h"
#include "coding.h"
#include "commands.h"
#include "lookup.h"
#include "util.h"

static const char usage[] =
	"usage: qcode autocode [--codebook FILE] [--code C]... [--question Q]\n"
	"                      [--coder NAME] [--status suggested|accepted]\n"
	"                      [--dry-run] [--format table|csv|json]\n"
	"\n"
	"Apply every keyword and regex rule of the codebook to every document\n"
	"in scope.  Each coding records origin 'auto' and the rule (keyword\n"
	"or pattern) that made it.  Re-running is idempotent: a coding that\n"
	"exists (any status) is not made again, and a code's earlier\n"
	"suggested auto codings that its rules no longer make are removed.\n"
	"Manual, imported, accepted and rejected codings are never touched.\n"
	"Prints per code: hits (rule matches), codings (units coded), new,\n"
	"removed, unchanged.  A code with rules whose questions: or\n"
	"speakers: names a question or speaker the project does not have is\n"
	"refused (exit 6): it would code nothing.\n"
	"\n"
	"  --codebook FILE     load the codebook FILE first, as 'qcode\n"
	"                      codebook load FILE' does (same run, same\n"
	"                      transaction); Markdown (.md), CSV (.csv),\n"
	"                      JSON (.json) or REFI-QDA (.qdc), by its\n"
	"                      extension\n"
	"  --code C            only code C (a path or a unique name) and its\n"
	"                      sub-codes; repeat for more\n"
	"  --question Q        only the answers to survey question Q\n"
	"  --coder NAME        the coder of new codings (default $QCODE_CODER,\n"
	"                      else the login name)\n"
	"  --status S          suggested (default) or accepted\n"
	"  --dry-run           print what would be coded per code (codings,\n"
	"                      cases, documents, segments); write nothing.\n"
	"                      Cases count as 'qcode count' counts them: a\n"
	"                      document without a case is a case of its own\n"
	CLI_LIST_USAGE
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum {
	O_CODE = OPT_BASE, O_QUESTION, O_CODER, O_STATUS, O_DRY_RUN,
	O_CODEBOOK,
};

/* Load the codebook FILE (any format of codebook_formats.h, by its
 * extension) into the project as 'qcode codebook load FILE' does; say what changed on stderr.  Returns the number of
 * codes added, changed or removed.  Dies with QC_INPUT. */
static size_t load_codebook(struct project *p, const char *file)
{
	struct codebook cb;
	struct refi_sets sets;
	struct cb_changes ch;
	size_t changes;

	codebook_init(&cb);
	refi_sets_init(&sets);
	codebook_format_read(NULL, file, &cb, &sets);
	cb_changes_init(&ch);
	ch.remove = CB_REMOVE_SAFE;
	if (codebook_apply(p, &cb, &ch) != 0) {
		size_t n = ch.blocked;

		cb_changes_release(&ch);
		codebook_release(&cb);
		refi_sets_release(&sets);
		die(QC_INPUT, "%zu code%s not in '%s' %s manual, imported or "
			      "reviewed codings; load the codebook with 'qcode "
			      "codebook load' (it lists them, and offers "
			      "--keep-missing and --delete-missing)",
		    n, n == 1 ? "" : "s", file, n == 1 ? "has" : "have");
	}
	notice("loaded '%s': %zu added, %zu changed, %zu removed, %zu "
	       "unchanged", file, ch.added, ch.changed, ch.removed,
	       ch.unchanged);
	changes = ch.added + ch.changed + ch.removed +
		  refi_sets_apply(p, &sets, NULL);
	cb_changes_release(&ch);
	codebook_release(&cb);
	refi_sets_release(&sets);
	return changes;
}

/* Append to IDS the code named SPEC and its descendants. */
static void add_code_scope(struct project *p, const char *spec,
			   long long **ids, size_t *n)
{
	long long id = lookup_code(p, spec, 0);
	sqlite3_stmt *st;

	st = db_prepare(p, "SELECT d.id FROM codes c, codes d WHERE c.id = ? "
			   "AND (d.id = c.id OR substr(d.path, 1, "
			   "length(c.path) + 1) = c.path || '/')");
	sqlite3_bind_int64(st, 1, id);
	while (db_step(p, st)) {
		*ids = xrealloc(*ids, (*n + 1) * sizeof(**ids));
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
}

static void print_result(struct cmd_ctx *ctx, const struct autocode_result *res,
			 int dry_run)
{
	struct rows r;

	if (dry_run) {
		rows_init(&r, "code", "hits", "codings", "cases", "documents",
			  "segments", "new", "removed", "unchanged", NULL);
	} else {
		rows_init(&r, "code", "hits", "codings", "new", "removed",
			  "unchanged", NULL);
	}
	for (size_t i = 0; i < res->n; i++) {
		const struct autocode_stat *s = &res->v[i];

		if (!s->has_rules && !s->removed) {
			continue;
		}
		rows_str(&r, s->path);
		rows_int(&r, s->hits);
		rows_int(&r, s->codings);
		if (dry_run) {
			rows_int(&r, s->cases);
			rows_int(&r, s->documents);
			rows_int(&r, s->segments);
		}
		rows_int(&r, s->added);
		rows_int(&r, s->removed);
		rows_int(&r, s->unchanged);
	}
	rows_write(&r, ctx->format, stdout, 0);
	rows_release(&r);
}

int cmd_autocode(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "code", required_argument, NULL, O_CODE },
		{ "question", required_argument, NULL, O_QUESTION },
		{ "coder", required_argument, NULL, O_CODER },
		{ "status", required_argument, NULL, O_STATUS },
		{ "dry-run", no_argument, NULL, O_DRY_RUN },
		{ "codebook", required_argument, NULL, O_CODEBOOK },
		{ NULL, 0, NULL, 0 },
	};
	struct autocode_opts o;
	struct autocode_result res;
	struct project *p;
	char **specs = NULL;
	size_t nspecs = 0, added = 0, removed = 0, loaded = 0;
	const char *coder = NULL, *codebook = NULL;
	int c, rules = 0;

	memset(&o, 0, sizeof(o));
	o.status = "suggested";
	ctx->usage = usage;
	/* SQLite's foreign-key checks cost a third of storing a coding (a
	 * lookup of its document, code, coder and segment).  They cannot
	 * fail here, so the transaction runs without them: every coding
	 * autocode stores refers to rows read in this same transaction
	 * (documents and segments from autocode's cursors, codes from
	 * load_codes(), the coder from coder_get()), which holds the write
	 * lock from its start (BEGIN IMMEDIATE) and deletes no document,
	 * segment, code or coder; the codings it deletes are referenced by
	 * no table (no cascade is skipped).  Loading a codebook
	 * (--codebook) deletes codes and relies on their cascades: with it
	 * the checks stay on.  The autocode cases run SQLite's
	 * foreign_key_check afterwards. */
	ctx->no_foreign_keys = 1;
	for (;;) {
		c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts);
		if (c == -1) {
			break;
		}
		switch (c) {
		case O_CODE:
			specs = xrealloc(specs, (nspecs + 1) * sizeof(*specs));
			specs[nspecs++] = optarg;
			break;
		case O_QUESTION:
			o.question = optarg;
			break;
		case O_CODER:
			coder = optarg;
			break;
		case O_STATUS:
			if (strcmp(optarg, "suggested") != 0 &&
			    strcmp(optarg, "accepted") != 0) {
				free(specs);
				cli_usage_error(ctx, "--status must be "
						"'suggested' or 'accepted', "
						"not '%s'", optarg);
			}
			o.status = optarg;
			break;
		/* A dry run only reads the project, unless --codebook
		 * loads a codebook in a transaction it then rolls back. */
		case O_DRY_RUN:
			o.dry_run = 1;
			ctx->need = codebook ? CLI_WRITE : CLI_READ;
			break;
		case O_CODEBOOK:
			codebook = optarg;
			ctx->no_foreign_keys = 0;
			ctx->need = CLI_WRITE;
			break;
		default:
			free(specs);
			cli_usage_error(ctx, "unexpected option");
		}
	}
	if (optind < argc) {
		free(specs);
		cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	}
	p = ctx->proj;
	if (codebook) {
		loaded = load_codebook(p, codebook);
	}
	if (nspecs) {
		for (size_t i = 0; i < nspecs; i++) {
			add_code_scope(p, specs[i], &o.codes, &o.ncodes);
		}
	}
	free(specs);
	if (o.question && !db_int(p, 0, "SELECT 1 FROM documents WHERE "
				       "question = %Q LIMIT 1", o.question)) {
		free(o.codes);
		die(QC_NOTFOUND, "no answers to question '%s' in the project",
		    o.question);
	}
	if (!o.dry_run) {
		o.coder_id = coder_get(p, cli_coder(coder));
	}
	o.progress = 1;
	autocode_run(p, &o, &res);
	free(o.codes);
	for (size_t i = 0; i < res.n; i++) {
		rules |= res.v[i].has_rules;
		added += (size_t)res.v[i].added;
		removed += (size_t)res.v[i].removed;
	}
	if (!rules && !removed) {
		notice("no rules to apply%s; load a codebook with 'qcode "
		       "codebook load FILE'", nspecs ? " in these codes" : "");
	}
	if (o.dry_run || (loaded == 0 && added == 0 && removed == 0)) {
		/* Nothing changed: leave no history entry to undo. */
		project_rollback(p);
	}
	print_result(ctx, &res, o.dry_run);
	autocode_result_release(&res);
	return QC_OK;
}
