/*
 * OOM domains.  A memory cgroup OOM (mm/memcontrol.c try_charge_memcg() ->
 * mem_cgroup_oom()) evaluates the tasks of the cgroup that reached its limit
 * and of all its descendants, with totalpages = mem_cgroup_get_max() of that
 * cgroup.  mem_cgroup_scan_tasks() walks the cgroups in pre-order
 * (css_next_descendant_pre(): a cgroup, then each child in the order it was
 * created) and inside each the processes its css_task_iter yields (join
 * order).  select_bad_process() keeps the last of equal candidates (the
 * first before 5.3: badness_tie), so the walk's order decides ties:
 * domain_order grows along it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain.h"
#include "xalloc.h"

#define WALK_MAX_DEPTH 256

/*
 * Returns the evaluation order of the process at 1-based position in the
 * kernel's task list of the css_index-th css of the pre-order walk (0 when
 * its place inside the css is unknown: then start time decides).
 */
unsigned long domain_order_key(size_t css_index, size_t position)
{
	unsigned shift = (unsigned)(sizeof(unsigned long) * 4);
	unsigned long mask = (1UL << shift) - 1;

	return ((unsigned long)css_index << shift) | ((unsigned long)position & mask);
}

/* Sets d to the global domain: every process, totalpages = RAM + swap. */
void domain_global(struct domain *d, const struct sysmem *mem)
{
	memset(d, 0, sizeof(*d));
	d->global = true;
	strcpy(d->path, "/");
	d->totalpages = mem->totalpages;
}

/* Sets d to the domain of the cgroup at path (limited or not), without members; 0 or -errno. */
int domain_cgroup(const struct cgroup_hier *h, const char *path, struct domain *d)
{
	int err;

	memset(d, 0, sizeof(*d));
	if (strlen(path) >= sizeof(d->path))
		return -ENAMETOOLONG;
	strcpy(d->path, path);
	d->version = h->m.version;
	err = cgroup_read_limits(h, path, &d->limits);
	if (err < 0)
		return err;
	d->totalpages = cgroup_totalpages(h->m.version, &d->limits, h->page_size, h->total_swap_pages);
	return 0;
}

/* The domains found so far by a walk over cgroups. */
struct domain_list {
	const struct cgroup_hier *h;
	struct domain *a;
	size_t n;
};

/* Appends the cgroup at path to the list if it has a limit; 0, or -errno when it cannot be read. */
static int list_add_limited(const char *path, void *arg)
{
	struct domain_list *l = arg;
	struct domain d;
	int err = domain_cgroup(l->h, path, &d);

	if (err < 0)
		return err;
	if (d.limits.limited) {
		l->a = xreallocarray(l->a, l->n + 1, sizeof(*l->a));
		l->a[l->n++] = d;
	}
	return 0;
}

/*
 * Lists the OOM domains a process of the cgroup at path belongs to besides
 * the global one: every cgroup with a limit from path up to the top of the
 * mount, innermost first.  The caller frees them with domain_free_all().
 * 0 or -errno.
 */
int domain_enclosing(const struct cgroup_hier *h, const char *path, struct domain **ds, size_t *n)
{
	struct domain_list l = { .h = h };
	int err = cgroup_walk_up(path, h->m.root, list_add_limited, &l);

	if (err < 0) {
		domain_free_all(l.a, l.n);
		return err;
	}
	*ds = l.a;
	*n = l.n;
	return 0;
}

/*
 * Sets d to the OOM domain a process of the cgroup at path meets first: the
 * innermost cgroup with a limit from path up, else the global domain (of
 * mem); without members.  0 or -errno.
 */
int domain_innermost(const struct cgroup_hier *h, const char *path, const struct sysmem *mem, struct domain *d)
{
	struct domain *ds = NULL;
	size_t n = 0;
	int err = domain_enclosing(h, path, &ds, &n);

	if (err < 0)
		return err;
	if (n == 0) {
		domain_global(d, mem);
	} else {
		*d = ds[0];
		ds[0].pids = NULL;
		ds[0].order = NULL;
	}
	domain_free_all(ds, n);
	return 0;
}

/* Adds a limited cgroup of the walk; a cgroup below the top that cannot be read is left out with its children. */
static int list_visit(const char *path, int depth, void *arg)
{
	int err = list_add_limited(path, arg);

	return err < 0 && depth > 0 ? 1 : err;
}

/*
 * Lists every memory cgroup with a limit of its own (each an OOM domain),
 * in the kernel's pre-order (a cgroup before its children, children in
 * creation order), without members; the caller frees them with
 * domain_free_all().  0 or -errno of the hierarchy's top.
 */
int domain_list_limited(const struct cgroup_hier *h, struct domain **ds, size_t *n)
{
	struct domain_list l = { .h = h };
	int err = cgroup_walk(h, h->m.root, WALK_MAX_DEPTH, list_visit, &l);

	if (err < 0) {
		domain_free_all(l.a, l.n);
		return err;
	}
	*ds = l.a;
	*n = l.n;
	return 0;
}

/* The state of a pre-order walk over a domain's cgroups. */
struct walk {
	const struct cgroup_hier *h;
	pid_t *pids;
	size_t *css; /* the css each member was found in */
	size_t *pos; /* its 1-based place in that css's list, 0 unknown */
	size_t n, cap;
	size_t ncss;
	bool *mixed; /* css whose task list mixes several cgroups (v2 without +memory below) */
	size_t mixed_cap;
	size_t ncgroups;
	size_t css_at[WALK_MAX_DEPTH + 1]; /* the css of the cgroup being visited at each depth */
};

/* Appends one member to the walk. */
static void walk_add(struct walk *w, pid_t pid, size_t css, size_t pos)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->pids = xreallocarray(w->pids, w->cap, sizeof(*w->pids));
		w->css = xreallocarray(w->css, w->cap, sizeof(*w->css));
		w->pos = xreallocarray(w->pos, w->cap, sizeof(*w->pos));
	}
	w->pids[w->n] = pid;
	w->css[w->n] = css;
	w->pos[w->n++] = pos;
}

/* Marks the task list of css as one that holds more than one cgroup. */
static void walk_mark_mixed(struct walk *w, size_t css)
{
	if (css >= w->mixed_cap) {
		size_t cap = css * 2 + 16;
		w->mixed = xreallocarray(w->mixed, cap, sizeof(*w->mixed));
		memset(w->mixed + w->mixed_cap, 0, (cap - w->mixed_cap) * sizeof(*w->mixed));
		w->mixed_cap = cap;
	}
	w->mixed[css] = true;
}

/*
 * Adds the processes of the cgroup at path to the walk.  In v2 a cgroup
 * without the memory controller (its parent's subtree_control lacks
 * +memory) has no css of its own: its tasks are walked as part of the
 * nearest ancestor's css, in an order userspace cannot see.  Returns 0.
 */
static int walk_visit(const char *path, int depth, void *arg)
{
	struct walk *w = arg;
	bool own = depth == 0 || cgroup_has_memory_files(w->h, path);
	size_t css = own ? w->ncss++ : w->css_at[depth - 1], npids = 0;
	pid_t *pids = NULL;

	w->css_at[depth] = css;
	if (!own)
		walk_mark_mixed(w, css);
	w->ncgroups++;
	if (cgroup_read_procs(w->h, path, &pids, &npids) == 0) {
		for (size_t i = 0; i < npids; i++)
			walk_add(w, pids[i], css, own ? i + 1 : 0);
		free(pids);
	}
	return 0;
}

struct member {
	pid_t pid;
	unsigned long order;
};

/* qsort order of members: by pid. */
static int cmp_member(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/*
 * Finds the processes of a cgroup domain (the cgroup and all descendants)
 * and the kernel's order of evaluating them; 0 or -errno (-ENOENT: the
 * cgroup is gone).  The global domain needs no loading.
 */
int domain_load(const struct cgroup_hier *h, struct domain *d)
{
	struct walk w = { .h = h };
	struct member *m;
	size_t k = 0;

	if (d->global)
		return 0;
	if (!cgroup_exists(h, d->path))
		return -ENOENT;
	cgroup_walk(h, d->path, WALK_MAX_DEPTH, walk_visit, &w);
	/* v1 lists cgroup.procs sorted by pid (kernel/cgroup/cgroup-v1.c pidlist), not in the kernel's order */
	d->order_known = h->m.version == 2;
	m = xcalloc(w.n ? w.n : 1, sizeof(*m));
	for (size_t i = 0; i < w.n; i++) {
		bool unknown = !d->order_known || (w.css[i] < w.mixed_cap && w.mixed[w.css[i]]);
		m[i].pid = w.pids[i];
		m[i].order = domain_order_key(w.css[i], unknown ? 0 : w.pos[i]);
	}
	qsort(m, w.n, sizeof(*m), cmp_member);
	free(d->pids);
	free(d->order);
	d->pids = xcalloc(w.n ? w.n : 1, sizeof(*d->pids));
	d->order = xcalloc(w.n ? w.n : 1, sizeof(*d->order));
	for (size_t i = 0; i < w.n; i++) {
		if (k && d->pids[k - 1] == m[i].pid)
			continue; /* moved between two cgroups during the walk */
		d->pids[k] = m[i].pid;
		d->order[k++] = m[i].order;
	}
	d->n = k;
	d->ncgroups = w.ncgroups;
	free(m);
	free(w.pids);
	free(w.css);
	free(w.pos);
	free(w.mixed);
	return 0;
}

/* Returns whether pid is in the domain, and its evaluation order in *order. */
bool domain_has(const struct domain *d, pid_t pid, unsigned long *order)
{
	size_t lo = 0, hi = d->n;

	if (d->global) {
		*order = 0;
		return true;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->pids[mid] == pid) {
			*order = d->order[mid];
			return true;
		}
		if (d->pids[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Releases what a domain owns (not the struct). */
void domain_free(struct domain *d)
{
	if (!d)
		return;
	free(d->pids);
	free(d->order);
	d->pids = NULL;
	d->order = NULL;
	d->n = 0;
}

/* Releases an array of domains and the array. */
void domain_free_all(struct domain *ds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		domain_free(&ds[i]);
	free(ds);
}
