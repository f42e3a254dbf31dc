/*
 * The kernel-log parser: text lines in, OOM kill events out.  It knows
 * nothing of /proc or /dev/kmsg; callers feed it one line at a time and take
 * events out as they complete, so its memory stays bounded whatever the
 * size of the input.
 */
#ifndef OOMTOP_KLOG_H
#define OOMTOP_KLOG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* A number the log did not hold (that kernel version did not print it). */
#define KLOG_NONE LLONG_MIN

#define KLOG_COMM_MAX 64     /* comm as logged: 15 bytes, more when kmsg escaped it */
#define KLOG_NAME_MAX 64     /* host names, kernel releases, short words */
#define KLOG_PATH_MAX 512    /* cgroup paths */
#define KLOG_LINE_MAX 65536  /* longer lines are cut here */
#define KLOG_TASKS_MAX 65536 /* task-table rows kept per report */
#define KLOG_MEMBERS_MAX 256 /* memory.oom.group members kept per event */
#define KLOG_BOOT_ID_MAX 40  /* a boot id: 36 characters of a UUID and its NUL */

/* One row of the task table that follows "Tasks state (memory values in pages):". */
struct klog_task {
	long long pid, uid, tgid;
	long long total_vm, rss;                 /* pages */
	long long rss_anon, rss_file, rss_shmem; /* pages, 6.8+ */
	long long pgtables_bytes;                /* 4.15+ */
	long long nr_ptes, nr_pmds;              /* pages, before 4.15 */
	long long swapents;
	long long cpu;           /* before 3.x */
	long long oom_adj;       /* legacy column, 2.6.x */
	long long oom_score_adj; /* 2.6.36+ */
	char comm[KLOG_COMM_MAX];
};

/* One more process a memory.oom.group kill took with its victim. */
struct klog_member {
	long long pid, uid;
	long long rss_kib; /* anon + file + shmem at the kill, KLOG_NONE if not logged */
	char comm[KLOG_COMM_MAX];
};

/* One process killed by the OOM killer, with what its report said around it. */
struct klog_event {
	/* when and where */
	long long time_sec; /* wall clock, seconds since the epoch; KLOG_NONE if unknown */
	long time_usec;
	bool year_guessed;              /* time_sec's year is a guess: the line's date had none (syslog) */
	long long uptime_usec;          /* the kernel's own timestamp; KLOG_NONE if the log had none */
	long long kmsg_seq;             /* /dev/kmsg sequence number of the kill line; KLOG_NONE if not a kmsg record */
	char boot_id[KLOG_BOOT_ID_MAX]; /* klog_opts.boot_id when kmsg_seq is known, else "" */
	char host[KLOG_NAME_MAX];       /* syslog host field, "" when the log has none */
	char kernel[KLOG_NAME_MAX];     /* kernel release from the dump_stack line, "" if absent */

	/* the victim, from "Killed process" (and the task table, the oom-kill: line) */
	long long pid;
	char comm[KLOG_COMM_MAX];
	long long uid;
	long long oom_score_adj;
	long long oom_adj; /* legacy value, kernels before 2.6.36 only print this */
	long long total_vm_kib, anon_rss_kib, file_rss_kib, shmem_rss_kib, pgtables_kib;
	long long score;             /* "score S or sacrifice child", before 5.1 */
	char message[KLOG_NAME_MAX]; /* "Out of memory", "Memory cgroup out of memory", ... */

	/* the domain */
	char constraint[KLOG_NAME_MAX]; /* CONSTRAINT_NONE, CONSTRAINT_MEMCG, ... (4.19+) */
	char cpuset[KLOG_PATH_MAX];
	char oom_memcg[KLOG_PATH_MAX];  /* the cgroup whose limit was hit */
	char task_memcg[KLOG_PATH_MAX]; /* the victim's cgroup */
	bool global_oom;                /* the oom-kill: line said global_oom */
	char oom_group[KLOG_PATH_MAX];  /* memory.oom.group: the whole cgroup was killed */
	struct klog_member *members;    /* owned: every task the group kill took, the victim first */
	size_t nmembers, members_dropped;
	long long memcg_usage_kib, memcg_limit_kib, memcg_failcnt;

	/* the trigger: the task whose allocation failed */
	char trigger_comm[KLOG_COMM_MAX]; /* "" when the header was not logged (ratelimited) */
	long long trigger_pid;
	long long trigger_oom_score_adj, trigger_oom_adj;
	char gfp_mask[KLOG_NAME_MAX];
	long long order;

	/* what the oom_reaper left (4.6+), KLOG_NONE if it did not report */
	long long reaped_anon_kib, reaped_file_kib, reaped_shmem_kib;

	/* the task table of the report (only with klog_opts.keep_tasks) */
	struct klog_task *tasks; /* owned */
	size_t ntasks;
	size_t tasks_dropped; /* rows beyond KLOG_TASKS_MAX */
};

/* How to read the time prefixes of the lines. */
struct klog_opts {
	long long ref_time;             /* syslog dates have no year: the newest date not after this (epoch s) */
	long long boot_usec;            /* wall clock at boot (usec) to date kernel timestamps; KLOG_NONE */
	bool keep_tasks;                /* copy the task table into each event */
	char boot_id[KLOG_BOOT_ID_MAX]; /* the boot the kmsg records are from ("": unknown), copied into events */
};

/* What the prefix of one log line said (klog_parse_prefix). */
struct klog_line {
	const char *msg; /* borrowed: the kernel's message without prefixes */
	size_t msg_len;
	long long time_sec; /* wall clock or KLOG_NONE */
	long time_usec;
	bool year_guessed;     /* the date had no year (traditional syslog, journalctl -o short) */
	long long uptime_usec; /* KLOG_NONE */
	long long seq;         /* /dev/kmsg record's sequence number, KLOG_NONE */
	const char *host;      /* borrowed, host_len 0 if none */
	size_t host_len;
	const char *caller; /* borrowed: CONFIG_PRINTK_CALLER id ("T123"), caller_len 0 if none */
	size_t caller_len;
	int level;    /* the printk level the line carried (kmsg, <N>, dmesg -x), -1 if none */
	bool kmsg;    /* /dev/kmsg record: the message escapes bytes as \xNN */
	bool foreign; /* a line of another program (syslog tag, dmesg facility) */
};

struct klog;

int klog_parse_prefix(const char *line, size_t len, const struct klog_opts *opts, struct klog_line *out);

struct klog *klog_new(const struct klog_opts *opts);
void klog_free(struct klog *k);
void klog_feed(struct klog *k, const char *line, size_t len);
void klog_feed_record(struct klog *k, const char *msg, size_t len, long long wall_usec, long long uptime_usec,
		      const char *host);
void klog_flush(struct klog *k);
void klog_finish(struct klog *k);
struct klog_event *klog_next(struct klog *k);
void klog_event_free(struct klog_event *ev);
void klog_event_domain(const struct klog_event *ev, char *buf, size_t bufsz);
unsigned long long klog_lines(const struct klog *k);

#endif
