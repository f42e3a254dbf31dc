/*
 * Tests of proc_scan_update() (src/proc.c), the live view's incremental
 * scan, against the real /proc: this process and a child it starts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"

static int calls;

/* A schedule that re-reads nothing. */
static bool never(const struct proc_record *rec, void *arg)
{
	(void)rec;
	(void)arg;
	calls++;
	return false;
}

/* A schedule that re-reads everything. */
static bool always(const struct proc_record *rec, void *arg)
{
	(void)rec;
	(void)arg;
	return true;
}

/* A schedule that re-reads one pid. */
static bool only(const struct proc_record *rec, void *arg)
{
	return rec->pid == *(pid_t *)arg;
}

/* Returns whether the records of t are in ascending pid order. */
static bool in_pid_order(struct proc_table *t)
{
	for (size_t i = 1; i < proc_table_len(t); i++)
		if (proc_table_at(t, i - 1)->pid >= proc_table_at(t, i)->pid)
			return false;
	return true;
}

static void test_update(void **state)
{
	struct proc_table *t = proc_table_new();
	struct proc_record *self;
	pid_t me = getpid(), child;
	unsigned long anon_before;
	size_t len = 32UL << 20;
	char *mem;
	(void)state;

	assert_int_equal(proc_scan_update(t, never, NULL), 0);
	assert_int_equal(calls, 0); /* an empty table has nothing to re-read: all are new */
	assert_true(in_pid_order(t));
	self = proc_table_find(t, me);
	assert_non_null(self);
	assert_true(self->known & PROC_HAVE_STATUS);
	assert_int_equal(proc_read_cmdline(t, self), 0);
	anon_before = self->anon_kib;

	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(mem != MAP_FAILED);
	memset(mem, 1, len);

	/* not stale: the record is kept as it was, command line included; the child is new */
	assert_int_equal(proc_scan_update(t, never, NULL), 0);
	assert_true(calls > 0);
	assert_true(in_pid_order(t));
	self = proc_table_find(t, me);
	assert_non_null(self);
	assert_int_equal(self->anon_kib, anon_before);
	assert_true(self->known & PROC_HAVE_CMDLINE);
	assert_non_null(proc_table_find(t, child));

	/* stale: read again (32 MiB more anon), and the command line stays */
	assert_int_equal(proc_scan_update(t, only, &me), 0);
	self = proc_table_find(t, me);
	assert_true(self->anon_kib >= anon_before + (len >> 10));
	assert_true(self->known & PROC_HAVE_CMDLINE);

	/* a process that is gone leaves the table */
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	assert_int_equal(proc_scan_update(t, always, NULL), 0);
	assert_null(proc_table_find(t, child));
	assert_non_null(proc_table_find(t, me));
	assert_true(in_pid_order(t));

	/* the same as a full scan: the same pids */
	struct proc_table *full = proc_table_new();
	assert_int_equal(proc_scan(full), 0);
	assert_int_equal(proc_scan_update(t, never, NULL), 0);
	size_t common = 0;
	for (size_t i = 0; i < proc_table_len(full); i++)
		common += proc_table_find(t, proc_table_at(full, i)->pid) != NULL;
	/* processes of other sessions come and go between the two scans: most are in both */
	assert_true(common + 20 >= proc_table_len(full));
	proc_table_free(full);
	munmap(mem, len);
	proc_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
