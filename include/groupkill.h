/*
 * Group kills: when the first victim of an OOM domain sits under a cgroup v2
 * with memory.oom.group set, the kernel kills every process of the highest
 * such cgroup up to the domain (mm/memcontrol.c mem_cgroup_get_oom_group()),
 * except those at oom_score_adj -1000 and init (mm/oom_kill.c
 * oom_kill_memcg_member()).  groupkill_predict() names that set.
 */
#ifndef OOMTOP_GROUPKILL_H
#define OOMTOP_GROUPKILL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cgroup.h"
#include "domain.h"
#include "proc.h"
#include "rank.h"

/* The processes that die with a domain's first victim; groupkill_free() releases it. */
struct groupkill {
	bool found;                 /* the victim's kill is a group kill */
	char path[CGROUP_PATH_MAX]; /* the cgroup that dies as a whole */
	pid_t victim;
	pid_t *pids; /* owned, sorted: every process that dies, the victim among them */
	size_t n;
};

int groupkill_find_cgroup(const struct cgroup_hier *h, const char *cgroup, const char *top, char *out, size_t size);
int groupkill_predict(struct proc_table *t, const struct ranking *r, const struct domain *d, struct groupkill *g);
bool groupkill_has(const struct groupkill *g, pid_t pid);
void groupkill_free(struct groupkill *g);

#endif
