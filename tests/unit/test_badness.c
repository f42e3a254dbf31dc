/* Unit tests of the kernel's OOM arithmetic (src/badness.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>

#include "badness.h"
#include "oomtop.h"

/* The 24 GiB test machine: MemTotal 24683620 kB, no swap. */
#define TOTAL 6170905UL

static void test_base_pages(void **state)
{
	(void)state;
	struct badness_mem m = { .rss_pages = 2048, .swap_pages = 10, .pgtables_pages = 3 };
	assert_int_equal(badness_base_pages(&m), 2061);
}

static void test_adj_term_divides_first(void **state)
{
	(void)state;
	/* adj * (totalpages / 1000), not adj * totalpages / 1000 */
	assert_int_equal(badness_adj_pages(500, TOTAL), 500L * 6170);
	assert_int_equal(badness_adj_pages(-500, TOTAL), -500L * 6170);
	/* a domain under 1000 pages gives adj no weight */
	assert_int_equal(badness_adj_pages(1000, 999), 0);
	assert_int_equal(badness_adj_pages(1000, 1999), 1000);
}

static void test_badness(void **state)
{
	(void)state;
	struct badness_mem m = { .rss_pages = 2048 };
	assert_int_equal(badness_pages(&m, 0, TOTAL), 2048);
	assert_int_equal(badness_pages(&m, 500, TOTAL), 2048 + 3085000);
	assert_int_equal(badness_pages(&m, -500, TOTAL), 2048 - 3085000);
	assert_true(badness_pages(&m, -1000, TOTAL) == BADNESS_UNKILLABLE);
	assert_int_equal(badness_pages(&m, -999, TOTAL), 2048 - 999L * 6170);
}

static void test_oom_score(void **state)
{
	(void)state;
	/* every process under 0.1% of memory (24 MiB here) shows 666 */
	assert_int_equal(badness_oom_score(0, TOTAL), 666);
	assert_int_equal(badness_oom_score(2048, TOTAL), 666);
	assert_int_equal(badness_oom_score(6170, TOTAL), 666);
	assert_int_equal(badness_oom_score(6171, TOTAL), 667); /* 1001 * 2 / 3 */
	assert_int_equal(badness_oom_score(12342, TOTAL), 668);
	assert_int_equal(badness_oom_score(18513, TOTAL), 668); /* 1003 * 2 / 3 */
	assert_int_equal(badness_oom_score(2048 + 3085000, TOTAL), 1000);
	/* badness * 1000 / totalpages truncates toward zero: -499.6 -> -499 -> 334 */
	assert_int_equal(badness_oom_score(2048 - 3085000, TOTAL), 334);
	assert_int_equal(badness_oom_score(BADNESS_UNKILLABLE, TOTAL), 0);
	assert_int_equal(badness_oom_score((long)TOTAL, TOTAL), 1333);
	assert_int_equal(badness_oom_score(2 * (long)TOTAL, TOTAL), 2000);
	assert_int_equal(badness_oom_score(-(long)TOTAL, TOTAL), 0);
	assert_int_equal(badness_oom_score(100, 0), 0);
}

static void test_adj_to_beat(void **state)
{
	(void)state;
	int adj = 0;
	/* 2048 pages must reach 100000: need 97952 pages = ceil(97952 / 6170) = 16 */
	assert_int_equal(badness_adj_to_beat(2048, 100000, TOTAL, &adj), 0);
	assert_int_equal(adj, 16);
	assert_true(2048 + badness_adj_pages(adj, TOTAL) >= 100000);
	assert_true(2048 + badness_adj_pages(adj - 1, TOTAL) < 100000);
	/* already above: a negative adj suffices */
	assert_int_equal(badness_adj_to_beat(100000, 2048, TOTAL, &adj), 0);
	assert_int_equal(adj, -15);
	assert_true(100000 + badness_adj_pages(adj, TOTAL) >= 2048);
	assert_true(100000 + badness_adj_pages(adj - 1, TOTAL) < 2048);
	/* out of reach */
	assert_int_equal(badness_adj_to_beat(0, 2 * (long)TOTAL, TOTAL, &adj), -ERANGE);
	/* tiny domain: adj has no weight */
	assert_int_equal(badness_adj_to_beat(10, 20, 500, &adj), -EDOM);
	assert_int_equal(badness_adj_to_beat(30, 20, 500, &adj), 0);
	assert_int_equal(adj, -999);
}

static void test_legacy_table(void **state)
{
	(void)state;
	/* fs/proc/base.c oom_adj_write(): adj * 1000 / 17, 15 -> 1000 */
	static const int want[33] = {
		-1000, -941, -882, -823, -764, -705, -647, -588, -529, -470, -411,
		-352,  -294, -235, -176, -117, -58,  0,    58,   117,  176,  235,
		294,   352,  411,  470,  529,  588,  647,  705,  764,  823,  1000,
	};
	for (int v = -17; v <= 15; v++)
		assert_int_equal(badness_legacy_to_adj(v), want[v + 17]);
}

static void test_legacy_read_back(void **state)
{
	(void)state;
	assert_int_equal(badness_adj_to_legacy(1000), 15);
	assert_int_equal(badness_adj_to_legacy(-1000), -17);
	assert_int_equal(badness_adj_to_legacy(0), 0);
	/* 999 * 17 / 1000 is 16, but oom_adj_read() clamps to OOM_ADJUST_MAX */
	assert_int_equal(badness_adj_to_legacy(999), 15);
	assert_int_equal(badness_adj_to_legacy(942), 15);
	assert_int_equal(badness_adj_to_legacy(941), 15);
	assert_int_equal(badness_adj_to_legacy(940), 15);
	assert_int_equal(badness_adj_to_legacy(882), 14);
	assert_int_equal(badness_adj_to_legacy(-941), -15); /* lossy: -16 reads back as -15 */
	assert_int_equal(badness_adj_to_legacy(58), 0);
	assert_int_equal(badness_adj_to_legacy(59), 1);
	/* the round trip is exact only for -17, 0 and 15 among the legal values */
	int exact = 0;
	for (int v = -17; v <= 15; v++)
		exact += badness_adj_to_legacy(badness_legacy_to_adj(v)) == v;
	assert_int_equal(exact, 3);
}

/* A task of base pages, oom_score_adj adj, root or not. */
static struct badness_task task(unsigned long rss, int adj, bool root)
{
	struct badness_task t = { .mem = { .rss_pages = rss, .swap_pages = 10, .pgtables_pages = 3 },
				  .oom_score_adj = adj,
				  .cap_sys_admin = root };
	return t;
}

/* Values worked out by hand from each generation's mm/oom_kill.c and fs/proc/base.c. */
static void test_model_2_6_36(void **state)
{
	(void)state;
	enum badness_model m = BADNESS_MODEL_2_6_36;
	struct badness_task small = task(2048, 0, false), big = task(2999987, 0, false);

	/* 2061 * 1000 / 6170905 = 0: never 0 for an eligible task */
	assert_int_equal(badness_model_pages(m, &small, TOTAL), 1);
	/* 3000000 * 1000 / 6170905 = 486 */
	assert_int_equal(badness_model_pages(m, &big, TOTAL), 486);
	big.cap_sys_admin = true;
	assert_int_equal(badness_model_pages(m, &big, TOTAL), 456);
	big.oom_score_adj = 600;
	assert_int_equal(badness_model_pages(m, &big, TOTAL), 1000);
	small.oom_score_adj = 500;
	assert_int_equal(badness_model_pages(m, &small, TOTAL), 500);
	/* oom_score is the badness itself */
	assert_int_equal(badness_model_oom_score(m, 456, TOTAL), 456);
	small.oom_score_adj = -1000;
	assert_true(badness_model_pages(m, &small, TOTAL) == BADNESS_UNKILLABLE);
	assert_int_equal(badness_model_oom_score(m, BADNESS_UNKILLABLE, TOTAL), 0);
}

static void test_model_3_8(void **state)
{
	(void)state;
	enum badness_model m = BADNESS_MODEL_3_8;
	struct badness_task small = task(2048, 0, true), big = task(2999987, 0, true);

	/* root: adj - 30 before it is scaled, 30 * 6170 pages */
	assert_int_equal(badness_model_pages(m, &big, TOTAL), 3000000 - 185100);
	assert_int_equal(badness_model_oom_score(m, 3000000 - 185100, TOTAL), 456);
	/* below zero: at least 1, and oom_score 1 * 1000 / total = 0 */
	assert_int_equal(badness_model_pages(m, &small, TOTAL), 1);
	assert_int_equal(badness_model_oom_score(m, 1, TOTAL), 0);
	small.cap_sys_admin = false;
	assert_int_equal(badness_model_pages(m, &small, TOTAL), 2061);
}

static void test_model_3_14(void **state)
{
	(void)state;
	enum badness_model m = BADNESS_MODEL_3_14;
	struct badness_task small = task(2048, 0, true), big = task(2999987, 0, true);

	/* root: 3% of the points, 2061 * 3 / 100 = 61 */
	assert_int_equal(badness_model_pages(m, &small, TOTAL), 2000);
	assert_int_equal(badness_model_pages(m, &big, TOTAL), 2910000);
	assert_int_equal(badness_model_oom_score(m, 2910000, TOTAL), 471);
	big.oom_score_adj = 100;
	assert_int_equal(badness_model_pages(m, &big, TOTAL), 2910000 + 617000);
}

static void test_model_4_17_and_5_9(void **state)
{
	(void)state;
	struct badness_task t = task(2999987, 0, true), low = task(2048, -1, false);

	/* no root bonus from 4.17 on */
	assert_int_equal(badness_model_pages(BADNESS_MODEL_4_17, &t, TOTAL), 3000000);
	assert_int_equal(badness_model_oom_score(BADNESS_MODEL_4_17, 3000000, TOTAL), 486);
	/* 2061 - 6170: at least 1 until 5.8, negative from 5.9 */
	assert_int_equal(badness_model_pages(BADNESS_MODEL_4_17, &low, TOTAL), 1);
	assert_int_equal(badness_model_pages(BADNESS_MODEL_5_9, &low, TOTAL), -4109);
	/* (1000 + -4109000 / 6170905) * 2 / 3, the division truncating toward 0 */
	assert_int_equal(badness_model_oom_score(BADNESS_MODEL_5_9, -4109, TOTAL), 666);
	assert_int_equal(badness_model_pages(BADNESS_MODEL_5_9, &t, TOTAL), 3000000);
}

/* Expects release to pick model want. */
static void check_release(const char *release, enum badness_model want)
{
	enum badness_model m = BADNESS_MODEL_COUNT;

	assert_int_equal(badness_model_for_release(release, &m), 0);
	if (m != want)
		fail_msg("%s: model %s, want %s", release, badness_model_name(m), badness_model_name(want));
}

static void test_model_for_release(void **state)
{
	(void)state;
	enum badness_model m;

	check_release("6.18.44-fc-v1045", BADNESS_MODEL_5_9);
	check_release("6.1.0-57-cloud-amd64", BADNESS_MODEL_5_9);
	check_release("5.9", BADNESS_MODEL_5_9);
	check_release("5.8.18-100.fc31.x86_64", BADNESS_MODEL_4_17);
	check_release("5.4.0-150-generic", BADNESS_MODEL_4_17);
	check_release("4.18.0-553.el8_10.x86_64", BADNESS_MODEL_4_17);
	check_release("4.17.0", BADNESS_MODEL_4_17);
	check_release("4.16.18", BADNESS_MODEL_3_14);
	check_release("4.14.355-275.582.amzn2.x86_64", BADNESS_MODEL_3_14);
	check_release("3.14.79", BADNESS_MODEL_3_14);
	/* RHEL 7's 3.10 carries the 3.14 root bonus (its mm/oom_kill.c) */
	check_release("3.10.0-1160.el7.x86_64", BADNESS_MODEL_3_14);
	check_release("3.10.108", BADNESS_MODEL_3_8);
	check_release("3.8.0-19-generic", BADNESS_MODEL_3_8);
	check_release("3.7.10", BADNESS_MODEL_2_6_36);
	check_release("2.6.36", BADNESS_MODEL_2_6_36);
	/* RHEL 6's 2.6.32 carries the 2.6.36 rewrite */
	check_release("2.6.32-754.35.1.el6.x86_64", BADNESS_MODEL_2_6_36);
	assert_int_equal(badness_model_for_release("2.6.32-5-amd64", &m), -EOPNOTSUPP);
	assert_int_equal(badness_model_for_release("", &m), -EINVAL);
	assert_int_equal(badness_model_for_release("6", &m), -EINVAL);
	assert_int_equal(badness_model_for_release("6.x", &m), -EINVAL);
	assert_int_equal(badness_model_for_release("x6.1", &m), -EINVAL);
	assert_int_equal(badness_model_for_release("6.1234567", &m), -EINVAL);
	assert_int_equal(badness_model_for_release(NULL, &m), -EINVAL);
	assert_string_equal(badness_model_name(BADNESS_MODEL_5_9), "5.9+");
	assert_string_equal(badness_model_name(BADNESS_MODEL_COUNT), "?");
}

/*
 * The model check on the numbers of a 3.10 RHEL 7 kernel (3% of the points
 * off for root), without the release: a root task of 3000000 pages scores
 * 471 there, 456 under 3.8's rule, 486 from 4.17 on.
 */
static void test_model_check(void **state)
{
	(void)state;
	struct badness_sample s[3] = {
		{ .task = task(2999987, 0, true), .oom_score = 471 },
		{ .task = task(1499987, 0, false), .oom_score = 243 },
		{ .task = task(2048, 0, true), .oom_score = 0 },
	};
	size_t agree[BADNESS_MODEL_COUNT];
	bool all;

	badness_model_agreement(s, 3, TOTAL, agree);
	assert_int_equal(agree[BADNESS_MODEL_3_14], 3);
	assert_int_equal(agree[BADNESS_MODEL_3_8], 2);
	assert_int_equal(agree[BADNESS_MODEL_4_17], 2);
	assert_int_equal(agree[BADNESS_MODEL_5_9], 0);
	/* the release said 3.8 (mainline 3.10): the numbers say 3.14 */
	assert_int_equal(badness_model_pick(agree, 3, BADNESS_MODEL_3_8, &all), BADNESS_MODEL_3_14);
	assert_true(all);
	/* a kernel no model explains: the best is named, and all is false */
	s[1].oom_score = 999;
	badness_model_agreement(s, 3, TOTAL, agree);
	assert_int_equal(badness_model_pick(agree, 3, BADNESS_MODEL_3_8, &all), BADNESS_MODEL_3_14);
	assert_false(all);
	/* nothing to go by: the guess stands */
	badness_model_agreement(s, 0, TOTAL, agree);
	assert_int_equal(badness_model_pick(agree, 0, BADNESS_MODEL_4_17, &all), BADNESS_MODEL_4_17);
	assert_true(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_pages),   cmocka_unit_test(test_adj_term_divides_first),
		cmocka_unit_test(test_badness),      cmocka_unit_test(test_oom_score),
		cmocka_unit_test(test_adj_to_beat),  cmocka_unit_test(test_legacy_table),
		cmocka_unit_test(test_legacy_read_back),
		cmocka_unit_test(test_model_2_6_36), cmocka_unit_test(test_model_3_8),
		cmocka_unit_test(test_model_3_14), cmocka_unit_test(test_model_4_17_and_5_9),
		cmocka_unit_test(test_model_for_release), cmocka_unit_test(test_model_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
