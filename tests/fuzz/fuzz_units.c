/*
 * libFuzzer harness for the unit file parser (src/units.c): the input is a
 * whole unit file or drop-in.  A value found must be in -1000..1000 and on
 * a line of the input; a name must be valid or not without crashing, and a
 * valid one never holds a '/'.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oomtop.h"
#include "units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct units_assign a;
	unsigned lines = 1;
	char name[300];

	for (size_t i = 0; i < size; i++)
		lines += text[i] == '\n';
	if (units_parse(text, size, "Service", "OOMScoreAdjust", &a) == 0) {
		if (a.set && (a.value < OOM_SCORE_ADJ_MIN || a.value > OOM_SCORE_ADJ_MAX))
			abort();
		if (a.seen && (a.line < 1 || a.line > lines))
			abort();
		if (!a.seen && a.set)
			abort();
	} else if (!memchr(text, '\0', size)) {
		abort(); /* only a NUL byte is refused */
	}
	if (size < sizeof(name)) {
		memcpy(name, data, size);
		name[size] = '\0';
		if (strlen(name) == size && units_name_valid(name) && strchr(name, '/'))
			abort();
	}
	return 0;
}
