/*
 * The text of `protect --persist`: what it wrote for a service, and, for a
 * workload no drop-in can hold, the setting that does (a container
 * runtime's, the kubelet's QoS classes) or why nothing does.  Pure: names
 * come escaped through out.c.
 */
#include <string.h>

#include "out.h"
#include "units.h"
#include "unitsfmt.h"

/* Appends s escaped. */
static void esc(struct strbuf *sb, const char *s, bool utf8)
{
	out_escape(sb, s, strlen(s), utf8);
}

/* Appends what a container's runtime sets instead of a drop-in. */
static void container_advice(struct strbuf *sb, const struct workload *w, int adj, bool utf8)
{
	sb_adds(sb, "container ");
	esc(sb, w->name, utf8);
	if (w->id[0] && strcmp(w->name, w->id) != 0 && strncmp(w->id, w->name, strlen(w->name)) != 0) {
		sb_adds(sb, " (");
		sb_add(sb, w->id, strlen(w->id) < 12 ? strlen(w->id) : 12);
		sb_addc(sb, ')');
	}
	sb_adds(sb, ": its runtime sets oom_score_adj when the container starts, from the container's own setting; "
		    "nothing written: ");
	switch (w->runtime) {
	case WORKLOAD_RT_DOCKER:
		sb_addf(sb, "create it with docker run --oom-score-adj %d (compose: oom_score_adj: %d)", adj, adj);
		break;
	case WORKLOAD_RT_PODMAN:
		sb_addf(sb, "create it with podman run --oom-score-adj %d (a quadlet: PodmanArgs=--oom-score-adj=%d)",
			adj, adj);
		break;
	case WORKLOAD_RT_CONTAINERD:
		sb_addf(sb, "create it with nerdctl run --oom-score-adj %d", adj);
		break;
	case WORKLOAD_RT_LXC:
		sb_addf(sb, "set lxc.proc.oom_score_adj = %d in the container's config and restart it", adj);
		break;
	default:
		sb_addf(sb, "create it with its runtime's --oom-score-adj %d", adj);
	}
}

/*
 * Appends, without a newline, why `protect --persist` writes nothing for a
 * workload that is not a system service, and what keeps adj there instead:
 * a container runtime's option, the kubelet's QoS class for a pod, how a
 * scope or session is started.  For a system service it appends nothing
 * and returns false.
 */
bool unitsfmt_advice(struct strbuf *sb, const struct workload *w, int adj, bool utf8)
{
	switch (w->kind) {
	case WORKLOAD_SERVICE:
		return false;
	case WORKLOAD_CONTAINER:
		container_advice(sb, w, adj, utf8);
		break;
	case WORKLOAD_POD:
		sb_adds(sb, "pod ");
		esc(sb, w->name, utf8);
		sb_addf(sb,
			" (QoS %s): the kubelet gives a pod's containers oom_score_adj from its QoS class, not from a "
			"setting: guaranteed -997 (every container's requests equal its limits), besteffort 1000 (no "
			"requests or limits), burstable 1000 - 1000 * memory request / node memory, kept within 3..999 "
			"(pkg/kubelet/qos/policy.go); nothing written: to protect it, make it guaranteed",
			workload_qos_name(w->qos));
		break;
	case WORKLOAD_SCOPE:
	case WORKLOAD_SESSION:
		esc(sb, w->unit, utf8);
		sb_adds(sb, w->kind == WORKLOAD_SESSION ? " (a login session" : " (a scope");
		sb_adds(sb,
			"): systemd does not start a scope's processes (systemd.scope(5)) and OOMScoreAdjust= "
			"applies to the processes it starts (systemd.exec(5)), so a drop-in would do nothing; nothing "
			"written: ");
		if (w->kind == WORKLOAD_SESSION)
			sb_addf(sb,
				"a session inherits from the login that starts it; start the job with oomtop run "
				"--adj %d -- COMMAND",
				adj);
		else
			sb_addf(sb,
				"start it as a service, systemd-run -p OOMScoreAdjust=%d COMMAND, or systemd-run --scope "
				"oomtop run --adj %d -- COMMAND",
				adj, adj);
		break;
	case WORKLOAD_USER_SERVICE:
		esc(sb, w->unit, utf8);
		sb_adds(sb,
			" (a service of a user's manager): its drop-in belongs in that user's ~/.config/systemd/user/");
		esc(sb, w->unit, utf8);
		sb_adds(sb,
			".d/ (or /etc/systemd/user/ for every user), and a user's manager cannot set a value below its "
			"own; nothing written");
		break;
	case WORKLOAD_SLICE:
		esc(sb, w->unit, utf8);
		sb_adds(sb, " (a slice): a slice starts no processes, whoever put them there did; nothing written");
		break;
	case WORKLOAD_CGROUP:
	case WORKLOAD_NONE:
		sb_adds(sb, "cgroup ");
		esc(sb, w->kind == WORKLOAD_NONE ? "/" : w->name, utf8);
		sb_addf(sb,
			": in no systemd unit or container, nothing on disk keeps a value across a restart but what "
			"starts the process; nothing written: oomtop watch with a rule, or oomtop run --adj %d",
			adj);
		break;
	}
	return true;
}

/*
 * Appends, without a newline, what `protect --persist` did for a service's
 * drop-in at path: written (or unchanged, or what a dry run would write,
 * followed by the file's text), and what it takes to hold: a
 * daemon-reload, and whether the running processes hold adj now (held) or
 * need a restart (a dry run set nothing: unchanged says no more).
 */
void unitsfmt_written(struct strbuf *sb, const char *unit, const char *path, int adj, enum units_write what, bool held,
		      bool dry_run, bool utf8)
{
	esc(sb, unit, utf8);
	sb_adds(sb, ": ");
	switch (what) {
	case UNITS_WOULD_WRITE:
		sb_adds(sb, "would write ");
		esc(sb, path, utf8);
		sb_adds(sb, " (dry run, not written):\n");
		units_dropin_text(sb, adj);
		sb_adds(sb, "then systemctl daemon-reload");
		return;
	case UNITS_UNCHANGED:
		esc(sb, path, utf8);
		sb_addf(sb, " already declares OOMScoreAdjust=%d, unchanged", adj);
		if (dry_run)
			return; /* nothing was set now either: no word on the processes */
		break;
	case UNITS_WRITTEN:
		sb_adds(sb, "wrote ");
		esc(sb, path, utf8);
		sb_addf(sb, " (OOMScoreAdjust=%d): run systemctl daemon-reload for systemd to read it", adj);
		break;
	}
	if (held)
		sb_addf(sb, "; its processes hold %d now, and systemd sets it again on every start", adj);
	else {
		sb_adds(sb, "; its running processes do not hold it yet: systemctl restart ");
		esc(sb, unit, utf8);
		sb_adds(sb, " (systemd, with CAP_SYS_RESOURCE, may set what oomtop could not)");
	}
}
