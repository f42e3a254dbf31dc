/* Unit tests of status's pure parts (src/status.c; its PSI parser: test_sysmem.c) and explain's adj arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "status.h"

/* Returns whether one of s's warnings is exactly text. */
static int has_warning(const struct status *s, const char *text)
{
	for (size_t i = 0; i < s->nwarnings; i++)
		if (strcmp(s->warnings[i], text) == 0)
			return 1;
	return 0;
}

static void test_warnings(void **state)
{
	(void)state;
	struct status s;
	memset(&s, 0, sizeof(s));
	s.mem.mem_total_kib = 1000000;
	s.mem.mem_available_kib = 900000;
	s.oom_dump_tasks = 1;
	s.nprocs = 10;
	s.nkillable = 5;
	status_warnings(&s);
	assert_int_equal(s.nwarnings, 0);
	status_free(&s);

	s.check.checked = 3;
	s.check.agree = 2;
	s.check.worst_pid = 4242;
	s.check.worst_diff = -7;
	status_warnings(&s);
	assert_true(has_warning(&s, "the kernel's oom_score of 1 of the 3 processes checked is not what any generation "
				    "of oom_badness() gives (pid 4242: -7): the next victim is oomtop's best guess"));
	status_free(&s);
	s.check.agree = 3;

	s.panic_on_oom = 1;
	s.overcommit_memory = 2;
	s.mem.commit_limit_kib = 1000;
	s.mem.committed_as_kib = 930;
	s.oom_kill_allocating_task = 1;
	s.nprotected = 3;
	s.ninherited = 2;
	status_warnings(&s);
	assert_true(has_warning(&s, "panic_on_oom=1: a global OOM panics the machine instead of killing a process"));
	assert_true(has_warning(&s, "overcommit_memory=2 and Committed_AS is 93% of CommitLimit: allocations will start failing"));
	assert_true(has_warning(&s, "oom_kill_allocating_task=1: a global OOM kills whichever process is allocating, "
				    "not the one ranked first"));
	assert_true(has_warning(&s, "2 of the 3 processes with oom_score_adj -1000 only inherited it from a parent: "
				    "the OOM killer can never pick them either"));
	status_free(&s);

	memset(&s, 0, sizeof(s));
	s.panic_on_oom = 2;
	s.overcommit_memory = 2;
	s.mem.commit_limit_kib = 1000;
	s.mem.committed_as_kib = 899; /* under 90%: no warning */
	s.mem.mem_total_kib = 1000;
	s.mem.mem_available_kib = 50;
	s.have_psi = true;
	s.psi.have_full = true;
	s.psi.full.avg10 = 12.5;
	s.nprocs = 3;
	s.oom_dump_tasks = 0;
	status_warnings(&s);
	assert_true(has_warning(&s, "panic_on_oom=2: every OOM, a memory cgroup's too, panics the machine"));
	assert_true(has_warning(&s, "MemAvailable is 5% of MemTotal: an OOM is near"));
	assert_true(has_warning(&s, "memory pressure: all tasks stalled on memory 12.5% of the last 10 s"));
	assert_true(has_warning(&s, "no process can be killed: a global OOM would panic"));
	assert_true(has_warning(&s, "oom_dump_tasks=0: the kernel log will not list the candidates of an OOM"));
	for (size_t i = 0; i < s.nwarnings; i++)
		assert_null(strstr(s.warnings[i], "Committed_AS"));
	status_free(&s);

	/* a partial view (hidepid=): said, and no claim that nothing can be killed */
	memset(&s, 0, sizeof(s));
	s.oom_dump_tasks = 1;
	s.nprocs = 1;
	s.partial = true;
	snprintf(s.partial_reason, sizeof(s.partial_reason), "/proc is mounted with hidepid=invisible");
	status_warnings(&s);
	assert_int_equal(s.nwarnings, 1);
	assert_true(has_warning(&s, "partial view: /proc is mounted with hidepid=invisible; the next victim and the "
				    "counts are unknown (those shown are of the processes you can see)"));
	status_free(&s);
	assert_non_null(status_overcommit_text(2));
	assert_string_equal(status_overcommit_text(7), "unknown value");
}

static void test_adj_first_and_stop(void **state)
{
	(void)state;
	int adj;
	/* 256 MiB: 65 pages per point.  2372 pages against 10619 */
	assert_int_equal(explain_adj_first(2372, 10619, false, 65536, &adj), 0);
	assert_int_equal(adj, 127); /* 2372 + 127 * 65 = 10627 > 10619 */
	assert_int_equal(explain_adj_first(2372, 10619, true, 65536, &adj), 0);
	assert_int_equal(adj, 127); /* 126 * 65 + 2372 = 10562 < 10619 */
	assert_int_equal(explain_adj_first(2372, 2372 + 65 * 10, true, 65536, &adj), 0);
	assert_int_equal(adj, 10); /* reaching is enough when it wins ties */
	assert_int_equal(explain_adj_first(2372, 2372 + 65 * 10, false, 65536, &adj), 0);
	assert_int_equal(adj, 11);
	assert_int_equal(explain_adj_first(0, 10000000, false, 65536, &adj), -ERANGE);
	assert_int_equal(explain_adj_first(10, 20, false, 768, &adj), -EDOM);
	/* to stop being first: the highest adj that stays below (wins ties) or at (loses them) the rival */
	assert_int_equal(explain_adj_stop(2372, 2372 + 65 * 10, true, 65536, &adj), 0);
	assert_int_equal(adj, 9);
	assert_int_equal(explain_adj_stop(2372, 2372 + 65 * 10, false, 65536, &adj), 0);
	assert_int_equal(adj, 10);
	/* only -1000 spares a process far bigger than the rest */
	assert_int_equal(explain_adj_stop(10000000, 10, false, 65536, &adj), 0);
	assert_int_equal(adj, -1000);
	/* under 1000 pages adj has no weight */
	assert_int_equal(explain_adj_stop(500, 100, false, 768, &adj), -EDOM);
	assert_int_equal(adj, -1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_adj_first_and_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
