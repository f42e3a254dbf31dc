/*
 * Predicting a group kill as a set: the cgroup memory.oom.group makes die
 * with a domain's first victim, and the processes in it the kernel kills.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "groupkill.h"
#include "sysroot.h"
#include "xalloc.h"

#define OOM_SCORE_ADJ_MIN (-1000)
#define GROUP_DEPTH_MAX 64 /* cgroups below the group's that are walked */

/* The search of groupkill_find_cgroup(). */
struct find_walk {
	const struct cgroup_hier *h;
	char *out;
	size_t size;
};

/* Notes the cgroup at path when it sets memory.oom.group (a higher one, visited later, wins); 0. */
static int find_visit(const char *path, void *arg)
{
	struct find_walk *f = arg;
	struct cgroup_limits l;

	if (cgroup_read_limits(f->h, path, &l) == 0 && l.oom_group)
		snprintf(f->out, f->size, "%s", path);
	return 0;
}

/*
 * Finds the cgroup that dies as a whole with a process of cgroup: the
 * highest between it and top (both included) that sets memory.oom.group,
 * cgroup v2 only, into out ("" when none); 0 or -errno of the walk.
 */
int groupkill_find_cgroup(const struct cgroup_hier *h, const char *cgroup, const char *top, char *out, size_t size)
{
	struct find_walk f = { h, out, size };

	out[0] = '\0';
	if (h->m.version != 2)
		return 0;
	return cgroup_walk_up(cgroup, top, find_visit, &f);
}

/* The walk that gathers the group's processes. */
struct members_walk {
	const struct cgroup_hier *h;
	struct proc_table *t;
	struct groupkill *g;
	size_t cap;
};

/* Returns whether the kernel kills pid in a group kill: not at -1000, not init, with memory. */
static bool dies(struct proc_table *t, pid_t pid)
{
	const struct proc_record *rec = proc_table_find(t, pid);
	char file[48];
	long adj;

	if (rec && (rec->known & PROC_HAVE_ADJ))
		return rec->oom_score_adj != OOM_SCORE_ADJ_MIN && !rec->global_init && rec->has_mm;
	/* not in the table (top -p scans only those): its value, read now */
	snprintf(file, sizeof(file), "/proc/%d/oom_score_adj", (int)pid);
	return sysroot_read_long(file, -1000, 1000, &adj) == 0 && adj != OOM_SCORE_ADJ_MIN && pid != 1;
}

/* Adds the processes of the cgroup at path that the kernel would kill; 0 (a cgroup that went is skipped). */
static int members_visit(const char *path, int depth, void *arg)
{
	struct members_walk *m = arg;
	pid_t *pids;
	size_t n;

	(void)depth;
	if (cgroup_read_procs(m->h, path, &pids, &n) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!dies(m->t, pids[i]))
			continue;
		if (m->g->n == m->cap) {
			m->cap = m->cap ? m->cap * 2 : 16;
			m->g->pids = xreallocarray(m->g->pids, m->cap, sizeof(*m->g->pids));
		}
		m->g->pids[m->g->n++] = pids[i];
	}
	free(pids);
	return 0;
}

/* Orders pids for qsort and bsearch. */
static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/*
 * Predicts whether the OOM of domain d kills a group with its first victim
 * in r, and whom (into g, which the caller frees with groupkill_free(), also
 * on error); 0, or -errno from reading the hierarchy (then nothing is found).
 */
int groupkill_predict(struct proc_table *t, const struct ranking *r, const struct domain *d, struct groupkill *g)
{
	const struct rank_row *victim = rank_victim(r);
	struct cgroup_hier h;
	char cg[CGROUP_PATH_MAX];
	struct members_walk m = { &h, t, g, 0 };
	int err;

	memset(g, 0, sizeof(*g));
	if (!victim)
		return 0;
	err = cgroup_hier_open(&h, r->page_kib * 1024, 0);
	if (err < 0 || h.m.version != 2)
		return err == -ENOENT ? 0 : err;
	err = cgroup_of_pid(&h, victim->rec->pid, cg, sizeof(cg));
	if (err < 0)
		return err;
	err = groupkill_find_cgroup(&h, cg, d->global ? "/" : d->path, g->path, sizeof(g->path));
	if (err < 0 || !g->path[0])
		return err;
	g->found = true;
	g->victim = victim->rec->pid;
	err = cgroup_walk(&h, g->path, GROUP_DEPTH_MAX, members_visit, &m);
	qsort(g->pids, g->n, sizeof(*g->pids), cmp_pid);
	return err < 0 ? err : 0;
}

/* Returns whether pid dies in the group kill g. */
bool groupkill_has(const struct groupkill *g, pid_t pid)
{
	return g->found && g->n && bsearch(&pid, g->pids, g->n, sizeof(pid), cmp_pid);
}

/* Releases what g owns. */
void groupkill_free(struct groupkill *g)
{
	free(g->pids);
	memset(g, 0, sizeof(*g));
}
