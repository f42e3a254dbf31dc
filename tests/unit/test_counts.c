/*
 * Unit tests of the counters the kernel's OOM killer reads: which kernels
 * count rss approximately, stat's rss field, the error bound, the re-count
 * window of the ranking, the set of the k highest counts that bounds it,
 * and a process whose leader exited (Threads:).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "proc.h"
#include "rank.h"

static void test_kernel_rule(void **state)
{
	(void)state;
	assert_true(proc_kernel_counts_approx("6.18.44-fc-v782"));
	assert_true(proc_kernel_counts_approx("6.2.0"));
	assert_true(proc_kernel_counts_approx("6.16-rc1"));
	assert_false(proc_kernel_counts_approx("6.19.0"));
	assert_false(proc_kernel_counts_approx("6.1.0-13-amd64"));
	assert_false(proc_kernel_counts_approx("5.15.0-91-generic"));
	assert_false(proc_kernel_counts_approx("7.0.1"));
	assert_false(proc_kernel_counts_approx(""));
	assert_false(proc_kernel_counts_approx("6"));
	assert_false(proc_kernel_counts_approx("6."));
	assert_false(proc_kernel_counts_approx("x6.18"));
	assert_false(proc_kernel_counts_approx("99999999999999999999999.18"));
}

static void test_error_bound(void **state)
{
	(void)state;
	/* 4 counters, batch max(32, 2 * cpus) per cpu */
	assert_int_equal(proc_count_error_pages(2), 4 * 32 * 2);
	assert_int_equal(proc_count_error_pages(1), 4 * 32);
	assert_int_equal(proc_count_error_pages(0), 4 * 32);
	assert_int_equal(proc_count_error_pages(-1), 4 * 32);
	assert_int_equal(proc_count_error_pages(64), 4 * 128 * 64);
}

static void test_stat_rss(void **state)
{
	(void)state;
	struct proc_stat st;
	const char s[] = "4242 (memhog) S 1 4242 4242 0 -1 4194560 120 0 0 0 1 2 0 0 20 0 1 0 987654 "
			 "12345678 3380 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
	assert_int_equal(proc_parse_stat(s, strlen(s), &st), 0);
	assert_true(st.has_rss);
	assert_int_equal(st.rss_pages, 3380);
	assert_int_equal(st.start_ticks, 987654);
	/* a stat cut after starttime still parses, without rss */
	const char cut[] = "1 (x) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5\n";
	assert_int_equal(proc_parse_stat(cut, strlen(cut), &st), 0);
	assert_false(st.has_rss);
	assert_int_equal(st.start_ticks, 5);
	/* a negative or garbage rss is no rss */
	const char neg[] = "1 (x) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 100 -3 0\n";
	assert_int_equal(proc_parse_stat(neg, strlen(neg), &st), 0);
	assert_false(st.has_rss);
	const char junk[] = "1 (x) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 100 zz\n";
	assert_int_equal(proc_parse_stat(junk, strlen(junk), &st), 0);
	assert_false(st.has_rss);
}

static void test_threads_of_exited_leader(void **state)
{
	(void)state;
	struct proc_status st;
	/* the status of a leader that exited while a thread lives: no Vm lines */
	const char z[] = "Name:\tlead24\nUmask:\t0022\nState:\tZ (zombie)\nTgid:\t9\nPid:\t9\nPPid:\t1\n"
			 "Uid:\t0\t0\t0\t0\nThreads:\t2\nKthread:\t0\n";
	assert_int_equal(proc_parse_status(z, strlen(z), &st), 0);
	assert_int_equal(st.state, 'Z');
	assert_int_equal(st.threads, 2);
	assert_false(st.has_mm);
	const char bad[] = "Name:\tx\nThreads:\tmany\n";
	assert_int_equal(proc_parse_status(bad, strlen(bad), &st), 0);
	assert_int_equal(st.threads, 0);
}

static void test_badness_mem_kernel_rss(void **state)
{
	(void)state;
	struct proc_record r = { .anon_kib = 8192, .file_kib = 400, .swap_kib = 40, .pte_kib = 60 };
	struct badness_mem m;
	proc_badness_mem(&r, 4, &m);
	assert_int_equal(m.rss_pages, 2148);
	r.kernel_rss_pages = 2100;
	r.known |= PROC_HAVE_KRSS;
	proc_badness_mem(&r, 4, &m);
	assert_int_equal(m.rss_pages, 2100);
	assert_int_equal(m.swap_pages, 10);
	assert_int_equal(m.pgtables_pages, 15);
}

/* Returns a wanted row of record r with a badness, or unkillable when bad is LONG_MIN. */
static struct rank_row row(struct proc_record *r, pid_t pid, long bad)
{
	struct rank_row w;
	memset(r, 0, sizeof(*r));
	memset(&w, 0, sizeof(w));
	r->pid = pid;
	w.rec = r;
	w.badness = bad;
	w.wanted = true;
	return w;
}

static void test_uncertain_prefix(void **state)
{
	(void)state;
	struct proc_record p[8];
	struct rank_row rows[] = { row(&p[0], 1, 10000), row(&p[1], 2, 9600), row(&p[2], 3, 9400), row(&p[3], 4, 9000),
				   row(&p[4], 5, BADNESS_UNKILLABLE) };
	/* margin 256: anything within 512 of the first may overtake it */
	assert_int_equal(rank_uncertain_prefix(rows, 5, 1, 256), 2);
	/* the first two: within 512 of the second */
	assert_int_equal(rank_uncertain_prefix(rows, 5, 2, 256), 3);
	/* exact counts: only the rows asked for */
	assert_int_equal(rank_uncertain_prefix(rows, 5, 1, 0), 1);
	/* all rows (limit 0) stop before the unkillable */
	assert_int_equal(rank_uncertain_prefix(rows, 5, 0, 256), 4);
	assert_int_equal(rank_uncertain_prefix(rows, 0, 1, 256), 0);
	assert_int_equal(rank_uncertain_prefix(&rows[4], 1, 1, 256), 0);
	/* the limit counts wanted rows only: the first wanted one is the third, 9000 is within 512 of it */
	rows[0].wanted = rows[1].wanted = false;
	assert_int_equal(rank_uncertain_prefix(rows, 5, 1, 256), 4);
	rows[3].wanted = false;
	assert_int_equal(rank_uncertain_prefix(rows, 5, 1, 0), 3);
	/* negative badness (adj below 0) works the same */
	struct rank_row neg[] = { row(&p[5], 6, -500), row(&p[6], 7, -900), row(&p[7], 8, -1100) };
	assert_int_equal(rank_uncertain_prefix(neg, 3, 1, 256), 2);
}

static void test_reach(void **state)
{
	(void)state;
	struct rank_reach h;
	/* fewer than k counted: any row may still reach them */
	rank_reach_init(&h, 3);
	assert_true(rank_reach_may(&h, -100000, 0));
	rank_reach_add(&h, 500);
	rank_reach_add(&h, 900);
	assert_true(rank_reach_may(&h, 0, 0));
	rank_reach_add(&h, 700);
	/* the third highest is 500: within the margin of it, or equal (the tie rule decides), may reach */
	assert_true(rank_reach_may(&h, 500, 0));
	assert_false(rank_reach_may(&h, 499, 0));
	assert_true(rank_reach_may(&h, 244, 256));
	assert_false(rank_reach_may(&h, 243, 256));
	/* a higher count pushes the least out; a lower one changes nothing */
	rank_reach_add(&h, 800);
	assert_false(rank_reach_may(&h, 699, 0));
	assert_true(rank_reach_may(&h, 700, 0));
	rank_reach_add(&h, 100);
	assert_true(rank_reach_may(&h, 700, 0));
	rank_reach_add(&h, 1000);
	rank_reach_add(&h, 950);
	assert_false(rank_reach_may(&h, 899, 0));
	assert_true(rank_reach_may(&h, 900, 0));
	rank_reach_free(&h);
	/* k 0 is the first only; negative counts (adj below 0) work the same */
	rank_reach_init(&h, 0);
	rank_reach_add(&h, -900);
	rank_reach_add(&h, -500);
	assert_false(rank_reach_may(&h, -757, 256));
	assert_true(rank_reach_may(&h, -756, 256));
	rank_reach_free(&h);
	/* many values in a scrambled order: the least kept is the k-th highest */
	rank_reach_init(&h, 40);
	for (long i = 0; i < 1000; i++)
		rank_reach_add(&h, (i * 7919) % 1000);
	assert_int_equal(h.n, 40);
	assert_true(rank_reach_may(&h, 960, 0));
	assert_false(rank_reach_may(&h, 959, 0));
	rank_reach_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_rule),
		cmocka_unit_test(test_error_bound),
		cmocka_unit_test(test_stat_rss),
		cmocka_unit_test(test_threads_of_exited_leader),
		cmocka_unit_test(test_badness_mem_kernel_rss),
		cmocka_unit_test(test_uncertain_prefix),
		cmocka_unit_test(test_reach),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
