/* One ranked view of the processes: scan, badness in a domain, filters, order. */
#ifndef OOMTOP_SNAPSHOT_H
#define OOMTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "domain.h"
#include "groupkill.h"
#include "model.h"
#include "proc.h"
#include "rank.h"
#include "sysmem.h"
#include "workload.h"

/* What to show: the filters and order of `oomtop top` (and the live view). */
struct snap_query {
	enum rank_key key;
	bool reverse;
	bool all; /* also the processes the OOM killer never kills */
	bool have_uid;
	uid_t uid;
	const pid_t *pids; /* borrowed; NULL = every process */
	size_t npids;
	size_t limit; /* rows that get cmdline, oom_score, user; 0 = all */
	/* a further filter (the live view's '/'), NULL = none; records get their cmdline read first */
	bool (*match)(const struct proc_record *rec, const void *arg);
	const void *match_arg;       /* borrowed */
	const struct domain *domain; /* borrowed; NULL = the global domain */
	bool workloads;              /* the shown rows get their workload (rank_row.workload) */
	const char *unit;            /* --unit: only processes of the units this glob matches; NULL = any */
	const char *workload;        /* --workload: only those of the workloads it matches (workload_match()) */
};

/* The result; snap_free() releases everything it owns. */
struct snapshot {
	struct proc_table *table; /* owns the records */
	struct ranking rank;      /* owns the domain's ranking: every member, in kill order */
	struct rank_row **rows;   /* owned array of rows borrowed from rank: those that passed the filters, in order */
	size_t nrows;             /* rows that passed the filters */
	size_t shown;             /* leading rows filled for display */
	size_t total;             /* processes scanned in the domain */
	size_t killable;          /* of those, how many the OOM killer may choose */
	struct sysmem mem;
	unsigned long totalpages;  /* of the domain the badness is computed in */
	struct model_check check;  /* the model checked on the shown rows' oom_score */
	struct workload_cache *wl; /* owned; kept across refreshes, so each cgroup is named once */
	struct groupkill group;    /* owned: who dies with the first victim (memory.oom.group, v2) */
	pid_t *wl_pids;            /* owned, sorted: with q->unit or q->workload, the processes they select */
	size_t nwl_pids;
};

/* One workload of a snapshot's rows (top --by workload): its first victim and what it adds up to. */
struct snap_group {
	const struct workload *w;     /* borrowed from the snapshot's cache */
	const struct rank_row *first; /* its first row in kill order */
	size_t rank;                  /* that row's place among the shown rows, from 1 */
	size_t processes;             /* rows of it, killable or not */
	size_t killable;              /* of those, the OOM killer may choose */
	unsigned long long badness;   /* the killable rows' badness, summed */
};

int snap_group_workloads(const struct snapshot *s, struct snap_group **groups, size_t *n);
int snap_take(struct snapshot *s, const struct snap_query *q);
int snap_refresh(struct snapshot *s, const struct snap_query *q,
		 bool (*stale)(const struct proc_record *rec, void *arg), void *arg);
void snap_free(struct snapshot *s);

#endif
