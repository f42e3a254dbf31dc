/*
 * libFuzzer harness for the cgroup parsers (src/cgroup.c): the first byte
 * picks mountinfo, /proc/PID/cgroup (v1 or v2), a limit file, a flat keyed
 * file, cgroup.procs, or a path to clean; the rest is the text.  What parses
 * must keep the parser's promises (absolute paths, pids > 0, clean paths
 * without "." or ".." components or doubled slashes).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless path is what cgroup_clean_path() promises. */
static void check_clean(const char *path)
{
	size_t len = strlen(path);

	if (path[0] != '/' || strstr(path, "//") || strstr(path, "/./") || strstr(path, "/../") ||
	    (len > 1 && path[len - 1] == '/') || (len >= 2 && strcmp(path + len - 2, "/.") == 0) ||
	    (len >= 3 && strcmp(path + len - 3, "/..") == 0))
		abort();
}

/* Checks what can be derived from one parsed mount. */
static void use_mount(const struct cgroup_mount *m, const char *path)
{
	const char *rel;

	if (!m->version)
		return;
	if (m->root[0] != '/' || m->dir[0] != '/')
		abort();
	if (cgroup_rel_to_mount(m, path, &rel) == 0 && rel[0] == '/')
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;
	char *str, path[256];
	size_t len;

	if (size == 0)
		return 0;
	len = size - 1;
	switch (data[0] % 7) {
	case 0: {
		struct cgroup_mounts ms;
		if (cgroup_parse_mountinfo(text, len, &ms) == 0) {
			use_mount(&ms.v1_memory, "/a/b");
			use_mount(&ms.v2, "/");
		}
		break;
	}
	case 1:
	case 2:
		if (cgroup_parse_proc(text, len, data[0] % 7, path, sizeof(path)) == 0 && path[0] != '/')
			abort();
		break;
	case 3: {
		unsigned long pages;
		unsigned long page_size = (data[0] & 0x80) ? 65536 : 4096;
		if (cgroup_parse_limit(text, len, page_size, &pages) == 0 && pages > CGROUP_UNLIMITED(page_size))
			abort();
		break;
	}
	case 4: {
		unsigned long long v;
		cgroup_parse_keyed(text, len, "oom_kill", &v);
		break;
	}
	case 5: {
		pid_t *pids;
		size_t n;
		if (cgroup_parse_pids(text, len, &pids, &n) == 0) {
			for (size_t i = 0; i < n; i++)
				if (pids[i] <= 0)
					abort();
			free(pids);
		}
		break;
	}
	default:
		str = malloc(len + 1);
		memcpy(str, text, len);
		str[len] = '\0';
		if (cgroup_clean_path(str, path, sizeof(path)) == 0) {
			check_clean(path);
			cgroup_path_within(path, "/a");
		}
		free(str);
		break;
	}
	return 0;
}
