/*
 * `oomtop log`: what the OOM killer killed, when, how big it was and who
 * asked for the memory, from the kernel ring buffer (/dev/kmsg) or a saved
 * log (dmesg, syslog, journalctl -k).  Reading is a thin layer around the
 * parser in klog.c; events are printed as they complete, so memory stays
 * bounded however long the log.  With --output or --to-journal it is a
 * recorder (oomtop-log.service): each kill goes to a file as one JSON line
 * and to the journal, nothing to stdout, and a restart resumes after the
 * last kill recorded (killrec.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "journal.h"
#include "json.h"
#include "killrec.h"
#include "klog.h"
#include "klog_journal.h"
#include "kmsg.h"
#include "logfmt.h"
#include "msg.h"
#include "num.h"
#include "oomcount.h"
#include "oomtop.h"
#include "out.h"
#include "xalloc.h"

#define CMD "log"
#define READ_CHUNK 65536
#define IDLE_MS 1000    /* --follow: an event is printed after this long without new lines */
#define MAX_NAMES 10000 /* distinct names counted by --summary */

/* The command line of `log`, parsed and checked. */
struct log_opts {
	const char *file; /* borrowed; NULL = /dev/kmsg (or journalctl with --journal), "-" = stdin */
	bool follow, json, tasks, summary, no_header;
	bool journal; /* the input is `journalctl -o json` records */
	bool have_since;
	long long since;
	long last;                  /* 0 = all */
	const char *comm;           /* borrowed; fnmatch pattern */
	const char *output, *state; /* borrowed; record mode's file and position, NULL if not given */
	bool to_journal;
	bool record; /* --output or --to-journal: record the kills instead of printing them */
};

/* Everything between the events coming out of the parser and stdout. */
struct sink {
	const struct log_opts *o;
	bool utf8;
	bool header_done, json_open;
	unsigned long matched, undated;
	struct klog_event **ring; /* --last: the newest N, owned */
	size_t ring_head, ring_len;
	bool ring_done;            /* --follow: the ring was printed, print directly now */
	const char *note;          /* borrowed: the plain file the table is read from, for the header's warning */
	char *jmsg;                /* owned: one journal record's MESSAGE */
	struct workload_cache *wl; /* owned: the workloads of the kills' cgroups, each told once */
	struct logfmt_tally *by_comm, *by_domain, *by_workload;
	size_t n_comm, n_domain, n_workload;

	/* record mode */
	int out_fd;                /* --output, -1 without it */
	struct killrec_pos resume; /* kills up to here were recorded by an earlier run */
	const char *journal_path;  /* borrowed: JOURNAL_SOCKET */
	bool told_syslog;
	bool stopped; /* a line could not be written: record nothing more (a restart resumes before it) */
	unsigned long skipped, recorded, rec_failed;
};

/*
 * Tells the workloads of a kill: the victim's from task_memcg, the domain's
 * from oom_memcg; NULL where the kernel's report does not name the cgroup.
 */
static void event_workloads(struct sink *s, const struct klog_event *ev, const struct workload **victim,
			    const struct workload **domain)
{
	if (s->wl && workload_cache_len(s->wl) > WORKLOAD_CACHE_KEEP) {
		workload_cache_free(s->wl); /* a long --follow sees cgroups come and go: keep it bounded */
		s->wl = NULL;
	}
	if (!s->wl)
		s->wl = workload_cache_new();
	*victim = ev->task_memcg[0] == '/' ? workload_cache_get(s->wl, ev->task_memcg) : NULL;
	*domain = ev->oom_memcg[0] == '/' ? workload_cache_get(s->wl, ev->oom_memcg) : NULL;
}

/* Set by SIGHUP: reopen --output (logrotate moved it away). */
static volatile sig_atomic_t reopen_wanted;

/* Reads the command line into o; returns EXIT_OK, or the exit status to stop with. */
static int parse_args(const struct cmd_args *args, struct log_opts *o)
{
	const char *since = cmd_value(args, "since"), *last = cmd_value(args, "last");
	bool tasks = cmd_flag(args, "tasks"), json = cmd_flag(args, "json");
	bool summary = cmd_flag(args, "summary"), follow = cmd_flag(args, "follow");

	o->file = cmd_operand(args, 0);
	if (since) {
		if (logfmt_parse_since(since, (long long)time(NULL), &o->since) < 0)
			return msg_usage(CMD,
					 "--since: '%s' is not a time (YYYY-MM-DD [HH:MM[:SS]], HH:MM[:SS], "
					 "today, yesterday, -2h, '30m ago', @EPOCH)",
					 since);
		o->have_since = true;
	}
	if (last && num_parse_long(last, 1, 1000000, &o->last) < 0)
		return msg_usage(CMD, "--last: '%s' is not a number of kills (1 to 1000000)", last);
	o->output = cmd_value(args, "output");
	o->state = cmd_value(args, "state");
	o->to_journal = cmd_flag(args, "to-journal");
	o->record = o->output || o->to_journal;
	if (tasks && !json && !o->output)
		return msg_usage(CMD, "--tasks needs --json or --output (the task tables are too wide for a table)");
	if (o->state && !o->record)
		return msg_usage(CMD, "--state goes with --output or --to-journal");
	if (o->record && (o->file || cmd_flag(args, "journal")))
		return msg_usage(CMD,
				 "--output and --to-journal read %s only: its sequence numbers are what "
				 "makes a restart neither lose nor repeat a kill",
				 KMSG_PATH);
	if (o->record && (summary || last))
		return msg_usage(CMD, "--output and --to-journal record every kill: not with --summary or --last");
	if (o->to_journal && !o->output && !o->state)
		return msg_usage(CMD, "--to-journal needs --state FILE (or --output FILE) to know what it sent "
				      "already: a restart would send every kill of this boot again");
	if (summary && follow)
		return msg_usage(CMD, "--summary and --follow do not go together");
	o->comm = cmd_value(args, "comm");
	o->follow = follow;
	o->json = json;
	o->tasks = tasks;
	o->summary = summary;
	o->no_header = cmd_flag(args, "no-header");
	o->journal = cmd_flag(args, "journal");
	return EXIT_OK;
}

/* Writes sb to stdout and empties it; 0 or -errno. */
static int flush_out(struct strbuf *sb, bool follow)
{
	int err = msg_write_stdout(sb_str(sb), sb->len);

	sb_reset(sb);
	if (follow && fflush(stdout) != 0)
		err = -errno;
	return err;
}

/* Counts name in a tally table. */
static void tally_add(struct logfmt_tally **t, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*t)[i].name, name) == 0) {
			(*t)[i].count++;
			return;
		}
	if (*n == MAX_NAMES)
		name = "(other names)";
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*t)[i].name, name) == 0) {
			(*t)[i].count++;
			return;
		}
	*t = xreallocarray(*t, *n + 1, sizeof(**t));
	(*t)[*n].name = xstrdup(name);
	(*t)[*n].count = 1;
	(*n)++;
}

/* Sends one kill's line to syslog(3), where there is no journal. */
static void record_syslog(struct sink *s, const struct klog_event *ev)
{
	struct strbuf sb = STRBUF_INIT;

	if (!s->told_syslog)
		msg_err(CMD, "no journal at %s: the kill records go to syslog", s->journal_path);
	s->told_syslog = true;
	logfmt_line(&sb, ev);
	openlog(OOMTOP_NAME, LOG_PID, LOG_DAEMON);
	syslog(LOG_WARNING, "%s", sb_str(&sb));
	sb_free(&sb);
}

/*
 * Records one kill: its JSON line appended to --output (and synced), its
 * record sent to the journal, then --state moved on; a restart between two
 * of these steps repeats at most the journal's record, never a line.  A
 * line that could not be written (a full disk) stops the recording there,
 * before --state or a later line moves past it: the next start (systemd's
 * Restart=) writes it.
 */
static void record_steps(struct sink *s, const struct klog_event *ev)
{
	struct strbuf sb = STRBUF_INIT;
	bool failed = false;
	const struct workload *victim, *domain;
	int err;

	event_workloads(s, ev, &victim, &domain);
	if (s->out_fd >= 0) {
		struct json j;
		json_init(&j, &sb);
		logfmt_json(&j, ev, s->o->tasks, victim, domain);
		sb_addc(&sb, '\n');
		err = killfile_append_line(s->out_fd, sb_str(&sb), sb.len);
		if (err < 0) {
			msg_err(CMD, "writing %s: %s; stopping before this kill (pid %lld), a restart records it",
				s->o->output, strerror(-err), ev->pid);
			s->stopped = true;
			s->rec_failed++;
			sb_free(&sb);
			return;
		}
		sb_reset(&sb);
	}
	if (s->o->to_journal) {
		logfmt_journal(&sb, ev, victim && victim->kind != WORKLOAD_NONE ? victim->name : NULL);
		err = journal_send(s->journal_path, sb_str(&sb), sb.len);
		if (err == -ENOENT || err == -ECONNREFUSED) {
			record_syslog(s, ev);
		} else if (err < 0) {
			msg_err(CMD, "sending to the journal (%s): %s", s->journal_path, strerror(-err));
			failed = true;
		}
	}
	if (s->o->state && ev->kmsg_seq != KLOG_NONE) {
		struct killrec_pos pos = { .seq = ev->kmsg_seq };
		memcpy(pos.boot_id, ev->boot_id, sizeof(pos.boot_id));
		err = killfile_write_state(s->o->state, &pos);
		if (err < 0) {
			msg_err(CMD, "writing %s: %s", s->o->state, strerror(-err));
			failed = true;
		}
	}
	if (failed)
		s->rec_failed++;
	else
		s->recorded++;
	sb_free(&sb);
}

/*
 * Records one kill (record_steps()) with SIGTERM and SIGINT held off, so a
 * service manager's stop lands between two kills, not between a line and
 * the --state that follows it.
 */
static void record_event(struct sink *s, const struct klog_event *ev)
{
	sigset_t hold, old;

	sigemptyset(&hold);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGINT);
	sigprocmask(SIG_BLOCK, &hold, &old);
	record_steps(s, ev);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Reopens --output after SIGHUP (logrotate renamed it); on failure the old file is kept. */
static void record_reopen(struct sink *s)
{
	int fd, err;

	reopen_wanted = 0;
	if (s->out_fd < 0)
		return;
	err = killfile_open_output(s->o->output, &fd);
	if (err < 0) {
		msg_err(CMD, "SIGHUP: cannot reopen %s: %s; still writing to the file it was", s->o->output,
			strerror(-err));
		return;
	}
	close(s->out_fd);
	s->out_fd = fd;
}

/* Prints one event (or counts it for --summary, or records it). */
static void print_event(struct sink *s, const struct klog_event *ev)
{
	struct strbuf sb = STRBUF_INIT;

	if (s->o->record) {
		record_event(s, ev);
		return;
	}
	if (s->o->summary) {
		char domain[KLOG_PATH_MAX];
		klog_event_domain(ev, domain, sizeof(domain));
		const struct workload *victim, *dw;
		char *wname;
		tally_add(&s->by_comm, &s->n_comm, ev->comm);
		tally_add(&s->by_domain, &s->n_domain, domain);
		event_workloads(s, ev, &victim, &dw);
		wname = victim ? xasprintf("%s %s", workload_kind_name(victim->kind),
					   victim->kind == WORKLOAD_NONE ? "-" : victim->name)
			       : xstrdup("(unknown)");
		tally_add(&s->by_workload, &s->n_workload, wname);
		free(wname);
		return;
	}
	if (s->o->json) {
		struct json j;
		json_init(&j, &sb);
		const struct workload *victim, *domain;
		event_workloads(s, ev, &victim, &domain);
		if (!s->o->follow)
			json_stream_item(&sb, &s->json_open);
		logfmt_json(&j, ev, s->o->tasks, victim, domain);
		if (s->o->follow)
			sb_addc(&sb, '\n');
	} else {
		const struct workload *victim, *domain;
		event_workloads(s, ev, &victim, &domain);
		if (!s->header_done && !s->o->no_header) {
			if (s->note) {
				/* anyone who can write to syslog can write a line that looks like the kernel's */
				sb_adds(&sb, "# ");
				out_escape(&sb, s->note, strlen(s->note), s->utf8);
				sb_adds(&sb,
					": a log file is only as trustworthy as whoever can write to it (`logger` "
					"writes kernel-looking lines); /dev/kmsg and --journal tell the kernel's own\n");
			}
			logfmt_header(&sb);
		}
		s->header_done = true;
		logfmt_row(&sb, ev, victim, s->utf8);
	}
	flush_out(&sb, s->o->follow);
	sb_free(&sb);
}

/* Prints and frees what --last kept. */
static void ring_drain(struct sink *s)
{
	for (size_t i = 0; i < s->ring_len; i++) {
		size_t at = (s->ring_head + i) % (size_t)s->o->last;
		print_event(s, s->ring[at]);
		klog_event_free(s->ring[at]);
	}
	s->ring_len = 0;
	s->ring_head = 0;
	s->ring_done = true;
}

/* Takes one event from the parser: filters it, then prints, keeps or counts it. */
static void take_event(struct sink *s, struct klog_event *ev)
{
	const struct log_opts *o = s->o;

	if (o->record && (s->stopped || killrec_seen(&s->resume, ev))) {
		s->skipped++;
		klog_event_free(ev);
		return;
	}
	if (o->have_since) {
		if (ev->time_sec == KLOG_NONE) {
			s->undated++;
			klog_event_free(ev);
			return;
		}
		if (ev->time_sec < o->since) {
			klog_event_free(ev);
			return;
		}
	}
	if (o->comm && fnmatch(o->comm, ev->comm, 0) != 0) {
		klog_event_free(ev);
		return;
	}
	s->matched++;
	if (o->last && !s->ring_done) {
		if (s->ring_len == (size_t)o->last) {
			klog_event_free(s->ring[s->ring_head]);
			s->ring[s->ring_head] = ev;
			s->ring_head = (s->ring_head + 1) % (size_t)o->last;
		} else {
			s->ring[(s->ring_head + s->ring_len) % (size_t)o->last] = ev;
			s->ring_len++;
		}
		return;
	}
	print_event(s, ev);
	klog_event_free(ev);
}

/* Moves every ready event from the parser to the sink. */
static void drain(struct klog *k, struct sink *s)
{
	struct klog_event *ev;

	while ((ev = klog_next(k)) != NULL)
		take_event(s, ev);
}

/*
 * Reads /dev/kmsg to its end (and on, with --follow); returns EXIT_OK or
 * EXIT_FAIL after saying why.
 */
static int read_kmsg(struct klog *k, struct sink *s, unsigned long *lost)
{
	char *buf = xmalloc(KMSG_RECORD_MAX);
	size_t len;
	int fd, err, status = EXIT_OK;

	err = kmsg_open(KMSG_PATH, &fd);
	if (err < 0) {
		if (err == -EPERM || err == -EACCES)
			msg_err(CMD,
				"cannot read %s: %s: reading the kernel log needs root (or CAP_SYSLOG) while "
				"kernel.dmesg_restrict is 1; read a saved log instead: 'oomtop log /var/log/kern.log', "
				"'journalctl -k | oomtop log -', or 'sudo dmesg | oomtop log -'",
				KMSG_PATH, strerror(-err));
		else
			msg_err(CMD,
				"cannot read %s: %s; read a saved log instead: 'oomtop log FILE' or "
				"'journalctl -k | oomtop log -'",
				KMSG_PATH, strerror(-err));
		free(buf);
		return EXIT_FAIL;
	}
	for (;;) {
		err = kmsg_read(fd, buf, KMSG_RECORD_MAX, &len);
		if (err == 0) {
			klog_feed(k, buf, len);
			drain(k, s);
			if (s->stopped) {
				status = EXIT_FAIL;
				break;
			}
			continue;
		}
		if (err == -EPIPE) {
			(*lost)++;
			continue;
		}
		if (err != -EAGAIN) {
			msg_err(CMD, "reading %s: %s", KMSG_PATH, strerror(-err));
			status = EXIT_FAIL;
			break;
		}
		if (!s->o->follow || s->stopped)
			break;
		if (reopen_wanted)
			record_reopen(s);
		if (!s->ring_done && s->o->last) {
			klog_flush(k);
			drain(k, s);
			ring_drain(s);
		}
		err = kmsg_wait(fd, IDLE_MS);
		if (err < 0) {
			msg_err(CMD, "waiting on %s: %s", KMSG_PATH, strerror(-err));
			status = EXIT_FAIL;
			break;
		}
		/* a SIGHUP ends the wait early (0 too): a report still waiting for its late lines keeps waiting */
		if (err == 0 && !reopen_wanted) {
			klog_flush(k);
			drain(k, s);
		}
	}
	close(fd);
	free(buf);
	return status;
}

/* Feeds one input line: a log line, or with --journal one JSON record (only the kernel's are read). */
static void feed(struct klog *k, struct sink *s, const char *line, size_t len)
{
	struct klog_journal_rec rec;

	if (!s->o->journal) {
		klog_feed(k, line, len);
		return;
	}
	if (klog_journal_parse(line, len, s->jmsg, KLOG_LINE_MAX + 1, &rec) < 0 || !rec.kernel)
		return;
	klog_feed_record(k, rec.msg, rec.msg_len, rec.realtime_usec, rec.monotonic_usec, rec.host[0] ? rec.host : NULL);
}

/*
 * Reads a file or standard input line by line (the last line may lack its
 * newline; a line longer than KLOG_LINE_MAX is cut there), and with
 * --follow keeps reading as it grows; returns EXIT_OK or EXIT_FAIL.
 */
static int read_lines(int fd, const char *name, struct klog *k, struct sink *s)
{
	char *chunk = xmalloc(READ_CHUNK);
	char *line = xmalloc(KLOG_LINE_MAX);
	size_t line_len = 0;
	bool cut = false, regular;
	struct stat st;
	int status = EXIT_OK;

	regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	for (;;) {
		ssize_t n;
		if (s->o->follow && !regular) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			int r = poll(&p, 1, IDLE_MS);
			if (r == 0) {
				klog_flush(k);
				drain(k, s);
				continue;
			}
		}
		n = read(fd, chunk, READ_CHUNK);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			msg_err(CMD, "reading %s: %s", name, strerror(errno));
			status = EXIT_FAIL;
			break;
		}
		if (n == 0) {
			if (s->o->follow && regular) {
				klog_flush(k);
				drain(k, s);
				if (!s->ring_done && s->o->last)
					ring_drain(s);
				sleep(1);
				continue;
			}
			break;
		}
		for (ssize_t i = 0; i < n;) {
			char *nl = memchr(chunk + i, '\n', (size_t)(n - i));
			size_t take = nl ? (size_t)(nl - (chunk + i)) : (size_t)(n - i);
			size_t room = KLOG_LINE_MAX - line_len;
			if (take > room) {
				cut = true;
				memcpy(line + line_len, chunk + i, room);
				line_len += room;
			} else if (!cut) {
				memcpy(line + line_len, chunk + i, take);
				line_len += take;
			}
			i += (ssize_t)take;
			if (nl) {
				feed(k, s, line, line_len);
				drain(k, s);
				line_len = 0;
				cut = false;
				i++;
			}
		}
	}
	if (line_len)
		feed(k, s, line, line_len);
	free(line);
	free(chunk);
	return status;
}

/* Compares tallies: most kills first, then by name. */
static int tally_cmp(const void *a, const void *b)
{
	const struct logfmt_tally *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Prints --summary: the tallies, and the machine's counters when the log is this machine's. */
static int print_summary(struct sink *s, bool local)
{
	struct strbuf sb = STRBUF_INIT;
	struct logfmt_summary sum;
	struct oomcount c;
	int err;

	/* qsort's array may not be NULL even when empty (C11 7.22.5): no kill, no table */
	if (s->n_comm)
		qsort(s->by_comm, s->n_comm, sizeof(*s->by_comm), tally_cmp);
	if (s->n_domain)
		qsort(s->by_domain, s->n_domain, sizeof(*s->by_domain), tally_cmp);
	if (s->n_workload)
		qsort(s->by_workload, s->n_workload, sizeof(*s->by_workload), tally_cmp);
	memset(&c, 0, sizeof(c));
	if (local)
		oomcount_read(&c);
	sum.kills = s->matched;
	sum.by_comm = s->by_comm;
	sum.n_comm = s->n_comm;
	sum.by_domain = s->by_domain;
	sum.n_domain = s->n_domain;
	sum.by_workload = s->by_workload;
	sum.n_workload = s->n_workload;
	sum.counters = local ? &c : NULL;
	if (s->o->json)
		logfmt_summary_json(&sb, &sum);
	else
		logfmt_summary_text(&sb, &sum, s->utf8);
	err = flush_out(&sb, false);
	sb_free(&sb);
	oomcount_free(&c);
	return err;
}

/*
 * Runs journalctl for the kernel's records of every boot in the journal
 * (with --follow, and then new ones) and reads its output; returns EXIT_OK
 * or EXIT_FAIL after saying why.
 */
static int read_journalctl(struct klog *k, struct sink *s)
{
	char prog[] = "journalctl", no_pager[] = "--no-pager", quiet[] = "-q", output[] = "-o", json[] = "json",
	     match[] = "_TRANSPORT=kernel", follow[] = "--follow";
	char *argv[] = { prog, no_pager, quiet, output, json, match, NULL, NULL };
	posix_spawn_file_actions_t fa;
	int pipefd[2], err, status = EXIT_OK, wst;
	pid_t pid;

	if (s->o->follow)
		argv[6] = follow;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		msg_err(CMD, "--journal: pipe: %s", strerror(errno));
		return EXIT_FAIL;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	err = posix_spawnp(&pid, "journalctl", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (err) {
		msg_err(CMD, "--journal: cannot run journalctl: %s", strerror(err));
		close(pipefd[0]);
		return EXIT_FAIL;
	}
	status = read_lines(pipefd[0], "journalctl", k, s);
	close(pipefd[0]);
	while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
		;
	if (status == EXIT_OK && !(WIFEXITED(wst) && WEXITSTATUS(wst) == 0)) {
		msg_err(CMD,
			"--journal: journalctl failed (exit status %d); is the journal readable (group "
			"systemd-journal or adm)?",
			WIFEXITED(wst) ? WEXITSTATUS(wst) : 128 + WTERMSIG(wst));
		status = EXIT_FAIL;
	}
	return status;
}

/* Notes a SIGHUP for the loop (record_reopen()). */
static void on_hup(int sig)
{
	(void)sig;
	reopen_wanted = 1;
}

/*
 * Sets up record mode: where the kills recorded so far end (--state, the
 * last line of --output, whichever is further on in this boot), --output
 * open for appending, SIGHUP; returns EXIT_OK or the status to stop with.
 */
static int record_start(struct sink *s, const struct klog_opts *ko)
{
	const struct log_opts *o = s->o;
	struct killrec_pos pos;
	const char *from = NULL;
	int err;

	s->resume.seq = -1;
	memcpy(s->resume.boot_id, ko->boot_id, sizeof(s->resume.boot_id));
	s->journal_path = JOURNAL_SOCKET;
	if (o->state) {
		err = killfile_read_state(o->state, &pos);
		if (err == 0) {
			killrec_take(&s->resume, &pos);
			from = o->state;
		} else if (err == -EINVAL) {
			msg_err(CMD,
				"%s is not an oomtop state file (\"oomtop-log-state 1 BOOT_ID SEQ\"); "
				"remove it to record every kill of this boot still in the kernel log",
				o->state);
			return EXIT_USAGE;
		} else if (err != -ENOENT) {
			msg_err(CMD, "cannot read %s: %s", o->state, strerror(-err));
			return EXIT_FAIL;
		}
	}
	if (o->output) {
		err = killfile_open_output(o->output, &s->out_fd);
		if (err < 0) {
			msg_err(CMD, "cannot open %s: %s", o->output,
				err == -ELOOP    ? "it is a symlink, which a daemon run as root does not follow"
				: err == -EINVAL ? "not a regular file"
						 : strerror(-err));
			return EXIT_FAIL;
		}
		err = killfile_last_pos(s->out_fd, &pos);
		if (err == 0 && strcmp(pos.boot_id, s->resume.boot_id) == 0 && pos.seq > s->resume.seq) {
			killrec_take(&s->resume, &pos);
			from = o->output;
		} else if (err < 0 && err != -ENOENT) {
			msg_err(CMD, "cannot read the last record of %s back: %s", o->output, strerror(-err));
			return EXIT_FAIL;
		}
	}
	if (o->follow) {
		struct sigaction sa = { .sa_handler = on_hup }; /* no SA_RESTART: the wait ends at once */
		sigemptyset(&sa.sa_mask);
		sigaction(SIGHUP, &sa, NULL);
		if (from)
			msg_err(CMD, "recording OOM kills after kernel record %lld of boot %s (%s)", s->resume.seq,
				s->resume.boot_id, from);
		else
			msg_err(CMD, "recording OOM kills: none of boot %s recorded yet, every one still in %s first",
				s->resume.boot_id, KMSG_PATH);
	}
	return EXIT_OK;
}

/* Runs `oomtop log` on its checked command line. */
static int log_exec(const struct cmd_args *args)
{
	struct log_opts o = { 0 };
	struct klog_opts ko = { .ref_time = (long long)time(NULL), .boot_usec = KLOG_NONE };
	struct sink s = { .out_fd = -1 };
	struct klog *k = NULL;
	unsigned long lost = 0;
	const char *source;
	int status, fd = -1;

	status = parse_args(args, &o);
	if (status != EXIT_OK)
		goto out;
	s.o = &o;
	s.utf8 = out_locale_utf8();
	if (o.last)
		s.ring = xcalloc((size_t)o.last, sizeof(*s.ring));
	ko.keep_tasks = o.tasks;
	if (o.journal)
		s.jmsg = xmalloc(KLOG_LINE_MAX + 1);

	if (!o.file && o.journal) {
		source = "the journal";
		k = klog_new(&ko);
		status = read_journalctl(k, &s);
	} else if (!o.file) {
		source = KMSG_PATH;
		if (kmsg_boot_usec(&ko.boot_usec) < 0)
			ko.boot_usec = KLOG_NONE;
		/* the records' sequence numbers start again at each boot */
		if (killfile_boot_id(ko.boot_id, sizeof(ko.boot_id)) < 0) {
			ko.boot_id[0] = '\0';
			if (o.record) {
				msg_err(CMD, "cannot read /proc/sys/kernel/random/boot_id: without it a restart "
					     "cannot tell this boot's kills from another's");
				status = EXIT_FAIL;
				goto out;
			}
		}
		if (o.record) {
			status = record_start(&s, &ko);
			if (status != EXIT_OK)
				goto out;
		}
		k = klog_new(&ko);
		status = read_kmsg(k, &s, &lost);
	} else {
		struct stat st;
		source = strcmp(o.file, "-") == 0 ? "standard input" : o.file;
		fd = strcmp(o.file, "-") == 0 ? STDIN_FILENO : open(o.file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			msg_err(CMD, "cannot open %s: %s", o.file, strerror(errno));
			status = errno == ENOENT || errno == EACCES ? EXIT_USAGE : EXIT_FAIL;
			goto out;
		}
		/* a syslog date has no year: the newest date not after the file was last written */
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
			ko.ref_time = (long long)st.st_mtime;
		if (!o.journal)
			s.note = source;
		k = klog_new(&ko);
		status = read_lines(fd, source, k, &s);
	}
	klog_finish(k);
	drain(k, &s);
	if (o.last && !s.ring_done)
		ring_drain(&s);

	if (o.record) {
		if (s.rec_failed)
			status = EXIT_FAIL;
	} else if (o.summary) {
		if (print_summary(&s, !o.file) < 0)
			status = EXIT_FAIL;
	} else if (o.json && !o.follow) {
		struct strbuf sb = STRBUF_INIT;
		json_stream_end(&sb, s.json_open);
		if (flush_out(&sb, false) < 0)
			status = EXIT_FAIL;
		sb_free(&sb);
	}
	if (lost)
		msg_err(CMD,
			"%s: the ring buffer overwrote records before they could be read; older kills may be "
			"in 'journalctl -k' or /var/log/kern.log",
			KMSG_PATH);
	if (s.undated)
		msg_err(CMD,
			"%lu kill%s left out by --since: the log gives only the time since boot "
			"(dmesg without -T); 'dmesg -T' or syslog files carry dates",
			s.undated, s.undated == 1 ? "" : "s");
	if (status == EXIT_OK && s.matched == 0 && !o.summary && !o.record) {
		if (!o.json)
			msg_err(CMD, "no OOM kill%s found in %s (%llu lines read)",
				o.comm || o.have_since ? " matching" : "", source, klog_lines(k));
		status = EXIT_NOMATCH;
	}
out:
	if (fd > STDIN_FILENO)
		close(fd);
	if (s.out_fd >= 0)
		close(s.out_fd);
	for (size_t i = 0; o.last > 0 && i < s.ring_len; i++)
		klog_event_free(s.ring[(s.ring_head + i) % (size_t)o.last]);
	free(s.ring);
	free(s.jmsg);
	workload_cache_free(s.wl);
	for (size_t i = 0; i < s.n_comm; i++)
		free(s.by_comm[i].name);
	for (size_t i = 0; i < s.n_domain; i++)
		free(s.by_domain[i].name);
	for (size_t i = 0; i < s.n_workload; i++)
		free(s.by_workload[i].name);
	free(s.by_comm);
	free(s.by_domain);
	free(s.by_workload);
	klog_free(k);
	return status;
}

static const struct poptOption log_options[] = {
	{ "follow", 'f', POPT_ARG_NONE, NULL, 0, "keep reading and print each new kill as it happens", NULL },
	{ "since", 0, POPT_ARG_STRING, NULL, 0,
	  "only kills at or after TIME (YYYY-MM-DD [HH:MM[:SS]], HH:MM, today, yesterday, -2h, '3d ago', @EPOCH)",
	  "TIME" },
	{ "last", 'n', POPT_ARG_STRING, NULL, 0, "only the last N kills", "N" },
	{ "comm", 'c', POPT_ARG_STRING, NULL, 0, "only processes named NAME (a shell pattern)", "NAME" },
	{ "tasks", 0, POPT_ARG_NONE, NULL, 0, "with --json or --output: the task table of each report", NULL },
	{ "summary", 's', POPT_ARG_NONE, NULL, 0, "counts per process name and cgroup, and the kernel's counters",
	  NULL },
	{ "no-header", 0, POPT_ARG_NONE, NULL, 0, "print no header line", NULL },
	{ "journal", 'j', POPT_ARG_NONE, NULL, 0,
	  "read the journal's kernel records (journalctl -o json _TRANSPORT=kernel), or FILE as such records", NULL },
	{ "json", 0, POPT_ARG_NONE, NULL, 0, "print a JSON array (one object per line with --follow)", NULL },
	{ "output", 'o', POPT_ARG_STRING, NULL, 0,
	  "record mode: append each kill to FILE as one JSON line (reopened on SIGHUP), print nothing", "FILE" },
	{ "to-journal", 0, POPT_ARG_NONE, NULL, 0,
	  "record mode: send each kill to the journal with OOMTOP_* fields (syslog if there is none)", NULL },
	{ "state", 0, POPT_ARG_STRING, NULL, 0,
	  "record mode: keep the last recorded kill in FILE, so a restart neither repeats nor loses one", "FILE" },
	POPT_TABLEEND
};

/* `oomtop log`: one FILE at most ("-": standard input). */
const struct cmd_entry cmd_log_entry = {
	.name = CMD,
	.usage = "[-f] [--since TIME] [-n N] [-c NAME] [-s] [--json [--tasks]] [--no-header]\n"
		 "            [-j] [-o FILE] [--to-journal] [--state FILE] [FILE | -]",
	.summary = "what the OOM killer killed, from the kernel log or a saved log",
	.options = log_options,
	.upper = 1,
	.extra = "one FILE at most",
	.exec = log_exec,
};
