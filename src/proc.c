/*
 * The procfs scanner.  libproc2's pids interface has no page-table size
 * (VmPTE) and reads more files per process than the ranking needs, so the
 * scanner reads /proc/PID/status and /proc/PID/oom_score_adj itself (see
 * "Speed" in README.md for the measurement) and everything else lazily, only
 * for the rows that are shown: cmdline, oom_score, and stat for ties.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oomtop.h"
#include "proc.h"
#include "strbuf.h"
#include "sysroot.h"
#include "xalloc.h"

#define PROC_PID_INIT_INO 0xEFFFFFFCUL /* include/linux/proc_ns.h */
#define MOUNTINFO_FIELDS 32            /* a line with more optional tags is not a proc mount of ours */

struct proc_table {
	struct proc_record *recs;
	size_t len, cap;
	int procfd;          /* the root's /proc, borrowed from sysroot.c */
	bool init_is_global; /* pid 1 in this /proc is the global init */
	size_t unreadable;
	int unreadable_errno;
	bool counts_approx;  /* the OOM killer reads the approximate rss counters (the model check may correct it) */
	bool release_approx; /* what the release suggests (proc_kernel_counts_approx()) */
	enum badness_model model; /* the running kernel's generation of oom_badness(), by its release */
	enum badness_tie tie;     /* how its select_bad_process() breaks ties, by its release */
};

/* Returns a new, empty table, with the generation of oom_badness() the root's kernel release names. */
struct proc_table *proc_table_new(void)
{
	struct proc_table *t = xcalloc(1, sizeof(*t));
	char release[128];
	bool have_release = sysroot_release(release, sizeof(release)) == 0;

	t->procfd = -1;
	t->init_is_global = true;
	t->counts_approx = t->release_approx = have_release && proc_kernel_counts_approx(release);
	if (!have_release || badness_model_for_release(release, &t->model) < 0)
		t->model = BADNESS_MODEL_5_9; /* unreadable: the newest; the model check says whether it holds */
	if (!have_release || badness_tie_for_release(release, &t->tie) < 0)
		t->tie = BADNESS_TIE_LAST; /* the newest too; no number the kernel shows can tell */
	return t;
}

/* Empties the table, releasing every string the records own. */
static void proc_table_clear(struct proc_table *t)
{
	for (size_t i = 0; i < t->len; i++)
		free(t->recs[i].cmdline);
	t->len = 0;
	t->unreadable = 0;
	t->unreadable_errno = 0;
}

/* Releases the table, its records and all their strings. */
void proc_table_free(struct proc_table *t)
{
	if (!t)
		return;
	proc_table_clear(t);
	free(t->recs);
	free(t);
}

/* Returns the number of records. */
size_t proc_table_len(const struct proc_table *t)
{
	return t->len;
}

/* Returns record i; the pointer is borrowed and valid until the next scan. */
struct proc_record *proc_table_at(struct proc_table *t, size_t i)
{
	return &t->recs[i];
}

/* Returns the record of pid (records are in pid order), or NULL. */
struct proc_record *proc_table_find(struct proc_table *t, pid_t pid)
{
	size_t lo = 0, hi = t->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->recs[mid].pid == pid)
			return &t->recs[mid];
		if (t->recs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = 0; i < t->len; i++) /* scan_pids keeps the caller's order */
		if (t->recs[i].pid == pid)
			return &t->recs[i];
	return NULL;
}

/* Returns how many processes could not be read, and the first reason in *first_errno. */
size_t proc_table_unreadable(const struct proc_table *t, int *first_errno)
{
	if (first_errno)
		*first_errno = t->unreadable_errno;
	return t->unreadable;
}

/* Finds /proc (sysroot.c checks that it is a procfs) and whether its pid 1 is the global init; 0 or -errno. */
static int proc_open_root(struct proc_table *t)
{
	char link[64];
	ssize_t n;
	int fd;

	if (t->procfd >= 0)
		return 0;
	fd = sysroot_proc_fd();
	if (fd < 0)
		return fd;
	t->procfd = fd;
	/* is_global_init() protects the initial namespace's init only */
	n = readlinkat(t->procfd, "1/ns/pid", link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		char *br = strchr(link, '[');
		t->init_is_global = !br || strtoul(br + 1, NULL, 10) == PROC_PID_INIT_INO;
	}
	return 0;
}

/* Treats the errors that mean "the process is gone" alike. */
static bool vanished(int err)
{
	return err == -ENOENT || err == -ESRCH;
}

/* Notes a field that could not be read for a reason other than the process leaving. */
static void note_unreadable(struct proc_table *t, struct proc_record *rec, int err)
{
	if (rec->read_errno == 0)
		rec->read_errno = -err;
	if (t->unreadable++ == 0)
		t->unreadable_errno = -err;
}

/* Reads /proc/PID/NAME into buf; its length or -errno. */
static ssize_t read_pid_file(struct proc_table *t, pid_t pid, const char *name, char *buf, size_t size)
{
	char path[48];

	/*
	 * "PID/NAME" relative to the /proc descriptor costs one open per file;
	 * opening /proc/PID first and then NAME in it measured 18% more CPU
	 * time over 5,000 processes (README.md, "Speed").
	 */
	snprintf(path, sizeof(path), "%d/%s", (int)pid, name);
	return sysroot_read_at(t->procfd, path, buf, size);
}

/*
 * Finds a live thread of a process whose leader has exited (a zombie leader
 * with Threads: > 1) and copies its memory into st: the kernel's
 * find_lock_task_mm() (mm/oom_kill.c) looks at every thread for an mm, so
 * such a process is still a candidate, but the leader's status has no Vm
 * lines.  Returns the thread's id, or 0 when none has an mm.
 */
static pid_t live_thread_mem(int procfd, pid_t pid, struct proc_status *st)
{
	char buf[8192], name[64];
	struct dirent *de;
	pid_t found = 0;
	int fd;

	snprintf(name, sizeof(name), "%d/task", (int)pid);
	fd = openat(procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;

	if (!dir) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (!found && (de = readdir(dir)) != NULL) {
		struct proc_status ts;
		long tid = strtol(de->d_name, NULL, 10);
		ssize_t n;
		if (tid <= 0 || tid == pid)
			continue;
		snprintf(name, sizeof(name), "%d/task/%ld/status", (int)pid, tid);
		n = sysroot_read_at(procfd, name, buf, sizeof(buf));
		if (n <= 0 || proc_parse_status(buf, (size_t)n, &ts) < 0 || !ts.has_mm)
			continue;
		st->has_mm = true;
		st->anon_kib = ts.anon_kib;
		st->file_kib = ts.file_kib;
		st->shmem_kib = ts.shmem_kib;
		st->swap_kib = ts.swap_kib;
		st->pte_kib = ts.pte_kib;
		found = (pid_t)tid;
	}
	closedir(dir);
	return found;
}

/* Fills rec from status and oom_score_adj; 0, or -ENOENT when the process vanished. */
static int read_core(struct proc_table *t, struct proc_record *rec)
{
	char buf[8192];
	struct proc_status st;
	ssize_t n;
	long adj;

	n = read_pid_file(t, rec->pid, "status", buf, sizeof(buf));
	if (n < 0) {
		if (vanished((int)n))
			return -ENOENT;
		note_unreadable(t, rec, (int)n);
	} else if (n == 0) {
		return -ENOENT; /* a task being reaped reads empty */
	} else if (proc_parse_status(buf, (size_t)n, &st) == 0) {
		if (!st.has_mm && st.state == 'Z' && st.threads > 1)
			rec->mm_tid = live_thread_mem(t->procfd, rec->pid, &st);
		memcpy(rec->comm, st.name, sizeof(rec->comm));
		rec->state = st.state;
		rec->ppid = st.ppid;
		rec->uid = st.uid;
		rec->ruid = st.ruid;
		rec->cap_sys_admin = st.cap_sys_admin;
		rec->has_mm = st.has_mm;
		rec->anon_kib = st.anon_kib;
		rec->rss_vmrss = st.rss_vmrss;
		rec->file_kib = st.file_kib;
		rec->shmem_kib = st.shmem_kib;
		rec->swap_kib = st.swap_kib;
		rec->pte_kib = st.pte_kib;
		if (st.kthread >= 0) {
			rec->kthread = st.kthread;
		} else if (!st.has_mm) {
			/* before 6.4 status has no Kthread: line; PF_KTHREAD is in stat */
			struct proc_stat ps;
			n = read_pid_file(t, rec->pid, "stat", buf, sizeof(buf));
			if (n > 0 && proc_parse_stat(buf, (size_t)n, &ps) == 0) {
				rec->kthread = (ps.flags & PF_KTHREAD) != 0;
				rec->start_ticks = ps.start_ticks;
				rec->known |= PROC_HAVE_START;
			}
		}
		rec->known |= PROC_HAVE_STATUS;
	}

	n = read_pid_file(t, rec->pid, "oom_score_adj", buf, sizeof(buf));
	if (n < 0) {
		if (vanished((int)n))
			return -ENOENT;
		if (rec->read_errno == 0)
			note_unreadable(t, rec, (int)n);
	} else if (proc_parse_long(buf, (size_t)n, OOM_SCORE_ADJ_MIN, OOM_SCORE_ADJ_MAX, &adj) == 0) {
		rec->oom_score_adj = (int)adj;
		rec->known |= PROC_HAVE_ADJ;
	}
	return 0;
}

/* Makes room for one more record and returns it, zeroed. */
static struct proc_record *table_push(struct proc_table *t, pid_t pid)
{
	struct proc_record *rec;

	if (t->len == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 512;
		t->recs = xreallocarray(t->recs, t->cap, sizeof(*t->recs));
	}
	rec = &t->recs[t->len++];
	memset(rec, 0, sizeof(*rec));
	rec->pid = pid;
	/* pid 1 of a container's namespace is not is_global_init(): it stays killable */
	rec->global_init = pid == 1 && t->init_is_global;
	rec->comm[0] = '?';
	rec->state = '?';
	return rec;
}

/* Reads pid into a new record; a process that vanished leaves no record. */
static void scan_one(struct proc_table *t, pid_t pid)
{
	struct proc_record *rec = table_push(t, pid);

	if (read_core(t, rec) < 0)
		t->len--;
}

/* Returns pid for an all-digit name of a /proc entry, or 0. */
static pid_t pid_of_name(const char *name)
{
	unsigned long v = 0;

	if (*name < '1' || *name > '9')
		return 0;
	for (; *name; name++) {
		if (*name < '0' || *name > '9' || v > 0x7fffffffUL / 10)
			return 0;
		v = v * 10 + (unsigned long)(*name - '0');
	}
	return (pid_t)v;
}

/*
 * Reads every process in /proc into t, replacing what it held; returns 0,
 * or -errno when /proc cannot be read at all (-ENODEV: not a procfs).
 */
int proc_scan(struct proc_table *t)
{
	struct dirent *de;
	DIR *dir;
	int fd, err;

	proc_table_clear(t);
	err = proc_open_root(t);
	if (err < 0)
		return err;
	fd = openat(t->procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return oomtop_errno();
	dir = fdopendir(fd);
	if (!dir) {
		err = -errno;
		close(fd);
		return err;
	}
	while ((de = readdir(dir)) != NULL) {
		pid_t pid = pid_of_name(de->d_name);
		if (pid > 0)
			scan_one(t, pid);
	}
	closedir(dir);
	return 0;
}

/* Reads only the given pids into t, in that order; missing ones are left out. 0 or -errno. */
int proc_scan_pids(struct proc_table *t, const pid_t *pids, size_t n)
{
	int err;

	proc_table_clear(t);
	err = proc_open_root(t);
	if (err < 0)
		return err;
	for (size_t i = 0; i < n; i++) {
		if (proc_table_find(t, pids[i]))
			continue;
		scan_one(t, pids[i]);
	}
	return 0;
}

/*
 * Reads exactly the given pids, which must be sorted and unique, into t (so
 * that proc_table_find() finds them by bisection); missing ones are left
 * out.  0 or -errno.
 */
int proc_scan_pid_set(struct proc_table *t, const pid_t *sorted, size_t n)
{
	int err;

	proc_table_clear(t);
	err = proc_open_root(t);
	if (err < 0)
		return err;
	for (size_t i = 0; i < n; i++)
		scan_one(t, sorted[i]);
	return 0;
}

/* Returns the generation of oom_badness() the running kernel's release names (badness_model_for_release()). */
enum badness_model proc_table_model(const struct proc_table *t)
{
	return t->model;
}

/* Returns how the running kernel breaks ties between equal badness, by its release (badness_tie_for_release()). */
enum badness_tie proc_table_tie(const struct proc_table *t)
{
	return t->tie;
}

/* Returns whether the running kernel's OOM killer counts rss with the approximate counters. */
bool proc_table_counts_approx(const struct proc_table *t)
{
	return t->counts_approx;
}

/* Returns whether the kernel's release suggests the approximate counters, whatever the model check found. */
bool proc_table_release_counts_approx(const struct proc_table *t)
{
	return t->release_approx;
}

/* Sets which rss the OOM killer counts, as the model check found it; the exact sums drop every stat rss read. */
void proc_table_set_counts_approx(struct proc_table *t, bool approx)
{
	t->counts_approx = approx;
	if (!approx)
		for (size_t i = 0; i < t->len; i++)
			t->recs[i].known &= ~(unsigned)PROC_HAVE_KRSS;
}

/* Reads the stat of rec's memory owner (the leader, or the live thread of an exited leader); 0 or -errno. */
static int read_mm_stat(struct proc_table *t, const struct proc_record *rec, struct proc_stat *st)
{
	char path[48], buf[1024];
	ssize_t n;

	if (proc_open_root(t) < 0)
		return -ENODEV;
	if (rec->mm_tid)
		snprintf(path, sizeof(path), "%d/task/%d/stat", (int)rec->pid, (int)rec->mm_tid);
	else
		snprintf(path, sizeof(path), "%d/stat", (int)rec->pid);
	n = sysroot_read_at(t->procfd, path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (proc_parse_stat(buf, (size_t)n, st) < 0 || !st->has_rss)
		return -EINVAL;
	return 0;
}

/*
 * Reads the rss the kernel's OOM killer counts for rec where it differs from
 * status (see proc_kernel_counts_approx()): field 24 of stat, get_mm_rss()
 * (fs/proc/array.c do_task_stat()), of the leader or of the live thread of
 * an exited leader.  A no-op on kernels that count exactly.  0 or -errno.
 */
int proc_read_kernel_rss(struct proc_table *t, struct proc_record *rec)
{
	struct proc_stat st;
	int err;

	if (!t->counts_approx || (rec->known & PROC_HAVE_KRSS) || !rec->has_mm)
		return 0;
	err = read_mm_stat(t, rec, &st);
	if (err < 0)
		return err;
	rec->kernel_rss_pages = st.rss_pages;
	rec->known |= PROC_HAVE_KRSS;
	if (!rec->mm_tid && !(rec->known & PROC_HAVE_START)) {
		rec->start_ticks = st.start_ticks;
		rec->known |= PROC_HAVE_START;
	}
	return 0;
}

/*
 * Reads get_mm_rss() of rec, field 24 of stat, into *pages, on any kernel
 * and without changing the record (the model check compares both
 * countings).  0 or -errno.
 */
int proc_read_stat_rss(struct proc_table *t, const struct proc_record *rec, unsigned long *pages)
{
	struct proc_stat st;
	int err = read_mm_stat(t, rec, &st);

	if (err == 0)
		*pages = st.rss_pages;
	return err;
}

/* Re-reads status and oom_score_adj of rec; 0, or -ENOENT when it exited. */
int proc_read_record(struct proc_table *t, struct proc_record *rec)
{
	char *cmdline = rec->cmdline;
	size_t cmdline_len = rec->cmdline_len;
	unsigned keep = rec->known & PROC_HAVE_CMDLINE;
	pid_t pid = rec->pid;
	int err = proc_open_root(t);

	if (err < 0)
		return err;
	memset(rec, 0, sizeof(*rec));
	rec->pid = pid;
	rec->global_init = pid == 1 && t->init_is_global;
	rec->cmdline = cmdline;
	rec->cmdline_len = cmdline_len;
	rec->known = keep;
	return read_core(t, rec);
}

/* Reads the kernel's oom_score of rec; 0 or -errno (-ENOENT: exited). */
int proc_read_score(struct proc_table *t, struct proc_record *rec)
{
	char buf[32];
	long score;
	ssize_t n;

	if (rec->known & PROC_HAVE_SCORE)
		return 0;
	if (proc_open_root(t) < 0)
		return -ENODEV;
	n = read_pid_file(t, rec->pid, "oom_score", buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (proc_parse_long(buf, (size_t)n, 0, 2000, &score) < 0)
		return -EINVAL;
	rec->oom_score = score;
	rec->known |= PROC_HAVE_SCORE;
	return 0;
}

/* Reads the start time of rec from stat (used to break ties); 0 or -errno. */
int proc_read_start(struct proc_table *t, struct proc_record *rec)
{
	char buf[1024];
	struct proc_stat st;
	ssize_t n;

	if (rec->known & PROC_HAVE_START)
		return 0;
	if (proc_open_root(t) < 0)
		return -ENODEV;
	n = read_pid_file(t, rec->pid, "stat", buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (proc_parse_stat(buf, (size_t)n, &st) < 0)
		return -EINVAL;
	rec->start_ticks = st.start_ticks;
	rec->known |= PROC_HAVE_START;
	return 0;
}

/*
 * Reads a cmdline file (name, under dirfd) into a new string (*out, the
 * caller frees it) of *len bytes: argv joined by spaces, at most
 * CMDLINE_MAX bytes; 0 or -errno.
 */
int proc_read_cmdline_at(int dirfd, const char *name, char **out, size_t *len)
{
	size_t got;
	char *buf;
	int err = sysroot_read_whole_at(dirfd, name, CMDLINE_MAX, &buf, &got);

	if (err < 0)
		return err;
	got = proc_join_cmdline(buf, got);
	buf = xrealloc(buf, got + 1);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

/*
 * Reads the command line of rec (argv joined by spaces, possibly empty) into
 * a string the table owns; 0 or -errno.
 */
int proc_read_cmdline(struct proc_table *t, struct proc_record *rec)
{
	char path[32];
	size_t len;
	char *buf;
	int err;

	if (rec->known & PROC_HAVE_CMDLINE)
		return 0;
	if (proc_open_root(t) < 0)
		return -ENODEV;
	snprintf(path, sizeof(path), "%d/cmdline", (int)rec->pid);
	err = proc_read_cmdline_at(t->procfd, path, &buf, &len);
	if (err < 0)
		return err;
	free(rec->cmdline);
	rec->cmdline = buf;
	rec->cmdline_len = len;
	rec->known |= PROC_HAVE_CMDLINE;
	return 0;
}

/* Orders pids for qsort. */
static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* Orders records by pid for qsort. */
static int cmp_rec_pid(const void *a, const void *b)
{
	return cmp_pid(&((const struct proc_record *)a)->pid, &((const struct proc_record *)b)->pid);
}

/* Lists the pids in /proc, sorted, into *pids (which the caller frees); their count or -errno. */
static ssize_t list_pids(struct proc_table *t, pid_t **pids)
{
	size_t n = 0, cap = t->len + 64;
	struct dirent *de;
	DIR *dir;
	int fd;

	fd = openat(t->procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return oomtop_errno();
	dir = fdopendir(fd);
	if (!dir) {
		int err = oomtop_errno();
		close(fd);
		return err;
	}
	*pids = xreallocarray(NULL, cap, sizeof(**pids));
	while ((de = readdir(dir)) != NULL) {
		pid_t pid = pid_of_name(de->d_name);
		if (pid <= 0)
			continue;
		if (n == cap) {
			cap *= 2;
			*pids = xreallocarray(*pids, cap, sizeof(**pids));
		}
		(*pids)[n++] = pid;
	}
	closedir(dir);
	/* procfs lists pids in ascending order (fs/proc/base.c next_tgid()); sort anyway */
	qsort(*pids, n, sizeof(**pids), cmp_pid);
	return (ssize_t)n;
}

/*
 * Brings t up to date with /proc, for a view that refreshes: the records of
 * processes that are gone are dropped, new processes are read as
 * proc_scan() reads them, and a process still there keeps its record, which
 * is re-read (status and oom_score_adj) only when stale(rec, arg) says so.
 * A re-read record keeps its command line unless its name changed (an
 * exec, or a reused pid).  Records end up in pid order and pointers into
 * the table are invalid afterwards.  0 or -errno as for proc_scan().
 */
int proc_scan_update(struct proc_table *t, bool (*stale)(const struct proc_record *rec, void *arg), void *arg)
{
	struct proc_record *old;
	size_t oldlen, i = 0;
	pid_t *pids = NULL;
	ssize_t n;
	int err;

	err = proc_open_root(t);
	if (err < 0)
		return err;
	n = list_pids(t, &pids);
	if (n < 0)
		return (int)n;
	old = t->recs;
	oldlen = t->len;
	for (size_t k = 1; k < oldlen; k++) {
		if (old[k - 1].pid > old[k].pid) { /* proc_scan_pids keeps the caller's order */
			qsort(old, oldlen, sizeof(*old), cmp_rec_pid);
			break;
		}
	}
	t->cap = (size_t)n;
	t->len = 0;
	t->recs = t->cap ? xreallocarray(NULL, t->cap, sizeof(*t->recs)) : NULL;
	for (size_t j = 0; j < (size_t)n; j++) {
		pid_t pid = pids[j];
		while (i < oldlen && old[i].pid < pid)
			free(old[i++].cmdline);
		if (i < oldlen && old[i].pid == pid) {
			struct proc_record *rec = table_push(t, pid);
			char comm[sizeof(rec->comm)];
			*rec = old[i++];
			if (!stale(rec, arg))
				continue;
			memcpy(comm, rec->comm, sizeof(comm));
			if (proc_read_record(t, rec) < 0) {
				free(rec->cmdline);
				t->len--;
			} else if (strcmp(comm, rec->comm) != 0) {
				free(rec->cmdline);
				rec->cmdline = NULL;
				rec->cmdline_len = 0;
				rec->known &= ~(unsigned)PROC_HAVE_CMDLINE;
			}
		} else {
			scan_one(t, pid);
		}
	}
	while (i < oldlen)
		free(old[i++].cmdline);
	free(old);
	free(pids);
	t->unreadable = 0;
	t->unreadable_errno = 0;
	for (size_t k = 0; k < t->len; k++)
		if (t->recs[k].read_errno && t->unreadable++ == 0)
			t->unreadable_errno = t->recs[k].read_errno;
	return 0;
}

/* Returns the hidepid mode that the value of a hidepid= mount option names (a number before 5.8), or -1. */
static int hidepid_value(const char *v, size_t len)
{
	static const struct {
		const char *name;
		int mode;
	} modes[] = {
		/* fs/proc/root.c, hidepid2str() since 5.8; the numbers before */
		{ "off", PROC_HIDEPID_OFF },
		{ "0", PROC_HIDEPID_OFF },
		{ "noaccess", PROC_HIDEPID_NOACCESS },
		{ "1", PROC_HIDEPID_NOACCESS },
		{ "invisible", PROC_HIDEPID_INVISIBLE },
		{ "2", PROC_HIDEPID_INVISIBLE },
		{ "ptraceable", PROC_HIDEPID_PTRACEABLE },
		{ "4", PROC_HIDEPID_PTRACEABLE },
	};

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strlen(modes[i].name) == len && memcmp(modes[i].name, v, len) == 0)
			return modes[i].mode;
	return -1;
}

/*
 * Reads the hidepid= and gid= options of the proc mount at /proc from the
 * text of /proc/self/mountinfo (proc(5): "ID PARENT MAJ:MIN ROOT MOUNTPOINT
 * OPTIONS [TAGS...] - FSTYPE SOURCE SUPEROPTIONS").  A later line mounted
 * over an earlier one, so the last proc mount at /proc decides.  0 with *out
 * set (hidepid off when no line says otherwise), or -ENOENT when no proc
 * file system is mounted at /proc.
 */
int proc_parse_mountinfo_hidepid(const char *text, size_t len, struct proc_hidepid *out)
{
	const char *p = text, *end = text + len;
	bool found = false;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *f[MOUNTINFO_FIELDS] = { 0 };
		size_t flen[MOUNTINFO_FIELDS] = { 0 }, n = 0, k;

		if (!eol)
			eol = end;
		for (const char *q = p; q < eol && n < MOUNTINFO_FIELDS;) {
			const char *start = q;
			while (q < eol && *q != ' ')
				q++;
			f[n] = start;
			flen[n++] = (size_t)(q - start);
			while (q < eol && *q == ' ')
				q++;
		}
		p = eol + 1;
		/* the optional tags end at "-", the 7th field or later; FSTYPE SOURCE SUPEROPTIONS follow */
		for (k = 6; k < n && !(flen[k] == 1 && f[k][0] == '-'); k++)
			;
		if (k + 3 >= n)
			continue;
		if (flen[4] != 5 || memcmp(f[4], "/proc", 5) != 0 || flen[k + 1] != 4 ||
		    memcmp(f[k + 1], "proc", 4) != 0)
			continue;
		found = true;
		out->mode = PROC_HIDEPID_OFF;
		out->have_gid = false;
		out->gid = 0;
		for (const char *o = f[k + 3], *oend = f[k + 3] + flen[k + 3]; o < oend;) {
			const char *comma = memchr(o, ',', (size_t)(oend - o));
			size_t olen = (size_t)((comma ? comma : oend) - o);

			if (olen > 8 && memcmp(o, "hidepid=", 8) == 0) {
				int mode = hidepid_value(o + 8, olen - 8);
				if (mode >= 0)
					out->mode = mode;
			} else if (olen > 4 && olen <= 14 && memcmp(o, "gid=", 4) == 0) {
				unsigned long long g = 0;
				size_t i = 4;
				while (i < olen && o[i] >= '0' && o[i] <= '9')
					g = g * 10 + (unsigned long long)(o[i++] - '0');
				if (i == olen && g <= 0xffffffffULL) {
					out->have_gid = true;
					out->gid = (unsigned)g;
				}
			}
			o += olen + 1;
		}
	}
	return found ? 0 : -ENOENT;
}

/*
 * Reads how /proc hides processes (hidepid=, gid=) from /proc/self/mountinfo
 * and whether that hides some from this process: the kernel lets a member
 * of the gid= group, and whoever may ptrace a process (root), see it anyway
 * (fs/proc/base.c has_pid_permissions()).  0, or -errno.
 */
int proc_hidepid_read(struct proc_hidepid *out)
{
	char *text = NULL;
	size_t len = 0;
	int err;

	memset(out, 0, sizeof(*out));
	err = sysroot_read_whole("/proc/self/mountinfo", MOUNTINFO_MAX, &text, &len);
	if (err < 0)
		return err;
	err = proc_parse_mountinfo_hidepid(text, len, out);
	free(text);
	if (err < 0)
		return err;
	out->hides = out->mode != PROC_HIDEPID_OFF && geteuid() != 0;
	if (out->hides && out->have_gid) {
		gid_t groups[256];
		int ng = getgroups(256, groups);
		if (getegid() == (gid_t)out->gid)
			out->hides = false;
		for (int i = 0; i < ng; i++)
			if (groups[i] == (gid_t)out->gid)
				out->hides = false;
	}
	return 0;
}

/* Returns the name the kernel gives a hidepid mode. */
const char *proc_hidepid_text(int mode)
{
	switch (mode) {
	case PROC_HIDEPID_NOACCESS:
		return "noaccess";
	case PROC_HIDEPID_INVISIBLE:
		return "invisible";
	case PROC_HIDEPID_PTRACEABLE:
		return "ptraceable";
	default:
		return "off";
	}
}

/*
 * Appends why the view of the processes is partial, or nothing when it is
 * whole: how many processes could not be read (and the first errno), and
 * that /proc hides other users' processes (hp, when it hides any from us).
 */
void proc_partial_reason(struct strbuf *sb, const struct proc_hidepid *hp, size_t unreadable, int unreadable_errno)
{
	bool hides = hp && hp->hides;

	if (unreadable)
		sb_addf(sb, "%zu process%s could not be read (%s)%s", unreadable, unreadable == 1 ? "" : "es",
			strerror(unreadable_errno), hides ? ": " : "");
	if (!hides)
		return;
	sb_addf(sb, "/proc is mounted with hidepid=%s, which %s; run as root", proc_hidepid_text(hp->mode),
		hp->mode == PROC_HIDEPID_NOACCESS ? "makes other users' processes unreadable"
						  : "hides other users' processes");
	if (hp->have_gid)
		sb_addf(sb, " or as a member of group %u", hp->gid);
	sb_adds(sb, " to see them");
}
