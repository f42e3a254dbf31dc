/*
 * The kernel's process events connector (NETLINK_CONNECTOR, CN_IDX_PROC,
 * drivers/connector/cn_proc.c): a message for every fork, exec, uid change,
 * comm change and exit, as it happens.  Needs CAP_NET_ADMIN, and events are
 * only sent to listeners in the initial PID and user namespaces.
 */
#ifndef OOMTOP_PROCEV_H
#define OOMTOP_PROCEV_H

#include <stddef.h>
#include <sys/types.h>

#define PROCEV_RCVBUF (8 << 20) /* socket buffer asked for: ~100,000 events */

enum procev_kind {
	PROCEV_NONE, /* the subscription's acknowledgement, or an event oomtop does not use */
	PROCEV_FORK,
	PROCEV_EXEC,
	PROCEV_UID,
	PROCEV_COMM,
	PROCEV_EXIT,
};

/* One event, reduced to what the rules need. */
struct procev {
	enum procev_kind kind;
	pid_t pid;    /* the thread the event is about (the child, for a fork) */
	pid_t tgid;   /* its process */
	pid_t parent; /* for a fork: the parent's process */
};

int procev_parse(const void *buf, size_t len, struct procev *ev, size_t max, size_t *n);
int procev_open(int size, int *fd_out, int *rcvbuf_out);
int procev_filter(int fd);
int procev_read(int fd, void *buf, size_t size, struct procev *ev, size_t max, size_t *n);

#endif
