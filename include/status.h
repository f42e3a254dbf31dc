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

#include "model.h"
#include "sysmem.h"

/* A process with oom_score_adj -1000. */
struct status_protected {
	pid_t pid;
	char comm[64];
	pid_t origin; /* the topmost ancestor it inherited -1000 from; 0 when it has its own */
	char origin_comm[64];
};

/* A memory cgroup with a limit and its OOM kill count. */
struct status_cgroup {
	char *path; /* hierarchy path, owned */
	unsigned long long oom_kills;
};

#define STATUS_MAX_WARNINGS 16
#define STATUS_MAX_CGROUPS 4096

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
	char *warnings[STATUS_MAX_WARNINGS];
	size_t nwarnings;
	/* some processes are hidden (hidepid=) or unreadable: the counts and the victim are of those seen */
	bool partial;
	char partial_reason[512];
	bool have_cgroups;             /* the memory hierarchy was found and walked */
	struct status_cgroup *cgroups; /* limited cgroups in pre-order */
	size_t ncgroups;
};

void status_warnings(struct status *s);
const char *status_overcommit_text(long mode);
int status_compute(struct status *s);
int status_cgroup_kills(struct status *s);
void status_free(struct status *s);

#endif
