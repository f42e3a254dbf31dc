/* Unit tests of the hidepid= detection from /proc/self/mountinfo and the partial-view reason (src/proc.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "proc.h"
#include "strbuf.h"

/* Parses text as mountinfo and returns the result code, *hp filled. */
static int parse(const char *text, struct proc_hidepid *hp)
{
	memset(hp, 0x55, sizeof(*hp));
	return proc_parse_mountinfo_hidepid(text, strlen(text), hp);
}

static void test_modes(void **state)
{
	(void)state;
	struct proc_hidepid hp;
	/* the kernel's names since 5.8 */
	assert_int_equal(parse("66 48 0:40 / /proc rw,relatime - proc proc rw,hidepid=invisible\n", &hp), 0);
	assert_int_equal(hp.mode, PROC_HIDEPID_INVISIBLE);
	assert_false(hp.have_gid);
	assert_int_equal(parse("66 48 0:40 / /proc rw,relatime shared:12 - proc proc rw,hidepid=noaccess,gid=27\n", &hp),
			 0);
	assert_int_equal(hp.mode, PROC_HIDEPID_NOACCESS);
	assert_true(hp.have_gid);
	assert_int_equal(hp.gid, 27);
	assert_int_equal(parse("1 0 0:4 / /proc rw - proc proc rw,gid=5,hidepid=ptraceable", &hp), 0);
	assert_int_equal(hp.mode, PROC_HIDEPID_PTRACEABLE);
	/* the numbers before 5.8 */
	assert_int_equal(parse("22 1 0:20 / /proc rw,nosuid master:1 shared:2 - proc proc rw,hidepid=2\n", &hp), 0);
	assert_int_equal(hp.mode, PROC_HIDEPID_INVISIBLE);
	/* no option: off */
	assert_int_equal(parse("22 1 0:20 / /proc rw,nosuid shared:13 - proc proc rw\n", &hp), 0);
	assert_int_equal(hp.mode, PROC_HIDEPID_OFF);
	assert_false(hp.have_gid);
}

static void test_which_mount(void **state)
{
	(void)state;
	struct proc_hidepid hp;
	/* the later mount is over the earlier one: it decides */
	assert_int_equal(parse("48 46 0:21 / /proc rw,relatime - proc proc rw\n"
			       "66 48 0:40 / /proc rw,relatime - proc proc rw,hidepid=invisible\n",
			       &hp),
			 0);
	assert_int_equal(hp.mode, PROC_HIDEPID_INVISIBLE);
	assert_int_equal(parse("48 46 0:21 / /proc rw - proc proc rw,hidepid=2\n"
			       "66 48 0:40 / /proc rw - proc proc rw\n",
			       &hp),
			 0);
	assert_int_equal(hp.mode, PROC_HIDEPID_OFF);
	/* other mount points, other file systems, a proc elsewhere do not count */
	assert_int_equal(parse("30 1 0:25 / /proc/sys/fs/binfmt_misc rw - binfmt_misc x rw,hidepid=2\n"
			       "31 1 0:26 / /procx rw - proc proc rw,hidepid=2\n"
			       "32 1 0:27 / /proc rw - tmpfs tmpfs rw,hidepid=2\n",
			       &hp),
			 -ENOENT);
	/* an optional tag spelled like an option does not fool the parser */
	assert_int_equal(parse("5 1 0:4 / /proc rw hidepid=2 - proc proc rw\n", &hp), 0);
	assert_int_equal(hp.mode, PROC_HIDEPID_OFF);
}

static void test_hostile(void **state)
{
	(void)state;
	struct proc_hidepid hp;
	assert_int_equal(parse("", &hp), -ENOENT);
	assert_int_equal(parse("\n\n\n", &hp), -ENOENT);
	assert_int_equal(parse("66 48 0:40 / /proc - proc\n", &hp), -ENOENT); /* cut short */
	assert_int_equal(parse("66 48 0:40 / /proc rw - proc proc", &hp), -ENOENT);
	assert_int_equal(parse("a b c d /proc f - proc proc rw,hidepid=bogus,gid=x,gid=99999999999\n", &hp), 0);
	assert_int_equal(hp.mode, PROC_HIDEPID_OFF);
	assert_false(hp.have_gid);
	assert_int_equal(parse("a b c d /proc f - proc proc hidepid=,hidepid=1,", &hp), 0);
	assert_int_equal(hp.mode, PROC_HIDEPID_NOACCESS);
}

static void test_reason(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	struct proc_hidepid hp = { .mode = PROC_HIDEPID_INVISIBLE, .hides = true };
	proc_partial_reason(&sb, &hp, 0, 0);
	assert_string_equal(sb_str(&sb), "/proc is mounted with hidepid=invisible, which hides other users' processes; "
					 "run as root to see them");
	sb_reset(&sb);
	hp = (struct proc_hidepid){ .mode = PROC_HIDEPID_NOACCESS, .hides = true, .have_gid = true, .gid = 27 };
	proc_partial_reason(&sb, &hp, 3, EACCES);
	assert_string_equal(sb_str(&sb), "3 processes could not be read (Permission denied): /proc is mounted with "
					 "hidepid=noaccess, which makes other users' processes unreadable; run as root "
					 "or as a member of group 27 to see them");
	sb_reset(&sb);
	hp.hides = false; /* root, or in the group: the view is whole */
	proc_partial_reason(&sb, &hp, 0, 0);
	assert_int_equal(sb.len, 0);
	proc_partial_reason(&sb, NULL, 2, EPERM);
	assert_string_equal(sb_str(&sb), "2 processes could not be read (Operation not permitted)");
	sb_reset(&sb);
	proc_partial_reason(&sb, &hp, 1, EPERM);
	assert_string_equal(sb_str(&sb), "1 process could not be read (Operation not permitted)");
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_which_mount),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_reason),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
