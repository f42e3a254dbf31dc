/*
 * The scanner (src/proc.c) and a whole snapshot (src/snapshot.c) on the
 * fixture tree tests/corpus/root/v1: 4000000 kB of RAM and 1000000 kB of
 * swap, so totalpages = 1000000 + 250000 = 1250000 (4 KiB pages) and one
 * point of oom_score_adj weighs totalpages / 1000 = 1250 pages.  The
 * expected badness of each process is worked out by hand below with the
 * kernel's formula (mm/oom_kill.c oom_badness(), 5.9+): rss + swap +
 * pgtables in pages, plus adj * 1250.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "domain.h"
#include "proc.h"
#include "snapshot.h"
#include "sysroot.h"
#include "users.h"

#define V1 "tests/corpus/root/v1"

/* Points the readers at the v1 tree; the tests assume 4 KiB pages, as the fixture's stat rss does. */
static int setup(void **state)
{
	(void)state;
	if (sysconf(_SC_PAGESIZE) != 4096)
		return -1;
	return sysroot_set(V1);
}

/* Returns the readers to the real root and empties the users cache. */
static int teardown(void **state)
{
	(void)state;
	users_free();
	return sysroot_set(NULL);
}

/* The records: fields, kernel threads, the zombie, init, the vanished and the unreadable process. */
static void test_scan(void **state)
{
	(void)state;
	struct proc_table *t = proc_table_new();
	struct proc_record *r;
	int first_errno = 0;
	static const pid_t pids[] = { 1, 2, 3, 100, 101, 102, 103, 104, 106, 107, 108, 109 };

	assert_int_equal(proc_scan(t), 0);
	assert_int_equal(proc_table_len(t), sizeof(pids) / sizeof(pids[0]));
	for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++)
		assert_non_null(proc_table_find(t, pids[i]));
	/* 105 has a directory but no status: it exited between readdir and the read, and is skipped */
	assert_null(proc_table_find(t, 105));

	r = proc_table_find(t, 100);
	assert_string_equal(r->comm, "web");
	assert_int_equal(r->state, 'S');
	assert_int_equal(r->ppid, 1);
	assert_int_equal(r->uid, 1000);
	assert_int_equal(r->ruid, 1000);
	assert_true(r->has_mm && !r->kthread && !r->global_init);
	assert_int_equal(r->anon_kib, 40000);
	assert_int_equal(r->file_kib, 8000);
	assert_int_equal(r->shmem_kib, 0);
	assert_int_equal(r->swap_kib, 4000);
	assert_int_equal(r->pte_kib, 400);
	assert_int_equal(r->oom_score_adj, 0);
	assert_int_equal(r->known & (PROC_HAVE_STATUS | PROC_HAVE_ADJ), PROC_HAVE_STATUS | PROC_HAVE_ADJ);
	assert_int_equal(proc_unkillable(r), PROC_KILLABLE);
	assert_int_equal(proc_read_cmdline(t, r), 0);
	assert_string_equal(r->cmdline, "/usr/bin/web --port 8080");
	assert_int_equal(proc_read_score(t, r), 0);
	assert_int_equal(r->oom_score, 673);
	assert_int_equal(proc_read_start(t, r), 0);
	assert_int_equal(r->start_ticks, 50000);

	/* no 1/ns/pid in the tree: pid 1 counts as the global init, which is never chosen */
	assert_int_equal(proc_unkillable(proc_table_find(t, 1)), PROC_UNK_INIT);
	/* Kthread: 1 (6.4+) */
	r = proc_table_find(t, 2);
	assert_true(r->kthread && !r->has_mm);
	assert_int_equal(proc_unkillable(r), PROC_UNK_KTHREAD);
	/* no Kthread: line (before 6.4): PF_KTHREAD comes from stat */
	r = proc_table_find(t, 3);
	assert_true(r->kthread);
	assert_int_equal(proc_unkillable(r), PROC_UNK_KTHREAD);
	assert_int_equal(proc_unkillable(proc_table_find(t, 102)), PROC_UNK_ADJ_MIN);
	r = proc_table_find(t, 103);
	assert_int_equal(r->state, 'Z');
	assert_int_equal(proc_unkillable(r), PROC_UNK_NO_MM);

	/* the hostile name and a 100 KiB command line with invalid UTF-8 */
	r = proc_table_find(t, 104);
	assert_string_equal(r->comm, "a) Z (b");
	assert_int_equal(r->oom_score_adj, 100);
	assert_int_equal(proc_read_cmdline(t, r), 0);
	assert_int_equal(r->cmdline_len, 14 + 1 + 100 * 1024);
	assert_memory_equal(r->cmdline, "/opt/\xff\xfe-bad-\xc3( x", 16);
	/* the approximate counters, from stat (this tree names no release: oomtop assumes the exact sums) */
	assert_false(proc_table_counts_approx(t));
	proc_table_set_counts_approx(t, true);
	assert_int_equal(proc_read_kernel_rss(t, r), 0);
	assert_int_equal(r->kernel_rss_pages, 5000);
	proc_table_set_counts_approx(t, false);

	/* status cannot be read (EISDIR): the process stays, unknown, and the scan says so */
	r = proc_table_find(t, 106);
	assert_false(r->known & PROC_HAVE_STATUS);
	assert_true(r->known & PROC_HAVE_ADJ);
	assert_int_equal(r->read_errno, EISDIR);
	assert_int_equal(proc_unkillable(r), PROC_UNK_UNKNOWN);
	assert_int_equal(proc_table_unreadable(t, &first_errno), 1);
	assert_int_equal(first_errno, EISDIR);
	proc_table_free(t);
}

/* Only the given pids, in that order; a missing one is left out. */
static void test_scan_pids(void **state)
{
	(void)state;
	struct proc_table *t = proc_table_new();
	static const pid_t pids[] = { 109, 105, 100, 4242 };

	assert_int_equal(proc_scan_pids(t, pids, 4), 0);
	assert_int_equal(proc_table_len(t), 2);
	assert_int_equal(proc_table_at(t, 0)->pid, 109);
	assert_int_equal(proc_table_at(t, 1)->pid, 100);
	proc_table_free(t);
}

/* Checks that the rows of s are exactly pids with badness, in that order. */
static void check_rows(const struct snapshot *s, const pid_t *pids, const long *badness, size_t n)
{
	assert_int_equal(s->nrows, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(s->rows[i]->rec->pid, pids[i]);
		assert_int_equal(s->rows[i]->badness, badness[i]);
	}
}

/*
 * A whole snapshot of the global domain.  By hand, pages = KiB / 4:
 *   101 batch:   8000 anon -> 2000, pte 40 -> 10, adj 500 -> 625000: 627010
 *   104 a) Z (b: 20000 anon -> 5000, pte 80 -> 20, adj 100 -> 125000: 130020
 *   100 web:     48000 rss -> 12000, swap 4000 -> 1000, pte 400 -> 100: 13100
 *   109 shm:     16400 rss -> 4100, pte 40 -> 10: 4110
 *   108, 107 boxed: 12000 -> 3000, pte 40 -> 10: 3010 each; the later
 *                started (108) is evaluated later and wins the tie
 *   106 locked:  unreadable, shown last (we cannot tell it is safe)
 * Left out: 1 (init), 2 and 3 (kernel threads), 102 (-1000), 103 (zombie).
 */
static void test_snapshot_global(void **state)
{
	(void)state;
	struct snapshot s;
	struct snap_query q = { .key = RANK_BADNESS };
	static const pid_t pids[] = { 101, 104, 100, 109, 108, 107, 106 };
	static const long badness[] = { 627010, 130020, 13100, 4110, 3010, 3010, BADNESS_UNKILLABLE };

	assert_int_equal(snap_take(&s, &q), 0);
	assert_int_equal(s.totalpages, 1250000);
	assert_int_equal(s.total, 12);
	assert_int_equal(s.killable, 6);
	check_rows(&s, pids, badness, 7);
	/* the kernel's own oom_score of the fixture agrees with the badness (fs/proc/base.c proc_oom_score()) */
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(s.rows[i]->rec->oom_score, badness_oom_score(badness[i], s.totalpages));
	assert_string_equal(s.rows[3]->user, "4000123"); /* no such user: its number */
	snap_free(&s);

	/* -n 2: the first two rows are filled, the rest are not */
	q.limit = 2;
	assert_int_equal(snap_take(&s, &q), 0);
	assert_int_equal(s.shown, 2);
	assert_true(s.rows[0]->rec->known & PROC_HAVE_CMDLINE);
	assert_false(s.rows[2]->rec->known & PROC_HAVE_CMDLINE);
	snap_free(&s);

	/* -a adds the processes the OOM killer never chooses, after the others */
	q.limit = 0;
	q.all = true;
	assert_int_equal(snap_take(&s, &q), 0);
	assert_int_equal(s.nrows, 12);
	assert_int_equal(s.rows[0]->rec->pid, 101);
	snap_free(&s);
}

/*
 * The domain of the v1 cgroup /box: memory.limit_in_bytes 64 MiB = 16384
 * pages, memsw 96 MiB, swappiness 30: totalpages = 16384 + min(24576 -
 * 16384, 250000 swap pages) = 24576 (mm/memcontrol.c mem_cgroup_get_max()).
 * Its members 107 and 108 both have 3010 points (adj 0).
 */
static void test_snapshot_cgroup(void **state)
{
	(void)state;
	struct cgroup_hier h;
	struct domain d;
	struct snapshot s;
	struct snap_query q = { .key = RANK_BADNESS, .domain = &d };
	static const pid_t pids[] = { 108, 107 };
	static const long badness[] = { 3010, 3010 };

	assert_int_equal(cgroup_hier_open(&h, 4096, 250000), 0);
	assert_int_equal(domain_cgroup(&h, "/box", &d), 0);
	assert_int_equal(d.totalpages, 24576);
	assert_int_equal(domain_load(&h, &d), 0);
	assert_int_equal(snap_take(&s, &q), 0);
	assert_int_equal(s.total, 2);
	check_rows(&s, pids, badness, 2);
	snap_free(&s);
	domain_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_scan_pids),
		cmocka_unit_test(test_snapshot_global),
		cmocka_unit_test(test_snapshot_cgroup),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
