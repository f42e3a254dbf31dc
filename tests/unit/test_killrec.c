/*
 * Unit tests of the kill records' position (src/killrec.c) and of the
 * sequence numbers and boot id the parser gives kmsg events: a record line
 * written by logfmt_json() reads back to its own position, whatever the
 * process was named, and no other text passes for a position.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "killrec.h"
#include "klog.h"
#include "logfmt.h"

#define BOOT "d0c97027-e4f6-4933-8d82-cf27f1fdaad7"

/* Feeds one /dev/kmsg record and the end of the log; returns the one event (or NULL). */
static struct klog_event *kill_event(const char *record, const char *boot_id)
{
	struct klog_opts o = { .ref_time = 0, .boot_usec = KLOG_NONE };
	struct klog_event *ev;
	struct klog *k;

	strcpy(o.boot_id, boot_id);
	k = klog_new(&o);
	klog_feed(k, record, strlen(record));
	klog_finish(k);
	ev = klog_next(k);
	assert_null(klog_next(k));
	klog_free(k);
	return ev;
}

static void test_kmsg_seq_and_boot(void **state)
{
	(void)state;
	struct klog_event *ev = kill_event("3,433,131929451,-;Memory cgroup out of memory: Killed process 8113 "
					   "(ologA8104) total-vm:68332kB, anon-rss:65280kB, file-rss:1228kB, "
					   "shmem-rss:0kB, UID:0 pgtables:172kB oom_score_adj:500",
					   BOOT);

	assert_non_null(ev);
	assert_int_equal(ev->kmsg_seq, 433);
	assert_string_equal(ev->boot_id, BOOT);
	assert_int_equal(ev->pid, 8113);
	klog_event_free(ev);

	/* a line of dmesg has no sequence number, and so no boot */
	ev = kill_event("[  131.929451] Memory cgroup out of memory: Killed process 8113 (x) total-vm:1kB, "
			"anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0",
			BOOT);
	assert_non_null(ev);
	assert_true(ev->kmsg_seq == KLOG_NONE);
	assert_string_equal(ev->boot_id, "");
	klog_event_free(ev);
}

/* Writes ev as logfmt_json() does into sb. */
static void json_line(struct strbuf *sb, const struct klog_event *ev, bool tasks)
{
	struct json j;

	json_init(&j, sb);
	logfmt_json(&j, ev, tasks, NULL, NULL);
	sb_addc(sb, '\n');
}

static void test_line_reads_back(void **state)
{
	(void)state;
	/* a name chosen to look like the keys: "kmsg_seq":1,"boot_id":"aaaa" (kmsg writes " as is) */
	struct klog_event *ev = kill_event("3,9000,5,-;Out of memory: Killed process 77 (\",\"kmsg_seq\":1,) "
					   "total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 "
					   "pgtables:4kB oom_score_adj:0",
					   BOOT);
	struct strbuf sb = STRBUF_INIT;
	struct killrec_pos pos;

	assert_non_null(ev);
	strcpy(ev->host, "\"boot_id\":\"aaaa\"");
	json_line(&sb, ev, false);
	assert_int_equal(killrec_parse_line(sb_str(&sb), sb.len, &pos), 0);
	assert_int_equal(pos.seq, 9000);
	assert_string_equal(pos.boot_id, BOOT);
	assert_true(killrec_seen(&pos, ev));
	klog_event_free(ev);
	sb_free(&sb);
}

/* Reads a C string as a record line. */
static int line_of(const char *s, struct killrec_pos *pos)
{
	return killrec_parse_line(s, strlen(s), pos);
}

/* Reads a C string as a state file. */
static int state_of(const char *s, struct killrec_pos *pos)
{
	return killrec_parse_state(s, strlen(s), pos);
}

static void test_line_rejects(void **state)
{
	(void)state;
	struct killrec_pos pos = { .seq = -1 };
	char big[KILLREC_HEAD + 64];

	assert_int_equal(line_of("", &pos), -ENOENT);
	assert_int_equal(line_of("[]", &pos), -ENOENT);
	assert_int_equal(line_of("{\"kmsg_seq\":null,\"boot_id\":null}", &pos), -ENOENT);
	assert_int_equal(line_of("{\"kmsg_seq\":12,\"boot_id\":\"not hex\"}", &pos), -ENOENT);
	assert_int_equal(line_of("{\"kmsg_seq\":1234567890123456789,\"boot_id\":\"ab\"}", &pos),
			 -ENOENT);
	/* the position must be in the first KILLREC_HEAD bytes */
	memset(big, ' ', sizeof(big));
	big[0] = '{';
	memcpy(big + KILLREC_HEAD, "\"kmsg_seq\":5,\"boot_id\":\"ab\"", 27);
	assert_int_equal(killrec_parse_line(big, sizeof(big), &pos), -ENOENT);
	assert_int_equal(pos.seq, -1);
	assert_int_equal(line_of("{\"kmsg_seq\":5,\"boot_id\":\"ab\"}", &pos), 0);
	assert_int_equal(pos.seq, 5);
	assert_string_equal(pos.boot_id, "ab");
}

static void test_state_text(void **state)
{
	(void)state;
	struct killrec_pos pos = { .seq = 2094 }, back = { .seq = -1 };
	struct strbuf sb = STRBUF_INIT;

	strcpy(pos.boot_id, BOOT);
	killrec_format_state(&sb, &pos);
	assert_string_equal(sb_str(&sb), "oomtop-log-state 1 " BOOT " 2094\n");
	assert_int_equal(killrec_parse_state(sb_str(&sb), sb.len, &back), 0);
	assert_int_equal(back.seq, 2094);
	assert_string_equal(back.boot_id, BOOT);
	/* its newline is optional, nothing else is */
	assert_int_equal(killrec_parse_state(sb_str(&sb), sb.len - 1, &back), 0);
	assert_int_equal(state_of("oomtop-log-state 1 " BOOT " 2094\n\n", &back), -EINVAL);
	assert_int_equal(state_of("oomtop-log-state 2 ab 1\n", &back), -EINVAL);
	assert_int_equal(state_of("oomtop-log-state 1 ab -1\n", &back), -EINVAL);
	assert_int_equal(state_of("oomtop-log-state 1 ab 1x\n", &back), -EINVAL);
	assert_int_equal(state_of("oomtop-log-state 1 a/b 1\n", &back), -EINVAL);
	assert_int_equal(state_of("oomtop-log-state 1 ab\n", &back), -EINVAL);
	assert_int_equal(state_of("", &back), -EINVAL);
	sb_free(&sb);
}

static void test_seen_and_take(void **state)
{
	(void)state;
	struct killrec_pos pos = { .boot_id = BOOT, .seq = 100 }, other = { .boot_id = "ab", .seq = 500 };
	struct klog_event ev;

	memset(&ev, 0, sizeof(ev));
	strcpy(ev.boot_id, BOOT);
	ev.kmsg_seq = 100;
	assert_true(killrec_seen(&pos, &ev));
	ev.kmsg_seq = 101;
	assert_false(killrec_seen(&pos, &ev));
	/* another boot's numbers start again: its kill 50 is not this boot's */
	ev.kmsg_seq = 50;
	strcpy(ev.boot_id, "ab");
	assert_false(killrec_seen(&pos, &ev));
	ev.kmsg_seq = KLOG_NONE;
	strcpy(ev.boot_id, BOOT);
	assert_false(killrec_seen(&pos, &ev));
	/* nothing recorded yet: nothing seen */
	pos.seq = -1;
	ev.kmsg_seq = 0;
	assert_false(killrec_seen(&pos, &ev));

	pos.seq = 100;
	killrec_take(&pos, &other);
	assert_int_equal(pos.seq, 100);
	strcpy(other.boot_id, BOOT);
	other.seq = 50;
	killrec_take(&pos, &other);
	assert_int_equal(pos.seq, 100);
	other.seq = 500;
	killrec_take(&pos, &other);
	assert_int_equal(pos.seq, 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kmsg_seq_and_boot), cmocka_unit_test(test_line_reads_back),
		cmocka_unit_test(test_line_rejects),      cmocka_unit_test(test_state_text),
		cmocka_unit_test(test_seen_and_take),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
