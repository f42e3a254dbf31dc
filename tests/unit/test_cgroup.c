/* Unit tests of the cgroup parsers and arithmetic (src/cgroup.c) and the domain order (src/domain.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "domain.h"
#include "sysmem.h"

#define PAGE 4096UL
#define UNLIMITED CGROUP_UNLIMITED(PAGE)

/* This test machine's mountinfo: v1 memory beside a v2 mount without it (hybrid). */
static const char hybrid[] =
	"21 26 0:20 / /proc rw,relatime - proc proc rw\n"
	"30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
	"34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
	"39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
	"40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

static void test_mountinfo_hybrid(void **state)
{
	(void)state;
	struct cgroup_mounts m;
	assert_int_equal(cgroup_parse_mountinfo(hybrid, strlen(hybrid), &m), 0);
	assert_int_equal(m.v1_memory.version, 1);
	assert_string_equal(m.v1_memory.dir, "/sys/fs/cgroup/memory");
	assert_string_equal(m.v1_memory.root, "/");
	assert_int_equal(m.v2.version, 2);
	assert_string_equal(m.v2.dir, "/sys/fs/cgroup/unified");
}

static void test_mountinfo_v2_and_v1_only(void **state)
{
	(void)state;
	struct cgroup_mounts m;
	/* optional fields before the separator, v2 only */
	const char v2[] = "28 22 0:25 / /sys/fs/cgroup rw,nosuid,nodev,noexec shared:4 master:1 - cgroup2 cgroup2 "
			  "rw,nsdelegate,memory_recursiveprot\n";
	assert_int_equal(cgroup_parse_mountinfo(v2, strlen(v2), &m), 0);
	assert_int_equal(m.v1_memory.version, 0);
	assert_int_equal(m.v2.version, 2);
	assert_string_equal(m.v2.dir, "/sys/fs/cgroup");
	/* v1 only, memory co-mounted with another controller, no trailing newline */
	const char v1[] = "34 30 0:31 / /cg/mem rw - cgroup cgroup rw,cpuset,memory,hugetlb";
	assert_int_equal(cgroup_parse_mountinfo(v1, strlen(v1), &m), 0);
	assert_int_equal(m.v1_memory.version, 1);
	assert_string_equal(m.v1_memory.dir, "/cg/mem");
	assert_int_equal(m.v2.version, 0);
	/* "memoryx" and "memory.foo" are not memory */
	const char near[] = "34 30 0:31 / /cg rw - cgroup cgroup rw,memoryx,name=memory.foo\n";
	assert_int_equal(cgroup_parse_mountinfo(near, strlen(near), &m), -ENOENT);
}

static void test_mountinfo_escapes_and_roots(void **state)
{
	(void)state;
	struct cgroup_mounts m;
	/* a space (\040) and a newline (\012) in the mount point; a container's root */
	const char s[] = "40 30 0:37 /docker/abc /my\\040cg\\012x rw - cgroup2 cgroup2 rw\n";
	assert_int_equal(cgroup_parse_mountinfo(s, strlen(s), &m), 0);
	assert_string_equal(m.v2.dir, "/my cg\nx");
	assert_string_equal(m.v2.root, "/docker/abc");
	/* a backslash that starts no escape stays */
	const char t[] = "40 30 0:37 / /a\\9b rw - cgroup2 cgroup2 rw\n";
	assert_int_equal(cgroup_parse_mountinfo(t, strlen(t), &m), 0);
	assert_string_equal(m.v2.dir, "/a\\9b");
	/* the first of two mounts wins */
	const char two[] = "40 30 0:37 / /first rw - cgroup2 cgroup2 rw\n41 30 0:37 / /second rw - cgroup2 cgroup2 rw\n";
	assert_int_equal(cgroup_parse_mountinfo(two, strlen(two), &m), 0);
	assert_string_equal(m.v2.dir, "/first");
}

static void test_mountinfo_hostile(void **state)
{
	(void)state;
	struct cgroup_mounts m;
	assert_int_equal(cgroup_parse_mountinfo("", 0, &m), -ENOENT);
	const char *bad[] = {
		"garbage\n",
		"40 30 0:37 / /x rw cgroup2 cgroup2 rw\n",           /* no separator */
		"40 30 0:37 / /x rw -\n",                            /* nothing after it */
		"40 30 0:37 / /x rw - cgroup2\n",                    /* too few after it */
		"40 30 0:37 rel /x rw - cgroup2 cgroup2 rw\n",       /* a relative root */
		"40 30 0:37 / rel rw - cgroup2 cgroup2 rw\n",        /* a relative mount point */
		"- - - - - - - cgroup2 cgroup2 rw\n",               /* a dash in every field */
		"\n\n\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(cgroup_parse_mountinfo(bad[i], strlen(bad[i]), &m), -ENOENT);
	/* a mount point longer than a path may be is skipped, a good line after it is found */
	size_t n = CGROUP_PATH_MAX + 200;
	char *big = malloc(n + 200);
	strcpy(big, "40 30 0:37 / /");
	memset(big + strlen(big), 'a', n);
	strcpy(big + 14 + n, " rw - cgroup2 cgroup2 rw\n34 30 0:31 / /m rw - cgroup cgroup rw,memory\n");
	assert_int_equal(cgroup_parse_mountinfo(big, strlen(big), &m), 0);
	assert_int_equal(m.v2.version, 0);
	assert_string_equal(m.v1_memory.dir, "/m");
	free(big);
	/* a line of many fields */
	char many[2048] = "40 30 0:37 / /x rw";
	for (int i = 0; i < 100; i++)
		strcat(many, " opt:1");
	strcat(many, " - cgroup2 cgroup2 rw\n");
	assert_int_equal(cgroup_parse_mountinfo(many, strlen(many), &m), -ENOENT);
}

static void test_proc_cgroup(void **state)
{
	(void)state;
	char p[64];
	const char hy[] = "9:name=systemd:/\n4:memory:/process_api/f32c\n3:cpuset:/\n0::/\n";
	assert_int_equal(cgroup_parse_proc(hy, strlen(hy), 1, p, sizeof(p)), 0);
	assert_string_equal(p, "/process_api/f32c");
	assert_int_equal(cgroup_parse_proc(hy, strlen(hy), 2, p, sizeof(p)), 0);
	assert_string_equal(p, "/");
	const char co[] = "3:cpu,cpuacct,memory:/a:b:c";
	assert_int_equal(cgroup_parse_proc(co, strlen(co), 1, p, sizeof(p)), 0);
	assert_string_equal(p, "/a:b:c");
	const char v2[] = "0::/user.slice/user-0.slice/session-1.scope\n";
	assert_int_equal(cgroup_parse_proc(v2, strlen(v2), 2, p, sizeof(p)), 0);
	assert_string_equal(p, "/user.slice/user-0.slice/session-1.scope");
	assert_int_equal(cgroup_parse_proc(v2, strlen(v2), 1, p, sizeof(p)), -ENOENT);
	/* "10::" is not the v2 line; a v1 "memoryx" is not memory */
	const char near[] = "10::/x\n5:memoryx:/y\n";
	assert_int_equal(cgroup_parse_proc(near, strlen(near), 2, p, sizeof(p)), -ENOENT);
	assert_int_equal(cgroup_parse_proc(near, strlen(near), 1, p, sizeof(p)), -ENOENT);
	assert_int_equal(cgroup_parse_proc("0::rel\n", 7, 2, p, sizeof(p)), -EINVAL);
	assert_int_equal(cgroup_parse_proc("0::\n", 4, 2, p, sizeof(p)), -EINVAL);
	assert_int_equal(cgroup_parse_proc("", 0, 2, p, sizeof(p)), -ENOENT);
	assert_int_equal(cgroup_parse_proc(":::::\n", 6, 2, p, sizeof(p)), -ENOENT);
	char longp[200] = "0::/";
	memset(longp + 4, 'x', 150);
	longp[154] = '\0';
	assert_int_equal(cgroup_parse_proc(longp, strlen(longp), 2, p, sizeof(p)), -ENAMETOOLONG);
}

static void test_limits(void **state)
{
	(void)state;
	unsigned long pages;
	assert_int_equal(cgroup_parse_limit("max\n", 4, PAGE, &pages), 0);
	assert_int_equal(pages, UNLIMITED);
	assert_int_equal(cgroup_parse_limit("9223372036854771712\n", 20, PAGE, &pages), 0);
	assert_int_equal(pages, UNLIMITED);
	assert_int_equal(cgroup_parse_limit("268435456\n", 10, PAGE, &pages), 0);
	assert_int_equal(pages, 65536);
	assert_int_equal(cgroup_parse_limit("4095\n", 5, PAGE, &pages), 0);
	assert_int_equal(pages, 0);
	assert_int_equal(cgroup_parse_limit("18446744073709551615\n", 21, PAGE, &pages), 0);
	assert_int_equal(pages, UNLIMITED);
	const char *bad[] = { "", "\n", "maxx\n", "-1\n", "12 kB\n", "99999999999999999999999\n", "0x10\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(cgroup_parse_limit(bad[i], strlen(bad[i]), PAGE, &pages), -EINVAL);
}

static void test_keyed(void **state)
{
	(void)state;
	unsigned long long v;
	const char ev[] = "low 0\nhigh 0\nmax 12\noom 3\noom_kill 2\noom_group_kill 0\n";
	assert_int_equal(cgroup_parse_keyed(ev, strlen(ev), "oom_kill", &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(cgroup_parse_keyed(ev, strlen(ev), "oom", &v), 0);
	assert_int_equal(v, 3);
	const char v1[] = "oom_kill_disable 1\nunder_oom 0\noom_kill 7";
	assert_int_equal(cgroup_parse_keyed(v1, strlen(v1), "oom_kill", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(cgroup_parse_keyed(v1, strlen(v1), "oom_kill_disable", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(cgroup_parse_keyed(v1, strlen(v1), "nope", &v), -ENOENT);
	assert_int_equal(cgroup_parse_keyed("oom_kill x\n", 11, "oom_kill", &v), -EINVAL);
	assert_int_equal(cgroup_parse_keyed("", 0, "oom_kill", &v), -ENOENT);
}

static void test_clean_path(void **state)
{
	(void)state;
	char p[32];
	assert_int_equal(cgroup_clean_path("//a///b/", p, sizeof(p)), 0);
	assert_string_equal(p, "/a/b");
	assert_int_equal(cgroup_clean_path("/", p, sizeof(p)), 0);
	assert_string_equal(p, "/");
	assert_int_equal(cgroup_clean_path("a/./b/.", p, sizeof(p)), 0);
	assert_string_equal(p, "/a/b");
	assert_int_equal(cgroup_clean_path("/a/../../etc", p, sizeof(p)), -EINVAL);
	assert_int_equal(cgroup_clean_path("/..", p, sizeof(p)), -EINVAL);
	assert_int_equal(cgroup_clean_path("", p, sizeof(p)), -EINVAL);
	assert_int_equal(cgroup_clean_path("/a..b/.c", p, sizeof(p)), 0);
	assert_string_equal(p, "/a..b/.c");
	assert_int_equal(cgroup_clean_path("/aaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbb", p, sizeof(p)), -ENAMETOOLONG);
	assert_int_equal(cgroup_clean_path("/aaaaaaaaaaaaaaaaaaaaaaaaaaaaa", p, sizeof(p)), 0);
	assert_int_equal(strlen(p), 30);
}

static void test_within_and_mount(void **state)
{
	(void)state;
	const char *rel;
	struct cgroup_mount root = { .version = 2, .root = "/", .dir = "/sys/fs/cgroup" };
	struct cgroup_mount docker = { .version = 1, .root = "/docker/abc", .dir = "/sys/fs/cgroup/memory" };
	assert_true(cgroup_path_within("/a/b", "/a"));
	assert_true(cgroup_path_within("/a", "/a"));
	assert_false(cgroup_path_within("/ab", "/a"));
	assert_true(cgroup_path_within("/anything", "/"));
	assert_int_equal(cgroup_rel_to_mount(&root, "/a/b", &rel), 0);
	assert_string_equal(rel, "a/b");
	assert_int_equal(cgroup_rel_to_mount(&root, "/", &rel), 0);
	assert_string_equal(rel, "");
	assert_int_equal(cgroup_rel_to_mount(&docker, "/docker/abc/x", &rel), 0);
	assert_string_equal(rel, "x");
	assert_int_equal(cgroup_rel_to_mount(&docker, "/docker/abc", &rel), 0);
	assert_string_equal(rel, "");
	assert_int_equal(cgroup_rel_to_mount(&docker, "/docker/abcd", &rel), -EXDEV);
	assert_int_equal(cgroup_rel_to_mount(&docker, "/", &rel), -EXDEV);
}

static void test_totalpages(void **state)
{
	(void)state;
	struct cgroup_limits l = { .limited = true, .max_pages = 65536, .swap_pages = UNLIMITED, .swappiness = 60 };
	/* no swap on the machine: the limit */
	assert_int_equal(cgroup_totalpages(1, &l, PAGE, 0), 65536);
	assert_int_equal(cgroup_totalpages(2, &l, PAGE, 0), 65536);
	/* swap the cgroup may use, at most what the machine has */
	assert_int_equal(cgroup_totalpages(1, &l, PAGE, 1000), 66536);
	assert_int_equal(cgroup_totalpages(2, &l, PAGE, 1000), 66536);
	/* v1 memsw is memory + swap: the room above the memory limit */
	l.swap_pages = 65536 + 100;
	assert_int_equal(cgroup_totalpages(1, &l, PAGE, 1000), 65636);
	/* v2 swap.max is swap alone */
	assert_int_equal(cgroup_totalpages(2, &l, PAGE, 1000), 66536);
	l.swap_pages = 0;
	assert_int_equal(cgroup_totalpages(2, &l, PAGE, 1000), 65536);
	/* swappiness 0: no swap counted */
	l.swap_pages = UNLIMITED;
	l.swappiness = 0;
	assert_int_equal(cgroup_totalpages(1, &l, PAGE, 1000), 65536);
	/* a zero limit is 1 (constrained_alloc's "?: 1") */
	l.max_pages = 0;
	assert_int_equal(cgroup_totalpages(2, &l, PAGE, 0), 1);
	/* a v1 memsw-only limit: the kernel's unsigned arithmetic adds all the swap */
	l.max_pages = UNLIMITED;
	l.swap_pages = 1000;
	l.swappiness = 60;
	assert_int_equal(cgroup_totalpages(1, &l, PAGE, 500), UNLIMITED + 500);
}

static void test_pids(void **state)
{
	(void)state;
	pid_t *p;
	size_t n;
	assert_int_equal(cgroup_parse_pids("1\n22\n333\n", 9, &p, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(p[2], 333);
	free(p);
	assert_int_equal(cgroup_parse_pids("", 0, &p, &n), 0);
	assert_int_equal(n, 0);
	free(p);
	assert_int_equal(cgroup_parse_pids("7", 1, &p, &n), 0);
	assert_int_equal(n, 1);
	free(p);
	assert_int_equal(cgroup_parse_pids("1\nabc\n", 6, &p, &n), -EINVAL);
	assert_int_equal(cgroup_parse_pids("0\n", 2, &p, &n), -EINVAL);
	assert_int_equal(cgroup_parse_pids("-5\n", 3, &p, &n), -EINVAL);
	assert_int_equal(cgroup_parse_pids("99999999999\n", 12, &p, &n), -EINVAL);
	/* many */
	size_t cnt = 5000;
	char *big = malloc(cnt * 8);
	size_t len = 0;
	for (size_t i = 1; i <= cnt; i++)
		len += (size_t)sprintf(big + len, "%zu\n", i);
	assert_int_equal(cgroup_parse_pids(big, len, &p, &n), 0);
	assert_int_equal(n, cnt);
	assert_int_equal(p[cnt - 1], (pid_t)cnt);
	free(p);
	free(big);
}

static void test_domain_order(void **state)
{
	(void)state;
	/* a later css beats any place in an earlier one; inside a css the later place wins */
	assert_true(domain_order_key(1, 0) > domain_order_key(0, 100000));
	assert_true(domain_order_key(2, 5) > domain_order_key(2, 4));
	assert_true(domain_order_key(2, 1) > domain_order_key(2, 0));
	assert_int_equal(domain_order_key(0, 0), 0);
	/* domain_has: bisection over sorted members; the global domain has everyone */
	pid_t pids[] = { 3, 10, 42 };
	unsigned long order[] = { 7, 8, 9 }, o = 0;
	struct domain d = { .pids = pids, .order = order, .n = 3 };
	assert_true(domain_has(&d, 42, &o));
	assert_int_equal(o, 9);
	assert_false(domain_has(&d, 11, &o));
	assert_false(domain_has(&d, 1, &o));
	struct domain g = { .global = true };
	assert_true(domain_has(&g, 12345, &o));
	assert_int_equal(o, 0);
}

/* Makes dir/rel (a cgroup of the fake tree) with a memory.limit_in_bytes of mib MiB, 0 = none. */
static void fake_cgroup(const char *dir, const char *rel, unsigned long mib)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	assert_true(*rel == '\0' || mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s%s/memory.limit_in_bytes", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	if (mib)
		fprintf(f, "%lu\n", mib << 20);
	else
		fprintf(f, "9223372036854771712\n"); /* v1's unlimited: PAGE_COUNTER_MAX pages */
	fclose(f);
}

static void test_list_limited(void **state)
{
	char dir[] = "/tmp/oomtop-cgtest-XXXXXX", cmd[64];
	struct cgroup_hier h;
	struct sysmem mem = { .page_kib = 4, .mem_total_kib = 1 << 20, .totalpages = 1 << 18 };
	struct domain *ds = NULL, d;
	size_t n = 99;
	(void)state;

	/* a v1 memory hierarchy on a plain directory: the files are all the walk reads */
	assert_non_null(mkdtemp(dir));
	memset(&h, 0, sizeof(h));
	h.m.version = 1;
	strcpy(h.m.root, "/");
	strcpy(h.m.dir, dir);
	h.page_size = PAGE;
	h.vm_swappiness = 60;
	fake_cgroup(dir, "", 0);
	assert_int_equal(domain_list_limited(&h, &ds, &n), 0);
	assert_int_equal(n, 0); /* the root has no limit: only the global domain */
	domain_free_all(ds, n);

	/* created in this order; the list is the kernel's pre-order, children by creation */
	fake_cgroup(dir, "/zeta", 64);
	fake_cgroup(dir, "/alpha", 0);
	fake_cgroup(dir, "/zeta/b", 0);
	fake_cgroup(dir, "/zeta/b/c", 32);
	fake_cgroup(dir, "/alpha/x", 16);
	assert_int_equal(domain_list_limited(&h, &ds, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(ds[0].path, "/zeta");
	assert_string_equal(ds[1].path, "/zeta/b/c");
	assert_string_equal(ds[2].path, "/alpha/x");
	assert_int_equal(ds[0].limits.max_pages, 64UL << 8);
	assert_int_equal(ds[0].version, 1);
	assert_int_equal(ds[1].totalpages, 32UL << 8); /* no swap on the fake machine */
	assert_null(ds[0].pids);
	domain_free_all(ds, n);

	/* the domain a cgroup's processes meet first: the innermost limit, else global */
	assert_int_equal(domain_innermost(&h, "/zeta/b", &mem, &d), 0);
	assert_false(d.global);
	assert_string_equal(d.path, "/zeta");
	domain_free(&d);
	assert_int_equal(domain_innermost(&h, "/zeta/b/c", &mem, &d), 0);
	assert_string_equal(d.path, "/zeta/b/c");
	domain_free(&d);
	assert_int_equal(domain_innermost(&h, "/alpha", &mem, &d), 0);
	assert_true(d.global);
	assert_int_equal(d.totalpages, 1UL << 18);

	/* a tree that vanished has no limits left to list */
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(domain_list_limited(&h, &ds, &n), 0);
	assert_int_equal(n, 0);
	domain_free_all(ds, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mountinfo_hybrid),
		cmocka_unit_test(test_mountinfo_v2_and_v1_only),
		cmocka_unit_test(test_mountinfo_escapes_and_roots),
		cmocka_unit_test(test_mountinfo_hostile),
		cmocka_unit_test(test_proc_cgroup),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_keyed),
		cmocka_unit_test(test_clean_path),
		cmocka_unit_test(test_within_and_mount),
		cmocka_unit_test(test_totalpages),
		cmocka_unit_test(test_pids),
		cmocka_unit_test(test_domain_order),
		cmocka_unit_test(test_list_limited),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
