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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_pages),   cmocka_unit_test(test_adj_term_divides_first),
		cmocka_unit_test(test_badness),      cmocka_unit_test(test_oom_score),
		cmocka_unit_test(test_adj_to_beat),  cmocka_unit_test(test_legacy_table),
		cmocka_unit_test(test_legacy_read_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
