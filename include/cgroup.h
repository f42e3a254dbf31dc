/*
 * Memory cgroups: where the memory controller's hierarchy is mounted (v1,
 * v2 or hybrid), what a cgroup's limit is, and which processes it holds.
 * The parsers are pure functions of text; the rest reads cgroupfs.
 */
#ifndef OOMTOP_CGROUP_H
#define OOMTOP_CGROUP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CGROUP_PATH_MAX 4096

/* One mount of a cgroup hierarchy, from /proc/self/mountinfo. */
struct cgroup_mount {
	int version;                /* 1 or 2; 0 when there is none */
	char root[CGROUP_PATH_MAX]; /* the cgroup shown at the mount's top, "/" mostly */
	char dir[CGROUP_PATH_MAX];  /* where it is mounted, unescaped */
};

/* What mountinfo offers: the v1 hierarchy that has the memory controller, and the v2 hierarchy. */
struct cgroup_mounts {
	struct cgroup_mount v1_memory;
	struct cgroup_mount v2;
};

/* A cgroup's memory settings, in pages where they are sizes (mm/memcontrol.c page counters). */
struct cgroup_limits {
	bool limited;             /* an OOM domain of its own */
	unsigned long max_pages;  /* v2 memory.max, v1 memory.limit_in_bytes */
	unsigned long swap_pages; /* v2 memory.swap.max, v1 memory.memsw.limit_in_bytes (memory+swap) */
	int swappiness;           /* v1 memory.swappiness, v2 vm.swappiness */
	bool oom_group;           /* v2 memory.oom.group */
	bool oom_kill_disable;    /* v1 memory.oom_control: OOM kills disabled, tasks wait */
	bool have_oom_kills;
	unsigned long long oom_kills; /* v2 memory.events oom_kill, v1 memory.oom_control oom_kill */
	unsigned long usage_pages;    /* memory.current / memory.usage_in_bytes */
};

/* The hierarchy that holds the memory controller on this machine. */
struct cgroup_hier {
	struct cgroup_mount m;
	unsigned long page_size;
	unsigned long total_swap_pages;
	int vm_swappiness;
};

/* PAGE_COUNTER_MAX on 64-bit (include/linux/page_counter.h): LONG_MAX / PAGE_SIZE pages means no limit. */
#define CGROUP_UNLIMITED(page_size) ((unsigned long)LONG_MAX / (page_size))

int cgroup_parse_mountinfo(const char *buf, size_t len, struct cgroup_mounts *out);
int cgroup_parse_proc(const char *buf, size_t len, int version, char *path, size_t size);
int cgroup_parse_limit(const char *buf, size_t len, unsigned long page_size, unsigned long *pages);
int cgroup_parse_pids(const char *buf, size_t len, pid_t **pids, size_t *n);
int cgroup_parse_keyed(const char *buf, size_t len, const char *key, unsigned long long *out);
int cgroup_clean_path(const char *in, char *out, size_t size);
int cgroup_rel_to_mount(const struct cgroup_mount *m, const char *path, const char **rel);
unsigned long cgroup_totalpages(int version, const struct cgroup_limits *l, unsigned long page_size,
				unsigned long total_swap_pages);
bool cgroup_path_within(const char *path, const char *ancestor);

int cgroup_hier_open(struct cgroup_hier *h, unsigned long page_size, unsigned long total_swap_pages);
int cgroup_other_hierarchy(const char *arg);
int cgroup_resolve(const struct cgroup_hier *h, const char *arg, char *path, size_t size);
int cgroup_dir(const struct cgroup_hier *h, const char *path, char *dir, size_t size);
int cgroup_read_limits(const struct cgroup_hier *h, const char *path, struct cgroup_limits *l);
int cgroup_of_pid(const struct cgroup_hier *h, pid_t pid, char *path, size_t size);
int cgroup_read_procs(const struct cgroup_hier *h, const char *path, pid_t **pids, size_t *n);
int cgroup_children(const struct cgroup_hier *h, const char *path, char ***names, size_t *n);
bool cgroup_has_memory_files(const struct cgroup_hier *h, const char *path);
bool cgroup_exists(const struct cgroup_hier *h, const char *path);
int cgroup_walk(const struct cgroup_hier *h, const char *top, int max_depth,
		int (*visit)(const char *path, int depth, void *arg), void *arg);
int cgroup_walk_up(const char *path, const char *top, int (*visit)(const char *path, void *arg), void *arg);

#endif
