/*
 * Why a process has its OOM score and what would change it: the breakdown of
 * its badness, its rank in every OOM domain it belongs to, the oom_score_adj
 * that would make it (or stop it being) the next victim, the protection it
 * inherited and the settings that change who dies.  explain_compute() does
 * the work; explainfmt.h writes its text (which both `oomtop explain` and
 * the live view show) and its JSON.
 */
#ifndef OOMTOP_EXPLAIN_H
#define OOMTOP_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cgroup.h"
#include "domain.h"
#include "model.h"
#include "proc.h"
#include "strbuf.h"
#include "units.h"
#include "workload.h"

/* A process next to the explained one in a ranking. */
struct explain_peer {
	bool present;
	pid_t pid;
	char comm[64];
	long badness;
	unsigned long margin_pages; /* how far its badness is from the explained one's */
};

/* The explained process in one OOM domain. */
struct explain_rank {
	bool global;
	char domain[CGROUP_PATH_MAX]; /* "global" or the cgroup that holds the limit */
	int version;                  /* the cgroup's hierarchy, 0 for global */
	unsigned long limit_pages;    /* the cgroup's memory limit; 0 for global */
	unsigned long totalpages;
	long badness;      /* BADNESS_UNKILLABLE when never chosen */
	long adj_pages;    /* oom_score_adj * (totalpages / 1000) */
	size_t rank;       /* 1 = the next victim; 0 when not killable */
	size_t candidates; /* killable processes in the domain */
	size_t would_rank; /* for oom_score_adj -1000: the rank it would have at 0 */
	struct explain_peer above, below;
	/* the oom_score_adj that makes it the first victim (rank > 1) or no longer the first (rank 1) */
	bool have_adj_first, have_adj_stop;
	int adj_first;
	int adj_stop;
	int adj_first_err;               /* -ERANGE: not even 1000; -EDOM: adj has no weight here */
	int adj_stop_err;                /* -EDOM: only -1000; -ENOENT: no other candidate, only -1000 */
	bool oom_kill_disable;           /* v1: the domain kills nobody */
	char oom_group[CGROUP_PATH_MAX]; /* v2: the cgroup killed as a whole with it, "" for none */
	pid_t victim;                    /* the domain's first victim, 0 when none */
	char victim_comm[64];
	bool dies_with_victim;        /* another process's group kill here takes this one too */
	unsigned long long oom_kills; /* kills this domain has seen (cgroups only) */
	bool have_oom_kills;
};

/* One process up the parent chain that has the same oom_score_adj. */
struct explain_link {
	pid_t pid;
	char comm[64];
};

struct explain {
	pid_t pid;
	char comm[64];
	char state;
	pid_t ppid;
	int oom_score_adj;
	bool have_score;
	long oom_score; /* the kernel's /proc/PID/oom_score */
	unsigned long oom_score_computed;
	enum proc_unkillable why;
	bool killable;
	pid_t mm_tid; /* its leader exited; the memory is this thread's */
	/* what oom_badness() adds up, in pages */
	unsigned long anon_pages, file_pages, shmem_pages, swap_pages, pgtables_pages;
	bool rss_vmrss; /* status had no Rss* lines (before 4.5): anon_pages is VmRSS, the whole rss */
	bool have_kernel_rss;
	unsigned long kernel_rss_pages; /* rss as the OOM killer counts it, where it differs from status */
	unsigned long base_pages;       /* rss + swap + page tables */
	long badness;                   /* in the global domain */
	long adj_pages;
	double share; /* of the global totalpages, in percent */
	unsigned long page_kib;
	unsigned long count_error_pages; /* how far status may be from the kernel's counters; 0 if exact */
	bool have_cgroup;
	int cgroup_version;
	char cgroup[CGROUP_PATH_MAX];
	bool have_workload;
	struct workload workload; /* what the process belongs to (workload.h) */
	bool have_unit_decl;      /* a service's unit files were read (units_declared()) */
	struct units_decl unit_decl;
	struct units_owner owner;   /* who sets its oom_score_adj, as far as files on disk tell */
	struct explain_rank *ranks; /* [0] global, then each limited cgroup, innermost first */
	size_t nranks;
	struct explain_link *chain; /* parent, grandparent... with the same adj; the last set it */
	size_t nchain;
	int panic_on_oom, oom_kill_allocating_task, oom_dump_tasks;
	/* some processes are hidden or unreadable (hidepid=): ranks and counts are of those seen */
	bool partial;
	char partial_reason[512];
	struct proc_hidepid hidepid;
	struct model_check check; /* the model, checked on the oom_score of the process and its neighbours */
};

int explain_compute(pid_t pid, struct explain *e);
void explain_free(struct explain *e);
int explain_adj_first(unsigned long base, long target, bool wins_ties, unsigned long totalpages, int *adj);
int explain_adj_stop(unsigned long base, long target, bool wins_ties, unsigned long totalpages, int *adj);

#endif
