/*
 * The journal's native protocol (systemd's "Native Journal Protocol"): one
 * datagram of fields to /run/systemd/journal/socket, without libsystemd.
 * journal_field() is the pure encoder; journal_send() the thin sender.
 */
#ifndef OOMTOP_JOURNAL_H
#define OOMTOP_JOURNAL_H

#include <stddef.h>

#include "strbuf.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define JOURNAL_KEY_MAX 64         /* journald drops longer field names */
#define JOURNAL_DATAGRAM_MAX 65536 /* oomtop's records are far smaller; larger ones need a memfd */

int journal_key_ok(const char *key);
int journal_field(struct strbuf *sb, const char *key, const char *value, size_t len);
int journal_send(const char *path, const char *buf, size_t len);

#endif
