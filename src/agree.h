/*
 * agree.h - inter-coder agreement statistics: percent agreement, Cohen's
 * kappa, Scott's pi, Bennett's S, Fleiss' kappa (Gwet's form for missing
 * ratings), Krippendorff's alpha (nominal, ordinal, interval, ratio) over
 * reliability data, and Krippendorff's (2004) unitized alpha over spans
 * of a continuum.
 *
 * Pure arithmetic: no project, no I/O.  A statistic that is undefined for
 * the data (one category only, no pairable units, wrong number of coders)
 * is NAN; callers print it as null (JSON) or n/a (tables), never as a
 * number.
 */
#ifndef QCODE_AGREE_H
#define QCODE_AGREE_H

#include <stddef.h>

/* A coder who gave no value to a unit. */
#define AGREE_MISSING (-1)

enum agree_level {
	AGREE_NOMINAL,
	AGREE_ORDINAL,
	AGREE_INTERVAL,
	AGREE_RATIO
};

/*
 * An accumulator of reliability data: units added one by one (or many
 * alike at once, with a weight), each as the category every coder gave
 * it.  It keeps only sums (the coincidence matrix, the two coders'
 * contingency table, Fleiss-Gwet sums), so memory does not grow with the
 * number of units.
 */
struct agree_acc {
	size_t ncoders, ncats;
	double units;          /* units added (weighted) */
	double *o;             /* ncats x ncats coincidences (Krippendorff) */
	double *ct;            /* ncats x ncats: coder 0 row, coder 1 column,
				* units both rated (two coders only) */
	double ct_n;           /* units rated by both (two coders only) */
	double pa_sum, n2;     /* Fleiss-Gwet: sum of unit agreement, units
				* with two or more ratings */
	double *pi_sum, n1;    /* Fleiss-Gwet: sum of r_uk / r_u, units with
				* at least one rating */
	int *count;            /* scratch: ncats */
};

/* Start an accumulator for NCODERS coders and NCATS categories (the
 * categories that exist, used or not: Bennett's S counts them).
 * Release with agree_acc_release(). */
void agree_acc_init(struct agree_acc *a, size_t ncoders, size_t ncats);
void agree_acc_release(struct agree_acc *a);

/* Add WEIGHT units in which coder i gave category V[i] (0 .. ncats-1)
 * or AGREE_MISSING. */
void agree_acc_add(struct agree_acc *a, const int *v, double weight);

/* The statistics of an accumulator. */
struct agree_stats {
	double units;            /* units added */
	double pairable_units;   /* units with two or more values */
	double pairable_values;  /* n: values in those units */
	double percent_agreement;
	double cohen_kappa;
	double scott_pi;
	double bennett_s;
	double fleiss_kappa;
	double alpha;            /* Krippendorff's alpha at the level asked */
	double alpha_do, alpha_de; /* its observed and expected disagreement */
};

/*
 * Compute every statistic of A; alpha at LEVEL, for which VALUES gives
 * the number of each category (unused, may be NULL, for AGREE_NOMINAL).
 * For AGREE_RATIO the values must not be negative.
 *
 * percent_agreement  Krippendorff's pairable-value agreement 1 - D_o
 *                    (nominal): sum_c o_cc / n; for two coders and no
 *                    missing values, the share of units they agree on.
 * cohen_kappa        two coders; units both rated; (p_o - p_e)/(1 - p_e),
 *                    p_e from each coder's own marginals.
 * scott_pi           two coders; units both rated; p_e from the pooled
 *                    marginals.
 * bennett_s          (p_a - 1/q)/(1 - 1/q), q = ncats, p_a as in
 *                    fleiss_kappa (for two coders, p_o).
 * fleiss_kappa       Gwet (2014): p_a = mean over units with r_u >= 2 of
 *                    sum_k r_uk(r_uk - 1)/(r_u(r_u - 1)); pi_k = mean over
 *                    units with r_u >= 1 of r_uk/r_u; p_e = sum_k pi_k^2.
 *                    Fleiss (1971) when every unit has every rating.
 * alpha              1 - D_o/D_e over the coincidence matrix.
 */
void agree_acc_stats(const struct agree_acc *a, enum agree_level level,
		     const double *values, struct agree_stats *s);

/* Krippendorff's alpha from an NCATS x NCATS coincidence matrix O. Sets
 * *DO and *DE (either may be NULL); NAN when undefined. */
double agree_alpha(const double *o, size_t ncats, enum agree_level level,
		   const double *values, double *d_o, double *d_e);

/* A unit of a unitizing study: coder CODER marked [BEGIN, BEGIN+LENGTH)
 * of the continuum as category CAT. */
struct agree_span {
	size_t coder, cat;
	long long begin, length;
};

/* Unitized alpha of one category, or of all (the overall figure). */
struct agree_ustats {
	size_t units;          /* spans of the category */
	double d_o, d_e, alpha;
};

/*
 * Krippendorff's (2004, ch. 12.4) unitized alpha over the continuum
 * [BEGIN, BEGIN+LENGTH), NCODERS coders (>= 2), NCATS categories: for
 * each category, every coder's spans and the gaps between them tile the
 * continuum; D_o sums the distances of overlapping sections of every
 * pair of coders over m(m-1)L^2, D_e the distances expected over all
 * unitizations; the overall alpha is 1 - sum_c D_o(c) / sum_c D_e(c)
 * over the categories with spans (OVERALL's D_o and D_e are the means).
 * SPANS must lie inside the continuum, be at least 1 long, and spans of
 * one coder and category must not overlap (returns -1, *BAD the index of
 * the offending span, otherwise 0).  PER_CAT has NCATS entries.
 */
int agree_unitized(const struct agree_span *spans, size_t nspans,
		   size_t ncoders, size_t ncats, long long begin,
		   long long length, struct agree_ustats *per_cat,
		   struct agree_ustats *overall, size_t *bad);

/*
 * The unitized alpha (u-alpha) of Krippendorff, Mathet, Bouvry &
 * Widloecher (2016, Quality & Quantity 50): each coder's spans and the
 * empty stretches between them form one segmentation of the continuum;
 * the observed coincidence l_ck sums the lengths where a section of one
 * coder tagged c overlaps a section of another tagged k, over m - 1;
 * the expected e_cc = l.. (l_c.^2 - S_c) / (l..^2 - S), where S_c sums
 * the squared lengths of the sections tagged c (the plain lengths for
 * empty stretches, which may split anywhere) and S sums S_c; u-alpha =
 * 1 - (l.. - sum_c l_cc) / (l.. - sum_c e_cc).
 * GAP: the category whose spans are explicit empty stretches; then a
 * coder's segmentation is exactly its spans, and positions it does not
 * cover are missing for that coder.  (size_t)-1: the empty stretches
 * are the gaps between a coder's spans in [BEGIN, BEGIN+LENGTH).
 * NAN when a coder's spans overlap (no single segmentation) or nothing
 * pairs.
 */
double agree_ualpha2016(const struct agree_span *spans, size_t nspans,
			size_t ncoders, size_t ncats, long long begin,
			long long length, size_t gap);

#endif
