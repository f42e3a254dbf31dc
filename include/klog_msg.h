/* Internal to the kernel-log parser: one kernel message classified and read (src/klog_msg.c). */
#ifndef OOMTOP_KLOG_MSG_H
#define OOMTOP_KLOG_MSG_H

#include <stdbool.h>

#include "klog.h"

#define KLOG_COLS_MAX 16

/* What kind of OOM report line a message is. */
enum klog_msg_kind {
	KM_NONE,         /* not part of an OOM report (or not one we read) */
	KM_INVOKED,      /* "COMM invoked oom-killer: ..." */
	KM_CPU,          /* dump_stack's "CPU: N PID: N Comm: ..." / "Pid: N, comm: ..." */
	KM_CPUSET,       /* "COMM cpuset=P mems_allowed=N" */
	KM_TASK_IN,      /* "Task in P killed as a result of limit of Q" */
	KM_MEMCG_USAGE,  /* "memory: usage NkB, limit NkB, failcnt N" */
	KM_TASKS_STATE,  /* "Tasks state (memory values in pages):" */
	KM_TABLE_HEADER, /* "[ pid ]   uid  tgid total_vm ..." */
	KM_MAYBE_ROW,    /* starts with '[': a task row if a table is open */
	KM_SUMMARY,      /* "oom-kill:constraint=..." */
	KM_KILL_CHOSEN,  /* "PREFIX: Kill process N (NAME) score S or sacrifice child" */
	KM_KILL_SHARING, /* "Kill process N (NAME) sharing same memory" */
	KM_KILLED,       /* "[PREFIX: ]Killed process N (NAME) total-vm:..." */
	KM_REAPED,       /* "oom_reaper: reaped process N (NAME), now ..." */
	KM_GROUP,        /* "Tasks in P are going to be killed due to memory.oom.group set" */
};

/* The columns of the task table. */
enum klog_col {
	COL_OTHER,
	COL_PID,
	COL_UID,
	COL_TGID,
	COL_TOTAL_VM,
	COL_RSS,
	COL_RSS_ANON,
	COL_RSS_FILE,
	COL_RSS_SHMEM,
	COL_PGTABLES_BYTES,
	COL_NR_PTES,
	COL_NR_PMDS,
	COL_SWAPENTS,
	COL_CPU,
	COL_OOM_ADJ,
	COL_OOM_SCORE_ADJ,
	COL_NAME,
};

/* The fields one message can hold; which are set depends on kind. */
struct klog_msg {
	enum klog_msg_kind kind;
	long long pid, uid, order, oom_score_adj, oom_adj, score;
	long long total_vm_kib, anon_kib, file_kib, shmem_kib, pgtables_kib;
	long long usage_kib, limit_kib, failcnt;
	bool global_oom;
	char comm[KLOG_COMM_MAX];
	char kernel[KLOG_NAME_MAX];
	char gfp_mask[KLOG_NAME_MAX];
	char word[KLOG_NAME_MAX];  /* kill prefix, or the constraint */
	char word2[KLOG_NAME_MAX]; /* nodemask */
	char path[KLOG_PATH_MAX];  /* oom_memcg, limit cgroup, cpuset, oom.group cgroup */
	char path2[KLOG_PATH_MAX]; /* task_memcg */
	char path3[KLOG_PATH_MAX]; /* cpuset of the oom-kill: line */
	enum klog_col cols[KLOG_COLS_MAX];
	int ncols;
	bool exact;  /* KM_KILLED: the line has one kernel generation's shape, fields and all */
	size_t rest; /* offset of another message run into this one (lost newline), 0 if none */
};

void klog_parse_msg(const char *msg, struct klog_msg *out);
bool klog_msg_starts(const char *msg);
int klog_parse_table_row(const char *msg, const enum klog_col *cols, int ncols, struct klog_task *t);
void klog_task_clear(struct klog_task *t);

#endif
