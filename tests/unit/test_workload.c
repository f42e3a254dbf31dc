/*
 * Workload identity: every kind of cgroup name systemd, the container
 * runtimes and the kubelet write (workload_parse()), the runtimes' state
 * files (hostile names included), and the cache on the fixture tree
 * tests/corpus/root/wl, which names each distinct cgroup once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sysroot.h"
#include "workload.h"

#define ID1 "1111111111111111111111111111111111111111111111111111111111111111"
#define ID2 "2222222222222222222222222222222222222222222222222222222222222222"
#define ID3 "3333333333333333333333333333333333333333333333333333333333333333"
#define ID4 "4444444444444444444444444444444444444444444444444444444444444444"
#define U1 "0a1b2c3d-1111-2222-3333-444455556666"
#define U1_ "0a1b2c3d_1111_2222_3333_444455556666"

/* One path and what it must be told as. */
struct wl_case {
	const char *path;
	enum workload_kind kind;
	const char *name;
	const char *unit;
	const char *id;
	enum workload_runtime rt;
	enum workload_qos qos;
	const char *pod_uid;
};

static const struct wl_case cases[] = {
	{ "/", WORKLOAD_NONE, "", "", "", WORKLOAD_RT_NONE, WORKLOAD_QOS_NONE, "" },
	{ "/system.slice/mysql.service", WORKLOAD_SERVICE, "mysql.service", "mysql.service", "", 0, 0, "" },
	{ "/system.slice/mysql.service/payload", WORKLOAD_SERVICE, "mysql.service", "mysql.service", "", 0, 0, "" },
	{ "/system.slice/systemd-fsck@dev-disk-by\\x2duuid-12.service", WORKLOAD_SERVICE,
	  "systemd-fsck@dev-disk-by-uuid-12.service", "systemd-fsck@dev-disk-by\\x2duuid-12.service", "", 0, 0, "" },
	{ "/system.slice/_cpu.service", WORKLOAD_SERVICE, "cpu.service", "cpu.service", "", 0, 0, "" },
	{ "/system.slice", WORKLOAD_SLICE, "system.slice", "system.slice", "", 0, 0, "" },
	{ "/init.scope", WORKLOAD_SCOPE, "init.scope", "init.scope", "", 0, 0, "" },
	{ "/user.slice/user-1000.slice/session-3.scope", WORKLOAD_SESSION, "session-3.scope", "session-3.scope", "", 0,
	  0, "" },
	{ "/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service", WORKLOAD_USER_SERVICE, "foo.service",
	  "foo.service", "", 0, 0, "" },
	{ "/user.slice/user-1000.slice/user@1000.service/init.scope", WORKLOAD_SERVICE, "user@1000.service",
	  "user@1000.service", "", 0, 0, "" },
	{ "/user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox-12.scope", WORKLOAD_SCOPE,
	  "app-firefox-12.scope", "app-firefox-12.scope", "", 0, 0, "" },
	{ "/docker/" ID1, WORKLOAD_CONTAINER, "111111111111", "", ID1, WORKLOAD_RT_DOCKER, 0, "" },
	{ "/docker/" ID1 "/system.slice/nginx.service", WORKLOAD_CONTAINER, "111111111111", "nginx.service", ID1,
	  WORKLOAD_RT_DOCKER, 0, "" },
	{ "/system.slice/docker-" ID1 ".scope", WORKLOAD_CONTAINER, "111111111111", "docker-" ID1 ".scope", ID1,
	  WORKLOAD_RT_DOCKER, 0, "" },
	{ "/machine.slice/libpod-" ID2 ".scope/container", WORKLOAD_CONTAINER, "222222222222", "libpod-" ID2 ".scope",
	  ID2, WORKLOAD_RT_PODMAN, 0, "" },
	{ "/libpod_parent/libpod-" ID2, WORKLOAD_CONTAINER, "222222222222", "", ID2, WORKLOAD_RT_PODMAN, 0, "" },
	{ "/system.slice/cri-containerd-" ID3 ".scope", WORKLOAD_CONTAINER, "333333333333", "cri-containerd-" ID3 ".scope",
	  ID3, WORKLOAD_RT_CONTAINERD, 0, "" },
	{ "/system.slice/crio-" ID3 ".scope", WORKLOAD_CONTAINER, "333333333333", "crio-" ID3 ".scope", ID3,
	  WORKLOAD_RT_CRIO, 0, "" },
	{ "/lxc.payload.web1", WORKLOAD_CONTAINER, "web1", "", "", WORKLOAD_RT_LXC, 0, "" },
	{ "/lxc.payload.web1/init.scope", WORKLOAD_CONTAINER, "web1", "init.scope", "", WORKLOAD_RT_LXC, 0, "" },
	{ "/lxc/web2", WORKLOAD_CONTAINER, "web2", "", "", WORKLOAD_RT_LXC, 0, "" },
	{ "/kubepods/burstable/pod" U1 "/" ID4, WORKLOAD_POD, U1, "", ID4, WORKLOAD_RT_NONE, WORKLOAD_QOS_BURSTABLE, U1 },
	{ "/kubepods/besteffort/pod" U1 "/" ID4, WORKLOAD_POD, U1, "", ID4, 0, WORKLOAD_QOS_BESTEFFORT, U1 },
	{ "/kubepods/pod" U1 "/" ID4, WORKLOAD_POD, U1, "", ID4, 0, WORKLOAD_QOS_GUARANTEED, U1 },
	{ "/kubepods/burstable/pod" U1, WORKLOAD_POD, U1, "", U1, 0, WORKLOAD_QOS_BURSTABLE, U1 },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" U1_ ".slice/cri-containerd-" ID4 ".scope",
	  WORKLOAD_POD, U1, "cri-containerd-" ID4 ".scope", ID4, WORKLOAD_RT_CONTAINERD, WORKLOAD_QOS_BESTEFFORT, U1 },
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" U1_ ".slice/crio-" ID4 ".scope", WORKLOAD_POD,
	  U1, "crio-" ID4 ".scope", ID4, WORKLOAD_RT_CRIO, WORKLOAD_QOS_BURSTABLE, U1 },
	{ "/kubepods.slice/kubepods-pod" U1_ ".slice/docker-" ID4 ".scope", WORKLOAD_POD, U1, "docker-" ID4 ".scope", ID4,
	  WORKLOAD_RT_DOCKER, WORKLOAD_QOS_GUARANTEED, U1 },
	{ "/kubepods/burstable/pod0123456789abcdef0123456789abcdef/" ID4, WORKLOAD_POD, "0123456789abcdef0123456789abcdef",
	  "", ID4, 0, WORKLOAD_QOS_BURSTABLE, "0123456789abcdef0123456789abcdef" },
	/* look-alikes are plain cgroups */
	{ "/docker/1234", WORKLOAD_CGROUP, "/docker/1234", "", "", 0, 0, "" },
	{ "/kubepods/burstable/podnot-a-uid/x", WORKLOAD_CGROUP, "/kubepods/burstable/podnot-a-uid/x", "", "", 0, 0, "" },
	{ "/process_api/4e723808ed0253f5d57091134c501381", WORKLOAD_CGROUP,
	  "/process_api/4e723808ed0253f5d57091134c501381", "", "", 0, 0, "" },
	{ "/a/.service", WORKLOAD_CGROUP, "/a/.service", "", "", 0, 0, "" },
};

/* Every case is told as listed. */
static void test_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct wl_case *c = &cases[i];
		struct workload w;
		print_message("%s\n", c->path);
		assert_int_equal(workload_parse(c->path, &w), 0);
		assert_string_equal(workload_kind_name(w.kind), workload_kind_name(c->kind));
		assert_string_equal(w.name, c->name);
		assert_string_equal(w.unit, c->unit);
		assert_string_equal(w.id, c->id);
		assert_int_equal(w.runtime, c->rt);
		assert_int_equal(w.qos, c->qos);
		assert_string_equal(w.pod_uid, c->pod_uid);
	}
}

/* The workload's own cgroup: the prefix of the path up to its unit, container or pod. */
static void test_base(void **state)
{
	static const struct {
		const char *path, *base;
	} b[] = {
		{ "/system.slice/mysql.service/payload/x", "/system.slice/mysql.service" },
		{ "/docker/" ID1 "/system.slice/nginx.service", "/docker/" ID1 },
		{ "/kubepods/burstable/pod" U1 "/" ID4, "/kubepods/burstable/pod" U1 },
		{ "/user.slice/user-1000.slice/user@1000.service/init.scope", "/user.slice/user-1000.slice/user@1000.service" },
		{ "/lxc.payload.web1/init.scope", "/lxc.payload.web1" },
		{ "/a/b", "/a/b" },
		{ "/", "/" },
	};
	struct workload w;

	(void)state;
	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		assert_int_equal(workload_parse(b[i].path, &w), 0);
		assert_int_equal(w.base_len, strlen(b[i].base));
		assert_memory_equal(b[i].path, b[i].base, w.base_len);
	}
}

/* Odd paths: relative ones are refused, long ones are cut in the name but never overrun. */
static void test_parse_bounds(void **state)
{
	static char longpath[8192];
	struct workload w;

	(void)state;
	assert_int_equal(workload_parse("system.slice", &w), -EINVAL);
	longpath[0] = '/';
	memset(longpath + 1, 'a', sizeof(longpath) - 2);
	assert_int_equal(workload_parse(longpath, &w), 0);
	assert_int_equal(w.kind, WORKLOAD_CGROUP);
	assert_int_equal(strlen(w.name), WORKLOAD_NAME_MAX - 1);
	memcpy(longpath, "/system.slice/", 14); /* a unit name past UNIT_NAME_MAX is no unit */
	memcpy(longpath + sizeof(longpath) - 9, ".service", 9);
	assert_int_equal(workload_parse(longpath, &w), 0);
	assert_int_equal(w.kind, WORKLOAD_CGROUP);
	assert_int_equal(workload_parse("//system.slice//a.service/", &w), 0);
	assert_int_equal(w.kind, WORKLOAD_SERVICE);
	assert_string_equal(w.name, "a.service");
}

/* systemd's \xNN escapes are undone; a \x00 or a broken escape stays as written. */
static void test_unescape(void **state)
{
	char out[32];

	(void)state;
	workload_unit_unescape("a\\x2db\\x2fc", out, sizeof(out));
	assert_string_equal(out, "a-b/c");
	workload_unit_unescape("a\\x00b\\xg1\\x", out, sizeof(out));
	assert_string_equal(out, "a\\x00b\\xg1\\x");
	workload_unit_unescape("abcdef", out, 4);
	assert_string_equal(out, "abc");
}

/* The v1 memory path wins unless it is the root; then the v2 path. */
static void test_choose_path(void **state)
{
	char p[64];
	const char *a = "5:cpu:/x\n4:memory:/system.slice/a.service\n0::/system.slice/b.service\n";
	const char *b = "4:memory:/\n0::/user.slice/session-1.scope\n";
	const char *c = "0::/kubepods/x\n";

	(void)state;
	assert_int_equal(workload_choose_path(a, strlen(a), p, sizeof(p)), 0);
	assert_string_equal(p, "/system.slice/a.service");
	assert_int_equal(workload_choose_path(b, strlen(b), p, sizeof(p)), 0);
	assert_string_equal(p, "/user.slice/session-1.scope");
	assert_int_equal(workload_choose_path(c, strlen(c), p, sizeof(p)), 0);
	assert_string_equal(p, "/kubepods/x");
	assert_int_equal(workload_choose_path("", 0, p, sizeof(p)), -ENOENT);
}

/* docker's top-level Name, not a nested one; escapes decoded; bad JSON and long names refused. */
static void test_json_name(void **state)
{
	char n[16];
	const char *ok = "{\"State\":{\"Name\":\"/no\"},\"M\":[1,{\"Name\":2},\"x\"],\"Name\":\"/w\\u00e9b\\uD83D\\ude00\"}";
	const char *bad[] = { "", "[", "{\"Name\":", "{\"Name\":\"/a", "{\"a\":1,}", "{\"Name\":\"/a\\u0000\"}",
			      "{\"Name\":\"/\\ud800\"}", "{\"Name\":\"/a\nb\"}" };

	(void)state;
	assert_int_equal(workload_json_name(ok, strlen(ok), n, sizeof(n)), 0);
	assert_string_equal(n, "w\xc3\xa9" "b\xf0\x9f\x98\x80");
	assert_int_equal(workload_json_name("{\"a\":[]}", 8, n, sizeof(n)), -ENOENT);
	assert_int_equal(workload_json_name("{}", 2, n, sizeof(n)), -ENOENT);
	assert_int_equal(workload_json_name("{\"Name\":\"/0123456789abcdefgh\"}", 30, n, sizeof(n)), -ENAMETOOLONG);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(workload_json_name(bad[i], strlen(bad[i]), n, sizeof(n)), -EINVAL);
}

/* A nesting deeper than the skimmer's bound is refused, not recursed into. */
static void test_json_deep(void **state)
{
	static char deep[4096];
	char n[16];
	size_t k = 0;

	(void)state;
	k += (size_t)snprintf(deep, sizeof(deep), "{\"a\":");
	for (int i = 0; i < 1000; i++)
		deep[k++] = '[';
	assert_int_equal(workload_json_name(deep, k, n, sizeof(n)), -EINVAL);
}

/* podman's containers.json: the first name of the entry with the id. */
static void test_json_podman(void **state)
{
	char n[32];
	const char *s = "[{\"id\":\"a\",\"names\":[\"x\"]},{\"names\":[\"db\",\"y\"],\"id\":\"b\",\"o\":{\"id\":\"c\"}}]";

	(void)state;
	assert_int_equal(workload_json_podman_name(s, strlen(s), "b", n, sizeof(n)), 0);
	assert_string_equal(n, "db");
	assert_int_equal(workload_json_podman_name(s, strlen(s), "c", n, sizeof(n)), -ENOENT);
	assert_int_equal(workload_json_podman_name("[]", 2, "b", n, sizeof(n)), -ENOENT);
	assert_int_equal(workload_json_podman_name("{}", 2, "b", n, sizeof(n)), -EINVAL);
}

/* The kubelet's NAMESPACE_NAME_UID directories. */
static void test_pod_dir(void **state)
{
	char ns[8], name[16], uid[40];

	(void)state;
	assert_int_equal(workload_pod_dir_parse("default_nginx-1_" U1, ns, sizeof(ns), name, sizeof(name), uid,
						sizeof(uid)),
			 0);
	assert_string_equal(ns, "default");
	assert_string_equal(name, "nginx-1");
	assert_string_equal(uid, U1);
	assert_int_equal(workload_pod_dir_parse("nounderscore", ns, sizeof(ns), name, sizeof(name), uid, sizeof(uid)),
			 -EINVAL);
	assert_int_equal(workload_pod_dir_parse("a_b", ns, sizeof(ns), name, sizeof(name), uid, sizeof(uid)), -EINVAL);
	assert_int_equal(workload_pod_dir_parse("_b_c", ns, sizeof(ns), name, sizeof(name), uid, sizeof(uid)), -EINVAL);
	assert_int_equal(workload_pod_dir_parse("kube-system_x_c", ns, sizeof(ns), name, sizeof(name), uid, sizeof(uid)),
			 -ENAMETOOLONG);
}

/* --unit globs and --workload patterns. */
static void test_match(void **state)
{
	struct workload w;

	(void)state;
	workload_parse("/system.slice/systemd-fsck@dev-disk-by\\x2duuid-12.service", &w);
	assert_true(workload_unit_match(&w, "systemd-fsck@*"));
	assert_true(workload_unit_match(&w, "*by\\x2duuid*")); /* the escaped form, as systemctl lists it */
	assert_false(workload_unit_match(&w, "*by\\\\x2duuid*")); /* FNM_NOESCAPE, as systemctl: "\\" is two */
	assert_true(workload_unit_match(&w, "*by-uuid*"));
	assert_false(workload_unit_match(&w, "mysql*"));
	workload_parse("/kubepods/burstable/pod" U1 "/" ID4, &w);
	strcpy(w.name, "default/nginx-7d9f");
	assert_false(workload_unit_match(&w, "*"));
	assert_true(workload_match(&w, "default/nginx-*"));
	assert_true(workload_match(&w, "4444"));
	assert_true(workload_match(&w, "0a1b2c3d"));
	assert_false(workload_match(&w, "444"));
	assert_false(workload_match(&w, "default/other"));
	workload_parse("/", &w);
	assert_false(workload_match(&w, "*"));
}

/* The cache on the fixture tree: names from disk, hostile ones kept as bytes, each cgroup once. */
static void test_cache(void **state)
{
	struct workload_cache *c;
	const struct workload *w, *w2;

	(void)state;
	assert_int_equal(sysroot_set("tests/corpus/root/wl"), 0);
	c = workload_cache_new();
	w = workload_cache_get(c, "/docker/" ID1);
	assert_string_equal(w->name, "web");
	assert_int_equal(w->runtime, WORKLOAD_RT_DOCKER);
	w2 = workload_cache_get(c, "/docker/" ID1);
	assert_ptr_equal(w, w2);
	assert_int_equal(workload_cache_len(c), 1);
	w = workload_cache_get(c, "/system.slice/docker-" ID2 ".scope");
	assert_string_equal(w->name, "evil\n\"name\x1b[2J\xe2\x80\xae\xff\xfe");
	w = workload_cache_get(c, "/docker/" ID3); /* a 4 KiB name: the short id */
	assert_string_equal(w->name, "333333333333");
	w = workload_cache_get(c, "/machine.slice/libpod-" ID4 ".scope");
	assert_string_equal(w->name, "pgsql");
	w = workload_cache_get(c, "/kubepods/burstable/pod" U1 "/" ID2);
	assert_string_equal(w->name, "default/nginx-7d9f");
	assert_string_equal(w->pod_namespace, "default");
	assert_string_equal(w->pod_name, "nginx-7d9f");
	assert_string_equal(w->id, ID2);
	/* the id has a docker config, so a bare id under a pod is docker's */
	assert_int_equal(w->runtime, WORKLOAD_RT_DOCKER);
	w = workload_cache_get(c, "/kubepods/besteffort/pod9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff");
	assert_string_equal(w->name, "kube-system/coredns");
	w = workload_cache_get(c, "/kubepods/besteffort/pod9f8e7d6c-aaaa-bbbb-cccc-000000000000");
	assert_string_equal(w->name, "9f8e7d6c-aaaa-bbbb-cccc-000000000000");
	assert_int_equal(workload_cache_len(c), 7);
	for (int i = 0; i < 1000; i++) { /* growth keeps every entry */
		char p[64];
		snprintf(p, sizeof(p), "/g/%d", i);
		assert_string_equal(workload_cache_get(c, p)->name, p);
	}
	assert_int_equal(workload_cache_len(c), 1007);
	assert_string_equal(workload_cache_get(c, "/docker/" ID1)->name, "web");

	assert_int_equal(workload_cache_of_pid(c, 200, &w), 0);
	assert_string_equal(w->name, "mysql.service");
	assert_int_equal(workload_cache_of_pid(c, 201, &w), 0);
	assert_int_equal(w->kind, WORKLOAD_SESSION);
	assert_int_equal(workload_cache_of_pid(c, 202, &w), 0);
	assert_string_equal(w->name, "web");
	assert_int_equal(workload_cache_of_pid(c, 203, &w), 0);
	assert_string_equal(w->name, "default/nginx-7d9f");
	assert_int_equal(workload_cache_of_pid(c, 999, &w), -ENOENT);
	assert_int_equal(w->kind, WORKLOAD_NONE);
	workload_cache_free(c);
	assert_int_equal(sysroot_set("/"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),	    cmocka_unit_test(test_parse_bounds), cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_choose_path), cmocka_unit_test(test_json_name),	 cmocka_unit_test(test_json_deep),
		cmocka_unit_test(test_json_podman), cmocka_unit_test(test_pod_dir), cmocka_unit_test(test_match), cmocka_unit_test(test_base),	 cmocka_unit_test(test_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
