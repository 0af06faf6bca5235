/*
 * codings_import.c - qcode codings import FILE.csv: codings done
 * elsewhere (a spreadsheet, another tool, a coding team's tag files).
 *
 * Two layouts.  Long: one row per coding, columns found by name.  Wide
 * (--wide): one row per case, an id column and any number of code
 * columns, every filled cell coding the case's answer to one question.
 * The whole file is read and checked before anything is written: rows
 * naming documents or codes the project lacks are listed and nothing is
 * imported.  Codings already in the project are skipped, so importing
 * the same file twice adds nothing.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "coding.h"
#include "commands.h"
#include "csv.h"
#include "import.h"
#include "lookup.h"
#include "util.h"

/* Shown with a usage error. */
static const char short_usage[] =
	"usage: qcode codings import [OPTIONS] FILE.csv\n"
	"'qcode codings import --help' describes the layouts and options.\n";

static const char usage[] =
	"usage: qcode codings import [OPTIONS] FILE.csv\n"
	"\n"
	"Import codings done elsewhere; they are 'imported' and accepted.\n"
	"Long layout (the default): one row per coding; columns by name:\n"
	"  document      the document's name or id, or instead\n"
	"  case          the respondent, with 'question' (or --question) for\n"
	"                the survey answer coded\n"
	"  code          the code: a path 'Parent/Child' or a name only one\n"
	"                code has ('tag' is read when there is no 'code')\n"
	"  start, end    optional: characters from 0, the end excluded; a row\n"
	"                without them codes the whole document\n"
	"  segment       optional: code segment N instead\n"
	"  coder, memo   optional\n"
	"Wide layout (--wide): an id column naming the case and any number of\n"
	"code columns ('Code 1', 'Code 2', ...); each filled cell codes the\n"
	"case's answer to --question Q.\n"
	"Without a question column or --question, the question is the one\n"
	"column named after a survey question in the project.  Codings\n"
	"already in the project are skipped.\n"
	"\n"
	"  --wide              the wide layout\n"
	"  --question Q        the survey question the codes apply to\n"
	"  --id-column COL     the column naming the case (long: when there is\n"
	"                      no 'case' column; wide: default the first)\n"
	"  --code-column COL   long: the column holding the code\n"
	"  --code-columns A,B  wide: the code columns (default: every column\n"
	"                      whose name starts with 'code')\n"
	"  --tag-separator C   codes are tags whose levels C separates:\n"
	"                      with ':', 'Press:Transparency' is the code\n"
	"                      Press/Transparency (a '/' inside a tag becomes\n"
	"                      U+2215 '\xE2\x88\x95')\n"
	"  --skip-codes V,W    code values that mean no code (NotCodable)\n"
	"  --create-codes      create codes the codebook lacks\n"
	"  --coder NAME        the coder where the file names none (default\n"
	"                      $QCODE_CODER, else the login name)\n"
	"  --encoding E        the file's encoding (cp1252, cp1255, ...)\n"
	"  --delimiter C       field separator (default: detect , ; or tab)\n"
	"  -p, --project FILE  the project (default $QCODE_PROJECT or\n"
	"                      ./project.qcode)\n";

enum {
	O_WIDE = OPT_BASE, O_QUESTION, O_IDCOL, O_CODECOL, O_CODECOLS,
	O_TAGSEP, O_SKIP, O_CREATE, O_CODER, O_ENCODING, O_DELIM,
};

struct ci_opts {
	int wide, create;
	const char *question, *id_column, *code_column, *coder, *encoding;
	char **code_columns, **skip_codes;
	char tag_sep, delimiter;
};

/* One coding read from the file, before it is written. */
struct row {
	size_t line;
	long long doc;      /* 0: not in the project */
	char *doc_name;     /* as named, for messages */
	char *path;         /* the code path */
	long long code;
	long long seg;      /* segment index, or -1 */
	long long start, end; /* -1: the whole document (or segment) */
	char *coder, *memo;
};

/* The columns of the file. */
struct layout {
	size_t ncols;
	char **names;
	long doc, kase, question, code, start, end, seg, coder, memo;
	long *codecols;     /* wide */
	size_t ncodecols;
	const char *qname;  /* the question, from --question or a column */
};

struct state {
	struct project *p;
	const struct ci_opts *o;
	const char *path;
	struct layout l;
	struct row *rows;
	size_t nrows, cap;
	size_t skipped;     /* rows without a code */
	sqlite3_stmt *case_get, *doc_by_case, *seg_get;
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
	l->code = -1;
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
		long used[9] = { l->kase, l->code, l->start, l->end, l->seg,
				 l->coder, l->memo, l->question, l->doc };

		find_question(s, used, 9);
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
	size_t n = strlen(name), d = 0;

	db_bind_text(s->p, s->case_get, 1, name);
	if (db_step(s->p, s->case_get)) {
		id = sqlite3_column_int64(s->case_get, 0);
	}
	sqlite3_reset(s->case_get);
	if (id) {
		return id;
	}
	while (d < n && isdigit((unsigned char)name[d])) {
		d++;
	}
	if (d > 0 && d + 1 < n && name[d] == '.' &&
	    strspn(name + d + 1, "0") == n - d - 1) {
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
	r->seg = -1;
	r->start = r->end = -1;
	return r;
}

/* The code path of cell V at LINE; dies when a level is empty. */
static char *code_path(struct state *s, const char *v, size_t line)
{
	char *path = tag_to_code_path(v, s->o->tag_sep ? s->o->tag_sep : '/');

	if (!path) {
		die(QC_INPUT, "'%s' is not a code (a level of it is empty), in "
			      "'%s' at line %zu", v, s->path, line);
	}
	return path;
}

/* Field C of the record, trimmed; "" when the row is short or C < 0. */
static const char *field(struct csv_reader *r, long c)
{
	if (c < 0 || (size_t)c >= r->nfields) {
		return "";
	}
	return trim(r->fields[c]);
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
	r->path = code_path(s, code, r->line);
	if (l->doc >= 0 && *field(cr, l->doc)) {
		r->doc_name = xstrdup(field(cr, l->doc));
		r->doc = lookup_document_id(s->p, r->doc_name);
	} else {
		const char *q = l->qname ? l->qname : field(cr, l->question);

		r->doc_name = xasprintf("%s/%s", field(cr, l->kase), q);
		r->doc = find_answer(s, field(cr, l->kase), q);
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
}

/* Read one record of the wide layout: a row per filled code cell. */
static void read_wide_row(struct state *s, struct csv_reader *cr)
{
	const struct layout *l = &s->l;
	const char *id = field(cr, l->kase);
	const char *q = l->qname ? l->qname : field(cr, l->question);
	long long doc = -1;

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
		if (doc < 0) {
			doc = find_answer(s, id, q);
		}
		r = new_row(s, cr->rec_line);
		r->path = code_path(s, code, r->line);
		r->doc = doc;
		r->doc_name = xasprintf("%s/%s", id, q);
	}
	if (doc < 0) {
		s->skipped++;
	}
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

/* Resolve every row's code; with --create-codes create missing ones,
 * else die listing them.  Returns the number of codes created. */
static size_t resolve_codes(struct state *s)
{
	struct namelist missing, grouping;
	struct strbuf ambiguous = STRBUF_INIT;
	long long before = db_int(s->p, 0, "SELECT count(*) FROM codes");
	size_t created;

	memset(&missing, 0, sizeof(missing));
	memset(&grouping, 0, sizeof(grouping));
	for (size_t i = 0; i < s->nrows; i++) {
		struct row *r = &s->rows[i];
		int amb = 0;

		/* Rows of one code often follow each other. */
		if (i && strcmp(r->path, s->rows[i - 1].path) == 0) {
			r->code = s->rows[i - 1].code;
			continue;
		}
		r->code = code_find(s->p, r->path, &amb);
		if (r->code) {
			if (!db_int(s->p, 1, "SELECT codable FROM codes WHERE "
					     "id = %lld", r->code)) {
				namelist_add(&grouping, r->path);
			}
		} else if (amb) {
			if (!ambiguous.len) {
				sb_addf(&ambiguous, "'%s' at line %zu", r->path,
					r->line);
			}
		} else if (s->o->create) {
			r->code = code_get_or_create(s->p, r->path);
		} else {
			namelist_add(&missing, r->path);
		}
	}
	if (ambiguous.len) {
		die(QC_INPUT, "code name %s of '%s' is ambiguous (several codes "
			      "have it); write its path 'Parent/Child'",
		    sb_str(&ambiguous), s->path);
	}
	if (missing.n) {
		die(QC_NOTFOUND, "%zu code%s in '%s' %s not in the codebook: %s; "
				 "load %s with 'qcode codebook load FILE' or "
				 "pass --create-codes; nothing imported",
		    missing.n, missing.n == 1 ? "" : "s", s->path,
		    missing.n == 1 ? "is" : "are", namelist_str(&missing),
		    missing.n == 1 ? "it" : "them");
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
	return created;
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
	const char *dflt = cli_coder(s->o->coder);
	long long dflt_id = coder_get(s->p, dflt);
	long long *docs = xcalloc(s->nrows + 1, sizeof(long long));
	size_t added = 0;

	*dup = 0;
	*ndocs = 0;
	for (size_t i = 0; i < s->nrows; i++) {
		struct row *r = &s->rows[i];
		struct coding c;
		long long chars = db_int(s->p, 0, "SELECT chars FROM documents "
						  "WHERE id = %lld", r->doc);
		int found;

		memset(&c, 0, sizeof(c));
		c.doc_id = r->doc;
		c.code_id = r->code;
		c.coder_id = r->coder ? coder_get(s->p, r->coder) : dflt_id;
		c.origin = "imported";
		c.status = "accepted";
		c.memo = r->memo;
		c.start = 0;
		c.end = chars;
		if (r->seg >= 0) {
			sqlite3_bind_int64(s->seg_get, 1, r->doc);
			sqlite3_bind_int64(s->seg_get, 2, r->seg);
			if (!db_step(s->p, s->seg_get)) {
				die(QC_NOTFOUND, "no segment %lld in '%s', in "
						 "'%s' at line %zu", r->seg,
				    r->doc_name, s->path, r->line);
			}
			c.segment_id = sqlite3_column_int64(s->seg_get, 0);
			c.start = sqlite3_column_int64(s->seg_get, 1);
			c.end = sqlite3_column_int64(s->seg_get, 2);
			sqlite3_reset(s->seg_get);
		}
		if (r->start >= 0) {
			if (r->end > c.end || r->start < c.start) {
				die(QC_INPUT, "span %lld-%lld is outside '%s' "
					      "(%lld-%lld), in '%s' at line "
					      "%zu", r->start, r->end,
				    r->doc_name, c.start, c.end, s->path,
				    r->line);
			}
			c.start = r->start;
			c.end = r->end;
		}
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
		free(s->rows[i].coder);
		free(s->rows[i].memo);
	}
	free(s->rows);
	for (size_t i = 0; i < s->l.ncols; i++) {
		free(s->l.names[i]);
	}
	free(s->l.names);
	free(s->l.codecols);
	sqlite3_finalize(s->case_get);
	sqlite3_finalize(s->doc_by_case);
	sqlite3_finalize(s->seg_get);
}

/* Import PATH: read and check every row, then write. */
static void import_codings(struct project *p, const struct ci_opts *o,
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
	import_read(&f, path, o->encoding, 0);
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
	check_documents(&s);
	created = resolve_codes(&s);
	added = write_rows(&s, &dup, &ndocs);
	printf("imported %zu coding%s", added, added == 1 ? "" : "s");
	if (added) {
		printf(" of %zu document%s", ndocs, ndocs == 1 ? "" : "s");
	}
	printf(" from '%s'", path);
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
	putchar('\n');
	csv_release(&cr);
	import_file_release(&f);
	state_release(&s);
}

int cmd_codings_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{ "wide", no_argument, NULL, O_WIDE },
		{ "question", required_argument, NULL, O_QUESTION },
		{ "id-column", required_argument, NULL, O_IDCOL },
		{ "code-column", required_argument, NULL, O_CODECOL },
		{ "code-columns", required_argument, NULL, O_CODECOLS },
		{ "tag-separator", required_argument, NULL, O_TAGSEP },
		{ "skip-codes", required_argument, NULL, O_SKIP },
		{ "create-codes", no_argument, NULL, O_CREATE },
		{ "coder", required_argument, NULL, O_CODER },
		{ "encoding", required_argument, NULL, O_ENCODING },
		{ "delimiter", required_argument, NULL, O_DELIM },
		{ NULL, 0, NULL, 0 },
	};
	struct ci_opts o;
	int c;

	memset(&o, 0, sizeof(o));
	ctx->usage = short_usage;
	cli_help(argc, argv, usage);
	while ((c = cli_getopt(ctx, argc, argv, CLI_COMMON_SHORT, opts)) !=
	       -1) {
		switch (c) {
		case O_WIDE:
			o.wide = 1;
			break;
		case O_QUESTION:
			o.question = optarg;
			break;
		case O_IDCOL:
			o.id_column = optarg;
			break;
		case O_CODECOL:
			o.code_column = optarg;
			break;
		case O_CODECOLS:
			free_strv(o.code_columns);
			o.code_columns = split_list(optarg, ',');
			break;
		case O_TAGSEP:
			if (strlen(optarg) != 1) {
				cli_usage_error(ctx, "--tag-separator takes one "
						"character, not '%s'", optarg);
			}
			o.tag_sep = optarg[0];
			break;
		case O_SKIP:
			free_strv(o.skip_codes);
			o.skip_codes = split_list(optarg, ',');
			break;
		case O_CREATE:
			o.create = 1;
			break;
		case O_CODER:
			o.coder = optarg;
			break;
		case O_ENCODING:
			o.encoding = optarg;
			break;
		case O_DELIM:
			o.delimiter = cli_delimiter(ctx, optarg);
			break;
		default:
			cli_usage_error(ctx, "unexpected option");
		}
	}
	if (argc - optind != 1) {
		cli_usage_error(ctx, "name one CSV file of codings");
	}
	if (o.code_column && o.wide) {
		cli_usage_error(ctx, "--code-column is for the long layout; "
				"with --wide name the columns with "
				"--code-columns");
	}
	if (o.code_columns && !o.wide) {
		cli_usage_error(ctx, "--code-columns needs --wide");
	}
	import_codings(cli_open(ctx, CLI_WRITE), &o, argv[optind]);
	free_strv(o.code_columns);
	free_strv(o.skip_codes);
	return QC_OK;
}
