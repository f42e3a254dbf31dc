/*
 * libFuzzer harness for the /proc text parsers (src/proc_parse.c, and the
 * PSI parser of src/sysmem.c): the first byte picks the parser, the rest is
 * a file's content as the kernel might show it.  Values that parse must be
 * the ones the parser promises (a NUL-terminated name, a known state).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"
#include "sysmem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;
	size_t len;

	if (size == 0)
		return 0;
	len = size - 1;
	switch (data[0] % 6) {
	case 0: {
		struct proc_status st;
		if (proc_parse_status(text, len, &st) == 0 && strnlen(st.name, sizeof(st.name)) == sizeof(st.name))
			abort();
		break;
	}
	case 1: {
		struct proc_stat st;
		if (proc_parse_stat(text, len, &st) == 0 && strnlen(st.comm, sizeof(st.comm)) == sizeof(st.comm))
			abort();
		break;
	}
	case 2: {
		long v;
		if (proc_parse_long(text, len, -1000, 1000, &v) == 0 && (v < -1000 || v > 1000))
			abort();
		break;
	}
	case 3: {
		char out[64];
		proc_unescape_name(text, len, out, sizeof(out));
		if (strnlen(out, sizeof(out)) == sizeof(out))
			abort();
		break;
	}
	case 4: {
		char *copy = malloc(len + 1);
		memcpy(copy, text, len);
		copy[len] = '\0';
		proc_kernel_counts_approx(copy);
		free(copy);
		break;
	}
	default: {
		struct psi p;
		sysmem_psi_parse(text, len, &p);
		break;
	}
	}
	return 0;
}
