/* Unit tests of systemd unit files (src/units.c, src/unitsfs.c): the parser, names, the fixture tree's units, the drop-in writer. */
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
#include <unistd.h>

#include "strbuf.h"
#include "sysroot.h"
#include "units.h"

/* Parses text for OOMScoreAdjust= in [Service]. */
static struct units_assign parse(const char *text)
{
	struct units_assign a;

	assert_int_equal(units_parse(text, strlen(text), "Service", "OOMScoreAdjust", &a), 0);
	return a;
}

static void test_parse(void **state)
{
	(void)state;
	struct units_assign a;

	a = parse("[Service]\nOOMScoreAdjust=-500\n");
	assert_true(a.seen && a.set);
	assert_int_equal(a.value, -500);
	assert_int_equal(a.line, 2);
	/* blanks around the key and the value, CRLF, no newline at the end */
	a = parse("[Service]\r\n\t OOMScoreAdjust  =  42 \r\n");
	assert_true(a.set);
	assert_int_equal(a.value, 42);
	/* another section's, a comment's, a longer key's: not it */
	a = parse("[Unit]\nOOMScoreAdjust=1\n[Service]\n# OOMScoreAdjust=2\n; OOMScoreAdjust=3\nOOMScoreAdjustX=4\n"
		  "[Install]\nOOMScoreAdjust=5");
	assert_false(a.seen);
	/* section names are exact: "[service]" and "[Service" are not [Service] */
	a = parse("[service]\nOOMScoreAdjust=1\n[Service\nOOMScoreAdjust=2\n");
	assert_false(a.seen);
	/* the last wins; an empty one resets; a bad one is ignored (systemd logs it) */
	a = parse("[Service]\nOOMScoreAdjust=1\nOOMScoreAdjust=2\n");
	assert_int_equal(a.value, 2);
	assert_int_equal(a.line, 3);
	a = parse("[Service]\nOOMScoreAdjust=1\nOOMScoreAdjust=\n");
	assert_true(a.seen);
	assert_false(a.set);
	assert_int_equal(a.line, 3);
	a = parse("[Service]\nOOMScoreAdjust=7\nOOMScoreAdjust=-1001\nOOMScoreAdjust=1001\nOOMScoreAdjust=ten\n"
		  "OOMScoreAdjust=5 6\nOOMScoreAdjust=99999999999999999999\n");
	assert_true(a.set);
	assert_int_equal(a.value, 7);
	assert_int_equal(a.bad, 5);
	a = parse("[Service]\nOOMScoreAdjust=abc\n"); /* only a bad one: as if there were none, not a reset */
	assert_false(a.seen);
	assert_int_equal(a.bad, 1);
	/* a continued line: the backslash becomes a blank, comments between the parts are skipped */
	a = parse("[Service]\nOOMScoreAdjust=\\\n# a comment\n-300\n");
	assert_true(a.set);
	assert_int_equal(a.value, -300);
	assert_int_equal(a.line, 2);
	/* an escaped backslash does not continue; a continued section header */
	a = parse("[Service]\nExecStart=/bin/x \\\\\nOOMScoreAdjust=3\n");
	assert_int_equal(a.value, 3);
	a = parse("[Serv\\\nice]\nOOMScoreAdjust=4\n");
	assert_false(a.seen); /* "[Serv ice]" */
	/* a continuation at the end of the file still counts */
	a = parse("[Service]\nOOMScoreAdjust=8\\");
	assert_true(a.set); /* "8 ", trimmed */
	assert_int_equal(a.value, 8);
	/* a NUL byte: systemd refuses the file */
	assert_int_equal(units_parse("[Service]\0OOMScoreAdjust=1", 26, "Service", "OOMScoreAdjust", &a), -EINVAL);
}

static void test_names(void **state)
{
	(void)state;
	char buf[300], path[512];

	assert_true(units_name_valid("ssh.service"));
	assert_true(units_name_valid("getty@tty1.service"));
	assert_true(units_name_valid("oomtop-t1-a\\x2db.service"));
	assert_true(units_name_valid("session-3.scope"));
	assert_false(units_name_valid(""));
	assert_false(units_name_valid(".service"));
	assert_false(units_name_valid("ssh"));
	assert_false(units_name_valid("ssh.conf"));
	assert_false(units_name_valid("../../etc/passwd.service"));
	assert_false(units_name_valid("a/b.service"));
	assert_false(units_name_valid("a b.service"));
	assert_false(units_name_valid("a\nb.service"));
	assert_false(units_name_valid("@x.service"));
	memset(buf, 'a', 256);
	strcpy(buf + 248, ".service");
	assert_false(units_name_valid(buf)); /* 256 characters: UNIT_NAME_MAX is 256 with the NUL */
	strcpy(buf + 247, ".service");
	assert_true(units_name_valid(buf));

	assert_int_equal(units_template("getty@tty1.service", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "getty@.service");
	assert_int_equal(units_template("getty@.service", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(units_template("ssh.service", buf, sizeof(buf)), -EINVAL);

	assert_int_equal(units_dropin_path("ssh.service", path, sizeof(path)), 0);
	assert_string_equal(path, "/etc/systemd/system/ssh.service.d/50-oomtop.conf");
	assert_int_equal(units_dropin_path("../x.service", path, sizeof(path)), -EINVAL);
}

/* What the fixture tree's unit declares. */
static struct units_decl declared(const char *unit)
{
	struct units_decl d;

	assert_int_equal(units_declared(unit, &d), 0);
	return d;
}

static void test_fixture(void **state)
{
	(void)state;
	struct units_decl d;

	unsetenv(UNITS_ROOT_ENV);
	assert_int_equal(sysroot_set("tests/corpus/root/units"), 0);
	/* the unit file, then its drop-ins by name: /etc's 10-a.conf masks /run's, 20-b.conf comes last */
	d = declared("db.service");
	assert_true(d.found && d.have_adj);
	assert_string_equal(d.unit_file, "/usr/lib/systemd/system/db.service");
	assert_int_equal(d.adj, -900);
	assert_string_equal(d.adj_file, "/usr/lib/systemd/system/db.service.d/20-b.conf");
	assert_int_equal(d.adj_line, 4);
	assert_int_equal(d.ndropins, 2); /* README is not a .conf */
	/* a continued ExecStart=, a comment between its lines, other sections; then a drop-in resets it */
	d = declared("web.service");
	assert_true(d.found);
	assert_false(d.have_adj);
	assert_string_equal(d.adj_file, "/etc/systemd/system/web.service.d/override.conf");
	assert_int_equal(d.adj_line, 2);
	/* an instance: its template's unit file and drop-ins, then its own */
	d = declared("getty@tty1.service");
	assert_string_equal(d.unit_file, "/usr/lib/systemd/system/getty@.service");
	assert_true(d.have_adj);
	assert_int_equal(d.adj, -100);
	assert_string_equal(d.adj_file, "/etc/systemd/system/getty@tty1.service.d/60-y.conf");
	d = declared("getty@tty2.service");
	assert_int_equal(d.adj, 250); /* -2000, 0x10 and abc are ignored, as systemd does */
	assert_int_equal(d.adj_line, 4);
	/* a dash prefix's drop-in */
	d = declared("a-b-c.service");
	assert_true(d.have_adj);
	assert_int_equal(d.adj, 700);
	assert_string_equal(d.adj_file, "/usr/lib/systemd/system/a-.service.d/50-prefix.conf");
	/* masked: /etc's link to /dev/null hides /usr/lib's file */
	d = declared("masked.service");
	assert_true(d.found && d.masked);
	assert_false(d.have_adj);
	/* an alias: an absolute link is followed below the root, not on the machine */
	d = declared("alias.service");
	assert_true(d.have_adj);
	assert_int_equal(d.adj, 42);
	/* a scope has no [Service]: nothing is declared whatever its file says */
	d = declared("run-r1.scope");
	assert_true(d.found);
	assert_false(d.have_adj);
	/* nothing on disk */
	d = declared("nosuch.service");
	assert_false(d.found || d.have_adj);
	assert_int_equal(units_declared("../etc.service/x", &d), -EINVAL);
	assert_int_equal(sysroot_set(NULL), 0);
}

/* Makes a temporary root with etc/systemd/system; returns its path (static). */
static const char *temp_root(void)
{
	static char dir[64];
	char path[128];

	snprintf(dir, sizeof(dir), "/tmp/oomtop-units-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/etc", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/etc/systemd", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/etc/systemd/system", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	return dir;
}

/* Removes the temporary root (only what the test made). */
static void remove_root(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_write(void **state)
{
	(void)state;
	const char *dir = temp_root();
	struct strbuf err = STRBUF_INIT, want = STRBUF_INIT;
	enum units_write what;
	struct units_decl d;
	char path[256], buf[512], link[256];
	struct stat st;
	ssize_t n;
	int fd;

	setenv(UNITS_ROOT_ENV, dir, 1);
	/* a dry run creates nothing */
	assert_int_equal(units_write_dropin("web.service", 300, true, &what, &err), 0);
	assert_int_equal(what, UNITS_WOULD_WRITE);
	snprintf(path, sizeof(path), "%s/etc/systemd/system/web.service.d", dir);
	assert_int_equal(stat(path, &st), -1);
	/* written, 0644, the text; and read back as systemd would */
	umask(077);
	assert_int_equal(units_write_dropin("web.service", 300, false, &what, &err), 0);
	assert_int_equal(what, UNITS_WRITTEN);
	snprintf(path, sizeof(path), "%s/etc/systemd/system/web.service.d/50-oomtop.conf", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	units_dropin_text(&want, 300);
	assert_string_equal(buf, sb_str(&want));
	d = declared("web.service");
	assert_true(d.have_adj);
	assert_int_equal(d.adj, 300);
	assert_string_equal(d.adj_file, "/etc/systemd/system/web.service.d/50-oomtop.conf");
	/* the same again: unchanged; another value: replaced */
	assert_int_equal(units_write_dropin("web.service", 300, false, &what, &err), 0);
	assert_int_equal(what, UNITS_UNCHANGED);
	assert_int_equal(units_write_dropin("web.service", 500, false, &what, &err), 0);
	assert_int_equal(what, UNITS_WRITTEN);
	assert_int_equal(declared("web.service").adj, 500);
	/* no temporary file is left */
	snprintf(path, sizeof(path), "%s/etc/systemd/system/web.service.d/.50-oomtop.conf.%d", dir, (int)getpid());
	assert_int_equal(access(path, F_OK), -1);
	/* a symlinked UNIT.d is refused, and nothing is written through it */
	snprintf(path, sizeof(path), "%s/elsewhere", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(link, sizeof(link), "%s/etc/systemd/system/evil.service.d", dir);
	assert_int_equal(symlink(path, link), 0);
	sb_reset(&err);
	assert_int_equal(units_write_dropin("evil.service", 1, false, &what, &err), -ELOOP);
	assert_string_equal(sb_str(&err), "/etc/systemd/system/evil.service.d: a symbolic link, not a directory: refused");
	snprintf(path, sizeof(path), "%s/elsewhere/50-oomtop.conf", dir);
	assert_int_equal(access(path, F_OK), -1);
	/* a directory others may write into is refused */
	snprintf(path, sizeof(path), "%s/etc/systemd/system/open.service.d", dir);
	assert_int_equal(mkdir(path, 0777), 0);
	assert_int_equal(chmod(path, 0777), 0);
	sb_reset(&err);
	assert_int_equal(units_write_dropin("open.service", 1, false, &what, &err), -EPERM);
	/* so is a directory others may write into on the way to it */
	snprintf(path, sizeof(path), "%s/etc/systemd", dir);
	assert_int_equal(chmod(path, 0775), 0);
	sb_reset(&err);
	assert_int_equal(units_write_dropin("web.service", 1, false, &what, &err), -EPERM);
	assert_string_equal(sb_str(&err), "/etc/systemd: writable by others, or owned by another user: refused");
	assert_int_equal(chmod(path, 0755), 0);
	/* a bad unit name never becomes a path */
	sb_reset(&err);
	assert_int_equal(units_write_dropin("../../x.service", 1, false, &what, &err), -EINVAL);
	/* no /etc/systemd/system: not a systemd machine */
	remove_root(dir);
	dir = temp_root();
	snprintf(path, sizeof(path), "%s/etc/systemd/system", dir);
	assert_int_equal(rmdir(path), 0);
	setenv(UNITS_ROOT_ENV, dir, 1);
	sb_reset(&err);
	assert_int_equal(units_write_dropin("web.service", 1, false, &what, &err), -ENOENT);
	assert_string_equal(sb_str(&err),
			    "/etc/systemd/system: no such directory (is systemd the service manager here?)");
	remove_root(dir);
	unsetenv(UNITS_ROOT_ENV);
	umask(022);
	sb_free(&err);
	sb_free(&want);
}

static void test_audit(void **state)
{
	(void)state;
	struct units_decl d;
	struct units_audit a;
	const struct units_member m[] = {
		{ .pid = 30, .adj = -500, .comm = "worker" },
		{ .pid = 10, .adj = -500, .comm = "main" },
		{ .pid = 20, .adj = 0, .comm = "a) Z (b" },
		{ .pid = 15, .adj = 200, .comm = "helper" },
	};

	memset(&d, 0, sizeof(d));
	d.have_adj = true;
	d.adj = -500;
	assert_true(units_audit(&d, m, 2, &a));
	assert_int_equal(a.state, UNITS_HELD);
	assert_int_equal(a.nprocs, 2);
	assert_int_equal(a.nother, 0);
	/* not held: the first by pid that differs */
	assert_true(units_audit(&d, m, 4, &a));
	assert_int_equal(a.state, UNITS_NOT_HELD);
	assert_int_equal(a.nother, 2);
	assert_int_equal(a.other_pid, 15);
	assert_string_equal(a.other_comm, "helper");
	assert_int_equal(a.other_adj, 200);
	/* nothing declared: only a value other than 0 is worth saying */
	d.have_adj = false;
	assert_false(units_audit(&d, &m[2], 1, &a));
	assert_true(units_audit(&d, m, 4, &a));
	assert_int_equal(a.state, UNITS_NOT_DECLARED);
	assert_int_equal(a.nother, 3);
	assert_int_equal(a.other_pid, 10);
	assert_string_equal(units_state_name(UNITS_NOT_HELD), "not_held");
}

static void test_owner(void **state)
{
	(void)state;
	struct workload svc, pod, ctr;
	struct units_decl d;
	struct units_owner o;

	workload_parse("/system.slice/db.service", &svc);
	workload_parse("/kubepods/burstable/pod0a1b2c3d-1111-2222-3333-444455556666/"
		       "aaaabbbbccccddddeeeeffff00001111aaaabbbbccccddddeeeeffff00001111",
		       &pod);
	workload_parse("/docker/aaaabbbbccccddddeeeeffff00001111aaaabbbbccccddddeeeeffff00001111", &ctr);
	memset(&d, 0, sizeof(d));
	d.have_adj = true;
	d.adj = -900;
	units_owner(&svc, &d, -900, &o);
	assert_int_equal(o.by, UNITS_OWNER_UNIT);
	assert_true(o.have_range && o.held);
	assert_int_equal(o.min, -900);
	units_owner(&svc, &d, 0, &o);
	assert_false(o.held);
	d.masked = true; /* a masked unit sets nothing */
	units_owner(&svc, &d, -900, &o);
	assert_false(o.have_range);
	d.masked = false;
	d.have_adj = false;
	units_owner(&svc, &d, 0, &o);
	assert_int_equal(o.by, UNITS_OWNER_UNIT);
	assert_false(o.have_range || o.held);
	units_owner(&svc, NULL, 0, &o); /* the unit files were not read */
	assert_int_equal(o.by, UNITS_OWNER_NONE);
	/* a pod: the kubelet's QoS policy */
	units_owner(&pod, NULL, 500, &o);
	assert_int_equal(o.by, UNITS_OWNER_KUBELET);
	assert_int_equal(o.min, 3);
	assert_int_equal(o.max, 999);
	assert_true(o.held);
	units_owner(&pod, NULL, 1000, &o);
	assert_false(o.held);
	pod.qos = WORKLOAD_QOS_GUARANTEED;
	units_owner(&pod, NULL, -997, &o);
	assert_true(o.held && o.min == -997 && o.max == -997);
	pod.qos = WORKLOAD_QOS_BESTEFFORT;
	units_owner(&pod, NULL, 1000, &o);
	assert_true(o.held && o.min == 1000);
	units_owner(&ctr, NULL, 0, &o);
	assert_int_equal(o.by, UNITS_OWNER_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_owner),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
