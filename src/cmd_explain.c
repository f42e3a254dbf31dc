/* `oomtop explain PID`: why a process has its OOM score, and what would change who dies. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "explain.h"
#include "explainfmt.h"
#include "msg.h"
#include "num.h"
#include "oomtop.h"
#include "out.h"
#include "strbuf.h"
#include "sysroot.h"
#include "xalloc.h"

#define CMD "explain"

/* Returns the thread group of a thread id from its status (Tgid:), or 0. */
static pid_t tgid_of(pid_t tid)
{
	char path[64], buf[4096], *p;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if (sysroot_read(path, buf, sizeof(buf)) <= 0)
		return 0;
	p = strstr(buf, "\nTgid:");
	return p ? (pid_t)strtol(p + 6, NULL, 10) : 0;
}

/* Runs `oomtop explain PID [--json]` on its checked command line. */
static int explain_exec(const struct cmd_args *args)
{
	const char *arg = cmd_operand(args, 0);
	int status = EXIT_OK, err;
	struct strbuf sb = STRBUF_INIT;
	struct explain e = { 0 };
	long pid;

	if (num_parse_long(arg, 1, 0x3fffffff, &pid) < 0) {
		status = msg_usage(CMD, "'%s' is not a process ID (a number, 1 or more)", arg);
		goto out;
	}
	err = explain_compute((pid_t)pid, &e);
	if (err == -ENOENT) {
		pid_t tgid = tgid_of((pid_t)pid);
		if (tgid > 0 && tgid != (pid_t)pid) {
			msg_err(CMD, "%ld is a thread of process %d: explaining %d", pid, (int)tgid, (int)tgid);
			pid = tgid;
			err = explain_compute((pid_t)pid, &e);
		}
	}
	if (err == -ENOENT && e.hidepid.hides) {
		msg_err(CMD,
			"no process %ld, or /proc hides it from you (hidepid=%s): run as root to see every process",
			pid, proc_hidepid_text(e.hidepid.mode));
		status = EXIT_NOMATCH;
		goto out;
	}
	if (err == -ENOENT || err == -ESRCH) {
		msg_err(CMD, err == -ENOENT ? "no process %ld" : "process %ld exited while being explained", pid);
		status = EXIT_NOMATCH;
		goto out;
	}
	if (err == -EACCES || err == -EPERM) {
		/* zeros would read as "no memory, no protection": refuse instead */
		struct strbuf why = STRBUF_INIT;
		proc_partial_reason(&why, &e.hidepid, 0, 0);
		msg_err(CMD, "cannot read process %ld: %s%s%s", pid, strerror(-err), why.len ? ": " : "",
			why.len ? sb_str(&why) : "");
		sb_free(&why);
		status = EXIT_FAIL;
		goto out;
	}
	if (err < 0) {
		msg_err(CMD, "cannot read /proc: %s", err == -ENODEV ? "it is not a procfs" : strerror(-err));
		status = EXIT_FAIL;
		goto out;
	}
	if (cmd_flag(args, "json"))
		explainfmt_json(&sb, &e);
	else
		explainfmt_text(&sb, &e, out_locale_utf8());
	if (msg_write_stdout(sb_str(&sb), sb.len) < 0)
		status = EXIT_FAIL;
out:
	explain_free(&e);
	sb_free(&sb);
	return status;
}

static const struct poptOption explain_options[] = {
	{ "json", 0, POPT_ARG_NONE, NULL, 0, "print one JSON object", NULL }, POPT_TABLEEND
};

/* `oomtop explain`: one PID. */
const struct cmd_entry cmd_explain_entry = {
	.name = CMD,
	.usage = "[--json] PID",
	.summary = "why a process has its OOM score, its rank in each OOM domain, what would change it",
	.options = explain_options,
	.lower = 1,
	.upper = 1,
	.missing = "which process? (oomtop explain PID)",
	.extra = "one PID at a time",
	.exec = explain_exec,
};
