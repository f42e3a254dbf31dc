/* Unit tests of the kernel's OOM counters' pure parts (src/oomcount.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "oomcount.h"

static void test_backed(void **state)
{
	(void)state;

	/* the live view shows a kill from the log only when /proc/vmstat oom_kill moved for it */
	assert_int_equal(oomcount_backed(10, 10, 1), 0); /* a forged line: the counter did not move */
	assert_int_equal(oomcount_backed(10, 11, 1), 1);
	assert_int_equal(oomcount_backed(10, 11, 3), 1); /* three lines, one kill */
	assert_int_equal(oomcount_backed(10, 14, 3), 3); /* a group kill counts each member */
	assert_int_equal(oomcount_backed(10, 9, 1), 0);  /* never below the start */
	assert_int_equal(oomcount_backed(0, ~0UL, 5), 5);
}

static void test_parse_key(void **state)
{
	(void)state;
	long long v = -1;

	assert_int_equal(oomcount_parse_key("low 0\nhigh 0\noom 3\noom_kill 2\noom_group_kill 1\n", "oom_kill", &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(oomcount_parse_key("oom_kill_disable 0\nunder_oom 0\n", "oom_kill", &v), -2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backed),
		cmocka_unit_test(test_parse_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
