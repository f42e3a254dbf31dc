/*
 * The root directory that /proc and /sys/fs/cgroup are read through.  The
 * shipped binary never calls sysroot_set(): it reads the real "/", and its
 * /proc must be a procfs (the writer relies on that: a /proc/PID
 * directory pins a process only on procfs).  A fixture tree is a plain
 * directory, so the check applies to the real root only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "oomtop.h"
#include "proc.h"
#include "sysroot.h"
#include "xalloc.h"

static int root_fd = -1; /* O_PATH descriptor of the root, opened on first use */
static int proc_fd = -1; /* its proc directory, checked once */
static bool root_is_real = true;
static const char *root_dir = "/";
static bool release_hidden; /* a test hid the kernel release (sysroot_hide_release()) */

/* Closes the cached descriptors, so that the next use opens them again. */
static void sysroot_close(void)
{
	if (proc_fd >= 0)
		close(proc_fd);
	if (root_fd >= 0)
		close(root_fd);
	proc_fd = root_fd = -1;
}

/*
 * Makes dir the root of every later read (NULL: the real "/" again); for
 * the unit tests only.  0, or -errno when dir is not a directory.
 */
int sysroot_set(const char *dir)
{
	static char *owned;
	int fd = -1;

	if (dir) {
		fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return oomtop_errno();
	}
	sysroot_close();
	free(owned);
	owned = dir ? xstrdup(dir) : NULL;
	root_dir = dir ? owned : "/";
	root_is_real = !dir;
	root_fd = fd;
	release_hidden = false;
	return 0;
}

/*
 * Hides the kernel release from sysroot_release() until the next
 * sysroot_set(), so that a test sees what oomtop makes of the numbers
 * alone; for the unit tests only.
 */
void sysroot_hide_release(void)
{
	release_hidden = true;
}

/*
 * Copies the release of the kernel the root's processes run under into buf
 * (size > 0): the root's /proc/sys/kernel/osrelease, which on the machine
 * is uname -r and in a fixture names the kernel it stands for.  0, or
 * -errno (-ENOENT when a test hid it); buf is then "".
 */
int sysroot_release(char *buf, size_t size)
{
	ssize_t n;

	buf[0] = '\0';
	if (release_hidden)
		return -ENOENT;
	n = sysroot_read("/proc/sys/kernel/osrelease", buf, size);
	if (n < 0)
		return (int)n;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Returns whether reads go to the machine's own "/" (not a fixture tree). */
bool sysroot_is_real(void)
{
	return root_is_real;
}

/* Returns the root's descriptor (borrowed), opening it on first use; or -errno. */
static int root(void)
{
	if (root_fd < 0) {
		root_fd = open(root_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root_fd < 0)
			return oomtop_errno();
	}
	return root_fd;
}

/* Returns path relative to the root: without its leading slashes ("." for the root itself). */
static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

/*
 * Returns the descriptor of the root's /proc (borrowed: the caller does not
 * close it), opened once; on the real root it must be a procfs.  Returns
 * -ENODEV when it is not, or -errno.
 */
int sysroot_proc_fd(void)
{
	struct statfs sfs;
	int r = root();

	if (proc_fd >= 0 || r < 0)
		return proc_fd >= 0 ? proc_fd : r;
	proc_fd = openat(r, "proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (proc_fd < 0)
		return oomtop_errno();
	if (root_is_real && (fstatfs(proc_fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)) {
		close(proc_fd);
		proc_fd = -1;
		return -ENODEV;
	}
	return proc_fd;
}

/* Opens path below the root with flags (O_CLOEXEC added); a new descriptor, or -errno. */
int sysroot_open(const char *path, int flags)
{
	int r = root(), fd;

	if (r < 0)
		return r;
	fd = openat(r, rel(path), flags | O_CLOEXEC);
	if (fd < 0)
		return oomtop_errno();
	return fd;
}

/* Opens the directory path below the root for reading; a new descriptor, or -errno. */
int sysroot_open_dir(const char *path)
{
	return sysroot_open(path, O_RDONLY | O_DIRECTORY);
}

/* Checks path below the root as access(2) does; 0 or -errno. */
int sysroot_access(const char *path, int mode)
{
	int r = root();

	if (r < 0)
		return r;
	return faccessat(r, rel(path), mode, 0) < 0 ? oomtop_errno() : 0;
}

/* Reads the status of path below the root as stat(2) does; 0 or -errno. */
int sysroot_stat(const char *path, struct stat *st)
{
	int r = root();

	if (r < 0)
		return r;
	return fstatat(r, rel(path), st, 0) < 0 ? oomtop_errno() : 0;
}

/*
 * Reads the small file name below dirfd into buf, at most size - 1 bytes,
 * and ends it with a NUL; returns its length or -errno.  The files read
 * this way (seq_file single_open, simple_read_from_buffer, kernfs) hand out
 * all they have in one read: a short read is the end, and skipping the
 * read that returns 0 saves a quarter of the scan's system calls (procps
 * file2str() stops the same way).  A regular file of a fixture tree is
 * short only at its end too.
 */
ssize_t sysroot_read_at(int dirfd, const char *name, char *buf, size_t size)
{
	size_t got = 0;
	int fd;

	if (size == 0)
		return -EINVAL;
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return oomtop_errno();
	while (got + 1 < size) {
		ssize_t n = read(fd, buf + got, size - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = oomtop_errno();
			close(fd);
			return e;
		}
		got += (size_t)n;
		if (n == 0 || got + 1 < size)
			break;
	}
	close(fd);
	buf[got] = '\0';
	return (ssize_t)got;
}

/* Reads the small file path below the root as sysroot_read_at(); its length or -errno. */
ssize_t sysroot_read(const char *path, char *buf, size_t size)
{
	int r = root();

	return r < 0 ? r : sysroot_read_at(r, rel(path), buf, size);
}

/*
 * Reads the whole file name below dirfd, at most limit bytes (the rest is
 * cut), into a new NUL-terminated buffer (*buf, the caller frees it) of
 * *len bytes; 0 or -errno.  It reads until the end: cgroup.procs and
 * mountinfo are seq_files of many records that a read may end early.
 */
int sysroot_read_whole_at(int dirfd, const char *name, size_t limit, char **buf, size_t *len)
{
	size_t cap = limit < 4096 ? limit + 1 : 4096, got = 0;
	char *b;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return oomtop_errno();
	b = xmalloc(cap);
	for (;;) {
		ssize_t n;
		if (got == limit)
			break;
		if (got + 1 >= cap) {
			cap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
			b = xrealloc(b, cap);
		}
		n = read(fd, b + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = oomtop_errno();
			close(fd);
			free(b);
			return e;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	b[got] = '\0';
	*buf = b;
	*len = got;
	return 0;
}

/* Reads the whole file path below the root as sysroot_read_whole_at(); 0 or -errno. */
int sysroot_read_whole(const char *path, size_t limit, char **buf, size_t *len)
{
	int r = root();

	return r < 0 ? r : sysroot_read_whole_at(r, rel(path), limit, buf, len);
}

/* Reads a file that holds one decimal number (a sysctl) into *out, in [min, max]; 0 or -errno. */
int sysroot_read_long(const char *path, long min, long max, long *out)
{
	char buf[32];
	ssize_t n = sysroot_read(path, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	return proc_parse_long(buf, (size_t)n, min, max, out);
}
