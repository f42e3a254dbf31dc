/*
 * Reading /proc: one record per process.  The table owns every record and
 * every string in it; proc_table_free() releases them all.
 */
#ifndef OOMTOP_PROC_H
#define OOMTOP_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "badness.h"

/* Which fields of a record hold values read from the kernel. */
enum proc_known {
	PROC_HAVE_STATUS = 1 << 0,  /* name, state, ppid, uid, memory */
	PROC_HAVE_ADJ = 1 << 1,     /* oom_score_adj */
	PROC_HAVE_SCORE = 1 << 2,   /* the kernel's oom_score */
	PROC_HAVE_CMDLINE = 1 << 3, /* cmdline (may be empty: kernel threads, zombies) */
	PROC_HAVE_START = 1 << 4,   /* start time, for ties */
	PROC_HAVE_KRSS = 1 << 5,    /* kernel_rss_pages: the rss the OOM killer counts, where it differs */
};

/* Why the OOM killer will never choose a process (mm/oom_kill.c oom_badness()). */
enum proc_unkillable {
	PROC_KILLABLE = 0,
	PROC_UNK_INIT,    /* is_global_init() */
	PROC_UNK_KTHREAD, /* PF_KTHREAD */
	PROC_UNK_NO_MM,   /* find_lock_task_mm() found no mm: zombie or exiting */
	PROC_UNK_ADJ_MIN, /* oom_score_adj == OOM_SCORE_ADJ_MIN */
	PROC_UNK_KERNEL,  /* the kernel says 0 although we count memory: vfork child or reaped */
	PROC_UNK_UNKNOWN, /* we could not read enough to tell */
};

/* The fields of /proc/PID/status that oomtop uses (a pure parse result). */
struct proc_status {
	char name[64]; /* Name:, unescaped */
	char state;    /* first letter of State: */
	pid_t ppid;
	uid_t uid;          /* effective uid, the second field of Uid: */
	uid_t ruid;         /* real uid, the first: who started the process (pgrep -U) */
	uid_t suid;         /* saved uid, the third */
	int kthread;        /* Kthread: (6.4+), -1 when the line is absent */
	bool cap_sys_admin; /* CapEff: has CAP_SYS_ADMIN (the root bonus of kernels before 4.17) */
	bool has_mm;        /* the Vm* lines are only there for tasks with an mm */
	int threads;        /* Threads:, 0 when the line is absent */
	unsigned long anon_kib, file_kib, shmem_kib, swap_kib, pte_kib;
	bool rss_vmrss; /* no Rss* lines (before 4.5): anon_kib is VmRSS, the whole rss */
};

/* The fields of /proc/PID/stat that oomtop uses. */
struct proc_stat {
	char comm[64];
	char state;
	pid_t ppid;
	unsigned long flags;
	unsigned long long start_ticks;
	bool has_rss;
	unsigned long rss_pages; /* field 24: get_mm_rss(), the approximate counters */
};

/* One process: only what was read from /proc (its place in a domain is a struct rank_row's). */
struct proc_record {
	pid_t pid;
	pid_t ppid;
	uid_t uid;  /* effective */
	uid_t ruid; /* real: whose process it is for the writer's owner rules */
	char comm[64];
	char state;
	bool kthread;
	bool has_mm;
	bool global_init;   /* pid 1 of the initial pid namespace */
	bool cap_sys_admin; /* CAP_SYS_ADMIN in CapEff (has_capability_noaudit() before 4.17) */
	int oom_score_adj;
	long oom_score; /* the kernel's value, when PROC_HAVE_SCORE */
	unsigned long anon_kib, file_kib, shmem_kib, swap_kib, pte_kib;
	bool rss_vmrss; /* status had no Rss* lines (before 4.5): anon_kib is VmRSS, file and shmem 0 */
	unsigned long long start_ticks;
	char *cmdline; /* owned by the table; argv joined by spaces */
	size_t cmdline_len;
	unsigned known;                 /* enum proc_known bits */
	int read_errno;                 /* why a field is unknown (EACCES under hidepid) */
	unsigned long kernel_rss_pages; /* when PROC_HAVE_KRSS: rss as oom_badness() reads it */
	pid_t mm_tid;                   /* a live thread whose memory is the process's (exited leader), or 0 */
};

struct proc_table;

/* Pure parsers: text in, fields out; 0 or -EINVAL. */
int proc_parse_status(const char *buf, size_t len, struct proc_status *st);
int proc_parse_stat(const char *buf, size_t len, struct proc_stat *st);
int proc_parse_long(const char *buf, size_t len, long min, long max, long *out);
size_t proc_join_cmdline(char *buf, size_t len);
void proc_unescape_name(const char *in, size_t len, char *out, size_t outsz);
bool proc_kernel_counts_approx(const char *release);
unsigned long proc_count_error_pages(long ncpus);

/* The memory of a record in the units oom_badness() counts. */
void proc_badness_mem(const struct proc_record *rec, unsigned long page_kib, struct badness_mem *mem);
void proc_badness_task(const struct proc_record *rec, unsigned long page_kib, struct badness_task *task);
enum proc_unkillable proc_unkillable(const struct proc_record *rec);
const char *proc_unkillable_text(enum proc_unkillable why);

struct proc_table *proc_table_new(void);
void proc_table_free(struct proc_table *t);
int proc_scan(struct proc_table *t);
int proc_scan_pids(struct proc_table *t, const pid_t *pids, size_t n);
size_t proc_table_len(const struct proc_table *t);
struct proc_record *proc_table_at(struct proc_table *t, size_t i);
struct proc_record *proc_table_find(struct proc_table *t, pid_t pid);
size_t proc_table_unreadable(const struct proc_table *t, int *first_errno);
int proc_read_cmdline(struct proc_table *t, struct proc_record *rec);
int proc_read_cmdline_at(int dirfd, const char *name, char **out, size_t *len);
int proc_read_score(struct proc_table *t, struct proc_record *rec);
int proc_read_start(struct proc_table *t, struct proc_record *rec);
int proc_read_record(struct proc_table *t, struct proc_record *rec);
int proc_scan_update(struct proc_table *t, bool (*stale)(const struct proc_record *rec, void *arg), void *arg);
int proc_scan_pid_set(struct proc_table *t, const pid_t *sorted, size_t n);
int proc_read_kernel_rss(struct proc_table *t, struct proc_record *rec);
bool proc_table_counts_approx(const struct proc_table *t);
bool proc_table_release_counts_approx(const struct proc_table *t);
void proc_table_set_counts_approx(struct proc_table *t, bool approx);
int proc_read_stat_rss(struct proc_table *t, const struct proc_record *rec, unsigned long *pages);
enum badness_model proc_table_model(const struct proc_table *t);
enum badness_tie proc_table_tie(const struct proc_table *t);

/* How /proc hides processes: its hidepid= mount option (fs/proc/root.c, enum proc_hidepid). */
enum {
	PROC_HIDEPID_OFF = 0,
	PROC_HIDEPID_NOACCESS = 1,   /* other users' /proc/PID cannot be read */
	PROC_HIDEPID_INVISIBLE = 2,  /* ... and is not listed */
	PROC_HIDEPID_PTRACEABLE = 4, /* only the processes one may ptrace are listed */
};

struct proc_hidepid {
	int mode;      /* PROC_HIDEPID_* */
	bool have_gid; /* gid=: that group sees everything */
	unsigned gid;
	bool hides; /* the mode hides processes from this process (not root, not in gid=) */
};

struct strbuf;
int proc_parse_mountinfo_hidepid(const char *text, size_t len, struct proc_hidepid *out);
int proc_hidepid_read(struct proc_hidepid *out);
const char *proc_hidepid_text(int mode);
void proc_partial_reason(struct strbuf *sb, const struct proc_hidepid *hp, size_t unreadable, int unreadable_errno);

#endif
