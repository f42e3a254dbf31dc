/*
 * Unit tests of the journal's native protocol encoder (src/journal.c) and of
 * a kill's journal record (logfmt_journal()): every field decodes back as
 * journald reads it, and no name a process gives itself (newlines, control
 * bytes, invalid UTF-8, "KEY=" text) adds or changes a field.
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

#include "journal.h"
#include "klog.h"
#include "logfmt.h"

#define MAX_FIELDS 32

/* One decoded field: its key and value (NUL-terminated copies; values may hold NULs, len says). */
struct field {
	char key[JOURNAL_KEY_MAX + 1];
	char value[4096];
	size_t len;
};

/*
 * Decodes a datagram as journald's native protocol reader does; returns the
 * number of fields, or -1 when it is not read whole.
 */
static int decode(const char *p, size_t n, struct field *f)
{
	const char *end = p + n;
	int nf = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *eq;
		if (!nl || nf == MAX_FIELDS)
			return -1;
		eq = memchr(p, '=', (size_t)(nl - p));
		if (eq) {
			if ((size_t)(eq - p) > JOURNAL_KEY_MAX || (size_t)(nl - eq - 1) >= sizeof(f->value))
				return -1;
			memcpy(f[nf].key, p, (size_t)(eq - p));
			f[nf].key[eq - p] = '\0';
			f[nf].len = (size_t)(nl - eq - 1);
			memcpy(f[nf].value, eq + 1, f[nf].len);
			f[nf].value[f[nf].len] = '\0';
			p = nl + 1;
		} else {
			const unsigned char *v = (const unsigned char *)nl + 1;
			uint64_t len = 0;
			if ((size_t)(nl - p) > JOURNAL_KEY_MAX || end - (const char *)v < 8)
				return -1;
			for (int i = 7; i >= 0; i--)
				len = len << 8 | v[i];
			v += 8;
			if (len >= sizeof(f->value) || len + 1 > (uint64_t)(end - (const char *)v) || v[len] != '\n')
				return -1;
			memcpy(f[nf].key, p, (size_t)(nl - p));
			f[nf].key[nl - p] = '\0';
			memcpy(f[nf].value, v, (size_t)len);
			f[nf].value[len] = '\0';
			f[nf].len = (size_t)len;
			p = (const char *)v + len + 1;
		}
		nf++;
	}
	return nf;
}

/* Returns how many fields are named key. */
static int count(const struct field *f, int n, const char *key)
{
	int c = 0;

	for (int i = 0; i < n; i++)
		c += strcmp(f[i].key, key) == 0;
	return c;
}

/* Returns the one field named key; fails the test if it is absent or there twice. */
static const struct field *get(const struct field *f, int n, const char *key)
{
	static const struct field none;

	assert_int_equal(count(f, n, key), 1);
	for (int i = 0; i < n; i++)
		if (strcmp(f[i].key, key) == 0)
			return &f[i];
	return &none;
}

static void test_keys(void **state)
{
	(void)state;
	assert_int_equal(journal_key_ok("MESSAGE"), 0);
	assert_int_equal(journal_key_ok("OOMTOP_VICTIM_PID"), 0);
	assert_int_equal(journal_key_ok("A1_"), 0);
	assert_int_equal(journal_key_ok(""), -EINVAL);
	assert_int_equal(journal_key_ok("_PID"), -EINVAL); /* journald's own */
	assert_int_equal(journal_key_ok("1A"), -EINVAL);
	assert_int_equal(journal_key_ok("message"), -EINVAL);
	assert_int_equal(journal_key_ok("A=B"), -EINVAL);
	assert_int_equal(journal_key_ok("A\nB"), -EINVAL);
	assert_int_equal(journal_key_ok("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 0);
	assert_int_equal(journal_key_ok("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), -EINVAL);
}

static void test_encoding(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	struct field f[MAX_FIELDS];
	static const char bin[] = "a\nFORGED=1\n\0z";

	assert_int_equal(journal_field(&sb, "MESSAGE", "hello = world", 13), 0);
	assert_string_equal(sb_str(&sb), "MESSAGE=hello = world\n");
	assert_int_equal(journal_field(&sb, "EMPTY", "", 0), 0);
	assert_int_equal(journal_field(&sb, "BIN", bin, sizeof(bin) - 1), 0);
	assert_int_equal(journal_field(&sb, "bad", "x", 1), -EINVAL);
	assert_int_equal(journal_field(&sb, "LAST", "x", 1), 0);
	/* the binary form, byte by byte: key, newline, length (little-endian 64-bit), value, newline */
	assert_memory_equal(sb.buf + 22 + 7, "BIN\n\x0d\0\0\0\0\0\0\0a\nFORGED=1\n\0z\n", 4 + 8 + 13 + 1);
	assert_int_equal(decode(sb.buf, sb.len, f), 4);
	assert_string_equal(f[0].value, "hello = world");
	assert_string_equal(f[1].key, "EMPTY");
	assert_int_equal(f[1].len, 0);
	assert_string_equal(f[2].key, "BIN");
	assert_int_equal(f[2].len, sizeof(bin) - 1);
	assert_memory_equal(f[2].value, bin, sizeof(bin) - 1);
	assert_string_equal(f[3].key, "LAST");
	assert_int_equal(count(f, 4, "FORGED"), 0);
	sb_free(&sb);
}

/* Returns an event of a memory cgroup kill of a process named comm. */
static struct klog_event *event(const char *comm, const char *memcg)
{
	struct klog_event *ev = calloc(1, sizeof(*ev));

	ev->time_sec = ev->uptime_usec = KLOG_NONE;
	ev->oom_adj = ev->total_vm_kib = ev->shmem_rss_kib = ev->pgtables_kib = ev->score = KLOG_NONE;
	ev->trigger_pid = ev->trigger_oom_score_adj = ev->trigger_oom_adj = ev->order = KLOG_NONE;
	ev->memcg_usage_kib = ev->memcg_limit_kib = ev->memcg_failcnt = KLOG_NONE;
	ev->reaped_anon_kib = ev->reaped_file_kib = ev->reaped_shmem_kib = KLOG_NONE;
	ev->pid = 8113;
	ev->uid = 0;
	ev->oom_score_adj = 500;
	ev->anon_rss_kib = 65280;
	ev->file_rss_kib = 1228;
	ev->kmsg_seq = 433;
	snprintf(ev->comm, sizeof(ev->comm), "%s", comm);
	snprintf(ev->oom_memcg, sizeof(ev->oom_memcg), "%s", memcg);
	snprintf(ev->trigger_comm, sizeof(ev->trigger_comm), "%s", comm);
	ev->trigger_pid = 8113;
	return ev;
}

static void test_kill_record(void **state)
{
	(void)state;
	struct klog_event *ev = event("webapp", "/oomtop-log-1");
	struct strbuf sb = STRBUF_INIT;
	struct field f[MAX_FIELDS];
	int n;

	logfmt_journal(&sb, ev, NULL);
	n = decode(sb.buf, sb.len, f);
	assert_int_equal(n, 11);
	assert_string_equal(get(f, n, "MESSAGE")->value,
			    "OOM kill: 8113 (webapp) uid 0 oom_score_adj 500 rss 65M, domain /oomtop-log-1, triggered by "
			    "webapp (8113)");
	assert_string_equal(get(f, n, "PRIORITY")->value, "4");
	assert_string_equal(get(f, n, "SYSLOG_IDENTIFIER")->value, "oomtop");
	assert_string_equal(get(f, n, "MESSAGE_ID")->value, LOGFMT_MESSAGE_ID);
	assert_string_equal(get(f, n, "OOMTOP_VICTIM_PID")->value, "8113");
	assert_string_equal(get(f, n, "OOMTOP_VICTIM_COMM")->value, "webapp");
	assert_string_equal(get(f, n, "OOMTOP_VICTIM_UID")->value, "0");
	assert_string_equal(get(f, n, "OOMTOP_VICTIM_OOM_SCORE_ADJ")->value, "500");
	assert_string_equal(get(f, n, "OOMTOP_VICTIM_RSS_KIB")->value, "66508");
	assert_string_equal(get(f, n, "OOMTOP_DOMAIN")->value, "/oomtop-log-1");
	assert_string_equal(get(f, n, "OOMTOP_KMSG_SEQ")->value, "433");
	assert_int_equal(count(f, n, "OOMTOP_WORKLOAD"), 0);
	/* the workload, once there is one, is one more field */
	sb_reset(&sb);
	logfmt_journal(&sb, ev, "web.service");
	n = decode(sb.buf, sb.len, f);
	assert_int_equal(n, 12);
	assert_string_equal(get(f, n, "OOMTOP_WORKLOAD")->value, "web.service");
	/* unknown numbers are left out, not sent as "-" or a huge negative */
	ev->pid = ev->uid = ev->oom_score_adj = ev->anon_rss_kib = ev->file_rss_kib = ev->kmsg_seq = KLOG_NONE;
	sb_reset(&sb);
	logfmt_journal(&sb, ev, NULL);
	n = decode(sb.buf, sb.len, f);
	assert_int_equal(n, 6);
	assert_int_equal(count(f, n, "OOMTOP_VICTIM_PID"), 0);
	assert_int_equal(count(f, n, "OOMTOP_KMSG_SEQ"), 0);
	free(ev);
	sb_free(&sb);
}

static void test_hostile_names(void **state)
{
	(void)state;
	/* a name with newlines and field text, ESC, DEL, a C1 control, invalid UTF-8 and a backslash */
	const struct field *msg;
	struct klog_event *ev = event("a\nOOMTOP_DOMAIN=x\n\x1b[2J\x7f\xc2\x9b\xff\\", "/c\nPRIORITY=0");
	struct strbuf sb = STRBUF_INIT;
	struct field f[MAX_FIELDS];
	int n;

	logfmt_journal(&sb, ev, "w\nMESSAGE=forged");
	n = decode(sb.buf, sb.len, f);
	assert_int_equal(n, 12);
	assert_string_equal(get(f, n, "OOMTOP_VICTIM_COMM")->value, "a\\nOOMTOP_DOMAIN=x\\n\\x1b[2J\\x7f\\u009b\\xff\\\\");
	assert_string_equal(get(f, n, "OOMTOP_DOMAIN")->value, "/c\\nPRIORITY=0");
	assert_string_equal(get(f, n, "PRIORITY")->value, "4");
	assert_string_equal(get(f, n, "OOMTOP_WORKLOAD")->value, "w\\nMESSAGE=forged");
	msg = get(f, n, "MESSAGE");
	assert_non_null(memmem(msg->value, msg->len, "(a\\nOOMTOP_DOMAIN=x\\n\\x1b[2J", 23));
	/* every value is one printable line: the text form, never the binary one */
	for (int i = 0; i < n; i++)
		for (size_t j = 0; j < f[i].len; j++)
			assert_true((unsigned char)f[i].value[j] >= 0x20 && (unsigned char)f[i].value[j] != 0x7f);
	assert_null(memchr(sb.buf, '\0', sb.len));
	free(ev);
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_kill_record),
		cmocka_unit_test(test_hostile_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
