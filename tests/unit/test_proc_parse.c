/* Unit tests of the /proc parsers (src/proc_parse.c), hostile input included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"

static const char status_user[] =
	"Name:\tmysqld\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t2196\nNgid:\t0\nPid:\t2196\n"
	"PPid:\t1\nTracerPid:\t0\nUid:\t27\t27\t27\t27\nGid:\t27\t27\t27\t27\nFDSize:\t64\n"
	"Kthread:\t0\nVmPeak:\t  623800 kB\nVmSize:\t  623800 kB\nVmLck:\t       0 kB\n"
	"VmRSS:\t   44876 kB\nRssAnon:\t   40000 kB\nRssFile:\t    4000 kB\nRssShmem:\t     876 kB\n"
	"VmData:\t  500000 kB\nVmPTE:\t     212 kB\nVmSwap:\t    1024 kB\nThreads:\t27\n";

static void test_status(void **state)
{
	(void)state;
	struct proc_status st;
	assert_int_equal(proc_parse_status(status_user, strlen(status_user), &st), 0);
	assert_string_equal(st.name, "mysqld");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 1);
	assert_int_equal(st.uid, 27);
	assert_int_equal(st.kthread, 0);
	assert_true(st.has_mm);
	assert_int_equal(st.anon_kib, 40000);
	assert_int_equal(st.file_kib, 4000);
	assert_int_equal(st.shmem_kib, 876);
	assert_int_equal(st.swap_kib, 1024);
	assert_int_equal(st.pte_kib, 212);
	assert_false(st.rss_vmrss);
	/* before 4.5 there are no Rss* lines: VmRSS is the whole rss, and says so */
	const char pre45[] = "Name:\tdb\nState:\tS (sleeping)\nPPid:\t1\nUid:\t0\t0\t0\t0\n"
			     "VmSize:\t  623800 kB\nVmRSS:\t   44876 kB\nVmPTE:\t     212 kB\nThreads:\t1\n";
	assert_int_equal(proc_parse_status(pre45, strlen(pre45), &st), 0);
	assert_int_equal(st.anon_kib, 44876);
	assert_int_equal(st.file_kib, 0);
	assert_true(st.rss_vmrss);
	/* a task without an mm has neither */
	const char nomm[] = "Name:\tkthreadd\nState:\tS (sleeping)\nPPid:\t0\nUid:\t0\t0\t0\t0\nThreads:\t1\n";
	assert_int_equal(proc_parse_status(nomm, strlen(nomm), &st), 0);
	assert_false(st.rss_vmrss);
}

static void test_status_kthread_and_old_kernel(void **state)
{
	(void)state;
	struct proc_status st;
	const char kt[] = "Name:\tkworker/0:1-events\nState:\tI (idle)\nPPid:\t2\nUid:\t0\t0\t0\t0\nKthread:\t1\nThreads:\t1\n";
	assert_int_equal(proc_parse_status(kt, strlen(kt), &st), 0);
	assert_string_equal(st.name, "kworker/0:1-events");
	assert_int_equal(st.kthread, 1);
	assert_false(st.has_mm);
	/* before 6.4 there is no Kthread: line */
	const char old[] = "Name:\tbash\nState:\tS (sleeping)\nPPid:\t5\nUid:\t1000\t1001\t1000\t1000\nVmSize:\t1 kB\n";
	assert_int_equal(proc_parse_status(old, strlen(old), &st), 0);
	assert_int_equal(st.kthread, -1);
	assert_int_equal(st.uid, 1001); /* the effective uid */
	assert_true(st.has_mm);
}

static void test_status_escaped_name(void **state)
{
	(void)state;
	struct proc_status st;
	/* a comm of "a\nb\\c" as 5.x+ escapes it, then as 4.x (octal) did */
	const char s1[] = "Name:\ta\\nb\\\\c\nUid:\t0\t0\t0\t0\n";
	assert_int_equal(proc_parse_status(s1, strlen(s1), &st), 0);
	assert_string_equal(st.name, "a\nb\\c");
	const char s2[] = "Name:\ta\\012b\\134c\nUid:\t0\t0\t0\t0\n";
	assert_int_equal(proc_parse_status(s2, strlen(s2), &st), 0);
	assert_string_equal(st.name, "a\nb\\c");
	/* the hostile comm needs no escaping in status */
	const char s3[] = "Name:\ta) Z (b\nState:\tR (running)\nUid:\t0\t0\t0\t0\n";
	assert_int_equal(proc_parse_status(s3, strlen(s3), &st), 0);
	assert_string_equal(st.name, "a) Z (b");
	assert_int_equal(st.state, 'R');
}

static void test_status_malformed(void **state)
{
	(void)state;
	struct proc_status st;
	assert_int_equal(proc_parse_status("", 0, &st), -EINVAL);
	assert_int_equal(proc_parse_status("garbage", 7, &st), -EINVAL);
	const char bad[] = "Name:\tx\nRssAnon:\tlots kB\n";
	assert_int_equal(proc_parse_status(bad, strlen(bad), &st), -EINVAL);
	const char huge[] = "Name:\tx\nRssAnon:\t99999999999999999999999999 kB\n";
	assert_int_equal(proc_parse_status(huge, strlen(huge), &st), -EINVAL);
	/* no trailing newline, no NUL: the parser must stop at len */
	char cut[] = { 'N', 'a', 'm', 'e', ':', '\t', 'a', 'b' };
	assert_int_equal(proc_parse_status(cut, sizeof(cut), &st), 0);
	assert_string_equal(st.name, "ab");
	/* a name longer than the buffer is cut, not overflowed */
	char longname[400] = "Name:\t";
	memset(longname + 6, 'x', 300);
	assert_int_equal(proc_parse_status(longname, strlen(longname), &st), 0);
	assert_int_equal(strlen(st.name), sizeof(st.name) - 1);
}

static void test_stat_hostile_comm(void **state)
{
	(void)state;
	struct proc_stat st;
	/* comm "a) Z (b": a naive parser takes 'Z' for the state */
	const char s[] = "4242 (a) Z (b) S 1 4242 4242 0 -1 4194560 120 0 0 0 1 2 0 0 20 0 1 0 987654 "
			 "12345678 300 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
	assert_int_equal(proc_parse_stat(s, strlen(s), &st), 0);
	assert_string_equal(st.comm, "a) Z (b");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 1);
	assert_int_equal(st.flags, 4194560);
	assert_int_equal(st.start_ticks, 987654);
}

static void test_stat_kthread_flags(void **state)
{
	(void)state;
	struct proc_stat st;
	const char s[] = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 2 0 0 "
			 "18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 0 1 0 0 0 0 0\n";
	assert_int_equal(proc_parse_stat(s, strlen(s), &st), 0);
	assert_true(st.flags & 0x00200000UL);
	assert_int_equal(st.start_ticks, 2);
}

static void test_stat_malformed(void **state)
{
	(void)state;
	struct proc_stat st;
	assert_int_equal(proc_parse_stat("", 0, &st), -EINVAL);
	assert_int_equal(proc_parse_stat("12 (x", 5, &st), -EINVAL);
	assert_int_equal(proc_parse_stat("12 (x) S 1 2", 12, &st), -EINVAL);
	const char s[] = "12 (x) S a b c";
	assert_int_equal(proc_parse_stat(s, strlen(s), &st), -EINVAL);
}

static void test_parse_long(void **state)
{
	(void)state;
	long v;
	assert_int_equal(proc_parse_long("666\n", 4, 0, 2000, &v), 0);
	assert_int_equal(v, 666);
	assert_int_equal(proc_parse_long("-1000\n", 6, -1000, 1000, &v), 0);
	assert_int_equal(v, -1000);
	assert_int_equal(proc_parse_long("-1001\n", 6, -1000, 1000, &v), -ERANGE);
	assert_int_equal(proc_parse_long("12x\n", 4, 0, 2000, &v), -EINVAL);
	assert_int_equal(proc_parse_long("\n", 1, 0, 2000, &v), -EINVAL);
	assert_int_equal(proc_parse_long(" 5\n", 3, 0, 2000, &v), -EINVAL);
	assert_int_equal(proc_parse_long("99999999999999999999999\n", 24, 0, 2000, &v), -ERANGE);
}

static void test_join_cmdline(void **state)
{
	(void)state;
	char a[] = "/usr/sbin/sshd\0-D\0\0";
	size_t n = proc_join_cmdline(a, sizeof(a) - 1);
	assert_int_equal(n, 17);
	assert_memory_equal(a, "/usr/sbin/sshd -D", 17);
	char b[] = "sshd: root@pts/6";
	assert_int_equal(proc_join_cmdline(b, strlen(b)), strlen(b));
	assert_int_equal(proc_join_cmdline(b, 0), 0);
	/* 100 KiB of arguments */
	size_t big = 100 * 1024;
	char *c = malloc(big);
	for (size_t i = 0; i < big; i++)
		c[i] = (i % 10 == 9) ? '\0' : 'x';
	n = proc_join_cmdline(c, big);
	assert_int_equal(n, big - 1);
	assert_null(memchr(c, '\0', n));
	free(c);
}

static void test_unkillable(void **state)
{
	(void)state;
	struct proc_record r = { .pid = 10, .known = PROC_HAVE_STATUS | PROC_HAVE_ADJ, .has_mm = true };
	assert_int_equal(proc_unkillable(&r), PROC_KILLABLE);
	r.oom_score_adj = -1000;
	assert_int_equal(proc_unkillable(&r), PROC_UNK_ADJ_MIN);
	r.oom_score_adj = -999;
	assert_int_equal(proc_unkillable(&r), PROC_KILLABLE);
	r.has_mm = false;
	assert_int_equal(proc_unkillable(&r), PROC_UNK_NO_MM);
	r.kthread = true;
	assert_int_equal(proc_unkillable(&r), PROC_UNK_KTHREAD);
	r.global_init = true;
	assert_int_equal(proc_unkillable(&r), PROC_UNK_INIT);
	struct proc_record u = { .pid = 11 };
	assert_int_equal(proc_unkillable(&u), PROC_UNK_UNKNOWN);
	/* pid 1 of a container is killable */
	struct proc_record c = { .pid = 1, .known = PROC_HAVE_STATUS | PROC_HAVE_ADJ, .has_mm = true };
	assert_int_equal(proc_unkillable(&c), PROC_KILLABLE);
}

static void test_badness_mem(void **state)
{
	(void)state;
	struct proc_record r = { .anon_kib = 8192, .file_kib = 400, .shmem_kib = 8, .swap_kib = 40, .pte_kib = 60 };
	struct badness_mem m;
	proc_badness_mem(&r, 4, &m);
	assert_int_equal(m.rss_pages, 2150);
	assert_int_equal(m.swap_pages, 10);
	assert_int_equal(m.pgtables_pages, 15);
}

static void test_status_capeff(void **state)
{
	(void)state;
	/* CAP_SYS_ADMIN is bit 21 of CapEff, 16 hex digits (fs/proc/array.c render_cap_t()) */
	static const struct {
		const char *line;
		bool admin;
	} cases[] = {
		{ "CapEff:\t000001ffffffffff\n", true },  { "CapEff:\t0000000000000000\n", false },
		{ "CapEff:\t0000000000200000\n", true },  { "CapEff:\t00000000001fffff\n", false },
		{ "CapEff:\t00000000002000zz\n", false }, { "CapEff:\t00000000002000000\n", false },
		{ "CapEff:\t\n", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[512];
		struct proc_status st;
		snprintf(buf, sizeof(buf), "Name:\tx\nUid:\t0\t0\t0\t0\n%s", cases[i].line);
		assert_int_equal(proc_parse_status(buf, strlen(buf), &st), 0);
		assert_int_equal(st.cap_sys_admin, cases[i].admin);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_status_kthread_and_old_kernel),
		cmocka_unit_test(test_status_escaped_name),
		cmocka_unit_test(test_status_malformed),
		cmocka_unit_test(test_stat_hostile_comm),
		cmocka_unit_test(test_stat_kthread_flags),
		cmocka_unit_test(test_stat_malformed),
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_join_cmdline),
		cmocka_unit_test(test_unkillable),
		cmocka_unit_test(test_badness_mem),
		cmocka_unit_test(test_status_capeff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
