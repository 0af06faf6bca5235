/*
 * span_pair.h - MAXQDA's segment comparison, shared by 'qcode agree
 * --unit span' and 'qcode consensus': two coders' segments of a code in
 * a document (their codings, those that share a character joined into
 * one) paired one to one.
 *
 * Two segments may pair when they share at least one character and the
 * shared length is at least P percent of the longer of the two (P = 0:
 * any shared character; touching spans never pair).  Candidate pairs
 * are taken largest overlap first (ties: the first coder's earlier
 * segment, then the second's), each segment in at most one pair.
 */
#ifndef QCODE_SPAN_PAIR_H
#define QCODE_SPAN_PAIR_H

#include <stddef.h>

/* A segment [b, e); mate: the index of the other coder's segment it is
 * paired with, or -1; tag: the caller's tag of the first span it was
 * made of (the one starting first). */
struct span_seg {
	long long b, e;
	long long mate;
	long long tag;
};

/* A growable list of one coder's segments, disjoint and sorted. */
struct span_list {
	struct span_seg *v;
	size_t n, cap;
};

/* Scratch for span_pair() (kept between calls to save allocations). */
struct span_pairing {
	struct span_cand *cand;
	size_t cap;
};

/* Append [B, E) (tagged TAG) to L, joined with the last segment when
 * they share a character; spans must come sorted by start.  Empty spans
 * are left out. */
void span_list_add(struct span_list *l, long long b, long long e,
		   long long tag);

/* Pair A's and B's segments with at least P percent overlap, setting
 * every mate; returns the number of pairs. */
size_t span_pair(struct span_pairing *sp, struct span_list *a,
		 struct span_list *b, double p);

void span_pairing_release(struct span_pairing *sp);

#endif
