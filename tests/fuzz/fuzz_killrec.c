/*
 * libFuzzer harness for the kill records' position (src/killrec.c) and the
 * journal encoder (src/journal.c): the input is a record line, a state
 * file, or a field's value.  A position read back must be a boot id and a
 * sequence number that format and read back unchanged; an encoded field
 * must decode to exactly the input bytes, as one field.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "killrec.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless pos is a position oomtop could have written, and survives its own state file. */
static void check_pos(const struct killrec_pos *pos)
{
	struct strbuf sb = STRBUF_INIT;
	struct killrec_pos back;

	if (pos->seq < 0 || pos->seq >= 1000000000000000000LL ||
	    !killrec_boot_id_ok(pos->boot_id, strlen(pos->boot_id)))
		abort();
	killrec_format_state(&sb, pos);
	if (killrec_parse_state(sb.buf, sb.len, &back) != 0 || back.seq != pos->seq ||
	    strcmp(back.boot_id, pos->boot_id) != 0)
		abort();
	sb_free(&sb);
}

/* Aborts unless the one field in sb holds value (len bytes) under KEY. */
static void check_field(const struct strbuf *sb, const char *value, size_t len)
{
	const char *p = sb->buf;

	if (memchr(value, '\n', len)) {
		uint64_t n = 0;
		if (sb->len != 4 + 8 + len + 1 || memcmp(p, "KEY\n", 4) != 0)
			abort();
		for (int i = 7; i >= 0; i--)
			n = n << 8 | (unsigned char)p[4 + i];
		if (n != len || memcmp(p + 12, value, len) != 0 || p[12 + len] != '\n')
			abort();
	} else if (sb->len != 4 + len + 1 || memcmp(p, "KEY=", 4) != 0 || memcmp(p + 4, value, len) != 0 ||
		   p[4 + len] != '\n') {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct killrec_pos pos;
	struct strbuf sb = STRBUF_INIT;

	if (killrec_parse_line(s, size, &pos) == 0)
		check_pos(&pos);
	if (killrec_parse_state(s, size, &pos) == 0)
		check_pos(&pos);
	if (journal_field(&sb, "KEY", s, size) != 0)
		abort();
	check_field(&sb, s, size);
	sb_free(&sb);
	return 0;
}
