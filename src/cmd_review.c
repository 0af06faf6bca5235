/*
 * cmd_review.c - qcode review: walk through suggested codings on a
 * terminal and accept, reject or skip each; every decision is saved at
 * once (its own transaction and history entry, so 'qcode undo' reverts
 * the last decision).
 */
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "commands.h"
#include "lookup.h"
#include "speaker.h"
#include "text.h"
#include "util.h"

static const char usage[] =
	"usage: qcode review [--code C]\n"
	"\n"
	"Walk through the suggested codings (those autocode made), by code\n"
	"in codebook order, then document and position: each shows its code,\n"
	"the rule that made it and its segment with the coded text\n"
	"highlighted.  Answer with one key:\n"
	"  a  accept     r  reject     s  skip     q  quit\n"
	"Every decision is saved at once; 'qcode undo' reverts the last one.\n"
	"Needs a terminal: elsewhere, list the suggestions with 'qcode\n"
	"codings --status suggested' and decide with 'qcode code accept ID...'\n"
	"or 'qcode code reject ID...' (exit code 2 without a terminal).\n"
	"\n"
	"  --code C            only codings of code C (a path or a unique\n"
	"                      name) and of its sub-codes\n"
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum { O_CODE = OPT_BASE };

/* Longest context shown around a coding, in characters each side. */
#define CONTEXT 400

#define REV_ON "\033[7m"
#define REV_OFF "\033[27m"
#define BOLD_ON "\033[1m"
#define BOLD_OFF "\033[22m"
#define FSI "\xE2\x81\xA8"
#define PDI "\xE2\x81\xA9"

/* The terminal's settings before review changed them. */
static struct termios saved_tio;
static int tio_saved;

static void restore_terminal(void)
{
	if (tio_saved) {
		tcsetattr(0, TCSANOW, &saved_tio);
		tio_saved = 0;
	}
}

/* Keys arrive one at a time, unechoed; Ctrl-C is a key (quit). */
static void raw_terminal(void)
{
	struct termios t;

	if (tcgetattr(0, &saved_tio) != 0) {
		return;
	}
	tio_saved = 1;
	atexit(restore_terminal);
	t = saved_tio;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(0, TCSANOW, &t);
}

/* Read one key: 'a', 'r', 's', 'q', or 0 for anything else.  The keys
 * of a Hebrew keyboard layout (ש ר ד /) count as a r s q. */
static int read_key(void)
{
	unsigned char b[4];
	ssize_t n = read(0, b, 1);

	if (n <= 0 || b[0] == 3 || b[0] == 4) {
		return 'q'; /* end of input, Ctrl-C, Ctrl-D */
	}
	if (b[0] == 0xD7) {
		if (read(0, b + 1, 1) != 1) {
			return 'q';
		}
		switch (b[1]) {
		case 0xA9: /* ש */
			return 'a';
		case 0xA8: /* ר */
			return 'r';
		case 0x93: /* ד */
			return 's';
		}
		return 0;
	}
	switch (b[0]) {
	case 'a':
	case 'A':
		return 'a';
	case 'r':
	case 'R':
		return 'r';
	case 's':
	case 'S':
	case ' ':
		return 's';
	case 'q':
	case 'Q':
	case '/':
		return 'q';
	}
	return 0;
}

/* Print TEXT[0..LEN) for a terminal: control characters as spaces. */
static void put_clean(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		putchar(c < 0x20 || c == 0x7F ? ' ' : c);
	}
}

/* Print a value that may be right-to-left, isolated (FSI ... PDI). */
static void put_isolated(const char *s)
{
	size_t len = strlen(s);

	if (text_has_rtl(s, len)) {
		fputs(FSI, stdout);
		put_clean(s, len);
		fputs(PDI, stdout);
	} else {
		put_clean(s, len);
	}
}

/*
 * Print bytes [A, B) of TEXT as indented lines, [HS, HE) in reverse
 * video; a line holding right-to-left text is isolated, so a terminal
 * shows it in its own direction without disturbing the rest.
 */
static void put_context(const char *text, size_t a, size_t b, size_t hs,
			size_t he)
{
	size_t i = a;

	while (i < b) {
		const char *nl = memchr(text + i, '\n', b - i);
		size_t e = nl ? (size_t)(nl - text) : b;
		int rtl = text_has_rtl(text + i, e - i);

		fputs("  ", stdout);
		if (rtl) {
			fputs(FSI, stdout);
		}
		if (i > hs && i < he) {
			fputs(REV_ON, stdout); /* the coded text goes on */
		}
		for (size_t k = i; k < e; k++) {
			if (k == hs) {
				fputs(REV_ON, stdout);
			}
			if (k == he) {
				fputs(REV_OFF, stdout);
			}
			put_clean(text + k, 1);
		}
		if (hs < e && he >= e) {
			fputs(REV_OFF, stdout);
		}
		if (rtl) {
			fputs(PDI, stdout);
		}
		putchar('\n');
		i = e + 1;
	}
}

/* Show coding ID (number N of TOTAL); returns 0 when it is gone or no
 * longer suggested. */
static int show_coding(struct project *p, long long id, size_t n,
		       size_t total)
{
	sqlite3_stmt *st = db_prepare(
		p, "SELECT d.name, c.path, k.rule, k.origin, k.start, k.end, "
		   "s.idx, s.start, s.end, " SPEAKER_NAME_SQL("s.speaker")
		   ", d.text, k.status "
		   "FROM codings k JOIN documents d ON d.id = k.doc_id "
		   "JOIN codes c ON c.id = k.code_id "
		   "LEFT JOIN segments s ON s.id = k.segment_id "
		   "WHERE k.id = ?");
	struct offmap om;
	const char *text;
	long long ks, ke, cs, ce;
	int ok = 0;

	sqlite3_bind_int64(st, 1, id);
	if (!db_step(p, st) || strcmp(db_col_text(st, 11), "suggested") != 0) {
		goto done;
	}
	ok = 1;
	text = db_col_text(st, 10);
	ks = sqlite3_column_int64(st, 4);
	ke = sqlite3_column_int64(st, 5);
	offmap_init(&om, text, strlen(text));
	/* The segment, when the coding lies in it; else the coded text and
	 * some context; never more than CONTEXT characters each side. */
	cs = ks;
	ce = ke;
	if (sqlite3_column_type(st, 6) != SQLITE_NULL &&
	    sqlite3_column_int64(st, 7) <= ks &&
	    sqlite3_column_int64(st, 8) >= ke) {
		cs = sqlite3_column_int64(st, 7);
		ce = sqlite3_column_int64(st, 8);
	}
	if (cs < ks - CONTEXT) {
		cs = ks - CONTEXT;
	}
	if (ce > ke + CONTEXT) {
		ce = ke + CONTEXT;
	}
	printf("\n%s── %zu of %zu: coding %lld ──%s\n", BOLD_ON, n, total, id,
	       BOLD_OFF);
	fputs("code      ", stdout);
	put_isolated(db_col_text(st, 1));
	fputs("\nrule      ", stdout);
	if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
		put_isolated(db_col_text(st, 2));
		printf(" (%s)", db_col_text(st, 3));
	} else {
		printf("none (%s)", db_col_text(st, 3));
	}
	fputs("\ndocument  ", stdout);
	put_isolated(db_col_text(st, 0));
	if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
		printf(", segment %lld", sqlite3_column_int64(st, 6));
	}
	if (sqlite3_column_type(st, 9) != SQLITE_NULL) {
		fputs(", ", stdout);
		put_isolated(db_col_text(st, 9));
	}
	printf("\n\n");
	put_context(text, offmap_byte(&om, (size_t)cs),
		    offmap_byte(&om, (size_t)ce), offmap_byte(&om, (size_t)ks),
		    offmap_byte(&om, (size_t)ke));
	offmap_release(&om);
done:
	sqlite3_finalize(st);
	return ok;
}

/* Save one decision: its own transaction and history entry.  Returns 1
 * when the coding was still suggested and now has STATUS. */
static int decide(struct project *p, long long id, const char *status)
{
	char idbuf[32];
	char *args[2];
	sqlite3_stmt *st;
	int changed;

	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	args[0] = strcmp(status, "accepted") == 0 ? "accept" : "reject";
	args[1] = idbuf;
	project_begin(p, "review", 2, args);
	st = db_prepare(p, "UPDATE codings SET status = ? WHERE id = ? AND "
			   "status = 'suggested'");
	db_bind_text(p, st, 1, status);
	sqlite3_bind_int64(st, 2, id);
	db_run(p, st);
	sqlite3_finalize(st);
	changed = sqlite3_changes(p->db) > 0;
	if (changed) {
		project_commit(p);
	} else {
		project_rollback(p);
	}
	return changed;
}

int cmd_review(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "project", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "code", required_argument, NULL, O_CODE },
		{ NULL, 0, NULL, 0 },
	};
	const char *code = NULL;
	struct project *p;
	sqlite3_stmt *st;
	long long *ids = NULL, code_id = 0;
	size_t n = 0, cap = 0, acc = 0, rej = 0, skip = 0, i;
	int c;

	ctx->usage = usage;
	for (;;) {
		c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts);
		if (c == -1) {
			break;
		}
		if (c != O_CODE) {
			cli_usage_error(ctx, "unexpected option");
		}
		code = optarg;
	}
	if (optind < argc) {
		cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	}
	p = ctx->proj;
	if (code) {
		code_id = lookup_code(p, code, 0);
	}
	if (!isatty(0) || !isatty(1)) {
		fputs("qcode: review needs a terminal; without one, list the "
		      "suggestions with 'qcode codings --status suggested' "
		      "and decide with 'qcode code accept ID...' or 'qcode "
		      "code reject ID...'\n",
		      stderr);
		return QC_USAGE;
	}
	st = db_prepare(p, "SELECT k.id FROM codings k "
			   "JOIN codes c ON c.id = k.code_id "
			   "WHERE k.status = 'suggested' AND (?1 = 0 OR "
			   "c.id = ?1 OR substr(c.path, 1, length((SELECT path "
			   "FROM codes WHERE id = ?1)) + 1) = (SELECT path "
			   "FROM codes WHERE id = ?1) || '/') "
			   "ORDER BY c.ord, c.id, k.doc_id, k.start, k.end, "
			   "k.id");
	sqlite3_bind_int64(st, 1, code_id);
	while (db_step(p, st)) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (n == 0) {
		printf("nothing to review: no suggested codings%s\n",
		       code ? " of that code" : "");
		free(ids);
		return QC_OK;
	}
	raw_terminal();
	for (i = 0; i < n; i++) {
		int key = 0;

		if (!show_coding(p, ids[i], i + 1, n)) {
			continue;
		}
		while (!key) {
			fputs("\n[a]ccept [r]eject [s]kip [q]uit? ", stdout);
			fflush(stdout);
			key = read_key();
		}
		if (key == 'q') {
			puts("quit");
			break;
		}
		if (key == 's') {
			puts("skipped");
			skip++;
			continue;
		}
		if (decide(p, ids[i], key == 'a' ? "accepted" : "rejected")) {
			puts(key == 'a' ? "accepted" : "rejected");
			if (key == 'a') {
				acc++;
			} else {
				rej++;
			}
		} else {
			puts("no longer suggested; left as it is");
		}
	}
	restore_terminal();
	printf("\n%zu accepted, %zu rejected, %zu skipped; %zu left to "
	       "review\n", acc, rej, skip, n - acc - rej);
	free(ids);
	return QC_OK;
}
