/*
 * Systemd units on disk: what a unit's file and drop-ins declare, read as
 * the system manager reads them (src/core/load-dropin.c and
 * src/shared/dropin.c unit_file_find_dropin_paths(): every directory of the
 * search path, the unit's own NAME.d/, its template's and its dash
 * prefixes' ("foo-.service.d/"), and the type's "service.d/"; a drop-in's
 * file name seen first masks the same name further down the path, and all
 * of them are read in the order of their file names), and the drop-in
 * `protect --persist` writes, by a rename in its directory.
 *
 * The root is the sysroot (a fixture tree in the unit tests), or, for the
 * integration tests only, the directory OOMTOP_UNIT_ROOT names.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oomtop.h"
#include "sysroot.h"
#include "units.h"
#include "xalloc.h"

/* The system manager's search path, highest priority first (systemd.unit(5), lookup_paths_init()). */
static const char *const search_path[] = {
	"etc/systemd/system.control", "run/systemd/system.control",
	"run/systemd/transient",      "run/systemd/generator.early",
	"etc/systemd/system",         "etc/systemd/system.attached",
	"run/systemd/system",         "run/systemd/system.attached",
	"run/systemd/generator",      "usr/local/lib/systemd/system",
	"usr/lib/systemd/system",     "lib/systemd/system",
	"run/systemd/generator.late", NULL,
};

#define NAMES_MAX 16 /* the unit, its template, its prefixes (each dash), the type */

/* One drop-in found: its file name and where. */
struct dropin {
	char name[256];
	char path[UNITS_PATH_MAX];
};

/* Opens the root the unit files are read and written below; a new O_PATH descriptor or -errno. */
static int units_root(void)
{
	const char *env = getenv(UNITS_ROOT_ENV);
	int fd;

	if (env && *env) {
		fd = open(env, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return oomtop_errno();
		return fd;
	}
	return sysroot_open("/", O_PATH | O_DIRECTORY);
}

/*
 * Lists the names whose NAME.d/ directories hold drop-ins of unit, in
 * systemd's order (unit_file_find_dirs()): the unit, its template, then
 * each dash prefix ("a-b-c.service": "a-b-.service", "a-.service") with its
 * own template, and the type's top-level "service" (its directory is
 * "service.d").  Returns how many.
 */
static size_t dropin_names(const char *unit, char names[][256], size_t max)
{
	const char *dot = strrchr(unit, '.'), *at = strchr(unit, '@');
	char prefix[256];
	size_t n = 0, plen;

	if (!dot || max == 0)
		return 0;
	snprintf(names[n++], 256, "%s", unit);
	if (n < max && units_template(unit, names[n], 256) == 0)
		n++;
	/* the prefix: before the instance, else before the type */
	plen = (size_t)((at && at < dot ? at : dot) - unit);
	if (plen >= sizeof(prefix))
		return n;
	memcpy(prefix, unit, plen);
	prefix[plen] = '\0';
	/* a trailing dash is chopped once ("a-b-.service" is itself a prefix name, of "a-.service") */
	if (plen && prefix[plen - 1] == '-')
		prefix[--plen] = '\0';
	for (;;) {
		char *dash = strrchr(prefix, '-');
		if (!dash || dash == prefix || n >= max)
			break;
		dash[1] = '\0';
		if (at && at < dot) {
			int len = snprintf(names[n], 256, "%s%s", prefix, at); /* "a-@i.service" */
			if (len < 0 || len >= 256)
				break;
			n++;
			if (n < max && units_template(names[n - 1], names[n], 256) == 0)
				n++;
		} else {
			snprintf(names[n++], 256, "%s%s", prefix, dot);
		}
		*dash = '\0';
	}
	if (n < max)
		snprintf(names[n++], 256, "%s", dot + 1); /* "service": service.d/ */
	return n;
}

/* Orders drop-ins by file name, as conf_files_list() does. */
static int cmp_dropin(const void *a, const void *b)
{
	return strcmp(((const struct dropin *)a)->name, ((const struct dropin *)b)->name);
}

/* Adds the *.conf files of the directory dir (relative to root) not seen yet; returns the new count. */
static size_t add_dropins(int root, const char *dir, struct dropin *v, size_t n)
{
	int fd = openat(root, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *d;

	if (fd < 0)
		return n;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return n;
	}
	while ((de = readdir(d)) && n < UNITS_DROPINS_MAX) {
		size_t len = strlen(de->d_name);
		bool seen = false;
		if (len < 6 || len >= sizeof(v[0].name) || strcmp(de->d_name + len - 5, ".conf") != 0 ||
		    de->d_name[0] == '.')
			continue;
		for (size_t i = 0; i < n && !seen; i++)
			seen = strcmp(v[i].name, de->d_name) == 0;
		if (seen)
			continue; /* masked by the same name higher on the path */
		memcpy(v[n].name, de->d_name, len + 1);
		if ((size_t)snprintf(v[n].path, sizeof(v[n].path), "/%s/%s", dir, de->d_name) >= sizeof(v[n].path))
			continue;
		n++;
	}
	closedir(d);
	return n;
}

/*
 * Reads the file at path (below root, "/..." as on the machine) for the
 * last OOMScoreAdjust= of [Service] and applies it to d.  A link to
 * /dev/null or an empty file contributes nothing; a link elsewhere is
 * followed below the root.  0, or -errno when it cannot be read.
 */
static int read_one(int root, const char *path, struct units_decl *d)
{
	char target[UNITS_PATH_MAX], *buf;
	const char *rel = path + 1;
	struct units_assign a;
	ssize_t n;
	size_t len;
	int err;

	n = readlinkat(root, rel, target, sizeof(target) - 1);
	if (n > 0) {
		target[n] = '\0';
		if (strcmp(target, "/dev/null") == 0)
			return 0;
		if (target[0] == '/') {
			rel = target + 1; /* an absolute link means the root's file, not the machine's */
			while (*rel == '/')
				rel++;
		}
	}
	err = sysroot_read_whole_at(root, rel, UNITS_FILE_MAX, &buf, &len);
	if (err < 0)
		return err;
	err = units_parse(buf, len, "Service", "OOMScoreAdjust", &a);
	free(buf);
	if (err < 0)
		return err;
	if (a.seen) {
		d->have_adj = a.set;
		d->adj = a.value;
		snprintf(d->adj_file, sizeof(d->adj_file), "%s", path);
		d->adj_line = a.line;
	}
	return 0;
}

/*
 * Finds what unit declares for OOMScoreAdjust=: its unit file (the first
 * on the search path, else its template's), then every drop-in in file
 * name order, the last assignment winning.  Fills *d; 0, -EINVAL for a
 * name that is not a unit's, or -errno when the root cannot be opened.
 * Nothing found is not an error (d->found is false).
 */
int units_declared(const char *unit, struct units_decl *d)
{
	char names[NAMES_MAX][256], path[UNITS_PATH_MAX], tmpl[256];
	struct dropin *drops;
	struct stat st;
	size_t nnames, ndrops = 0;
	int root;

	memset(d, 0, sizeof(*d));
	if (!units_name_valid(unit))
		return -EINVAL;
	root = units_root();
	if (root < 0)
		return root;
	for (int pass = 0; pass < 2 && !d->unit_file[0]; pass++) {
		const char *name = unit;
		if (pass == 1) {
			if (units_template(unit, tmpl, sizeof(tmpl)) < 0)
				break;
			name = tmpl;
		}
		for (size_t i = 0; search_path[i]; i++) {
			int len = snprintf(d->unit_file, sizeof(d->unit_file), "/%s/%s", search_path[i], name);
			if (len < 0 || (size_t)len >= sizeof(d->unit_file) ||
			    fstatat(root, d->unit_file + 1, &st, AT_SYMLINK_NOFOLLOW) < 0) {
				d->unit_file[0] = '\0';
				continue;
			}
			memcpy(path, d->unit_file + 1, strlen(d->unit_file));
			d->found = true;
			if (S_ISLNK(st.st_mode)) {
				char target[16];
				ssize_t n = readlinkat(root, path, target, sizeof(target) - 1);
				d->masked = n == 9 && memcmp(target, "/dev/null", 9) == 0;
			} else {
				d->masked = S_ISREG(st.st_mode) && st.st_size == 0;
			}
			break;
		}
	}
	/* OOMScoreAdjust= is an execution setting (systemd.exec(5)): of the units oomtop meets, only a service has one
	 */
	if (strcmp(strrchr(unit, '.'), ".service") != 0) {
		close(root);
		return 0;
	}
	if (d->unit_file[0] && !d->masked)
		read_one(root, d->unit_file, d);

	drops = xcalloc(UNITS_DROPINS_MAX, sizeof(*drops));
	nnames = dropin_names(unit, names, NAMES_MAX);
	for (size_t i = 0; search_path[i]; i++)
		for (size_t k = 0; k < nnames; k++) {
			snprintf(path, sizeof(path), "%s/%s.d", search_path[i], names[k]);
			ndrops = add_dropins(root, path, drops, ndrops);
		}
	qsort(drops, ndrops, sizeof(*drops), cmp_dropin);
	for (size_t i = 0; i < ndrops && !d->masked; i++)
		if (read_one(root, drops[i].path, d) == 0)
			d->ndropins++;
	d->found |= ndrops > 0;
	free(drops);
	close(root);
	return 0;
}

/* Opens the directory name below dirfd, refusing a link; a new descriptor or -errno (-ELOOP: a link). */
static int open_dir_nofollow(int dirfd, const char *name)
{
	struct stat st;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return oomtop_errno();
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return oomtop_errno();
	return fd;
}

/* Tells whether a directory may be written into safely: owned by root or oomtop's user, writable by no one else. */
static bool dir_safe(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && !(st.st_mode & (S_IWGRP | S_IWOTH)) && (st.st_uid == 0 || st.st_uid == geteuid());
}

/*
 * Writes the drop-in that sets OOMScoreAdjust=adj for unit:
 * /etc/systemd/system/UNIT.d/50-oomtop.conf below the root, created 0644
 * as a temporary file in that directory and renamed over the old one (a
 * reader sees the old file or the new one, and systemd reads only *.conf:
 * never the temporary ".50-oomtop.conf.PID"); /etc/systemd/system and
 * UNIT.d must be directories, not links, writable only by their owner
 * (root or oomtop's user).  A drop-in that already holds the same text is
 * not written again.  With dry_run nothing is created.  Sets *what;
 * returns 0, or -errno with the reason in err.
 */
int units_write_dropin(const char *unit, int adj, bool dry_run, enum units_write *what, struct strbuf *err)
{
	static const char *const parts[] = { "etc", "systemd", "system" };
	static const char *const paths[] = { "/etc", "/etc/systemd", "/etc/systemd/system" };
	struct strbuf text = STRBUF_INIT;
	char dname[300], tmp[64], *old = NULL;
	size_t oldlen = 0;
	int root, dir = -1, fd = -1, rc = 0;

	if (!units_name_valid(unit)) {
		sb_addf(err, "'%s' is not a unit name", unit);
		return -EINVAL;
	}
	units_dropin_text(&text, adj);
	root = units_root();
	if (root < 0) {
		sb_addf(err, "cannot open the root: %s", strerror(-root));
		sb_free(&text);
		return root;
	}
	dir = root;
	for (size_t i = 0; i < 3; i++) {
		int next = open_dir_nofollow(dir, parts[i]);
		if (dir != root)
			close(dir);
		dir = next;
		if (dir >= 0 && !dir_safe(dir)) {
			rc = -EPERM;
			sb_addf(err, "%s: writable by others, or owned by another user: refused", paths[i]);
			goto out;
		}
		if (dir < 0) {
			rc = dir;
			sb_addf(err, "/etc/systemd/system: %s",
				rc == -ELOOP    ? "a symbolic link in its path: refused"
				: rc == -ENOENT ? "no such directory (is systemd the service manager here?)"
						: strerror(-rc));
			goto out;
		}
	}
	snprintf(dname, sizeof(dname), "%s.d", unit);
	fd = open_dir_nofollow(dir, dname);
	if (fd == -ENOENT && !dry_run) {
		if (mkdirat(dir, dname, 0755) < 0 && errno != EEXIST) {
			rc = oomtop_errno();
			sb_addf(err, "cannot create /etc/systemd/system/%s: %s%s", dname, strerror(-rc),
				rc == -EACCES ? " (run as root)" : "");
			goto out;
		}
		fd = open_dir_nofollow(dir, dname);
	}
	if (fd == -ENOENT && dry_run) {
		*what = UNITS_WOULD_WRITE;
		goto out;
	}
	if (fd < 0) {
		rc = fd;
		fd = -1;
		sb_addf(err, "/etc/systemd/system/%s: %s", dname,
			rc == -ELOOP ? "a symbolic link, not a directory: refused" : strerror(-rc));
		goto out;
	}
	close(dir);
	dir = fd;
	fd = -1;
	if (!dir_safe(dir)) {
		rc = -EPERM;
		sb_addf(err, "/etc/systemd/system/%s is writable by others, or owned by another user: refused", dname);
		goto out;
	}
	if (sysroot_read_whole_at(dir, UNITS_DROPIN_NAME, UNITS_FILE_MAX, &old, &oldlen) == 0 && oldlen == text.len &&
	    memcmp(old, text.buf, text.len) == 0) {
		*what = UNITS_UNCHANGED;
		goto out;
	}
	if (dry_run) {
		*what = UNITS_WOULD_WRITE;
		goto out;
	}
	snprintf(tmp, sizeof(tmp), "." UNITS_DROPIN_NAME ".%d", (int)getpid());
	unlinkat(dir, tmp, 0); /* one left by a run that died with this pid: the directory is ours alone */
	fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = oomtop_errno();
		sb_addf(err, "cannot create /etc/systemd/system/%s/%s: %s%s", dname, tmp, strerror(-rc),
			rc == -EACCES ? " (run as root)" : "");
		goto out;
	}
	if (fchmod(fd, 0644) < 0 || write(fd, text.buf, text.len) != (ssize_t)text.len || fsync(fd) < 0) {
		rc = oomtop_errno();
		sb_addf(err, "cannot write /etc/systemd/system/%s/%s: %s", dname, tmp, strerror(-rc));
		unlinkat(dir, tmp, 0);
		goto out;
	}
	if (close(fd) < 0 || renameat(dir, tmp, dir, UNITS_DROPIN_NAME) < 0) {
		fd = -1;
		rc = oomtop_errno();
		sb_addf(err, "cannot put /etc/systemd/system/%s/" UNITS_DROPIN_NAME " in place: %s", dname,
			strerror(-rc));
		unlinkat(dir, tmp, 0);
		goto out;
	}
	fd = -1;
	fsync(dir); /* the rename itself, on disk */
	*what = UNITS_WRITTEN;
out:
	if (fd >= 0)
		close(fd);
	if (dir >= 0 && dir != root)
		close(dir);
	close(root);
	free(old);
	sb_free(&text);
	return rc;
}
