/*
 * test_agree.c - the agreement statistics on small data worked out by
 * hand (the published examples are in tests/cases/agree-calculator).
 */
#include <math.h>
#include <stdlib.h>

#include "agree.h"
#include "unit.h"

#define CHECK_NEAR(a, b)                                                \
	do {                                                            \
		double a_ = (a), b_ = (b);                              \
		if (!(fabs(a_ - b_) < 1e-9)) {                          \
			printf("  %s:%d: %s == %.12g, expected %.12g\n", \
			       __FILE__, __LINE__, #a, a_, b_);         \
			unit_failures++;                                \
		}                                                       \
	} while (0)

/* Two coders, four units: A 1 1 0 0, B 1 0 0 0 (category 1 = index 1).
 * p_o = 3/4; Cohen p_e = (2*1 + 2*3)/16 = 1/2, kappa = 1/2; pooled
 * shares 3/8, 5/8, Scott p_e = 34/64, pi = 7/15; coincidences o11 = 2,
 * o10 = o01 = 1, o00 = 4, n = 8, D_o = 2/8, D_e = 2*5*3/56, alpha =
 * 8/15; Bennett (3/4 - 1/2)/(1/2) = 1/2; Fleiss = Scott here. */
static void two_by_two(void)
{
	static const int units[4][2] = { { 1, 1 }, { 1, 0 }, { 0, 0 },
					 { 0, 0 } };
	struct agree_acc a;
	struct agree_stats s;

	agree_acc_init(&a, 2, 2);
	for (int u = 0; u < 4; u++) {
		agree_acc_add(&a, units[u], 1);
	}
	agree_acc_stats(&a, AGREE_NOMINAL, NULL, &s);
	CHECK_NEAR(s.units, 4);
	CHECK_NEAR(s.pairable_values, 8);
	CHECK_NEAR(s.percent_agreement, 0.75);
	CHECK_NEAR(s.cohen_kappa, 0.5);
	CHECK_NEAR(s.scott_pi, 7.0 / 15);
	CHECK_NEAR(s.bennett_s, 0.5);
	CHECK_NEAR(s.fleiss_kappa, 7.0 / 15);
	CHECK_NEAR(s.alpha, 8.0 / 15);
	CHECK_NEAR(s.alpha_do, 0.25);
	CHECK_NEAR(s.alpha_de, 30.0 / 56);
	agree_acc_release(&a);
}

/* A weight of 3 is the same unit added three times; a unit with one
 * value counts for nothing but Fleiss' pi_k; a unit with none for
 * nothing at all. */
static void weights_and_missing(void)
{
	static const int x[3] = { 0, 1, 1 }, y[3] = { 2, 2, AGREE_MISSING };
	static const int lone[3] = { AGREE_MISSING, 0, AGREE_MISSING };
	static const int none[3] = { AGREE_MISSING, AGREE_MISSING,
				     AGREE_MISSING };
	struct agree_acc a, b;
	struct agree_stats s, t;

	agree_acc_init(&a, 3, 3);
	agree_acc_init(&b, 3, 3);
	agree_acc_add(&a, x, 3);
	agree_acc_add(&a, y, 1);
	agree_acc_add(&a, none, 1);
	for (int i = 0; i < 3; i++) {
		agree_acc_add(&b, x, 1);
	}
	agree_acc_add(&b, y, 1);
	agree_acc_stats(&a, AGREE_NOMINAL, NULL, &s);
	agree_acc_stats(&b, AGREE_NOMINAL, NULL, &t);
	CHECK_NEAR(s.alpha, t.alpha);
	CHECK_NEAR(s.fleiss_kappa, t.fleiss_kappa);
	CHECK_NEAR(s.percent_agreement, t.percent_agreement);
	CHECK_NEAR(s.units, 5);
	CHECK_NEAR(s.pairable_units, 4);
	/* three coders: no Cohen, no Scott */
	CHECK(isnan(s.cohen_kappa));
	CHECK(isnan(s.scott_pi));
	/* x: pairs (0,1)x2,(1,0)x2,(1,1)x2 over m_u - 1 = 2: o01 = o10 =
	 * 1, o11 = 1, times 3; y: o22 = 2.  n = 11, agreement (3 + 2)/11 */
	CHECK_NEAR(s.percent_agreement, 5.0 / 11);
	agree_acc_add(&a, lone, 1);
	agree_acc_stats(&a, AGREE_NOMINAL, NULL, &s);
	CHECK_NEAR(s.alpha, t.alpha);
	CHECK_NEAR(s.pairable_units, 4);
	agree_acc_release(&a);
	agree_acc_release(&b);
}

/* One category only: chance-corrected statistics undefined. */
static void single_category(void)
{
	static const int v[2] = { 0, 0 };
	struct agree_acc a;
	struct agree_stats s;

	agree_acc_init(&a, 2, 1);
	agree_acc_add(&a, v, 5);
	agree_acc_stats(&a, AGREE_NOMINAL, NULL, &s);
	CHECK_NEAR(s.percent_agreement, 1);
	CHECK(isnan(s.cohen_kappa));
	CHECK(isnan(s.scott_pi));
	CHECK(isnan(s.bennett_s));
	CHECK(isnan(s.fleiss_kappa));
	CHECK(isnan(s.alpha));
	agree_acc_release(&a);
	/* declared second category: Bennett's S is defined (q = 2) */
	agree_acc_init(&a, 2, 2);
	agree_acc_add(&a, v, 5);
	agree_acc_stats(&a, AGREE_NOMINAL, NULL, &s);
	CHECK_NEAR(s.bennett_s, 1);
	CHECK(isnan(s.alpha));
	agree_acc_release(&a);
	/* nothing pairable */
	agree_acc_init(&a, 2, 2);
	agree_acc_stats(&a, AGREE_NOMINAL, NULL, &s);
	CHECK(isnan(s.percent_agreement));
	CHECK(isnan(s.alpha));
	CHECK(isnan(s.bennett_s));
	agree_acc_release(&a);
}

/* Units (1,2), (2,2), (3,3) with values 1 2 3 (given out of order to
 * check that ordinal ranks by value): n_1 = 1, n_2 = 3, n_3 = 2, n = 6.
 * interval: D_o = 2/6, D_e = 2(3 + 8 + 6)/30, alpha = 12/17.
 * ordinal: d(1,2) = (4 - 2)^2 = 4, d(2,3) = (5 - 2.5)^2, d(1,3) =
 * (6 - 1.5)^2; D_o = 8/6, D_e = 2(12 + 40.5 + 37.5)/30 = 6, alpha 7/9.
 * ratio: d(1,2) = 1/9, d(2,3) = 1/25, d(1,3) = 1/4; alpha =
 * 1 - (1/27)/(161/2250) = 2097/4347. */
static void metric_levels(void)
{
	/* category 0 = value 3, 1 = value 1, 2 = value 2 */
	static const double values[3] = { 3, 1, 2 };
	static const int units[3][2] = { { 1, 2 }, { 2, 2 }, { 0, 0 } };
	struct agree_acc a;
	struct agree_stats s;

	agree_acc_init(&a, 2, 3);
	for (int u = 0; u < 3; u++) {
		agree_acc_add(&a, units[u], 1);
	}
	agree_acc_stats(&a, AGREE_INTERVAL, values, &s);
	CHECK_NEAR(s.alpha, 12.0 / 17);
	CHECK_NEAR(s.alpha_do, 1.0 / 3);
	agree_acc_stats(&a, AGREE_ORDINAL, values, &s);
	CHECK_NEAR(s.alpha, 7.0 / 9);
	CHECK_NEAR(s.alpha_de, 6);
	agree_acc_stats(&a, AGREE_RATIO, values, &s);
	CHECK_NEAR(s.alpha, 2097.0 / 4347);
	agree_acc_release(&a);
}

void test_agree_coding(void)
{
	two_by_two();
	weights_and_missing();
	single_category();
	metric_levels();
}

/* Continuum of 10, category x: A marks [2,6), B [3,6).  Sections A:
 * gap 2, unit 4, gap 4; B: gap 3, unit 3, gap 4.  Only the two units
 * overlap: (2-3)^2 + (6-6)^2 = 1, D_o = 2*1/(2*1*100) = 0.01.
 * D_e: unit 4: (2-1)(128 - 48 + 4)/3 = 28, gaps >= 4: 4, 4 -> 16*2;
 * unit 3: (54 - 27 + 3)/3 = 10, gaps >= 3: 3, 4, 4 -> 9*(1+2+2);
 * sum 115; D_e = 2/10 * 115 / (20*19 - (12 + 6)) = 23/362. */
void test_agree_unitized(void)
{
	struct agree_span sp[3] = { { 0, 0, 2, 4 }, { 1, 0, 3, 3 },
				    { 1, 0, 5, 2 } };
	struct agree_ustats per[1], all;
	size_t bad = 99;

	CHECK_INT(agree_unitized(sp, 2, 2, 1, 0, 10, per, &all, &bad), 0);
	CHECK_NEAR(per[0].d_o, 0.01);
	CHECK_NEAR(per[0].d_e, 23.0 / 362);
	CHECK_NEAR(per[0].alpha, 1 - 0.01 * 362 / 23);
	CHECK_NEAR(all.alpha, per[0].alpha);
	CHECK_INT(per[0].units, 2);
	/* the 2016 u-alpha of the same spans: empty stretches A [0,2)
	 * [6,10), B [0,3) [6,10); coincidences (both orders) empty-empty
	 * 12, x-empty 2, x-x 6: l.. = 20; S_x = 16 + 9, S_e = 2+4+3+4;
	 * e_xx + e_ee = 20(49 - 25 + 169 - 13)/362 = 3600/362 */
	CHECK_NEAR(agree_ualpha2016(sp, 2, 2, 1, 0, 10, (size_t)-1),
		   1 - 2 / (20 - 3600.0 / 362));
	/* B's overlapping spans: no single segmentation */
	CHECK(isnan(agree_ualpha2016(sp, 3, 2, 1, 0, 10, (size_t)-1)));
	/* B's second span overlaps its first */
	CHECK_INT(agree_unitized(sp, 3, 2, 1, 0, 10, per, &all, &bad), -1);
	CHECK_INT(bad, 2);
	/* outside the continuum */
	sp[2].begin = 9;
	CHECK_INT(agree_unitized(sp, 3, 2, 1, 0, 10, per, &all, &bad), -1);
	CHECK_INT(bad, 2);
	/* shifting everything changes nothing */
	sp[0].begin += 100;
	sp[1].begin += 100;
	CHECK_INT(agree_unitized(sp, 2, 2, 1, 100, 10, per, &all, &bad), 0);
	CHECK_NEAR(per[0].alpha, 1 - 0.01 * 362 / 23);
}
