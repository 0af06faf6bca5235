/*
 * report.h - what counts, crosstabs, co-occurrence and quote books read
 * from a project: the scope (which documents and codings count, grouped
 * into units), the codebook tree in codebook order, and the figures.
 *
 * The unit is the case: k = cases with at least one coding of a code or
 * of any of its descendants (distinct cases, never a sum of children);
 * n = cases with a non-empty document in scope.  A document without a
 * case is a unit of its own.  Percentages are 100 k / n rounded half up
 * to one decimal (computed in integers, so 2/3 is 66.7 everywhere).
 *
 * Nothing here writes output; writers (out_counts.c, out_quotes.c) turn
 * the figures into rows, tables and pages.
 */
#ifndef QCODE_REPORT_H
#define QCODE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "project.h"
#include "out.h"

/* Which codings count: a mask.  Rejected codings never count. */
#define REPORT_ACCEPTED 1u
#define REPORT_SUGGESTED 2u

/* The options count, cooccur, quotes and report share. */
struct report_opts {
	const char *question; /* --question: documents answering Q only */
	int no_question;      /* only documents that answer no question */
	int applicable;       /* leave out codes whose questions: list does
				 not name the question in scope */
	char **codes;         /* --code / operands: their subtrees only */
	size_t ncodes;
	const char *coder;    /* --coder NAME, or NULL */
	unsigned status;      /* mask of REPORT_ACCEPTED / REPORT_SUGGESTED */
	int depth;            /* --depth N: top level is 1; 0 = any */
	int sort_count;       /* --sort count (else codebook order) */
	long long min;        /* --min K: codes with at least K cases */
	char **where;         /* --where ATTR=VALUE, all must hold */
	size_t nwhere;
	const char *by;       /* --by ATTR, or NULL */
	int rollup_none;      /* --rollup none: a code counts its own
				 codings only, not its sub-codes' */
	int n_all;            /* --n all: with --coder, n is every case in
				 scope, not only those the coder coded */
};

/* Parse a --status value into a mask; 0 when it is not one of
 * accepted, suggested, all. */
unsigned report_parse_status(const char *s);

/* One node of the codebook tree; the array is in codebook order (each
 * code before its descendants, siblings by their ord), so the subtree
 * of code i is the index range [i, end). */
struct report_code {
	long long id;
	char *name;
	char *path;
	char *color;   /* "#rrggbb" or NULL */
	int depth;     /* top level is 1 */
	size_t parent; /* index of the parent, or REPORT_NONE */
	size_t end;    /* one past the last descendant */
	int selected;  /* inside --code subtrees and --depth */
};
#define REPORT_NONE ((size_t)-1)

/* Figures of one code (with its descendants) in one group. */
struct report_stat {
	long long cases;
	long long documents;
	long long segments;
	long long codings;
};

/* The scope and, after report_count(), the figures. */
struct report {
	struct project *p;
	const struct report_opts *o;
	size_t ncodes;
	struct report_code *codes;
	long long coder_id;      /* --coder, or 0 */
	/* With --coder (and not --n all): the cases left out of n because
	 * the coder coded none of their documents in scope. */
	size_t uncoded_units;
	/* Units in scope.  doc_unit[doc id] is the unit of an in-scope
	 * document, or -1. */
	size_t nunits;
	long long maxdoc;
	int32_t *doc_unit;
	long long *doc_case;     /* doc_case[doc id]: its case id, or 0 */
	/* --by: the groups (sorted values, then "(none)" when some unit
	 * has no value), each unit's group and each group's n. */
	size_t ngroups;
	char **groups;
	long long *group_n;
	int32_t *unit_group;
	/* report_count(): stat[code], and per group gstat[code * ngroups
	 * + group] */
	struct report_stat *stat;
	struct report_stat *gstat;
	/* The codes to show, in display order (after --min, --sort). */
	size_t nshow;
	size_t *show;
	void *priv;              /* report.c's working state */
};

/* Load the codebook and the scope.  Dies (QC_NOTFOUND) naming an
 * unknown --code, --question, --coder or attribute, or (QC_USAGE) an
 * ambiguous code name or a malformed --where.  Release with
 * report_release(). */
void report_init(struct report *r, struct project *p,
		 const struct report_opts *o);
void report_release(struct report *r);

/* Compute every code's figures and the display order. */
void report_count(struct report *r);

/* After report_count(): take the shown codes with no cases out of the
 * display order (a code stays while a shown sub-code has cases, so the
 * tree keeps its parents).  Returns how many were taken out. */
size_t report_drop_empty(struct report *r);

/* The codings in scope (coder, documents, codes; with OWN_ONLY the
 * selected codes' own codings, else theirs and their sub-codes') whose
 * status --status leaves out (suggested ones by default; rejected
 * codings are never counted and not among them). */
long long report_status_left_out(struct report *r, int own_only);

/* When report_status_left_out() is not 0, say so on stderr:
 * "qcode: note: N suggested codings in scope are not VERB; --status all
 * includes them".  Quiet otherwise. */
void report_status_note(struct report *r, int own_only, const char *verb);

/* n as a table header says it: "n=N", with --coder (unless --n all)
 * "n=N CODED_BY NAME" (CODED_BY: "coded by" in the page's language).
 * Caller frees. */
char *report_n_label(const struct report *r, long long n,
		     const char *coded_by);

/* The one rule every writer that indents codes (tables, Markdown,
 * HTML, Word, charts, quote book headings) follows.  SHOWN has 1 per
 * code index that gets a row or heading; the rows are in codebook
 * order.  Code I sits one level under its nearest shown ancestor and is
 * labelled by its path below it ("Peers" under "Benefits",
 * "Time/Mornings" under "Barriers" when "Barriers/Time" is not shown);
 * with no shown ancestor it sits at level 0 labelled by its whole path
 * ("Benefits/Peers"), so a row is never indented under a row that is
 * not its ancestor.  Returns the level (the number of shown ancestors);
 * *LABEL gets the label (caller frees). */
int report_tree_place(const struct report *r, const char *shown, size_t i,
		      char **label);
/* The same for a row of a table or chart, whose rows are in r->show's
 * order: with --sort count every code at level 0 labelled by its path. */
int report_row_place(const struct report *r, const char *shown, size_t i,
		     char **label);
/* SHOWN for the codes of r->show; caller frees. */
char *report_show_mask(const struct report *r);

/* 10 x the percentage k / n, rounded half up; -1 when n is 0. */
long long report_tenths(long long k, long long n);

/* The counts as rows with the columns code, path, [group,] cases, n,
 * percent, documents, segments, codings (--by: one row per group and a
 * last row with group "(all)" for each code). */
void report_count_rows(const struct report *r, struct rows *out);

/* Co-occurrence over the shown codes: M[i * nshow + j] = units (cases,
 * or with SEGMENTS coded segments) carrying both show[i] and show[j]
 * (each with its descendants).  Caller frees the returned array. */
long long *report_cooccur(struct report *r, int segments);

/* One coded passage of a quote book. */
struct report_quote {
	size_t code;          /* index into codes */
	long long coding_id;
	long long doc_id;
	long long case_id;    /* 0 when the document has none */
	long long start, end; /* the coding, code points */
	long long seg_idx;    /* where it starts; -1 when unknown */
	/* The quoted text, code points: the coding, or with --context
	 * segment every segment it overlaps (from the start of the first
	 * to the end of the last; the document when it has none). */
	long long from, to;
	long long time_ms;    /* segment start time, -1 when unknown */
	char *case_name;      /* the case, or the document when none */
	char *doc_name;
	char *question;       /* or NULL */
	char *speaker;        /* or NULL */
	char *coder;
	char *text;           /* the passage (or its segments) */
	char *attribution;
};

/* Options of a quote book. */
struct report_quote_opts {
	long long limit;         /* per code; 0 = all */
	int context_segment;     /* --context segment */
	const char *attribution; /* template, NULL = "{case}" */
};

/* A quote book: passages of every shown code, in codebook order, then
 * by case, document and position. total[i] counts the passages of code
 * i in scope before --limit. */
struct report_quotes {
	size_t n;
	struct report_quote *q;
	long long *total;
};

/* Check an attribution template: every {name} must be a built-in
 * (case, document, question, speaker, coder, segment, time) or an
 * attribute of the project.  Dies with QC_USAGE otherwise. */
void report_check_attribution(struct project *p, const char *tmpl);

/* Show every selected code in codebook order, without counting (what
 * a quote book needs when no --min applies). */
void report_select_show(struct report *r);

/* Collect the quote book of R's shown codes, in codebook order (after
 * report_count() or report_select_show()).  Dies on an unclosed '{' in
 * the template.  Release with report_quotes_release(). */
void report_quotes(struct report *r, const struct report_quote_opts *qo,
		   struct report_quotes *out);
void report_quotes_release(struct report_quotes *qs);

/* "hh:mm:ss" of MS into BUF (at least 16 bytes); "" when MS < 0. */
const char *report_time(long long ms, char *buf, size_t bufsz);

/* The wording of survey question NAME (the questions table), or NULL
 * when there is none.  Caller frees. */
char *report_wording(struct project *p, const char *name);

/* The language of the data: the codebook's most common language, else
 * "he" or "ar" when Hebrew or Arabic letters outnumber Latin ones in
 * the code names and documents, else "en".  Static string. */
const char *report_language(struct project *p);

/* The counting unit ("case") of a document whose case is CASE_ID (0:
 * none): the case's unit, numbered from *NUNITS the first time the case
 * is seen (CASE_UNIT[case id], -1 until then, MAXCASE + 1 entries), or,
 * for a document without a case, a unit of its own.  Every count of
 * cases (count, report, autocode --dry-run) numbers units by this rule. */
int32_t report_case_unit(int32_t *case_unit, long long maxcase,
			 long long case_id, size_t *nunits);

#endif
