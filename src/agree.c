/*
 * agree.c - agreement statistics over reliability data and unitized
 * alpha over spans (see agree.h for the definitions).
 *
 * Sources: Cohen (1960); Scott (1955); Bennett, Alpert & Goldstein
 * (1954); Fleiss (1971) and Gwet (2014, Handbook of Inter-Rater
 * Reliability, ch. 2) for missing ratings; Krippendorff (2004, Content
 * Analysis, 2nd ed., ch. 11-12; 2011, "Computing Krippendorff's
 * Alpha-Reliability").
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agree.h"
#include "util.h"

void agree_acc_init(struct agree_acc *a, size_t ncoders, size_t ncats)
{
	size_t nn = ncats ? ncats * ncats : 1;

	memset(a, 0, sizeof(*a));
	a->ncoders = ncoders;
	a->ncats = ncats;
	a->o = xcalloc(nn, sizeof(double));
	a->ct = xcalloc(nn, sizeof(double));
	a->pi_sum = xcalloc(ncats ? ncats : 1, sizeof(double));
	a->count = xcalloc(ncats ? ncats : 1, sizeof(int));
}

void agree_acc_release(struct agree_acc *a)
{
	free(a->o);
	free(a->ct);
	free(a->pi_sum);
	free(a->count);
	memset(a, 0, sizeof(*a));
}

void agree_acc_add(struct agree_acc *a, const int *v, double weight)
{
	size_t q = a->ncats;
	double r = 0;

	a->units += weight;
	memset(a->count, 0, q * sizeof(int));
	for (size_t i = 0; i < a->ncoders; i++) {
		if (v[i] != AGREE_MISSING) {
			a->count[v[i]]++;
			r++;
		}
	}
	if (r >= 1) {
		a->n1 += weight;
		for (size_t k = 0; k < q; k++) {
			if (a->count[k]) {
				a->pi_sum[k] += weight * a->count[k] / r;
			}
		}
	}
	if (r >= 2) {
		double pa = 0;

		a->n2 += weight;
		for (size_t c = 0; c < q; c++) {
			double nc = a->count[c];

			if (!nc) {
				continue;
			}
			pa += nc * (nc - 1);
			for (size_t k = 0; k < q; k++) {
				double nk = a->count[k];

				if (!nk) {
					continue;
				}
				a->o[c * q + k] += weight *
					(c == k ? nc * (nc - 1) : nc * nk) /
					(r - 1);
			}
		}
		a->pa_sum += weight * pa / (r * (r - 1));
	}
	if (a->ncoders == 2 && v[0] != AGREE_MISSING &&
	    v[1] != AGREE_MISSING) {
		a->ct[(size_t)v[0] * q + (size_t)v[1]] += weight;
		a->ct_n += weight;
	}
}

/* The squared distance of categories C and K at LEVEL.  N holds the
 * marginals n_c; RANK the position of each category in value order and
 * CUM the running sums of n_c in that order (ordinal only). */
static double delta2(size_t c, size_t k, enum agree_level level,
		     const double *values, const double *n,
		     const size_t *rank, const double *cum)
{
	double x, y, d;

	if (c == k) {
		return 0;
	}
	switch (level) {
	case AGREE_NOMINAL:
		return 1;
	case AGREE_ORDINAL: {
		size_t lo = rank[c] < rank[k] ? rank[c] : rank[k];
		size_t hi = rank[c] < rank[k] ? rank[k] : rank[c];

		/* sum of n_g for g from c to k inclusive, less half the
		 * two ends */
		d = cum[hi + 1] - cum[lo] - (n[c] + n[k]) / 2;
		return d * d;
	}
	case AGREE_INTERVAL:
		d = values[c] - values[k];
		return d * d;
	case AGREE_RATIO:
		x = values[c];
		y = values[k];
		if (x + y == 0) {
			return 0;
		}
		d = (x - y) / (x + y);
		return d * d;
	}
	return 1;
}

/* For qsort of category indices by value. */
static const double *sort_values;

static int by_value(const void *pa, const void *pb)
{
	double x = sort_values[*(const size_t *)pa];
	double y = sort_values[*(const size_t *)pb];

	return x < y ? -1 : x > y;
}

double agree_alpha(const double *o, size_t q, enum agree_level level,
		   const double *values, double *d_o, double *d_e)
{
	double *n = xcalloc(q ? q : 1, sizeof(double));
	double *cum = xcalloc(q + 1, sizeof(double));
	size_t *order = xcalloc(q ? q : 1, sizeof(size_t));
	size_t *rank = xcalloc(q ? q : 1, sizeof(size_t));
	double total = 0, num = 0, den = 0, alpha = NAN;

	if (d_o) {
		*d_o = NAN;
	}
	if (d_e) {
		*d_e = NAN;
	}
	for (size_t c = 0; c < q; c++) {
		for (size_t k = 0; k < q; k++) {
			n[c] += o[c * q + k];
		}
		total += n[c];
		order[c] = c;
	}
	if (level == AGREE_ORDINAL) {
		sort_values = values;
		qsort(order, q, sizeof(size_t), by_value);
		sort_values = NULL;
		for (size_t i = 0; i < q; i++) {
			rank[order[i]] = i;
			cum[i + 1] = cum[i] + n[order[i]];
		}
	}
	if (total <= 1) {
		goto done;
	}
	for (size_t c = 0; c < q; c++) {
		for (size_t k = 0; k < q; k++) {
			double d;

			if (c == k) {
				continue;
			}
			d = delta2(c, k, level, values, n, rank, cum);
			num += o[c * q + k] * d;
			den += n[c] * n[k] * d;
		}
	}
	if (d_o) {
		*d_o = num / total;
	}
	if (d_e) {
		*d_e = den / (total * (total - 1));
	}
	if (den > 0) {
		alpha = 1 - (total - 1) * num / den;
	}
done:
	free(n);
	free(cum);
	free(order);
	free(rank);
	return alpha;
}

/* Cohen's kappa and Scott's pi of the two coders' table. */
static void two_coder_stats(const struct agree_acc *a, struct agree_stats *s)
{
	size_t q = a->ncats;
	double N = a->ct_n, agree = 0, ee_cohen = 0, ee_scott = 0;

	if (a->ncoders != 2 || N <= 0) {
		return;
	}
	for (size_t c = 0; c < q; c++) {
		double row = 0, col = 0;

		for (size_t k = 0; k < q; k++) {
			row += a->ct[c * q + k];
			col += a->ct[k * q + c];
		}
		agree += a->ct[c * q + c];
		ee_cohen += row * col;
		ee_scott += (row + col) * (row + col);
	}
	/* kappa = (N agree - sum r_c c_c) / (N^2 - sum r_c c_c); the
	 * denominator is 0 exactly when both coders used one category. */
	if (N * N - ee_cohen > 0) {
		s->cohen_kappa = (N * agree - ee_cohen) / (N * N - ee_cohen);
	}
	/* pi = (4N agree - sum (r_c+c_c)^2) / (4N^2 - sum (r_c+c_c)^2) */
	if (4 * N * N - ee_scott > 0) {
		s->scott_pi = (4 * N * agree - ee_scott) /
			      (4 * N * N - ee_scott);
	}
}

void agree_acc_stats(const struct agree_acc *a, enum agree_level level,
		     const double *values, struct agree_stats *s)
{
	size_t q = a->ncats, used = 0;
	double diag = 0, total = 0;

	s->units = a->units;
	s->pairable_units = a->n2;
	s->percent_agreement = s->cohen_kappa = s->scott_pi = NAN;
	s->bennett_s = s->fleiss_kappa = NAN;
	for (size_t c = 0; c < q; c++) {
		for (size_t k = 0; k < q; k++) {
			total += a->o[c * q + k];
		}
		diag += a->o[c * q + c];
	}
	s->pairable_values = total;
	if (total > 0) {
		s->percent_agreement = diag / total;
	}
	s->alpha = agree_alpha(a->o, q, level, values, &s->alpha_do,
			       &s->alpha_de);
	two_coder_stats(a, s);
	if (a->n2 > 0) {
		double pa = a->pa_sum / a->n2, pe = 0;

		if (q >= 2) {
			s->bennett_s = (q * pa - 1) / ((double)q - 1);
		}
		for (size_t k = 0; k < q; k++) {
			double pi = a->pi_sum[k] / a->n1;

			used += a->pi_sum[k] > 0;
			pe += pi * pi;
		}
		/* p_e is 1 exactly when a single category was used */
		if (used >= 2) {
			s->fleiss_kappa = (pa - pe) / (1 - pe);
		}
	}
}

/* ---- unitized alpha ---- */

/* A section of one coder's continuum for one category: a span (W 1) or
 * the gap between spans (W 0). */
struct section {
	long long b, l;
	int w;
};

static int span_cmp(const void *pa, const void *pb)
{
	const struct agree_span *x = *(const struct agree_span *const *)pa;
	const struct agree_span *y = *(const struct agree_span *const *)pb;

	if (x->coder != y->coder) {
		return x->coder < y->coder ? -1 : 1;
	}
	if (x->cat != y->cat) {
		return x->cat < y->cat ? -1 : 1;
	}
	return x->begin < y->begin ? -1 : x->begin > y->begin;
}

/* The distance of sections G and H of two coders (Krippendorff 2004):
 * two overlapping spans, the squares of the differences of their
 * beginnings and ends; a span inside the other's gap, its length
 * squared; otherwise 0. */
static double section_delta(const struct section *g, const struct section *h)
{
	double db, de;

	if (g->w && h->w) {
		if (-g->l < g->b - h->b && g->b - h->b < h->l) {
			db = (double)(g->b - h->b);
			de = (double)(g->b + g->l - h->b - h->l);
			return db * db + de * de;
		}
		return 0;
	}
	if (g->w && !h->w && h->b <= g->b && g->b + g->l <= h->b + h->l) {
		return (double)g->l * (double)g->l;
	}
	if (!g->w && h->w && g->b <= h->b && h->b + h->l <= g->b + g->l) {
		return (double)h->l * (double)h->l;
	}
	return 0;
}

static int cmp_ll(const void *pa, const void *pb)
{
	long long x = *(const long long *)pa, y = *(const long long *)pb;

	return x < y ? -1 : x > y;
}

int agree_unitized(const struct agree_span *spans, size_t nspans,
		   size_t ncoders, size_t ncats, long long begin,
		   long long length, struct agree_ustats *per_cat,
		   struct agree_ustats *overall, size_t *bad)
{
	const struct agree_span **sorted;
	struct section **sec;
	size_t *nsec, *first, *cnt;
	long long *gaps, *gsum;
	double m = (double)ncoders, L = (double)length, sum_o = 0, sum_e = 0;
	size_t nused = 0;
	int rc = 0;

	overall->units = nspans;
	overall->d_o = overall->d_e = overall->alpha = NAN;
	for (size_t c = 0; c < ncats; c++) {
		per_cat[c].units = 0;
		per_cat[c].d_o = per_cat[c].d_e = per_cat[c].alpha = NAN;
	}
	sorted = xmalloc((nspans ? nspans : 1) * sizeof(*sorted));
	for (size_t i = 0; i < nspans; i++) {
		const struct agree_span *sp = &spans[i];

		if (sp->length < 1 || sp->begin < begin ||
		    sp->begin > begin + length - sp->length ||
		    sp->coder >= ncoders || sp->cat >= ncats) {
			*bad = i;
			free(sorted);
			return -1;
		}
		sorted[i] = sp;
		per_cat[sp->cat].units++;
	}
	qsort(sorted, nspans, sizeof(*sorted), span_cmp);
	for (size_t i = 1; i < nspans; i++) {
		const struct agree_span *x = sorted[i - 1], *y = sorted[i];

		if (x->coder == y->coder && x->cat == y->cat &&
		    y->begin < x->begin + x->length) {
			*bad = (size_t)(y - spans);
			free(sorted);
			return -1;
		}
	}
	if (ncoders < 2 || length < 1) {
		free(sorted);
		return 0;
	}
	sec = xcalloc(ncoders, sizeof(*sec));
	nsec = xcalloc(ncoders, sizeof(*nsec));
	for (size_t i = 0; i < ncoders; i++) {
		sec[i] = xmalloc((2 * nspans + 1) * sizeof(**sec));
	}
	gaps = xmalloc((ncoders * (nspans + 1)) * sizeof(*gaps));
	gsum = xmalloc((ncoders * (nspans + 1) + 1) * sizeof(*gsum));
	first = xcalloc(ncoders * ncats, sizeof(*first));
	cnt = xcalloc(ncoders * ncats, sizeof(*cnt));
	for (size_t i = 0; i < nspans; i++) {
		size_t key = sorted[i]->coder * ncats + sorted[i]->cat;

		if (!cnt[key]) {
			first[key] = i;
		}
		cnt[key]++;
	}
	for (size_t c = 0; c < ncats; c++) {
		size_t ngaps = 0, nc = per_cat[c].units;
		double d_o = 0, num = 0, sq = 0;

		/* Each coder's sections for category c: its spans (sorted
		 * by beginning) and the gaps around them. */
		for (size_t i = 0; i < ncoders; i++) {
			size_t key = i * ncats + c;
			long long pos = begin;

			nsec[i] = 0;
			for (size_t k = 0; k < cnt[key]; k++) {
				const struct agree_span *sp =
					sorted[first[key] + k];

				if (sp->begin > pos) {
					sec[i][nsec[i]++] = (struct section){
						pos, sp->begin - pos, 0 };
					gaps[ngaps++] = sp->begin - pos;
				}
				sec[i][nsec[i]++] = (struct section){
					sp->begin, sp->length, 1 };
				pos = sp->begin + sp->length;
			}
			if (pos < begin + length) {
				sec[i][nsec[i]++] = (struct section){
					pos, begin + length - pos, 0 };
				gaps[ngaps++] = begin + length - pos;
			}
		}
		/* Observed: every pair of coders, a sweep over the pairs of
		 * sections that overlap. */
		for (size_t i = 0; i < ncoders; i++) {
			for (size_t j = i + 1; j < ncoders; j++) {
				size_t p = 0, r = 0;

				while (p < nsec[i] && r < nsec[j]) {
					const struct section *g = &sec[i][p];
					const struct section *h = &sec[j][r];
					long long ge = g->b + g->l;
					long long he = h->b + h->l;

					d_o += section_delta(g, h);
					if (ge <= he) {
						p++;
					}
					if (he <= ge) {
						r++;
					}
				}
			}
		}
		d_o = 2 * d_o / (m * (m - 1) * L * L);
		/* Expected: each span against every gap at least as long,
		 * over all unitizations of the mL positions. */
		qsort(gaps, ngaps, sizeof(*gaps), cmp_ll);
		gsum[ngaps] = 0;
		for (size_t g = ngaps; g-- > 0;) {
			gsum[g] = gsum[g + 1] + gaps[g];
		}
		for (size_t i = 0; i < ncoders; i++) {
			for (size_t s = 0; s < nsec[i]; s++) {
				double l = (double)sec[i][s].l;
				size_t lo = 0, hi = ngaps;

				if (!sec[i][s].w) {
					continue;
				}
				/* first gap >= l */
				while (lo < hi) {
					size_t mid = lo + (hi - lo) / 2;

					if (gaps[mid] < sec[i][s].l) {
						lo = mid + 1;
					} else {
						hi = mid;
					}
				}
				num += ((double)nc - 1) *
				       (2 * l * l * l - 3 * l * l + l) / 3;
				num += l * l * ((double)gsum[lo] -
						(l - 1) * (double)(ngaps - lo));
				sq += l * (l - 1);
			}
		}
		per_cat[c].d_o = d_o;
		if (nc > 0) {
			per_cat[c].d_e = 2 / L * num /
					 (m * L * (m * L - 1) - sq);
			if (per_cat[c].d_e > 0) {
				per_cat[c].alpha = 1 - d_o / per_cat[c].d_e;
			}
			sum_o += d_o;
			sum_e += per_cat[c].d_e;
			nused++;
		}
	}
	if (nused) {
		/* DKPro and Krippendorff's example report the mean D_o and
		 * D_e of the categories; alpha is the same either way */
		overall->d_o = sum_o / (double)nused;
		overall->d_e = sum_e / (double)nused;
		if (sum_e > 0) {
			overall->alpha = 1 - sum_o / sum_e;
		}
	}
	for (size_t i = 0; i < ncoders; i++) {
		free(sec[i]);
	}
	free(sec);
	free(nsec);
	free(gaps);
	free(gsum);
	free(first);
	free(cnt);
	free(sorted);
	return rc;
}

/* ---- unitized alpha of Krippendorff, Mathet, Bouvry & Widloecher ---- */

/* A section of one coder's segmentation: [b, e) with tag T (a
 * category, or ncats for an empty stretch). */
struct usec {
	long long b, e;
	size_t t;
};

static int usec_cmp(const void *pa, const void *pb)
{
	const struct usec *x = pa, *y = pb;

	return x->b < y->b ? -1 : x->b > y->b;
}

double agree_ualpha2016(const struct agree_span *spans, size_t nspans,
			size_t ncoders, size_t ncats, long long begin,
			long long length, size_t gap)
{
	size_t q = ncats + 1, *nsec;
	struct usec **sec;
	double *l = xcalloc(q * q, sizeof(double));
	double *sumsq = xcalloc(q, sizeof(double));
	double ldd = 0, diag = 0, ediag = 0, total_sq = 0, den;
	double alpha = NAN;
	int ok = ncoders >= 2;

	sec = xcalloc(ncoders ? ncoders : 1, sizeof(*sec));
	nsec = xcalloc(ncoders ? ncoders : 1, sizeof(*nsec));
	for (size_t i = 0; i < ncoders; i++) {
		sec[i] = xmalloc((2 * nspans + 1) * sizeof(**sec));
	}
	for (size_t k = 0; k < nspans; k++) {
		const struct agree_span *sp = &spans[k];

		sec[sp->coder][nsec[sp->coder]++] = (struct usec){
			sp->begin, sp->begin + sp->length,
			sp->cat == gap ? ncats : sp->cat };
	}
	for (size_t i = 0; ok && i < ncoders; i++) {
		size_t n = nsec[i];
		long long pos = begin;

		qsort(sec[i], n, sizeof(**sec), usec_cmp);
		for (size_t k = 1; k < n; k++) {
			if (sec[i][k].b < sec[i][k - 1].e) {
				ok = 0; /* not one segmentation */
			}
		}
		if (gap != (size_t)-1) {
			continue;
		}
		/* the stretches between spans are empty sections */
		for (size_t k = 0; k < n; k++) {
			if (sec[i][k].b > pos) {
				sec[i][nsec[i]++] = (struct usec){
					pos, sec[i][k].b, ncats };
			}
			pos = sec[i][k].e;
		}
		if (pos < begin + length) {
			sec[i][nsec[i]++] = (struct usec){ pos, begin + length,
							   ncats };
		}
		qsort(sec[i], nsec[i], sizeof(**sec), usec_cmp);
	}
	if (!ok) {
		goto done;
	}
	/* observed coincidences: overlapping lengths of every pair of
	 * coders' sections, over m - 1 */
	for (size_t i = 0; i < ncoders; i++) {
		for (size_t j = i + 1; j < ncoders; j++) {
			size_t a = 0, b = 0;

			while (a < nsec[i] && b < nsec[j]) {
				const struct usec *x = &sec[i][a];
				const struct usec *y = &sec[j][b];
				long long lo = x->b > y->b ? x->b : y->b;
				long long hi = x->e < y->e ? x->e : y->e;

				if (hi > lo) {
					double w = (double)(hi - lo) /
						   (double)(ncoders - 1);

					l[x->t * q + y->t] += w;
					l[y->t * q + x->t] += w;
				}
				if (x->e <= y->e) {
					a++;
				} else {
					b++;
				}
			}
		}
	}
	for (size_t i = 0; i < ncoders; i++) {
		for (size_t k = 0; k < nsec[i]; k++) {
			double len = (double)(sec[i][k].e - sec[i][k].b);
			double v = sec[i][k].t == ncats ? len : len * len;

			sumsq[sec[i][k].t] += v;
			total_sq += v;
		}
	}
	for (size_t c = 0; c < q; c++) {
		for (size_t k = 0; k < q; k++) {
			ldd += l[c * q + k];
		}
		diag += l[c * q + c];
	}
	den = ldd * ldd - total_sq;
	if (ldd <= 0 || den <= 0) {
		goto done;
	}
	for (size_t c = 0; c < q; c++) {
		double lc = 0;

		for (size_t k = 0; k < q; k++) {
			lc += l[c * q + k];
		}
		ediag += ldd * (lc * lc - sumsq[c]) / den;
	}
	if (ldd - ediag > 0) {
		alpha = 1 - (ldd - diag) / (ldd - ediag);
	}
done:
	for (size_t i = 0; i < ncoders; i++) {
		free(sec[i]);
	}
	free(sec);
	free(nsec);
	free(l);
	free(sumsq);
	return alpha;
}
