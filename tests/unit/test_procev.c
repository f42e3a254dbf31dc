/* Unit tests of the connector's message parser (src/procev.c) and the name prefilter of watch (src/sel.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <string.h>

#include "procev.h"
#include "sel.h"
#include "strbuf.h"

/* Appends one connector message holding ev (len bytes of it) at buf + *off. */
static void put(unsigned char *buf, size_t *off, const struct proc_event *ev, size_t len, unsigned idx)
{
	struct nlmsghdr nh = { .nlmsg_len = (__u32)(NLMSG_HDRLEN + sizeof(struct cn_msg) + len),
			       .nlmsg_type = NLMSG_DONE };
	struct cn_msg cn = { .id = { .idx = idx, .val = CN_VAL_PROC }, .len = (__u16)len };

	memcpy(buf + *off, &nh, sizeof(nh));
	memcpy(buf + *off + NLMSG_HDRLEN, &cn, sizeof(cn));
	memcpy(buf + *off + NLMSG_HDRLEN + sizeof(cn), ev, len);
	*off += NLMSG_ALIGN(nh.nlmsg_len);
}

static void test_events(void **state)
{
	(void)state;
	unsigned char buf[1024] = { 0 };
	struct proc_event e;
	struct procev ev[4];
	size_t off = 0, n;

	memset(&e, 0, sizeof(e));
	e.what = PROC_EVENT_EXEC;
	e.event_data.exec.process_pid = 42;
	e.event_data.exec.process_tgid = 42;
	put(buf, &off, &e, sizeof(e), CN_IDX_PROC);
	memset(&e, 0, sizeof(e));
	e.what = PROC_EVENT_FORK;
	e.event_data.fork.parent_tgid = 7;
	e.event_data.fork.child_pid = 43;
	e.event_data.fork.child_tgid = 43;
	put(buf, &off, &e, sizeof(e), CN_IDX_PROC);
	/* another connector's message, and the subscription's acknowledgement: left out */
	put(buf, &off, &e, sizeof(e), CN_IDX_PROC + 1);
	memset(&e, 0, sizeof(e));
	put(buf, &off, &e, sizeof(e), CN_IDX_PROC);
	assert_int_equal(procev_parse(buf, off, ev, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ev[0].kind, PROCEV_EXEC);
	assert_int_equal(ev[0].tgid, 42);
	assert_int_equal(ev[1].kind, PROCEV_FORK);
	assert_int_equal(ev[1].tgid, 43);
	assert_int_equal(ev[1].parent, 7);
	/* max bounds what is stored */
	assert_int_equal(procev_parse(buf, off, ev, 1, &n), 0);
	assert_int_equal(n, 1);
}

static void test_bad_lengths(void **state)
{
	(void)state;
	unsigned char buf[512] = { 0 };
	struct proc_event e;
	struct procev ev[4];
	struct nlmsghdr nh;
	size_t off = 0, n;

	memset(&e, 0, sizeof(e));
	e.what = PROC_EVENT_COMM;
	e.event_data.comm.process_pid = 5;
	e.event_data.comm.process_tgid = 5;
	/* a comm event cut before its pids */
	put(buf, &off, &e, offsetof(struct proc_event, event_data) + 4, CN_IDX_PROC);
	assert_int_equal(procev_parse(buf, off, ev, 4, &n), -EINVAL);
	assert_int_equal(n, 0);
	/* a netlink length past the datagram */
	off = 0;
	put(buf, &off, &e, sizeof(e), CN_IDX_PROC);
	memcpy(&nh, buf, sizeof(nh));
	nh.nlmsg_len = 4096;
	memcpy(buf, &nh, sizeof(nh));
	assert_int_equal(procev_parse(buf, off, ev, 4, &n), -EINVAL);
	/* a cn_msg length past its netlink message */
	off = 0;
	put(buf, &off, &e, sizeof(e), CN_IDX_PROC);
	buf[NLMSG_HDRLEN + offsetof(struct cn_msg, len)] = 0xff;
	buf[NLMSG_HDRLEN + offsetof(struct cn_msg, len) + 1] = 0x7f;
	assert_int_equal(procev_parse(buf, off, ev, 4, &n), -EINVAL);
	/* a pid of 0 is no event */
	off = 0;
	e.event_data.comm.process_pid = 0;
	put(buf, &off, &e, sizeof(e), CN_IDX_PROC);
	assert_int_equal(procev_parse(buf, off, ev, 4, &n), -EINVAL);
	/* nothing, and less than a header */
	assert_int_equal(procev_parse(buf, 0, ev, 4, &n), 0);
	assert_int_equal(procev_parse(buf, 3, ev, 4, &n), 0);
	assert_int_equal(n, 0);
}

/* Compiles a rule from its patterns. */
static void rule(struct sel_rule *r, bool full, const char *pattern)
{
	struct strbuf err = STRBUF_INIT;

	sel_rule_init(r);
	r->exact = true;
	r->full = full;
	if (pattern)
		sel_rule_add_pattern(r, pattern);
	assert_int_equal(sel_compile(r, NULL, &err), 0);
	sb_free(&err);
}

static void test_name_prefilter(void **state)
{
	(void)state;
	struct sel_rule r[2];

	rule(&r[0], false, "sshd");
	rule(&r[1], false, "mysqld");
	assert_true(sel_name_may_match(r, 2, "sshd"));
	assert_true(sel_name_may_match(r, 2, "mysqld"));
	assert_false(sel_name_may_match(r, 2, "true"));
	/* a 15-character name may have been cut from a longer one */
	assert_true(sel_name_may_match(r, 2, "systemd-journal"));
	sel_rule_free(&r[1]);
	/* -f matches the command line, which the name does not show */
	rule(&r[1], true, "mysqld");
	assert_true(sel_name_may_match(r, 2, "true"));
	sel_rule_free(&r[1]);
	/* no pattern (-u or --exe alone) matches any name */
	rule(&r[1], false, NULL);
	assert_true(sel_name_may_match(r, 2, "true"));
	sel_rule_free(&r[1]);
	sel_rule_free(&r[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_bad_lengths),
		cmocka_unit_test(test_name_prefilter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
