/*
 * labels.h - the few words reports print around the data, in the
 * language of the data (English, Hebrew, Arabic; English otherwise).
 */
#ifndef QCODE_LABELS_H
#define QCODE_LABELS_H

struct labels {
	const char *report;    /* the report's title */
	const char *quotes;    /* heading of a quote book */
	const char *counts;    /* heading of the counts table */
	const char *share;     /* heading of the bar chart */
	const char *by;        /* heading of the crosstab, before ATTR */
	const char *cases;     /* the unit: respondents, cases */
	const char *all;       /* the total column */
	const char *of;        /* "k of n" */
	const char *passages;  /* "k of n passages" */
	const char *coder;     /* "coder: NAME" */
	const char *question;  /* "question: Q" */
	const char *other;     /* section of documents without a question */
	const char *theme;     /* column head of codes */
	const char *documents; /* column heads of the counts table */
	const char *segments;
	const char *codings;
	const char *rollup;    /* code column head: k with sub-codes */
	const char *own;       /* code column head: --rollup none */
	const char *coded_by;  /* "n=N coded by NAME" */
	const char *left_out;  /* "N codes with no cases left out" */
	const char *empty;     /* "Questions with no coded answers: " */
};

/* The labels for LANG ("he", "ar", else English).  Static. */
const struct labels *labels_get(const char *lang);

#endif
