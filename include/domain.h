/*
 * OOM domains: the machine (a global OOM) and every memory cgroup with a
 * limit (an OOM when it reaches the limit).  A domain knows its totalpages,
 * the processes it holds and the order the kernel evaluates them in.
 */
#ifndef OOMTOP_DOMAIN_H
#define OOMTOP_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cgroup.h"
#include "proc.h"
#include "sysmem.h"

struct domain {
	bool global;
	char path[CGROUP_PATH_MAX];  /* the cgroup that holds the limit; "/" for the global domain */
	int version;                 /* of the cgroup's hierarchy; 0 for the global domain */
	struct cgroup_limits limits; /* a cgroup domain's settings */
	unsigned long totalpages;
	pid_t *pids;          /* members sorted by pid; NULL for the global domain (everyone) */
	unsigned long *order; /* each member's evaluation order, parallel to pids */
	size_t n;
	size_t ncgroups;  /* cgroups walked */
	bool order_known; /* the order inside each cgroup is the kernel's (v2 cgroup.procs) */
};

unsigned long domain_order_key(size_t css_index, size_t position);
void domain_global(struct domain *d, const struct sysmem *mem);
int domain_cgroup(const struct cgroup_hier *h, const char *path, struct domain *d);
int domain_enclosing(const struct cgroup_hier *h, const char *path, struct domain **ds, size_t *n);
int domain_innermost(const struct cgroup_hier *h, const char *path, const struct sysmem *mem, struct domain *d);
int domain_list_limited(const struct cgroup_hier *h, struct domain **ds, size_t *n);
int domain_load(const struct cgroup_hier *h, struct domain *d);
bool domain_has(const struct domain *d, pid_t pid, unsigned long *order);
void domain_free(struct domain *d);
void domain_free_all(struct domain *ds, size_t n);

#endif
