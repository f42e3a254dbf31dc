/*
 * The kernel's own OOM counters: oom_kill in /proc/vmstat (4.13+, read
 * by sysmem.c), memory.events of each cgroup v2 (oom, oom_kill,
 * oom_group_kill; mm/memcontrol.c) and memory.oom_control of each cgroup v1
 * (oom_kill_disable, under_oom, oom_kill since 4.13).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oomcount.h"
#include "sysmem.h"
#include "sysroot.h"
#include "xalloc.h"

#define MAX_DEPTH 32
#define MAX_CGROUPS 100000

/*
 * Returns how many of the logged kills the kernel's counter backs: at most
 * as many as /proc/vmstat oom_kill moved from start to now.  The kernel
 * counts a kill (count_vm_event(OOM_KILL) in __oom_kill_process(),
 * mm/oom_kill.c, 4.13+) before it prints its "Killed process" line, so a
 * real kill has moved the counter by the time its line can be read; a line
 * the counter does not back was not written by the OOM killer.
 */
unsigned long oomcount_backed(unsigned long start, unsigned long now, unsigned long logged)
{
	unsigned long moved = now > start ? now - start : 0;

	return logged < moved ? logged : moved;
}

/* Reads "key N" from a flat-keyed cgroup file's text; 0 or -ENOENT. */
int oomcount_parse_key(const char *text, const char *key, long long *v)
{
	size_t n = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, n) == 0 && p[n] == ' ') {
			char *end;
			long long x = strtoll(p + n + 1, &end, 10);
			if (end == p + n + 1)
				return -ENOENT;
			*v = x;
			return 0;
		}
	}
	return -ENOENT;
}

/* Reads a small file below the root into buf (NUL-terminated); 0 or -errno. */
static int read_small(const char *path, char *buf, size_t size)
{
	ssize_t n = sysroot_read(path, buf, size);

	return n < 0 ? (int)n : 0;
}

/* Finds the v1 memory hierarchy and a v2 hierarchy that offers memory, from /proc/self/mounts. */
static void find_roots(struct oomcount *c)
{
	int fd = sysroot_open("/proc/self/mounts", O_RDONLY);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "re");
	char dev[256], dir[4096], type[64], opts[1024], buf[512];

	if (!f) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while (fscanf(f, "%255s %4095s %63s %1023s %*s %*s", dev, dir, type, opts) == 4) {
		if (!c->v1_root && strcmp(type, "cgroup") == 0) {
			for (char *o = strtok(opts, ","); o; o = strtok(NULL, ","))
				if (strcmp(o, "memory") == 0)
					c->v1_root = xstrdup(dir);
		} else if (!c->v2_root && strcmp(type, "cgroup2") == 0) {
			char path[4200];
			snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
			if (read_small(path, buf, sizeof(buf)) == 0 && strstr(buf, "memory"))
				c->v2_root = xstrdup(dir);
		}
	}
	fclose(f);
}

/* Appends the counters of the cgroup at dir if any of them is not zero. */
static void add_cgroup(struct oomcount *c, const char *root, const char *dir, int version)
{
	char path[4200], buf[1024];
	struct oomcount_cg cg = { NULL, version, -1, -1, -1, -1, -1 };
	bool any;

	if (version == 2) {
		snprintf(path, sizeof(path), "%s/memory.events", dir);
		if (read_small(path, buf, sizeof(buf)) < 0)
			return;
		oomcount_parse_key(buf, "oom", &cg.oom);
		oomcount_parse_key(buf, "oom_kill", &cg.oom_kill);
		oomcount_parse_key(buf, "oom_group_kill", &cg.oom_group_kill);
		any = cg.oom > 0 || cg.oom_kill > 0 || cg.oom_group_kill > 0;
	} else {
		snprintf(path, sizeof(path), "%s/memory.oom_control", dir);
		if (read_small(path, buf, sizeof(buf)) < 0)
			return;
		oomcount_parse_key(buf, "oom_kill_disable", &cg.oom_kill_disable);
		oomcount_parse_key(buf, "under_oom", &cg.under_oom);
		oomcount_parse_key(buf, "oom_kill", &cg.oom_kill);
		any = cg.oom_kill > 0 || cg.under_oom > 0 || cg.oom_kill_disable > 0;
	}
	if (!any || c->n == MAX_CGROUPS)
		return;
	cg.path = xstrdup(dir[strlen(root)] ? dir + strlen(root) : "/");
	c->cgs = xreallocarray(c->cgs, c->n + 1, sizeof(*c->cgs));
	c->cgs[c->n++] = cg;
}

/* Visits dir and the cgroups below it. */
static void walk(struct oomcount *c, const char *root, const char *dir, int version, int depth)
{
	DIR *d;
	struct dirent *e;
	int fd;

	add_cgroup(c, root, dir, version);
	if (depth >= MAX_DEPTH || (fd = sysroot_open_dir(dir)) < 0)
		return;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char sub[4200];
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name) >= (int)sizeof(sub))
			continue;
		walk(c, root, sub, version, depth + 1);
	}
	closedir(d);
}

/* Reads every counter this machine offers; 0 (missing counters are simply absent). */
int oomcount_read(struct oomcount *c)
{
	memset(c, 0, sizeof(*c));
	c->have_vmstat = sysmem_oom_kills(&c->vmstat_oom_kill) == 0;
	find_roots(c);
	if (c->v1_root)
		walk(c, c->v1_root, c->v1_root, 1, 0);
	if (c->v2_root)
		walk(c, c->v2_root, c->v2_root, 2, 0);
	return 0;
}

/* Releases what oomcount_read allocated. */
void oomcount_free(struct oomcount *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->cgs[i].path);
	free(c->cgs);
	free(c->v1_root);
	free(c->v2_root);
	memset(c, 0, sizeof(*c));
}
