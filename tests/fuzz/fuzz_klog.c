/*
 * libFuzzer harness for the kernel-log parser: the input is a log, split
 * at newlines and fed line by line (the first byte picks the options; with
 * bit 3 each line is a `journalctl -o json` record for klog_journal_parse
 * and klog_feed_record); every event that comes out is formatted as a
 * table row and as JSON.
 * Built with clang -fsanitize=fuzzer,address,undefined by `make fuzz`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "json.h"
#include "klog.h"
#include "klog_journal.h"
#include "logfmt.h"
#include "strbuf.h"

/* Formats and frees every ready event. */
static void drain(struct klog *k, struct strbuf *sb)
{
	struct klog_event *ev;
	struct workload w;
	struct json j;

	while ((ev = klog_next(k)) != NULL) {
		/* the WORKLOAD cell of a hostile task_memcg, as the table shows it */
		bool have_w = ev->task_memcg[0] == '/' && workload_parse(ev->task_memcg, &w) == 0;
		sb_reset(sb);
		logfmt_row(sb, ev, have_w ? &w : NULL, true);
		logfmt_row(sb, ev, have_w ? &w : NULL, false);
		json_init(&j, sb);
		logfmt_json(&j, ev, true, NULL, NULL);
		klog_event_free(ev);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct klog_opts o = { .ref_time = 1700000000, .boot_usec = KLOG_NONE };
	static char msgbuf[KLOG_LINE_MAX + 1];
	struct strbuf sb = STRBUF_INIT;
	struct klog_journal_rec rec;
	const char *p, *end;
	struct klog *k;

	if (size == 0)
		return 0;
	o.keep_tasks = data[0] & 1;
	if (data[0] & 2)
		o.boot_usec = 1700000000000000LL;
	p = (const char *)data + 1;
	end = (const char *)data + size;
	k = klog_new(&o);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (!(data[0] & 8))
			klog_feed(k, p, len);
		else if (klog_journal_parse(p, len, msgbuf, sizeof(msgbuf), &rec) == 0)
			klog_feed_record(k, rec.msg, rec.msg_len, rec.realtime_usec, rec.monotonic_usec,
					 rec.host[0] ? rec.host : NULL);
		drain(k, &sb);
		p += len + (nl ? 1 : 0);
	}
	if (data[0] & 4)
		klog_flush(k);
	klog_finish(k);
	drain(k, &sb);
	klog_free(k);
	sb_free(&sb);
	return 0;
}
