/*
 * Memory cgroups.  The memory controller lives in one hierarchy: a v1 mount
 * whose super options name "memory" (hybrid hosts have it beside a v2 mount
 * without it), or the v2 hierarchy when its root offers "memory" in
 * cgroup.controllers.  Paths are hierarchy paths as /proc/PID/cgroup shows
 * them ("/system.slice/mysql.service"); cgroup_dir() turns one into the
 * directory of the mount.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cgroup.h"
#include "oomtop.h"
#include "sysroot.h"
#include "xalloc.h"

#ifndef CGROUP_SUPER_MAGIC
#define CGROUP_SUPER_MAGIC 0x27e0eb
#endif
#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#define PROCS_MAX (64UL << 20) /* a cgroup.procs bigger than this is cut */

/* Returns the length of the line that starts at p (without its newline). */
static size_t line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return (size_t)((nl ? nl : end) - p);
}

/*
 * Copies the space-delimited field [p, p+len) into out, undoing mountinfo's
 * octal escapes (\040 for a space, fs/proc_namespace.c mangle()); returns 0,
 * or -ENAMETOOLONG when it does not fit.
 */
static int unescape_field(const char *p, size_t len, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (c == '\\' && i + 3 < len && p[i + 1] >= '0' && p[i + 1] <= '3' && p[i + 2] >= '0' &&
		    p[i + 2] <= '7' && p[i + 3] >= '0' && p[i + 3] <= '7') {
			c = (char)((p[i + 1] - '0') * 64 + (p[i + 2] - '0') * 8 + (p[i + 3] - '0'));
			i += 3;
		}
		if (o + 1 >= size)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	if (size == 0)
		return -ENAMETOOLONG;
	out[o] = '\0';
	return 0;
}

/* Returns whether the comma-separated list [p, p+len) holds the word word. */
static bool list_has(const char *p, size_t len, const char *word)
{
	size_t wl = strlen(word);
	const char *end = p + len;

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t n = (size_t)((comma ? comma : end) - p);
		if (n == wl && memcmp(p, word, wl) == 0)
			return true;
		p += n + 1;
	}
	return false;
}

#define MI_FIELDS 32

/*
 * Finds in /proc/self/mountinfo text the first v1 mount with the memory
 * controller and the first cgroup2 mount (Documentation/filesystems/proc.rst:
 * "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE
 * SUPEROPTIONS"); malformed lines are skipped.  Returns 0 when either was
 * found, -ENOENT when neither was.
 */
int cgroup_parse_mountinfo(const char *buf, size_t len, struct cgroup_mounts *out)
{
	const char *p = buf, *end = buf + len;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		size_t ll = line_len(p, end);
		const char *f[MI_FIELDS];
		size_t fl[MI_FIELDS], nf = 0, dash = 0;
		const char *q = p, *lend = p + ll;

		while (q < lend && nf < MI_FIELDS) {
			while (q < lend && *q == ' ')
				q++;
			if (q == lend)
				break;
			f[nf] = q;
			while (q < lend && *q != ' ')
				q++;
			fl[nf] = (size_t)(q - f[nf]);
			if (nf >= 6 && !dash && fl[nf] == 1 && f[nf][0] == '-')
				dash = nf;
			nf++;
		}
		p = lend + (lend < end);
		if (!dash || nf < dash + 4)
			continue;
		struct cgroup_mount *m = NULL;
		if (fl[dash + 1] == 6 && memcmp(f[dash + 1], "cgroup", 6) == 0 &&
		    list_has(f[dash + 3], fl[dash + 3], "memory"))
			m = out->v1_memory.version ? NULL : &out->v1_memory;
		else if (fl[dash + 1] == 7 && memcmp(f[dash + 1], "cgroup2", 7) == 0)
			m = out->v2.version ? NULL : &out->v2;
		if (!m)
			continue;
		if (unescape_field(f[3], fl[3], m->root, sizeof(m->root)) < 0 ||
		    unescape_field(f[4], fl[4], m->dir, sizeof(m->dir)) < 0 || m->root[0] != '/' || m->dir[0] != '/') {
			memset(m, 0, sizeof(*m));
			continue;
		}
		m->version = m == &out->v2 ? 2 : 1;
	}
	return out->v1_memory.version || out->v2.version ? 0 : -ENOENT;
}

/*
 * Finds the path of the memory hierarchy in /proc/PID/cgroup text
 * ("ID:CONTROLLERS:PATH" per line; v1: the line whose controllers include
 * memory; v2: "0::PATH").  Returns 0, -ENOENT without such a line, -EINVAL
 * for a path that is not absolute, -ENAMETOOLONG when it does not fit.
 */
int cgroup_parse_proc(const char *buf, size_t len, int version, char *path, size_t size)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		size_t ll = line_len(p, end);
		const char *c1 = memchr(p, ':', ll), *c2, *lend = p + ll;
		const char *next = lend + (lend < end);
		if (!c1 || !(c2 = memchr(c1 + 1, ':', (size_t)(lend - c1 - 1)))) {
			p = next;
			continue;
		}
		bool match = version == 1 ? list_has(c1 + 1, (size_t)(c2 - c1 - 1), "memory")
					  : (c1 - p == 1 && p[0] == '0' && c2 == c1 + 1);
		if (match) {
			size_t pl = (size_t)(lend - c2 - 1);
			if (pl == 0 || c2[1] != '/')
				return -EINVAL;
			if (pl >= size)
				return -ENAMETOOLONG;
			memcpy(path, c2 + 1, pl);
			path[pl] = '\0';
			return 0;
		}
		p = next;
	}
	return -ENOENT;
}

/* Parses a decimal number followed by nothing but a newline; 0 or -EINVAL/-ERANGE. */
static int parse_decimal(const char *buf, size_t len, unsigned long long *out)
{
	unsigned long long v = 0;
	size_t i = 0;

	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	if (len == 0)
		return -EINVAL;
	for (; i < len; i++) {
		unsigned d = (unsigned)(buf[i] - '0');
		if (buf[i] < '0' || buf[i] > '9')
			return -EINVAL;
		if (v > (~0ULL - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/*
 * Parses a limit file (v2 memory.max: "max" or bytes; v1
 * memory.limit_in_bytes: bytes, 9223372036854771712 for none) into pages,
 * CGROUP_UNLIMITED for none; 0 or -EINVAL.
 */
int cgroup_parse_limit(const char *buf, size_t len, unsigned long page_size, unsigned long *pages)
{
	unsigned long long bytes;
	unsigned long unlimited = CGROUP_UNLIMITED(page_size);

	if (len >= 3 && memcmp(buf, "max", 3) == 0 && (len == 3 || buf[3] == '\n')) {
		*pages = unlimited;
		return 0;
	}
	if (parse_decimal(buf, len, &bytes) < 0)
		return -EINVAL;
	*pages = bytes / page_size >= unlimited ? unlimited : (unsigned long)(bytes / page_size);
	return 0;
}

/* Finds "KEY VALUE" in a flat keyed file (memory.events, memory.oom_control); 0, -ENOENT or -EINVAL. */
int cgroup_parse_keyed(const char *buf, size_t len, const char *key, unsigned long long *out)
{
	const char *p = buf, *end = buf + len;
	size_t kl = strlen(key);

	while (p < end) {
		size_t ll = line_len(p, end);
		if (ll > kl && memcmp(p, key, kl) == 0 && p[kl] == ' ')
			return parse_decimal(p + kl + 1, ll - kl - 1, out) < 0 ? -EINVAL : 0;
		p += ll + 1;
	}
	return -ENOENT;
}

/*
 * Writes in into out as a clean absolute hierarchy path: one slash between
 * components, no "." and no trailing slash ("/" for the root).  Returns 0,
 * -EINVAL for ".." (a path must not leave the hierarchy) or an empty
 * string, -ENAMETOOLONG when it does not fit.
 */
int cgroup_clean_path(const char *in, char *out, size_t size)
{
	size_t o = 0;
	const char *p = in;

	if (!*in || size < 2)
		return *in ? -ENAMETOOLONG : -EINVAL;
	out[o++] = '/';
	while (*p) {
		while (*p == '/')
			p++;
		const char *s = p;
		while (*p && *p != '/')
			p++;
		size_t n = (size_t)(p - s);
		if (n == 0 || (n == 1 && s[0] == '.'))
			continue;
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return -EINVAL;
		if (o > 1)
			out[o++] = '/';
		if (o + n + 1 > size)
			return -ENAMETOOLONG;
		memcpy(out + o, s, n);
		o += n;
		if (o + 1 >= size && *p)
			return -ENAMETOOLONG;
	}
	out[o] = '\0';
	return 0;
}

/* Returns whether the hierarchy path path is ancestor or inside it. */
bool cgroup_path_within(const char *path, const char *ancestor)
{
	size_t al = strlen(ancestor);

	if (strcmp(ancestor, "/") == 0)
		return true;
	return strncmp(path, ancestor, al) == 0 && (path[al] == '\0' || path[al] == '/');
}

/*
 * Points *rel at the part of the hierarchy path that is below the mount's
 * root ("" for the root itself); 0, or -EXDEV when the path is outside the
 * part of the hierarchy this mount shows.
 */
int cgroup_rel_to_mount(const struct cgroup_mount *m, const char *path, const char **rel)
{
	size_t rl = strlen(m->root);

	if (!cgroup_path_within(path, m->root))
		return -EXDEV;
	if (strcmp(m->root, "/") == 0)
		rl = 0;
	path += rl;
	while (*path == '/')
		path++;
	*rel = path;
	return 0;
}

/*
 * Returns the totalpages of an OOM in a cgroup: mm/memcontrol.c
 * mem_cgroup_get_max() (since 5.10), the memory limit plus the swap the
 * cgroup may use: v1 (memsw accounting) the room between memsw.max and
 * memory.max, v2 memory.swap.max, each at most the swap there is, and only
 * when swappiness is not 0.  mm/oom_kill.c constrained_alloc() makes a 0 a 1.
 */
unsigned long cgroup_totalpages(int version, const struct cgroup_limits *l, unsigned long page_size,
				unsigned long total_swap_pages)
{
	unsigned long max = l->max_pages, swap;

	(void)page_size;
	if (l->swappiness) {
		/* v1: memsw.max - max; the kernel never lets memsw.max be below max, the
		 * unsigned wrap of a memsw-only limit is the kernel's arithmetic too */
		swap = version == 1 ? l->swap_pages - max : l->swap_pages;
		max += swap < total_swap_pages ? swap : total_swap_pages;
	}
	return max ? max : 1;
}

/* Reads a small file under the cgroup directory dir into buf (NUL-terminated); its length, or -errno. */
static ssize_t read_at(const char *dir, const char *name, char *buf, size_t size)
{
	char path[CGROUP_PATH_MAX + 64];

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	return sysroot_read(path, buf, size);
}

/*
 * Finds the hierarchy with the memory controller (the v1 one first, else v2
 * when its root offers memory) and notes the machine's swap and swappiness;
 * 0, or -ENOENT when there is none.
 */
int cgroup_hier_open(struct cgroup_hier *h, unsigned long page_size, unsigned long total_swap_pages)
{
	struct cgroup_mounts ms;
	char *buf;
	long v;
	size_t len;
	ssize_t n;
	int err;

	memset(h, 0, sizeof(*h));
	h->page_size = page_size;
	h->total_swap_pages = total_swap_pages;
	h->vm_swappiness = 60;
	if (sysroot_read_long("/proc/sys/vm/swappiness", 0, 200, &v) == 0)
		h->vm_swappiness = (int)v;
	err = sysroot_read_whole("/proc/self/mountinfo", MOUNTINFO_MAX, &buf, &len);
	if (err < 0)
		return err;
	err = cgroup_parse_mountinfo(buf, len, &ms);
	free(buf);
	if (err < 0)
		return err;
	if (ms.v1_memory.version) {
		h->m = ms.v1_memory;
		return 0;
	}
	if (ms.v2.version) {
		char ctl[1024];
		n = read_at(ms.v2.dir, "cgroup.controllers", ctl, sizeof(ctl));
		for (char *tok = n > 0 ? strtok(ctl, " \n") : NULL; tok; tok = strtok(NULL, " \n"))
			if (strcmp(tok, "memory") == 0) {
				h->m = ms.v2;
				return 0;
			}
	}
	return -ENOENT;
}

/* Returns 1 when arg is a directory on a cgroup filesystem (of any hierarchy), else 0. */
int cgroup_other_hierarchy(const char *arg)
{
	struct statfs sfs;
	struct stat st;

	if (stat(arg, &st) < 0 || !S_ISDIR(st.st_mode) || statfs(arg, &sfs) < 0)
		return 0;
	return sfs.f_type == CGROUP_SUPER_MAGIC || sfs.f_type == CGROUP2_SUPER_MAGIC;
}

/*
 * Turns what the user typed (a hierarchy path as /proc/PID/cgroup shows it,
 * or a directory under the mount) into a clean hierarchy path of an existing
 * cgroup; 0, -EINVAL (".."), -EXDEV (outside what the mount shows), -ENOENT
 * (no such cgroup) or -ENAMETOOLONG.
 */
int cgroup_resolve(const struct cgroup_hier *h, const char *arg, char *path, size_t size)
{
	size_t dl = strlen(h->m.dir);
	char tmp[CGROUP_PATH_MAX], dir[CGROUP_PATH_MAX + 2];
	struct stat st;
	int err;

	if (strncmp(arg, h->m.dir, dl) == 0 && (arg[dl] == '/' || arg[dl] == '\0') && strcmp(h->m.dir, "/") != 0) {
		/* a directory under the mount: its hierarchy path is the mount's root plus the rest */
		if (snprintf(tmp, sizeof(tmp), "%s/%s", h->m.root, arg + dl) >= (int)sizeof(tmp))
			return -ENAMETOOLONG;
	} else if (snprintf(tmp, sizeof(tmp), "/%s", arg) >= (int)sizeof(tmp)) {
		return -ENAMETOOLONG;
	}
	err = cgroup_clean_path(tmp, path, size);
	if (err < 0)
		return err;
	err = cgroup_dir(h, path, dir, sizeof(dir));
	if (err < 0)
		return err;
	err = sysroot_stat(dir, &st);
	if (err < 0)
		return err;
	return S_ISDIR(st.st_mode) ? 0 : -ENOENT;
}

/* Writes the directory of the hierarchy path path into dir; 0, -EXDEV or -ENAMETOOLONG. */
int cgroup_dir(const struct cgroup_hier *h, const char *path, char *dir, size_t size)
{
	const char *rel;
	int err = cgroup_rel_to_mount(&h->m, path, &rel), n;

	if (err < 0)
		return err;
	n = *rel ? snprintf(dir, size, "%s/%s", h->m.dir, rel) : snprintf(dir, size, "%s", h->m.dir);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Reads a limit file of dir into *pages (unlimited when the file is absent); 0 or -errno. */
static int read_limit(const struct cgroup_hier *h, const char *dir, const char *name, unsigned long *pages)
{
	char buf[64];
	ssize_t n = read_at(dir, name, buf, sizeof(buf));

	*pages = CGROUP_UNLIMITED(h->page_size);
	if (n == -ENOENT)
		return 0;
	if (n < 0)
		return (int)n;
	return cgroup_parse_limit(buf, (size_t)n, h->page_size, pages);
}

/*
 * Reads the memory settings of the cgroup at path; 0, or -errno
 * (-ENOENT: the cgroup is gone or has no memory files).
 */
int cgroup_read_limits(const struct cgroup_hier *h, const char *path, struct cgroup_limits *l)
{
	char dir[CGROUP_PATH_MAX + 2], buf[1024];
	unsigned long long v;
	unsigned long unlimited = CGROUP_UNLIMITED(h->page_size);
	ssize_t n;
	int err;

	memset(l, 0, sizeof(*l));
	l->max_pages = l->swap_pages = unlimited;
	l->swappiness = h->vm_swappiness;
	err = cgroup_dir(h, path, dir, sizeof(dir));
	if (err < 0)
		return err;
	if (h->m.version == 1) {
		err = read_limit(h, dir, "memory.limit_in_bytes", &l->max_pages);
		if (err == 0)
			err = read_limit(h, dir, "memory.memsw.limit_in_bytes", &l->swap_pages);
		if (err < 0)
			return err;
		/* mem_cgroup_swappiness(): the root uses vm.swappiness, v1 children their own */
		if (strcmp(path, h->m.root) != 0) {
			n = read_at(dir, "memory.swappiness", buf, sizeof(buf));
			if (n > 0 && parse_decimal(buf, (size_t)n, &v) == 0 && v <= 200)
				l->swappiness = (int)v;
		}
		l->limited = l->max_pages < unlimited || l->swap_pages < unlimited;
		n = read_at(dir, "memory.oom_control", buf, sizeof(buf));
		if (n > 0) {
			if (cgroup_parse_keyed(buf, (size_t)n, "oom_kill_disable", &v) == 0)
				l->oom_kill_disable = v != 0;
			if (cgroup_parse_keyed(buf, (size_t)n, "oom_kill", &v) == 0)
				l->oom_kills = v, l->have_oom_kills = true;
		}
		n = read_at(dir, "memory.usage_in_bytes", buf, sizeof(buf));
	} else {
		err = read_limit(h, dir, "memory.max", &l->max_pages);
		if (err == 0)
			err = read_limit(h, dir, "memory.swap.max", &l->swap_pages);
		if (err < 0)
			return err;
		l->limited = l->max_pages < unlimited;
		n = read_at(dir, "memory.oom.group", buf, sizeof(buf));
		l->oom_group = n > 0 && buf[0] == '1';
		n = read_at(dir, "memory.events", buf, sizeof(buf));
		if (n > 0 && cgroup_parse_keyed(buf, (size_t)n, "oom_kill", &v) == 0)
			l->oom_kills = v, l->have_oom_kills = true;
		n = read_at(dir, "memory.current", buf, sizeof(buf));
	}
	if (n > 0 && parse_decimal(buf, (size_t)n, &v) == 0)
		l->usage_pages = (unsigned long)(v / h->page_size);
	return 0;
}

/* Writes the memory hierarchy path of process pid into path; 0 or -errno (-ENOENT: gone). */
int cgroup_of_pid(const struct cgroup_hier *h, pid_t pid, char *path, size_t size)
{
	char file[64], *buf;
	size_t len;
	int err;

	snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
	err = sysroot_read_whole(file, 1UL << 20, &buf, &len);
	if (err < 0)
		return err == -ESRCH ? -ENOENT : err;
	if (len == 0)
		err = -ENOENT; /* a process being reaped */
	else
		err = cgroup_parse_proc(buf, len, h->m.version, path, size);
	free(buf);
	return err;
}

/*
 * Parses cgroup.procs (one pid per line) into a new array the caller frees;
 * 0, or -EINVAL on anything that is not a pid.
 */
int cgroup_parse_pids(const char *buf, size_t len, pid_t **pids, size_t *n)
{
	const char *p = buf, *end = buf + len;
	size_t cap = 16, cnt = 0;
	pid_t *a = xmalloc(cap * sizeof(*a));

	while (p < end) {
		size_t ll = line_len(p, end);
		unsigned long long v;
		if (ll > 0) {
			if (parse_decimal(p, ll, &v) < 0 || v == 0 || v > 0x3fffffff) {
				free(a);
				return -EINVAL;
			}
			if (cnt == cap)
				a = xreallocarray(a, cap *= 2, sizeof(*a));
			a[cnt++] = (pid_t)v;
		}
		p += ll + 1;
	}
	*pids = a;
	*n = cnt;
	return 0;
}

/*
 * Reads the processes of the cgroup at path (not of its children), in the
 * order cgroup.procs lists them; the caller frees *pids.  0 or -errno.
 */
int cgroup_read_procs(const struct cgroup_hier *h, const char *path, pid_t **pids, size_t *n)
{
	char dir[CGROUP_PATH_MAX + 16], *buf;
	size_t len;
	int err = cgroup_dir(h, path, dir, sizeof(dir) - 16);

	if (err < 0)
		return err;
	strcat(dir, "/cgroup.procs");
	err = sysroot_read_whole(dir, PROCS_MAX, &buf, &len);
	if (err < 0)
		return err;
	err = cgroup_parse_pids(buf, len, pids, n);
	free(buf);
	return err;
}

struct child {
	ino_t ino;
	char *name;
};

/* qsort order of children: by kernfs node id, which grows with creation. */
static int cmp_child(const void *a, const void *b)
{
	const struct child *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/*
 * Lists the child cgroups of path in creation order, which is the order of
 * the kernel's css children list (kernel/cgroup/cgroup.c appends a new css
 * with list_add_tail_rcu) and so of its pre-order walk; readdir order is
 * kernfs's name hash, but the inode number is the kernfs node id, which
 * grows with every new node (generation in the upper 32 bits).  The caller
 * frees each name and *names.  0 or -errno.
 */
int cgroup_children(const struct cgroup_hier *h, const char *path, char ***names, size_t *n)
{
	char dir[CGROUP_PATH_MAX + 2];
	struct child *c = NULL;
	size_t cnt = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int fd, err = cgroup_dir(h, path, dir, sizeof(dir));

	if (err < 0)
		return err;
	fd = sysroot_open_dir(dir);
	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		err = oomtop_errno();
		close(fd);
		return err;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		if (de->d_name[0] == '.' || (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (cnt == cap)
			c = xreallocarray(c, cap = cap ? cap * 2 : 8, sizeof(*c));
		c[cnt].ino = st.st_ino;
		c[cnt++].name = xstrdup(de->d_name);
	}
	closedir(d);
	if (cnt > 1)
		qsort(c, cnt, sizeof(*c), cmp_child);
	*names = xcalloc(cnt ? cnt : 1, sizeof(**names));
	for (size_t i = 0; i < cnt; i++)
		(*names)[i] = c[i].name;
	free(c);
	*n = cnt;
	return 0;
}

/* Returns whether the cgroup at path has its own memory controller state (v2: memory.stat is there). */
bool cgroup_has_memory_files(const struct cgroup_hier *h, const char *path)
{
	char dir[CGROUP_PATH_MAX + 16];

	if (h->m.version == 1)
		return true;
	if (cgroup_dir(h, path, dir, sizeof(dir) - 16) < 0)
		return false;
	strcat(dir, "/memory.stat");
	return sysroot_access(dir, F_OK) == 0;
}

/* Returns whether the cgroup at path exists. */
bool cgroup_exists(const struct cgroup_hier *h, const char *path)
{
	char dir[CGROUP_PATH_MAX + 2];

	return cgroup_dir(h, path, dir, sizeof(dir)) == 0 && sysroot_access(dir, F_OK) == 0;
}

/* One level of cgroup_walk(): visits path, then each child in creation order. */
static int walk_node(const struct cgroup_hier *h, const char *path, int depth, int max_depth,
		     int (*visit)(const char *path, int depth, void *arg), void *arg)
{
	char **kids = NULL;
	size_t nkids = 0, i = 0;
	int rc = visit(path, depth, arg);

	if (rc != 0 || depth >= max_depth || cgroup_children(h, path, &kids, &nkids) < 0)
		return rc < 0 ? rc : 0;
	for (; i < nkids && rc >= 0; i++) {
		size_t len = strlen(path) + strlen(kids[i]) + 2;
		char *child = xmalloc(len);
		snprintf(child, len, "%s/%s", strcmp(path, "/") == 0 ? "" : path, kids[i]);
		rc = walk_node(h, child, depth + 1, max_depth, visit, arg);
		free(child);
		free(kids[i]);
	}
	for (; i < nkids; i++)
		free(kids[i]);
	free(kids);
	return rc;
}

/*
 * Visits the cgroup at top and its descendants in the kernel's pre-order
 * (css_next_descendant_pre(): a cgroup, then each child in the order it was
 * created, see cgroup_children()), at most max_depth levels below top.
 * visit(path, depth, arg) returns 0 to go on into the children, 1 to skip
 * them, or a negative errno to stop the walk, which then returns it; else 0.
 * A cgroup removed during the walk is visited without children.
 */
int cgroup_walk(const struct cgroup_hier *h, const char *top, int max_depth,
		int (*visit)(const char *path, int depth, void *arg), void *arg)
{
	return walk_node(h, top, 0, max_depth, visit, arg);
}

/*
 * Visits path and then each of its ancestors up to and including top (or
 * the hierarchy's "/"), innermost first, while they are within top.
 * visit(path, arg) returns 0 to go on, or a negative errno to stop the walk,
 * which then returns it; else 0, or -ENAMETOOLONG for a path too long.
 */
int cgroup_walk_up(const char *path, const char *top, int (*visit)(const char *path, void *arg), void *arg)
{
	char p[CGROUP_PATH_MAX];
	int rc;

	if (strlen(path) >= sizeof(p))
		return -ENAMETOOLONG;
	strcpy(p, path);
	for (;;) {
		char *slash;
		rc = visit(p, arg);
		if (rc < 0 || strcmp(p, top) == 0 || strcmp(p, "/") == 0)
			return rc;
		slash = strrchr(p, '/');
		if (!slash)
			return 0;
		if (slash == p)
			p[1] = '\0';
		else
			*slash = '\0';
		if (!cgroup_path_within(p, top))
			return 0;
	}
}
