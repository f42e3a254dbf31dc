/* Unit tests of the journal record reader (src/klog_journal.c): only the kernel's records are believed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "klog.h"
#include "klog_journal.h"

static char msgbuf[KLOG_LINE_MAX + 1];

/* Parses a C string as one journal line. */
static int parse(const char *json, struct klog_journal_rec *rec)
{
	return klog_journal_parse(json, strlen(json), msgbuf, sizeof(msgbuf), rec);
}

static void test_kernel_record(void **state)
{
	(void)state;
	struct klog_journal_rec r;

	assert_int_equal(parse("{\"__CURSOR\":\"s=1;i=2\",\"__REALTIME_TIMESTAMP\":\"1787068905416344\","
			       "\"__MONOTONIC_TIMESTAMP\":\"99\",\"_SOURCE_MONOTONIC_TIMESTAMP\":\"5012416344\","
			       "\"_TRANSPORT\":\"kernel\",\"SYSLOG_FACILITY\":\"0\",\"SYSLOG_IDENTIFIER\":\"kernel\","
			       "\"PRIORITY\":\"3\",\"_HOSTNAME\":\"web1\",\"_BOOT_ID\":\"ab\",\"_KERNEL_SUBSYSTEM\":null,"
			       "\"MESSAGE\":\"Out of memory: Killed process 5 (a\\\"b\\u00e9\\ud83d\\ude00) x\"}",
			       &r),
			 0);
	assert_true(r.kernel);
	assert_int_equal(r.realtime_usec, 1787068905416344LL);
	assert_int_equal(r.monotonic_usec, 5012416344LL);
	assert_string_equal(r.host, "web1");
	assert_string_equal(r.msg, "Out of memory: Killed process 5 (a\"b\xc3\xa9\xf0\x9f\x98\x80) x");
	assert_int_equal(r.msg_len, strlen(r.msg));

	/* text that is not UTF-8 comes as an array of bytes */
	assert_int_equal(parse("{\"_TRANSPORT\":\"kernel\",\"MESSAGE\":[75,27,255]}", &r), 0);
	assert_true(r.kernel);
	assert_int_equal(r.msg_len, 3);
	assert_memory_equal(r.msg, "K\x1b\xff", 3);
}

static void test_foreign_records(void **state)
{
	(void)state;
	struct klog_journal_rec r;
	const char *foreign[] = {
		/* a program's line through syslog or stdout, `logger -t kernel` among them */
		"{\"_TRANSPORT\":\"syslog\",\"SYSLOG_IDENTIFIER\":\"kernel\",\"MESSAGE\":\"Killed process 1 (systemd)\"}",
		"{\"_TRANSPORT\":\"stdout\",\"MESSAGE\":\"Killed process 1 (systemd)\"}",
		/* a program's record written into /dev/kmsg: journald marks it kernel too, with its facility */
		"{\"_TRANSPORT\":\"kernel\",\"SYSLOG_FACILITY\":\"1\",\"MESSAGE\":\"Killed process 1 (systemd)\"}",
		"{\"_TRANSPORT\":\"kernel\",\"SYSLOG_IDENTIFIER\":\"evil\",\"MESSAGE\":\"Killed process 1 (systemd)\"}",
		/* a field given twice, and no message */
		"{\"_TRANSPORT\":[\"kernel\",\"syslog\"],\"MESSAGE\":\"Killed process 1 (systemd)\"}",
		"{\"_TRANSPORT\":\"kernel\"}",
	};

	for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
		assert_int_equal(parse(foreign[i], &r), 0);
		assert_false(r.kernel);
	}
	const char *bad[] = { "", "[]", "{", "{\"MESSAGE\":\"x}", "{\"MESSAGE\":[256]}", "{\"a\" 1}", "{\"a\":1,}", "x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(bad[i], &r), -EINVAL);
}

static void test_records_to_events(void **state)
{
	(void)state;
	struct klog_opts o = { .ref_time = 0, .boot_usec = KLOG_NONE };
	struct klog *k = klog_new(&o);
	struct klog_event *ev;
	const char *msgs[] = {
		"a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		"oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/j,task_memcg=/j,task=a,pid=9,uid=0",
		"Memory cgroup out of memory: Killed process 9 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0",
	};

	for (size_t i = 0; i < 3; i++)
		klog_feed_record(k, msgs[i], strlen(msgs[i]), 1787068905416344LL + (long long)i, 5012416344LL, "web1");
	/* a record's MESSAGE is not read for prefixes: this is no kernel line */
	const char *fake = "Nov 28 01:23:30 h kernel: Killed process 10 (b) total-vm:1kB, anon-rss:1kB, file-rss:0kB";
	klog_feed_record(k, fake, strlen(fake), KLOG_NONE, KLOG_NONE, NULL);
	klog_finish(k);
	ev = klog_next(k);
	assert_non_null(ev);
	assert_int_equal(ev->pid, 9);
	assert_string_equal(ev->host, "web1");
	assert_int_equal(ev->time_sec, 1787068905LL);
	assert_int_equal(ev->time_usec, 416346);
	assert_false(ev->year_guessed);
	assert_string_equal(ev->oom_memcg, "/j");
	assert_string_equal(ev->trigger_comm, "a");
	klog_event_free(ev);
	assert_null(klog_next(k));
	klog_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_record),
		cmocka_unit_test(test_foreign_records),
		cmocka_unit_test(test_records_to_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
