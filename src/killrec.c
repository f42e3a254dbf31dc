/*
 * The position of the kill records, as text: the state file's one line
 * "oomtop-log-state 1 BOOT_ID SEQ", and the kmsg_seq and boot_id keys at
 * the start of a record line (logfmt_json() writes them before any text
 * the log supplied).  Pure functions: text in, positions out.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "killrec.h"

#define STATE_MAGIC "oomtop-log-state 1 "

/* Tells whether s (len bytes) looks like a boot id: 1 to 39 hex digits and dashes. */
bool killrec_boot_id_ok(const char *s, size_t len)
{
	if (len == 0 || len >= KLOG_BOOT_ID_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F') ||
		      s[i] == '-'))
			return false;
	return true;
}

/* Reads a decimal sequence number of 1 to 18 digits at *p (advanced past it); 0 or -EINVAL. */
static int parse_seq(const char **p, const char *end, long long *out)
{
	long long v = 0;
	const char *s = *p;

	while (s < end && *s >= '0' && *s <= '9' && s - *p < 18)
		v = v * 10 + (*s++ - '0');
	if (s == *p || (s < end && *s >= '0' && *s <= '9'))
		return -EINVAL;
	*p = s;
	*out = v;
	return 0;
}

/* Reads the state file's text (one line, its newline optional); 0 or -EINVAL. */
int killrec_parse_state(const char *text, size_t len, struct killrec_pos *pos)
{
	const char *p = text, *end = text + len, *id;
	size_t magic = strlen(STATE_MAGIC);
	long long seq;

	if (len > KILLREC_STATE_MAX || len < magic || memcmp(p, STATE_MAGIC, magic) != 0)
		return -EINVAL;
	p += magic;
	id = p;
	while (p < end && *p != ' ')
		p++;
	if (p == end || !killrec_boot_id_ok(id, (size_t)(p - id)))
		return -EINVAL;
	memcpy(pos->boot_id, id, (size_t)(p - id));
	pos->boot_id[p - id] = '\0';
	p++;
	if (parse_seq(&p, end, &seq) < 0)
		return -EINVAL;
	if (p < end && *p == '\n')
		p++;
	if (p != end)
		return -EINVAL;
	pos->seq = seq;
	return 0;
}

/* Appends the state file's text for pos. */
void killrec_format_state(struct strbuf *sb, const struct killrec_pos *pos)
{
	sb_addf(sb, STATE_MAGIC "%s %lld\n", pos->boot_id, pos->seq);
}

/* Returns the first occurrence of the NUL-terminated needle in s (len bytes), or NULL. */
static const char *find(const char *s, size_t len, const char *needle)
{
	return memmem(s, len, needle, strlen(needle));
}

/*
 * Reads the position of a record line (`log --output`'s JSON object): its
 * "kmsg_seq" and "boot_id", looked for only in the first KILLREC_HEAD bytes,
 * where logfmt_json() writes them before any text of the log's (a string
 * holds a '"' only as \", so nothing inside one matches); 0, or -ENOENT when
 * the line has no such position.
 */
int killrec_parse_line(const char *line, size_t len, struct killrec_pos *pos)
{
	const char *p, *end, *id;
	long long seq;

	if (len > KILLREC_HEAD)
		len = KILLREC_HEAD;
	end = line + len;
	if (len == 0 || line[0] != '{')
		return -ENOENT;
	p = find(line, len, "\"kmsg_seq\":");
	if (!p)
		return -ENOENT;
	p += strlen("\"kmsg_seq\":");
	if (parse_seq(&p, end, &seq) < 0 || p == end || *p != ',')
		return -ENOENT;
	p = find(p, (size_t)(end - p), "\"boot_id\":\"");
	if (!p)
		return -ENOENT;
	id = p + strlen("\"boot_id\":\"");
	p = memchr(id, '"', (size_t)(end - id));
	if (!p || !killrec_boot_id_ok(id, (size_t)(p - id)))
		return -ENOENT;
	memcpy(pos->boot_id, id, (size_t)(p - id));
	pos->boot_id[p - id] = '\0';
	pos->seq = seq;
	return 0;
}

/* Tells whether ev was recorded already: a kmsg record of pos's boot at or before pos. */
bool killrec_seen(const struct killrec_pos *pos, const struct klog_event *ev)
{
	return pos->seq >= 0 && ev->kmsg_seq != KLOG_NONE && ev->kmsg_seq <= pos->seq &&
	       strcmp(ev->boot_id, pos->boot_id) == 0;
}

/* Moves pos on to other when other is of the same boot and further on. */
void killrec_take(struct killrec_pos *pos, const struct killrec_pos *other)
{
	if (strcmp(pos->boot_id, other->boot_id) == 0 && other->seq > pos->seq)
		pos->seq = other->seq;
}
