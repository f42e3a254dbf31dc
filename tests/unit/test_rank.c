/* Unit tests of ranking (src/rank.c) and the table/JSON rows (src/topfmt.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rank.h"
#include "topfmt.h"

#define TOTAL 6170905UL

/* Returns a killable record with anon memory in KiB and an adj. */
static struct proc_record mk(pid_t pid, const char *comm, unsigned long anon_kib, int adj)
{
	struct proc_record r;
	memset(&r, 0, sizeof(r));
	r.pid = pid;
	r.ppid = 1;
	snprintf(r.comm, sizeof(r.comm), "%s", comm);
	r.state = 'S';
	r.has_mm = true;
	r.anon_kib = anon_kib;
	r.oom_score_adj = adj;
	r.known = PROC_HAVE_STATUS | PROC_HAVE_ADJ;
	return r;
}

static void test_key_names(void **state)
{
	(void)state;
	enum rank_key k;
	assert_int_equal(rank_key_parse("swap", &k), 0);
	assert_int_equal(k, RANK_SWAP);
	assert_string_equal(rank_key_name(RANK_USER), "user");
	assert_int_equal(rank_key_parse("Swap", &k), -EINVAL);
	assert_int_equal(rank_key_parse("", &k), -EINVAL);
	assert_int_equal(rank_key_next(RANK_USER), RANK_BADNESS);
}

/* Returns the wanted row of r in a domain of TOTAL pages. */
static struct rank_row rk(struct proc_record *r)
{
	struct rank_row w = { .rec = r, .badness = rank_badness(r, BADNESS_MODEL_5_9, TOTAL, 4), .wanted = true };
	return w;
}

static void test_small_processes_ranked_exactly(void **state)
{
	(void)state;
	/* 8, 16 and 24 MiB all show oom_score 666 here, but their badness differs */
	struct proc_record a = mk(100, "a", 8192, 0), b = mk(101, "b", 16384, 0), c = mk(102, "c", 24576, 0);
	struct rank_row v[] = { rk(&a), rk(&b), rk(&c) };
	struct rank_row *rows[] = { &v[0], &v[1], &v[2] };
	assert_int_equal(badness_oom_score(v[0].badness, TOTAL), 666);
	assert_int_equal(badness_oom_score(v[2].badness, TOTAL), 666);
	rank_sort(rows, 3, RANK_BADNESS, false, BADNESS_TIE_LAST);
	assert_int_equal(rows[0]->rec->pid, 102);
	assert_int_equal(rows[1]->rec->pid, 101);
	assert_int_equal(rows[2]->rec->pid, 100);
	rank_sort(rows, 3, RANK_BADNESS, true, BADNESS_TIE_LAST);
	assert_int_equal(rows[0]->rec->pid, 100);
	/* the ranking's own array sorts the same way */
	rank_sort_rows(v, 3, BADNESS_TIE_LAST);
	assert_int_equal(v[0].rec->pid, 102);
	assert_int_equal(v[2].rec->pid, 100);
}

static void test_adj_reorders(void **state)
{
	(void)state;
	/* adj 1 adds 6170 pages (24 MiB): the 8 MiB process overtakes the 24 MiB one */
	struct proc_record a = mk(100, "a", 8192, 1), c = mk(102, "c", 24576, 0);
	struct proc_record p = mk(103, "prot", 900000, -1000), k = mk(2, "kthreadd", 0, 0);
	k.kthread = true;
	k.has_mm = false;
	struct rank_row v[] = { rk(&p), rk(&c), rk(&k), rk(&a) };
	assert_true(v[0].badness == BADNESS_UNKILLABLE);
	assert_true(v[2].badness == BADNESS_UNKILLABLE);
	rank_sort_rows(v, 4, BADNESS_TIE_LAST);
	assert_int_equal(v[0].rec->pid, 100);
	assert_int_equal(v[1].rec->pid, 102);
	/* the unkillable come last whatever their memory */
	assert_true(v[2].badness == BADNESS_UNKILLABLE && v[3].badness == BADNESS_UNKILLABLE);
}

static void test_ties_youngest_first(void **state)
{
	(void)state;
	/* equal badness: select_bad_process() keeps the last one it walks, in fork order */
	struct proc_record a = mk(300, "old", 8192, 0), b = mk(200, "young", 8192, 0), c = mk(250, "mid", 8192, 0);
	a.start_ticks = 10, b.start_ticks = 30, c.start_ticks = 20;
	a.known |= PROC_HAVE_START, b.known |= PROC_HAVE_START, c.known |= PROC_HAVE_START;
	struct rank_row v[] = { rk(&a), rk(&b), rk(&c) };
	assert_int_equal(rank_tied_prefix(v, 3, 1), 3);
	rank_sort_rows(v, 3, BADNESS_TIE_LAST);
	assert_string_equal(v[0].rec->comm, "young");
	assert_string_equal(v[1].rec->comm, "mid");
	assert_string_equal(v[2].rec->comm, "old");
	/* a later place in the domain's walk beats the start time */
	v[2].order = 1;
	rank_sort_rows(v, 3, BADNESS_TIE_LAST);
	assert_string_equal(v[0].rec->comm, "old");
}

static void test_ties_oldest_first_before_5_3(void **state)
{
	(void)state;
	/*
	 * before 5.3 the first of equals stays chosen (mm/oom_kill.c: "points >
	 * chosen_points" until 3.13, then the thread group leader check of
	 * d49ad9355420 until 5.2): the oldest of equals goes first
	 */
	struct proc_record a = mk(300, "old", 8192, 0), b = mk(200, "young", 8192, 0), c = mk(250, "mid", 8192, 0);
	struct proc_record big = mk(400, "big", 16384, 0);
	a.start_ticks = 10, b.start_ticks = 30, c.start_ticks = 20, big.start_ticks = 40;
	a.known |= PROC_HAVE_START, b.known |= PROC_HAVE_START, c.known |= PROC_HAVE_START;
	big.known |= PROC_HAVE_START;
	struct rank_row v[] = { rk(&b), rk(&a), rk(&big), rk(&c) };
	rank_sort_rows(v, 4, BADNESS_TIE_FIRST);
	assert_string_equal(v[0].rec->comm, "big"); /* more badness still wins */
	assert_string_equal(v[1].rec->comm, "old");
	assert_string_equal(v[2].rec->comm, "mid");
	assert_string_equal(v[3].rec->comm, "young");
	/* an earlier place in the domain's walk (a cgroup met first) beats the start time */
	v[3].order = 1, v[1].order = v[2].order = 2;
	rank_sort_rows(v, 4, BADNESS_TIE_FIRST);
	assert_string_equal(v[1].rec->comm, "young");
	assert_string_equal(v[2].rec->comm, "old");
	/* equal start times: the lower pid was forked first */
	b.start_ticks = a.start_ticks = c.start_ticks;
	for (int i = 0; i < 4; i++)
		v[i].order = 0;
	rank_sort_rows(v, 4, BADNESS_TIE_FIRST);
	assert_int_equal(v[1].rec->pid, 200);
	assert_int_equal(v[2].rec->pid, 250);
	assert_int_equal(v[3].rec->pid, 300);
	rank_sort_rows(v, 4, BADNESS_TIE_LAST);
	assert_int_equal(v[1].rec->pid, 300);
	/* a view sorted by another key falls back to the same tie order */
	struct rank_row *rows[] = { &v[0], &v[1], &v[2], &v[3] };
	rank_sort(rows, 4, RANK_RSS, false, BADNESS_TIE_FIRST);
	assert_int_equal(rows[1]->rec->pid, 200);
	rank_sort(rows, 4, RANK_RSS, false, BADNESS_TIE_LAST);
	assert_int_equal(rows[1]->rec->pid, 300);
}

static void test_tie_rule_per_kernel(void **state)
{
	(void)state;
	enum badness_tie t;
	/* the rule changed in 5.3: mainline versions, distribution releases */
	const struct {
		const char *release;
		enum badness_tie tie;
	} k[] = {
		{ "2.6.32-754.el6.x86_64", BADNESS_TIE_FIRST },
		{ "3.10.0-1160.el7.x86_64", BADNESS_TIE_FIRST },
		{ "3.13.0-170-generic", BADNESS_TIE_FIRST },
		{ "3.14.1", BADNESS_TIE_FIRST },
		{ "4.18.0-553.el8_10.x86_64", BADNESS_TIE_FIRST },
		{ "5.2.21", BADNESS_TIE_FIRST },
		{ "5.3", BADNESS_TIE_LAST },
		{ "5.3.0-rc1", BADNESS_TIE_LAST },
		{ "5.4.0-150-generic", BADNESS_TIE_LAST },
		{ "5.8.18", BADNESS_TIE_LAST },
		{ "6.1.0-57-cloud-amd64", BADNESS_TIE_LAST },
		{ "10.0", BADNESS_TIE_LAST },
	};
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		assert_int_equal(badness_tie_for_release(k[i].release, &t), 0);
		assert_int_equal(t, k[i].tie);
	}
	assert_int_equal(badness_tie_for_release("linux", &t), -EINVAL);
	assert_int_equal(badness_tie_for_release(NULL, &t), -EINVAL);
	/* a generation all of whose kernels agree decides; 4.17-5.8, which 5.3 splits, takes the release's */
	assert_int_equal(badness_model_tie(BADNESS_MODEL_2_6_36, BADNESS_TIE_LAST), BADNESS_TIE_FIRST);
	assert_int_equal(badness_model_tie(BADNESS_MODEL_3_14, BADNESS_TIE_LAST), BADNESS_TIE_FIRST);
	assert_int_equal(badness_model_tie(BADNESS_MODEL_4_17, BADNESS_TIE_FIRST), BADNESS_TIE_FIRST);
	assert_int_equal(badness_model_tie(BADNESS_MODEL_4_17, BADNESS_TIE_LAST), BADNESS_TIE_LAST);
	assert_int_equal(badness_model_tie(BADNESS_MODEL_5_9, BADNESS_TIE_FIRST), BADNESS_TIE_LAST);
}

static void test_tied_prefix(void **state)
{
	(void)state;
	struct proc_record r[6];
	struct rank_row v[6];
	unsigned long kib[6] = { 900, 800, 800, 700, 600, 600 };
	for (int i = 0; i < 6; i++) {
		r[i] = mk(10 + i, "x", kib[i], 0);
		v[i] = rk(&r[i]);
	}
	assert_int_equal(rank_tied_prefix(v, 6, 1), 0);
	assert_int_equal(rank_tied_prefix(v, 6, 2), 3);
	assert_int_equal(rank_tied_prefix(v, 6, 4), 3);
	assert_int_equal(rank_tied_prefix(v, 6, 5), 6);
	assert_int_equal(rank_tied_prefix(v, 6, 0), 6);
	/* the limit counts wanted rows: with the first two unwanted, the first wanted is the tied third */
	v[0].wanted = v[1].wanted = false;
	assert_int_equal(rank_tied_prefix(v, 6, 1), 3);
	/* rows of equal badness at different places in the walk are not tied */
	v[1].wanted = v[0].wanted = true;
	v[2].order = 1;
	assert_int_equal(rank_tied_prefix(v, 6, 4), 0);
}

static void test_other_keys(void **state)
{
	(void)state;
	struct proc_record a = mk(5, "zeta", 100, 10), b = mk(7, "alpha", 300, 0), c = mk(6, "mid", 200, 500);
	c.swap_kib = 50;
	struct rank_row v[] = { rk(&a), rk(&b), rk(&c) };
	struct rank_row *rows[] = { &v[0], &v[1], &v[2] };
	v[0].user = "root", v[1].user = "mysql", v[2].user = "alice";
	rank_sort(rows, 3, RANK_PID, false, BADNESS_TIE_LAST);
	assert_int_equal(rows[0]->rec->pid, 5);
	assert_int_equal(rows[2]->rec->pid, 7);
	rank_sort(rows, 3, RANK_COMM, false, BADNESS_TIE_LAST);
	assert_string_equal(rows[0]->rec->comm, "alpha");
	rank_sort(rows, 3, RANK_USER, false, BADNESS_TIE_LAST);
	assert_string_equal(rows[0]->user, "alice");
	rank_sort(rows, 3, RANK_RSS, false, BADNESS_TIE_LAST);
	assert_int_equal(rows[0]->rec->pid, 7);
	rank_sort(rows, 3, RANK_ADJ, false, BADNESS_TIE_LAST);
	assert_int_equal(rows[0]->rec->pid, 6);
	rank_sort(rows, 3, RANK_ADJ, true, BADNESS_TIE_LAST);
	assert_int_equal(rows[0]->rec->pid, 7);
	rank_sort(rows, 3, RANK_SWAP, false, BADNESS_TIE_LAST);
	assert_int_equal(rows[0]->rec->pid, 6);
}

static void test_row_format(void **state)
{
	(void)state;
	struct topfmt_ctx ctx = { .totalpages = TOTAL, .page_kib = 4, .utf8 = true, .width = 0 };
	struct proc_record r = mk(1234, "mysqld", 16384, 100);
	r.oom_score = 733;
	r.known |= PROC_HAVE_SCORE | PROC_HAVE_CMDLINE;
	r.cmdline = (char *)"/usr/sbin/mysqld --evil=\x1b[2J\nnext";
	r.cmdline_len = strlen(r.cmdline);
	struct rank_row w = rk(&r);
	w.user = "mysql";
	struct strbuf sb = STRBUF_INIT;
	topfmt_header(&sb, &ctx);
	topfmt_row(&sb, &w, &ctx);
	assert_string_equal(sb_str(&sb), "    PID USER     SCORE   ADJ   BADNESS    RSS   SWAP  MEM% COMMAND\n"
					 "   1234 mysql      733   100    621096    16M      0   0.1 "
					 "/usr/sbin/mysqld --evil=\\x1b[2J\\nnext\n");
	/* cut to 70 columns */
	sb_reset(&sb);
	ctx.width = 70;
	topfmt_row(&sb, &w, &ctx);
	assert_string_equal(sb_str(&sb), "   1234 mysql      733   100    621096    16M      0   0.1 /usr/sbin/m\n");
	/* long user names are cut with '+', unknown fields show '?' */
	sb_reset(&sb);
	ctx.width = 0;
	struct proc_record u = r;
	u.known = PROC_HAVE_STATUS | PROC_HAVE_ADJ;
	struct rank_row wu = rk(&u);
	wu.user = "averylongusername";
	topfmt_row(&sb, &wu, &ctx);
	assert_non_null(strstr(sb_str(&sb), " averylo+ "));
	assert_non_null(strstr(sb_str(&sb), " [mysqld]\n"));
	sb_reset(&sb);
	struct proc_record z = mk(77, "gone", 0, 0);
	z.known = 0;
	struct rank_row wz = { .rec = &z, .badness = BADNESS_UNKILLABLE };
	topfmt_row(&sb, &wz, &ctx);
	assert_string_equal(sb_str(&sb), "     77 ?            ?     ?         -      ?      ?     ? [gone]\n");
	sb_free(&sb);
}

static void test_json_row(void **state)
{
	(void)state;
	struct topfmt_ctx ctx = { .totalpages = TOTAL, .page_kib = 4, .utf8 = true };
	struct proc_record r = mk(42, "x\"y", 8192, 0);
	r.pte_kib = 8;
	r.known |= PROC_HAVE_CMDLINE;
	r.cmdline = (char *)"a\xff"
			    "b";
	r.cmdline_len = 3;
	struct rank_row w = rk(&r);
	w.user = "root";
	struct strbuf sb = STRBUF_INIT;
	struct json j;
	json_init(&j, &sb);
	topfmt_json(&j, &w, &ctx);
	const char *s = sb_str(&sb);
	assert_non_null(strstr(s, "\"pid\":42,"));
	assert_non_null(strstr(s, "\"comm\":\"x\\\"y\""));
	assert_non_null(strstr(s, "\"cmdline\":\"a\\ufffdb\""));
	assert_non_null(strstr(s, "\"oom_score\":null"));
	assert_non_null(strstr(s, "\"oom_score_computed\":666"));
	assert_non_null(strstr(s, "\"badness\":2050"));
	assert_non_null(strstr(s, "\"pgtables_kib\":8"));
	assert_non_null(strstr(s, "\"killable\":true"));
	assert_non_null(strstr(s, "\"unkillable_reason\":null"));
	sb_free(&sb);
}

int main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_small_processes_ranked_exactly),
		cmocka_unit_test(test_adj_reorders),
		cmocka_unit_test(test_ties_youngest_first),
		cmocka_unit_test(test_ties_oldest_first_before_5_3),
		cmocka_unit_test(test_tie_rule_per_kernel),
		cmocka_unit_test(test_tied_prefix),
		cmocka_unit_test(test_other_keys),
		cmocka_unit_test(test_row_format),
		cmocka_unit_test(test_json_row),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
