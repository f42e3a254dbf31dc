/* Unit tests of the strict number parsers (src/num.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>

#include "num.h"

/* Returns what num_parse_seconds() says of s in the range of -d (0.1 to 86400 s). */
static int secs(const char *s, double *out)
{
	return num_parse_seconds(s, 100, 86400000, out);
}

static void test_seconds_valid(void **state)
{
	(void)state;
	double d = -1;
	assert_int_equal(secs("2", &d), 0);
	assert_true(d == 2.0);
	assert_int_equal(secs("0.5", &d), 0);
	assert_true(d == 0.5);
	assert_int_equal(secs("0.1", &d), 0);
	assert_true(d == 0.1);
	assert_int_equal(secs("0.125", &d), 0);
	assert_true(d == 0.125);
	assert_int_equal(secs("86400", &d), 0);
	assert_true(d == 86400.0);
	assert_int_equal(secs("86400.000", &d), 0);
	assert_true(d == 86400.0);
	assert_int_equal(secs("007", &d), 0);
	assert_true(d == 7.0);
}

static void test_seconds_syntax(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"0x1p-3", "1e-1", "1E2",  "0x10", "inf", "nan", "infinity", "-1",	 "+1",	"-0.5",
		" 1",	  "1 ",	  "1.",	  ".5",	  "1..2", "1.2.3", "",	       "1,5", "0.1234", "2s",
		"\t2",	  "1.5e0", "0.5\n", "١",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		double d = 42;
		int rc = secs(bad[i], &d);
		if (rc != -EINVAL)
			fail_msg("'%s' gave %d, not -EINVAL", bad[i], rc);
		assert_true(d == 42); /* untouched */
	}
	assert_int_equal(secs(NULL, &(double){ 0 }), -EINVAL);
}

static void test_seconds_range(void **state)
{
	(void)state;
	double d = 42;
	assert_int_equal(secs("0", &d), -ERANGE);
	assert_int_equal(secs("0.099", &d), -ERANGE);
	assert_int_equal(secs("0.000", &d), -ERANGE);
	assert_int_equal(secs("86400.001", &d), -ERANGE);
	assert_int_equal(secs("86401", &d), -ERANGE);
	/* digits past any unsigned range: still a range error, not a wrap-around to a small value */
	assert_int_equal(secs("18446744073709551617", &d), -ERANGE);
	assert_int_equal(secs("99999999999999999999999999.5", &d), -ERANGE);
	assert_true(d == 42);
}

static void test_long(void **state)
{
	(void)state;
	long v;
	unsigned long u;
	assert_int_equal(num_parse_long("-5", -10, 10, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(num_parse_long("11", -10, 10, &v), -ERANGE);
	assert_int_equal(num_parse_long("1x", -10, 10, &v), -EINVAL);
	assert_int_equal(num_parse_ulong("7", 10, &u), 0);
	assert_int_equal(u, 7);
	assert_int_equal(num_parse_ulong("-7", 10, &u), -EINVAL);
}

/* The edges of the integer parsers: blanks, signs, empty text, overflow, the bounds themselves. */
static void test_long_edges(void **state)
{
	(void)state;
	long v = 42;
	unsigned long u = 42;
	assert_int_equal(num_parse_long("", 0, 10, &v), -EINVAL);
	assert_int_equal(num_parse_long(NULL, 0, 10, &v), -EINVAL);
	assert_int_equal(num_parse_long(" 5", 0, 10, &v), -EINVAL);
	assert_int_equal(num_parse_long("5 ", 0, 10, &v), -EINVAL);
	assert_int_equal(num_parse_long("5\n", 0, 10, &v), -EINVAL);
	assert_int_equal(num_parse_long("-", -10, 10, &v), -EINVAL);
	assert_int_equal(num_parse_long("99999999999999999999", 0, 10, &v), -ERANGE);
	assert_int_equal(num_parse_long("-99999999999999999999", -10, 10, &v), -ERANGE);
	assert_int_equal(v, 42); /* untouched on error */
	assert_int_equal(num_parse_long("-1000", -1000, 1000, &v), 0);
	assert_int_equal(v, -1000);
	assert_int_equal(num_parse_long("1000", -1000, 1000, &v), 0);
	assert_int_equal(num_parse_long("1001", -1000, 1000, &v), -ERANGE);
	assert_int_equal(num_parse_ulong("", 10, &u), -EINVAL);
	assert_int_equal(num_parse_ulong("+7", 10, &u), -EINVAL);
	assert_int_equal(num_parse_ulong(" 7", 10, &u), -EINVAL);
	assert_int_equal(num_parse_ulong("4294967294", 0xfffffffeUL, &u), 0);
	assert_int_equal(u, 4294967294UL);
	assert_int_equal(num_parse_ulong("4294967295", 0xfffffffeUL, &u), -ERANGE);
	assert_int_equal(num_parse_ulong("99999999999999999999999", ~0UL, &u), -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seconds_valid),
		cmocka_unit_test(test_seconds_syntax),
		cmocka_unit_test(test_seconds_range),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_long_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
