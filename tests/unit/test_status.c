/* Unit tests of status's pure parts (src/status.c; its PSI parser: test_sysmem.c) and explain's adj arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "klog.h"
#include "kmsg.h"
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
	s.protected_procs = calloc(3, sizeof(*s.protected_procs));
	s.protected_procs[0] = (struct status_protected){ .pid = 100, .comm = "supervisord" };
	s.protected_procs[1] = (struct status_protected){ .pid = 120, .comm = "job", .origin = 100, .origin_comm = "supervisord" };
	s.protected_procs[2] = (struct status_protected){ .pid = 121, .comm = "a) Z (b", .origin = 100, .origin_comm = "supervisord" };
	status_warnings(&s);
	assert_true(has_warning(&s, "panic_on_oom=1: a global OOM panics the machine instead of killing a process"));
	assert_true(has_warning(&s, "overcommit_memory=2 and Committed_AS is 93% of CommitLimit: allocations will start failing"));
	assert_true(has_warning(&s, "oom_kill_allocating_task=1: a global OOM kills whichever process is allocating, "
				    "not the one ranked first"));
	assert_true(has_warning(&s, "2 of the 3 processes with oom_score_adj -1000 only inherited it from a protected parent "
				    "that does not reset its children: the OOM killer can never pick them either, a runaway "
				    "one neither: 120 (job) from 100 (supervisord), 121 (a) Z (b) from 100 (supervisord)"));
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

static void test_unit_warnings(void **state)
{
	(void)state;
	struct status s;
	struct status_unit *u;

	memset(&s, 0, sizeof(s));
	s.oom_dump_tasks = 1;
	s.nunits = 7;
	s.units = calloc(s.nunits, sizeof(*s.units));
	/* a held one says nothing; one not held comes first; six to warn of: four named, two counted */
	for (size_t i = 0; i < s.nunits; i++) {
		u = &s.units[i];
		snprintf(u->unit, sizeof(u->unit), "u%zu.service", i);
		u->audit.state = UNITS_NOT_DECLARED;
		u->audit.nprocs = 2;
		u->audit.nother = 1;
		u->audit.other_pid = (pid_t)(200 + i);
		snprintf(u->audit.other_comm, sizeof(u->audit.other_comm), "w%zu", i);
		u->audit.other_adj = 300;
	}
	s.units[0].audit.state = UNITS_HELD;
	u = &s.units[6];
	u->audit.state = UNITS_NOT_HELD;
	u->decl.have_adj = true;
	u->decl.adj = -900;
	snprintf(u->decl.adj_file, sizeof(u->decl.adj_file), "/etc/systemd/system/u6.service.d/50-oomtop.conf");
	u->decl.adj_line = 4;
	s.units[1].origin = 1;
	snprintf(s.units[1].origin_comm, sizeof(s.units[1].origin_comm), "init");
	status_warnings(&s);
	assert_int_equal(s.nwarnings, 5);
	assert_string_equal(s.warnings[0],
			    "u6.service declares OOMScoreAdjust=-900 (/etc/systemd/system/u6.service.d/50-oomtop.conf:4) "
			    "but 1 of its 2 processes does not hold it: 206 (w6) holds 300; systemd cannot lower a value "
			    "without CAP_SYS_RESOURCE and says nothing, or the file changed after the service started "
			    "(systemctl daemon-reload, then restart it)");
	assert_string_equal(s.warnings[1],
			    "u1.service: 1 of its 2 processes holds an oom_score_adj no unit file or drop-in declares (201 "
			    "(w1) holds 300, inherited from 1 (init)): a restart loses it (oomtop protect --persist --adj "
			    "300 --unit u1.service writes the drop-in)");
	assert_true(has_warning(&s, "u2.service: 1 of its 2 processes holds an oom_score_adj no unit file or drop-in "
				    "declares (202 (w2) holds 300, set after it started): a restart loses it (oomtop protect "
				    "--persist --adj 300 --unit u2.service writes the drop-in)"));
	assert_string_equal(s.warnings[4], "2 more services hold other values than their unit files declare, or values "
					   "none declares (status --json lists every unit)");
	status_free(&s);
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

/* The cgroups by usage, largest first (ties by path), the first max_cgroups named, the nearest its limit of the rest. */
static void test_cgroup_order(void **state)
{
	(void)state;
	struct status s;
	struct status_cgroup cg[4] = {
		{ .path = (char *)"/b", .usage_pages = 10, .limit_pages = 100 },
		{ .path = (char *)"/a", .usage_pages = 10, .limit_pages = 11 },
		{ .path = (char *)"/big", .usage_pages = 500, .limit_pages = 1000 },
		{ .path = (char *)"/nolimit", .usage_pages = 5, .limit_pages = 0 },
	};

	memset(&s, 0, sizeof(s));
	s.cgroups = cg;
	s.ncgroups = 4;
	s.max_cgroups = 1;
	status_cgroup_sort(&s);
	assert_int_equal(s.nlisted, 1);
	assert_string_equal(cg[0].path, "/big");
	assert_string_equal(cg[1].path, "/a");
	assert_string_equal(cg[2].path, "/b");
	assert_string_equal(cg[3].path, "/nolimit");
	/* /a is at 10/11 of its limit, /b at 10/100: /a stands for "other" */
	assert_int_equal(status_cgroup_nearest(&s), 1);
	assert_true(status_cgroup_usage_ratio(&cg[1]) > 0.909 && status_cgroup_usage_ratio(&cg[1]) < 0.910);
	assert_true(status_cgroup_usage_ratio(&cg[3]) == 0);
	s.max_cgroups = 50;
	status_cgroup_sort(&s);
	assert_int_equal(s.nlisted, 4);
	assert_int_equal(status_cgroup_nearest(&s), SIZE_MAX);
	s.max_cgroups = 0;
	status_cgroup_sort(&s);
	assert_int_equal(s.nlisted, 0);
	assert_int_equal(status_cgroup_nearest(&s), 1);
}

/* A kill is counted against the victim's cgroup (task_memcg), else the limit's; the root and none are not counted. */
static void test_gone_tally(void **state)
{
	(void)state;
	struct status s;
	struct klog_event ev;

	memset(&ev, 0, sizeof(ev));
	assert_null(status_kill_cgroup(&ev));
	strcpy(ev.oom_memcg, "/pod");
	assert_string_equal(status_kill_cgroup(&ev), "/pod");
	strcpy(ev.task_memcg, "/pod/ctr");
	assert_string_equal(status_kill_cgroup(&ev), "/pod/ctr");
	strcpy(ev.task_memcg, "/");
	strcpy(ev.oom_memcg, "");
	assert_null(status_kill_cgroup(&ev));

	memset(&s, 0, sizeof(s));
	status_gone_add(&s, "/x");
	status_gone_add(&s, "/y");
	status_gone_add(&s, "/y");
	status_gone_add(&s, "/a");
	status_gone_sort(&s);
	assert_int_equal(s.ngone, 3);
	assert_string_equal(s.gone[0].path, "/y");
	assert_int_equal(s.gone[0].kills, 2);
	assert_string_equal(s.gone[1].path, "/a");
	assert_string_equal(s.gone[2].path, "/x");
	assert_int_equal(s.gone_dropped, 0);
	/* names are bounded: beyond STATUS_MAX_CGROUPS a kill is only counted */
	for (int i = 0; i < STATUS_MAX_CGROUPS; i++) {
		char p[32];
		snprintf(p, sizeof(p), "/pod-%d", i);
		status_gone_add(&s, p);
	}
	assert_int_equal(s.ngone, STATUS_MAX_CGROUPS);
	assert_int_equal(s.gone_dropped, 3);
	status_gone_add(&s, "/y");
	assert_int_equal(s.gone[0].kills, 3);
	status_free(&s);
	assert_int_equal(s.ngone, 0);
}

/* A /dev/kmsg record's sequence number, strictly parsed. */
static void test_kmsg_seq(void **state)
{
	(void)state;
	unsigned long long seq = 99;

	assert_int_equal(kmsg_record_seq("6,0,0,-;Linux version", 21, &seq), 0);
	assert_int_equal(seq, 0);
	assert_int_equal(kmsg_record_seq("4,123456,789,c;x", 16, &seq), 0);
	assert_int_equal(seq, 123456);
	assert_int_equal(kmsg_record_seq("6,12", 4, &seq), -EINVAL);
	assert_int_equal(kmsg_record_seq("6;x", 3, &seq), -EINVAL);
	assert_int_equal(kmsg_record_seq(",1,", 3, &seq), -EINVAL);
	assert_int_equal(kmsg_record_seq("6,,1;", 5, &seq), -EINVAL);
	assert_int_equal(kmsg_record_seq("6,99999999999999999999999,1;", 28, &seq), -EINVAL);
	assert_int_equal(seq, 123456);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgroup_order),
		cmocka_unit_test(test_gone_tally),
		cmocka_unit_test(test_kmsg_seq),
		cmocka_unit_test(test_warnings), cmocka_unit_test(test_unit_warnings),
		cmocka_unit_test(test_adj_first_and_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
