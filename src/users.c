/* A small uid -> name cache in front of getpwuid(3), whose NSS lookups are slow. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "users.h"
#include "xalloc.h"

struct user_entry {
	uid_t uid;
	char *name;
};

static struct user_entry *cache;
static size_t cache_len, cache_cap;

/* Returns the name of uid, or its number as text when it has none; the string is borrowed from the cache. */
const char *users_name(uid_t uid)
{
	struct passwd *pw;

	for (size_t i = 0; i < cache_len; i++)
		if (cache[i].uid == uid)
			return cache[i].name;
	if (cache_len == cache_cap) {
		cache_cap = cache_cap ? cache_cap * 2 : 16;
		cache = xreallocarray(cache, cache_cap, sizeof(*cache));
	}
	pw = getpwuid(uid);
	cache[cache_len].uid = uid;
	cache[cache_len].name = pw ? xstrdup(pw->pw_name) : xasprintf("%lu", (unsigned long)uid);
	return cache[cache_len++].name;
}

/* Resolves a user name or a numeric uid; 0, or -ENOENT for an unknown user. */
int users_parse(const char *name_or_uid, uid_t *uid)
{
	struct passwd *pw = getpwnam(name_or_uid);
	unsigned long v;

	if (pw) {
		*uid = pw->pw_uid;
		return 0;
	}
	if (num_parse_ulong(name_or_uid, 0xfffffffeUL, &v) == 0) {
		*uid = (uid_t)v;
		return 0;
	}
	return -ENOENT;
}

/* Releases the cache. */
void users_free(void)
{
	for (size_t i = 0; i < cache_len; i++)
		free(cache[i].name);
	free(cache);
	cache = NULL;
	cache_len = cache_cap = 0;
}
