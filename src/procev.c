/*
 * The process events connector: subscribing, and reading its messages with
 * every length checked, from the kernel only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "procev.h"

/* The first bytes of every proc_event: what, cpu, timestamp. */
#define EVENT_HEAD offsetof(struct proc_event, event_data)

/* Decodes one proc_event of len bytes into *ev; 0, or -EINVAL when it is too short for its kind. */
static int decode_event(const unsigned char *data, size_t len, struct procev *ev)
{
	struct proc_event pe;
	size_t need;

	memset(ev, 0, sizeof(*ev));
	if (len < EVENT_HEAD)
		return -EINVAL;
	memset(&pe, 0, sizeof(pe));
	memcpy(&pe, data, len < sizeof(pe) ? len : sizeof(pe));
	switch (pe.what) {
	case PROC_EVENT_FORK:
		need = sizeof(pe.event_data.fork);
		ev->kind = PROCEV_FORK;
		ev->pid = pe.event_data.fork.child_pid;
		ev->tgid = pe.event_data.fork.child_tgid;
		ev->parent = pe.event_data.fork.parent_tgid;
		break;
	case PROC_EVENT_EXEC:
		need = sizeof(pe.event_data.exec);
		ev->kind = PROCEV_EXEC;
		ev->pid = pe.event_data.exec.process_pid;
		ev->tgid = pe.event_data.exec.process_tgid;
		break;
	case PROC_EVENT_UID:
		need = sizeof(pe.event_data.id);
		ev->kind = PROCEV_UID;
		ev->pid = pe.event_data.id.process_pid;
		ev->tgid = pe.event_data.id.process_tgid;
		break;
	case PROC_EVENT_COMM:
		need = offsetof(struct comm_proc_event, comm);
		ev->kind = PROCEV_COMM;
		ev->pid = pe.event_data.comm.process_pid;
		ev->tgid = pe.event_data.comm.process_tgid;
		break;
	case PROC_EVENT_EXIT:
		need = offsetof(struct exit_proc_event, exit_code);
		ev->kind = PROCEV_EXIT;
		ev->pid = pe.event_data.exit.process_pid;
		ev->tgid = pe.event_data.exit.process_tgid;
		break;
	default:
		return 0; /* the acknowledgement, and events the rules do not need */
	}
	if (len < EVENT_HEAD + need || ev->pid <= 0 || ev->tgid <= 0) {
		memset(ev, 0, sizeof(*ev));
		return -EINVAL;
	}
	return 0;
}

/*
 * Parses one datagram of the connector: netlink messages, each holding a
 * cn_msg of the proc connector holding a proc_event.  Stores up to max
 * events in ev (kind PROCEV_NONE ones are left out) and their count in *n;
 * returns 0, or -EINVAL at the first message whose lengths do not add up
 * (the events before it are kept).  Pure.
 */
int procev_parse(const void *buf, size_t len, struct procev *ev, size_t max, size_t *n)
{
	const unsigned char *p = buf;
	size_t off = 0;

	*n = 0;
	while (len - off >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr nh;
		struct cn_msg cn;
		size_t msg_len;

		memcpy(&nh, p + off, sizeof(nh));
		msg_len = nh.nlmsg_len;
		if (msg_len < NLMSG_HDRLEN || msg_len > len - off)
			return -EINVAL;
		/* the connector sends each message as NLMSG_DONE (drivers/connector/connector.c) */
		if (nh.nlmsg_type == NLMSG_DONE && msg_len - NLMSG_HDRLEN >= sizeof(cn)) {
			memcpy(&cn, p + off + NLMSG_HDRLEN, sizeof(cn));
			if (cn.len > msg_len - NLMSG_HDRLEN - sizeof(cn))
				return -EINVAL;
			if (cn.id.idx == CN_IDX_PROC && cn.id.val == CN_VAL_PROC && *n < max) {
				struct procev e;
				if (decode_event(p + off + NLMSG_HDRLEN + sizeof(cn), cn.len, &e) < 0)
					return -EINVAL;
				if (e.kind != PROCEV_NONE)
					ev[(*n)++] = e;
			}
		}
		off += NLMSG_ALIGN(msg_len);
		if (off > len)
			break;
	}
	return 0;
}

/* Sends the subscription (op PROC_CN_MCAST_LISTEN) to the kernel; 0 or -errno. */
static int subscribe(int fd)
{
	struct {
		struct nlmsghdr nh;
		struct cn_msg cn;
		enum proc_cn_mcast_op op;
	} __attribute__((packed)) msg;
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	memset(&msg, 0, sizeof(msg));
	msg.nh.nlmsg_len = sizeof(msg);
	msg.nh.nlmsg_type = NLMSG_DONE;
	msg.nh.nlmsg_pid = (__u32)getpid();
	msg.cn.id.idx = CN_IDX_PROC;
	msg.cn.id.val = CN_VAL_PROC;
	msg.cn.len = sizeof(msg.op);
	msg.op = PROC_CN_MCAST_LISTEN;
	if (sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

/*
 * Opens the connector and subscribes to its events, with a receive buffer
 * of size bytes where the kernel allows it (the size granted goes to
 * *rcvbuf_out); stores the non-blocking socket in *fd_out and returns 0, or
 * -errno (EPERM without CAP_NET_ADMIN, EPROTONOSUPPORT without the connector).
 */
int procev_open(int size, int *fd_out, int *rcvbuf_out)
{
	struct sockaddr_nl me = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	int got = 0, err;
	socklen_t sl = sizeof(got);
	int fd = socket(PF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);

	if (fd < 0)
		return -errno;
	/* the kernel doubles what it is asked; FORCE passes rmem_max as root */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &sl) < 0)
		got = 0;
	err = bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0 ? -errno : subscribe(fd);
	if (err < 0) {
		close(fd);
		return err;
	}
	*fd_out = fd;
	if (rcvbuf_out)
		*rcvbuf_out = got;
	return 0;
}

/*
 * Reads one datagram into buf and parses it (procev_parse) into at most
 * max events; messages not sent by the kernel (nl_pid 0) are dropped.
 * Returns 0, -EAGAIN when nothing is waiting, -ENOBUFS when the socket
 * overflowed and events were lost, or another -errno.
 */
int procev_read(int fd, void *buf, size_t size, struct procev *ev, size_t max, size_t *n)
{
	struct sockaddr_nl from;
	socklen_t fl = sizeof(from);
	ssize_t got;

	*n = 0;
	memset(&from, 0, sizeof(from));
	got = recvfrom(fd, buf, size, 0, (struct sockaddr *)&from, &fl);
	if (got < 0)
		return -errno;
	if (fl != sizeof(from) || from.nl_family != AF_NETLINK || from.nl_pid != 0)
		return 0;
	(void)procev_parse(buf, (size_t)got, ev, max, n);
	return 0;
}

/*
 * Attaches a socket filter that lets only exec, uid and comm events through
 * (and the rest never wakes the reader, nor fills its buffer): classic BPF
 * loads the event's 32-bit `what` in network order, so the mask is too.
 * 0 or -errno.
 */
int procev_filter(int fd)
{
	const unsigned what = NLMSG_HDRLEN + sizeof(struct cn_msg) + offsetof(struct proc_event, what);
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, what),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, ntohl(PROC_EVENT_EXEC | PROC_EVENT_UID | PROC_EVENT_COMM), 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0)
		return -errno;
	return 0;
}
