/*
 * The machine's OOM posture: the vm sysctls that decide what an OOM does,
 * memory and commit figures, the OOM kill count, memory pressure, the
 * processes no OOM may kill (and how many only inherited that), the next
 * victim of a global OOM, and the warnings that follow from them.
 * status_compute() gathers; statusfmt.c and promfmt.c format.
 */
#ifndef OOMTOP_STATUS_H
#define OOMTOP_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "groupkill.h"
#include "klog.h"
#include "model.h"
#include "sysmem.h"
#include "units.h"
#include "workload.h"

struct proc_table;

/* A process with oom_score_adj -1000. */
struct status_protected {
	pid_t pid;
	char comm[64];
	pid_t origin; /* the topmost ancestor it inherited -1000 from; 0 when it has its own */
	char origin_comm[64];
};

#define STATUS_FIRST_VICTIMS 10 /* the victims whose workloads status lists */
#define STATUS_MAX_UNITS 1024   /* services audited, declared against held */
#define STATUS_UNIT_WARNINGS 4  /* units warned about by name; the rest are counted */

/* A system service, what its unit files declare for OOMScoreAdjust= and what its processes hold. */
struct status_unit {
	char unit[WORKLOAD_NAME_MAX];
	struct units_decl decl;
	struct units_audit audit;
	pid_t origin; /* the process that differs inherited its value from here (the topmost with it); 0: its own */
	char origin_comm[64];
};

/* A workload among the first victims of a global OOM: how many of them, and the rank of its first. */
struct status_workload {
	struct workload w;
	size_t first_rank; /* 1 = the next victim */
	size_t processes;  /* of the first STATUS_FIRST_VICTIMS */
};

/* A memory cgroup with a limit: its OOM kill count, its headroom and the first victim of an OOM there. */
struct status_cgroup {
	char *path; /* hierarchy path, owned */
	bool have_oom_kills;
	unsigned long long oom_kills; /* v2 memory.events, v1 memory.oom_control oom_kill */
	unsigned long usage_pages;    /* memory.current, v1 memory.usage_in_bytes */
	unsigned long limit_pages;    /* memory.max, v1 memory.limit_in_bytes (memsw's when it is the only one) */
	unsigned long totalpages;     /* of the domain: what oom_badness() divides by there */
	bool have_victim;             /* ranked by status_cgroup_domains(), a killable member found */
	long victim_badness;          /* in this domain: adj counts adj * totalpages / 1000 */
	int victim_adj;
	char victim_comm[64];
};

/* A memory cgroup that no longer exists, and the OOM kills of its processes the kernel log still holds. */
struct status_gone {
	char *path; /* owned */
	unsigned long long kills;
};

#define STATUS_MAX_WARNINGS 16
#define STATUS_MAX_CGROUPS 4096
#define STATUS_MAX_CGROUPS_DEFAULT 50 /* status --max-cgroups: cgroups listed in metrics, the rest "other" */

struct status {
	struct sysmem mem;
	bool have_oom_kills;
	unsigned long oom_kills;
	/* vm sysctls, -1 when unreadable */
	long panic_on_oom, oom_kill_allocating_task, oom_dump_tasks;
	long overcommit_memory, overcommit_ratio, overcommit_kbytes;
	bool have_psi;
	struct psi psi;
	struct status_protected *protected_procs;
	size_t nprotected, ninherited;
	size_t nprocs, nkillable;
	bool have_victim;
	pid_t victim_pid;
	char victim_comm[64];
	long victim_badness;
	long victim_score;
	struct model_check check; /* the model, checked on the first rows' oom_score */
	int victim_adj;
	unsigned long victim_rss_kib;
	struct groupkill group; /* owned: who dies with the next victim (memory.oom.group, v2) */
	bool have_victim_workload;
	struct workload victim_workload;
	struct status_workload first_workloads[STATUS_FIRST_VICTIMS]; /* in the order of their first victim */
	size_t nfirst_workloads;
	struct status_unit *units; /* services that declare OOMScoreAdjust= or hold another value than 0, by name */
	size_t nunits;
	char *warnings[STATUS_MAX_WARNINGS];
	size_t nwarnings;
	/* some processes are hidden (hidepid=) or unreadable: the counts and the victim are of those seen */
	bool partial;
	char partial_reason[512];
	bool have_cgroups; /* the memory hierarchy was found and walked */
	/* limited cgroups in pre-order; after status_cgroup_domains() by usage, largest first */
	struct status_cgroup *cgroups;
	size_t ncgroups;
	size_t max_cgroups; /* status --max-cgroups: named in the metrics, the rest summed as "other" */
	size_t nlisted;     /* status_cgroup_sort(): the first nlisted are named, the rest are "other" */
	/* the kills of cgroups that no longer exist, from the kernel log (status_gone_kills()), most first */
	bool have_klog;
	bool klog_complete; /* the log still holds its first record since boot: nothing was overwritten */
	struct status_gone *gone;
	size_t ngone;
	unsigned long long gone_dropped; /* kills of removed cgroups beyond STATUS_MAX_CGROUPS names */
	struct proc_table *table;        /* owned: the scan of status_compute(), for status_cgroup_domains() */
};

void status_warnings(struct status *s);
const char *status_overcommit_text(long mode);
int status_compute(struct status *s);
int status_cgroup_kills(struct status *s);
double status_cgroup_usage_ratio(const struct status_cgroup *c);
void status_cgroup_sort(struct status *s);
size_t status_cgroup_nearest(const struct status *s);
int status_cgroup_domains(struct status *s);
const char *status_kill_cgroup(const struct klog_event *ev);
void status_gone_add(struct status *s, const char *path);
void status_gone_sort(struct status *s);
int status_gone_kills(struct status *s);
void status_free(struct status *s);

#endif
