/*
 * The computation behind `oomtop status`.  The sysctls, memory, the OOM
 * kill count and the memory pressure come from sysmem.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "domain.h"
#include "klog.h"
#include "kmsg.h"
#include "model.h"
#include "oomtop.h"
#include "proc.h"
#include "rank.h"
#include "status.h"
#include "strbuf.h"
#include "sysmem.h"
#include "sysroot.h"
#include "xalloc.h"

/* PROC_CGROUP_INIT_INO (include/linux/proc_ns.h, 4.6+): the inode of the initial cgroup namespace */
#define CGROUP_INIT_NS_INO 0xEFFFFFFBUL

/* Returns what a value of vm.overcommit_memory means. */
const char *status_overcommit_text(long mode)
{
	switch (mode) {
	case 0:
		return "heuristic: obviously excessive allocations fail, the rest may end in the OOM killer";
	case 1:
		return "always: every allocation succeeds, memory runs out at page fault, in the OOM killer";
	case 2:
		return "never: allocations past CommitLimit fail (ENOMEM), the OOM killer is rarely needed";
	}
	return "unknown value";
}

/* Adds one warning (owned by s). */
static void warn(struct status *s, char *text)
{
	if (s->nwarnings < STATUS_MAX_WARNINGS)
		s->warnings[s->nwarnings++] = text;
	else
		free(text);
}

#define INHERITED_NAMED 5 /* processes the inherited -1000 warning names */

/*
 * Warns of the processes that only inherited -1000 (the seed's warning: a
 * child inherits its parent's value at fork, so whatever a protected
 * parent starts without resetting it can never be killed), naming the
 * first of them and the protected ancestor each inherited it from.
 */
static void warn_inherited(struct status *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t named = 0;

	sb_addf(&sb,
		"%zu of the %zu processes with oom_score_adj -1000 only inherited it from a protected parent that "
		"does not reset its children: the OOM killer can never pick them either, a runaway one neither:",
		s->ninherited, s->nprotected);
	for (size_t i = 0; s->protected_procs && i < s->nprotected && named < INHERITED_NAMED; i++) {
		const struct status_protected *p = &s->protected_procs[i];
		if (!p->origin)
			continue;
		sb_addf(&sb, "%s %d (%s) from %d (%s)", named ? "," : "", (int)p->pid, p->comm, (int)p->origin,
			p->origin_comm);
		named++;
	}
	if (s->ninherited > named)
		sb_addf(&sb, ", and %zu more", s->ninherited - named);
	warn(s, xstrdup(sb_str(&sb)));
	sb_free(&sb);
}

/* Appends the process of a unit that differs, and where its value came from. */
static void add_other(struct strbuf *sb, const struct status_unit *u)
{
	sb_addf(sb, "%d (%s) holds %d", (int)u->audit.other_pid, u->audit.other_comm, u->audit.other_adj);
	if (u->origin)
		sb_addf(sb, ", inherited from %d (%s)", (int)u->origin, u->origin_comm);
}

/*
 * Warns of the services whose processes do not hold what their unit files
 * declare (a refused write: systemd cannot lower a value without
 * CAP_SYS_RESOURCE either, and says nothing; or a file changed since the
 * start), and of those that hold a value nothing declares (a restart loses
 * it); the first STATUS_UNIT_WARNINGS by name, the rest counted.
 */
static void warn_units(struct status *s)
{
	size_t bad = 0, named = 0;

	if (s->nunits == 0)
		return;
	/* the values not held first (a protection that does not hold), then the ones nothing declares */
	for (size_t k = 0; k < 2 * s->nunits; k++) {
		const struct status_unit *u = &s->units[k % s->nunits];
		const struct units_audit *a = &u->audit;
		struct strbuf sb = STRBUF_INIT;

		if (a->state != (k < s->nunits ? UNITS_NOT_HELD : UNITS_NOT_DECLARED))
			continue;
		if (++bad > STATUS_UNIT_WARNINGS)
			continue;
		named++;
		if (a->state == UNITS_NOT_HELD) {
			sb_addf(&sb, "%s declares OOMScoreAdjust=%d (%s:%u) but %zu of its %zu process%s %s: ", u->unit,
				u->decl.adj, u->decl.adj_file, u->decl.adj_line, a->nother, a->nprocs,
				a->nprocs == 1 ? "" : "es", a->nother == 1 ? "does not hold it" : "do not hold it");
			add_other(&sb, u);
			if (a->other_adj > u->decl.adj)
				sb_adds(&sb,
					"; systemd cannot lower a value without CAP_SYS_RESOURCE and says nothing, or the "
					"file changed after the service started (systemctl daemon-reload, then restart "
					"it)");
			else
				sb_adds(&sb,
					"; raised since it started, by the process or a write, or the file changed after "
					"it started (systemctl daemon-reload, then restart it)");
		} else {
			sb_addf(&sb,
				"%s: %zu of its %zu process%s %s an oom_score_adj no unit file or drop-in declares (",
				u->unit, a->nother, a->nprocs, a->nprocs == 1 ? "" : "es",
				a->nother == 1 ? "holds" : "hold");
			add_other(&sb, u);
			sb_addf(&sb,
				"%s): a restart loses it (oomtop protect --persist --adj %d --unit %s writes the drop-in)",
				u->origin ? "" : ", set after it started", a->other_adj, u->unit);
		}
		warn(s, xstrdup(sb_str(&sb)));
		sb_free(&sb);
	}
	if (bad > named)
		warn(s, xasprintf("%zu more services hold other values than their unit files declare, or values none "
				  "declares (status --json lists every unit)",
				  bad - named));
}

/* Derives the plain warnings from the figures in s (a pure function of them). */
void status_warnings(struct status *s)
{
	const struct sysmem *m = &s->mem;

	if (s->check.agree < s->check.checked)
		warn(s,
		     xasprintf("the kernel's oom_score of %zu of the %zu processes checked is not what any generation "
			       "of oom_badness() gives (pid %d: %+ld): the next victim is oomtop's best guess",
			       s->check.checked - s->check.agree, s->check.checked, (int)s->check.worst_pid,
			       s->check.worst_diff));
	if (s->panic_on_oom == 1)
		warn(s, xasprintf("panic_on_oom=1: a global OOM panics the machine instead of killing a process"));
	else if (s->panic_on_oom == 2)
		warn(s, xasprintf("panic_on_oom=2: every OOM, a memory cgroup's too, panics the machine"));
	if (s->oom_kill_allocating_task > 0)
		warn(s, xasprintf("oom_kill_allocating_task=%ld: a global OOM kills whichever process is allocating, "
				  "not the one ranked first",
				  s->oom_kill_allocating_task));
	if (s->overcommit_memory == 2 && m->commit_limit_kib) {
		unsigned long pct =
			(unsigned long)((unsigned long long)m->committed_as_kib * 100 / m->commit_limit_kib);
		if (pct >= 90)
			warn(s, xasprintf("overcommit_memory=2 and Committed_AS is %lu%% of CommitLimit: allocations "
					  "will start failing",
					  pct));
	}
	if (m->mem_total_kib && m->mem_available_kib * 10 < m->mem_total_kib)
		warn(s, xasprintf("MemAvailable is %lu%% of MemTotal: an OOM is near",
				  (unsigned long)((unsigned long long)m->mem_available_kib * 100 / m->mem_total_kib)));
	if (s->have_psi && s->psi.have_full && s->psi.full.avg10 >= 10.0)
		warn(s, xasprintf("memory pressure: all tasks stalled on memory %.1f%% of the last 10 s",
				  s->psi.full.avg10));
	else if (s->have_psi && s->psi.some.avg10 >= 20.0)
		warn(s, xasprintf("memory pressure: some task stalled on memory %.1f%% of the last 10 s",
				  s->psi.some.avg10));
	if (s->ninherited)
		warn_inherited(s);
	warn_units(s);
	if (s->partial)
		warn(s,
		     xasprintf("partial view: %s; the next victim and the counts are unknown (those shown are of the "
			       "processes you can see)",
			       s->partial_reason));
	else if (s->nprocs && s->nkillable == 0)
		warn(s, xasprintf("no process can be killed: a global OOM would panic"));
	if (s->oom_dump_tasks == 0)
		warn(s, xasprintf("oom_dump_tasks=0: the kernel log will not list the candidates of an OOM"));
}

/* Finds the topmost ancestor with the value of rec (NULL when its parent has another value). */
static struct proc_record *protection_origin(struct proc_table *t, const struct proc_record *rec)
{
	struct proc_record *origin = NULL;
	pid_t ppid = rec->ppid;

	for (int depth = 0; ppid > 0 && depth < 256; depth++) {
		struct proc_record *p = proc_table_find(t, ppid);
		if (!p || !(p->known & PROC_HAVE_ADJ) || p->oom_score_adj != rec->oom_score_adj)
			break;
		origin = p;
		if (p->ppid == ppid)
			break;
		ppid = p->ppid;
	}
	return origin;
}

/*
 * Tells the workloads of the first victims of a global OOM (the first
 * STATUS_FIRST_VICTIMS killable rows of rk): the next victim's, and one
 * entry per workload in the order of its first victim.
 */
static void first_workloads(struct status *s, const struct ranking *rk, struct workload_cache *wl)
{
	for (size_t i = 0; i < rk->killable && i < STATUS_FIRST_VICTIMS; i++) {
		const struct workload *w;
		size_t k;
		if (workload_cache_of_pid(wl, rk->rows[i].rec->pid, &w) < 0)
			continue;
		if (i == 0) {
			s->have_victim_workload = true;
			s->victim_workload = *w;
		}
		for (k = 0; k < s->nfirst_workloads; k++)
			if (workload_same(&s->first_workloads[k].w, w))
				break;
		if (k == s->nfirst_workloads) {
			s->first_workloads[k].w = *w;
			s->first_workloads[k].first_rank = i + 1;
			s->nfirst_workloads++;
		}
		s->first_workloads[k].processes++;
	}
}

/* A process of a service, for audit_units(). */
struct unit_pick {
	const char *unit; /* borrowed from the workload cache */
	struct proc_record *rec;
};

/* Orders picks by unit, then by pid. */
static int cmp_pick(const void *a, const void *b)
{
	const struct unit_pick *x = a, *y = b;
	int c = strcmp(x->unit, y->unit);

	return c ? c : (x->rec->pid > y->rec->pid) - (x->rec->pid < y->rec->pid);
}

/* Audits one service of n processes: what its files declare against what they hold. */
static void audit_unit(struct status *s, struct proc_table *t, const struct unit_pick *p, size_t n)
{
	struct units_member *m = xcalloc(n, sizeof(*m));
	struct status_unit u;

	memset(&u, 0, sizeof(u));
	for (size_t i = 0; i < n; i++) {
		m[i].pid = p[i].rec->pid;
		m[i].adj = p[i].rec->oom_score_adj;
		m[i].comm = p[i].rec->comm;
	}
	snprintf(u.unit, sizeof(u.unit), "%s", p[0].unit);
	if (units_declared(u.unit, &u.decl) == 0 && units_audit(&u.decl, m, n, &u.audit) &&
	    s->nunits < STATUS_MAX_UNITS) {
		struct proc_record *other = u.audit.nother ? proc_table_find(t, u.audit.other_pid) : NULL;
		struct proc_record *o = other ? protection_origin(t, other) : NULL;
		if (o) {
			u.origin = o->pid;
			memcpy(u.origin_comm, o->comm, sizeof(u.origin_comm));
		}
		s->units = xreallocarray(s->units, s->nunits + 1, sizeof(*s->units));
		s->units[s->nunits++] = u;
	}
	free(m);
}

/*
 * Audits every system service among the processes of t: what its unit
 * file and drop-ins declare for OOMScoreAdjust= (units_declared(), read
 * below the root) against what its processes hold; keeps those that
 * declare a value or hold one nothing declares, by unit name.
 */
static void audit_units(struct status *s, struct proc_table *t, struct workload_cache *wl)
{
	size_t len = proc_table_len(t), n = 0;
	struct unit_pick *picks = xcalloc(len ? len : 1, sizeof(*picks));

	for (size_t i = 0; i < len; i++) {
		struct proc_record *rec = proc_table_at(t, i);
		const struct workload *w;
		if (rec->kthread || !rec->has_mm || !(rec->known & PROC_HAVE_ADJ) ||
		    workload_cache_of_pid(wl, rec->pid, &w) < 0 || w->kind != WORKLOAD_SERVICE)
			continue;
		picks[n].unit = w->unit;
		picks[n++].rec = rec;
	}
	if (n)
		qsort(picks, n, sizeof(*picks), cmp_pick);
	for (size_t i = 0, k; i < n; i = k) {
		for (k = i + 1; k < n && strcmp(picks[k].unit, picks[i].unit) == 0; k++)
			;
		audit_unit(s, t, &picks[i], k - i);
	}
	free(picks);
}

/* Gathers the machine's OOM posture into s; 0, or -errno when /proc cannot be read. */
int status_compute(struct status *s)
{
	struct proc_table *t;
	struct ranking rk;
	const struct rank_row *victim;
	struct workload_cache *wl;
	struct domain g;
	size_t len;
	int err;

	memset(s, 0, sizeof(*s));
	s->max_cgroups = STATUS_MAX_CGROUPS_DEFAULT;
	err = sysmem_read(&s->mem);
	if (err < 0)
		return err;
	s->have_oom_kills = sysmem_oom_kills(&s->oom_kills) == 0;
	s->panic_on_oom = sysmem_vm_sysctl("panic_on_oom");
	s->oom_kill_allocating_task = sysmem_vm_sysctl("oom_kill_allocating_task");
	s->oom_dump_tasks = sysmem_vm_sysctl("oom_dump_tasks");
	s->overcommit_memory = sysmem_vm_sysctl("overcommit_memory");
	s->overcommit_ratio = sysmem_vm_sysctl("overcommit_ratio");
	s->overcommit_kbytes = sysmem_vm_sysctl("overcommit_kbytes");
	s->have_psi = sysmem_psi_read(&s->psi) == 0;

	t = proc_table_new();
	err = proc_scan(t);
	if (err < 0) {
		proc_table_free(t);
		return err;
	}
	{
		struct proc_hidepid hp;
		struct strbuf why = STRBUF_INIT;
		int unreadable_errno = 0;
		size_t unreadable = proc_table_unreadable(t, &unreadable_errno);

		if (proc_hidepid_read(&hp) < 0)
			hp.hides = false;
		proc_partial_reason(&why, &hp, unreadable, unreadable_errno);
		s->partial = why.len > 0;
		snprintf(s->partial_reason, sizeof(s->partial_reason), "%s", s->partial ? sb_str(&why) : "");
		sb_free(&why);
	}
	len = proc_table_len(t);
	for (size_t i = 0; i < len; i++) {
		struct proc_record *rec = proc_table_at(t, i);
		if ((rec->known & PROC_HAVE_ADJ) && rec->oom_score_adj == OOM_SCORE_ADJ_MIN && !rec->kthread &&
		    rec->has_mm) {
			struct status_protected *p;
			struct proc_record *o = protection_origin(t, rec);
			s->protected_procs = xreallocarray(s->protected_procs, s->nprotected + 1, sizeof(*p));
			p = &s->protected_procs[s->nprotected++];
			memset(p, 0, sizeof(*p));
			p->pid = rec->pid;
			memcpy(p->comm, rec->comm, sizeof(p->comm));
			if (o) {
				p->origin = o->pid;
				memcpy(p->origin_comm, o->comm, sizeof(p->origin_comm));
				s->ninherited++;
			}
		}
	}
	domain_global(&g, &s->mem);
	rank_domain(t, &g, &(struct rank_opts){ .page_kib = s->mem.page_kib, .exact = STATUS_FIRST_VICTIMS }, &rk);
	s->nprocs = len;
	s->nkillable = rk.killable;
	{
		/* the model, checked on the first rows' oom_score (three: enough to tell a generation) */
		struct rank_row *head[3];
		size_t n = 0;
		for (size_t i = 0; i < rk.killable && n < 3; i++)
			if (proc_read_score(t, rk.rows[i].rec) == 0)
				head[n++] = &rk.rows[i];
		model_check_rows(t, head, n, rk.totalpages, rk.page_kib, &s->check);
	}
	victim = rank_victim(&rk);
	if (victim) {
		struct proc_record *v = victim->rec;
		s->have_victim = true;
		s->victim_pid = v->pid;
		memcpy(s->victim_comm, v->comm, sizeof(s->victim_comm));
		s->victim_badness = victim->badness;
		s->victim_adj = v->oom_score_adj;
		s->victim_rss_kib = v->anon_kib + v->file_kib + v->shmem_kib;
		s->victim_score = proc_read_score(t, v) == 0 ? v->oom_score : -1;
	}
	wl = workload_cache_new(); /* one cache: each cgroup path is parsed into a workload once */
	first_workloads(s, &rk, wl);
	if (groupkill_predict(t, &rk, &g, &s->group) < 0)
		groupkill_free(&s->group); /* the hierarchy could not be read: no group is predicted */
	rank_free(&rk);
	audit_units(s, t, wl);
	workload_cache_free(wl);
	s->table = t; /* the cgroup domains are ranked on the same scan */
	status_warnings(s);
	return 0;
}

/* A walk over the memory cgroups for status_cgroup_kills(). */
struct kills_walk {
	struct status *s;
	const struct cgroup_hier *h;
};

/* Adds the cgroup at path if it has a limit; a cgroup that cannot be read is skipped with its children. */
static int kills_visit(const char *path, int depth, void *arg)
{
	struct kills_walk *w = arg;
	struct status *s = w->s;
	struct cgroup_limits l;

	(void)depth;
	if (s->ncgroups >= STATUS_MAX_CGROUPS)
		return -ENOSPC;
	if (cgroup_read_limits(w->h, path, &l) < 0)
		return 1;
	if (l.limited) {
		struct status_cgroup *c;
		s->cgroups = xreallocarray(s->cgroups, s->ncgroups + 1, sizeof(*s->cgroups));
		c = &s->cgroups[s->ncgroups++];
		memset(c, 0, sizeof(*c));
		c->path = xstrdup(path);
		c->have_oom_kills = l.have_oom_kills;
		c->oom_kills = l.oom_kills;
		c->usage_pages = l.usage_pages;
		/* v1 may limit only memory+swap (memsw): the OOM comes at that limit then */
		c->limit_pages = l.max_pages < CGROUP_UNLIMITED(w->h->page_size) ? l.max_pages : l.swap_pages;
		c->totalpages = cgroup_totalpages(w->h->m.version, &l, w->h->page_size, w->h->total_swap_pages);
	}
	return 0;
}

/*
 * Lists the memory cgroups with a limit and their OOM kill counts, walking
 * the memory hierarchy from the top this mount shows (a cgroup that vanishes
 * meanwhile is skipped); 0, or -errno when there is no memory hierarchy.
 */
int status_cgroup_kills(struct status *s)
{
	struct cgroup_hier h;
	int err;

	if (s->mem.page_kib == 0)
		return -EINVAL; /* status_compute() has not run */
	err = cgroup_hier_open(&h, s->mem.page_kib * 1024, s->mem.swap_total_kib / s->mem.page_kib);
	if (err < 0)
		return err;
	s->have_cgroups = true;
	/* the list stops at STATUS_MAX_CGROUPS (-ENOSPC): what was found is shown */
	cgroup_walk(&h, h.m.root, 64, kills_visit, &(struct kills_walk){ s, &h });
	return 0;
}

/* Returns a cgroup's usage over its limit (0 without a limit); above 1 when usage passed a lowered limit. */
double status_cgroup_usage_ratio(const struct status_cgroup *c)
{
	return c->limit_pages ? (double)c->usage_pages / (double)c->limit_pages : 0;
}

/* qsort order of cgroups: the largest usage first, then by path. */
static int cmp_usage(const void *a, const void *b)
{
	const struct status_cgroup *x = a, *y = b;

	if (x->usage_pages != y->usage_pages)
		return x->usage_pages < y->usage_pages ? 1 : -1;
	return strcmp(x->path, y->path);
}

/* Orders the cgroups by usage, largest first, and lists the first max_cgroups of them by name (pure). */
void status_cgroup_sort(struct status *s)
{
	if (s->ncgroups)
		qsort(s->cgroups, s->ncgroups, sizeof(*s->cgroups), cmp_usage);
	s->nlisted = s->ncgroups < s->max_cgroups ? s->ncgroups : s->max_cgroups;
}

/*
 * Returns the index of the cgroup nearest its limit among those not listed
 * (the "other" cgroups), SIZE_MAX when every one is listed: an alert on
 * headroom must see a small cgroup near its limit that the usage order left
 * out.
 */
size_t status_cgroup_nearest(const struct status *s)
{
	size_t best = SIZE_MAX;

	for (size_t i = s->nlisted; i < s->ncgroups; i++)
		if (best == SIZE_MAX ||
		    status_cgroup_usage_ratio(&s->cgroups[i]) > status_cgroup_usage_ratio(&s->cgroups[best]))
			best = i;
	return best;
}

/* Ranks the domain of c on the scan of s (rank_domain()) and keeps its first victim. */
static void rank_cgroup(struct status *s, const struct cgroup_hier *h, struct status_cgroup *c)
{
	struct domain d;
	struct ranking rk;
	const struct rank_row *v;

	if (domain_cgroup(h, c->path, &d) < 0 || domain_load(h, &d) < 0) {
		domain_free(&d);
		return; /* gone since the walk */
	}
	c->totalpages = d.totalpages;
	rank_domain(s->table, &d, &(struct rank_opts){ .page_kib = s->mem.page_kib, .exact = 1 }, &rk);
	v = rank_victim(&rk);
	if (v) {
		c->have_victim = true;
		c->victim_badness = v->badness;
		c->victim_adj = v->rec->oom_score_adj;
		memcpy(c->victim_comm, v->rec->comm, sizeof(c->victim_comm));
	}
	rank_free(&rk);
	domain_free(&d);
}

/*
 * Orders the cgroups of status_cgroup_kills() by usage, lists the first
 * max_cgroups,
 * and ranks the domain of each listed one and of the one nearest its limit
 * among the rest, for their first victims (none in a partial view: the
 * process that would go first may be hidden); 0 or -errno.
 */
int status_cgroup_domains(struct status *s)
{
	struct cgroup_hier h;
	size_t nearest;
	int err;

	if (!s->have_cgroups || !s->table)
		return -EINVAL;
	status_cgroup_sort(s);
	if (s->partial)
		return 0;
	err = cgroup_hier_open(&h, s->mem.page_kib * 1024, s->mem.swap_total_kib / s->mem.page_kib);
	if (err < 0)
		return err;
	for (size_t i = 0; i < s->nlisted; i++)
		rank_cgroup(s, &h, &s->cgroups[i]);
	nearest = status_cgroup_nearest(s);
	if (nearest != SIZE_MAX)
		rank_cgroup(s, &h, &s->cgroups[nearest]);
	return 0;
}

/*
 * Returns the memory cgroup an OOM kill is counted against, as the kernel
 * counts it (memcg_memory_event_mm(mm, MEMCG_OOM_KILL) in mm/oom_kill.c:
 * the victim's own cgroup, 4.13+): the oom-kill line's task_memcg, else the
 * cgroup whose limit was hit; NULL for the root or when the log names none.
 */
const char *status_kill_cgroup(const struct klog_event *ev)
{
	const char *p = ev->task_memcg[0] ? ev->task_memcg : ev->oom_memcg;

	return p[0] && strcmp(p, "/") != 0 ? p : NULL;
}

/* Counts one kill of a removed cgroup at path (a pure tally: at most STATUS_MAX_CGROUPS names, then dropped). */
void status_gone_add(struct status *s, const char *path)
{
	for (size_t i = 0; i < s->ngone; i++)
		if (strcmp(s->gone[i].path, path) == 0) {
			s->gone[i].kills++;
			return;
		}
	if (s->ngone >= STATUS_MAX_CGROUPS) {
		s->gone_dropped++;
		return;
	}
	s->gone = xreallocarray(s->gone, s->ngone + 1, sizeof(*s->gone));
	s->gone[s->ngone].path = xstrdup(path);
	s->gone[s->ngone++].kills = 1;
}

/* qsort order of removed cgroups: the most kills first, then by path. */
static int cmp_gone(const void *a, const void *b)
{
	const struct status_gone *x = a, *y = b;

	if (x->kills != y->kills)
		return x->kills < y->kills ? 1 : -1;
	return strcmp(x->path, y->path);
}

/* Orders the removed cgroups by their kills, most first. */
void status_gone_sort(struct status *s)
{
	if (s->ngone)
		qsort(s->gone, s->ngone, sizeof(*s->gone), cmp_gone);
}

/* Tallies the kills the parser has ready whose cgroup this mount shows and no longer holds. */
static void tally_gone(struct status *s, struct klog *k, const struct cgroup_hier *h)
{
	struct klog_event *ev;

	while ((ev = klog_next(k)) != NULL) {
		const char *p = status_kill_cgroup(ev), *rel;
		char clean[CGROUP_PATH_MAX];
		if (p && cgroup_clean_path(p, clean, sizeof(clean)) == 0 &&
		    cgroup_rel_to_mount(&h->m, clean, &rel) == 0 && !cgroup_exists(h, clean))
			status_gone_add(s, clean);
		klog_event_free(ev);
	}
}

/*
 * Reads the kernel log (/dev/kmsg) from its oldest record and counts the
 * OOM kills of processes whose memory cgroup no longer exists, the kills
 * the kernel's own counters lost with the cgroup; the log holds them since
 * boot when its first record is still there (klog_complete).  0, or -errno
 * when the log cannot be read (kernel.dmesg_restrict without CAP_SYSLOG),
 * -EXDEV in a cgroup namespace.
 */
int status_gone_kills(struct status *s)
{
	struct klog_opts ko = { .ref_time = (long long)time(NULL), .boot_usec = KLOG_NONE };
	struct cgroup_hier h;
	struct stat st;
	struct klog *k;
	char *buf;
	size_t len;
	bool first = true;
	int fd, err;

	if (s->mem.page_kib == 0)
		return -EINVAL; /* status_compute() has not run */
	/*
	 * The kernel logs a cgroup's path from its hierarchy's root, a cgroup
	 * namespace shows paths from its own (kernel/cgroup/cgroup.c
	 * cgroup_path_ns()): inside one, a log path cannot be told from a
	 * removed cgroup, so nothing is counted.
	 */
	if (sysroot_stat("/proc/self/ns/cgroup", &st) == 0 && st.st_ino != CGROUP_INIT_NS_INO)
		return -EXDEV;
	err = cgroup_hier_open(&h, s->mem.page_kib * 1024, s->mem.swap_total_kib / s->mem.page_kib);
	if (err < 0)
		return err;
	err = kmsg_open(KMSG_PATH, &fd);
	if (err < 0)
		return err;
	k = klog_new(&ko);
	buf = xmalloc(KMSG_RECORD_MAX);
	s->klog_complete = true;
	while ((err = kmsg_read(fd, buf, KMSG_RECORD_MAX, &len)) != -EAGAIN) {
		unsigned long long seq;
		if (err == -EPIPE) {
			s->klog_complete = false; /* overwritten while we read */
			continue;
		}
		if (err < 0)
			break;
		if (first && (kmsg_record_seq(buf, len, &seq) < 0 || seq != 0))
			s->klog_complete = false;
		first = false;
		klog_feed(k, buf, len);
		tally_gone(s, k, &h);
	}
	klog_finish(k);
	tally_gone(s, k, &h);
	klog_free(k);
	free(buf);
	close(fd);
	if (err != -EAGAIN)
		return err;
	s->have_klog = true;
	status_gone_sort(s);
	return 0;
}

/* Releases what s owns. */
void status_free(struct status *s)
{
	groupkill_free(&s->group);
	for (size_t i = 0; i < s->ncgroups; i++)
		free(s->cgroups[i].path);
	free(s->cgroups);
	s->cgroups = NULL;
	s->ncgroups = s->nlisted = 0;
	for (size_t i = 0; i < s->ngone; i++)
		free(s->gone[i].path);
	free(s->gone);
	s->gone = NULL;
	s->ngone = 0;
	if (s->table)
		proc_table_free(s->table);
	s->table = NULL;
	free(s->protected_procs);
	s->protected_procs = NULL;
	free(s->units);
	s->units = NULL;
	s->nunits = 0;
	for (size_t i = 0; i < s->nwarnings; i++)
		free(s->warnings[i]);
	s->nwarnings = 0;
}
