/*
 * libFuzzer harness for the rules file parser (src/rules.c): the input is a
 * whole /etc/oomtop.conf.  Every rule that parses must have an adj in range;
 * the errors must be one "FILE:LINE: message" line each.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adj.h"
#include "oomtop.h"
#include "rules.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT;
	struct rules rs;
	int rc = rules_parse((const char *)data, size, "fuzz.conf", NULL, &rs, &err);

	if ((rc < 0) != (err.len > 0))
		abort();
	if (err.len && (strncmp(err.buf, "fuzz.conf:", 10) != 0 || err.buf[err.len - 1] != '\n'))
		abort();
	for (size_t i = 0; i < rs.n; i++)
		if (rs.v[i].adj < adj_unit_min(rs.v[i].unit) || rs.v[i].adj > adj_unit_max(rs.v[i].unit))
			abort();
	rules_free(&rs);
	sb_free(&err);
	return 0;
}
