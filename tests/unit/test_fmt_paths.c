/*
 * Cgroup paths in the text outputs: a delegated user names its own cgroups
 * (mkdir under its systemd user slice), so a path can hold any byte a
 * process name can, and is escaped the same way (out_escape()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain.h"
#include "logfmt.h"
#include "oomcount.h"
#include "sysmem.h"
#include "topfmt.h"

#define HOSTILE "/user.slice/\x1b]0;owned\x07\x1b[2J"

/* Asserts that the text holds no control byte but its newlines. */
static void assert_no_controls(const struct strbuf *sb)
{
	for (size_t i = 0; i < sb->len; i++)
		if (sb->buf[i] != '\n')
			assert_false((unsigned char)sb->buf[i] < 0x20 || (unsigned char)sb->buf[i] == 0x7f);
}

/* log --summary: the kernel's counters of a cgroup with a hostile name. */
static void test_summary_counters(void **state)
{
	(void)state;
	static char path[] = HOSTILE;
	struct oomcount_cg cg = { .path = path, .version = 2, .oom = 1, .oom_kill = 1 };
	struct oomcount c = { .have_vmstat = true, .vmstat_oom_kill = 1, .cgs = &cg, .n = 1 };
	struct logfmt_summary sum = { .kills = 0, .counters = &c };
	struct strbuf sb = { 0 };

	logfmt_summary_text(&sb, &sum, true);
	assert_non_null(strstr(sb.buf, "/user.slice/"));
	assert_non_null(strstr(sb.buf, "/memory.events: oom 1, oom_kill 1"));
	assert_no_controls(&sb);
	cg.version = 1;
	sb_reset(&sb);
	logfmt_summary_text(&sb, &sum, false);
	assert_non_null(strstr(sb.buf, "/memory.oom_control: oom_kill 1"));
	assert_no_controls(&sb);
	sb_free(&sb);
}

/* top --cgroup: the notes name the cgroup given and the one that holds the limit. */
static void test_top_notes(void **state)
{
	(void)state;
	struct domain d = { .global = true, .totalpages = 1000 };
	struct sysmem mem = { .page_kib = 4 };
	struct strbuf sb = { 0 };

	topfmt_domain_header(&sb, &d, &mem, 1, 1, HOSTILE, NULL, true);
	assert_non_null(strstr(sb.buf, "and its ancestors have no memory limit"));
	assert_no_controls(&sb);

	d.global = false;
	d.version = 2;
	strcpy(d.path, HOSTILE "/parent");
	sb_reset(&sb);
	topfmt_domain_header(&sb, &d, &mem, 1, 1, HOSTILE, NULL, true);
	assert_non_null(strstr(sb.buf, "has no limit of its own"));
	assert_no_controls(&sb);
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_counters),
		cmocka_unit_test(test_top_notes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
