/* Reading the kernel ring buffer through /dev/kmsg, one record at a time. */
#ifndef OOMTOP_KMSG_H
#define OOMTOP_KMSG_H

#include <stddef.h>

#define KMSG_PATH "/dev/kmsg"
#define KMSG_RECORD_MAX 16384 /* a record with its dictionary fits (CONSOLE_EXT_LOG_MAX is 8 KiB) */

int kmsg_open(const char *path, int *fd);
int kmsg_read(int fd, char *buf, size_t size, size_t *len);
int kmsg_record_seq(const char *buf, size_t len, unsigned long long *seq);
int kmsg_wait(int fd, int timeout_ms);
int kmsg_boot_usec(long long *out);

#endif
