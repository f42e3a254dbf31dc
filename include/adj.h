/*
 * The writer: the only code that writes /proc/PID/oom_score_adj or the legacy
 * /proc/PID/oom_adj.  A process is identified once, by opening its /proc/PID
 * directory; every later read and the write go through that descriptor, so a
 * process that exits can never be confused with a new one that takes its PID.
 */
#ifndef OOMTOP_ADJ_H
#define OOMTOP_ADJ_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "strbuf.h"

/* Which file, and so which scale, a value is in. */
enum adj_unit {
	ADJ_SCORE,  /* oom_score_adj, -1000..1000 */
	ADJ_LEGACY, /* oom_adj, -17..15 (-17 = OOM_DISABLE) */
};

/*
 * What fs/proc/base.c does with oom_adj and oom_score_adj, where it changed
 * between kernels (adj_rules_for_release(); read in the source of 2.6.37,
 * 2.6.38, 3.6.5, 3.7.2, 3.13.10, 4.7.4, 4.8.15, 5.9.4 and 5.10.7).
 */
enum adj_legacy_read {
	ADJ_LEGACY_KEPT,    /* 2.6.36-3.6: signal->oom_adj is kept apart: what was written to it, or after
			       a write of oom_score_adj, -17 for -1000, else score * 15 / 1000 */
	ADJ_LEGACY_VIEW,    /* 3.7-5.9: a view of oom_score_adj: 15 for 1000, else score * 17 / 1000 (942..999: 16) */
	ADJ_LEGACY_CLAMPED, /* 5.10 on: the view, never above 15 */
};

struct adj_rules {
	enum adj_legacy_read legacy;
	/* 2.6.38 on: oom_score_adj may go down to oom_score_adj_min without CAP_SYS_RESOURCE (before: not below
	   its current value); a writer with CAP_SYS_RESOURCE sets the minimum to what it writes */
	bool score_min;
	/* 4.8 on: __set_oom_adj() also sets every other process that shares the memory (not vfork children,
	   kernel threads or init), and its minimum too */
	bool mm_shared;
};

/* What was read about a process through its pinned /proc/PID directory. */
struct adj_ident {
	pid_t pid;
	pid_t ppid;
	uid_t uid;  /* effective uid: the owner of /proc/PID */
	uid_t ruid; /* real uid: who started it (a setuid program keeps its caller's) */
	uid_t suid; /* saved uid */
	char comm[64];
	char state;
	bool kthread;                   /* PF_KTHREAD */
	unsigned long long start_ticks; /* stat field 22: the identity beside the pid */
};

#define ADJ_SHARERS_MAX 8

/* Another process whose value the kernel changed with the target's: it shares its memory. */
struct adj_sharer {
	pid_t pid;
	char comm[64];
};

/* One identified process; opaque, owned by the caller, released by adj_close(). */
struct adj_proc;

/* What the caller asks adj_set() for. */
struct adj_request {
	enum adj_unit unit;
	int value;       /* in unit */
	bool dry_run;    /* decide and report, write nothing, log nothing */
	const char *cmd; /* the command asking, for the log: "set", "protect"... */
	/* do not look for the other processes that share its memory (4.8+: the kernel writes them too): that
	   look lists every process, which a daemon writing as processes start cannot pay each time */
	bool no_sharers;
	/* where to look for them: the pids of the caller's scan of /proc (borrowed), so that a run of many
	   writes lists /proc once; NULL: each write lists /proc itself */
	const pid_t *peers;
	size_t npeers;
};

/*
 * The outcome of adj_set(), enough to print one line about it (adjfmt_result).
 * err is 0 or one of:
 *   -ENOENT     no such process (adj_open)
 *   -ESRCH      the process exited after it was identified, or its PID now
 *               belongs to another process (start time differs)
 *   -EPERM      not the owner: the kernel refused to open the file for writing
 *   -EACCES     the kernel refused the value: below oom_score_adj_min
 *               (oom_score_adj) or below the current value (oom_adj), and the
 *               writer lacks CAP_SYS_RESOURCE (fs/proc/base.c __set_oom_adj)
 *   -ERANGE     the value is out of range for its unit
 *   -EOPNOTSUPP a kernel thread: never written
 *   -ENODEV     this kernel has neither file (or no oom_adj for --legacy)
 *   -EIO        the value read back is not the one written (a concurrent writer)
 *   other       as strerror() says
 */
struct adj_result {
	struct adj_ident id;
	int err;
	enum adj_unit unit; /* what was written: ADJ_LEGACY also after a fallback */
	bool fallback;      /* no oom_score_adj here (before Linux 2.6.36): wrote oom_adj */
	bool converted;     /* after a fallback: requested was an oom_score_adj, converted */
	bool legacy_kept;   /* the kernel keeps oom_adj apart (before 3.7): writing it may change only it */
	bool no_score_min;  /* the kernel has no oom_score_adj_min (before 2.6.38): any lowering is refused */
	bool have_old;      /* the old value could be read */
	bool changed;       /* a write happened (false: unchanged, failed, dry run) */
	bool dry_run;
	bool exited_after_write;    /* written, then the process exited before the read-back: still a success */
	bool pid_reused;            /* -ESRCH: the PID was found on a process started later */
	int requested;              /* the value asked for, in the request's unit */
	int target_score;           /* the oom_score_adj the kernel will store (not after a fallback) */
	int target_legacy;          /* the oom_adj that will be written (unit ADJ_LEGACY) */
	int old_score, new_score;   /* oom_score_adj before and after (not after a fallback) */
	int old_legacy, new_legacy; /* oom_adj before and after (unit ADJ_LEGACY) */
	uid_t file_uid;             /* owner of the file that could not be opened (-EPERM) */
	uid_t self_uid;             /* the writer's effective uid */
	bool cap_sys_resource;      /* the writer holds CAP_SYS_RESOURCE */
	size_t nsharers;            /* processes sharing the target's mm that the write changed too */
	struct adj_sharer sharers[ADJ_SHARERS_MAX]; /* the first of them */
	const char *owner_name;                     /* borrowed from the users cache */
	const char *self_name;                      /* borrowed from the users cache */
};

int adj_open(pid_t pid, unsigned long long start_ticks, struct adj_proc **out);
int adj_open_at(int procfd, pid_t pid, unsigned long long start_ticks, struct adj_proc **out);
void adj_close(struct adj_proc *p);
const struct adj_ident *adj_proc_ident(const struct adj_proc *p);
const struct adj_rules *adj_proc_rules(const struct adj_proc *p);
int adj_read(struct adj_proc *p, int *score, int *legacy, bool *fallback);
int adj_read_cmdline(struct adj_proc *p, char **cmdline, size_t *len);
int adj_same_exe(struct adj_proc *p, dev_t dev, ino_t ino, bool *same);
int adj_exe_target(struct adj_proc *p, char *buf, size_t size, dev_t *dev);
int adj_read_argv0(struct adj_proc *p, char *buf, size_t size);
int adj_read_cgroup(struct adj_proc *p, char **buf, size_t *len);
int adj_set(struct adj_proc *p, const struct adj_request *req, struct adj_result *res);
int adj_set_pid(pid_t pid, unsigned long long start_ticks, const struct adj_request *req, struct adj_result *res);

/* Pure (src/adj_parse.c): ranges, parsing, each kernel's rules; the text of a result is adjfmt.h's. */
int adj_unit_min(enum adj_unit unit);
int adj_unit_max(enum adj_unit unit);
const char *adj_unit_file(enum adj_unit unit);
int adj_parse(const char *s, enum adj_unit unit, int *out);
bool adj_result_changes(const struct adj_result *res);
int adj_rules_for_release(const char *release, struct adj_rules *out);
void adj_rules_newest(struct adj_rules *out);
int adj_legacy_of_score(const struct adj_rules *r, int score);
int adj_legacy_after(const struct adj_rules *r, enum adj_unit unit, int value);
int adj_refusal(const struct adj_rules *r, enum adj_unit unit, int target_score, int target_legacy, int old_score,
		int old_legacy);

#endif
