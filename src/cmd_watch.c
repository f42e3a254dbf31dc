/*
 * `oomtop watch [FILE]`: keeps the rules of /etc/oomtop.conf true at all
 * times.  One full pass as `apply` does, then every exec, comm change and
 * uid change the kernel reports (the process events connector, procev.h) is
 * matched against the rules for that process alone; without the connector,
 * a full pass every --interval seconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "msg.h"
#include "oomtop.h"
#include "procev.h"
#include "rules.h"
#include "rulesfile.h"
#include "sel.h"
#include "sysroot.h"
#include "xalloc.h"

#define CMD "watch"
#define INTERVAL_DEFAULT 5
#define INTERVAL_MAX 86400
#define EVENTS_MAX 64     /* events parsed from one datagram */
#define CHILD_DEPTH_MAX 4 /* generations of children re-checked after a parent's write */
#define CHILDREN_MAX 4096 /* children read from one process's children files */
#define SELFTEST_TIMEOUT_MS 1000

/* What one rule holds now: the processes it wrote or found at its value. */
struct held {
	pid_t *pids; /* owned */
	size_t n;
};

/* The daemon's state. */
struct watch {
	const char *path;
	struct rules rs;
	struct held *held; /* owned, one per rule */
	size_t *counts;    /* owned, scratch: held[i].n after pruning */
	size_t eligible;   /* processes a rule could select, at the last full pass */
	bool dry_run, quiet;
	int nlfd; /* the connector, or -1: polling */
	unsigned long passes, overflows, events;
	struct sel_opts o;
};

/* Drops the held processes that have exited (kill(pid, 0) says ESRCH). */
static void prune_held(struct held *h)
{
	size_t k = 0;

	for (size_t i = 0; i < h->n; i++)
		if (kill(h->pids[i], 0) == 0 || errno != ESRCH)
			h->pids[k++] = h->pids[i];
	h->n = k;
}

/* Records that rule i holds pid. */
static void hold(struct watch *w, size_t i, pid_t pid)
{
	struct held *h = &w->held[i];

	for (size_t k = 0; k < h->n; k++)
		if (h->pids[k] == pid)
			return;
	h->pids = xreallocarray(h->pids, h->n + 1, sizeof(*h->pids));
	h->pids[h->n++] = pid;
}

/* Releases the held sets. */
static void free_held(struct watch *w)
{
	for (size_t i = 0; w->held && i < w->rs.n; i++)
		free(w->held[i].pids);
	free(w->held);
	free(w->counts);
	w->held = NULL;
	w->counts = NULL;
}

/*
 * Prints one line per item where it belongs (changes on stdout, failures on
 * stderr; a process found at its value only in a full pass, and not with
 * -q) and records what each rule now holds; returns how many items changed
 * a value.
 */
static size_t report(struct watch *w, const struct sel_report *rep, bool event)
{
	size_t changed = 0;

	/* no notes: a daemon would repeat them at every pass */
	cmd_print_items(CMD, w->rs.v, rep, w->quiet || event, false);
	for (size_t i = 0; i < rep->nitems; i++) {
		const struct sel_item *it = &rep->items[i];

		if (it->outcome == SEL_CHANGED || it->outcome == SEL_UNCHANGED)
			hold(w, it->rule, it->res.id.pid);
		if (it->outcome == SEL_CHANGED)
			changed++;
	}
	for (size_t i = 0; i < w->rs.n; i++) {
		struct strbuf sb = STRBUF_INIT;
		if (!rep->refused[i])
			continue;
		sel_format_refusal(&sb, &w->rs.v[i], rep->matched[i], rep->skipped[i], rep->eligible, rep->refused[i]);
		msg_err(CMD, "%s:%u: %s", w->path, w->rs.v[i].line, sb_str(&sb));
		sb_free(&sb);
	}
	fflush(stdout);
	return changed;
}

/* Applies the rules to every process, as `apply` does; 0, or -errno when /proc cannot be read. */
static int full_pass(struct watch *w)
{
	struct sel_report rep;
	int err;

	w->passes++;
	for (size_t i = 0; i < w->rs.n; i++)
		w->held[i].n = 0;
	err = sel_run(w->rs.v, w->rs.n, &w->o, &rep);
	if (err < 0) {
		msg_err(CMD, "cannot read /proc: %s", strerror(rep.scan_errno));
	} else {
		w->eligible = rep.eligible;
		report(w, &rep, false);
	}
	sel_report_free(&rep);
	return err;
}

/* Reads the pids listed in /proc/PID/task/PID/children into *out (the caller frees it); returns how many. */
static size_t read_children(pid_t pid, pid_t **out)
{
	char path[64], buf[16384];
	size_t n = 0;
	pid_t *v = NULL;
	ssize_t len;

	/* the main thread's list holds the processes it forked; other threads' children are left out */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	len = sysroot_read(path, buf, sizeof(buf));
	if (len > 0) {
		char *p = buf, *end;
		while (n < CHILDREN_MAX) {
			long c = strtol(p, &end, 10);
			if (end == p || c <= 0 || c > INT32_MAX)
				break;
			v = xreallocarray(v, n + 1, sizeof(*v));
			v[n++] = (pid_t)c;
			p = end;
		}
	}
	*out = v;
	return n;
}

static void check_pid(struct watch *w, pid_t pid, int depth);

/*
 * After a write of old -> new to a parent: its children forked between its
 * exec and the write still hold the old inherited value; each of them that
 * does is matched against the rules in its own right.
 */
static void check_children(struct watch *w, pid_t parent, int old, int depth)
{
	pid_t *kids;
	size_t n = read_children(parent, &kids);

	for (size_t i = 0; i < n; i++) {
		struct adj_proc *p;
		int score, legacy;
		bool fallback, same = false;

		if (adj_open(kids[i], 0, &p) < 0)
			continue;
		same = adj_read(p, &score, &legacy, &fallback) == 0 && !fallback && score == old;
		adj_close(p);
		if (same)
			check_pid(w, kids[i], depth + 1);
	}
	free(kids);
}

/* Reads /proc/PID/comm into buf (at most size - 1 bytes, no newline); 0 or -errno. */
static int read_comm(pid_t pid, char *buf, size_t size)
{
	char path[48];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	n = sysroot_read(path, buf, size);
	if (n <= 0)
		return n < 0 ? (int)n : -EINVAL;
	if (buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

/* Matches one process against the rules and gives it its rule's value. */
static void check_pid(struct watch *w, pid_t pid, int depth)
{
	struct sel_report rep;
	char comm[64];

	/* most execs are of programs no rule names: a look at the name settles them */
	if (read_comm(pid, comm, sizeof(comm)) == 0 && !sel_name_may_match(w->rs.v, w->rs.n, comm))
		return;

	for (size_t i = 0; i < w->rs.n; i++) {
		prune_held(&w->held[i]);
		w->counts[i] = w->held[i].n;
	}
	if (sel_run_pid(w->rs.v, w->rs.n, pid, w->counts, w->eligible, &w->o, &rep) == 0 && report(w, &rep, true) > 0 &&
	    depth < CHILD_DEPTH_MAX) {
		for (size_t i = 0; i < rep.nitems; i++)
			if (rep.items[i].outcome == SEL_CHANGED && rep.items[i].res.have_old)
				check_children(w, pid, rep.items[i].res.old_score, depth);
	}
	sel_report_free(&rep);
}

/*
 * Checks that the connector reports this process's own PIDs: events are
 * sent with the numbers of the initial PID namespace, so a listener in
 * another one gets numbers that name other processes.  Forks a child that
 * exits at once and waits for its fork event; 0, or -ENOMSG when the event
 * did not come (or named another pid).
 */
static int selftest(int fd)
{
	char buf[8192];
	struct procev ev[EVENTS_MAX];
	struct timespec start, now;
	pid_t child = fork();
	int found = 0;

	if (child < 0)
		return -errno;
	if (child == 0)
		_exit(0);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long ms;
		size_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (found || ms >= SELFTEST_TIMEOUT_MS)
			break;
		if (poll(&pfd, 1, (int)(SELFTEST_TIMEOUT_MS - ms)) <= 0)
			continue;
		while (procev_read(fd, buf, sizeof(buf), ev, EVENTS_MAX, &n) == 0)
			for (size_t i = 0; i < n; i++)
				if (ev[i].kind == PROCEV_FORK && ev[i].tgid == child && ev[i].parent == getpid())
					found = 1;
	}
	waitpid(child, NULL, 0);
	return found ? 0 : -ENOMSG;
}

/* Opens the connector and checks it; on failure says why, once, and returns -1 (polling). */
static int open_connector(struct watch *w, long interval)
{
	/* OOMTOP_WATCH_RCVBUF (bytes) is for the tests: a small buffer overflows with few events */
	const char *env = getenv("OOMTOP_WATCH_RCVBUF");
	long want = env ? strtol(env, NULL, 10) : PROCEV_RCVBUF;
	int fd = -1, rcvbuf = 0, ferr;
	int err = procev_open(want > 0 && want <= PROCEV_RCVBUF ? (int)want : PROCEV_RCVBUF, &fd, &rcvbuf);

	if (err == 0) {
		err = selftest(fd);
		if (err < 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0) {
		msg_err(CMD, "the process events connector cannot be used (%s); applying the rules every %lds instead",
			err == -ENOMSG ? "its events do not name this PID namespace's processes" : strerror(-err),
			interval);
		return -1;
	}
	/* from now on only the events the rules need wake the daemon */
	ferr = procev_filter(fd);
	if (ferr < 0 && !w->quiet)
		msg_err(CMD, "cannot filter the connector's events in the kernel (%s): every event is read",
			strerror(-ferr));
	if (!w->quiet)
		msg_err(CMD, "watching %s: %zu rule%s, process events connector (receive buffer %d KiB)", w->path,
			w->rs.n, w->rs.n == 1 ? "" : "s", rcvbuf / 1024);
	return fd;
}

/*
 * Reads the connector until nothing is waiting, checking the process of each
 * exec, comm and uid event; returns whether events were lost (the socket
 * overflowed: a full pass is due).
 */
static bool drain(struct watch *w, char *buf, size_t size)
{
	struct procev ev[EVENTS_MAX];
	for (;;) {
		size_t n;
		int err = procev_read(w->nlfd, buf, size, ev, EVENTS_MAX, &n);

		if (err == -ENOBUFS) {
			/* what is still queued is older than the full pass that follows: drop it */
			for (long k = 0; k < 1000000; k++) {
				err = procev_read(w->nlfd, buf, size, ev, EVENTS_MAX, &n);
				if (err < 0 && err != -ENOBUFS)
					break;
			}
			return true;
		}
		if (err < 0)
			break;
		for (size_t i = 0; i < n; i++) {
			/* exec makes the thread the leader; comm and uid: only the leader's are the process's */
			if (ev[i].kind != PROCEV_EXEC && ev[i].kind != PROCEV_COMM && ev[i].kind != PROCEV_UID)
				continue;
			if (ev[i].pid != ev[i].tgid)
				continue;
			w->events++;
			check_pid(w, ev[i].tgid, 0);
		}
	}
	return false;
}

/*
 * Sends a state line to the service manager ($NOTIFY_SOCKET: a datagram
 * socket, "@" for the abstract namespace), as sd_notify(3) does; nothing
 * without it.
 */
static void notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@') || (len = strlen(path)) >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, len);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	(void)sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa,
		     (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len));
	close(fd);
}

/* Reads and parses FILE; 0, or -1 with every error printed (the old rules stay). */
static int load(const char *path, struct rules *out)
{
	struct strbuf err = STRBUF_INIT;
	char *text = NULL;
	size_t len = 0;
	int rc = 0;

	if (rulesfile_read(path, &text, &len, &err) < 0) {
		msg_err(CMD, "%s", sb_str(&err));
		rc = -1;
	} else if (rules_parse(text, len, path, sel_resolve, out, &err) < 0) {
		msg_lines(sb_str(&err));
		rules_free(out);
		rc = -1;
	}
	free(text);
	sb_free(&err);
	return rc;
}

/* Takes the new rules in place of the old ones, with empty held sets. */
static void use_rules(struct watch *w, struct rules *rs)
{
	free_held(w);
	rules_free(&w->rs);
	w->rs = *rs;
	w->held = xcalloc(w->rs.n ? w->rs.n : 1, sizeof(*w->held));
	w->counts = xcalloc(w->rs.n ? w->rs.n : 1, sizeof(*w->counts));
	for (size_t i = 0; i < w->rs.n; i++)
		if (w->rs.v[i].exe && !w->rs.v[i].have_exe)
			msg_err(CMD, "%s:%u: --exe %s: %s; this rule matches nothing", w->path, w->rs.v[i].line,
				w->rs.v[i].exe, strerror(w->rs.v[i].exe_errno));
}

/* Parses --interval: whole seconds, 1..INTERVAL_MAX; 0 or -EINVAL. */
static int parse_interval(const char *s, long *out)
{
	long v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > INTERVAL_MAX)
			return -EINVAL;
		v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > INTERVAL_MAX)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Runs the daemon until SIGTERM or SIGINT; returns the exit status. */
static int run(struct watch *w, long interval)
{
	static char buf[65536];
	sigset_t mask;
	int sfd, status = EXIT_OK;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		msg_err(CMD, "signalfd: %s", strerror(errno));
		return EXIT_FAIL;
	}
	/* subscribe first: a process that execs during the first pass is seen either way */
	w->nlfd = open_connector(w, interval);
	if (full_pass(w) < 0) {
		status = EXIT_FAIL;
		goto out;
	}
	notify("READY=1\nSTATUS=rules applied; watching\n");
	for (;;) {
		struct pollfd pfd[2] = { { .fd = sfd, .events = POLLIN }, { .fd = w->nlfd, .events = POLLIN } };
		struct signalfd_siginfo si;
		int n = poll(pfd, w->nlfd >= 0 ? 2 : 1, w->nlfd >= 0 ? -1 : (int)(interval * 1000));

		if (n < 0 && errno != EINTR) {
			msg_err(CMD, "poll: %s", strerror(errno));
			status = EXIT_FAIL;
			break;
		}
		if (n == 0) {
			full_pass(w);
			continue;
		}
		if (pfd[0].revents & POLLIN && read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			if (si.ssi_signo == SIGHUP) {
				struct rules rs = { 0 };
				if (load(w->path, &rs) < 0) {
					msg_err(CMD, "%s: bad rules, the old ones stay in force", w->path);
					continue;
				}
				use_rules(w, &rs);
				if (!w->quiet)
					msg_err(CMD, "%s: read again, %zu rule%s", w->path, w->rs.n,
						w->rs.n == 1 ? "" : "s");
				full_pass(w);
				continue;
			}
			break; /* SIGTERM, SIGINT */
		}
		if (w->nlfd >= 0 && pfd[1].revents & POLLIN && drain(w, buf, sizeof(buf))) {
			w->overflows++;
			msg_err(CMD,
				"events were lost (the socket overflowed, %lu time%s): applying the rules to every "
				"process again",
				w->overflows, w->overflows == 1 ? "" : "s");
			full_pass(w);
		}
	}
out:
	notify("STOPPING=1\n");
	if (w->nlfd >= 0)
		close(w->nlfd);
	close(sfd);
	return status;
}

/* Runs `oomtop watch` on its checked command line. */
static int watch_exec(const struct cmd_args *args)
{
	const char *interval_text = cmd_value(args, "interval");
	bool dry_run = cmd_flag(args, "dry-run"), quiet = cmd_flag(args, "quiet");
	long interval = INTERVAL_DEFAULT;
	struct watch w = { .nlfd = -1 };
	struct rules rs = { 0 };
	int status;

	if (interval_text && parse_interval(interval_text, &interval) < 0) {
		status = msg_usage(CMD, "--interval '%s': whole seconds, 1..%d", interval_text, INTERVAL_MAX);
		goto out;
	}
	w.path = cmd_count(args) ? cmd_operand(args, 0) : RULES_DEFAULT;
	if (load(w.path, &rs) < 0) {
		msg_err(CMD, "%s: bad rules, nothing was written", w.path);
		status = EXIT_USAGE;
		goto out;
	}
	w.dry_run = dry_run;
	w.quiet = quiet;
	w.o.dry_run = dry_run;
	w.o.cmd = CMD;
	w.o.no_sharers = true; /* each write would list every process: the latency a daemon is for */
	use_rules(&w, &rs);
	/* a daemon's output goes to a pipe (the journal): one line at a time */
	setvbuf(stdout, NULL, _IOLBF, 0);
	status = run(&w, interval);
out:
	free_held(&w);
	rules_free(&w.rs);
	return status;
}

static const struct poptOption watch_options[] = {
	{ "dry-run", 'n', POPT_ARG_NONE, NULL, 0, "print what would change as it happens, write nothing", NULL },
	{ "quiet", 'q', POPT_ARG_NONE, NULL, 0, "print only changes and failures", NULL },
	{ "interval", 0, POPT_ARG_STRING, NULL, 0,
	  "without the process events connector, apply the rules every SECS seconds (default 5)", "SECS" },
	POPT_TABLEEND
};

/* `oomtop watch`: one rules file at most. */
const struct cmd_entry cmd_watch_entry = {
	.name = CMD,
	.usage = "[-n] [-q] [--interval SECS] [FILE]",
	.summary = "keep the rules of FILE applied as processes start (a daemon)",
	.options = watch_options,
	.upper = 1,
	.extra = "one rules FILE",
	.exec = watch_exec,
};
