/* Messages to the user: "oomtop: CMD: text", and the check of stdout at exit. */
#ifndef OOMTOP_MSG_H
#define OOMTOP_MSG_H

void msg_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int msg_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void msg_lines(const char *text);
void msg_close_stdout_atexit(void);
int msg_write_stdout(const char *buf, unsigned long len);

#endif
