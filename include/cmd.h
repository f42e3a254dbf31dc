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

int cmd_top(int argc, const char **argv);
int cmd_explain(int argc, const char **argv);
int cmd_status(int argc, const char **argv);
int cmd_set(int argc, const char **argv);
int cmd_protect(int argc, const char **argv);
int cmd_run(int argc, const char **argv);
int cmd_apply(int argc, const char **argv);
int cmd_log(int argc, const char **argv);

#endif
