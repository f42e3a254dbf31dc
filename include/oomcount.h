/* The OOM counters the kernel keeps: /proc/vmstat oom_kill and per memory cgroup. */
#ifndef OOMTOP_OOMCOUNT_H
#define OOMTOP_OOMCOUNT_H

#include <stdbool.h>
#include <stddef.h>

/* The counters of one memory cgroup; KLOG-style -1 where that version has none. */
struct oomcount_cg {
	char *path;                 /* owned; relative to the hierarchy's root, "/" for the root */
	int version;                /* 1 or 2 */
	long long oom;              /* v2 memory.events: times the limit was hit and the OOM killer ran */
	long long oom_kill;         /* v2 memory.events / v1 memory.oom_control (4.13+) */
	long long oom_group_kill;   /* v2 memory.events (5.19+) */
	long long under_oom;        /* v1 memory.oom_control */
	long long oom_kill_disable; /* v1 memory.oom_control */
};

/* Everything oomcount_read found. */
struct oomcount {
	bool have_vmstat;
	unsigned long vmstat_oom_kill;
	char *v1_root, *v2_root; /* owned; NULL without that hierarchy */
	struct oomcount_cg *cgs; /* owned; only cgroups with a non-zero counter */
	size_t n;
};

unsigned long oomcount_backed(unsigned long start, unsigned long now, unsigned long logged);
int oomcount_parse_key(const char *text, const char *key, long long *v);
int oomcount_read(struct oomcount *c);
void oomcount_free(struct oomcount *c);

#endif
