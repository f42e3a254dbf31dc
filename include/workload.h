/*
 * Workloads: the systemd unit, container or Kubernetes pod a process belongs
 * to, told from its memory cgroup's path alone (the pure workload_parse()),
 * and the human names the machine keeps on disk (docker's config.v2.json,
 * the kubelet's /var/log/pods, podman's containers.json), looked up once per
 * distinct cgroup by a workload_cache.
 */
#ifndef OOMTOP_WORKLOAD_H
#define OOMTOP_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* What kind of thing owns a cgroup; the names are the JSON's. */
enum workload_kind {
	WORKLOAD_NONE,         /* the root cgroup */
	WORKLOAD_SERVICE,      /* a system service: /system.slice/mysql.service */
	WORKLOAD_SCOPE,        /* a scope that is not a session: /init.scope, app-x.scope */
	WORKLOAD_SLICE,        /* a process directly in a slice */
	WORKLOAD_USER_SERVICE, /* a service of a user's manager: user@1000.service/app.slice/foo.service */
	WORKLOAD_SESSION,      /* a login session: session-3.scope */
	WORKLOAD_CONTAINER,    /* docker, podman, containerd, CRI-O or LXC, outside Kubernetes */
	WORKLOAD_POD,          /* a Kubernetes pod (and the container in it) */
	WORKLOAD_CGROUP,       /* any other cgroup: the path is the name */
};

/* The container runtime a cgroup's name shows. */
enum workload_runtime {
	WORKLOAD_RT_NONE,
	WORKLOAD_RT_DOCKER,
	WORKLOAD_RT_PODMAN,
	WORKLOAD_RT_CONTAINERD,
	WORKLOAD_RT_CRIO,
	WORKLOAD_RT_LXC,
};

/* A pod's quality of service class, from its cgroup's parent (the kubelet's QoS cgroups). */
enum workload_qos {
	WORKLOAD_QOS_NONE,
	WORKLOAD_QOS_GUARANTEED,
	WORKLOAD_QOS_BURSTABLE,
	WORKLOAD_QOS_BESTEFFORT,
};

#define WORKLOAD_NAME_MAX 256    /* systemd's UNIT_NAME_MAX; a longer name on disk is not used */
#define WORKLOAD_ID_MAX 65       /* a container id: 64 hex digits */
#define WORKLOAD_UID_MAX 37      /* a pod UID: 36 characters */
#define WORKLOAD_CACHE_KEEP 4096 /* distinct cgroups a long-running reader keeps told before it starts afresh */

/* One workload; every string is "" when unknown. */
struct workload {
	enum workload_kind kind;
	enum workload_runtime runtime;
	enum workload_qos qos;
	char unit[WORKLOAD_NAME_MAX]; /* the systemd unit as systemctl names it (the deepest in the path) */
	char id[WORKLOAD_ID_MAX];     /* the container id, or a pod's UID when not in a container of it */
	char pod_uid[WORKLOAD_UID_MAX];
	char pod_namespace[64]; /* from the kubelet's /var/log/pods, when there */
	char pod_name[WORKLOAD_NAME_MAX];
	char name[WORKLOAD_NAME_MAX]; /* what a human calls it: unit, container or namespace/pod */
	size_t base_len;              /* the length of the parsed path's prefix that is the workload's own cgroup */
};

/* Pure: classifying a path and reading the runtimes' files. */
int workload_parse(const char *path, struct workload *w);
void workload_unit_unescape(const char *in, char *out, size_t size);
int workload_json_name(const char *buf, size_t len, char *name, size_t size);
int workload_json_podman_name(const char *buf, size_t len, const char *id, char *name, size_t size);
int workload_pod_dir_parse(const char *dname, char *ns, size_t nssz, char *name, size_t namesz, char *uid,
			   size_t uidsz);
bool workload_unit_match(const struct workload *w, const char *glob);
bool workload_match(const struct workload *w, const char *pattern);
bool workload_same(const struct workload *a, const struct workload *b);
const char *workload_kind_name(enum workload_kind k);
const char *workload_runtime_name(enum workload_runtime r);
const char *workload_qos_name(enum workload_qos q);
int workload_choose_path(const char *buf, size_t len, char *path, size_t size);

struct cgroup_hier;

/* The reader: workloads by cgroup path, each looked up once (names from disk under the root). */
struct workload_cache;

struct workload_cache *workload_cache_new(void);
void workload_cache_free(struct workload_cache *c);
const struct workload *workload_cache_get(struct workload_cache *c, const char *path);
int workload_cache_of_pid(struct workload_cache *c, pid_t pid, const struct workload **w);
size_t workload_cache_len(const struct workload_cache *c);
int workload_find_cgroup(struct workload_cache *c, const struct cgroup_hier *h, const char *pattern, char *path,
			 size_t size);

#endif
