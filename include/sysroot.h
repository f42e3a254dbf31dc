/*
 * The one root every reader opens /proc and /sys/fs/cgroup through: the
 * real "/" normally, a fixture tree in the unit tests (sysroot_set()), as
 * util-linux's ul_path_set_prefix() and earlyoom's procdir_path do.  Paths
 * are written as on the machine ("/proc/self/mountinfo"); the leading slash
 * names the root.  The small readers bound what they read and return its
 * length, 0 or -errno.
 */
#ifndef OOMTOP_SYSROOT_H
#define OOMTOP_SYSROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0 /* include/uapi/linux/magic.h */
#endif
#ifndef PF_KTHREAD
#define PF_KTHREAD 0x00200000UL /* include/linux/sched.h */
#endif
#define CMDLINE_MAX (2UL << 20)    /* ARG_MAX-sized; a longer command line is cut */
#define MOUNTINFO_MAX (16UL << 20) /* a mount table longer than this is cut */

struct stat;

int sysroot_set(const char *dir);
bool sysroot_is_real(void);
void sysroot_hide_release(void);
int sysroot_release(char *buf, size_t size);
int sysroot_proc_fd(void);
int sysroot_open(const char *path, int flags);
int sysroot_open_dir(const char *path);
int sysroot_access(const char *path, int mode);
int sysroot_stat(const char *path, struct stat *st);
ssize_t sysroot_read_at(int dirfd, const char *name, char *buf, size_t size);
ssize_t sysroot_read(const char *path, char *buf, size_t size);
int sysroot_read_whole_at(int dirfd, const char *name, size_t limit, char **buf, size_t *len);
int sysroot_read_whole(const char *path, size_t limit, char **buf, size_t *len);
int sysroot_read_long(const char *path, long min, long max, long *out);

#endif
