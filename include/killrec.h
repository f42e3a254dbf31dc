/*
 * Where a kill record stands: the last kill `log --output`/`--to-journal`
 * recorded, by the kernel's sequence number and the boot it belongs to, so
 * that a restart neither loses nor repeats one.  killrec.c holds the pure
 * parts (the state file's text, a record line, the comparison); killfile.c
 * the files.
 */
#ifndef OOMTOP_KILLREC_H
#define OOMTOP_KILLREC_H

#include <stdbool.h>
#include <stddef.h>

#include "klog.h"
#include "strbuf.h"

#define KILLREC_STATE_MAX 256 /* a state file is one short line */
#define KILLREC_HEAD 1024     /* a record line's position is within its first bytes */

/* The last kill recorded: kernel record seq of boot boot_id; seq -1 for none. */
struct killrec_pos {
	char boot_id[KLOG_BOOT_ID_MAX];
	long long seq;
};

bool killrec_boot_id_ok(const char *s, size_t len);
int killrec_parse_state(const char *text, size_t len, struct killrec_pos *pos);
void killrec_format_state(struct strbuf *sb, const struct killrec_pos *pos);
int killrec_parse_line(const char *line, size_t len, struct killrec_pos *pos);
bool killrec_seen(const struct killrec_pos *pos, const struct klog_event *ev);
void killrec_take(struct killrec_pos *pos, const struct killrec_pos *other);

int killfile_boot_id(char *buf, size_t size);
int killfile_open_output(const char *path, int *fd);
int killfile_last_pos(int fd, struct killrec_pos *pos);
int killfile_append(int fd, const char *buf, size_t len);
int killfile_append_line(int fd, const char *buf, size_t len);
int killfile_read_state(const char *path, struct killrec_pos *pos);
int killfile_write_state(const char *path, const struct killrec_pos *pos);

#endif
