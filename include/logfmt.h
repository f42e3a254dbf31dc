/* Formatting OOM kill events (table rows, JSON) and reading --since times: pure functions. */
#ifndef OOMTOP_LOGFMT_H
#define OOMTOP_LOGFMT_H

#include <stdbool.h>

#include "json.h"
#include "klog.h"
#include "strbuf.h"

void logfmt_header(struct strbuf *sb);
void logfmt_row(struct strbuf *sb, const struct klog_event *ev, bool utf8);
void logfmt_json(struct json *j, const struct klog_event *ev, bool with_tasks);
void logfmt_time(char *buf, size_t bufsz, const struct klog_event *ev);
long long logfmt_rss_kib(const struct klog_event *ev);
int logfmt_parse_since(const char *s, long long now, long long *out);

#endif
