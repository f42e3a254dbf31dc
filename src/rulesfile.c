/* Reading a rules file from disk: what may be read, and the whole file parsed before it is used. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rulesfile.h"
#include "xalloc.h"

/* Checks what fd (path) is before a byte is read; 0, or -errno with the reason in err. */
static int check_file(int fd, const char *path, struct strbuf *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		sb_addf(err, "%s is not a regular file", path);
		return -EINVAL;
	}
	if (st.st_size > (off_t)RULES_MAX_BYTES) {
		sb_addf(err, "%s: larger than %lu bytes, not a rules file", path, RULES_MAX_BYTES);
		return -EFBIG;
	}
	/* whoever can write the file decides which processes the OOM killer spares */
	if (geteuid() == 0 && (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))) {
		sb_addf(err,
			"%s: owned by uid %lu with mode %04o: run as root, the rules file must belong to root "
			"and be writable by no one else (chown root %s; chmod go-w %s)",
			path, (unsigned long)st.st_uid, (unsigned)(st.st_mode & 07777), path, path);
		return -EPERM;
	}
	return 0;
}

/*
 * Reads the rules file into *text (the caller frees it) and its length into
 * *len: only a regular file of at most RULES_MAX_BYTES, and run as root only
 * one that is root's and writable by no one else.  The open never waits (a
 * FIFO is refused, not waited on).  0, or -errno with the reason in err.
 */
int rulesfile_read(const char *path, char **text, size_t *len, struct strbuf *err)
{
	size_t cap = 4096, got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	char *buf;
	int e;

	if (fd < 0) {
		e = errno;
		sb_addf(err, "cannot read %s: %s", path, strerror(e));
		return -e;
	}
	e = check_file(fd, path, err);
	if (e < 0) {
		close(fd);
		return e;
	}
	buf = xmalloc(cap);
	for (;;) {
		ssize_t n;
		if (got == cap) {
			/* one byte past the limit tells a file of exactly RULES_MAX_BYTES from a longer one */
			if (cap > RULES_MAX_BYTES) {
				sb_addf(err, "%s: larger than %lu bytes, not a rules file", path, RULES_MAX_BYTES);
				e = -EFBIG;
				break;
			}
			cap = cap * 2 > RULES_MAX_BYTES ? RULES_MAX_BYTES + 1 : cap * 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = -errno;
			sb_addf(err, "cannot read %s: %s", path, strerror(-e));
			break;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (e < 0) {
		free(buf);
		return e;
	}
	*text = buf;
	*len = got;
	return 0;
}
