/*
 * The workload reader: a cache of workloads by cgroup path, so each distinct
 * cgroup is told and named once per run however many processes it holds.
 * Names come from the runtimes' files under the root (sysroot.c), read
 * lazily and bounded: docker's config.v2.json per container, podman's
 * containers.json and the kubelet's /var/log/pods once.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "sysroot.h"
#include "workload.h"
#include "xalloc.h"

#define DOCKER_CONFIG_MAX (4UL << 20) /* a config.v2.json longer than this names nothing */
#define PODMAN_STATE_MAX (16UL << 20) /* containers.json likewise */
#define PODS_MAX 100000               /* pod log directories looked at */
#define PROC_CGROUP_MAX (1UL << 20)   /* /proc/PID/cgroup, as cgroup_of_pid() reads it */
#define DOCKER_DIR "/var/lib/docker/containers"
#define PODMAN_STATE "/var/lib/containers/storage/overlay-containers/containers.json"
#define PODS_DIR "/var/log/pods"

struct wl_entry {
	char *path;
	struct workload w;
};

struct pod_name {
	char uid[WORKLOAD_UID_MAX];
	char ns[64];
	char name[WORKLOAD_NAME_MAX];
};

struct workload_cache {
	struct wl_entry **slots; /* open addressing by the path's hash; owned */
	size_t cap, len;
	bool pods_read;
	struct pod_name *pods; /* owned */
	size_t npods;
	bool podman_read;
	char *podman; /* containers.json, owned; NULL when unreadable */
	size_t podman_len;
	struct workload none;
};

/* Returns a new, empty cache. */
struct workload_cache *workload_cache_new(void)
{
	struct workload_cache *c = xcalloc(1, sizeof(*c));

	c->cap = 64;
	c->slots = xcalloc(c->cap, sizeof(*c->slots));
	workload_parse("/", &c->none);
	return c;
}

/* Releases the cache and every workload it handed out. */
void workload_cache_free(struct workload_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		if (c->slots[i]) {
			free(c->slots[i]->path);
			free(c->slots[i]);
		}
	free(c->slots);
	free(c->pods);
	free(c->podman);
	free(c);
}

/* Returns the number of distinct cgroups looked up. */
size_t workload_cache_len(const struct workload_cache *c)
{
	return c->len;
}

/* Returns the FNV-1a hash of s. */
static size_t hash_str(const char *s)
{
	size_t h = (size_t)14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * (size_t)1099511628211ULL;
	return h;
}

/* Doubles the table and places every entry again. */
static void grow(struct workload_cache *c)
{
	struct wl_entry **old = c->slots;
	size_t oldcap = c->cap;

	c->cap *= 2;
	c->slots = xcalloc(c->cap, sizeof(*c->slots));
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i])
			continue;
		size_t k = hash_str(old[i]->path) & (c->cap - 1);
		while (c->slots[k])
			k = (k + 1) & (c->cap - 1);
		c->slots[k] = old[i];
	}
	free(old);
}

/*
 * Looks a container id up in docker's config.v2.json: its name into name and
 * the runtime settled as docker's; false when docker keeps no such config.
 */
static bool docker_name(struct workload *w, char *name, size_t size)
{
	char file[sizeof(DOCKER_DIR) + WORKLOAD_ID_MAX + 32], *buf;
	size_t len;
	bool found;

	snprintf(file, sizeof(file), DOCKER_DIR "/%s/config.v2.json", w->id);
	if (sysroot_read_whole(file, DOCKER_CONFIG_MAX, &buf, &len) < 0)
		return false;
	found = workload_json_name(buf, len, name, size) == 0;
	if (found && w->runtime == WORKLOAD_RT_NONE)
		w->runtime = WORKLOAD_RT_DOCKER; /* a bare id docker keeps a config for */
	free(buf);
	return found;
}

/* Names a podman container from containers.json (read once). */
static void name_podman(struct workload_cache *c, struct workload *w)
{
	char name[WORKLOAD_NAME_MAX];

	if (!c->podman_read) {
		c->podman_read = true;
		if (sysroot_read_whole(PODMAN_STATE, PODMAN_STATE_MAX, &c->podman, &c->podman_len) < 0)
			c->podman = NULL;
	}
	if (c->podman && workload_json_podman_name(c->podman, c->podman_len, w->id, name, sizeof(name)) == 0)
		memcpy(w->name, name, sizeof(w->name));
}

/* Reads the kubelet's pod log directories (NAMESPACE_NAME_UID) once. */
static void read_pods(struct workload_cache *c)
{
	int fd;
	DIR *d;
	struct dirent *de;
	size_t cap = 0;

	c->pods_read = true;
	fd = sysroot_open_dir(PODS_DIR);
	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) && c->npods < PODS_MAX) {
		struct pod_name p;
		memset(&p, 0, sizeof(p));
		if (workload_pod_dir_parse(de->d_name, p.ns, sizeof(p.ns), p.name, sizeof(p.name), p.uid,
					   sizeof(p.uid)) < 0)
			continue;
		if (c->npods == cap) {
			cap = cap ? cap * 2 : 16;
			c->pods = xreallocarray(c->pods, cap, sizeof(*c->pods));
		}
		c->pods[c->npods++] = p;
	}
	closedir(d);
}

/* Names a pod NAMESPACE/NAME from the kubelet's log directories. */
static void name_pod(struct workload_cache *c, struct workload *w)
{
	if (!c->pods_read)
		read_pods(c);
	for (size_t i = 0; i < c->npods; i++) {
		const struct pod_name *p = &c->pods[i];
		if (strcmp(p->uid, w->pod_uid) != 0)
			continue;
		if (strlen(p->ns) + 1 + strlen(p->name) >= sizeof(w->name))
			return;
		memcpy(w->pod_namespace, p->ns, sizeof(w->pod_namespace));
		memcpy(w->pod_name, p->name, sizeof(w->pod_name));
		snprintf(w->name, sizeof(w->name), "%s/%s", p->ns, p->name);
		return;
	}
}

/* Looks the human names of a new workload up on disk. */
static void name_from_disk(struct workload_cache *c, struct workload *w)
{
	char name[WORKLOAD_NAME_MAX];

	if (w->kind == WORKLOAD_POD) {
		name_pod(c, w);
		if (w->runtime == WORKLOAD_RT_NONE && strcmp(w->id, w->pod_uid) != 0)
			docker_name(w, name, sizeof(name)); /* the runtime of a cgroupfs pod's container */
	} else if (w->kind == WORKLOAD_CONTAINER &&
		   (w->runtime == WORKLOAD_RT_DOCKER || w->runtime == WORKLOAD_RT_NONE)) {
		if (docker_name(w, name, sizeof(name)))
			memcpy(w->name, name, sizeof(w->name));
	} else if (w->kind == WORKLOAD_CONTAINER && w->runtime == WORKLOAD_RT_PODMAN) {
		name_podman(c, w);
	}
}

/*
 * Returns the workload of the cgroup path, told and named on the first look
 * up of that path; borrowed from the cache, valid until workload_cache_free().
 */
const struct workload *workload_cache_get(struct workload_cache *c, const char *path)
{
	size_t k;
	struct wl_entry *e;

	if (path[0] != '/' || strcmp(path, "/") == 0)
		return &c->none;
	k = hash_str(path) & (c->cap - 1);
	for (; c->slots[k]; k = (k + 1) & (c->cap - 1))
		if (strcmp(c->slots[k]->path, path) == 0)
			return &c->slots[k]->w;
	e = xmalloc(sizeof(*e));
	e->path = xstrdup(path);
	workload_parse(path, &e->w);
	name_from_disk(c, &e->w);
	c->slots[k] = e;
	if (++c->len * 2 > c->cap)
		grow(c);
	return &e->w;
}

/*
 * Finds the workload of process pid from its /proc/PID/cgroup (the memory
 * hierarchy's path, else the v2 one); 0 or -errno (-ENOENT: it exited), and
 * *w is then the root's workload (kind none).
 */
int workload_cache_of_pid(struct workload_cache *c, pid_t pid, const struct workload **w)
{
	char file[48], path[CGROUP_PATH_MAX], *buf;
	size_t len;
	int err;

	*w = &c->none;
	snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
	err = sysroot_read_whole(file, PROC_CGROUP_MAX, &buf, &len);
	if (err < 0)
		return err == -ESRCH ? -ENOENT : err;
	err = len ? workload_choose_path(buf, len, path, sizeof(path)) : -ENOENT;
	free(buf);
	if (err == 0)
		*w = workload_cache_get(c, path);
	return err;
}

/* Returns whether a directory entry's name is a pid (1 to 10 digits). */
static bool is_pid_name(const char *name)
{
	if (!*name || strlen(name) > 10)
		return false;
	for (; *name; name++)
		if (*name < '0' || *name > '9')
			return false;
	return true;
}

/*
 * Finds the cgroup of the workload that pattern names (a --unit glob or a
 * --workload pattern, workload_match()) among the running processes, in the
 * memory hierarchy h: the prefix of a matching process's path that is the
 * workload's own cgroup, into path.  0; -ENOENT when none matches;
 * -EEXIST when processes of more than one cgroup match (path: the first).
 */
int workload_find_cgroup(struct workload_cache *c, const struct cgroup_hier *h, const char *pattern, char *path,
			 size_t size)
{
	char cg[CGROUP_PATH_MAX];
	int fd = sysroot_open_dir("/proc"), found = -ENOENT;
	DIR *d;
	struct dirent *de;

	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	while ((de = readdir(d))) {
		const struct workload *w;
		if (!is_pid_name(de->d_name) ||
		    cgroup_of_pid(h, (pid_t)strtol(de->d_name, NULL, 10), cg, sizeof(cg)) < 0)
			continue;
		w = workload_cache_get(c, cg);
		if (!workload_match(w, pattern) || w->base_len >= size)
			continue;
		if (found == 0 && (strlen(path) != w->base_len || strncmp(path, cg, w->base_len) != 0)) {
			found = -EEXIST;
			break;
		}
		memcpy(path, cg, w->base_len);
		path[w->base_len] = '\0';
		found = 0;
	}
	closedir(d);
	return found;
}
