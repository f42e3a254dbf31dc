/* Unit tests of the Prometheus formatter (src/promfmt.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "promfmt.h"
#include "strbuf.h"

/* Returns the escaped form of the len bytes at s (valid until the next call). */
static const char *esc(const char *s, size_t len)
{
	static struct strbuf sb = STRBUF_INIT;

	sb_reset(&sb);
	promfmt_escape_label(&sb, s, len);
	return sb.len ? sb_str(&sb) : "";
}

static void test_escape_label(void **state)
{
	(void)state;
	assert_string_equal(esc("mysqld", 6), "mysqld");
	/* a backslash of the name is doubled in the value, then each is escaped: 4 in the text */
	assert_string_equal(esc("a\\b", 3), "a\\\\\\\\b");
	assert_string_equal(esc("say \"hi\"", 8), "say \\\"hi\\\"");
	assert_string_equal(esc("two\nlines", 9), "two\\nlines");
	assert_string_equal(esc("\\\"\n", 3), "\\\\\\\\\\\"\\n");
	/* a comm as a hostile process sets it: the parser must still find the closing quote */
	assert_string_equal(esc("a\") Z {b=\"", 10), "a\\\") Z {b=\\\"");
	/* control bytes and invalid UTF-8 become the value text \xHH, written \\xHH; valid UTF-8 stays */
	assert_string_equal(esc("a\tb", 3), "a\\\\x09b");
	assert_string_equal(esc("\x1b]0;x\a", 6), "\\\\x1b]0;x\\\\x07");
	assert_string_equal(esc("\xff" "x\xc3", 3), "\\\\xffx\\\\xc3");
	assert_string_equal(esc("caf\xc3\xa9", 5), "caf\xc3\xa9");
	/* C1 (U+009B CSI), U+2028, U+2029 and bidi controls become the value text \uXXXX */
	assert_string_equal(esc("\xc2\x9b" "2J\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xae\xe2\x81\xa9", 16),
			    "\\\\u009b2J\\\\u2028\\\\u2029\\\\u202e\\\\u2069");
	/* the text \x1b in a name stays apart from a real ESC */
	assert_string_equal(esc("\\x1b", 4), "\\\\\\\\x1b");
	assert_string_equal(esc("", 0), "");
}

/* Returns whether text has the line line. */
static int has_line(const char *text, const char *line)
{
	size_t ll = strlen(line);

	for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && p[ll] == '\n')
			return 1;
	return 0;
}

static void test_status_metrics(void **state)
{
	(void)state;
	struct status s;
	/* /web and /odd are named (max_cgroups 2); /small and /tiny are "other", /tiny nearest its limit */
	struct status_cgroup cg[4] = {
		{ .path = (char *)"/web", .have_oom_kills = true, .oom_kills = 3, .usage_pages = 900, .limit_pages = 1000,
		  .totalpages = 1000, .have_victim = true, .victim_badness = 500, .victim_adj = -100,
		  .victim_comm = "java" },
		{ .path = (char *)"/odd\"\\\n", .have_oom_kills = true, .oom_kills = 1, .usage_pages = 800,
		  .limit_pages = 4000, .totalpages = 4000 },
		{ .path = (char *)"/small", .have_oom_kills = true, .oom_kills = 2, .usage_pages = 100,
		  .limit_pages = 1000, .totalpages = 1000 },
		{ .path = (char *)"/tiny", .have_oom_kills = true, .oom_kills = 5, .usage_pages = 99, .limit_pages = 100,
		  .totalpages = 100, .have_victim = true, .victim_badness = 50, .victim_adj = 0, .victim_comm = "a\tb" },
	};
	struct status_gone gone[3] = { { (char *)"/pod-a", 4 }, { (char *)"/pod-b", 2 }, { (char *)"/pod-c", 1 } };
	struct strbuf sb = STRBUF_INIT;

	memset(&s, 0, sizeof(s));
	s.mem.mem_total_kib = 4000000;
	s.mem.mem_available_kib = 1000;
	s.mem.commit_limit_kib = 2;
	s.mem.committed_as_kib = 3;
	s.mem.totalpages = 1000;
	s.have_oom_kills = true;
	s.oom_kills = 42;
	s.mem.page_kib = 4;
	s.have_cgroups = true;
	s.cgroups = cg;
	s.ncgroups = 4;
	s.max_cgroups = 2;
	s.nlisted = 2;
	s.have_klog = true;
	s.klog_complete = true;
	s.gone = gone;
	s.ngone = 3;
	s.gone_dropped = 10;
	s.have_victim = true;
	s.victim_pid = 77;
	strcpy(s.victim_comm, "x\"y");
	s.victim_badness = 250;
	s.victim_adj = 300;
	s.victim_score = 867;
	s.victim_rss_kib = 100;
	s.nprocs = 9;
	s.nkillable = 5;
	s.nprotected = 3;
	s.ninherited = 1;
	s.have_psi = true;
	s.psi.have_some = true;
	s.psi.some.avg10 = 1.5;
	s.psi.some.total_us = 2000001;
	s.panic_on_oom = 0;
	s.oom_kill_allocating_task = -1;
	s.oom_dump_tasks = 1;
	s.overcommit_memory = 2;
	promfmt_status(&sb, &s);
	const char *t = sb_str(&sb);
	assert_true(has_line(t, "# TYPE oomtop_oom_kills_total counter"));
	assert_true(has_line(t, "oomtop_oom_kills_total 42"));
	assert_true(has_line(t, "oomtop_cgroup_oom_kills_total{cgroup=\"/web\"} 3"));
	/* the backslash doubled in the value (promfmt_escape_label()), so four in the text */
	assert_true(has_line(t, "oomtop_cgroup_oom_kills_total{cgroup=\"/odd\\\"\\\\\\\\\\n\"} 1"));
	/* the two not named: kills and sizes summed (4 KiB pages), headroom and victim of /tiny (99%) */
	assert_true(has_line(t, "oomtop_cgroup_oom_kills_total{cgroup=\"other\"} 7"));
	assert_null(strstr(t, "/small"));
	assert_null(strstr(t, "/tiny"));
	assert_true(has_line(t, "oomtop_limited_cgroups 4"));
	assert_true(has_line(t, "oomtop_cgroup_memory_usage_bytes{cgroup=\"/web\"} 3686400"));
	assert_true(has_line(t, "oomtop_cgroup_memory_usage_bytes{cgroup=\"other\"} 815104"));
	assert_true(has_line(t, "oomtop_cgroup_memory_limit_bytes{cgroup=\"/web\"} 4096000"));
	assert_true(has_line(t, "oomtop_cgroup_memory_limit_bytes{cgroup=\"other\"} 4505600"));
	assert_true(has_line(t, "oomtop_cgroup_memory_usage_ratio{cgroup=\"/web\"} 0.900000"));
	assert_true(has_line(t, "oomtop_cgroup_memory_usage_ratio{cgroup=\"other\"} 0.990000"));
	assert_true(has_line(t, "oomtop_cgroup_next_victim_info{cgroup=\"/web\",comm=\"java\"} 1"));
	assert_true(has_line(t, "oomtop_cgroup_next_victim_info{cgroup=\"other\",comm=\"a\\\\x09b\"} 1"));
	assert_true(has_line(t, "oomtop_cgroup_next_victim_badness_ratio{cgroup=\"/web\"} 0.500000"));
	assert_true(has_line(t, "oomtop_cgroup_next_victim_badness_ratio{cgroup=\"other\"} 0.500000"));
	assert_true(has_line(t, "oomtop_cgroup_next_victim_oom_score_adj{cgroup=\"/web\"} -100"));
	assert_true(has_line(t, "oomtop_cgroup_next_victim_oom_score_adj{cgroup=\"other\"} 0"));
	/* a cgroup without a killable member has no victim series */
	assert_null(strstr(t, "oomtop_cgroup_next_victim_info{cgroup=\"/odd"));
	/* removed cgroups: the two with most kills named, the third and the 10 beyond the names kept in other */
	assert_true(has_line(t, "oomtop_kernel_log_complete 1"));
	assert_true(has_line(t, "oomtop_removed_cgroup_oom_kills_total{cgroup=\"/pod-a\"} 4"));
	assert_true(has_line(t, "oomtop_removed_cgroup_oom_kills_total{cgroup=\"/pod-b\"} 2"));
	assert_true(has_line(t, "oomtop_removed_cgroup_oom_kills_total{cgroup=\"other\"} 11"));
	assert_null(strstr(t, "/pod-c"));
	/* the next victim: bounded labels on one info series, its numbers unlabelled; no pid label anywhere */
	assert_true(has_line(t, "oomtop_next_victim_info{comm=\"x\\\"y\"} 1"));
	assert_true(has_line(t, "oomtop_next_victim_pid 77"));
	assert_true(has_line(t, "oomtop_next_victim_badness_ratio 0.250000"));
	assert_true(has_line(t, "oomtop_next_victim_oom_score_adj 300"));
	assert_true(has_line(t, "oomtop_next_victim_oom_score 867"));
	assert_true(has_line(t, "oomtop_next_victim_rss_bytes 102400"));
	assert_null(strstr(t, "pid=\""));
	assert_true(has_line(t, "oomtop_protected_processes 3"));
	assert_true(has_line(t, "oomtop_protected_inherited_processes 1"));
	assert_true(has_line(t, "oomtop_killable_processes 5"));
	assert_true(has_line(t, "oomtop_memory_available_bytes 1024000"));
	assert_true(has_line(t, "oomtop_commit_limit_bytes 2048"));
	assert_true(has_line(t, "oomtop_committed_as_bytes 3072"));
	assert_true(has_line(t, "oomtop_memory_pressure_ratio{kind=\"some\",window=\"10s\"} 0.0150"));
	assert_true(has_line(t, "oomtop_memory_pressure_stalled_seconds_total{kind=\"some\"} 2.000001"));
	assert_null(strstr(t, "kind=\"full\""));
	assert_true(has_line(t, "oomtop_vm_panic_on_oom 0"));
	assert_true(has_line(t, "oomtop_vm_overcommit_memory 2"));
	/* an unreadable sysctl is left out, not reported as -1 */
	assert_null(strstr(t, "oom_kill_allocating_task"));
	/* a victim with adj 1000 counts more than the machine: the share stays a ratio */
	sb_reset(&sb);
	s.victim_badness = 1900;
	promfmt_status(&sb, &s);
	assert_true(has_line(sb_str(&sb), "oomtop_next_victim_badness_ratio 1.000000"));
	assert_true(has_line(sb_str(&sb), "oomtop_partial_view 0"));
	/* a partial view (hidepid=): said, and the first process seen is not named the next victim */
	sb_reset(&sb);
	s.partial = true;
	promfmt_status(&sb, &s);
	assert_true(has_line(sb_str(&sb), "oomtop_partial_view 1"));
	assert_null(strstr(sb_str(&sb), "next_victim"));
	assert_non_null(strstr(sb_str(&sb), "\noomtop_cgroup_memory_usage_ratio{cgroup=\"/web\"} 0.900000\n"));
	s.partial = false;
	/* every cgroup named (max_cgroups 4): "other" is zeros and has no victim */
	sb_reset(&sb);
	s.nlisted = 4;
	promfmt_status(&sb, &s);
	assert_true(has_line(sb_str(&sb), "oomtop_cgroup_oom_kills_total{cgroup=\"/tiny\"} 5"));
	assert_true(has_line(sb_str(&sb), "oomtop_cgroup_oom_kills_total{cgroup=\"other\"} 0"));
	assert_true(has_line(sb_str(&sb), "oomtop_cgroup_memory_usage_ratio{cgroup=\"other\"} 0.000000"));
	assert_null(strstr(sb_str(&sb), "oomtop_cgroup_next_victim_info{cgroup=\"other\""));
	/* every family has its HELP and TYPE once, and every sample line belongs to one */
	sb_reset(&sb);
	s.have_victim = s.have_oom_kills = s.have_cgroups = s.have_psi = s.have_klog = false;
	promfmt_status(&sb, &s);
	assert_null(strstr(sb_str(&sb), "oom_kills_total"));
	assert_null(strstr(sb_str(&sb), "next_victim"));
	assert_null(strstr(sb_str(&sb), "pressure"));
	assert_null(strstr(sb_str(&sb), "cgroup"));
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_label),
		cmocka_unit_test(test_status_metrics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
