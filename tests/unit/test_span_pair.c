/*
 * test_span_pair.c - span_pair(): the one-to-one pairing of two coders'
 * segments that 'agree --unit span' and 'consensus' share.
 */
#include <stdlib.h>

#include "span_pair.h"
#include "unit.h"

static void add_all(struct span_list *l, const long long (*v)[2], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		span_list_add(l, v[i][0], v[i][1], (long long)i);
	}
}

void test_span_pair(void)
{
	/* tests/cases/agree-span's Benefits in d6 */
	static const long long a[][2] = { { 0, 10 },  { 10, 20 }, { 30, 40 },
					  { 40, 50 }, { 50, 56 } };
	static const long long b[][2] = { { 0, 10 },  { 20, 30 }, { 30, 34 },
					  { 34, 40 }, { 42, 54 } };
	static const long long tie_a[][2] = { { 0, 6 }, { 10, 16 } };
	static const long long tie_b[][2] = { { 3, 13 } };
	static const long long joined[][2] = { { 0, 5 }, { 3, 8 }, { 8, 8 },
					       { 8, 9 } };
	struct span_list la = { NULL, 0, 0 }, lb = { NULL, 0, 0 };
	struct span_pairing sp = { NULL, 0 };

	add_all(&la, a, 5);
	add_all(&lb, b, 5);
	/* touching segments stay apart */
	CHECK_INT(la.n, 5);
	CHECK_INT(lb.n, 5);
	/* P = 30: largest overlap first: A0-B0 (10), A3-B4 (8), A2-B3 (6);
	 * A2-B2 (4) and A4-B4 (4) come too late */
	CHECK_INT(span_pair(&sp, &la, &lb, 30), 3);
	CHECK_INT(la.v[0].mate, 0);
	CHECK_INT(la.v[1].mate, -1);
	CHECK_INT(la.v[2].mate, 3);
	CHECK_INT(la.v[3].mate, 4);
	CHECK_INT(la.v[4].mate, -1);
	CHECK_INT(lb.v[1].mate, -1);
	CHECK_INT(lb.v[2].mate, -1);
	CHECK_INT(lb.v[4].mate, 3);
	/* P = 0: the same (A1 [10,20) only touches B1 [20,30)) */
	CHECK_INT(span_pair(&sp, &la, &lb, 0), 3);
	CHECK_INT(la.v[1].mate, -1);
	/* P = 60: A2-B3 is 60% exactly, A3-B4 66.7%: still 3 */
	CHECK_INT(span_pair(&sp, &la, &lb, 60), 3);
	/* P = 100: the identical pair alone; every other mate reset */
	CHECK_INT(span_pair(&sp, &la, &lb, 100), 1);
	CHECK_INT(la.v[2].mate, -1);
	CHECK_INT(lb.v[4].mate, -1);
	/* a tie (3 and 3): A's earlier segment */
	la.n = lb.n = 0;
	add_all(&la, tie_a, 2);
	add_all(&lb, tie_b, 1);
	CHECK_INT(span_pair(&sp, &la, &lb, 0), 1);
	CHECK_INT(la.v[0].mate, 0);
	CHECK_INT(la.v[1].mate, -1);
	CHECK_INT(lb.v[0].mate, 0);
	/* sharing a character joins; an empty span is dropped; touching
	 * after it starts a new segment */
	la.n = 0;
	add_all(&la, joined, 4);
	CHECK_INT(la.n, 2);
	CHECK_INT(la.v[0].b, 0);
	CHECK_INT(la.v[0].e, 8);
	CHECK_INT(la.v[0].tag, 0);
	CHECK_INT(la.v[1].b, 8);
	CHECK_INT(la.v[1].e, 9);
	CHECK_INT(la.v[1].tag, 3);
	span_pairing_release(&sp);
	free(la.v);
	free(lb.v);
}
