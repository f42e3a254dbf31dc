/*
 * The writer.  A process is pinned by a descriptor of its /proc/PID
 * directory: the inode holds the kernel's struct pid, and once that process
 * is reaped every lookup below the descriptor fails (fs/proc/base.c
 * get_proc_task() returns NULL), even when a new process has taken the same
 * number.  So identifying a process once and then reading and writing only
 * through openat(dirfd, ...) is free of PID reuse races.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/kcmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <syslog.h>
#include <unistd.h>

#include "adj.h"
#include "adjfmt.h"
#include "badness.h"
#include "num.h"
#include "oomtop.h"
#include "proc.h"
#include "sysroot.h"
#include "users.h"
#include "xalloc.h"

#define LOGINUID_UNSET 4294967295UL /* (uid_t)-1: include/linux/audit.h AUDIT_UID_UNSET */

struct adj_proc {
	int dirfd; /* /proc/PID, the pinned identity */
	struct adj_ident id;
	struct adj_rules rules; /* of the kernel that /proc belongs to (adj_rules_for_release()) */
};

/* Treats the errors that mean "the process is gone" alike. */
static bool gone(long err)
{
	return err == -ENOENT || err == -ESRCH;
}

/* Reads stat and status through the pinned directory into id; 0, -ESRCH (gone) or -errno. */
static int read_ident(int dirfd, struct adj_ident *id)
{
	char buf[8192];
	struct proc_stat st;
	struct proc_status ss;
	ssize_t n;

	n = sysroot_read_at(dirfd, "stat", buf, sizeof(buf));
	if (n <= 0)
		return n == 0 || gone(n) ? -ESRCH : (int)n;
	if (proc_parse_stat(buf, (size_t)n, &st) < 0)
		return -EINVAL;
	memcpy(id->comm, st.comm, sizeof(id->comm));
	id->state = st.state;
	id->ppid = st.ppid;
	id->kthread = (st.flags & PF_KTHREAD) != 0;
	id->start_ticks = st.start_ticks;

	n = sysroot_read_at(dirfd, "status", buf, sizeof(buf));
	if (n <= 0)
		return n == 0 || gone(n) ? -ESRCH : (int)n;
	if (proc_parse_status(buf, (size_t)n, &ss) < 0)
		return -EINVAL;
	id->uid = ss.uid;
	id->ruid = ss.ruid;
	id->suid = ss.suid;
	if (ss.kthread > 0)
		id->kthread = true;
	return 0;
}

/* Reads the release of the kernel procfd is the /proc of, into that kernel's rules (the newest when unreadable). */
static void read_rules(int procfd, struct adj_rules *rules)
{
	char buf[128];
	ssize_t n = sysroot_read_at(procfd, "sys/kernel/osrelease", buf, sizeof(buf));

	if (n <= 0) {
		adj_rules_newest(rules);
		return;
	}
	buf[(size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	adj_rules_for_release(buf, rules);
}

/*
 * Identifies pid below the /proc directory procfd and pins it; when
 * start_ticks is not 0 the process must have started then.  Stores a new
 * handle in *out and returns 0, or -ENOENT (no such process), -ESRCH (it
 * exited, or the PID belongs to a process that started at another time), -errno.
 */
int adj_open_at(int procfd, pid_t pid, unsigned long long start_ticks, struct adj_proc **out)
{
	struct adj_proc *p;
	char name[16];
	int dirfd, err;

	if (pid <= 0)
		return -ENOENT;
	snprintf(name, sizeof(name), "%d", (int)pid);
	dirfd = openat(procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		err = oomtop_errno();
		return gone(err) ? -ENOENT : err;
	}
	p = xcalloc(1, sizeof(*p));
	p->dirfd = dirfd;
	p->id.pid = pid;
	read_rules(procfd, &p->rules);
	err = read_ident(dirfd, &p->id);
	if (err == 0 && start_ticks && p->id.start_ticks != start_ticks)
		err = -ESRCH;
	if (err < 0) {
		adj_close(p);
		return err == -ESRCH && !start_ticks ? -ENOENT : err;
	}
	*out = p;
	return 0;
}

/* Identifies pid in /proc (which must be a procfs: sysroot.c checks) and pins it; as adj_open_at(). */
int adj_open(pid_t pid, unsigned long long start_ticks, struct adj_proc **out)
{
	int procfd = sysroot_proc_fd();

	if (procfd < 0)
		return procfd;
	return adj_open_at(procfd, pid, start_ticks, out);
}

/* Releases a handle (NULL is fine). */
void adj_close(struct adj_proc *p)
{
	if (!p)
		return;
	if (p->dirfd >= 0)
		close(p->dirfd);
	free(p);
}

/* Returns what was read about the process when it was identified; borrowed from p. */
const struct adj_ident *adj_proc_ident(const struct adj_proc *p)
{
	return &p->id;
}

/* Returns the rules of the kernel the process runs under (adj_rules_for_release()); borrowed from p. */
const struct adj_rules *adj_proc_rules(const struct adj_proc *p)
{
	return &p->rules;
}

/* Tells -ESRCH (the process is gone) from -ENODEV (it lives; the file does not exist). */
static int missing_file(int dirfd)
{
	return faccessat(dirfd, "stat", F_OK, 0) < 0 ? -ESRCH : -ENODEV;
}

/*
 * Reads the current value: oom_score_adj into *score and what oom_adj shows
 * into *legacy (read from the file where the kernel keeps it apart, before
 * 3.7; else what its oom_adj_read() makes of the score); where the kernel
 * has no oom_score_adj (before 2.6.36) reads oom_adj instead, sets
 * *fallback and leaves *score as the conversion.  0, -ESRCH (exited),
 * -ENODEV (neither file) or -errno.
 */
int adj_read(struct adj_proc *p, int *score, int *legacy, bool *fallback)
{
	char buf[32];
	long v;
	ssize_t n;

	*fallback = false;
	n = sysroot_read_at(p->dirfd, "oom_score_adj", buf, sizeof(buf));
	if (n == -ENOENT && missing_file(p->dirfd) == -ENODEV) {
		n = sysroot_read_at(p->dirfd, "oom_adj", buf, sizeof(buf));
		if (n == -ENOENT)
			return missing_file(p->dirfd);
		if (n < 0)
			return gone(n) ? -ESRCH : (int)n;
		if (proc_parse_long(buf, (size_t)n, OOM_DISABLE, OOM_ADJUST_MAX, &v) < 0)
			return -EINVAL;
		*fallback = true;
		*legacy = (int)v;
		*score = badness_legacy_to_adj((int)v);
		return 0;
	}
	if (n < 0)
		return gone(n) ? -ESRCH : (int)n;
	if (n == 0)
		return -ESRCH;
	if (proc_parse_long(buf, (size_t)n, OOM_SCORE_ADJ_MIN, OOM_SCORE_ADJ_MAX, &v) < 0)
		return -EINVAL;
	*score = (int)v;
	*legacy = adj_legacy_of_score(&p->rules, (int)v);
	if (p->rules.legacy == ADJ_LEGACY_KEPT) {
		n = sysroot_read_at(p->dirfd, "oom_adj", buf, sizeof(buf));
		if (n > 0 && proc_parse_long(buf, (size_t)n, OOM_DISABLE, OOM_ADJUST_MAX, &v) == 0)
			*legacy = (int)v;
	}
	return 0;
}

/*
 * Reads the command line through the pinned directory: argv joined by spaces
 * into a new string (*cmdline, the caller frees it) of *len bytes; 0 or -errno.
 */
int adj_read_cmdline(struct adj_proc *p, char **cmdline, size_t *len)
{
	int err = proc_read_cmdline_at(p->dirfd, "cmdline", cmdline, len);

	return err < 0 && gone(err) ? -ESRCH : err;
}

/*
 * Tells whether the process runs the file with device dev and inode ino:
 * /proc/PID/exe followed to the file itself, so a path that merely reads the
 * same (another mount namespace, a replaced binary) does not count.  0 or -errno.
 */
int adj_same_exe(struct adj_proc *p, dev_t dev, ino_t ino, bool *same)
{
	struct stat st;

	if (fstatat(p->dirfd, "exe", &st, 0) < 0)
		return -errno;
	*same = st.st_dev == dev && st.st_ino == ino;
	return 0;
}

/*
 * Reads where /proc/PID/exe points into buf (NUL-terminated, cut to size):
 * the path of the running file, with " (deleted)" after it once that file was
 * removed or replaced (fs/d_path.c d_path()), and the device of that file
 * into *dev; 0 or -errno.
 */
int adj_exe_target(struct adj_proc *p, char *buf, size_t size, dev_t *dev)
{
	struct stat st;
	ssize_t n;

	if (size == 0)
		return -EINVAL;
	if (fstatat(p->dirfd, "exe", &st, 0) < 0)
		return -errno;
	n = readlinkat(p->dirfd, "exe", buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	*dev = st.st_dev;
	return 0;
}

/*
 * Reads the first argument of the command line (argv[0], cut at 4 KiB)
 * through the pinned directory into buf (NUL-terminated); 0 or -errno
 * (-ENODATA when the process has none: a kernel thread, a zombie).
 */
int adj_read_argv0(struct adj_proc *p, char *buf, size_t size)
{
	ssize_t n = sysroot_read_at(p->dirfd, "cmdline", buf, size);

	if (n < 0)
		return gone(n) ? -ESRCH : (int)n;
	return n == 0 || buf[0] == '\0' ? -ENODATA : 0; /* read_at ended it; the first NUL ends argv[0] */
}

/*
 * Reads /proc/PID/cgroup through the pinned directory into a new buffer
 * (*buf, the caller frees it) of *len bytes, at most 1 MiB; 0, -ESRCH when
 * the process is gone, or -errno.  What its workload is told from, so that
 * a selection by unit or workload decides on the pinned process's cgroup.
 */
int adj_read_cgroup(struct adj_proc *p, char **buf, size_t *len)
{
	int err = sysroot_read_whole_at(p->dirfd, "cgroup", 1UL << 20, buf, len);

	return err < 0 && gone(err) ? -ESRCH : err;
}

/* Returns whether this process holds CAP_SYS_RESOURCE in its effective set. */
static bool have_cap_sys_resource(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return (data[CAP_TO_INDEX(CAP_SYS_RESOURCE)].effective & CAP_TO_MASK(CAP_SYS_RESOURCE)) != 0;
}

/* Returns this process's login uid (who logged in, through su and sudo), or -1 when unset. */
static long login_uid(void)
{
	char buf[32];
	long v;
	ssize_t n = sysroot_read("/proc/self/loginuid", buf, sizeof(buf));

	if (n <= 0 || proc_parse_long(buf, (size_t)n, 0, 0xffffffffL, &v) < 0 || v == (long)LOGINUID_UNSET)
		return -1;
	return v;
}

/* Sends one line about a write (or a refused one) to syslog(3). */
static void log_write(const struct adj_result *res, const char *cmd)
{
	struct strbuf sb = STRBUF_INIT;
	uid_t uid = getuid();

	adjfmt_log(&sb, res, cmd, uid, users_name(uid), login_uid());
	openlog(OOMTOP_NAME, LOG_PID, LOG_USER);
	syslog(res->err ? LOG_WARNING : LOG_NOTICE, "%s", sb_str(&sb));
	closelog();
	sb_free(&sb);
}

/* A process found sharing the target's memory before the write, with its value then. */
struct sharer_probe {
	pid_t pid;
	int old_score;
};

/* Adds pid to *list (of *n) when it shares p's memory, with its value now. */
static void probe_one(const struct adj_proc *p, pid_t pid, struct sharer_probe **list, size_t *n)
{
	char path[64], buf[32];
	ssize_t len;
	long v;

	if (pid == p->id.pid || syscall(SYS_kcmp, p->id.pid, pid, KCMP_VM, 0, 0) != 0)
		return;
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
	len = sysroot_read(path, buf, sizeof(buf));
	if (len <= 0 || proc_parse_long(buf, (size_t)len, OOM_SCORE_ADJ_MIN, OOM_SCORE_ADJ_MAX, &v) < 0)
		return;
	*list = xreallocarray(*list, *n + 1, sizeof(**list));
	(*list)[*n].pid = pid;
	(*list)[(*n)++].old_score = (int)v;
}

/*
 * Lists the other processes that share p's memory (kcmp KCMP_VM, since 3.5)
 * with their current values, into a new array (*out, the caller frees it);
 * returns how many.  fs/proc/base.c __set_oom_adj() writes the value of all
 * of them (CLONE_VM without CLONE_THREAD; not vfork children, kernel
 * threads or init), so the result can say so.  It looks among req's peers
 * when the caller gives them, else lists /proc.  Without kcmp, or the right
 * to compare, it finds none.
 */
static size_t probe_sharers(const struct adj_proc *p, const struct adj_request *req, struct sharer_probe **out)
{
	struct sharer_probe *list = NULL;
	struct dirent *de;
	size_t n = 0;
	DIR *dir;
	int fd;

	*out = NULL;
	if (syscall(SYS_kcmp, p->id.pid, p->id.pid, KCMP_VM, 0, 0) != 0)
		return 0;
	if (req->peers) {
		for (size_t i = 0; i < req->npeers; i++)
			probe_one(p, req->peers[i], &list, &n);
		*out = list;
		return n;
	}
	fd = sysroot_proc_fd();
	fd = fd < 0 ? fd : openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dir = fd < 0 ? NULL : fdopendir(fd);
	if (!dir) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((de = readdir(dir)) != NULL) {
		long pid;
		if (num_parse_long(de->d_name, 1, 0x3fffffff, &pid) == 0)
			probe_one(p, (pid_t)pid, &list, &n);
	}
	closedir(dir);
	*out = list;
	return n;
}

/* Records in res the probed processes whose value the kernel changed to the target's. */
static void note_sharers(struct adj_result *res, const struct sharer_probe *probe, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char path[64], buf[4096];
		struct proc_stat st;
		long v;
		ssize_t len;

		if (probe[i].old_score == res->new_score)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)probe[i].pid);
		len = sysroot_read(path, buf, sizeof(buf));
		if (len <= 0 || proc_parse_long(buf, (size_t)len, OOM_SCORE_ADJ_MIN, OOM_SCORE_ADJ_MAX, &v) < 0 ||
		    v != res->new_score)
			continue;
		if (res->nsharers < ADJ_SHARERS_MAX) {
			struct adj_sharer *sh = &res->sharers[res->nsharers];
			sh->pid = probe[i].pid;
			snprintf(path, sizeof(path), "/proc/%d/stat", (int)probe[i].pid);
			len = sysroot_read(path, buf, sizeof(buf));
			if (len > 0 && proc_parse_stat(buf, (size_t)len, &st) == 0)
				memcpy(sh->comm, st.comm, sizeof(sh->comm));
		}
		res->nsharers++;
	}
}

/* Writes text to the file below the pinned directory; 0 or the explained -errno of adj_result. */
static int write_value(struct adj_proc *p, const char *file, int value, struct adj_result *res)
{
	char text[16];
	struct stat st;
	int len = snprintf(text, sizeof(text), "%d\n", value);
	int fd = openat(p->dirfd, file, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n;

	if (fd < 0) {
		int e = errno;
		if (gone(-e))
			return e == ENOENT ? missing_file(p->dirfd) : -ESRCH;
		if (e != EACCES && e != EPERM)
			return -e;
		/* the VFS refused the open: the file is 0644 and owned by the process's uid */
		res->file_uid = fstatat(p->dirfd, file, &st, 0) == 0 ? st.st_uid : p->id.uid;
		return -EPERM;
	}
	do
		n = write(fd, text, (size_t)len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int e = errno;
		close(fd);
		if (e == EINVAL)
			return -ERANGE; /* fs/proc/base.c: out of the kernel's range */
		return gone(-e) ? -ESRCH : -e;
	}
	close(fd);
	return n == len ? 0 : -EIO;
}

/*
 * Decides, without writing, whether the kernel would refuse the write of res
 * to file below the pinned directory, so that a dry run promises only what
 * the real run does; returns 0, -EPERM (the VFS would not open the file for
 * writing: asked with faccessat, the kernel's own check) or -EACCES, by the
 * rules of this kernel's fs/proc/base.c (adj_refusal()): without
 * CAP_SYS_RESOURCE the legacy oom_adj may not go below the current value,
 * and oom_score_adj not below the process's oom_score_adj_min (before
 * 2.6.38: not below the current value).
 */
static int predict_refusal(struct adj_proc *p, const char *file, int legacy, struct adj_result *res)
{
	struct stat st;

	if (faccessat(p->dirfd, file, W_OK, AT_EACCESS) < 0 && (errno == EACCES || errno == EPERM)) {
		res->file_uid = fstatat(p->dirfd, file, &st, 0) == 0 ? st.st_uid : p->id.uid;
		return -EPERM;
	}
	if (res->cap_sys_resource)
		return 0;
	if (res->fallback) /* before 2.6.36: oom_adjust_write() refuses going below the current oom_adj */
		return res->target_legacy < legacy ? -EACCES : 0;
	return adj_refusal(&p->rules, res->unit, res->target_score, res->target_legacy, res->old_score, legacy);
}

/*
 * Sets the process's value as req asks, unless it already has it, and reads
 * it back; fills *res (old and new value, or the explained error) and returns
 * res->err.  A write that happened, or was refused by the kernel, is logged.
 */
int adj_set(struct adj_proc *p, const struct adj_request *req, struct adj_result *res)
{
	struct sharer_probe *probe = NULL;
	size_t nprobe = 0;
	const char *file;
	int value, err, score, legacy;
	bool fallback;

	memset(res, 0, sizeof(*res));
	res->id = p->id;
	res->unit = req->unit;
	res->requested = req->value;
	res->dry_run = req->dry_run;
	res->self_uid = geteuid();
	res->cap_sys_resource = have_cap_sys_resource();
	res->legacy_kept = p->rules.legacy == ADJ_LEGACY_KEPT;
	res->no_score_min = !p->rules.score_min;

	if (req->value < adj_unit_min(req->unit) || req->value > adj_unit_max(req->unit))
		return res->err = -ERANGE;
	if (p->id.kthread)
		return res->err = -EOPNOTSUPP;
	err = adj_read(p, &score, &legacy, &fallback);
	if (err < 0)
		return res->err = err;
	res->have_old = true;
	res->old_score = res->new_score = score;
	res->old_legacy = res->new_legacy = legacy;

	if (fallback) {
		/* before 2.6.36 oom_adj is the only knob: convert and say so */
		res->fallback = true;
		res->unit = ADJ_LEGACY;
		res->converted = req->unit == ADJ_SCORE;
		res->target_legacy = req->unit == ADJ_LEGACY ? req->value : badness_adj_to_legacy(req->value);
		res->target_score = badness_legacy_to_adj(res->target_legacy);
		if (res->target_legacy == legacy)
			return 0;
		value = res->target_legacy;
	} else if (req->unit == ADJ_LEGACY) {
		/* fs/proc/base.c oom_adj_write(): stored as oom_score_adj, converted (and as written before 3.7) */
		res->target_legacy = req->value;
		res->target_score = badness_legacy_to_adj(req->value);
		if (res->target_score == score && adj_legacy_after(&p->rules, ADJ_LEGACY, req->value) == legacy)
			return 0;
		value = req->value;
	} else {
		res->target_score = req->value;
		res->target_legacy = adj_legacy_after(&p->rules, ADJ_SCORE, req->value);
		if (res->target_score == score)
			return 0;
		value = req->value;
	}
	file = adj_unit_file(res->unit);
	if (req->dry_run) {
		err = predict_refusal(p, file, legacy, res);
		if (err < 0) {
			res->owner_name = users_name(res->file_uid);
			res->self_name = users_name(res->self_uid);
			return res->err = err;
		}
		res->new_score = res->target_score;
		res->new_legacy = fallback ? res->target_legacy : adj_legacy_after(&p->rules, res->unit, value);
		return 0;
	}

	/* before 4.8 a write changes only the process itself (its threads share the value anyway) */
	nprobe = fallback || !p->rules.mm_shared || req->no_sharers ? 0 : probe_sharers(p, req, &probe);
	err = write_value(p, file, value, res);
	if (err == -EPERM || err == -EACCES) {
		free(probe);
		res->err = err;
		res->owner_name = users_name(res->file_uid);
		res->self_name = users_name(res->self_uid);
		log_write(res, req->cmd);
		return err;
	}
	if (err < 0) {
		free(probe);
		return res->err = err;
	}
	res->changed = true;
	err = adj_read(p, &score, &legacy, &fallback);
	if (err == -ESRCH) {
		/* the kernel took the value and the process then exited: a success, as for pkill */
		res->exited_after_write = true;
		res->new_score = res->target_score;
		res->new_legacy = fallback ? res->target_legacy : adj_legacy_after(&p->rules, res->unit, value);
	} else if (err < 0) {
		res->err = err;
	} else {
		res->new_score = score;
		res->new_legacy = legacy;
		if (fallback ? legacy != res->target_legacy : score != res->target_score)
			res->err = -EIO;
		else
			note_sharers(res, probe, nprobe);
	}
	free(probe);
	log_write(res, req->cmd);
	return res->err;
}

/* Identifies pid and sets its value as adj_set(); for callers that hold no handle (the live view). */
int adj_set_pid(pid_t pid, unsigned long long start_ticks, const struct adj_request *req, struct adj_result *res)
{
	struct adj_proc *p = NULL;
	int err = adj_open(pid, start_ticks, &p);
	char path[32];

	if (err < 0) {
		snprintf(path, sizeof(path), "/proc/%d", (int)pid);
		memset(res, 0, sizeof(*res));
		res->id.pid = pid;
		res->unit = req->unit;
		res->requested = req->value;
		res->dry_run = req->dry_run;
		res->pid_reused = err == -ESRCH && sysroot_access(path, F_OK) == 0;
		return res->err = err;
	}
	err = adj_set(p, req, res);
	adj_close(p);
	return err;
}
