/* Formatting OOM kill events (table rows, JSON, the summary) and reading --since times: pure functions. */
#ifndef OOMTOP_LOGFMT_H
#define OOMTOP_LOGFMT_H

#include <stdbool.h>

#include "json.h"
#include "klog.h"
#include "oomcount.h"
#include "strbuf.h"
#include "workload.h"

/* The journal's MESSAGE_ID of a kill record: `journalctl MESSAGE_ID=...` lists them all. */
#define LOGFMT_MESSAGE_ID "761e030231294e3bab33372b90704fd0"

/* A name and how often it was killed, for `log --summary`. */
struct logfmt_tally {
	char *name; /* owned by whoever fills the table (cmd_log.c) */
	unsigned long count;
};

/* What `log --summary` prints; every pointer is borrowed. */
struct logfmt_summary {
	unsigned long kills;
	const struct logfmt_tally *by_comm, *by_domain, *by_workload;
	size_t n_comm, n_domain, n_workload;
	const struct oomcount *counters; /* NULL: the log is not this machine's */
};

void logfmt_header(struct strbuf *sb);
void logfmt_row(struct strbuf *sb, const struct klog_event *ev, const struct workload *victim, bool utf8);
void logfmt_json(struct json *j, const struct klog_event *ev, bool with_tasks, const struct workload *victim,
		 const struct workload *domain);
void logfmt_line(struct strbuf *sb, const struct klog_event *ev);
void logfmt_journal(struct strbuf *sb, const struct klog_event *ev, const char *workload);
void logfmt_time(char *buf, size_t bufsz, const struct klog_event *ev);
long long logfmt_rss_kib(const struct klog_event *ev);
void logfmt_summary_json(struct strbuf *sb, const struct logfmt_summary *sum);
void logfmt_summary_text(struct strbuf *sb, const struct logfmt_summary *sum, bool utf8);
int logfmt_parse_since(const char *s, long long now, long long *out);

#endif
