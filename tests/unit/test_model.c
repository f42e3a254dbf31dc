/*
 * Unit tests of the model check (src/model.c): from the kernel's oom_score
 * values alone it finds the generation of oom_badness() and the rss counting
 * that produced them, and says so when none does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "modelfmt.h"

#define TOTAL 6170905UL /* 24 GiB of 4 KiB pages, no swap */

/* Returns a sample of a task of rss pages with adj, root or not, scored by generation m. */
static struct model_sample mk(pid_t pid, unsigned long rss, int adj, bool root, enum badness_model m)
{
	struct model_sample s;
	memset(&s, 0, sizeof(s));
	s.pid = pid;
	s.exact.mem.rss_pages = rss;
	s.exact.mem.pgtables_pages = 20;
	s.exact.oom_score_adj = adj;
	s.exact.cap_sys_admin = root;
	s.approx = s.exact;
	s.oom_score = model_score(m, &s.exact, TOTAL);
	return s;
}

/* Fills n samples of assorted sizes, adjs and owners, as generation m scores them. */
static void fill(struct model_sample *s, size_t n, enum badness_model m)
{
	for (size_t i = 0; i < n; i++)
		s[i] = mk((pid_t)(100 + i), 20000 + 150000 * i, (int)(i * 97 % 1000), i % 2 == 0, m);
}

static void test_release_model_holds(void **state)
{
	(void)state;
	struct model_sample s[8];
	struct model_check mc;
	fill(s, 8, BADNESS_MODEL_5_9);
	model_judge(s, 8, TOTAL, BADNESS_MODEL_5_9, false, &mc);
	assert_int_equal(mc.model, BADNESS_MODEL_5_9);
	assert_int_equal(mc.checked, 8);
	assert_int_equal(mc.agree, 8);
	assert_false(mc.switched);
	assert_int_equal(mc.worst_pid, 0);
	struct strbuf sb = STRBUF_INIT;
	modelfmt_text(&sb, &mc);
	assert_string_equal(sb_str(&sb), "model 5.9+ checked on 8 of 8 processes");
	sb_free(&sb);
}

static void test_each_generation_found_without_release(void **state)
{
	(void)state;
	/* every generation scores root processes, adj and the floor its own way: the numbers name it */
	for (int m = 0; m < BADNESS_MODEL_COUNT; m++) {
		struct model_sample s[8];
		struct model_check mc;
		fill(s, 8, (enum badness_model)m);
		model_judge(s, 8, TOTAL, m == BADNESS_MODEL_5_9 ? BADNESS_MODEL_2_6_36 : BADNESS_MODEL_5_9, false, &mc);
		assert_int_equal(mc.model, m);
		assert_int_equal(mc.agree, 8);
		assert_true(mc.switched);
	}
}

static void test_switched_text(void **state)
{
	(void)state;
	struct model_sample s[6];
	struct model_check mc;
	struct strbuf sb = STRBUF_INIT;
	fill(s, 6, BADNESS_MODEL_3_14);
	model_judge(s, 6, TOTAL, BADNESS_MODEL_5_9, false, &mc);
	modelfmt_text(&sb, &mc);
	assert_string_equal(sb_str(&sb), "model 3.14-4.16 checked on 6 of 6 processes "
					 "(the kernel's own scores; its release names 5.9+)");
	sb_free(&sb);
}

static void test_counting_found(void **state)
{
	(void)state;
	/* the release suggests the per-cpu counters, the kernel scored the exact sums (a backported fix) */
	struct model_sample s[4];
	struct model_check mc;
	struct strbuf sb = STRBUF_INIT;
	fill(s, 4, BADNESS_MODEL_5_9);
	/* one oom_score point is 1.5 / 1000 of totalpages here (9256 pages): drift shows when it crosses one */
	s[1].approx.mem.rss_pages -= 20000;
	s[3].approx.mem.rss_pages += 20000;
	model_judge(s, 4, TOTAL, BADNESS_MODEL_5_9, true, &mc);
	assert_int_equal(mc.model, BADNESS_MODEL_5_9);
	assert_false(mc.approx);
	assert_int_equal(mc.agree, 4);
	assert_true(mc.switched);
	modelfmt_text(&sb, &mc);
	assert_string_equal(sb_str(&sb), "model 5.9+ with exact rss sums checked on 4 of 4 processes "
					 "(the kernel's own scores; its release suggests per-cpu rss counters)");
	/* and the other way round: the counters it suggests are what the kernel used */
	for (int i = 0; i < 4; i++)
		s[i].oom_score = model_score(BADNESS_MODEL_5_9, &s[i].approx, TOTAL);
	model_judge(s, 4, TOTAL, BADNESS_MODEL_5_9, true, &mc);
	assert_true(mc.approx);
	assert_false(mc.switched);
	sb_free(&sb);
}

static void test_nothing_explains(void **state)
{
	(void)state;
	struct model_sample s[5];
	struct model_check mc;
	struct strbuf sb = STRBUF_INIT;
	fill(s, 5, BADNESS_MODEL_5_9);
	s[2].oom_score += 7; /* a distribution's patch of its own */
	model_judge(s, 5, TOTAL, BADNESS_MODEL_5_9, false, &mc);
	assert_int_equal(mc.model, BADNESS_MODEL_5_9); /* the release's, as the best */
	assert_int_equal(mc.agree, 4);
	assert_false(mc.switched);
	assert_int_equal(mc.worst_pid, 102);
	assert_int_equal(mc.worst_diff, 7);
	assert_true(model_sample_agrees(&mc, &s[0], TOTAL));
	assert_false(model_sample_agrees(&mc, &s[2], TOTAL));
	modelfmt_text(&sb, &mc);
	assert_string_equal(sb_str(&sb), "WARNING: no generation of oom_badness() explains this kernel: model 5.9+ "
					 "agrees with 4 of 5 processes (pid 102: the kernel's oom_score is +7 off)");
	sb_free(&sb);
}

static void test_too_few_to_overrule(void **state)
{
	(void)state;
	/* two 3.14 numbers do not overrule a 5.9 release: they are reported as disagreeing */
	struct model_sample s[2];
	struct model_check mc;
	fill(s, 2, BADNESS_MODEL_3_14);
	model_judge(s, 2, TOTAL, BADNESS_MODEL_5_9, false, &mc);
	assert_int_equal(mc.model, BADNESS_MODEL_5_9);
	assert_false(mc.switched);
	assert_int_equal(mc.agree, 0);
}

static void test_no_samples(void **state)
{
	(void)state;
	struct model_check mc;
	struct strbuf sb = STRBUF_INIT;
	model_judge(NULL, 0, TOTAL, BADNESS_MODEL_4_17, false, &mc);
	assert_int_equal(mc.model, BADNESS_MODEL_4_17);
	assert_int_equal(mc.checked, 0);
	assert_false(mc.switched);
	modelfmt_text(&sb, &mc);
	assert_string_equal(sb_str(&sb), "model 4.17-5.8, not checked (no oom_score read)");
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_release_model_holds),
		cmocka_unit_test(test_each_generation_found_without_release),
		cmocka_unit_test(test_switched_text),
		cmocka_unit_test(test_counting_found),
		cmocka_unit_test(test_nothing_explains),
		cmocka_unit_test(test_too_few_to_overrule),
		cmocka_unit_test(test_no_samples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
