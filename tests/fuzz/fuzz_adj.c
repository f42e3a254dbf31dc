/*
 * libFuzzer harness for the writer's pure part (src/adj_parse.c, src/adjfmt.c):
 * adj values as a user types them (adj_parse, both scales: a value that parses is in range),
 * and the message of a result whose fields come from the input (adjfmt_result,
 * adjfmt_log), whose comms are any bytes a process may choose.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adj.h"
#include "adjfmt.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input not yet consumed. */
struct take {
	const uint8_t *p;
	size_t left;
};

/* Returns the next byte of the input, 0 past its end. */
static uint8_t take_byte(struct take *t)
{
	if (t->left == 0)
		return 0;
	t->left--;
	return *t->p++;
}

/* Returns the next four bytes as an int. */
static int take_int(struct take *t)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | take_byte(t);
	return (int)v;
}

/* Fills a comm: a length byte, then that many bytes (a NUL ends it early, as in the kernel's). */
static void take_str(struct take *t, char *out, size_t size)
{
	size_t n = take_byte(t) % size, i;

	for (i = 0; i < n; i++)
		out[i] = (char)take_byte(t);
	out[i] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	struct adj_result res;
	char *s = malloc(size + 1);
	int v;

	memcpy(s, data, size);
	s[size] = '\0';
	for (int unit = ADJ_SCORE; unit <= ADJ_LEGACY; unit++)
		if (adj_parse(s, (enum adj_unit)unit, &v) == 0 &&
		    (v < adj_unit_min((enum adj_unit)unit) || v > adj_unit_max((enum adj_unit)unit)))
			abort();
	free(s);

	/* a result made of the input's bytes, with what adj_set() guarantees made true */
	struct take t = { data, size };
	memset(&res, 0, sizeof(res));
	res.id.pid = (pid_t)take_int(&t);
	res.id.uid = (uid_t)take_int(&t);
	res.err = -(int)(take_byte(&t) % 140);
	res.unit = (enum adj_unit)(take_byte(&t) % 2);
	uint8_t flags = take_byte(&t);
	res.fallback = flags & 1;
	res.converted = flags & 2;
	res.have_old = flags & 4;
	res.changed = flags & 8;
	res.dry_run = flags & 16;
	res.pid_reused = flags & 32;
	res.cap_sys_resource = flags & 64;
	res.requested = take_int(&t);
	res.target_score = take_int(&t);
	res.target_legacy = take_int(&t);
	res.old_score = take_int(&t);
	res.new_score = take_int(&t);
	res.old_legacy = take_int(&t);
	res.new_legacy = take_int(&t);
	res.file_uid = (uid_t)take_int(&t);
	res.self_uid = (uid_t)take_int(&t);
	res.nsharers = take_byte(&t) % (ADJ_SHARERS_MAX + 4);
	for (size_t i = 0; i < ADJ_SHARERS_MAX; i++) {
		res.sharers[i].pid = (pid_t)take_int(&t);
		take_str(&t, res.sharers[i].comm, sizeof(res.sharers[i].comm));
	}
	res.owner_name = (flags & 128) ? "owner" : NULL;
	res.self_name = (size & 1) ? "self" : NULL;
	take_str(&t, res.id.comm, sizeof(res.id.comm));
	adjfmt_result(&sb, &res, (size & 4) != 0);
	sb_reset(&sb);
	adjfmt_log(&sb, &res, "fuzz", 0, (size & 2) ? "user" : NULL, (long)(size % 3) - 1);
	sb_free(&sb);
	return 0;
}
