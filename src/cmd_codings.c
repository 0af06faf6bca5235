/*
 * cmd_codings.c - qcode codings: list codings, filtered; 'qcode codings
 * import' is in cmd_codings_import.c (its engine in codings_import.c).
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "listing.h"
#include "lookup.h"
#include "text.h"
#include "util.h"

#define SYNOPSIS                                                        \
	"usage: qcode codings [--code C] [--doc D] [--case X] [--question Q]\n" \
	"                     [--coder NAME] [--status S] [--memos]\n"    \
	"                     [--format table|csv|json]\n"                \
	"       " CODINGS_IMPORT_SYNOPSIS

static const char usage[] =
	SYNOPSIS
	"\n"
	"List codings: id, document, case, question, segment, start, end,\n"
	"code (its path), coder, origin (manual, imported, auto), rule,\n"
	"status and the coded text, by document (in import order), start,\n"
	"end, code and id.  Offsets are the document's characters from 0,\n"
	"end excluded.  'qcode codings import' reads the CSV back.\n"
	"\n"
	"  --code C            codings of code C (a path; a name is the\n"
	"                      top-level code of that name, else the only\n"
	"                      code with it) and of the codes beneath it\n"
	"  --doc D             of document D (its name or id)\n"
	"  --case X            of the documents of case X\n"
	"  --question Q        of the answers to survey question Q\n"
	"  --coder NAME        made by this coder\n"
	"  --status S          accepted, suggested, rejected or all (the\n"
	"                      default)\n"
	"  --memos             add a last column, memo: each coding's memo\n"
	CLI_LIST_USAGE
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum { O_CODE = OPT_BASE, O_DOC, O_CASE, O_QUESTION, O_CODER, O_STATUS,
       O_MEMOS };

/* The filters, as given; MEMOS adds the memo column. */
struct filters {
	const char *code, *doc, *kase, *question, *coder, *status;
	int memos;
};

/* Fill R with the codings F selects. */
static void list_codings(struct project *p, const struct filters *f,
			 struct rows *r)
{
	static const char sql[] =
		"SELECT c.id, d.name, cs.name, d.question, s.idx, c.start, "
		"c.end, k.path, u.name, c.origin, c.rule, c.status, d.id, "
		"c.memo FROM codings c JOIN documents d ON d.id = c.doc_id "
		"LEFT JOIN cases cs ON cs.id = d.case_id "
		"LEFT JOIN segments s ON s.id = c.segment_id "
		"JOIN codes k ON k.id = c.code_id "
		"JOIN coders u ON u.id = c.coder_id "
		"WHERE (?1 IS NULL OR k.path = ?1 OR "
		"substr(k.path, 1, length(?1) + 1) = ?1 || '/') "
		/* a range, so that --doc searches the doc_id index */
		"AND c.doc_id BETWEEN coalesce(?2, 0) AND "
		"coalesce(?2, 9223372036854775807) "
		"AND (?3 IS NULL OR d.case_id = ?3) "
		"AND (?4 IS NULL OR d.question = ?4) "
		"AND (?5 IS NULL OR u.name = ?5) "
		"AND (?6 IS NULL OR c.status = ?6) "
		"ORDER BY d.id, c.start, c.end, k.path, c.id";
	sqlite3_stmt *st = db_prepare(p, sql);
	sqlite3_stmt *tx = db_prepare(p, "SELECT text FROM documents "
					 "WHERE id = ?");
	long long cur = 0;
	struct offmap m;
	char *text = NULL;

	memset(&m, 0, sizeof(m));
	if (f->code) {
		long long id = lookup_code(p, f->code, 0);
		sqlite3_stmt *ps = db_prepare(p, "SELECT path FROM codes WHERE "
						 "id = ?");

		sqlite3_bind_int64(ps, 1, id);
		db_step(p, ps);
		db_bind_text(p, st, 1, db_col_text(ps, 0));
		sqlite3_finalize(ps);
	}
	if (f->doc) {
		sqlite3_bind_int64(st, 2, lookup_document(p, f->doc));
	}
	if (f->kase) {
		sqlite3_bind_int64(st, 3, lookup_case(p, f->kase));
	}
	if (f->question) {
		if (!db_int(p, 0, "SELECT 1 FROM documents WHERE question = %Q "
				  "LIMIT 1", f->question)) {
			die(QC_NOTFOUND, "no answers to question '%s' in the "
					 "project", f->question);
		}
		db_bind_text(p, st, 4, f->question);
	}
	if (f->coder) {
		if (!db_int(p, 0, "SELECT 1 FROM coders WHERE name = %Q",
			    f->coder)) {
			die(QC_NOTFOUND, "no coder '%s' in the project",
			    f->coder);
		}
		db_bind_text(p, st, 5, f->coder);
	}
	db_bind_text(p, st, 6, f->status);
	while (db_step(p, st)) {
		long long doc = sqlite3_column_int64(st, 12);
		size_t b0, b1;

		if (doc != cur) {
			offmap_release(&m);
			free(text);
			sqlite3_bind_int64(tx, 1, doc);
			db_step(p, tx);
			text = xstrdup(db_col_text(tx, 0));
			sqlite3_reset(tx);
			offmap_init(&m, text, strlen(text));
			cur = doc;
		}
		rows_int(r, sqlite3_column_int64(st, 0));
		for (int i = 1; i <= 11; i++) {
			if (sqlite3_column_type(st, i) == SQLITE_NULL) {
				rows_null(r);
			} else if (sqlite3_column_type(st, i) ==
				   SQLITE_INTEGER) {
				rows_int(r, sqlite3_column_int64(st, i));
			} else {
				rows_str(r, db_col_text(st, i));
			}
		}
		b0 = offmap_byte(&m, (size_t)sqlite3_column_int64(st, 5));
		b1 = offmap_byte(&m, (size_t)sqlite3_column_int64(st, 6));
		{
			char *span = xstrndup(text + b0, b1 - b0);

			rows_str(r, span);
			free(span);
		}
		if (f->memos) {
			if (sqlite3_column_type(st, 13) == SQLITE_NULL) {
				rows_null(r);
			} else {
				rows_str(r, db_col_text(st, 13));
			}
		}
	}
	offmap_release(&m);
	free(text);
	sqlite3_finalize(tx);
	sqlite3_finalize(st);
}

/* Start R with the columns of the listing (with MEMOS, the memo's). */
static void codings_rows_init(struct rows *r, int memos)
{
	rows_init(r, "id", "document", "case", "question", "segment",
		  "start", "end", "code", "coder", "origin", "rule", "status",
		  "text", memos ? "memo" : NULL, NULL);
}

void codings_rows(struct project *p, long long doc, struct rows *r)
{
	struct filters f;
	char *id = xasprintf("%lld", doc);

	memset(&f, 0, sizeof(f));
	f.doc = id;
	codings_rows_init(r, 0);
	list_codings(p, &f, r);
	free(id);
}

int cmd_codings(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "code", required_argument, NULL, O_CODE },
		{ "doc", required_argument, NULL, O_DOC },
		{ "case", required_argument, NULL, O_CASE },
		{ "question", required_argument, NULL, O_QUESTION },
		{ "coder", required_argument, NULL, O_CODER },
		{ "status", required_argument, NULL, O_STATUS },
		{ "memos", no_argument, NULL, O_MEMOS },
		{ NULL, 0, NULL, 0 },
	};
	struct filters f;
	struct rows r;
	int c;

	if (argc > 1 && strcmp(argv[1], "import") == 0) {
		return cmd_codings_import(ctx, argc - 1, argv + 1);
	}
	memset(&f, 0, sizeof(f));
	ctx->usage = usage;
	cli_help(argc, argv, usage);
	/* the listing takes no operand: a first word is a subcommand */
	if (argc > 1 && argv[1][0] != '-') {
		cli_subcommand_error(ctx, argv[1]);
	}
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		switch (c) {
		case O_CODE:
			f.code = optarg;
			break;
		case O_DOC:
			f.doc = optarg;
			break;
		case O_CASE:
			f.kase = optarg;
			break;
		case O_QUESTION:
			f.question = optarg;
			break;
		case O_CODER:
			f.coder = optarg;
			break;
		case O_STATUS:
			if (strcmp(optarg, "accepted") != 0 &&
			    strcmp(optarg, "suggested") != 0 &&
			    strcmp(optarg, "rejected") != 0 &&
			    strcmp(optarg, "all") != 0) {
				cli_usage_error(ctx, "unknown status '%s' "
						"(accepted, suggested, "
						"rejected or all)", optarg);
			}
			/* all: no filter, as count and quotes take it */
			f.status = strcmp(optarg, "all") == 0 ? NULL : optarg;
			break;
		case O_MEMOS:
			f.memos = 1;
			break;
		default:
			cli_usage_error(ctx, "unexpected option");
		}
	}
	if (optind < argc) {
		cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	}
	codings_rows_init(&r, f.memos);
	list_codings(ctx->proj, &f, &r);
	rows_write(&r, ctx->format, stdout, 0);
	rows_release(&r);
	return QC_OK;
}
