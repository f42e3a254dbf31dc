/* `oomtop status`: the machine's OOM posture in one screen. */
#include <errno.h>
#include <popt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "msg.h"
#include "oomtop.h"
#include "out.h"
#include "promfmt.h"
#include "status.h"
#include "statusfmt.h"
#include "strbuf.h"

#define CMD "status"

/* Runs `oomtop status [--format=text|json|prometheus] [--json]`. */
int cmd_status(int argc, const char **argv)
{
	int json = 0, rc, status = EXIT_OK, err;
	char *format = NULL;
	struct poptOption options[] = {
		{ "format", 'f', POPT_ARG_STRING, &format, 0, "text (the default), json or prometheus", "FORMAT" },
		{ "json", 0, POPT_ARG_NONE, &json, 0, "print one JSON object (--format=json)", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	poptContext pc = poptGetContext(OOMTOP_NAME " " CMD, argc, argv, options, 0);
	struct strbuf sb = STRBUF_INIT;
	struct status s = { 0 };
	enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_PROMETHEUS } fmt = FORMAT_TEXT;

	poptSetOtherOptionHelp(pc, CMD_STATUS_SYNOPSIS);
	rc = poptGetNextOpt(pc);
	if (rc < -1) {
		status = msg_usage(CMD, "%s: %s", poptBadOption(pc, POPT_BADOPTION_NOALIAS), poptStrerror(rc));
		goto out;
	}
	if (poptPeekArg(pc)) {
		status = msg_usage(CMD, "unexpected argument '%s'", poptPeekArg(pc));
		goto out;
	}
	if (json && format && strcmp(format, "json") != 0) {
		status = msg_usage(CMD, "--json and --format=%s disagree", format);
		goto out;
	}
	if (json || (format && strcmp(format, "json") == 0))
		fmt = FORMAT_JSON;
	else if (format && strcmp(format, "prometheus") == 0)
		fmt = FORMAT_PROMETHEUS;
	else if (format && strcmp(format, "text") != 0) {
		status = msg_usage(CMD, "--format: '%s' is not text, json or prometheus", format);
		goto out;
	}
	err = status_compute(&s);
	if (err < 0) {
		msg_err(CMD, "cannot read /proc: %s", err == -ENODEV ? "it is not a procfs" : strerror(-err));
		status = EXIT_FAIL;
		goto out;
	}
	/* a host without a memory hierarchy has no cgroup OOMs: the list is null, not an error */
	if (fmt != FORMAT_TEXT)
		status_cgroup_kills(&s);
	if (fmt == FORMAT_JSON)
		statusfmt_json(&sb, &s);
	else if (fmt == FORMAT_PROMETHEUS)
		promfmt_status(&sb, &s);
	else
		statusfmt_text(&sb, &s, out_locale_utf8());
	if (msg_write_stdout(sb_str(&sb), sb.len) < 0)
		status = EXIT_FAIL;
out:
	status_free(&s);
	sb_free(&sb);
	free(format);
	poptFreeContext(pc);
	return status;
}
