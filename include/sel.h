/*
 * Selecting processes like pgrep(1) and setting their value through the
 * writer: what `protect` and `apply` share.  A rule is a pgrep-like pattern
 * and a value; the pure part decides whether a process matches, the run
 * part scans /proc, pins each candidate and decides again on what it read
 * through the pinned /proc/PID directory before anything is written.
 */
#ifndef OOMTOP_SEL_H
#define OOMTOP_SEL_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "adj.h"
#include "strbuf.h"
#include "workload.h"

#define SEL_MAX_DEFAULT 32 /* more matches than this and a rule is refused */
#define SEL_SHARE_FLOOR 4  /* above this many, a rule may not take half the machine without --max */

/* One rule: which processes, and the value they get. */
struct sel_rule {
	int adj; /* in unit */
	enum adj_unit unit;
	bool full;       /* -f: match the whole command line */
	bool exact;      /* -x: the whole string must match */
	bool icase;      /* -i */
	long max;        /* refuse the rule when more processes match */
	bool max_set;    /* --max was given: the count is confirmed */
	char **patterns; /* owned; POSIX extended regexes, any of them */
	size_t npatterns;
	char *users; /* owned; -u USER[,USER...] as given */
	uid_t *uids; /* owned; resolved by sel_resolve() */
	size_t nuids;
	char *exe;          /* owned; --exe PATH */
	char *unit_glob;    /* owned; --unit GLOB: the systemd unit, as systemctl matches it (workload_unit_match) */
	char *workload_pat; /* owned; --workload PATTERN: a name, unit, id prefix or namespace/pod (workload_match) */
	unsigned line;      /* line in the rules file, 0 on the command line */
	/* filled by sel_compile() / sel_resolve() */
	regex_t *regs;
	size_t nregs;
	bool have_exe; /* exe_dev/exe_ino hold the file --exe names */
	dev_t exe_dev;
	ino_t exe_ino;
	char *exe_real;    /* owned; --exe without symlinks (its directory's, when the file is gone) */
	bool have_exe_dir; /* exe_dir_dev holds the device of its directory */
	dev_t exe_dir_dev;
	int exe_errno; /* why --exe could not be resolved (it then matches nothing) */
};

/* What the pure decision looks at. */
struct sel_subject {
	uid_t ruid; /* the real uid: -u selects by it, as pgrep -U (a setuid program keeps its caller's) */
	const char *comm;
	const char *fullname; /* NULL, or where comm may be cut (15 characters): the name it was cut from */
	const char *cmdline;  /* NULL or "" when it has none (kernel threads, zombies) */
	bool kthread;
	bool self_or_ancestor; /* oomtop itself or one of its ancestors */
	int exe_match;         /* 1 runs the --exe file, 2 a deleted file of that path, 0 neither, -1 not known yet */
	const struct workload *workload; /* borrowed; NULL when not read (a rule with --unit or --workload needs it) */
	bool by_fullname;                /* set by sel_decide(): the pattern matched fullname, not comm */
};

#define SEL_COMM_MAX 15 /* the kernel keeps this much of a name (TASK_COMM_LEN - 1) */

/* Whose a process is: the real, effective and saved uids of its Uid: line. */
struct sel_owner {
	uid_t ruid, euid, suid;
};

enum sel_verdict {
	SEL_NO,      /* does not match */
	SEL_YES,     /* matches */
	SEL_KTHREAD, /* would match, but kernel threads are never touched */
	SEL_SELF,    /* would match, but it is oomtop or its ancestor */
};

/* Why a rule was refused as a whole (nothing it matched is written). */
enum sel_refusal {
	SEL_ALLOWED = 0,
	SEL_REFUSED_MAX,     /* more processes than --max */
	SEL_REFUSED_SHARE,   /* more than half of the machine's processes, without --max */
	SEL_REFUSED_SKIPPED, /* everything it selected is another user's and would be lowered: nothing to do */
};

/* What happened to one selected process. */
enum sel_outcome {
	SEL_CHANGED,   /* written (or would be, in a dry run) */
	SEL_UNCHANGED, /* already had the value: no write */
	SEL_FAILED,    /* the writer failed: see res.err */
	SEL_SKIPPED,   /* owned by another user and would be lowered, without -u */
	SEL_GONE,      /* exited before it could be written */
};

struct sel_item {
	size_t rule; /* index in the rules */
	enum sel_outcome outcome;
	struct adj_result res;
	bool loud;                  /* a skip that is the reason its rule was refused: printed even with -q */
	bool by_fullname;           /* selected by its full name: its 15-character comm did not match */
	bool exe_deleted;           /* selected by --exe through the name of a deleted file */
	char fullname[64];          /* when by_fullname */
	const char *owner_names[3]; /* SEL_SKIPPED: real, effective, saved user names; borrowed from the users cache */
	struct workload *workload;  /* owned by the report; NULL unless read through the pinned directory */
};

/* The result of one run over a set of rules; sel_report_free() releases it. */
struct sel_report {
	struct sel_item *items; /* owned, in rule order then pid order */
	size_t nitems;
	size_t *matched;           /* owned; per rule, processes it selected and would write */
	size_t *skipped;           /* owned; per rule, processes it selected but may not lower (not counted above) */
	enum sel_refusal *refused; /* owned; per rule: refused rules write nothing */
	size_t eligible;           /* processes a rule could select: not kernel threads, not oomtop's line */
	int scan_errno;            /* /proc could not be read at all */
};

/* How a run behaves. */
struct sel_opts {
	bool dry_run;
	bool want_workload; /* read every selected process's workload into its item (protect --persist) */
	bool no_sharers;    /* the writes do not look for processes sharing the memory (adj_request) */
	const char *cmd;    /* for the log */
};

/* Where the line about an item goes. */
enum sel_stream {
	SEL_QUIET, /* nowhere (-q, nothing changed) */
	SEL_STDOUT,
	SEL_STDERR,
};

#define SEL_PATTERN_MAX_NODES 1000UL   /* of regcomp's tree for one pattern (sel_pattern_cost) */
#define SEL_PATTERN_MAX_DIAMONDS 16    /* in a pattern with a loop: each doubles calc_eclosure's time */
#define SEL_PATTERN_MAX_DEPTH 32       /* nested groups in one pattern */
#define SEL_BUDGET_BYTES (64ULL << 20) /* regcomp's memory for all patterns of a file or command line */

/* What compiling one pattern costs, estimated by sel_pattern_cost(). */
struct sel_pattern_cost {
	unsigned long long nodes;         /* tree nodes */
	unsigned long long eps;           /* epsilon nodes */
	unsigned long long loop_diamonds; /* optional parts that can match empty, when the pattern has a loop */
};

/* What is left to spend on compiling patterns (sel_compile_bytes). */
struct sel_budget {
	unsigned long long bytes_left;
};

void sel_rule_init(struct sel_rule *r);
void sel_rule_free(struct sel_rule *r);
void sel_rule_add_pattern(struct sel_rule *r, const char *pattern);
void sel_pattern_cost(const char *pattern, struct sel_pattern_cost *c);
unsigned long long sel_pattern_nodes(const char *pattern);
unsigned long long sel_compile_bytes(const struct sel_pattern_cost *c);
void sel_budget_init(struct sel_budget *b);
int sel_compile(struct sel_rule *r, struct sel_budget *budget, struct strbuf *err);
int sel_parse_max(const char *s, long *out);
enum sel_verdict sel_decide(const struct sel_rule *r, struct sel_subject *s);
const char *sel_full_name(const char *comm, const char *argv0, const char *exe_target, char *buf, size_t size);
bool sel_note(struct strbuf *sb, const struct sel_rule *r, const struct sel_item *it, bool quiet, bool utf8);
bool sel_needs_cmdline(const struct sel_rule *r);
bool sel_needs_workload(const struct sel_rule *r);
bool sel_refuse_lowering(const struct sel_rule *r, uid_t runner, const struct sel_owner *owner, int old_score,
			 int new_score);
int sel_target_score(const struct sel_rule *r);
enum sel_refusal sel_check_count(const struct sel_rule *r, size_t matched, size_t eligible);
void sel_format_refusal(struct strbuf *sb, const struct sel_rule *r, size_t matched, size_t skipped, size_t eligible,
			enum sel_refusal why);

int sel_resolve(struct sel_rule *r, struct strbuf *err);
int sel_run(struct sel_rule *rules, size_t nrules, const struct sel_opts *o, struct sel_report *rep);
bool sel_name_may_match(const struct sel_rule *rules, size_t nrules, const char *comm);
int sel_run_pid(struct sel_rule *rules, size_t nrules, pid_t pid, const size_t *held, size_t eligible,
		const struct sel_opts *o, struct sel_report *rep);
void sel_report_free(struct sel_report *rep);
enum sel_stream sel_format_item(struct strbuf *sb, const struct sel_item *it, bool quiet, bool utf8);
int sel_exit_status(const struct sel_report *rep, size_t nrules);

#endif
