/* Reading `journalctl -o json` records: the kernel's messages with their own fields (src/klog_journal.c). */
#ifndef OOMTOP_KLOG_JOURNAL_H
#define OOMTOP_KLOG_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "klog.h"

/* What one journal record holds for the kernel-log parser. */
struct klog_journal_rec {
	char *msg; /* borrowed: the caller's buffer, decoded MESSAGE */
	size_t msg_len;
	long long realtime_usec;  /* __REALTIME_TIMESTAMP, KLOG_NONE if absent */
	long long monotonic_usec; /* _SOURCE_MONOTONIC_TIMESTAMP (the kernel's timestamp), KLOG_NONE */
	char host[KLOG_NAME_MAX]; /* _HOSTNAME, "" if absent */
	bool kernel;              /* _TRANSPORT=kernel, facility 0, identifier "kernel" (if given) */
};

int klog_journal_parse(const char *line, size_t len, char *msgbuf, size_t msgsz, struct klog_journal_rec *out);

#endif
