/* `oomtop status`: the machine's OOM posture in one screen. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "msg.h"
#include "num.h"
#include "oomtop.h"
#include "out.h"
#include "promfmt.h"
#include "status.h"
#include "statusfmt.h"
#include "strbuf.h"

#define CMD "status"

/* Runs `oomtop status [--format=text|json|prometheus] [--json] [--max-cgroups N]` on its checked command line. */
static int status_exec(const struct cmd_args *args)
{
	const char *format = cmd_value(args, "format"), *max_text = cmd_value(args, "max-cgroups");
	long max = STATUS_MAX_CGROUPS_DEFAULT;
	bool json = cmd_flag(args, "json");
	int status = EXIT_OK, err;
	struct strbuf sb = STRBUF_INIT;
	struct status s = { 0 };
	enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_PROMETHEUS } fmt = FORMAT_TEXT;

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
	if (max_text && num_parse_long(max_text, 0, STATUS_MAX_CGROUPS, &max) < 0) {
		status = msg_usage(CMD, "--max-cgroups '%s' is not a number of cgroups (0 to %d)", max_text,
				   STATUS_MAX_CGROUPS);
		goto out;
	}
	if (max_text && fmt != FORMAT_PROMETHEUS) {
		status = msg_usage(CMD, "--max-cgroups bounds the metrics: it needs --format=prometheus");
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
	if (fmt == FORMAT_PROMETHEUS) {
		/* headroom and first victims of the largest cgroups; without a kernel log, no removed cgroups */
		s.max_cgroups = (size_t)max;
		status_cgroup_domains(&s);
		status_gone_kills(&s);
	}
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
	return status;
}

static const struct poptOption status_options[] = {
	{ "format", 'f', POPT_ARG_STRING, NULL, 0, "text (the default), json or prometheus", "FORMAT" },
	{ "json", 0, POPT_ARG_NONE, NULL, 0, "print one JSON object (--format=json)", NULL },
	{ "max-cgroups", 0, POPT_ARG_STRING, NULL, 0,
	  "prometheus: name the N largest memory cgroups, sum the rest as \"other\" (default 50)", "N" },
	POPT_TABLEEND
};

/* `oomtop status`: no operands. */
const struct cmd_entry cmd_status_entry = {
	.name = CMD,
	.usage = "[--json] [-f FORMAT] [--max-cgroups N]",
	.summary = "the machine's OOM settings, memory, pressure and next victim",
	.options = status_options,
	.exec = status_exec,
};
