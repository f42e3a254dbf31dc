/*
 * Systemd units on disk: what a service's unit file and drop-ins declare
 * for OOMScoreAdjust=, read as systemd reads them (the search path, the
 * drop-in directories of the unit, its template and its prefixes, the
 * drop-ins ordered by file name, the last assignment winning), and the
 * drop-in `protect --persist` writes.  The parser and the names are pure;
 * the reader and the writer work below one root: the sysroot (a fixture
 * tree in the unit tests), or the directory OOMTOP_UNIT_ROOT names (the
 * integration tests only).
 */
#ifndef OOMTOP_UNITS_H
#define OOMTOP_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "strbuf.h"
#include "workload.h"

#define UNITS_PATH_MAX 512         /* a unit path: a directory of the search path, a unit name, a drop-in */
#define UNITS_FILE_MAX (1UL << 20) /* a unit file or drop-in longer than this is read up to here */
#define UNITS_DROPINS_MAX 256      /* drop-ins of one unit looked at */
#define UNITS_DROPIN_NAME "50-oomtop.conf"
#define UNITS_ROOT_ENV "OOMTOP_UNIT_ROOT"

/* The last OOMScoreAdjust= of one file, as the parser saw it. */
struct units_assign {
	bool seen;     /* an assignment in the section (an empty one too) */
	bool set;      /* the last one set a value; false: "OOMScoreAdjust=" reset it */
	int value;     /* when set */
	unsigned line; /* of the last one that counted */
	unsigned bad;  /* assignments systemd ignores (not a number in -1000..1000) */
};

/* What a unit declares, after its unit file and every drop-in. */
struct units_decl {
	bool found;                     /* a unit file or a drop-in exists */
	bool masked;                    /* the unit file is a link to /dev/null (or empty) */
	char unit_file[UNITS_PATH_MAX]; /* "" when none */
	size_t ndropins;                /* *.conf read for it */
	bool have_adj;                  /* OOMScoreAdjust= declares a value */
	int adj;                        /* when have_adj */
	char adj_file[UNITS_PATH_MAX];  /* the file of the assignment that decided, "" when none */
	unsigned adj_line;
};

/* What units_write_dropin() did. */
enum units_write {
	UNITS_WRITTEN,
	UNITS_UNCHANGED,   /* the drop-in already held exactly this */
	UNITS_WOULD_WRITE, /* dry run */
};

/* One process of a unit, as the audit sees it. */
struct units_member {
	pid_t pid;
	int adj;
	const char *comm; /* borrowed */
};

/* What a unit's processes hold against what it declares. */
enum units_state {
	UNITS_HELD,         /* it declares a value and every process holds it */
	UNITS_NOT_HELD,     /* it declares a value that some process does not hold */
	UNITS_NOT_DECLARED, /* it declares none, and some process holds a value other than 0 */
};

struct units_audit {
	enum units_state state;
	size_t nprocs;
	size_t nother;   /* processes that do not hold what it declares (not declared: that hold other than 0) */
	pid_t other_pid; /* the first of them, by pid */
	char other_comm[64];
	int other_adj;
};

/* Who sets a process's oom_score_adj, as far as files on disk tell (explain). */
enum units_owner_by {
	UNITS_OWNER_NONE,    /* nothing known */
	UNITS_OWNER_UNIT,    /* a system service's unit files (declared or not) */
	UNITS_OWNER_KUBELET, /* a pod: the kubelet's QoS policy */
};

struct units_owner {
	enum units_owner_by by;
	bool have_range; /* the owner sets a value in [min, max] */
	int min, max;
	bool held; /* the process's value is in it */
};

#define UNITS_KUBELET_GUARANTEED (-997) /* pkg/kubelet/qos/policy.go guaranteedOOMScoreAdj, node-critical pods too */
#define UNITS_KUBELET_BESTEFFORT 1000
#define UNITS_KUBELET_BURSTABLE_MIN 3 /* 1000 + guaranteedOOMScoreAdj */
#define UNITS_KUBELET_BURSTABLE_MAX 999

/* Pure. */
void units_owner(const struct workload *w, const struct units_decl *d, int adj, struct units_owner *o);
bool units_audit(const struct units_decl *d, const struct units_member *m, size_t n, struct units_audit *a);
const char *units_state_name(enum units_state st);
int units_parse(const char *text, size_t len, const char *section, const char *key, struct units_assign *a);
bool units_name_valid(const char *name);
int units_template(const char *name, char *out, size_t size);
void units_dropin_text(struct strbuf *sb, int adj);
int units_dropin_path(const char *unit, char *out, size_t size);

/* The reader and the writer, below the root. */
int units_declared(const char *unit, struct units_decl *d);
int units_write_dropin(const char *unit, int adj, bool dry_run, enum units_write *what, struct strbuf *err);

#endif
