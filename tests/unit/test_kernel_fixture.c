/*
 * The kernels this machine cannot boot, as fixture trees (tests/corpus/root/
 * k3.10, k4.18, k5.4): the same processes, with the oom_score each kernel's
 * proc_oom_score() shows for them, worked out by hand below from that
 * kernel's mm/oom_kill.c oom_badness() and fs/proc/base.c.  Each tree's
 * proc/sys/kernel/osrelease names its kernel; the model check must also
 * name the generation from the numbers alone when the release is hidden.
 *
 * The processes (points = rss + swap + page tables, in 4 KiB pages):
 *   100 web     uid 1000, no caps            100000 + 200      = 100200
 *   101 db      root, CAP_SYS_ADMIN          100500 + 200      = 100700
 *   102 batch   uid 1000, adj 500             10000 + 10       =  10010
 *   103 sshd    root, adj -1000              never chosen
 *   104 agent   root, CAP_SYS_ADMIN, adj -50   2000 + 10       =   2010
 *   106 runner  root without CAP_SYS_ADMIN    60000 + 2000+100 =  62100
 *   107 ctr     uid 1000 with CAP_SYS_ADMIN   60100 + 2000+100 =  62200
 *   108 cache   uid 1000, adj -100            30000 + 50       =  30050
 * and init and kthreadd, which no kernel chooses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "badness.h"
#include "explain.h"
#include "explainfmt.h"
#include "proc.h"
#include "snapshot.h"
#include "strbuf.h"
#include "sysroot.h"
#include "topfmt.h"
#include "users.h"

/* What one tree's kernel makes of the processes. */
struct expect {
	const char *tree;
	enum badness_model model;
	unsigned long totalpages;
	pid_t order[5]; /* the first five in kill order; agent and cache follow at badness 1 */
	long badness[5];
	long oom_score[5]; /* what the tree's oom_score files hold, as the kernel computed them */
	/*
	 * agent (started at tick 10400) and cache (10800) tie at badness 1:
	 * before 5.3 the kernel keeps the first of equals, the older agent; from
	 * 5.3 the last, cache (badness_tie_for_release()): tie_first goes first.
	 * tie_first_hidden, with the release hidden: the generation alone decides
	 * where it can (3.14-4.16: before 5.3), else the newest rule is assumed,
	 * as 4.17-5.8 spans 5.3.
	 */
	pid_t tie_first, tie_first_hidden;
};

/*
 * 3.10.0-*.el7 (RHEL 7 and CentOS 7, whose 3.10 carries the 3.14 root
 * bonus, 778c14affaf9): 3999996 kB RAM, no swap: totalpages 999999, one
 * adj point is totalpages / 1000 = 999 pages.  CAP_SYS_ADMIN: points -=
 * points * 3 / 100, so db is 100700 - 3021 = 97679 and ctr 62200 - 1866 =
 * 60334: both fall below the processes without the capability.  batch:
 * 10010 + 500 * 999 = 509510.  agent (1950 - 50 * 999) and cache (30050 -
 * 100 * 999) are at least 1.  oom_score = points * 1000 / totalpages: 509,
 * 100, 97, 62, 60.  No Rss* lines in status (before 4.5): VmRSS is the rss.
 */
static const struct expect k3_10 = {
	"tests/corpus/root/k3.10",
	BADNESS_MODEL_3_14,
	999999,
	{ 102, 100, 101, 106, 107 },
	{ 509510, 100200, 97679, 62100, 60334 },
	{ 509, 100, 97, 62, 60 },
	104,
	104,
};

/*
 * 4.18 (RHEL 8's base; the 4.17 generation, d46078b28889 removed the root
 * bonus): the same memory, so batch 509510, db 100700, web 100200, ctr
 * 62200, runner 62100; agent and cache at least 1.  oom_score: 509, 100,
 * 100, 62, 62.
 */
static const struct expect k4_18 = {
	"tests/corpus/root/k4.18",
	BADNESS_MODEL_4_17,
	999999,
	{ 102, 101, 100, 107, 106 },
	{ 509510, 100700, 100200, 62200, 62100 },
	{ 509, 100, 100, 62, 62 },
	104,
	108,
};

/*
 * 5.4 (Ubuntu 20.04; the 4.17 generation): 8000000 kB RAM + 2000004 kB
 * swap: totalpages 2000000 + 500001 = 2500001, one adj point 2500 pages.
 * batch 10010 + 500 * 2500 = 1260010; oom_score = points * 1000 /
 * 2500001: 504, 40, 40, 24, 24.
 */
static const struct expect k5_4 = {
	"tests/corpus/root/k5.4",
	BADNESS_MODEL_4_17,
	2500001,
	{ 102, 101, 100, 107, 106 },
	{ 1260010, 100700, 100200, 62200, 62100 },
	{ 504, 40, 40, 24, 24 },
	108,
	108,
};

/* Returns the readers to the real root and empties the users cache. */
static int teardown(void **state)
{
	(void)state;
	users_free();
	return sysroot_set(NULL);
}

/* Takes a snapshot of tree e (release hidden or not) and checks its ranking and its model check. */
static void check_tree(const struct expect *e, bool hide_release)
{
	struct snapshot s;
	struct snap_query q = { .key = RANK_BADNESS };

	assert_int_equal(sysconf(_SC_PAGESIZE), 4096);
	assert_int_equal(sysroot_set(e->tree), 0);
	if (hide_release)
		sysroot_hide_release();
	assert_int_equal(snap_take(&s, &q), 0);
	assert_int_equal(s.totalpages, e->totalpages);
	assert_int_equal(s.total, 10);
	assert_int_equal(s.killable, 7); /* not init, kthreadd, sshd */

	/* the release names the generation; hidden, oomtop guesses 5.9+ and the numbers overrule it */
	assert_int_equal(s.check.release_model, hide_release ? BADNESS_MODEL_5_9 : e->model);
	assert_int_equal(s.check.model, e->model);
	assert_int_equal(s.check.switched, hide_release);
	assert_false(s.check.approx);
	/* every process with a non-zero oom_score was compared (agent and cache show 0) */
	assert_int_equal(s.check.checked, 5);
	assert_int_equal(s.check.agree, 5);
	assert_int_equal(s.rank.model, e->model);

	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(s.rows[i]->rec->pid, e->order[i]);
		assert_int_equal(s.rows[i]->badness, e->badness[i]);
		assert_int_equal(s.rows[i]->rec->oom_score, e->oom_score[i]);
		assert_int_equal(s.rows[i]->check, RANK_MODEL_AGREES);
		assert_int_equal(badness_model_oom_score(e->model, s.rows[i]->badness, s.totalpages),
				 (unsigned long)e->oom_score[i]);
	}
	for (size_t i = 5; i < 7; i++) {
		assert_true(s.rows[i]->rec->pid == 104 || s.rows[i]->rec->pid == 108);
		assert_int_equal(s.rows[i]->badness, 1); /* at least 1 for an eligible task, before 5.9 */
	}
	assert_int_equal(s.rows[5]->rec->pid, hide_release ? e->tie_first_hidden : e->tie_first);
	assert_int_equal(s.rank.tie, s.rows[5]->rec->pid == 104 ? BADNESS_TIE_FIRST : BADNESS_TIE_LAST);
	snap_free(&s);
}

/* One tree (the prestate), by its release and by its numbers. */
static void test_tree(void **state)
{
	check_tree(*state, false);
	check_tree(*state, true);
}

/* A 3.10 status has no Rss* lines: the scanner takes VmRSS as the rss oom_badness() counts. */
static void test_status_before_4_5(void **state)
{
	(void)state;
	struct proc_table *t;
	struct proc_record *r;

	assert_int_equal(sysroot_set(k3_10.tree), 0);
	t = proc_table_new();
	assert_int_equal(proc_table_model(t), BADNESS_MODEL_3_14);
	assert_int_equal(proc_scan(t), 0);
	r = proc_table_find(t, 101);
	assert_non_null(r);
	assert_int_equal(r->anon_kib + r->file_kib + r->shmem_kib, 402000);
	assert_true(r->cap_sys_admin);
	assert_false(proc_table_find(t, 106)->cap_sys_admin); /* root without the capability */
	assert_true(proc_table_find(t, 107)->cap_sys_admin);  /* a user with it */
	proc_table_free(t);
}

/* Explains db (101) on tree e; returns its text and JSON, the caller frees them. */
static void explain_db(const struct expect *e, char **text, char **json)
{
	struct explain x;
	struct strbuf sb = { 0 };

	assert_int_equal(sysroot_set(e->tree), 0);
	assert_int_equal(explain_compute(101, &x), 0);
	explainfmt_text(&sb, &x, false);
	*text = sb_detach(&sb);
	explainfmt_json(&sb, &x);
	*json = sb_detach(&sb);
	explain_free(&x);
	users_free();
}

/*
 * explain names where the rss came from: a 3.10 status has only VmRSS, the
 * whole rss (fs/proc/task_mmu.c task_mem() has printed RssAnon, RssFile and
 * RssShmem since 4.5), so its one row says VmRSS, not RssAnon; 4.18 splits it.
 */
static void test_explain_rss_source(void **state)
{
	(void)state;
	char *text, *json;

	explain_db(&k3_10, &text, &json);
	assert_non_null(strstr(text, "  resident memory (VmRSS)                100500     392.6\n"));
	assert_null(strstr(text, "anonymous memory (RssAnon)"));
	assert_null(strstr(text, "file mappings (RssFile)"));
	assert_non_null(strstr(text, "no RssAnon, RssFile or RssShmem lines, which came in Linux 4.5"));
	assert_non_null(strstr(json, "\"rss_source\":\"VmRSS\""));
	assert_non_null(strstr(json, "\"anon_pages\":100500"));
	free(text);
	free(json);

	explain_db(&k4_18, &text, &json);
	assert_non_null(strstr(text, "anonymous memory (RssAnon)"));
	assert_null(strstr(text, "(VmRSS)"));
	assert_non_null(strstr(json, "\"rss_source\":\"RssAnon+RssFile+RssShmem\""));
	free(text);
	free(json);
}

/*
 * tests/corpus/root/kpatched: the 5.4 tree with runner's (106) oom_score
 * raised to 300, as a distribution's own patch might: no generation
 * explains it, so the rows go in the kernel's oom_score order (102 504,
 * 106 300, then db and web at 40 in the ranking's order, ctr 24), the
 * header says so, and runner's badness is marked '?'.
 */
static void test_patched(void **state)
{
	static const pid_t order[] = { 102, 106, 101, 100, 107 };
	struct snapshot s;
	struct snap_query q = { .key = RANK_BADNESS };
	struct strbuf sb = STRBUF_INIT;
	struct topfmt_ctx ctx = { .page_kib = 4 };

	(void)state;
	assert_int_equal(sysroot_set("tests/corpus/root/kpatched"), 0);
	assert_int_equal(snap_take(&s, &q), 0);
	assert_true(s.check.checked > 0);
	assert_true(s.check.agree < s.check.checked);
	assert_true(s.check.by_kernel_score);
	assert_int_equal(s.check.worst_pid, 106);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(s.rows[i]->rec->pid, order[i]);
		assert_int_equal(s.rows[i]->check, order[i] == 106 ? RANK_MODEL_DIFFERS : RANK_MODEL_AGREES);
	}
	modelfmt_text(&sb, &s.check);
	assert_non_null(strstr(sb_str(&sb), "WARNING: no generation of oom_badness() explains this kernel"));
	assert_non_null(strstr(sb_str(&sb), "ranked by the kernel's own oom_score, rows marked ? disagree"));
	sb_reset(&sb);
	ctx.totalpages = s.totalpages;
	topfmt_row(&sb, s.rows[1], &ctx);
	assert_non_null(strstr(sb_str(&sb), " ?62100 "));
	sb_reset(&sb);
	topfmt_row(&sb, s.rows[0], &ctx);
	assert_null(strchr(sb_str(&sb), '?'));
	sb_free(&sb);
	snap_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(test_tree, NULL, teardown, (void *)&k3_10),
		cmocka_unit_test_prestate_setup_teardown(test_tree, NULL, teardown, (void *)&k4_18),
		cmocka_unit_test_prestate_setup_teardown(test_tree, NULL, teardown, (void *)&k5_4),
		cmocka_unit_test_teardown(test_status_before_4_5, teardown),
		cmocka_unit_test_teardown(test_explain_rss_source, teardown),
		cmocka_unit_test_teardown(test_patched, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
