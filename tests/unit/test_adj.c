/*
 * Unit tests of the writer (src/adj.c): value parsing, the text of every
 * result, the log line, and the fallback to oom_adj on a kernel without
 * oom_score_adj, played on a fake /proc tree (no such kernel runs here).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "adj.h"
#include "adjfmt.h"
#include "badness.h"
#include "oomtop.h"
#include "strbuf.h"

static void test_parse(void **state)
{
	(void)state;
	int v = 12345;
	assert_int_equal(adj_parse("-500", ADJ_SCORE, &v), 0);
	assert_int_equal(v, -500);
	assert_int_equal(adj_parse("-1000", ADJ_SCORE, &v), 0);
	assert_int_equal(v, -1000);
	assert_int_equal(adj_parse("1000", ADJ_SCORE, &v), 0);
	assert_int_equal(adj_parse("1001", ADJ_SCORE, &v), -ERANGE);
	assert_int_equal(adj_parse("-1001", ADJ_SCORE, &v), -ERANGE);
	assert_int_equal(adj_parse("99999999999999999999", ADJ_SCORE, &v), -ERANGE);
	assert_int_equal(adj_parse("", ADJ_SCORE, &v), -EINVAL);
	assert_int_equal(adj_parse(" 5", ADJ_SCORE, &v), -EINVAL);
	assert_int_equal(adj_parse("5 ", ADJ_SCORE, &v), -EINVAL);
	assert_int_equal(adj_parse("0x10", ADJ_SCORE, &v), -EINVAL); /* the kernel would take it; we do not */
	assert_int_equal(adj_parse("-", ADJ_SCORE, &v), -EINVAL);
	assert_int_equal(adj_parse("--5", ADJ_SCORE, &v), -EINVAL);
	assert_int_equal(adj_parse("-17", ADJ_LEGACY, &v), 0);
	assert_int_equal(v, -17);
	assert_int_equal(adj_parse("15", ADJ_LEGACY, &v), 0);
	assert_int_equal(adj_parse("16", ADJ_LEGACY, &v), -ERANGE);
	assert_int_equal(adj_parse("-18", ADJ_LEGACY, &v), -ERANGE);
	assert_int_equal(v, 15);
	assert_int_equal(adj_unit_min(ADJ_LEGACY), OOM_DISABLE);
	assert_int_equal(adj_unit_max(ADJ_SCORE), OOM_SCORE_ADJ_MAX);
}

/* Returns a result of pid 1234 (mysqld) owned by uid 27. */
static struct adj_result base_result(void)
{
	struct adj_result r;
	memset(&r, 0, sizeof(r));
	r.id.pid = 1234;
	r.id.uid = 27;
	strcpy(r.id.comm, "mysqld");
	r.have_old = true;
	return r;
}

/* Formats r into a static buffer. */
static const char *fmt(const struct adj_result *r)
{
	static char out[1024];
	struct strbuf sb = STRBUF_INIT;
	adjfmt_result(&sb, r, true);
	snprintf(out, sizeof(out), "%s", sb_str(&sb));
	sb_free(&sb);
	return out;
}

static void test_format_success(void **state)
{
	(void)state;
	struct adj_result r = base_result();
	r.old_score = 0;
	r.new_score = r.target_score = -500;
	r.changed = true;
	assert_string_equal(fmt(&r), "1234 (mysqld): oom_score_adj 0 -> -500");
	r.old_score = r.new_score = -500;
	r.changed = false;
	assert_string_equal(fmt(&r), "1234 (mysqld): oom_score_adj -500, unchanged");
	r.old_score = 0;
	r.dry_run = true;
	assert_string_equal(fmt(&r), "1234 (mysqld): oom_score_adj 0 -> -500 (dry run, not written)");

	/* legacy: oom_adj 8 is stored as 470, which reads back as 7 */
	r = base_result();
	r.unit = ADJ_LEGACY;
	r.requested = r.target_legacy = 8;
	r.target_score = r.new_score = badness_legacy_to_adj(8);
	r.new_legacy = badness_adj_to_legacy(r.new_score);
	r.changed = true;
	assert_string_equal(fmt(&r), "1234 (mysqld): oom_adj 0 -> 7 (oom_score_adj 0 -> 470; oom_adj 8 is "
				     "stored as 470, which reads back as 7)");
	r.requested = r.target_legacy = 15;
	r.target_score = r.new_score = 1000;
	r.new_legacy = 15;
	assert_string_equal(fmt(&r), "1234 (mysqld): oom_adj 0 -> 15 (oom_score_adj 0 -> 1000)");
	r.old_score = 1000;
	r.old_legacy = 15;
	r.changed = false;
	assert_string_equal(fmt(&r), "1234 (mysqld): oom_adj 15, unchanged (oom_score_adj 1000)");
}

static void test_format_sharers(void **state)
{
	(void)state;
	struct adj_result r = base_result();
	r.old_score = 0;
	r.new_score = r.target_score = 300;
	r.changed = true;
	r.nsharers = 1;
	r.sharers[0].pid = 1235;
	strcpy(r.sharers[0].comm, "worker\n");
	assert_string_equal(fmt(&r), "1234 (mysqld): oom_score_adj 0 -> 300 (the kernel also changed 1235 (worker\\n), "
				     "which shares its memory)");
	r.nsharers = ADJ_SHARERS_MAX + 3;
	for (int i = 0; i < ADJ_SHARERS_MAX; i++) {
		r.sharers[i].pid = 2000 + i;
		r.sharers[i].comm[0] = '\0';
	}
	assert_string_equal(fmt(&r), "1234 (mysqld): oom_score_adj 0 -> 300 (the kernel also changed 2000, 2001, 2002, "
				     "2003, 2004, 2005, 2006, 2007 and 3 more, which share its memory)");
	struct strbuf sb = STRBUF_INIT;
	r.nsharers = 2;
	adjfmt_log(&sb, &r, "set", 0, "root", -1);
	assert_string_equal(sb_str(&sb), "set: pid 1234 comm \"mysqld\" uid 27: oom_score_adj 0 -> 300, also pid 2000,2001 "
					 "(shared memory); by uid 0 (root)");
	sb_free(&sb);
}

static void test_format_errors(void **state)
{
	(void)state;
	struct adj_result r = base_result();

	r.err = -ENOENT;
	r.id.comm[0] = '\0';
	r.have_old = false;
	assert_string_equal(fmt(&r), "1234: no such process");
	r.err = -ESRCH;
	assert_string_equal(fmt(&r), "1234: the process exited; nothing was written");
	r.pid_reused = true;
	assert_string_equal(fmt(&r), "1234: the process exited and its PID now belongs to another process, "
				     "which was left alone");

	r = base_result();
	r.err = -EPERM;
	r.file_uid = 27;
	r.owner_name = "mysql";
	r.self_uid = 1000;
	r.self_name = "alice";
	assert_string_equal(fmt(&r), "1234 (mysqld): not the owner: /proc/1234/oom_score_adj belongs to uid 27 "
				     "(mysql) and you are uid 1000 (alice); only its owner or root can change it");
	r.file_uid = 0;
	r.owner_name = "root";
	assert_string_equal(fmt(&r), "1234 (mysqld): not the owner: /proc/1234/oom_score_adj belongs to uid 0 "
				     "(root) (the process is not dumpable) and you are uid 1000 (alice); only its "
				     "owner or root can change it");
	r.owner_name = "0"; /* a uid without a name is not repeated */
	r.self_name = NULL;
	assert_true(strstr(fmt(&r), "belongs to uid 0 (the process") != NULL);
	assert_true(strstr(fmt(&r), "you are uid 1000;") != NULL);

	/* the kernel's floor: non-legacy compares with oom_score_adj_min */
	r = base_result();
	r.err = -EACCES;
	r.old_score = 500;
	r.requested = r.target_score = -1;
	r.self_uid = 0;
	assert_string_equal(fmt(&r), "1234 (mysqld): cannot lower oom_score_adj from 500 to -1: that is below the "
				     "process's oom_score_adj_min and needs CAP_SYS_RESOURCE, which you lack as root "
				     "(a container or a reduced capability set); raising works without it");
	r.self_uid = 1000;
	assert_true(strstr(fmt(&r), "CAP_SYS_RESOURCE (run it as root); raising") != NULL);
	r.cap_sys_resource = true;
	assert_true(strstr(fmt(&r), "in the initial user namespace") != NULL);
	/* a value above the current one can still be below the minimum */
	r.cap_sys_resource = false;
	r.old_score = -1000;
	r.requested = r.target_score = -500;
	assert_true(strstr(fmt(&r), "cannot set oom_score_adj to -500 (it is -1000): that is below the process's "
				    "oom_score_adj_min, which a writer with CAP_SYS_RESOURCE set above -500") != NULL);

	/* legacy compares with the current value */
	r = base_result();
	r.err = -EACCES;
	r.unit = ADJ_LEGACY;
	r.old_score = 500;
	r.requested = r.target_legacy = 5;
	r.target_score = 294;
	assert_true(strstr(fmt(&r), "cannot lower through oom_adj from oom_score_adj 500 to 294 (oom_adj 5): the "
				    "legacy file needs CAP_SYS_RESOURCE to go below the current value") != NULL);
	assert_true(strstr(fmt(&r), "oom_score_adj (without --legacy) can go down to the process's "
				    "oom_score_adj_min") != NULL);

	r = base_result();
	r.err = -ERANGE;
	r.requested = 1001;
	assert_string_equal(fmt(&r), "1234 (mysqld): oom_score_adj 1001 is out of range (-1000..1000)");
	r.unit = ADJ_LEGACY;
	r.requested = 16;
	assert_string_equal(fmt(&r), "1234 (mysqld): oom_adj 16 is out of range (-17..15)");

	r = base_result();
	strcpy(r.id.comm, "kworker/0:1");
	r.err = -EOPNOTSUPP;
	assert_string_equal(fmt(&r), "1234 (kworker/0:1): a kernel thread: the OOM killer never kills kernel "
				     "threads, left alone");
	r.err = -EIO;
	r.target_score = 100;
	r.new_score = 200;
	assert_true(strstr(fmt(&r), "wrote oom_score_adj 100 but it reads back 200") != NULL);
	r.err = -ENODEV;
	assert_true(strstr(fmt(&r), "neither /proc/PID/oom_score_adj nor") != NULL);
	r.err = -EROFS;
	assert_true(strstr(fmt(&r), "cannot write oom_score_adj: ") != NULL);
}

static void test_format_hostile_comm(void **state)
{
	(void)state;
	struct adj_result r = base_result();
	/* a name chosen by whoever starts the process: escapes, newline, invalid UTF-8 */
	strcpy(r.id.comm, "a) Z (b\n\033[2J\xff");
	r.old_score = r.new_score = r.target_score = 0;
	const char *s = fmt(&r);
	assert_null(strchr(s, '\n'));
	assert_null(strchr(s, '\033'));
	assert_string_equal(s, "1234 (a) Z (b\\n\\x1b[2J\\xff): oom_score_adj 0, unchanged");
}

static void test_log_text(void **state)
{
	(void)state;
	struct adj_result r = base_result();
	struct strbuf sb = STRBUF_INIT;

	r.old_score = 0;
	r.new_score = r.target_score = -500;
	r.changed = true;
	adjfmt_log(&sb, &r, "protect", 0, "root", 1000);
	assert_string_equal(sb_str(&sb), "protect: pid 1234 comm \"mysqld\" uid 27: oom_score_adj 0 -> -500; by uid 0 "
					 "(root) auid 1000");
	sb_reset(&sb);
	strcpy(r.id.comm, "x\ny: forged");
	r.err = -EACCES;
	adjfmt_log(&sb, &r, "set", 1000, "alice", -1);
	assert_null(strchr(sb_str(&sb), '\n'));
	assert_string_equal(sb_str(&sb), "set: pid 1234 comm \"x\\ny: forged\" uid 27: oom_score_adj 0 -> -500 refused "
					 "(needs CAP_SYS_RESOURCE); by uid 1000 (alice)");
	sb_free(&sb);
}

/* A fake /proc with one process: its directory holds the given files. */
struct fake {
	char root[64];
	int rootfd;
};

/* Writes text into root/1234/name. */
static void put(const struct fake *f, const char *name, const char *text)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/1234/%s", f->root, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Reads root/1234/name. */
static const char *get(const struct fake *f, const char *name)
{
	static char buf[64];
	char path[128];
	snprintf(path, sizeof(path), "%s/1234/%s", f->root, name);
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* Creates the fake tree; with_score_adj: a kernel since 2.6.36. */
static void fake_make(struct fake *f, bool with_score_adj)
{
	char path[128];
	snprintf(f->root, sizeof(f->root), "/tmp/oomtop-unit-adj.XXXXXX");
	assert_non_null(mkdtemp(f->root));
	snprintf(path, sizeof(path), "%s/1234", f->root);
	assert_int_equal(mkdir(path, 0755), 0);
	put(f, "stat", "1234 (mysqld) S 1 1234 1234 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 777 0 0\n");
	put(f, "status", "Name:\tmysqld\nState:\tS (sleeping)\nPPid:\t1\nUid:\t27\t27\t27\t27\n");
	put(f, "oom_adj", "0\n");
	if (with_score_adj)
		put(f, "oom_score_adj", "0\n");
	f->rootfd = open(f->root, O_RDONLY | O_DIRECTORY);
	assert_true(f->rootfd >= 0);
}

/* Removes the fake tree. */
static void fake_remove(struct fake *f)
{
	char cmd[128];
	close(f->rootfd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	assert_int_equal(system(cmd), 0);
}

/* Sets the release the fake /proc's kernel names (root/sys/kernel/osrelease). */
static void fake_release(const struct fake *f, const char *release)
{
	char path[160];
	snprintf(path, sizeof(path), "%s/sys", f->root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/kernel", f->root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/kernel/osrelease", f->root);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "%s\n", release);
	fclose(fp);
}

static void test_rules_per_kernel(void **state)
{
	(void)state;
	/* fs/proc/base.c, read in 2.6.37, 2.6.38, 3.6.5, 3.7.2, 3.13.10, 4.7.4, 4.8.15, 5.9.4, 5.10.7 */
	const struct {
		const char *release;
		enum adj_legacy_read legacy;
		bool score_min, mm_shared;
	} k[] = {
		{ "2.6.36", ADJ_LEGACY_KEPT, false, false },
		{ "2.6.37.6", ADJ_LEGACY_KEPT, false, false },
		{ "2.6.38", ADJ_LEGACY_KEPT, true, false },
		{ "2.6.32-754.el6.x86_64", ADJ_LEGACY_KEPT, false, false },
		{ "3.6.11", ADJ_LEGACY_KEPT, true, false },
		{ "3.7", ADJ_LEGACY_VIEW, true, false },
		{ "3.10.0-1160.el7.x86_64", ADJ_LEGACY_VIEW, true, false },
		{ "4.7.10", ADJ_LEGACY_VIEW, true, false },
		{ "4.8", ADJ_LEGACY_VIEW, true, true },
		{ "4.18.0-553.el8_10.x86_64", ADJ_LEGACY_VIEW, true, true },
		{ "5.4.0-150-generic", ADJ_LEGACY_VIEW, true, true },
		{ "5.9.16", ADJ_LEGACY_VIEW, true, true },
		{ "5.10.0-32-cloud-amd64", ADJ_LEGACY_CLAMPED, true, true },
		{ "6.12.48+deb13-cloud-amd64", ADJ_LEGACY_CLAMPED, true, true },
	};
	struct adj_rules r;
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		assert_int_equal(adj_rules_for_release(k[i].release, &r), 0);
		assert_int_equal(r.legacy, k[i].legacy);
		assert_int_equal(r.score_min, k[i].score_min);
		assert_int_equal(r.mm_shared, k[i].mm_shared);
	}
	/* unreadable: the newest */
	assert_int_equal(adj_rules_for_release("garbage", &r), -EINVAL);
	assert_int_equal(r.legacy, ADJ_LEGACY_CLAMPED);
	assert_true(r.score_min && r.mm_shared);
}

static void test_legacy_read_per_kernel(void **state)
{
	(void)state;
	struct adj_rules kept, view, clamped;
	adj_rules_for_release("3.6.5", &kept);
	adj_rules_for_release("5.9.4", &view);
	adj_rules_for_release("5.10.7", &clamped);

	/* 2.6.36-3.6: a write of oom_score_adj sets oom_adj to -17 for -1000, else score * 15 / 1000 */
	assert_int_equal(adj_legacy_of_score(&kept, -1000), -17);
	assert_int_equal(adj_legacy_of_score(&kept, -999), -14);
	assert_int_equal(adj_legacy_of_score(&kept, 470), 7);
	assert_int_equal(adj_legacy_of_score(&kept, 999), 14);
	assert_int_equal(adj_legacy_of_score(&kept, 1000), 15);
	/* and a write of oom_adj reads back as written */
	assert_int_equal(adj_legacy_after(&kept, ADJ_LEGACY, -8), -8);
	assert_int_equal(adj_legacy_after(&kept, ADJ_SCORE, -470), -7);

	/* 3.7-5.9: a view, score * 17 / 1000, 15 for 1000 only: 942..999 read 16 */
	assert_int_equal(adj_legacy_of_score(&view, 1000), 15);
	assert_int_equal(adj_legacy_of_score(&view, 999), 16);
	assert_int_equal(adj_legacy_of_score(&view, 942), 16);
	assert_int_equal(adj_legacy_of_score(&view, 941), 15);
	assert_int_equal(adj_legacy_of_score(&view, -1000), -17);
	assert_int_equal(adj_legacy_of_score(&view, -942), -16);
	assert_int_equal(adj_legacy_after(&view, ADJ_LEGACY, -8), -7); /* stored as -470 */

	/* 5.10 on: never above 15 */
	assert_int_equal(adj_legacy_of_score(&clamped, 999), 15);
	assert_int_equal(adj_legacy_of_score(&clamped, 942), 15);
	assert_int_equal(adj_legacy_of_score(&clamped, -942), -16);
	/* the clamped view is badness_adj_to_legacy() across the whole range */
	for (int v = -1000; v <= 1000; v++)
		assert_int_equal(adj_legacy_of_score(&clamped, v), badness_adj_to_legacy(v));
	/* on every kernel a legacy write stores the same oom_score_adj: 15 is 1000, else v * 1000 / 17 */
	for (int v = -17; v <= 15; v++) {
		assert_true(adj_legacy_after(&view, ADJ_LEGACY, v) <= 15);
		assert_int_equal(adj_legacy_after(&clamped, ADJ_LEGACY, v), badness_adj_to_legacy(badness_legacy_to_adj(v)));
	}
}

static void test_refusal_per_kernel(void **state)
{
	(void)state;
	struct adj_rules r2637, r2638, kept, view;
	adj_rules_for_release("2.6.37", &r2637);
	adj_rules_for_release("2.6.38", &r2638);
	adj_rules_for_release("3.6.5", &kept);
	adj_rules_for_release("6.1.0", &view);

	/* oom_score_adj 500 -> 300: 2.6.37 refuses any lowering, 2.6.38 allows down to the minimum (0) */
	assert_int_equal(adj_refusal(&r2637, ADJ_SCORE, 300, 5, 500, 8), -EACCES);
	assert_int_equal(adj_refusal(&r2638, ADJ_SCORE, 300, 5, 500, 8), 0);
	assert_int_equal(adj_refusal(&r2638, ADJ_SCORE, -1, 0, 0, 0), -EACCES);
	assert_int_equal(adj_refusal(&r2638, ADJ_SCORE, 600, 10, 500, 8), 0);
	/* oom_score_adj 470 and a stored oom_adj 7 (a write of 470 through oom_score_adj before 3.7): oom_adj 7
	   (stored as 411) is no lowering where oom_adj is kept apart, and is one where it is a view */
	assert_int_equal(adj_refusal(&kept, ADJ_LEGACY, 411, 7, 470, 7), 0);
	assert_int_equal(adj_refusal(&view, ADJ_LEGACY, 411, 7, 470, 7), -EACCES);
	assert_int_equal(adj_refusal(&kept, ADJ_LEGACY, 352, 6, 470, 7), -EACCES);
}

/* A fake /proc whose kernel is release, with process 1234 at oom_score_adj score and oom_adj legacy. */
static void fake_kernel(struct fake *f, const char *release, const char *score, const char *legacy)
{
	fake_make(f, true);
	fake_release(f, release);
	put(f, "oom_score_adj", score);
	put(f, "oom_adj", legacy);
}

static void test_writer_per_kernel(void **state)
{
	(void)state;
	struct fake f;
	struct adj_proc *p = NULL;
	struct adj_result res;
	struct adj_request req = { .unit = ADJ_LEGACY, .value = 8, .dry_run = true, .cmd = "test" };
	int score, legacy;
	bool fallback;

	/* 3.6: oom_adj is kept apart, so it is read from its file: 7 after oom_score_adj 470 was written */
	fake_kernel(&f, "3.6.5", "470\n", "7\n");
	assert_int_equal(adj_open_at(f.rootfd, 1234, 0, &p), 0);
	assert_int_equal(adj_read(p, &score, &legacy, &fallback), 0);
	assert_int_equal(score, 470);
	assert_int_equal(legacy, 7);
	/* oom_adj 8 stores the same oom_score_adj (470) but changes oom_adj to 8 */
	assert_int_equal(adj_set(p, &req, &res), 0);
	assert_true(adj_result_changes(&res));
	assert_int_equal(res.new_legacy, 8);
	assert_int_equal(res.new_score, 470);
	adj_close(p);
	fake_remove(&f);

	/* 5.10: the same numbers are no change at all: oom_adj is what 470 reads as, 7 */
	fake_kernel(&f, "5.10.7", "470\n", "7\n");
	assert_int_equal(adj_open_at(f.rootfd, 1234, 0, &p), 0);
	assert_int_equal(adj_set(p, &req, &res), 0);
	assert_false(adj_result_changes(&res));
	assert_int_equal(res.old_legacy, 7);
	adj_close(p);
	fake_remove(&f);

	/* oom_score_adj 950 reads as oom_adj 16 on 5.9, 15 from 5.10 (whatever the file says: it is a view) */
	fake_kernel(&f, "5.9.4", "950\n", "0\n");
	assert_int_equal(adj_open_at(f.rootfd, 1234, 0, &p), 0);
	assert_int_equal(adj_read(p, &score, &legacy, &fallback), 0);
	assert_int_equal(legacy, 16);
	adj_close(p);
	fake_remove(&f);
	fake_kernel(&f, "5.10.7", "950\n", "0\n");
	assert_int_equal(adj_open_at(f.rootfd, 1234, 0, &p), 0);
	assert_int_equal(adj_read(p, &score, &legacy, &fallback), 0);
	assert_int_equal(legacy, 15);
	adj_close(p);
	fake_remove(&f);

	/* oom_score_adj 500 -> 300 without CAP_SYS_RESOURCE: refused on 2.6.37 (no minimum yet), not on 2.6.38 */
	req.unit = ADJ_SCORE;
	req.value = 300;
	fake_kernel(&f, "2.6.37", "500\n", "7\n");
	assert_int_equal(adj_open_at(f.rootfd, 1234, 0, &p), 0);
	assert_int_equal(adj_set(p, &req, &res), res.cap_sys_resource ? 0 : -EACCES);
	if (!res.cap_sys_resource)
		assert_non_null(strstr(fmt(&res), "cannot lower oom_score_adj from 500 to 300: before Linux 2.6.38 any "
						  "lowering needs CAP_SYS_RESOURCE"));
	adj_close(p);
	fake_remove(&f);
	fake_kernel(&f, "2.6.38", "500\n", "7\n");
	assert_int_equal(adj_open_at(f.rootfd, 1234, 0, &p), 0);
	assert_int_equal(adj_set(p, &req, &res), 0);
	assert_int_equal(res.new_score, 300);
	assert_int_equal(res.new_legacy, 4); /* 300 * 15 / 1000: oom_adj is kept apart until 3.6 */
	adj_close(p);
	fake_remove(&f);
}

static void test_open_identity(void **state)
{
	(void)state;
	struct fake f;
	struct adj_proc *p = NULL;

	fake_make(&f, true);
	assert_int_equal(adj_open_at(f.rootfd, 1234, 0, &p), 0);
	assert_int_equal(adj_proc_ident(p)->pid, 1234);
	assert_int_equal(adj_proc_ident(p)->uid, 27);
	assert_int_equal(adj_proc_ident(p)->ruid, 27);
	assert_int_equal(adj_proc_ident(p)->suid, 27);
	assert_int_equal(adj_proc_ident(p)->start_ticks, 777);
	assert_string_equal(adj_proc_ident(p)->comm, "mysqld");
	assert_false(adj_proc_ident(p)->kthread);
	adj_close(p);
	/* a setuid program started by uid 1000: real, effective, saved, fs */
	put(&f, "status", "Name:\tsu\nState:\tS (sleeping)\nPPid:\t1\nUid:\t1000\t0\t0\t0\n");
	assert_int_equal(adj_open_at(f.rootfd, 1234, 0, &p), 0);
	assert_int_equal(adj_proc_ident(p)->ruid, 1000);
	assert_int_equal(adj_proc_ident(p)->uid, 0);
	assert_int_equal(adj_proc_ident(p)->suid, 0);
	adj_close(p);
	put(&f, "status", "Name:\tmysqld\nState:\tS (sleeping)\nPPid:\t1\nUid:\t27\t27\t27\t27\n");
	/* the identity is the pid and its start time */
	assert_int_equal(adj_open_at(f.rootfd, 1234, 777, &p), 0);
	adj_close(p);
	assert_int_equal(adj_open_at(f.rootfd, 1234, 778, &p), -ESRCH);
	assert_int_equal(adj_open_at(f.rootfd, 4321, 0, &p), -ENOENT);
	assert_int_equal(adj_open_at(f.rootfd, 0, 0, &p), -ENOENT);
	assert_int_equal(adj_open_at(f.rootfd, -1, 0, &p), -ENOENT);
	/* a kernel thread (PF_KTHREAD in stat) is never written */
	put(&f, "stat", "1234 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 3 0 0\n");
	assert_int_equal(adj_open_at(f.rootfd, 1234, 0, &p), 0);
	assert_true(adj_proc_ident(p)->kthread);
	struct adj_request req = { .unit = ADJ_SCORE, .value = 100, .cmd = "test" };
	struct adj_result res;
	assert_int_equal(adj_set(p, &req, &res), -EOPNOTSUPP);
	assert_string_equal(get(&f, "oom_score_adj"), "0\n");
	adj_close(p);
	fake_remove(&f);
}

static void test_fallback_to_oom_adj(void **state)
{
	(void)state;
	struct fake f;
	struct adj_proc *p = NULL;
	struct adj_result res;
	struct adj_request req = { .unit = ADJ_SCORE, .value = -500, .cmd = "test" };
	int score, legacy;
	bool fallback;

	/* before 2.6.36 there is only oom_adj: the value is converted and written there */
	fake_make(&f, false);
	assert_int_equal(adj_open_at(f.rootfd, 1234, 0, &p), 0);
	assert_int_equal(adj_read(p, &score, &legacy, &fallback), 0);
	assert_true(fallback);
	assert_int_equal(legacy, 0);
	assert_int_equal(adj_set(p, &req, &res), 0);
	assert_true(res.fallback);
	assert_true(res.converted);
	assert_true(res.changed);
	assert_int_equal(res.unit, ADJ_LEGACY);
	assert_int_equal(res.target_legacy, -8); /* -500 * 17 / 1000, truncated */
	assert_string_equal(get(&f, "oom_adj"), "-8\n");
	assert_int_equal(res.new_legacy, -8);
	assert_string_equal(fmt(&res), "1234 (mysqld): oom_adj 0 -> -8 (this kernel has no oom_score_adj, it is "
				       "older than 2.6.36: used the legacy oom_adj; oom_score_adj -500 is oom_adj -8)");
	/* the same again: unchanged, no write */
	put(&f, "oom_adj", "-8\n");
	assert_int_equal(adj_set(p, &req, &res), 0);
	assert_false(res.changed);
	assert_false(adj_result_changes(&res));
	/* --legacy on such a kernel writes the value as it is */
	req.unit = ADJ_LEGACY;
	req.value = -17;
	assert_int_equal(adj_set(p, &req, &res), 0);
	assert_string_equal(get(&f, "oom_adj"), "-17\n");
	assert_false(res.converted);
	/* a dry run writes nothing */
	req.value = -16;
	req.dry_run = true;
	assert_int_equal(adj_set(p, &req, &res), 0);
	assert_true(adj_result_changes(&res));
	assert_false(res.changed);
	assert_string_equal(get(&f, "oom_adj"), "-17\n");
	adj_close(p);
	fake_remove(&f);
}

static void test_write_and_exit(void **state)
{
	(void)state;
	struct fake f;
	struct adj_proc *p = NULL;
	struct adj_result res;
	struct adj_request req = { .unit = ADJ_SCORE, .value = 300, .cmd = "test" };
	char path[160];

	fake_make(&f, true);
	assert_int_equal(adj_open_at(f.rootfd, 1234, 0, &p), 0);
	assert_int_equal(adj_set(p, &req, &res), 0);
	assert_true(res.changed);
	assert_int_equal(res.old_score, 0);
	assert_int_equal(res.new_score, 300);
	assert_string_equal(get(&f, "oom_score_adj"), "300\n");
	/* out of range is refused before any write */
	req.value = 1001;
	assert_int_equal(adj_set(p, &req, &res), -ERANGE);
	assert_string_equal(get(&f, "oom_score_adj"), "300\n");
	/* the process goes away: its files and directory vanish, the handle stays */
	snprintf(path, sizeof(path), "rm -rf '%s/1234'", f.root);
	assert_int_equal(system(path), 0);
	req.value = 400;
	assert_int_equal(adj_set(p, &req, &res), -ESRCH);
	assert_false(res.changed);
	/* a new directory of the same name is not the pinned one */
	snprintf(path, sizeof(path), "%s/1234", f.root);
	assert_int_equal(mkdir(path, 0755), 0);
	put(&f, "stat", "1234 (other) S 1 1234 1234 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 999 0 0\n");
	put(&f, "status", "Name:\tother\nUid:\t0\t0\t0\t0\n");
	put(&f, "oom_score_adj", "0\n");
	assert_int_equal(adj_set(p, &req, &res), -ESRCH);
	assert_string_equal(get(&f, "oom_score_adj"), "0\n");
	adj_close(p);
	fake_remove(&f);
}

/* Plays a process that exits right after the write: oom_score_adj is a FIFO served by a child. */
static void test_exit_after_write(void **state)
{
	(void)state;
	struct fake f;
	struct adj_proc *p = NULL;
	struct adj_result res;
	struct adj_request req = { .unit = ADJ_SCORE, .value = 300, .cmd = "test" };
	char path[160], buf[64];
	int status;
	pid_t child;

	fake_make(&f, true);
	snprintf(path, sizeof(path), "%s/1234/oom_score_adj", f.root);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0644), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		/* the first read sees 0, the write is taken, the read-back finds the process gone (EOF) */
		int fd = open(path, O_WRONLY);
		ssize_t n = write(fd, "0\n", 2), got = 0, r;
		close(fd);
		fd = open(path, O_RDONLY);
		while ((r = read(fd, buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
			got += r;
		close(fd);
		fd = open(path, O_WRONLY);
		close(fd);
		_exit(n == 2 && got == 4 && memcmp(buf, "300\n", 4) == 0 ? 0 : 1);
	}
	assert_int_equal(adj_open_at(f.rootfd, 1234, 0, &p), 0);
	assert_int_equal(adj_set(p, &req, &res), 0);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(res.changed);
	assert_true(res.exited_after_write);
	assert_int_equal(res.err, 0);
	assert_int_equal(res.new_score, 300);
	assert_true(adj_result_changes(&res));
	assert_string_equal(fmt(&res), "1234 (mysqld): oom_score_adj 0 -> 300 (it exited right after the write)");
	adj_close(p);
	fake_remove(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_format_success),
		cmocka_unit_test(test_format_sharers),
		cmocka_unit_test(test_format_errors),
		cmocka_unit_test(test_format_hostile_comm),
		cmocka_unit_test(test_log_text),
		cmocka_unit_test(test_open_identity),
		cmocka_unit_test(test_fallback_to_oom_adj),
		cmocka_unit_test(test_write_and_exit),
		cmocka_unit_test(test_exit_after_write),
		cmocka_unit_test(test_rules_per_kernel),
		cmocka_unit_test(test_legacy_read_per_kernel),
		cmocka_unit_test(test_refusal_per_kernel),
		cmocka_unit_test(test_writer_per_kernel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
