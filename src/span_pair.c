/*
 * span_pair.c - pair two coders' segments one to one by overlap
 * (span_pair.h).
 */
#include <stdlib.h>

#include "span_pair.h"
#include "util.h"

struct span_cand {
	long long ov;
	size_t a, b;
};

static int cand_cmp(const void *pa, const void *pb)
{
	const struct span_cand *x = pa, *y = pb;

	if (x->ov != y->ov) {
		return x->ov > y->ov ? -1 : 1;
	}
	if (x->a != y->a) {
		return x->a < y->a ? -1 : 1;
	}
	return x->b < y->b ? -1 : x->b > y->b;
}

void span_list_add(struct span_list *l, long long b, long long e,
		   long long tag)
{
	if (e <= b) {
		return;
	}
	if (l->n && b < l->v[l->n - 1].e) {
		if (e > l->v[l->n - 1].e) {
			l->v[l->n - 1].e = e;
		}
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = (struct span_seg){ b, e, -1, tag };
}

size_t span_pair(struct span_pairing *sp, struct span_list *a,
		 struct span_list *b, double p)
{
	size_t ncand = 0, jlo = 0, pairs = 0;

	for (size_t i = 0; i < a->n; i++) {
		a->v[i].mate = -1;
	}
	for (size_t j = 0; j < b->n; j++) {
		b->v[j].mate = -1;
	}
	/* the candidate pairs: each coder's segments are disjoint and
	 * sorted, so the segments of B overlapping one of A are a run that
	 * moves forward */
	for (size_t i = 0; i < a->n; i++) {
		const struct span_seg *x = &a->v[i];

		while (jlo < b->n && b->v[jlo].e <= x->b) {
			jlo++;
		}
		for (size_t j = jlo; j < b->n && b->v[j].b < x->e; j++) {
			const struct span_seg *y = &b->v[j];
			long long lo = x->b > y->b ? x->b : y->b;
			long long hi = x->e < y->e ? x->e : y->e;
			long long la = x->e - x->b, lb = y->e - y->b;
			long long longer = la > lb ? la : lb;

			if (hi - lo <= 0 ||
			    (double)(hi - lo) * 100.0 < p * (double)longer) {
				continue;
			}
			if (ncand == sp->cap) {
				sp->cap = sp->cap ? 2 * sp->cap : 16;
				sp->cand = xrealloc(sp->cand,
						    sp->cap * sizeof(*sp->cand));
			}
			sp->cand[ncand++] = (struct span_cand){ hi - lo, i, j };
		}
	}
	if (ncand) {
		qsort(sp->cand, ncand, sizeof(*sp->cand), cand_cmp);
	}
	for (size_t k = 0; k < ncand; k++) {
		struct span_seg *x = &a->v[sp->cand[k].a];
		struct span_seg *y = &b->v[sp->cand[k].b];

		if (x->mate < 0 && y->mate < 0) {
			x->mate = (long long)sp->cand[k].b;
			y->mate = (long long)sp->cand[k].a;
			pairs++;
		}
	}
	return pairs;
}

void span_pairing_release(struct span_pairing *sp)
{
	free(sp->cand);
	sp->cand = NULL;
	sp->cap = 0;
}
