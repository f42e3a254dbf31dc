/* Unit tests of the uid -> name cache (src/users.c): names, the numeric fallback, parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "users.h"

static void test_name(void **state)
{
	(void)state;
	const char *root = users_name(0);

	assert_string_equal(root, "root");
	assert_ptr_equal(users_name(0), root); /* the second look-up is the cache's */
	/* a uid without a passwd entry shows as its number, cached too */
	const char *none = users_name(4000123);
	assert_string_equal(none, "4000123");
	assert_ptr_equal(users_name(4000123), none);
	assert_string_equal(users_name(4294967294U), "4294967294");
	/* more uids than the first allocation holds */
	for (uid_t u = 5000000; u < 5000040; u++)
		assert_non_null(users_name(u));
	assert_string_equal(users_name(5000017), "5000017");
	assert_string_equal(users_name(0), "root");
	users_free();
	assert_string_equal(users_name(4000123), "4000123"); /* usable again after users_free() */
	users_free();
}

static void test_parse(void **state)
{
	(void)state;
	uid_t uid = 1;

	assert_int_equal(users_parse("root", &uid), 0);
	assert_int_equal(uid, 0);
	assert_int_equal(users_parse("4000123", &uid), 0);
	assert_int_equal(uid, 4000123);
	assert_int_equal(users_parse("no-such-user-oomtop", &uid), -ENOENT);
	assert_int_equal(users_parse("4294967295", &uid), -ENOENT); /* (uid_t)-1 is no uid */
	assert_int_equal(users_parse("12x", &uid), -ENOENT);
	assert_int_equal(users_parse("", &uid), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
