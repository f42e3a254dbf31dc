/* The commands.  Each lives in src/cmd_NAME.c; main.c maps names to them. */
#ifndef OOMTOP_CMD_H
#define OOMTOP_CMD_H

/* One row of the command table. */
struct cmd_entry {
	const char *name;
	int (*run)(int argc, const char **argv);
	const char *synopsis; /* the options, as in the man page's SYNOPSIS */
	const char *summary;  /* one line for `oomtop --help` */
};

/*
 * Each command's synopsis: its row in main.c's table, the "Usage:" line of
 * its --help, and its line in the man page's SYNOPSIS (man/oomtop.8), written
 * the way mdoc renders it (tests/integ/t_cli_docs.sh compares the three).
 */
#define CMD_TOP_SYNOPSIS                                                                      \
	"[-n N] [-s KEY] [-r] [-u USER] [-p PID[,PID...]] [-a] [-w] [--no-header] [--json]\n" \
	"            [--cgroup PATH] [-b] [-d SECS] [-i N]"
#define CMD_EXPLAIN_SYNOPSIS "[--json] PID"
#define CMD_STATUS_SYNOPSIS "[--json] [-f FORMAT]"
#define CMD_SET_SYNOPSIS "[--legacy] [-n] [-q] ADJ PID ..."
#define CMD_PROTECT_SYNOPSIS                                                                 \
	"[--adj ADJ] [--legacy] [-f] [-x] [-i] [-u USER[,USER...]] [--exe PATH] [-n] [-q]\n" \
	"            [--max N] [PATTERN ...]"
#define CMD_RUN_SYNOPSIS "[--adj ADJ] [--legacy] [--] COMMAND [ARG ...]"
#define CMD_APPLY_SYNOPSIS "[-n] [-q] [FILE]"
#define CMD_WATCH_SYNOPSIS "[-n] [-q] [--interval SECS] [FILE]"
#define CMD_LOG_SYNOPSIS                                                               \
	"[-f] [--since TIME] [-n N] [-c NAME] [-s] [--json [--tasks]] [--no-header]\n" \
	"            [-j] [FILE | -]"

int cmd_top(int argc, const char **argv);
int cmd_explain(int argc, const char **argv);
int cmd_status(int argc, const char **argv);
int cmd_set(int argc, const char **argv);
int cmd_protect(int argc, const char **argv);
int cmd_run(int argc, const char **argv);
int cmd_apply(int argc, const char **argv);
int cmd_watch(int argc, const char **argv);
int cmd_log(int argc, const char **argv);

#endif
