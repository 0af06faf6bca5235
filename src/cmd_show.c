/*
 * cmd_show.c - qcode show DOC: a document and its segments.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "listing.h"
#include "lookup.h"
#include "speaker.h"
#include "text.h"
#include "util.h"

static const char usage[] =
	"usage: qcode show [--full] [--format table|csv|json] DOC\n"
	"\n"
	"Print document DOC (its id or name) and its segments: index, start\n"
	"and end (code points, end-exclusive), speaker, start and end time\n"
	"and text.  Times are milliseconds in CSV and JSON.  The table\n"
	"shortens long texts to one line; --full prints them whole.\n"
	"\n"
	CLI_LIST_USAGE;

/* Width of the text column in the table without --full. */
#define SHOW_TEXT_WIDTH 60

enum { O_FULL = OPT_BASE };

/* "HH:MM:SS" or "HH:MM:SS.mmm" for MS; caller frees. */
static char *fmt_time(long long ms)
{
	long long s = ms / 1000;

	if (ms % 1000) {
		return xasprintf("%02lld:%02lld:%02lld.%03lld", s / 3600,
				 s / 60 % 60, s % 60, ms % 1000);
	}
	return xasprintf("%02lld:%02lld:%02lld", s / 3600, s / 60 % 60,
			 s % 60);
}

/* S[0..LEN) on one line (runs of white space become one space), cut to
 * WIDTH display columns with an ellipsis when WIDTH > 0 and it is wider;
 * caller frees. */
static char *one_line(const char *s, size_t len, size_t width)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0, w = 0, cut = 0;
	int space = 0;

	while (i < len) {
		size_t at = i;
		uint32_t cp = utf8_next(s, len, &i);

		if (cp == ' ' || cp == '\n' || cp == '\t') {
			space = sb.len > 0;
			continue;
		}
		if (space) {
			sb_addc(&sb, ' ');
			w++;
			space = 0;
		}
		sb_add(&sb, s + at, i - at);
		w += (size_t)cp_width(cp);
		if (width && w <= width - 1) {
			cut = sb.len;
		}
	}
	if (width && w > width) {
		sb.len = cut;
		sb_adds(&sb, "\xE2\x80\xA6");
	}
	return sb_detach(&sb, NULL);
}

/* A time cell: milliseconds for CSV and JSON, HH:MM:SS for the table. */
static void time_cell(struct rows *r, sqlite3_stmt *st, int col, int table)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL) {
		rows_null(r);
	} else if (table) {
		char *t = fmt_time(sqlite3_column_int64(st, col));

		rows_str(r, t);
		free(t);
	} else {
		rows_int(r, sqlite3_column_int64(st, col));
	}
}

/* The document's header for the table: one "key  value" block. */
static void show_header(struct project *p, long long id)
{
	sqlite3_stmt *st;
	struct rows r;

	rows_init(&r, "document", "id", "case", "question", "format",
		  "segments", "chars", NULL);
	st = db_prepare(p, "SELECT d.name, d.id, c.name, d.question, "
			   "d.format, (SELECT count(*) FROM segments s WHERE "
			   "s.doc_id = d.id), d.chars FROM documents d LEFT "
			   "JOIN cases c ON c.id = d.case_id WHERE d.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (db_step(p, st)) {
		rows_str(&r, db_col_text(st, 0));
		rows_int(&r, sqlite3_column_int64(st, 1));
		rows_str(&r, (const char *)sqlite3_column_text(st, 2));
		rows_str(&r, (const char *)sqlite3_column_text(st, 3));
		rows_str(&r, db_col_text(st, 4));
		rows_int(&r, sqlite3_column_int64(st, 5));
		rows_int(&r, sqlite3_column_int64(st, 6));
	}
	sqlite3_finalize(st);
	out_table(&r, stdout, ROWS_OBJECT);
	rows_release(&r);
	putchar('\n');
}

/* JSON: {"document": NAME, "segments": [ ...R's rows... ]}. */
static void show_json(const char *name, const struct rows *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (!mem) {
		die(QC_INTERNAL, "out of memory");
	}
	out_json(r, mem, 0);
	fclose(mem);
	while (len > 0 && buf[len - 1] == '\n') {
		len--;
	}
	fputs("{\"document\": ", stdout);
	json_put_str(stdout, name);
	fputs(", \"segments\": ", stdout);
	fwrite(buf, 1, len, stdout);
	fputs("}\n", stdout);
	free(buf);
}

void show_rows(struct project *p, long long id, const char *name,
	       const char *text, size_t len, enum out_format f, int full,
	       struct rows *r)
{
	int table = f == FMT_TABLE;
	sqlite3_stmt *st;
	struct offmap m;

	offmap_init(&m, text, len);
	if (f == FMT_CSV) {
		rows_init(r, "document", NULL);
	} else {
		rows_init(r, NULL);
	}
	rows_add_col(r, "index");
	rows_add_col(r, "start");
	rows_add_col(r, "end");
	rows_add_col(r, "speaker");
	rows_add_col(r, "time_start");
	rows_add_col(r, "time_end");
	rows_add_col(r, "text");
	st = db_prepare(p, "SELECT idx, start, end, "
			   SPEAKER_NAME_SQL("segments.speaker") ", time_start, "
			   "time_end FROM segments WHERE doc_id = ? ORDER BY "
			   "idx");
	sqlite3_bind_int64(st, 1, id);
	while (db_step(p, st)) {
		long long s0 = sqlite3_column_int64(st, 1);
		long long s1 = sqlite3_column_int64(st, 2);
		size_t b0, b1;

		s0 = s0 < 0 ? 0 : s0 > (long long)m.chars ? (long long)m.chars
							   : s0;
		s1 = s1 < s0 ? s0 : s1 > (long long)m.chars ? (long long)m.chars
							     : s1;
		b0 = offmap_byte(&m, (size_t)s0);
		b1 = offmap_byte(&m, (size_t)s1);
		if (f == FMT_CSV) {
			rows_str(r, name);
		}
		rows_int(r, sqlite3_column_int64(st, 0));
		rows_int(r, sqlite3_column_int64(st, 1));
		rows_int(r, sqlite3_column_int64(st, 2));
		rows_str(r, (const char *)sqlite3_column_text(st, 3));
		time_cell(r, st, 4, table);
		time_cell(r, st, 5, table);
		if (table) {
			char *t = one_line(text + b0, b1 - b0,
					   full ? 0 : SHOW_TEXT_WIDTH);

			rows_str(r, t);
			free(t);
		} else {
			char *t = xstrndup(text + b0, b1 - b0);

			rows_str(r, t);
			free(t);
		}
	}
	sqlite3_finalize(st);
	offmap_release(&m);
}

int cmd_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "full", no_argument, NULL, O_FULL },
		{ NULL, 0, NULL, 0 },
	};
	int full = 0, c;
	struct project *p;
	sqlite3_stmt *st;
	struct rows r;
	long long id;
	char *name, *text;
	size_t len;

	ctx->usage = usage;
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		if (c == O_FULL) {
			full = 1;
		} else {
			cli_usage_error(ctx, "unexpected option");
		}
	}
	if (optind >= argc) {
		cli_usage_error(ctx, "name the document to show (its id or "
				"name)");
	}
	if (optind + 1 < argc) {
		cli_usage_error(ctx, "unexpected argument '%s'",
				argv[optind + 1]);
	}
	p = ctx->proj;
	id = lookup_document(p, argv[optind]);
	st = db_prepare(p, "SELECT name, text FROM documents WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	db_step(p, st);
	name = xstrdup(db_col_text(st, 0));
	len = (size_t)sqlite3_column_bytes(st, 1);
	text = xstrndup(db_col_text(st, 1), len);
	sqlite3_finalize(st);
	show_rows(p, id, name, text, len, ctx->format, full, &r);
	if (ctx->format == FMT_JSON) {
		show_json(name, &r);
	} else {
		if (ctx->format == FMT_TABLE) {
			show_header(p, id);
		}
		rows_write(&r, ctx->format, stdout, 0);
	}
	rows_release(&r);
	free(name);
	free(text);
	return QC_OK;
}
