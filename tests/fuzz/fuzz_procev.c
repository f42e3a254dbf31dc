/* libFuzzer harness: the process events connector's datagrams (procev_parse), every length hostile. */
#include <stddef.h>
#include <stdint.h>

#include "procev.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parses one datagram; every event it returns must carry positive pids. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procev ev[8];
	size_t n = 0;

	(void)procev_parse(data, size, ev, 8, &n);
	for (size_t i = 0; i < n; i++)
		if (ev[i].kind == PROCEV_NONE || ev[i].pid <= 0 || ev[i].tgid <= 0)
			__builtin_trap();
	return 0;
}
