/* Unit tests of the kernel-log parser (src/klog*.c) and the log formatting, hostile input included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "klog.h"
#include "logfmt.h"
#include "strbuf.h"

static const struct klog_opts opts_utc = { .ref_time = 1577836800 /* 2020-01-01 UTC */, .boot_usec = KLOG_NONE };

/* Parses the prefix of a C string. */
static void prefix(const char *line, struct klog_line *ln)
{
	assert_int_equal(klog_parse_prefix(line, strlen(line), &opts_utc, ln), 0);
}

/* Asserts the message part of a parsed line. */
static void assert_msg(const struct klog_line *ln, const char *want)
{
	assert_int_equal(ln->msg_len, strlen(want));
	assert_memory_equal(ln->msg, want, ln->msg_len);
}

static void test_prefix_dmesg(void **state)
{
	(void)state;
	struct klog_line ln;

	prefix("[ 1606.156415] Memory cgroup out of memory: Killed", &ln);
	assert_int_equal(ln.uptime_usec, 1606156415LL);
	assert_true(ln.time_sec == KLOG_NONE);
	assert_msg(&ln, "Memory cgroup out of memory: Killed");

	/* a task-table row is not a timestamp */
	prefix("[   6043]     0  6043    17067 hogexp", &ln);
	assert_true(ln.uptime_usec == KLOG_NONE);
	assert_msg(&ln, "[   6043]     0  6043    17067 hogexp");

	/* dmesg -T (local time; the tests run in UTC) */
	prefix("[Tue Mar 12 10:00:05 2019] python3 invoked oom-killer:", &ln);
	assert_int_equal(ln.time_sec, 1552384805LL);
	assert_msg(&ln, "python3 invoked oom-killer:");

	/* dmesg -r, -x, --time-format=iso, -d, and a CONFIG_PRINTK_CALLER id */
	prefix("<4>[   12.000001] x", &ln);
	assert_int_equal(ln.uptime_usec, 12000001LL);
	assert_false(ln.foreign);
	prefix("kern  :warn  : [   12.5] y", &ln);
	assert_int_equal(ln.uptime_usec, 12500000LL);
	assert_false(ln.foreign);
	assert_msg(&ln, "y");
	prefix("user  :notice: [   12.5] z", &ln);
	assert_true(ln.foreign);
	prefix("2024-02-03T04:05:06,250000+00:00 msg here", &ln);
	assert_int_equal(ln.time_sec, 1706933106LL);
	assert_int_equal(ln.time_usec, 250000);
	assert_int_equal(ln.host_len, 0);
	assert_msg(&ln, "msg here");
	prefix("[   12.000001 <    0.000100>] delta", &ln);
	assert_int_equal(ln.uptime_usec, 12000001LL);
	prefix("[  300.000010][   T4242] caller", &ln);
	assert_int_equal(ln.caller_len, 5);
	assert_memory_equal(ln.caller, "T4242", 5);
	assert_msg(&ln, "caller");
	prefix("[  +0.000123] human", &ln);
	assert_msg(&ln, "human");
}

static void test_prefix_syslog(void **state)
{
	(void)state;
	struct klog_line ln;

	prefix("Aug 30 15:00:11 db1 kernel: Killed process 9682", &ln);
	assert_int_equal(ln.time_sec, 1567177211LL); /* 2019: the newest Aug 30 before 2020-01-01 */
	assert_int_equal(ln.host_len, 3);
	assert_memory_equal(ln.host, "db1", 3);
	assert_false(ln.foreign);
	assert_msg(&ln, "Killed process 9682");

	prefix("Jan  1 00:00:02 h kernel: [ 5.000000] x", &ln);
	assert_int_equal(ln.time_sec, 1577836802LL); /* within a day after the reference: this year */
	assert_int_equal(ln.uptime_usec, 5000000LL);
	assert_msg(&ln, "x");

	prefix("Aug 30 15:00:12 db1 sshd[2201]: Killed process 1 (init)", &ln);
	assert_true(ln.foreign);
	prefix("Aug 30 15:00:12 db1 root: Killed process 1 (init)", &ln);
	assert_true(ln.foreign);
	prefix("Dec 14 17:13:12 kernel: no host", &ln);
	assert_int_equal(ln.host_len, 0);
	assert_false(ln.foreign);
	assert_msg(&ln, "no host");

	/* rsyslog RFC 3339, journalctl short-iso, short-full, short-precise, short-monotonic */
	prefix("2023-05-01T12:00:00.000108+02:00 node1 kernel: m", &ln);
	assert_int_equal(ln.time_sec, 1682935200LL);
	assert_int_equal(ln.time_usec, 108);
	assert_memory_equal(ln.host, "node1", 5);
	assert_msg(&ln, "m");
	prefix("2024-02-03T04:05:06+0000 vm kernel: m", &ln);
	assert_int_equal(ln.time_sec, 1706933106LL);
	prefix("Sat 2024-02-03 04:05:06 UTC vm kernel: m", &ln);
	assert_int_equal(ln.time_sec, 1706933106LL);
	assert_memory_equal(ln.host, "vm", 2);
	assert_msg(&ln, "m");
	prefix("Feb 03 04:05:06.500000 vm kernel: m", &ln);
	assert_int_equal(ln.time_usec, 500000);
	prefix("[  105.000001] vm kernel: m", &ln);
	assert_int_equal(ln.uptime_usec, 105000001LL);
	assert_memory_equal(ln.host, "vm", 2);
	assert_msg(&ln, "m");
}

static void test_prefix_kmsg(void **state)
{
	(void)state;
	struct klog_line ln;
	struct klog_opts o = opts_utc;

	prefix("4,345,1606155554,-;Call Trace:", &ln);
	assert_true(ln.kmsg);
	assert_int_equal(ln.uptime_usec, 1606155554LL);
	assert_msg(&ln, "Call Trace:");
	prefix("6,339,5140900,-,caller=T1;msg", &ln);
	assert_memory_equal(ln.caller, "T1", 2);
	prefix("12,509,1722263903,-;written by a program", &ln);
	assert_true(ln.foreign);
	/* with the boot time known, the kernel's timestamp is dated */
	o.boot_usec = 1795567073000000LL;
	assert_int_equal(klog_parse_prefix("4,1,2500000,-;x", 15, &o, &ln), 0);
	assert_int_equal(ln.time_sec, 1795567075LL);
	assert_int_equal(ln.time_usec, 500000);
}

/* Feeds the lines of a C string (split at '\n') and returns the events, NULL-terminated. */
static struct klog_event **run(const char *text, bool keep_tasks, size_t *n)
{
	struct klog_opts o = opts_utc;
	struct klog *k;
	struct klog_event **evs = calloc(1024, sizeof(*evs)), *ev;
	const char *p = text;

	o.keep_tasks = keep_tasks;
	k = klog_new(&o);
	*n = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		klog_feed(k, p, len);
		while ((ev = klog_next(k)) != NULL && *n < 1023)
			evs[(*n)++] = ev;
		p += len + (nl ? 1 : 0);
	}
	klog_finish(k);
	while ((ev = klog_next(k)) != NULL && *n < 1023)
		evs[(*n)++] = ev;
	klog_free(k);
	return evs;
}

/* Frees what run returned. */
static void free_events(struct klog_event **evs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		klog_event_free(evs[i]);
	free(evs);
}

static void test_killed_variants(void **state)
{
	(void)state;
	size_t n;
	struct klog_event **e = run("Killed process 9682, UID 27, (mysqld) total-vm:47388kB, anon-rss:3744kB, file-rss:80kB\n"
				    "Killed process 10 (old) vsz:1000kB, anon-rss:10kB, file-rss:20kB\n"
				    "Killed process 11:#5, UID 3, (vz) total-vm:1kB, anon-rss:2kB, file-rss:3kB\n"
				    "Killed process 12 (bare)\n"
				    "Out of memory (oom_kill_allocating_task): Killed process 13 (a) total-vm:1kB, anon-rss:0kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:-5\n",
				    false, &n);

	assert_int_equal(n, 5);
	assert_int_equal(e[0]->pid, 9682);
	assert_string_equal(e[0]->comm, "mysqld");
	assert_int_equal(e[0]->uid, 27);
	assert_int_equal(e[0]->file_rss_kib, 80);
	assert_true(e[0]->shmem_rss_kib == KLOG_NONE);
	assert_int_equal(e[1]->total_vm_kib, 1000);
	assert_int_equal(e[2]->pid, 11);
	assert_int_equal(e[2]->uid, 3);
	assert_string_equal(e[2]->comm, "vz");
	assert_string_equal(e[3]->comm, "bare");
	assert_true(e[3]->total_vm_kib == KLOG_NONE);
	assert_string_equal(e[4]->message, "Out of memory (oom_kill_allocating_task)");
	assert_int_equal(e[4]->oom_score_adj, -5);
	free_events(e, n);
}

static void test_seed_article_lines(void **state)
{
	(void)state;
	size_t n;
	/* as the seed article shows them: the kill lines come before the next report's header */
	struct klog_event **e = run("  ...\n"
				    "  Out of memory: Kill process 9682(mysqld) score 9 or sacrifice child\n"
				    "  Killed process 9682, UID 27,(mysqld) total-vm:47388kB, anon-rss:3744kB, file-rss:80kB\n"
				    "  httpd invoked oom-killer:gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0\n"
				    "  httpd cpuset=/ mems_allowed=0\n"
				    "  Pid: 8911, comm: httpd Not tainted2.6.32-279.1.1.el6.i686 #1\n",
				    false, &n);

	assert_int_equal(n, 1);
	assert_int_equal(e[0]->pid, 9682);
	assert_string_equal(e[0]->comm, "mysqld");
	assert_int_equal(e[0]->uid, 27);
	assert_int_equal(e[0]->total_vm_kib, 47388);
	assert_int_equal(e[0]->anon_rss_kib, 3744);
	assert_int_equal(e[0]->file_rss_kib, 80);
	/* the header after the kill is another report's: no trigger for this one */
	assert_string_equal(e[0]->trigger_comm, "");
	free_events(e, n);
}

/* Takes the ready events; returns how many were the pid 5 of test_hostile_lines, checked. */
static int check_pid5(struct klog *k)
{
	struct klog_event *ev;
	int found = 0;

	while ((ev = klog_next(k)) != NULL) {
		if (ev->pid == 5) {
			assert_string_equal(ev->comm, "a?b");
			assert_int_equal(ev->reaped_anon_kib, 0);
			found++;
		}
		klog_event_free(ev);
	}
	return found;
}

static void test_hostile_lines(void **state)
{
	(void)state;
	struct klog *k = klog_new(&opts_utc);
	char *big = malloc(200000);
	unsigned seed = 12345;
	int found = 0;

	/* a line longer than the limit, full of report keywords */
	for (size_t i = 0; i < 200000; i++)
		big[i] = "Killed process 1 (x) invoked oom-killer: [ "[i % 43];
	klog_feed(k, big, 200000);
	/* NUL bytes, empty lines, lone prefixes */
	klog_feed(k, "Killed process 5 (a\0b) total-vm:1kB, anon-rss:0kB, file-rss:0kB", 63);
	klog_feed(k, "", 0);
	klog_feed(k, "[", 1);
	klog_feed(k, "4,1,2,-;", 8);
	klog_feed(k, "Jan  1 00:00:00", 15);
	klog_feed(k, "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=,cpuset=,mems_allowed=,oom_memcg=,task_memcg=,task=,pid=,uid=", 104);
	klog_feed(k, "[  pid  ]   uid  tgid total_vm      rss name", 44);
	klog_feed(k, "[1]", 3);
	klog_feed(k, "[18446744073709551616] 1 1 1 1 x", 32);
	klog_feed(k, "oom_reaper: reaped process 5 (a?b), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB", 82);
	klog_feed(k, "\\x\\x4\\xzz\\x00 invoked oom-killer: gfp_mask=", 42);
	/* random bytes */
	for (int line = 0; line < 20000; line++) {
		char buf[300];
		size_t len = (size_t)(rand_r(&seed) % 300);
		for (size_t i = 0; i < len; i++)
			buf[i] = (char)(rand_r(&seed) % 256);
		klog_feed(k, buf, len);
		found += check_pid5(k);
	}
	klog_finish(k);
	found += check_pid5(k);
	assert_int_equal(found, 1);
	klog_free(k);
	free(big);
}

static void test_task_table_bounded(void **state)
{
	(void)state;
	struct klog_opts o = opts_utc;
	struct klog *k;
	struct klog_event *ev;
	char line[200];

	o.keep_tasks = true;
	k = klog_new(&o);
	klog_feed(k, "big invoked oom-killer: gfp_mask=0x0, order=0, oom_score_adj=0", 62);
	const char *hdr = "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name";
	klog_feed(k, hdr, strlen(hdr));
	for (int i = 1; i <= KLOG_TASKS_MAX + 1000; i++) {
		int len = snprintf(line, sizeof(line), "[%7d] %5d %5d %8d %8d %8d %8d         %5d p%d", i, 0, i, 10, 5, 4096, 0, i % 1000, i);
		klog_feed(k, line, (size_t)len);
	}
	klog_feed(k, "Out of memory: Killed process 3 (p3) total-vm:40kB, anon-rss:20kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:3", 130);
	klog_finish(k);
	ev = klog_next(k);
	assert_non_null(ev);
	assert_int_equal(ev->ntasks, KLOG_TASKS_MAX);
	assert_int_equal(ev->tasks_dropped, 1000);
	assert_int_equal(ev->tasks[2].pid, 3);
	assert_int_equal(ev->tasks[2].pgtables_bytes, 4096);
	assert_string_equal(ev->tasks[2].comm, "p3");
	klog_event_free(ev);
	assert_null(klog_next(k));
	klog_free(k);
}

static void test_many_reports(void **state)
{
	(void)state;
	struct klog *k = klog_new(&opts_utc);
	struct klog_event *ev;
	char line[200];
	long total = 0;

	/* headers that never get a kill, and kills: nothing piles up, every kill comes out once */
	for (int i = 0; i < 50000; i++) {
		int len = snprintf(line, sizeof(line), "[%5d.000000] t%d invoked oom-killer: gfp_mask=0x0, order=0, oom_score_adj=0", i, i);
		klog_feed(k, line, (size_t)len);
		if (i % 2) {
			len = snprintf(line, sizeof(line), "[%5d.000001] Out of memory: Killed process %d (t%d) total-vm:1kB, anon-rss:1kB, file-rss:0kB", i, i, i);
			klog_feed(k, line, (size_t)len);
		}
		while ((ev = klog_next(k)) != NULL) {
			assert_int_equal(ev->pid % 2, 1);
			char want[32];
			snprintf(want, sizeof(want), "t%lld", ev->pid);
			assert_string_equal(ev->trigger_comm, want);
			klog_event_free(ev);
			total++;
		}
	}
	klog_finish(k);
	while ((ev = klog_next(k)) != NULL) {
		klog_event_free(ev);
		total++;
	}
	assert_int_equal(total, 25000);
	klog_free(k);
}

static void test_format(void **state)
{
	(void)state;
	size_t n;
	struct strbuf sb = STRBUF_INIT;
	struct klog_event **e = run("[ 12.5] Out of memory: Killed process 7 (x\033[2Jy) total-vm:1kB, anon-rss:1024kB, file-rss:1024kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n",
				    false, &n);

	assert_int_equal(n, 1);
	logfmt_row(&sb, e[0], NULL, true);
	assert_null(strchr(sb_str(&sb), '\033'));
	assert_non_null(strstr(sb_str(&sb), "boot+12.500s"));
	assert_non_null(strstr(sb_str(&sb), "2.0M"));
	assert_int_equal(logfmt_rss_kib(e[0]), 2048);
	sb_free(&sb);
	free_events(e, n);
}

static void test_since(void **state)
{
	(void)state;
	long long now = 1706933106, t; /* 2024-02-03 04:05:06 UTC */

	assert_int_equal(logfmt_parse_since("2024-02-01", now, &t), 0);
	assert_int_equal(t, 1706745600);
	assert_int_equal(logfmt_parse_since("2024-02-01 10:30", now, &t), 0);
	assert_int_equal(t, 1706783400);
	assert_int_equal(logfmt_parse_since("2024-02-01T10:30:15", now, &t), 0);
	assert_int_equal(t, 1706783415);
	assert_int_equal(logfmt_parse_since("-2h", now, &t), 0);
	assert_int_equal(t, now - 7200);
	assert_int_equal(logfmt_parse_since("3d ago", now, &t), 0);
	assert_int_equal(t, now - 3 * 86400);
	assert_int_equal(logfmt_parse_since("today", now, &t), 0);
	assert_int_equal(t, 1706918400);
	assert_int_equal(logfmt_parse_since("yesterday", now, &t), 0);
	assert_int_equal(t, 1706918400 - 86400);
	assert_int_equal(logfmt_parse_since("04:00", now, &t), 0);
	assert_int_equal(t, 1706932800);
	assert_int_equal(logfmt_parse_since("@42", now, &t), 0);
	assert_int_equal(t, 42);
	assert_int_equal(logfmt_parse_since("2024-02-29", now, &t), 0);
	assert_int_equal(t, 1709164800);
	assert_int_equal(logfmt_parse_since("2016-12-31 23:59:60", now, &t), 0);
	/* dates mktime() would move elsewhere do not exist */
	const char *bad[] = { "", "2024-13-01", "2024-02-01 25:00", "soon", "-2x", "12", "04:00:", "2024-02-01 10", "@", "04:00x",
			      "2026-02-30", "2023-02-29", "2024-04-31", "2024-02-30 10:00", "2024-06-31T00:00:00" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(logfmt_parse_since(bad[i], now, &t), -EINVAL);
}

static void test_forged_kills(void **state)
{
	(void)state;
	size_t n;
	/* arch/x86/mm/fault.c show_signal_msg(): "COMM[PID]: segfault at ... in FILE[...]", FILE chosen by the user */
	struct klog_event **e = run(
		"[ 1049.454052] segvmap[17549]: segfault at 7fde26560000 ip 00007fde26560000 sp 00007ffc1ccdd818 error 15 in Out of memory: Killed process 4242 (rtfake) total-vm:9kB, anon-rss:0kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0[0,7fde26560000+1000] likely on CPU 1 (core 1, socket 0)\n"
		"6,2002,1050000000,-;rtfake[17550]: segfault at 0 ip 0 sp 0 error 15 in Killed process 4243 (rtfake) total-vm:9kB, anon-rss:0kB, file-rss:0kB[0,7fde26560000+1000]\n"
		/* a comm is 15 bytes: one that starts like a report line cannot complete it */
		"[ 1051.0] Killed process [17551]: segfault at 0 ip 0 sp 0 error 4\n"
		"[ 1051.1] oom-kill:constr[17552]: segfault at 0 ip 0 sp 0 error 4\n"
		/* lone kill lines in no shape of any kernel */
		"[ 1052.0] Killed process 4244 (rtfake) total-vm:9kB\n"
		"[ 1052.1] Killed process 4245 (rtfake) total-vm:9kB, anon-rss:0kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB\n"
		"[ 1052.2] Out of memory: Killed process 4246 (rtfake) total-vm:9kB, anon-rss:0kB, file-rss:0kB\n"
		"[ 1052.3] Bogus headline: Killed process 4247 (rtfake) total-vm:9kB, anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n"
		"[ 1052.4] Killed process 4248 (rtfake) total-vm:9kB, anon-rss:0kB, file-rss:0kB trailing\n"
		/* a program's lines: syslog tags the kernel never writes, user facility records */
		"Nov 28 01:23:30 web1 kernel[4242]: Killed process 4249 (rtfake) total-vm:9kB, anon-rss:0kB, file-rss:0kB\n"
		"<12>[ 1100.0] Killed process 4250 (rtfake) total-vm:9kB, anon-rss:0kB, file-rss:0kB\n"
		"<13>1 2026-11-28T01:23:30Z web1 kernel - - - Killed process 4251 (rtfake) total-vm:9kB, anon-rss:0kB, file-rss:0kB\n"
		"<5>1 2026-11-28T01:23:30Z web1 kernel 77 - - Killed process 4252 (rtfake) total-vm:9kB, anon-rss:0kB, file-rss:0kB\n"
		"12,2003,1100000000,-;Killed process 4253 (rtfake) total-vm:9kB, anon-rss:0kB, file-rss:0kB\n"
		/* the kernel prints kill lines at err (3): util-linux 2.38's dmesg -r shows <12> as <5> */
		"<5>[ 1100.1] Killed process 4254 (rtfake) total-vm:9kB, anon-rss:0kB, file-rss:0kB\n"
		"6,2004,1100000000,-;Killed process 4255 (rtfake) total-vm:9kB, anon-rss:0kB, file-rss:0kB\n"
		"kern  :warn  : [ 1100.2] Killed process 4256 (rtfake) total-vm:9kB, anon-rss:0kB, file-rss:0kB\n",
		false, &n);

	assert_int_equal(n, 0);
	free_events(e, n);
	e = run("<3>[ 1100.1] Killed process 4257 (a) total-vm:9kB, anon-rss:0kB, file-rss:0kB\n"
		"3,2005,1100000000,-;Killed process 4258 (b) total-vm:9kB, anon-rss:0kB, file-rss:0kB\n"
		"kern  :err   : [ 1100.2] Killed process 4259 (c) total-vm:9kB, anon-rss:0kB, file-rss:0kB\n",
		false, &n);
	assert_int_equal(n, 3);
	free_events(e, n);
}

static void test_kill_shapes(void **state)
{
	(void)state;
	size_t n;
	/* alone, each generation's exact shape is a kill (mm/oom_kill.c) */
	struct klog_event **e = run("Out of memory: Killed process 1 (a b).\n"
				    "Killed process 2 (b)\n"
				    "Killed process 3 (c) vsz:3kB, anon-rss:2kB, file-rss:1kB\n"
				    "Killed process 4 (d) total-vm:4kB, anon-rss:2kB, file-rss:1kB\n"
				    "Killed process 5 (e) total-vm:5kB, anon-rss:2kB, file-rss:1kB, shmem-rss:1kB\n"
				    "Memory cgroup out of memory: Killed process 6 (f) total-vm:6kB, anon-rss:2kB, file-rss:1kB, shmem-rss:1kB\n"
				    "Out of memory: Killed process 7 (g) total-vm:7kB, anon-rss:2kB, file-rss:1kB, shmem-rss:1kB, UID:70 pgtables:1kB oom_score_adj:-7\n"
				    "Killed process 8, UID 80, (h) total-vm:8kB, anon-rss:2kB, file-rss:1kB\n"
				    "Killed process 9 (i), UID 90, total-vm:9kB, anon-rss:2kB, file-rss:1kB, shmem-rss:0kB\n"
				    "Killed process 10 (x) total-vm:1kB) total-vm:10kB, anon-rss:2kB, file-rss:1kB\n"
				    /* a distribution's 4.x with 5.3's fields; blanks a copy left at the end */
				    "Killed process 11 (j) total-vm:9kB, anon-rss:2kB, file-rss:1kB, shmem-rss:0kB, UID:0 pgtables:1kB oom_score_adj:0 \t\r\n",
				    false, &n);

	assert_int_equal(n, 11);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(e[i]->pid, (long long)i + 1);
	assert_string_equal(e[0]->comm, "a b");
	assert_string_equal(e[0]->message, "Out of memory");
	assert_int_equal(e[2]->total_vm_kib, 3);
	assert_int_equal(e[4]->shmem_rss_kib, 1);
	assert_string_equal(e[5]->message, "Memory cgroup out of memory");
	assert_int_equal(e[6]->uid, 70);
	assert_int_equal(e[6]->oom_score_adj, -7);
	assert_int_equal(e[7]->uid, 80);
	assert_string_equal(e[8]->comm, "i");
	assert_int_equal(e[8]->uid, 90); /* RHEL/CentOS 7.4+ */
	assert_int_equal(e[8]->total_vm_kib, 9);
	assert_string_equal(e[9]->comm, "x) total-vm:1kB");
	assert_int_equal(e[9]->total_vm_kib, 10);
	free_events(e, n);

	/* inside a report a vendor kernel's extra fields are read */
	e = run("[ 1.0] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[ 1.1] Out of memory: Killed process 11 (a) total-vm:11kB, anon-rss:2kB, file-rss:1kB, shmem-rss:0kB, UID:0 pgtables:1kB oom_score_adj:0 vendor:5\n",
		false, &n);
	assert_int_equal(n, 1);
	assert_int_equal(e[0]->pid, 11);
	assert_int_equal(e[0]->total_vm_kib, 11);
	assert_string_equal(e[0]->trigger_comm, "a");
	free_events(e, n);
}

static void test_glued_and_quoted(void **state)
{
	(void)state;
	size_t n;
	/* a report pasted without its newlines, and one quoted in an e-mail */
	struct klog_event **e = run(
		"oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/g,task_memcg=/g/h,task=t,pid=19271,uid=5"
		"Memory cgroup out of memory: Killed process 19271 (trashapplet) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:5 pgtables:0kB oom_score_adj:0"
		"Tasks in /g are going to be killed due to memory.oom.group set"
		"Memory cgroup out of memory: Killed process 19272 (x) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:5 pgtables:0kB oom_score_adj:0\n"
		"> node invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=3\n"
		">> oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/q,task_memcg=/q,task=node,pid=4500,uid=0\n"
		"> > Memory cgroup out of memory: Killed process 4500 (node) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:3\n",
		false, &n);

	assert_int_equal(n, 2);
	assert_int_equal(e[0]->pid, 19271);
	assert_string_equal(e[0]->oom_memcg, "/g");
	assert_string_equal(e[0]->task_memcg, "/g/h");
	assert_string_equal(e[0]->oom_group, "/g");
	assert_int_equal(e[0]->nmembers, 2);
	assert_int_equal(e[0]->members[1].pid, 19272);
	assert_int_equal(e[1]->pid, 4500);
	assert_string_equal(e[1]->trigger_comm, "node");
	assert_string_equal(e[1]->oom_memcg, "/q");
	free_events(e, n);

	/* a /dev/kmsg record is one message: nothing in it is read as another */
	e = run("4,1,1000,-;Killed process 20 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kBoom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=a,pid=20,uid=0\n",
		false, &n);
	assert_int_equal(n, 0);
	free_events(e, n);
}

static void test_group_members(void **state)
{
	(void)state;
	struct klog *k = klog_new(&opts_utc);
	struct klog_event *ev;
	char line[300];

	klog_feed(k, "w invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0", 74);
	const char *kill = "Memory cgroup out of memory: Killed process 1 (w) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0";
	klog_feed(k, kill, strlen(kill));
	const char *grp = "Tasks in /b are going to be killed due to memory.oom.group set";
	klog_feed(k, grp, strlen(grp));
	klog_feed(k, kill, strlen(kill)); /* the victim again, as a member */
	for (int i = 2; i < KLOG_MEMBERS_MAX + 10; i++) {
		int len = snprintf(line, sizeof(line), "Memory cgroup out of memory: Killed process %d (m%d) total-vm:1kB, anon-rss:1kB, file-rss:1kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0", i, i);
		klog_feed(k, line, (size_t)len);
	}
	klog_finish(k);
	ev = klog_next(k);
	assert_non_null(ev);
	assert_int_equal(ev->pid, 1);
	assert_int_equal(ev->nmembers, KLOG_MEMBERS_MAX);
	assert_int_equal(ev->members_dropped, 9);
	assert_int_equal(ev->members[0].pid, 1);
	assert_int_equal(ev->members[1].pid, 2);
	assert_int_equal(ev->members[1].rss_kib, 2);
	assert_string_equal(ev->members[1].comm, "m2");
	klog_event_free(ev);
	assert_null(klog_next(k)); /* one event, however many records */
	klog_free(k);
}

static void test_prefix_formats(void **state)
{
	(void)state;
	struct klog_line ln;

	/* journalctl -o short-unix */
	prefix("1787068905.416344 web1 kernel: m", &ln);
	assert_int_equal(ln.time_sec, 1787068905LL);
	assert_int_equal(ln.time_usec, 416344);
	assert_memory_equal(ln.host, "web1", 4);
	assert_false(ln.year_guessed);
	assert_msg(&ln, "m");
	/* month names of other locales (glibc's abmon and mon), and the guessed year */
	prefix("апр 28 01:23:30 web1 kernel: m", &ln);
	assert_int_equal(ln.time_sec, 1556414610LL); /* 2019-04-28 01:23:30 UTC */
	assert_true(ln.year_guessed);
	assert_msg(&ln, "m");
	prefix("avril 28 01:23:30 web1 kernel: m", &ln);
	assert_int_equal(ln.time_sec, 1556414610LL);
	prefix("Mär 28 01:23:30 web1 kernel: m", &ln);
	assert_int_equal(ln.time_sec, 1553736210LL);
	prefix("4月 28 01:23:30 web1 kernel: m", &ln);
	assert_int_equal(ln.time_sec, 1556414610LL);
	assert_memory_equal(ln.host, "web1", 4);
	prefix("abr 28 01:23:30 web1 kernel: m", &ln);
	assert_int_equal(ln.time_sec, 1556414610LL);
	/* RFC 5424 */
	prefix("<6>1 2026-11-28T01:23:30.123456+00:00 web1 kernel - - - [ 5.5] m", &ln);
	assert_int_equal(ln.time_sec, 1795829010LL);
	assert_int_equal(ln.time_usec, 123456);
	assert_int_equal(ln.uptime_usec, 5500000LL);
	assert_memory_equal(ln.host, "web1", 4);
	assert_false(ln.foreign);
	assert_msg(&ln, "m");
	prefix("<6>1 2026-11-28T01:23:30Z web1 kernel - - [x@1 a=\"]\"] m", &ln);
	assert_false(ln.foreign);
	assert_msg(&ln, "m");
	prefix("<6>1 2026-11-28T01:23:30Z web1 sshd - - - m", &ln);
	assert_true(ln.foreign);
	/* tags the kernel never uses */
	prefix("Nov 28 01:23:30 web1 kernel[4242]: m", &ln);
	assert_true(ln.foreign);
	prefix("2026-11-28T01:23:30+00:00 web1 kernel[1]: m", &ln);
	assert_true(ln.foreign);
	/* quoted and indented */
	prefix(">> > [ 5.5] m", &ln);
	assert_int_equal(ln.uptime_usec, 5500000LL);
	assert_msg(&ln, "m");
	/* grep -H / -n over log files, and the bare kernel tag */
	prefix("/var/log/kern.log.1:Aug 30 15:00:11 db1 kernel: m", &ln);
	assert_int_equal(ln.time_sec, 1567177211LL);
	assert_memory_equal(ln.host, "db1", 3);
	assert_msg(&ln, "m");
	prefix("messages:12:2023-05-01T12:00:00+02:00 node1 kernel: m", &ln);
	assert_int_equal(ln.time_sec, 1682935200LL);
	assert_msg(&ln, "m");
	prefix("dmesg.txt:[ 5.5] m", &ln);
	assert_int_equal(ln.uptime_usec, 5500000LL);
	assert_msg(&ln, "m");
	prefix("oom-kill:constraint=CONSTRAINT_NONE", &ln);
	assert_msg(&ln, "oom-kill:constraint=CONSTRAINT_NONE");
	prefix("kernel: [ 5.5] m", &ln);
	assert_int_equal(ln.uptime_usec, 5500000LL);
	assert_msg(&ln, "m");
	/* the upstream caller id after dmesg's and syslog's timestamps */
	prefix("Nov 28 01:23:30 web1 kernel: [ 5.5][  T123] m", &ln);
	assert_memory_equal(ln.caller, "T123", 4);
	assert_msg(&ln, "m");
	prefix("[ 5.5] [    C1] m", &ln);
	assert_memory_equal(ln.caller, "C1", 2);
	assert_msg(&ln, "m");
}

static void test_format_columns(void **state)
{
	(void)state;
	size_t n;
	struct strbuf sb = STRBUF_INIT;
	struct klog_event **e = run("Aug 30 15:00:11 db1 kernel: Killed process 7 (x) total-vm:1kB, anon-rss:1kB, file-rss:1kB\n"
				    "a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
				    "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/very-long-service-name-here.service,task_memcg=/x,task=a,pid=8,uid=0\n"
				    "Memory cgroup out of memory: Killed process 8 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n",
				    false, &n);

	assert_int_equal(n, 2);
	logfmt_row(&sb, e[0], NULL, true);
	assert_true(e[0]->year_guessed);
	assert_non_null(strstr(sb_str(&sb), "~2019-08-30 15:00:11 "));
	assert_non_null(strstr(sb_str(&sb), " (unknown) "));
	sb_reset(&sb);
	logfmt_row(&sb, e[1], NULL, false);
	/* cut from the left with a marker: the columns after it stay in place */
	assert_non_null(strstr(sb_str(&sb), " <e-name-here.service -                    a"));
	sb_reset(&sb);
	logfmt_row(&sb, e[1], NULL, true);
	assert_non_null(strstr(sb_str(&sb), " \xe2\x80\xa6" "e-name-here.service -                    a"));
	/* WORKLOAD: the victim's unit, a long name cut with '+', a hostile one escaped */
	struct workload w;
	assert_int_equal(workload_parse("/system.slice/mysql.service", &w), 0);
	sb_reset(&sb);
	logfmt_row(&sb, e[1], &w, true);
	assert_non_null(strstr(sb_str(&sb), "e-name-here.service mysql.service        a"));
	assert_int_equal(workload_parse("/system.slice/very-long-service-name-here.service", &w), 0);
	sb_reset(&sb);
	logfmt_row(&sb, e[1], &w, true);
	assert_non_null(strstr(sb_str(&sb), " very-long-service-n+ a"));
	assert_int_equal(workload_parse("/lxc.payload.a\033[2Jb", &w), 0);
	sb_reset(&sb);
	logfmt_row(&sb, e[1], &w, true);
	assert_null(strchr(sb_str(&sb), '\033'));
	assert_non_null(strstr(sb_str(&sb), " a\\x1b[2Jb "));
	sb_free(&sb);
	free_events(e, n);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_dmesg),
		cmocka_unit_test(test_prefix_syslog),
		cmocka_unit_test(test_prefix_kmsg),
		cmocka_unit_test(test_killed_variants),
		cmocka_unit_test(test_seed_article_lines),
		cmocka_unit_test(test_hostile_lines),
		cmocka_unit_test(test_task_table_bounded),
		cmocka_unit_test(test_many_reports),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_since),
		cmocka_unit_test(test_forged_kills),
		cmocka_unit_test(test_kill_shapes),
		cmocka_unit_test(test_glued_and_quoted),
		cmocka_unit_test(test_group_members),
		cmocka_unit_test(test_prefix_formats),
		cmocka_unit_test(test_format_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
