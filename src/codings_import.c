/*
 * codings_import.c - the engine of 'qcode codings import'
 * (cmd_codings_import.c reads the options): codings done elsewhere (a
 * spreadsheet, another tool, a coding team's tag files) read from a CSV
 * file and written into the project.
 *
 * Two layouts.  Long: one row per coding, columns found by name.  Wide
 * (--wide): one row per case, an id column and any number of code
 * columns, every filled cell coding the case's answer to one question.
 * The whole file is read and checked before anything is written: rows
 * naming documents or codes the project lacks are listed and nothing is
 * imported.  Codings already in the project are skipped, so importing
 * the same file twice adds nothing.
 *
 * Codes are read by lookup.h's code_resolve(), the rule of every
 * command: a file that writes hierarchy (--tag-separator given, or a
 * value containing the separator) gives full paths, and a value without
 * a separator is a top-level code; only a file writing no paths may name
 * a sub-code by a name only it has.  So the codings do not depend on the
 * order files are imported in.  A wide sheet naming a case twice is an
 * error; with --text-column the answer text a sheet carries is compared
 * with the project's.
 *
 * What 'qcode codings --format csv' lists imports back as it was: its
 * start and end are document offsets (a segment beside them must be
 * theirs, not bound them), and its status column (long layout) keeps
 * suggested and rejected codings so.
 */
#include "codings_import.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "coding.h"
#include "csv.h"
#include "import.h"
#include "lookup.h"
#include "text.h"
#include "util.h"

/* One coding read from the file, before it is written. */
struct row {
	size_t line;
	long long doc;      /* 0: not in the project */
	char *doc_name;     /* as named, for messages */
	char *value;        /* the code as the file writes it */
	char *path;         /* the code path */
	long long code;
	long long seg;      /* segment index, or -1 */
	long long start, end; /* -1: the whole document (or segment) */
	char *coder, *memo;
	const char *status; /* accepted (no status column), suggested, ... */
	char *text;         /* --text-column, long layout: the sheet's text */
	char *who;          /* with TEXT: the row's document, for messages */
};

/* The columns of the file. */
struct layout {
	size_t ncols;
	char **names;
	long doc, kase, question, code, start, end, seg, coder, memo, text;
	long status;        /* long layout only; -1: all accepted */
	long *codecols;     /* wide */
	size_t ncodecols;
	const char *qname;  /* the question, from --question or a column */
};

/* A row of a wide sheet: whose it is, to find a case on two rows. */
struct sheet_id {
	char *key;          /* "#DOC", or the id and question as written */
	char *id, *q;       /* the id and question as written */
	size_t line;
};

struct state {
	struct project *p;
	const struct ci_opts *o;
	const char *path;
	struct layout l;
	struct row *rows;
	size_t nrows, cap;
	size_t skipped;     /* rows without a code */
	struct sheet_id *ids; /* wide: the case of each row */
	size_t nids;
	size_t mismatches;  /* --text-column: texts that differ */
	size_t suggested, rejected; /* of the codings added */
	int hinted;         /* warned of a separator not given */
	sqlite3_stmt *case_get, *doc_by_case, *seg_get, *doc_text;
};


/* The index of column NAME (any case), or -1. */
static long find_col(const struct layout *l, const char *name)
{
	for (size_t i = 0; i < l->ncols; i++) {
		if (strcasecmp(l->names[i], name) == 0) {
			return (long)i;
		}
	}
	return -1;
}

/* The column names, comma-separated, for messages (into SB). */
static const char *columns_list(const struct layout *l, struct strbuf *sb)
{
	for (size_t i = 0; i < l->ncols; i++) {
		sb_addf(sb, "%s%s", i ? ", " : "", l->names[i]);
	}
	return sb_str(sb);
}

/* A column the user named by option: dies when the file lacks it. */
static long need_col(struct state *s, const char *opt, const char *name)
{
	long c = find_col(&s->l, name);
	struct strbuf sb = STRBUF_INIT;

	if (c < 0) {
		die(QC_INPUT, "%s '%s': no such column in '%s' (columns: %s)",
		    opt, name, s->path, columns_list(&s->l, &sb));
	}
	return c;
}

/* 1 when column NAME holds answers to a survey question of the
 * project. */
static int is_question(struct state *s, const char *name)
{
	return db_int(s->p, 0, "SELECT 1 FROM documents WHERE question = %Q "
			       "LIMIT 1", name) != 0;
}

/* Find the question: --question, else a 'question' column, else the one
 * column (not otherwise used) named after a question in the project. */
static void find_question(struct state *s, const long *used, size_t nused)
{
	struct layout *l = &s->l;
	struct strbuf sb = STRBUF_INIT;
	long found = -1;
	size_t n = 0;

	if (s->o->question) {
		if (!is_question(s, s->o->question)) {
			die(QC_NOTFOUND, "no answers to question '%s' in the "
					 "project", s->o->question);
		}
		l->qname = s->o->question;
		return;
	}
	if (l->question >= 0) {
		return;
	}
	for (size_t c = 0; c < l->ncols; c++) {
		int skip = 0;

		for (size_t u = 0; u < nused; u++) {
			skip |= used[u] == (long)c;
		}
		for (size_t u = 0; u < l->ncodecols; u++) {
			skip |= l->codecols[u] == (long)c;
		}
		if (!skip && is_question(s, l->names[c])) {
			sb_addf(&sb, "%s'%s'", n ? ", " : "", l->names[c]);
			found = (long)c;
			n++;
		}
	}
	if (n == 1) {
		l->qname = l->names[found];
		sb_release(&sb);
		return;
	}
	if (n > 1) {
		die(QC_INPUT, "several columns of '%s' are survey questions (%s); "
			      "name the one coded with --question", s->path,
		    sb_str(&sb));
	}
	die(QC_INPUT, "'%s' does not say which survey question it codes (no "
		      "'question' column, and no column is named after one); "
		      "name it with --question", s->path);
}

/* Work out the layout from the header (FIELDS) and the options. */
static void read_layout(struct state *s, char **fields, size_t n)
{
	const struct ci_opts *o = s->o;
	struct layout *l = &s->l;
	struct strbuf sb = STRBUF_INIT;

	l->ncols = n;
	l->names = xcalloc(n, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		l->names[i] = xstrdup(trim(fields[i]));
	}
	l->doc = find_col(l, "document");
	l->kase = find_col(l, "case");
	l->question = find_col(l, "question");
	l->start = find_col(l, "start");
	l->end = find_col(l, "end");
	l->seg = find_col(l, "segment");
	l->coder = find_col(l, "coder");
	l->memo = find_col(l, "memo");
	/* A wide sheet is often a survey export with codes added, whose
	 * 'Status' column (Qualtrics) means something else. */
	l->status = o->wide ? -1 : find_col(l, "status");
	l->code = -1;
	l->text = -1;
	if (o->text_column) {
		l->text = need_col(s, "--text-column", o->text_column);
	}
	if (o->id_column) {
		l->kase = need_col(s, "--id-column", o->id_column);
	}
	if (o->wide) {
		long used[2];

		if (!o->id_column) {
			l->kase = 0;
		}
		l->codecols = xcalloc(n, sizeof(long));
		if (o->code_columns) {
			for (char **c = o->code_columns; *c; c++) {
				l->codecols[l->ncodecols++] =
					need_col(s, "--code-columns", *c);
			}
		} else {
			for (size_t i = 0; i < n; i++) {
				if ((long)i != l->kase &&
				    strncasecmp(l->names[i], "code", 4) == 0) {
					l->codecols[l->ncodecols++] = (long)i;
				}
			}
		}
		if (!l->ncodecols) {
			die(QC_INPUT, "no code columns in '%s' (columns: %s); "
				      "name them with --code-columns",
			    s->path, columns_list(l, &sb));
		}
		used[0] = l->kase;
		used[1] = l->question;
		find_question(s, used, 2);
		return;
	}
	if (o->code_column) {
		l->code = need_col(s, "--code-column", o->code_column);
	} else {
		l->code = find_col(l, "code");
		if (l->code < 0) {
			l->code = find_col(l, "tag");
		}
	}
	if (l->code < 0) {
		die(QC_INPUT, "no 'code' column in '%s' (columns: %s); name it "
			      "with --code-column, or use --wide for one "
			      "column per code", s->path, columns_list(l, &sb));
	}
	if (l->doc < 0 && l->kase < 0) {
		die(QC_INPUT, "no 'document' or 'case' column in '%s' (columns: "
			      "%s); name the column of case ids with "
			      "--id-column", s->path, columns_list(l, &sb));
	}
	if (l->doc < 0) {
		long used[10] = { l->kase, l->code, l->start, l->end, l->seg,
				  l->coder, l->memo, l->question, l->doc,
				  l->status };

		find_question(s, used, 10);
	}
	if ((l->start < 0) != (l->end < 0)) {
		die(QC_INPUT, "'%s' has a '%s' column but no '%s' column",
		    s->path, l->start < 0 ? "end" : "start",
		    l->start < 0 ? "start" : "end");
	}
}

/* The case named NAME; a spreadsheet's "48.0" also finds case "48". */
static long long find_case(struct state *s, const char *name)
{
	long long id = 0;
	size_t d;

	db_bind_text(s->p, s->case_get, 1, name);
	if (db_step(s->p, s->case_get)) {
		id = sqlite3_column_int64(s->case_get, 0);
	}
	sqlite3_reset(s->case_get);
	if (id) {
		return id;
	}
	d = lookup_whole_number(name);
	if (d) {
		char *intpart = xstrndup(name, d);

		id = find_case(s, intpart);
		free(intpart);
	}
	return id;
}

/* The document of case CASE_NAME answering QUESTION, or 0. */
static long long find_answer(struct state *s, const char *case_name,
			     const char *question)
{
	long long kase = find_case(s, case_name), id = 0;

	if (!kase) {
		return 0;
	}
	sqlite3_bind_int64(s->doc_by_case, 1, kase);
	db_bind_text(s->p, s->doc_by_case, 2, question);
	if (db_step(s->p, s->doc_by_case)) {
		id = sqlite3_column_int64(s->doc_by_case, 0);
	}
	sqlite3_reset(s->doc_by_case);
	return id;
}

/* 1 when V is one of the --skip-codes values (or empty). */
static int skip_value(const struct ci_opts *o, const char *v)
{
	if (!*v) {
		return 1;
	}
	for (char **k = o->skip_codes; k && *k; k++) {
		if (strcmp(*k, v) == 0) {
			return 1;
		}
	}
	return 0;
}

/* Parse a non-negative offset; -1 when empty; dies when malformed. */
static long long parse_offset(struct state *s, const char *v, size_t line,
			      const char *what)
{
	char *end;
	long long n;

	if (!*v) {
		return -1;
	}
	n = strtoll(v, &end, 10);
	if (*v < '0' || *v > '9' || *end) {
		die(QC_INPUT, "%s '%s' is not a number, in '%s' at line %zu",
		    what, v, s->path, line);
	}
	return n;
}

/* A new row read at LINE, with no offsets or segment yet. */
static struct row *new_row(struct state *s, size_t line)
{
	struct row *r;

	if (s->nrows == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->rows = xrealloc(s->rows, s->cap * sizeof(*s->rows));
	}
	r = &s->rows[s->nrows++];
	memset(r, 0, sizeof(*r));
	r->line = line;
	r->status = "accepted";
	r->seg = -1;
	r->start = r->end = -1;
	return r;
}

/* Separators other tools write between levels, for a hint when no
 * --tag-separator is given. */
static const char *const other_seps[] = { "->", "::", " > ", NULL };

/* Set R's code, as the file writes it (V) and as a path; dies when a
 * level is empty.  Warns once of a value that looks written with
 * another separator: '->' without --tag-separator, or with '>' (which
 * would make a level 'monitor_students-'). */
static void set_code(struct state *s, struct row *r, const char *v)
{
	const char *given = s->o->tag_sep;

	r->value = xstrdup(v);
	r->path = tag_path(v, given ? given : "/");
	for (int i = 0; !s->hinted && other_seps[i]; i++) {
		char *copy = xstrdup(other_seps[i]);
		const char *sep = trim(copy);

		if (strstr(v, other_seps[i]) &&
		    (!given || (strcmp(sep, given) != 0 && strstr(sep, given)))) {
			warn("'%s' at line %zu of '%s' has '%s' in it: if that "
			     "separates levels, pass --tag-separator '%s'%s%s%s",
			     v, r->line, s->path, sep, sep,
			     given ? " (not '" : "", given ? given : "",
			     given ? "')" : "");
			s->hinted = 1;
		}
		free(copy);
	}
	if (!r->path) {
		die(QC_INPUT, "'%s' is not a code (a level of it is empty), in "
			      "'%s' at line %zu", v, s->path, r->line);
	}
}

/* TEXT with every run of white space (ASCII, no-break space) made one
 * space, and none at either end.  A new string. */
static char *squeeze_space(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	int gap = 0;

	for (const char *t = text; *t;) {
		size_t n = 0;

		if (*t == ' ' || (*t >= '\t' && *t <= '\r')) {
			n = 1;
		} else if ((unsigned char)t[0] == 0xC2 &&
			   (unsigned char)t[1] == 0xA0) {
			n = 2;
		}
		if (n) {
			gap = 1;
			t += n;
			continue;
		}
		if (gap && sb.len) {
			sb_addc(&sb, ' ');
		}
		gap = 0;
		sb_addc(&sb, *t++);
	}
	return sb_detach(&sb, NULL);
}

/* Up to 50 characters of S around byte AT (a character boundary), with
 * '...' where S goes on, into SB. */
static const char *excerpt(const char *s, size_t at, struct strbuf *sb)
{
	size_t len = strlen(s), b = at, e = at;

	for (int i = 0; i < 20 && b > 0; i++) {
		utf8_prev(s, &b);
	}
	for (int i = 0; i < 30 && e < len; i++) {
		utf8_next(s, len, &e);
	}
	sb_addf(sb, "%s%.*s%s", b ? "..." : "", (int)(e - b), s + b,
		e < len ? "..." : "");
	return sb_str(sb);
}

/* The text of document DOC (a new string). */
static char *doc_text(struct state *s, long long doc)
{
	char *text;

	sqlite3_bind_int64(s->doc_text, 1, doc);
	db_step(s->p, s->doc_text);
	text = xstrdup(db_col_text(s->doc_text, 0));
	sqlite3_reset(s->doc_text);
	return text;
}

/* --text-column: compare the text of the row at LINE (TEXT) with the
 * project's (STORED; WHO names it for the message); report a difference
 * (an error with --strict). */
static void check_text(struct state *s, const char *stored,
		       const char *text, size_t line, const char *who)
{
	char *mine = squeeze_space(text), *theirs = squeeze_space(stored);
	size_t at = 0;

	if (strcmp(mine, theirs) != 0) {
		struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
		char *msg;

		while (mine[at] && mine[at] == theirs[at]) {
			at++;
		}
		while (at > 0 && ((unsigned char)mine[at] & 0xC0) == 0x80) {
			at--;
		}
		msg = xasprintf("the text at line %zu of '%s' (%s) differs from "
				"the project's: '%s' where the project has "
				"'%s'", line, s->path, who,
				excerpt(mine, at, &a), excerpt(theirs, at, &b));
		if (s->o->strict) {
			error("%s", msg);
		} else {
			warn("%s", msg);
		}
		free(msg);
		sb_release(&a);
		sb_release(&b);
		s->mismatches++;
	}
	free(mine);
	free(theirs);
}

/* Field C of the record, trimmed; "" when the row is short or C < 0. */
static const char *field(struct csv_reader *r, long c)
{
	if (c < 0 || (size_t)c >= r->nfields) {
		return "";
	}
	return trim(r->fields[c]);
}

/* The status V names (any case; empty: accepted); dies on another
 * value, naming the row's LINE. */
static const char *parse_status(struct state *s, const char *v, size_t line)
{
	static const char *const names[] = { "accepted", "suggested",
					     "rejected", NULL };

	if (!*v) {
		return names[0];
	}
	for (int i = 0; names[i]; i++) {
		if (strcasecmp(v, names[i]) == 0) {
			return names[i];
		}
	}
	die(QC_INPUT, "unknown status '%s' (accepted, suggested or rejected), "
		      "in '%s' at line %zu", v, s->path, line);
}

/* Read one record of the long layout into a row (or count it skipped
 * when its code cell is empty or a --skip-codes value). */
static void read_long_row(struct state *s, struct csv_reader *cr)
{
	const struct layout *l = &s->l;
	const char *code = field(cr, l->code);
	struct row *r;

	if (skip_value(s->o, code)) {
		s->skipped++;
		return;
	}
	r = new_row(s, cr->rec_line);
	set_code(s, r, code);
	if (l->doc >= 0 && *field(cr, l->doc)) {
		r->doc_name = xstrdup(field(cr, l->doc));
		r->doc = lookup_document_id(s->p, r->doc_name);
		if (l->text >= 0) {
			r->who = xasprintf("document '%s'", r->doc_name);
		}
	} else {
		const char *q = l->qname ? l->qname : field(cr, l->question);

		r->doc_name = xasprintf("%s/%s", field(cr, l->kase), q);
		r->doc = find_answer(s, field(cr, l->kase), q);
		if (l->text >= 0) {
			r->who = xasprintf("case '%s', question '%s'",
					   field(cr, l->kase), q);
		}
	}
	if (l->text >= 0) {
		r->text = xstrdup(field(cr, l->text));
	}
	r->start = parse_offset(s, field(cr, l->start), r->line, "start");
	r->end = parse_offset(s, field(cr, l->end), r->line, "end");
	r->seg = parse_offset(s, field(cr, l->seg), r->line, "segment");
	if ((r->start < 0) != (r->end < 0)) {
		die(QC_INPUT, "a start without an end or an end without a "
			      "start, in '%s' at line %zu", s->path, r->line);
	}
	if (r->start >= 0 && r->end <= r->start) {
		die(QC_INPUT, "empty span %lld-%lld, in '%s' at line %zu",
		    r->start, r->end, s->path, r->line);
	}
	if (*field(cr, l->coder)) {
		r->coder = xstrdup(field(cr, l->coder));
	}
	if (*field(cr, l->memo)) {
		r->memo = xstrdup(field(cr, l->memo));
	}
	r->status = parse_status(s, field(cr, l->status), r->line);
}

/* Read one record of the wide layout: a row per filled code cell. */
static void read_wide_row(struct state *s, struct csv_reader *cr)
{
	const struct layout *l = &s->l;
	const char *id = field(cr, l->kase);
	const char *q = l->qname ? l->qname : field(cr, l->question);
	long long doc = 0;
	size_t coded = 0;

	if (*id) {
		struct sheet_id *k;

		doc = find_answer(s, id, q);
		s->ids = xrealloc(s->ids, (s->nids + 1) * sizeof(*s->ids));
		k = &s->ids[s->nids++];
		k->key = doc ? xasprintf("#%lld", doc)
			     : xasprintf("%s\x1f%s", id, q);
		k->id = xstrdup(id);
		k->q = xstrdup(q);
		k->line = cr->rec_line;
		if (doc && l->text >= 0) {
			char *who = xasprintf("case '%s', question '%s'", id,
					      q);
			char *stored = doc_text(s, doc);

			check_text(s, stored, field(cr, l->text),
				   cr->rec_line, who);
			free(stored);
			free(who);
		}
	}
	for (size_t i = 0; i < l->ncodecols; i++) {
		const char *code = field(cr, l->codecols[i]);
		struct row *r;

		if (skip_value(s->o, code)) {
			continue;
		}
		if (!*id) {
			die(QC_INPUT, "codes but no case id, in '%s' at line "
				      "%zu", s->path, cr->rec_line);
		}
		r = new_row(s, cr->rec_line);
		set_code(s, r, code);
		r->doc = doc;
		r->doc_name = xasprintf("%s/%s", id, q);
		coded++;
	}
	if (!coded) {
		s->skipped++;
	}
}

/* qsort: sheet rows by case, then line. */
static int cmp_sheet_id(const void *a, const void *b)
{
	const struct sheet_id *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Wide: die when a case is on two rows (the first such pair by line). */
static void check_duplicates(struct state *s)
{
	const struct sheet_id *first = NULL, *second = NULL;
	size_t more = 0;
	char *as;

	if (s->nids < 2) {
		return;
	}
	qsort(s->ids, s->nids, sizeof(*s->ids), cmp_sheet_id);
	for (size_t i = 1; i < s->nids; i++) {
		const struct sheet_id *a = &s->ids[i - 1], *b = &s->ids[i];

		if (strcmp(a->key, b->key) != 0) {
			continue;
		}
		/* A is the group's first row only when it starts it. */
		while (a > s->ids && strcmp(a[-1].key, a->key) == 0) {
			a--;
		}
		more++;
		if (!second || b->line < second->line) {
			first = a;
			second = b;
		}
	}
	if (!second) {
		return;
	}
	/* die() exits: AS stays reachable until then. */
	as = strcmp(first->id, second->id) == 0
		     ? xstrdup("")
		     : xasprintf(" (as '%s')", second->id);
	if (s->l.qname) {
		die(QC_INPUT, "case '%s' is on two rows of '%s', lines %zu and "
			      "%zu%s%s; a sheet has one row per case: merge "
			      "them; nothing imported",
		    first->id, s->path, first->line, second->line, as,
		    more > 1 ? " (and more cases are on several rows)" : "");
	}
	die(QC_INPUT, "case '%s' with question '%s' is on two rows of '%s', "
		      "lines %zu and %zu%s%s; a sheet has one row per case and "
		      "question: merge them; nothing imported",
	    first->id, first->q, s->path, first->line, second->line, as,
	    more > 1 ? " (and more are on several rows)" : "");
}

/* Die listing the first rows naming documents not in the project. */
static void check_documents(struct state *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;

	for (size_t i = 0; i < s->nrows; i++) {
		if (s->rows[i].doc) {
			continue;
		}
		if (n < 5) {
			sb_addf(&sb, "%sline %zu '%s'", n ? ", " : "",
				s->rows[i].line, s->rows[i].doc_name);
		}
		n++;
	}
	if (n > 5) {
		sb_addf(&sb, " and %zu more", n - 5);
	}
	if (n) {
		die(QC_NOTFOUND, "%zu row%s of '%s' %s not in the project: %s; "
				 "nothing imported",
		    n, n == 1 ? "" : "s", s->path,
		    n == 1 ? "names a document that is"
			   : "name documents that are",
		    sb_str(&sb));
	}
	sb_release(&sb);
}

/* Distinct names for a message: the first ten quoted in LIST, the
 * count of all in N. */
struct namelist {
	struct strbuf list;
	char **seen;
	size_t n;
};

static void namelist_add(struct namelist *nl, const char *item)
{
	for (size_t i = 0; i < nl->n; i++) {
		if (strcmp(nl->seen[i], item) == 0) {
			return;
		}
	}
	nl->seen = xrealloc(nl->seen, (nl->n + 1) * sizeof(char *));
	nl->seen[nl->n++] = xstrdup(item);
	if (nl->n <= 10) {
		sb_addf(&nl->list, "%s'%s'", nl->n > 1 ? ", " : "", item);
	}
}

/* The list for a message: "'a', 'b', ... and 5 more".  Call once. */
static const char *namelist_str(struct namelist *nl)
{
	if (nl->n > 10) {
		sb_addf(&nl->list, " and %zu more", nl->n - 10);
	}
	return sb_str(&nl->list);
}

static void namelist_release(struct namelist *nl)
{
	for (size_t i = 0; i < nl->n; i++) {
		free(nl->seen[i]);
	}
	free(nl->seen);
	sb_release(&nl->list);
}

/* Resolve every row's code by code_resolve(); with --create-codes
 * create missing ones, else die listing them.  Returns the number of
 * codes created. */
static size_t resolve_codes(struct state *s)
{
	struct namelist missing, grouping;
	struct strbuf ambiguous = STRBUF_INIT, hint = STRBUF_INIT;
	struct strbuf cands = STRBUF_INIT;
	long long before = db_int(s->p, 0, "SELECT count(*) FROM codes");
	size_t created, namb = 0;
	int paths = s->o->tag_sep != NULL, flags;

	/* A file writes hierarchy when a separator is given or any of its
	 * values has one: then a value without one is a top-level code. */
	for (size_t i = 0; i < s->nrows && !paths; i++) {
		paths = strchr(s->rows[i].path, '/') != NULL;
	}
	flags = (paths ? 0 : CODE_BY_NAME) | (s->o->create ? CODE_CREATE : 0);
	memset(&missing, 0, sizeof(missing));
	memset(&grouping, 0, sizeof(grouping));
	for (size_t i = 0; i < s->nrows; i++) {
		struct row *r = &s->rows[i];

		/* Rows of one code often follow each other. */
		if (i && strcmp(r->path, s->rows[i - 1].path) == 0) {
			r->code = s->rows[i - 1].code;
			continue;
		}
		sb_reset(&cands);
		switch (code_resolve(s->p, r->path, flags, &r->code, &cands)) {
		case CODE_FOUND:
			if (!db_int(s->p, 1, "SELECT codable FROM codes WHERE "
					     "id = %lld", r->code)) {
				namelist_add(&grouping, r->path);
			}
			break;
		case CODE_AMBIGUOUS:
			if (!namb++) {
				sb_addf(&ambiguous, "'%s' at line %zu of '%s' "
					"is ambiguous: %s", r->value, r->line,
					s->path, sb_str(&cands));
			}
			break;
		case CODE_MISSING:
			if (s->o->create) {
				r->code = code_get_or_create(s->p, r->path);
				break;
			}
			if (cands.len && !hint.len) {
				sb_addf(&hint, " ('%s' is not a top-level code; "
					"%s %s that name)", r->value,
					sb_str(&cands),
					strchr(cands.buf, ',') ? "have"
							       : "has");
			}
			namelist_add(&missing, r->path);
			break;
		}
	}
	if (namb) {
		die(QC_INPUT, "code %s%s; write the full path%s; nothing "
			      "imported", sb_str(&ambiguous),
		    namb > 1 ? " (so are other values)" : "",
		    s->o->create ? ", or pass --tag-separator so that a value "
				   "without one is a top-level code" : "");
	}
	if (missing.n) {
		die(QC_NOTFOUND, "%zu code%s in '%s' %s not in the codebook: %s%s; "
				 "load %s with 'qcode codebook load FILE' or "
				 "pass --create-codes; nothing imported",
		    missing.n, missing.n == 1 ? "" : "s", s->path,
		    missing.n == 1 ? "is" : "are", namelist_str(&missing),
		    sb_str(&hint), missing.n == 1 ? "it" : "them");
	}
	if (grouping.n) {
		die(QC_INPUT, "'%s' codes with %s, which only group other codes "
			      "(codable: no); nothing imported",
		    s->path, namelist_str(&grouping));
	}
	created = (size_t)(db_int(s->p, 0, "SELECT count(*) FROM codes") -
			   before);
	namelist_release(&missing);
	namelist_release(&grouping);
	sb_release(&ambiguous);
	sb_release(&hint);
	sb_release(&cands);
	return created;
}

/* The span row R codes, into C: the whole document, segment R->seg, or
 * R's offsets.  Offsets are the document's (as 'qcode codings' lists
 * them) and must lie within it; a segment named beside them does not
 * bound them (a coding may start on a speaker label or run into the next
 * paragraph) but must be theirs by segment_of_span()'s rule, as the
 * listing writes it.  C->segment_id is set when a segment is named.
 * Dies naming the line when the segment or span is not there. */
static void row_span(struct state *s, const struct row *r, struct coding *c)
{
	long long seg_start = 0, seg_end = 0;

	c->start = 0;
	c->end = db_int(s->p, 0, "SELECT chars FROM documents WHERE id = %lld",
			r->doc);
	if (r->start >= 0 && r->end > c->end) {
		die(QC_INPUT, "span %lld-%lld is outside document '%s' "
			      "(characters 0-%lld), in '%s' at line %zu",
		    r->start, r->end, r->doc_name, c->end, s->path, r->line);
	}
	if (r->seg >= 0) {
		sqlite3_bind_int64(s->seg_get, 1, r->doc);
		sqlite3_bind_int64(s->seg_get, 2, r->seg);
		if (!db_step(s->p, s->seg_get)) {
			die(QC_NOTFOUND, "no segment %lld in '%s', in '%s' at "
					 "line %zu", r->seg, r->doc_name,
			    s->path, r->line);
		}
		c->segment_id = sqlite3_column_int64(s->seg_get, 0);
		seg_start = sqlite3_column_int64(s->seg_get, 1);
		seg_end = sqlite3_column_int64(s->seg_get, 2);
		sqlite3_reset(s->seg_get);
	}
	if (r->start < 0) {
		if (r->seg >= 0) {
			c->start = seg_start;
			c->end = seg_end;
		}
		return;
	}
	c->start = r->start;
	c->end = r->end;
	if (r->seg >= 0) {
		long long own = segment_of_span(s->p, r->doc, r->start);

		if (own != c->segment_id) {
			char *whose = own ? xasprintf(
				"segment %lld", db_int(s->p, -1, "SELECT idx "
					"FROM segments WHERE id = %lld", own))
					  : xasprintf("no segment (none ends "
						      "after %lld)", r->start);

			/* die() exits: WHOSE stays reachable until then. */
			die(QC_INPUT, "span %lld-%lld of '%s' belongs to %s, "
				      "not segment %lld (characters "
				      "%lld-%lld): a coding's segment is the "
				      "first ending after its start; correct "
				      "the segment or leave it empty, in '%s' "
				      "at line %zu",
			    r->start, r->end, r->doc_name, whose, r->seg,
			    seg_start, seg_end, s->path, r->line);
		}
	}
}

/* --text-column, long layout: compare each row's text with what it
 * codes: the answer (document), or its segment or span. */
static void check_row_texts(struct state *s)
{
	for (size_t i = 0; i < s->nrows; i++) {
		const struct row *r = &s->rows[i];
		struct coding c;
		struct offmap m;
		char *text, *span, *who;
		size_t b0, b1;

		if (!r->text) {
			continue;
		}
		memset(&c, 0, sizeof(c));
		row_span(s, r, &c);
		text = doc_text(s, r->doc);
		offmap_init(&m, text, strlen(text));
		b0 = offmap_byte(&m, (size_t)c.start);
		b1 = offmap_byte(&m, (size_t)c.end);
		span = xstrndup(text + b0, b1 - b0);
		if (r->seg >= 0 || r->start >= 0) {
			who = xasprintf("%s, characters %lld-%lld", r->who,
					c.start, c.end);
		} else {
			who = xstrdup(r->who);
		}
		check_text(s, span, r->text, r->line, who);
		free(who);
		free(span);
		offmap_release(&m);
		free(text);
	}
}

/* qsort comparison of ids. */
static int cmp_id(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Write the rows; returns the number of codings added (*DUP: already
 * present; *NDOCS: documents given new codings). */
static size_t write_rows(struct state *s, size_t *dup, size_t *ndocs)
{
	sqlite3_stmt *exists = db_prepare(
		s->p, "SELECT 1 FROM codings WHERE doc_id = ? AND code_id = ? "
		      "AND coder_id = ? AND start = ? AND end = ? LIMIT 1");
	const char *dflt = s->o->coder ? s->o->coder : "unknown";
	long long dflt_id = coder_get(s->p, dflt);
	long long *docs = xcalloc(s->nrows + 1, sizeof(long long));
	size_t added = 0;

	*dup = 0;
	*ndocs = 0;
	for (size_t i = 0; i < s->nrows; i++) {
		struct row *r = &s->rows[i];
		struct coding c;
		int found;

		memset(&c, 0, sizeof(c));
		c.doc_id = r->doc;
		c.code_id = r->code;
		c.coder_id = r->coder ? coder_get(s->p, r->coder) : dflt_id;
		c.origin = "imported";
		c.status = r->status;
		c.memo = r->memo;
		row_span(s, r, &c);
		if (!c.segment_id) {
			c.segment_id = segment_of_span(s->p, c.doc_id,
						       c.start);
		}
		sqlite3_bind_int64(exists, 1, c.doc_id);
		sqlite3_bind_int64(exists, 2, c.code_id);
		sqlite3_bind_int64(exists, 3, c.coder_id);
		sqlite3_bind_int64(exists, 4, c.start);
		sqlite3_bind_int64(exists, 5, c.end);
		found = db_step(s->p, exists);
		sqlite3_reset(exists);
		if (found) {
			(*dup)++;
			continue;
		}
		coding_insert(s->p, &c);
		s->suggested += strcmp(c.status, "suggested") == 0;
		s->rejected += strcmp(c.status, "rejected") == 0;
		docs[added++] = r->doc;
	}
	sqlite3_finalize(exists);
	qsort(docs, added, sizeof(long long), cmp_id);
	for (size_t i = 0; i < added; i++) {
		*ndocs += !i || docs[i] != docs[i - 1];
	}
	free(docs);
	return added;
}

/* Free the rows, the layout and the statements. */
static void state_release(struct state *s)
{
	for (size_t i = 0; i < s->nrows; i++) {
		free(s->rows[i].doc_name);
		free(s->rows[i].path);
		free(s->rows[i].value);
		free(s->rows[i].coder);
		free(s->rows[i].memo);
		free(s->rows[i].text);
		free(s->rows[i].who);
	}
	free(s->rows);
	for (size_t i = 0; i < s->nids; i++) {
		free(s->ids[i].key);
		free(s->ids[i].id);
		free(s->ids[i].q);
	}
	free(s->ids);
	for (size_t i = 0; i < s->l.ncols; i++) {
		free(s->l.names[i]);
	}
	free(s->l.names);
	free(s->l.codecols);
	sqlite3_finalize(s->case_get);
	sqlite3_finalize(s->doc_by_case);
	sqlite3_finalize(s->seg_get);
	sqlite3_finalize(s->doc_text);
}

void import_codings(struct project *p, const struct ci_opts *o,
		    const char *path)
{
	struct import_file f;
	struct csv_reader cr;
	struct state s;
	size_t created, added, dup, ndocs;
	int rc;

	memset(&s, 0, sizeof(s));
	s.p = p;
	s.o = o;
	s.path = path;
	s.case_get = db_prepare(p, "SELECT id FROM cases WHERE name = ?");
	s.doc_by_case = db_prepare(p, "SELECT id FROM documents WHERE "
				      "case_id = ? AND question = ? "
				      "ORDER BY id LIMIT 1");
	s.seg_get = db_prepare(p, "SELECT id, start, end FROM segments WHERE "
				  "doc_id = ? AND idx = ?");
	s.doc_text = db_prepare(p, "SELECT text FROM documents WHERE id = ?");
	if (o->data) {
		import_read_mem(&f, path, o->data, o->datalen, o->encoding, 0);
	} else {
		import_read(&f, path, o->encoding, 0);
	}
	{
		size_t b = strspn(f.text, " \t\r\n");

		if (b < f.len && (f.text[b] == '[' || f.text[b] == '{')) {
			die(QC_INPUT, "'%s' looks like JSON; codings import "
				      "reads CSV (write the listing with "
				      "'qcode codings --format csv')", path);
		}
	}
	csv_init(&cr, f.text, f.len,
		 o->delimiter ? o->delimiter : csv_detect(f.text, f.len));
	rc = csv_next(&cr);
	if (rc == 0) {
		die(QC_INPUT, "'%s' is empty: no header row", path);
	}
	while (rc > 0) {
		if (!s.l.names) {
			read_layout(&s, cr.fields, cr.nfields);
		} else if (o->wide) {
			read_wide_row(&s, &cr);
		} else {
			read_long_row(&s, &cr);
		}
		rc = csv_next(&cr);
	}
	if (rc < 0) {
		die(QC_INPUT, "%s in '%s' at line %zu", cr.err, path,
		    cr.err_line);
	}
	check_duplicates(&s);
	check_documents(&s);
	check_row_texts(&s);
	if (s.mismatches && o->strict) {
		die(QC_INPUT, "%zu text%s in '%s' differ%s from the project's "
			      "(listed above); nothing imported",
		    s.mismatches, s.mismatches == 1 ? "" : "s", path,
		    s.mismatches == 1 ? "s" : "");
	}
	created = resolve_codes(&s);
	added = write_rows(&s, &dup, &ndocs);
	printf("imported %zu coding%s", added, added == 1 ? "" : "s");
	if (added) {
		printf(" of %zu document%s", ndocs, ndocs == 1 ? "" : "s");
	}
	printf(" from '%s'", path);
	if (s.suggested || s.rejected) {
		printf(" (");
		if (s.suggested) {
			printf("%zu suggested%s", s.suggested,
			       s.rejected ? ", " : "");
		}
		if (s.rejected) {
			printf("%zu rejected", s.rejected);
		}
		putchar(')');
	}
	if (created) {
		printf("; created %zu code%s", created, created == 1 ? "" : "s");
	}
	if (dup) {
		printf("; %zu already present", dup);
	}
	if (s.skipped) {
		printf("; %zu row%s without a code", s.skipped,
		       s.skipped == 1 ? "" : "s");
	}
	if (s.mismatches) {
		printf("; %zu text%s differ%s from the project's", s.mismatches,
		       s.mismatches == 1 ? "" : "s",
		       s.mismatches == 1 ? "s" : "");
	}
	putchar('\n');
	csv_release(&cr);
	import_file_release(&f);
	state_release(&s);
}
