/* Unit tests of src/sysroot.c: the root, its /proc, and the bounds of each reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysroot.h"

#define V1 "tests/corpus/root/v1"

/* The real root: its /proc is a procfs, and a path reads the machine's own file. */
static void test_real(void **state)
{
	(void)state;
	char buf[64];
	long v;

	assert_int_equal(sysroot_set(NULL), 0);
	assert_true(sysroot_is_real());
	assert_true(sysroot_proc_fd() >= 0);
	assert_int_equal(sysroot_proc_fd(), sysroot_proc_fd()); /* opened once */
	assert_true(sysroot_read("/proc/self/stat", buf, sizeof(buf)) > 0);
	assert_int_equal(sysroot_read_long("/proc/sys/kernel/pid_max", 1, 1L << 30, &v), 0);
}

/* A fixture tree: paths resolve below it, with or without the leading slash, and it is no procfs. */
static void test_fixture(void **state)
{
	(void)state;
	char buf[64];
	struct stat st;
	long v;

	assert_int_equal(sysroot_set(V1), 0);
	assert_false(sysroot_is_real());
	assert_true(sysroot_proc_fd() >= 0); /* the procfs check is the real root's only */
	assert_int_equal(sysroot_read("/proc/100/oom_score_adj", buf, sizeof(buf)), 2);
	assert_string_equal(buf, "0\n");
	assert_int_equal(sysroot_read("proc/101/oom_score_adj", buf, sizeof(buf)), 4);
	assert_string_equal(buf, "500\n");
	assert_int_equal(sysroot_read_at(sysroot_proc_fd(), "102/oom_score_adj", buf, sizeof(buf)), 6);
	assert_string_equal(buf, "-1000\n");
	assert_int_equal(sysroot_read_long("/proc/sys/vm/swappiness", 0, 200, &v), 0);
	assert_int_equal(v, 60);
	assert_int_equal(sysroot_read_long("/proc/sys/vm/swappiness", 0, 10, &v), -ERANGE);
	assert_int_equal(sysroot_read_long("/proc/meminfo", 0, 10, &v), -EINVAL);
	assert_int_equal(sysroot_access("/sys/fs/cgroup/memory/box", F_OK), 0);
	assert_int_equal(sysroot_access("/sys/fs/cgroup/memory/nope", F_OK), -ENOENT);
	assert_int_equal(sysroot_stat("/", &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	int fd = sysroot_open_dir("/sys/fs/cgroup/memory");
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(sysroot_open_dir("/proc/meminfo"), -ENOTDIR);
	/* an unreadable file: /proc/106/status is a directory in the tree */
	assert_int_equal(sysroot_read("/proc/106/status", buf, sizeof(buf)), -EISDIR);
	assert_int_equal(sysroot_read("/proc/105/status", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(sysroot_set("tests/corpus/root/no-such-tree"), -ENOENT);
	assert_false(sysroot_is_real()); /* a failed set keeps the root it had */
	assert_int_equal(sysroot_set(NULL), 0);
}

/* Each reader stops at its bound: the 100 KiB command line of /proc/104 read through small buffers. */
static void test_bounds(void **state)
{
	(void)state;
	char small[64];
	char *buf;
	size_t len;

	assert_int_equal(sysroot_set(V1), 0);
	assert_int_equal(sysroot_read("/proc/104/cmdline", small, sizeof(small)), sizeof(small) - 1);
	assert_int_equal(small[sizeof(small) - 1], '\0');
	assert_int_equal(sysroot_read("/proc/104/cmdline", small, 1), 0);
	assert_int_equal(sysroot_read("/proc/104/cmdline", small, 0), -EINVAL);
	assert_int_equal(sysroot_read_whole("/proc/104/cmdline", 1000, &buf, &len), 0);
	assert_int_equal(len, 1000);
	assert_int_equal(buf[len], '\0');
	free(buf);
	assert_int_equal(sysroot_read_whole("/proc/104/cmdline", 10, &buf, &len), 0);
	assert_int_equal(len, 10);
	assert_memory_equal(buf, "/opt/\xff\xfe-ba", 10);
	free(buf);
	assert_int_equal(sysroot_read_whole("/proc/104/cmdline", CMDLINE_MAX, &buf, &len), 0);
	assert_int_equal(len, 14 + 1 + 100 * 1024 + 1);
	free(buf);
	assert_int_equal(sysroot_read_whole("/proc/105/status", 10, &buf, &len), -ENOENT);
	assert_int_equal(sysroot_set(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real),
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
