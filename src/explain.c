/*
 * The computation behind `oomtop explain`: one process in every OOM domain
 * it belongs to.  It reads /proc and cgroupfs and fills a struct explain;
 * it prints nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "badness.h"
#include "explain.h"
#include "groupkill.h"
#include "oomtop.h"
#include "rank.h"
#include "sysmem.h"
#include "xalloc.h"

#define CHAIN_MAX 64

/*
 * Finds the oom_score_adj that makes a process of base pages (before adj) the
 * first victim against a rival of target badness: badness >= target when it
 * wins ties (the kernel would keep it among equals: badness_tie), > target
 * otherwise.  0, or badness_adj_to_beat()'s -ERANGE / -EDOM.
 */
int explain_adj_first(unsigned long base, long target, bool wins_ties, unsigned long totalpages, int *adj)
{
	return badness_adj_to_beat(base, wins_ties ? target : target + 1, totalpages, adj);
}

/*
 * Finds the highest oom_score_adj at which a process of base pages is no
 * longer chosen over a rival of target badness (below it when it wins ties,
 * at most equal otherwise); -1000 when only that protects it.  0, or -EDOM
 * when adj has no weight in the domain (then only -1000 helps).
 */
int explain_adj_stop(unsigned long base, long target, bool wins_ties, unsigned long totalpages, int *adj)
{
	long stay = wins_ties ? target - 1 : target;
	int reach, err;

	if (totalpages / 1000 == 0) {
		*adj = OOM_SCORE_ADJ_MIN;
		return -EDOM;
	}
	err = badness_adj_to_beat(base, stay + 1, totalpages, &reach);
	if (err == -ERANGE) {
		*adj = OOM_SCORE_ADJ_MAX;
		return 0;
	}
	if (err < 0)
		return err;
	*adj = reach - 1;
	return 0;
}

/* Returns whether a evaluated with the same badness as b would be chosen over b, under tie rule tie. */
static bool wins_ties(const struct rank_row *a, const struct rank_row *b, enum badness_tie tie)
{
	struct rank_row x = *a;

	x.badness = b->badness;
	return rank_compare(&x, b, RANK_BADNESS, tie) < 0;
}

/* Fills a neighbour from a row. */
static void set_peer(struct explain_peer *p, const struct rank_row *r, long badness)
{
	p->present = true;
	p->pid = r->rec->pid;
	memcpy(p->comm, r->rec->comm, sizeof(p->comm));
	p->badness = r->badness;
	p->margin_pages =
		r->badness > badness ? (unsigned long)(r->badness - badness) : (unsigned long)(badness - r->badness);
}

/*
 * Checks the model (model_check_rows()) on the rows explain reads the
 * oom_score of: the target, the first of the global domain and the target's
 * neighbours.
 */
static void check_model(struct proc_table *t, const struct ranking *rk, size_t at, bool ranked,
			struct model_check *check)
{
	struct rank_row *rows[4] = { NULL };
	size_t n = 0, pick[4] = { 0, at, at - 1, at + 1 };

	for (size_t i = 0; i < 4; i++) {
		struct rank_row *row;
		bool seen = false;
		if (pick[i] >= rk->killable || (i > 0 && !ranked))
			continue;
		row = &rk->rows[pick[i]];
		for (size_t k = 0; k < n; k++)
			seen |= rows[k] == row;
		if (seen || proc_read_score(t, row->rec) < 0)
			continue;
		rows[n++] = row;
	}
	model_check_rows(t, rows, n, rk->totalpages, rk->page_kib, check);
}

/*
 * Ranks domain d around the record target (rank_domain() with target as its
 * focus) and fills r with target's place in it; in the global domain
 * (check not NULL) it also checks the model.  Returns target's badness in d.
 */
static long rank_in(struct proc_table *t, const struct domain *d, struct proc_record *target, unsigned long page_kib,
		    struct explain_rank *r, struct model_check *check)
{
	struct rank_opts o = { .page_kib = page_kib, .exact = 1, .focus = target };
	struct ranking rk;
	const struct rank_row *rows, *me;
	size_t n, at = 0;
	long badness;

	rank_domain(t, d, &o, &rk);
	rows = rk.rows;
	n = rk.killable;
	me = rank_find(&rk, target, &at);
	badness = me ? me->badness : rank_badness(target, rk.model, d->totalpages, page_kib);
	if (check)
		check_model(t, &rk, at, me && badness != BADNESS_UNKILLABLE, check);
	r->candidates = rk.killable;
	if (n > 0) {
		r->victim = rows[0].rec->pid;
		memcpy(r->victim_comm, rows[0].rec->comm, sizeof(r->victim_comm));
	}
	r->badness = badness;
	r->totalpages = d->totalpages;
	r->adj_pages = badness_adj_pages(target->oom_score_adj, d->totalpages);
	if (badness == BADNESS_UNKILLABLE || !me) {
		/* -1000: where would it stand at 0? */
		if (proc_unkillable(target) == PROC_UNK_ADJ_MIN) {
			struct proc_record at0 = *target;
			struct rank_row x = { .rec = &at0, .order = me ? me->order : 0 };
			at0.oom_score_adj = 0;
			x.badness = rank_badness(&at0, rk.model, d->totalpages, page_kib);
			r->would_rank = 1;
			for (size_t i = 0; i < n; i++)
				if (rank_compare(&rows[i], &x, RANK_BADNESS, rk.tie) < 0)
					r->would_rank++;
		}
		rank_free(&rk);
		return badness;
	}
	r->rank = at + 1;
	if (at > 0)
		set_peer(&r->above, &rows[at - 1], badness);
	if (at + 1 < n)
		set_peer(&r->below, &rows[at + 1], badness);

	struct badness_mem mem;
	proc_badness_mem(target, page_kib, &mem);
	unsigned long base = badness_base_pages(&mem);
	if (at > 0) {
		/* the rival is the first of the others */
		r->adj_first_err = explain_adj_first(base, rows[0].badness, wins_ties(me, &rows[0], rk.tie),
						     d->totalpages, &r->adj_first);
		r->have_adj_first = r->adj_first_err == 0;
	} else if (r->below.present) {
		r->adj_stop_err = explain_adj_stop(base, rows[1].badness, wins_ties(me, &rows[1], rk.tie),
						   d->totalpages, &r->adj_stop);
		r->have_adj_stop = true;
	} else {
		r->adj_stop = OOM_SCORE_ADJ_MIN;
		r->adj_stop_err = -ENOENT;
		r->have_adj_stop = true;
	}
	rank_free(&rk);
	return badness;
}

/*
 * Notes in r whether rec dies in another process's group kill there: the
 * domain's first victim is inside rec's own memory.oom.group cgroup, so the
 * cgroup the kernel kills with it holds rec too (mem_cgroup_get_oom_group()
 * takes the highest one up to the domain).
 */
static void dies_with(const struct cgroup_hier *h, const struct proc_record *rec, struct explain_rank *r)
{
	char cg[CGROUP_PATH_MAX];

	if (!r->oom_group[0] || !r->victim || r->victim == rec->pid || proc_unkillable(rec) != PROC_KILLABLE)
		return;
	r->dies_with_victim = cgroup_of_pid(h, r->victim, cg, sizeof(cg)) == 0 && cgroup_path_within(cg, r->oom_group);
}

/* Follows the parents of rec while they have its oom_score_adj (inherited at fork). */
static void trace_inheritance(struct proc_table *t, const struct proc_record *rec, struct explain *e)
{
	pid_t ppid = rec->ppid;

	if (rec->oom_score_adj == 0 || !(rec->known & PROC_HAVE_ADJ))
		return;
	while (ppid > 0 && e->nchain < CHAIN_MAX) {
		struct proc_record *p = proc_table_find(t, ppid);
		if (!p || !(p->known & PROC_HAVE_ADJ) || p->oom_score_adj != rec->oom_score_adj)
			break;
		e->chain = xreallocarray(e->chain, e->nchain + 1, sizeof(*e->chain));
		e->chain[e->nchain].pid = p->pid;
		memcpy(e->chain[e->nchain].comm, p->comm, sizeof(p->comm));
		e->nchain++;
		if (p->ppid == ppid)
			break;
		ppid = p->ppid;
	}
}

/* Tells and names the workload of pid into e (a copy: e outlives the cache). */
static void read_workload(pid_t pid, struct explain *e)
{
	struct workload_cache *wl = workload_cache_new();
	const struct workload *w;

	if (workload_cache_of_pid(wl, pid, &w) == 0) {
		e->have_workload = true;
		e->workload = *w;
		if (w->kind == WORKLOAD_SERVICE)
			e->have_unit_decl = units_declared(w->unit, &e->unit_decl) == 0;
	}
	workload_cache_free(wl);
}

/*
 * Explains process pid; 0, -ENOENT when there is no such process, -ESRCH
 * when it exited while being explained, -ENODEV without a procfs, or -errno.
 */
int explain_compute(pid_t pid, struct explain *e)
{
	struct sysmem mem;
	struct proc_table *t;
	struct proc_record *rec;
	struct cgroup_hier h;
	struct domain global, *ds = NULL;
	size_t nds = 0;
	bool have_hier;
	int err;

	memset(e, 0, sizeof(*e));
	e->pid = pid;
	err = sysmem_read(&mem);
	if (err < 0)
		return err;
	e->page_kib = mem.page_kib;
	t = proc_table_new();
	err = proc_scan(t);
	if (err < 0) {
		proc_table_free(t);
		return err;
	}
	if (proc_hidepid_read(&e->hidepid) < 0)
		e->hidepid.hides = false;
	rec = proc_table_find(t, pid);
	if (!rec) {
		proc_table_free(t);
		return -ENOENT;
	}
	if (!(rec->known & PROC_HAVE_STATUS) || !(rec->known & PROC_HAVE_ADJ)) {
		/* nothing to explain from zeros: hidepid=noaccess answers EPERM for another user's process */
		err = rec->read_errno ? -rec->read_errno : -EACCES;
		proc_table_free(t);
		return err;
	}
	{
		struct strbuf why = STRBUF_INIT;
		int unreadable_errno = 0;
		size_t unreadable = proc_table_unreadable(t, &unreadable_errno);

		proc_partial_reason(&why, &e->hidepid, unreadable, unreadable_errno);
		e->partial = why.len > 0;
		snprintf(e->partial_reason, sizeof(e->partial_reason), "%s", e->partial ? sb_str(&why) : "");
		sb_free(&why);
	}
	have_hier = cgroup_hier_open(&h, mem.page_kib * 1024, mem.swap_total_kib / mem.page_kib) == 0;
	if (have_hier && cgroup_of_pid(&h, pid, e->cgroup, sizeof(e->cgroup)) == 0) {
		e->have_cgroup = true;
		e->cgroup_version = h.m.version;
		if (domain_enclosing(&h, e->cgroup, &ds, &nds) < 0)
			nds = 0;
	}
	read_workload(pid, e);
	if (proc_table_counts_approx(t))
		e->count_error_pages = proc_count_error_pages(sysconf(_SC_NPROCESSORS_CONF));

	/* ranks: the global domain, then each limited cgroup */
	e->ranks = xcalloc(nds + 1, sizeof(*e->ranks));
	domain_global(&global, &mem);
	e->ranks[0].global = true;
	strcpy(e->ranks[0].domain, "global");
	e->badness = rank_in(t, &global, rec, mem.page_kib, &e->ranks[0], &e->check);
	e->nranks = 1;
	if (e->have_cgroup) { /* a global OOM's group kill: the walk goes up to the root */
		groupkill_find_cgroup(&h, e->cgroup, "/", e->ranks[0].oom_group, sizeof(e->ranks[0].oom_group));
		dies_with(&h, rec, &e->ranks[0]);
	}
	for (size_t i = 0; i < nds; i++) {
		struct explain_rank *r = &e->ranks[e->nranks];
		if (domain_load(&h, &ds[i]) < 0)
			continue;
		snprintf(r->domain, sizeof(r->domain), "%s", ds[i].path);
		r->version = ds[i].version;
		r->limit_pages = ds[i].limits.max_pages;
		r->oom_kill_disable = ds[i].limits.oom_kill_disable;
		r->oom_kills = ds[i].limits.oom_kills;
		r->have_oom_kills = ds[i].limits.have_oom_kills;
		groupkill_find_cgroup(&h, e->cgroup, ds[i].path, r->oom_group, sizeof(r->oom_group));
		rank_in(t, &ds[i], rec, mem.page_kib, r, NULL);
		dies_with(&h, rec, r);
		e->nranks++;
	}
	domain_free_all(ds, nds);

	/* the process itself, with the global domain's badness */
	memcpy(e->comm, rec->comm, sizeof(e->comm));
	e->state = rec->state;
	e->ppid = rec->ppid;
	e->oom_score_adj = rec->oom_score_adj;
	if (e->have_workload)
		units_owner(&e->workload, e->have_unit_decl ? &e->unit_decl : NULL, e->oom_score_adj, &e->owner);
	e->why = proc_unkillable(rec);
	e->mm_tid = rec->mm_tid;
	e->anon_pages = rec->anon_kib / mem.page_kib;
	e->file_pages = rec->file_kib / mem.page_kib;
	e->shmem_pages = rec->shmem_kib / mem.page_kib;
	e->rss_vmrss = rec->rss_vmrss;
	e->swap_pages = rec->swap_kib / mem.page_kib;
	e->pgtables_pages = rec->pte_kib / mem.page_kib;
	e->have_kernel_rss = rec->known & PROC_HAVE_KRSS;
	e->kernel_rss_pages = rec->kernel_rss_pages;
	{
		struct badness_mem bm;
		proc_badness_mem(rec, mem.page_kib, &bm);
		e->base_pages = badness_base_pages(&bm);
	}
	e->adj_pages = badness_adj_pages(rec->oom_score_adj, mem.totalpages);
	e->share = 100.0 * (double)e->base_pages / (double)mem.totalpages;
	e->oom_score_computed = badness_model_oom_score(e->check.model, e->badness, mem.totalpages);
	if (proc_read_score(t, rec) == 0) {
		e->have_score = true;
		e->oom_score = rec->oom_score;
		/* the kernel says 0 for a vfork child or a task already reaped (MMF_OOM_SKIP) */
		if (e->oom_score == 0 && e->why == PROC_KILLABLE)
			e->why = PROC_UNK_KERNEL;
	}
	e->killable = e->why == PROC_KILLABLE;
	trace_inheritance(t, rec, e);
	e->panic_on_oom = (int)sysmem_vm_sysctl("panic_on_oom");
	e->oom_kill_allocating_task = (int)sysmem_vm_sysctl("oom_kill_allocating_task");
	e->oom_dump_tasks = (int)sysmem_vm_sysctl("oom_dump_tasks");

	/* still there? a process that exited meanwhile is not explained */
	err = proc_read_record(t, rec);
	proc_table_free(t);
	if (err < 0) {
		explain_free(e);
		return -ESRCH;
	}
	return 0;
}

/* Releases what an explanation owns. */
void explain_free(struct explain *e)
{
	free(e->ranks);
	free(e->chain);
	e->ranks = NULL;
	e->chain = NULL;
	e->nranks = e->nchain = 0;
}
