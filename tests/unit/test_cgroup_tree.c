/*
 * The cgroup readers (src/cgroup.c) and the OOM domains (src/domain.c) on
 * the fixture trees: tests/corpus/root/v1 (the memory controller on a v1
 * mount beside a v2 one without it, as on this test machine) and
 * tests/corpus/root/v2 (one v2 hierarchy with memory).
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

#include "cgroup.h"
#include "domain.h"
#include "proc.h"
#include "snapshot.h"
#include "status.h"
#include "sysroot.h"

#define PAGE 4096UL

/* Returns whether the n names include name. */
static bool has_name(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* Frees a list of names from cgroup_children(). */
static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void test_v1(void **state)
{
	(void)state;
	struct cgroup_hier h;
	struct cgroup_limits l;
	struct domain *ds = NULL;
	char path[CGROUP_PATH_MAX], **names;
	size_t n;
	pid_t *pids;

	assert_int_equal(sysroot_set("tests/corpus/root/v1"), 0);
	assert_int_equal(cgroup_hier_open(&h, PAGE, 250000), 0);
	assert_int_equal(h.m.version, 1);
	assert_string_equal(h.m.dir, "/sys/fs/cgroup/memory");
	assert_string_equal(h.m.root, "/");
	assert_int_equal(h.vm_swappiness, 60);

	/* the memcg of a pid: the memory line of /proc/PID/cgroup */
	assert_int_equal(cgroup_of_pid(&h, 107, path, sizeof(path)), 0);
	assert_string_equal(path, "/box");
	assert_int_equal(cgroup_of_pid(&h, 100, path, sizeof(path)), 0);
	assert_string_equal(path, "/");
	assert_int_equal(cgroup_of_pid(&h, 105, path, sizeof(path)), -ENOENT);

	/* the limits of /box: 64 MiB, 96 MiB with swap, its own swappiness, two OOM kills */
	assert_int_equal(cgroup_read_limits(&h, "/box", &l), 0);
	assert_true(l.limited);
	assert_int_equal(l.max_pages, 16384);
	assert_int_equal(l.swap_pages, 24576);
	assert_int_equal(l.swappiness, 30);
	assert_true(l.have_oom_kills);
	assert_int_equal(l.oom_kills, 2);
	assert_int_equal(l.usage_pages, 12288);
	assert_int_equal(cgroup_totalpages(1, &l, PAGE, 250000), 24576);
	/* the root: no limit, and vm.swappiness rather than its own file */
	assert_int_equal(cgroup_read_limits(&h, "/", &l), 0);
	assert_false(l.limited);
	assert_int_equal(l.swappiness, 60);
	/* a cgroup that is gone reads as one without a limit (its limit files are absent) */
	assert_int_equal(cgroup_read_limits(&h, "/nope", &l), 0);
	assert_false(l.limited);

	assert_int_equal(cgroup_children(&h, "/", &names, &n), 0);
	assert_int_equal(n, 2);
	assert_true(has_name(names, n, "box") && has_name(names, n, "other"));
	free_names(names, n);
	assert_int_equal(cgroup_read_procs(&h, "/box", &pids, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(pids[0], 107);
	free(pids);
	assert_int_equal(cgroup_resolve(&h, "box/inner", path, sizeof(path)), 0);
	assert_string_equal(path, "/box/inner");
	assert_int_equal(cgroup_resolve(&h, "/sys/fs/cgroup/memory/box", path, sizeof(path)), 0);
	assert_string_equal(path, "/box");
	assert_int_equal(cgroup_resolve(&h, "box/none", path, sizeof(path)), -ENOENT);

	/* the domains: /box is the only limited cgroup, and encloses /box/inner */
	assert_int_equal(domain_list_limited(&h, &ds, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ds[0].path, "/box");
	domain_free_all(ds, n);
	assert_int_equal(domain_enclosing(&h, "/box/inner", &ds, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ds[0].path, "/box");
	domain_free_all(ds, n);
	assert_int_equal(domain_enclosing(&h, "/other", &ds, &n), 0);
	assert_int_equal(n, 0);
	domain_free_all(ds, n);
	assert_int_equal(sysroot_set(NULL), 0);
}

/*
 * v2: /app.slice has memory.max 256 MiB = 65536 pages, memory.swap.max 0
 * and memory.oom.group 1; cgroup.procs lists 201 before 200 (join order,
 * the kernel's), web.service below it holds 202, and /nomem has no memory
 * controller of its own (no memory.stat: its tasks are in the root's css).
 */
static void test_v2(void **state)
{
	(void)state;
	struct cgroup_hier h;
	struct cgroup_limits l;
	struct domain d, *ds = NULL;
	char path[CGROUP_PATH_MAX];
	unsigned long o200, o201, o202;
	size_t n;

	assert_int_equal(sysroot_set("tests/corpus/root/v2"), 0);
	assert_int_equal(cgroup_hier_open(&h, PAGE, 0), 0);
	assert_int_equal(h.m.version, 2);
	assert_string_equal(h.m.dir, "/sys/fs/cgroup");
	assert_int_equal(h.vm_swappiness, 0);
	assert_int_equal(cgroup_of_pid(&h, 202, path, sizeof(path)), 0);
	assert_string_equal(path, "/app.slice/web.service");
	assert_int_equal(cgroup_read_limits(&h, "/app.slice", &l), 0);
	assert_true(l.limited && l.oom_group);
	assert_int_equal(l.max_pages, 65536);
	assert_int_equal(l.swap_pages, 0);
	assert_int_equal(l.oom_kills, 1);
	assert_int_equal(l.usage_pages, 51200);
	assert_true(cgroup_has_memory_files(&h, "/app.slice"));
	assert_false(cgroup_has_memory_files(&h, "/nomem"));

	assert_int_equal(domain_enclosing(&h, "/app.slice/web.service", &ds, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ds[0].path, "/app.slice");
	assert_int_equal(ds[0].totalpages, 65536);
	domain_free_all(ds, n);

	assert_int_equal(domain_cgroup(&h, "/app.slice", &d), 0);
	assert_int_equal(domain_load(&h, &d), 0);
	assert_true(d.order_known);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.ncgroups, 2);
	assert_true(domain_has(&d, 200, &o200) && domain_has(&d, 201, &o201) && domain_has(&d, 202, &o202));
	/* 201 joined first, so the kernel evaluates 200 after it; web.service's css comes after both */
	assert_true(o201 < o200 && o200 < o202);

	/*
	 * The snapshot of the domain, by hand: 200 and 201 have 100000 kB
	 * anon -> 25000 + pte 200 kB -> 50: 25050 each, 200 evaluated later
	 * wins; 202: 10000 + 25 + adj 200 * (65536 / 1000 = 65) = 23025.
	 */
	struct snapshot s;
	struct snap_query q = { .key = RANK_BADNESS, .domain = &d };
	assert_int_equal(snap_take(&s, &q), 0);
	assert_int_equal(s.nrows, 3);
	assert_int_equal(s.rows[0]->rec->pid, 200);
	assert_int_equal(s.rows[0]->badness, 25050);
	assert_int_equal(s.rows[1]->rec->pid, 201);
	assert_int_equal(s.rows[1]->badness, 25050);
	assert_int_equal(s.rows[2]->rec->pid, 202);
	assert_int_equal(s.rows[2]->badness, 23025);
	snap_free(&s);
	domain_free(&d);

	/* the mixed css: /nomem's process is walked in the root's css, in an order we cannot see */
	assert_int_equal(domain_cgroup(&h, "/", &d), 0);
	assert_int_equal(domain_load(&h, &d), 0);
	assert_true(domain_has(&d, 203, &o200));
	assert_int_equal(o200 & 0xffffffffUL, 0);
	domain_free(&d);
	assert_int_equal(sysroot_set(NULL), 0);
}

/*
 * `oomtop status` on the v2 tree: panic_on_oom=1, overcommit_memory=2 with
 * Committed_AS at 95% of CommitLimit, oom_dump_tasks=0, no PSI; the next
 * victim of a global OOM (totalpages 500000, one adj point = 500 pages) is
 * 202: 10000 + 25 + 200 * 500 = 110025; the limited cgroup /app.slice had
 * one OOM kill.
 */
static void test_status(void **state)
{
	(void)state;
	struct status s;

	assert_int_equal(sysroot_set("tests/corpus/root/v2"), 0);
	assert_int_equal(status_compute(&s), 0);
	assert_int_equal(s.panic_on_oom, 1);
	assert_int_equal(s.overcommit_memory, 2);
	assert_int_equal(s.oom_dump_tasks, 0);
	assert_false(s.have_psi);
	assert_false(s.have_oom_kills);
	assert_int_equal(s.nprocs, 5);
	assert_int_equal(s.nkillable, 4);
	assert_true(s.have_victim);
	assert_int_equal(s.victim_pid, 202);
	assert_int_equal(s.victim_badness, 110025);
	/* panic_on_oom, commit, oom_dump_tasks; and web.service's 200, which no unit file declares (the tree has none) */
	assert_int_equal(s.nwarnings, 4);
	assert_int_equal(s.nunits, 1);
	assert_string_equal(s.units[0].unit, "web.service");
	assert_int_equal(s.units[0].audit.state, UNITS_NOT_DECLARED);
	assert_int_equal(s.units[0].audit.other_pid, 202);
	assert_int_equal(s.units[0].audit.other_adj, 200);
	assert_false(s.units[0].decl.found);
	assert_int_equal(status_cgroup_kills(&s), 0);
	assert_int_equal(s.ncgroups, 1);
	assert_string_equal(s.cgroups[0].path, "/app.slice");
	assert_int_equal(s.cgroups[0].oom_kills, 1);
	/* 200 MiB of 256 MiB; the domain ranks 201, 200 (join order) and 202: 200 and 201 tie at
	 * 25000 + 50 pages, the walk's last of them (200, api) goes first; 202 has 10025 + 200 * 65536 / 1000 */
	assert_int_equal(s.cgroups[0].usage_pages, 51200);
	assert_int_equal(s.cgroups[0].limit_pages, 65536);
	assert_int_equal(status_cgroup_domains(&s), 0);
	assert_int_equal(s.nlisted, 1);
	assert_true(s.cgroups[0].have_victim);
	assert_int_equal(s.cgroups[0].totalpages, 65536);
	assert_int_equal(s.cgroups[0].victim_badness, 25050);
	assert_string_equal(s.cgroups[0].victim_comm, "api");
	assert_int_equal(s.cgroups[0].victim_adj, 0);
	status_free(&s);
	/* --max-cgroups 0: the one cgroup is "other", ranked still (the nearest its limit of the rest) */
	assert_int_equal(status_compute(&s), 0);
	assert_int_equal(status_cgroup_kills(&s), 0);
	s.max_cgroups = 0;
	assert_int_equal(status_cgroup_domains(&s), 0);
	assert_int_equal(s.nlisted, 0);
	assert_int_equal(status_cgroup_nearest(&s), 0);
	assert_int_equal(s.cgroups[0].victim_badness, 25050);
	status_free(&s);
	assert_int_equal(sysroot_set(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1),
		cmocka_unit_test(test_v2),
		cmocka_unit_test(test_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
