/*
 * The files of the kill records: the boot id, the --output file (appended,
 * never through a symlink, its last line read back on start) and the
 * --state file (replaced whole by rename, so that it is never half written).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "killrec.h"
#include "sysroot.h"
#include "xalloc.h"

#define SCAN_CHUNK 65536
#define SCAN_MAX (64L << 20) /* a last line longer than this (a huge --tasks table) is not read back */
#define FILE_MODE 0640       /* kill records name processes and users: not for everyone */

/* Reads this boot's id (/proc/sys/kernel/random/boot_id) into buf; 0 or -errno. */
int killfile_boot_id(char *buf, size_t size)
{
	char tmp[64];
	ssize_t n = sysroot_read("/proc/sys/kernel/random/boot_id", tmp, sizeof(tmp) - 1);

	if (n < 0)
		return (int)n;
	while (n > 0 && (tmp[n - 1] == '\n' || tmp[n - 1] == ' '))
		n--;
	if (!killrec_boot_id_ok(tmp, (size_t)n) || (size_t)n >= size)
		return -EINVAL;
	memcpy(buf, tmp, (size_t)n);
	buf[n] = '\0';
	return 0;
}

/* Writes all of buf at the file's end (O_APPEND); 0 or -errno. */
int killfile_append(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Appends one line and syncs it; a line only partly written (a full disk)
 * is cut off again, so that the file never holds half a record.  0 or -errno.
 */
int killfile_append_line(int fd, const char *buf, size_t len)
{
	struct stat st;
	int err;

	if (fstat(fd, &st) < 0)
		return -errno;
	err = killfile_append(fd, buf, len);
	if (err == 0 && fdatasync(fd) < 0)
		err = -errno;
	if (err < 0 && ftruncate(fd, st.st_size) < 0)
		return err; /* not cut either: killfile_open_output() ends the line at the next start */
	return err;
}

/*
 * Opens (creating, mode 0640) the --output file for appending, refusing a
 * symlink (a root daemon must not be pointed at /etc/shadow) and anything
 * but a regular file; a last line cut short (a full disk, a crash) gets its
 * newline, so the next record starts a line of its own.  0 or -errno.
 */
int killfile_open_output(const char *path, int *fd)
{
	struct stat st;
	char last;
	int f = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK, FILE_MODE);
	int err;

	if (f < 0)
		return errno == ELOOP ? -ELOOP : -errno;
	if (fstat(f, &st) < 0) {
		err = -errno;
		close(f);
		return err;
	}
	if (!S_ISREG(st.st_mode)) {
		close(f);
		return -EINVAL;
	}
	if (st.st_size > 0 && pread(f, &last, 1, st.st_size - 1) == 1 && last != '\n') {
		err = killfile_append(f, "\n", 1);
		if (err < 0) {
			close(f);
			return err;
		}
	}
	*fd = f;
	return 0;
}

/*
 * Finds where the line that ends (with its '\n') at end starts, reading
 * back through buf at most *budget bytes (taken off it); 0 or -errno
 * (-EFBIG: the budget ran out).
 */
static int line_start(int fd, off_t end, off_t *start, char *buf, off_t *budget)
{
	off_t at = end - 1; /* the line's own '\n' */

	while (at > 0) {
		off_t from = at > SCAN_CHUNK ? at - SCAN_CHUNK : 0;
		ssize_t n;
		char *nl;
		if (at - from > *budget)
			return -EFBIG;
		*budget -= at - from;
		n = pread(fd, buf, (size_t)(at - from), from);
		if (n != at - from)
			return n < 0 ? -errno : -EIO;
		nl = memrchr(buf, '\n', (size_t)n);
		if (nl) {
			*start = from + (nl - buf) + 1;
			return 0;
		}
		at = from;
	}
	*start = 0;
	return 0;
}

/*
 * Reads the position of the last record line of the --output file open at
 * fd, going back over lines that hold none (one cut short by a full disk)
 * as far as SCAN_MAX bytes; 0, -ENOENT when there is none, or another -errno.
 */
int killfile_last_pos(int fd, struct killrec_pos *pos)
{
	struct stat st;
	char *buf, head[KILLREC_HEAD];
	off_t end, start = 0, budget = SCAN_MAX;
	int err = -ENOENT;

	if (fstat(fd, &st) < 0)
		return -errno;
	end = st.st_size;
	/* killfile_open_output() ended the file with '\n': anything else is not a record of ours */
	if (end <= 1 || pread(fd, head, 1, end - 1) != 1 || head[0] != '\n')
		return -ENOENT;
	buf = xmalloc(SCAN_CHUNK);
	while (end > 0 && err == -ENOENT) {
		ssize_t n;
		err = line_start(fd, end, &start, buf, &budget);
		if (err < 0)
			break;
		n = pread(fd, head, (size_t)(end - start) < sizeof(head) ? (size_t)(end - start) : sizeof(head), start);
		err = n < 0 ? -errno : killrec_parse_line(head, (size_t)n, pos);
		end = start;
	}
	free(buf);
	return err;
}

/* Reads the --state file; 0, -ENOENT when there is none, -EINVAL when it is not one, or -errno. */
int killfile_read_state(const char *path, struct killrec_pos *pos)
{
	char buf[KILLREC_STATE_MAX + 1];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK), err = 0;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	if (n < 0)
		err = -errno;
	else if (n > KILLREC_STATE_MAX)
		err = -EINVAL;
	else
		err = killrec_parse_state(buf, (size_t)n, pos);
	close(fd);
	return err;
}

/*
 * Replaces the --state file with pos: written to PATH.tmp, synced, renamed
 * over it and the folder synced, so that after a crash it holds the old
 * position or the new one, never part of one.  0 or -errno.
 */
int killfile_write_state(const char *path, const struct killrec_pos *pos)
{
	struct strbuf text = STRBUF_INIT, tmp = STRBUF_INIT;
	char *dir = xstrdup(path);
	int fd, err = 0;

	killrec_format_state(&text, pos);
	sb_addf(&tmp, "%s.tmp", path);
	fd = open(sb_str(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, FILE_MODE);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	err = killfile_append(fd, sb_str(&text), text.len);
	if (err == 0 && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && err == 0)
		err = -errno;
	if (err == 0 && rename(sb_str(&tmp), path) < 0)
		err = -errno;
	if (err < 0) {
		unlink(sb_str(&tmp));
		goto out;
	}
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
out:
	free(dir);
	sb_free(&text);
	sb_free(&tmp);
	return err;
}
