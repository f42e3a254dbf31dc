/* User names for uids, cached: each name is looked up once per run. */
#ifndef OOMTOP_USERS_H
#define OOMTOP_USERS_H

#include <sys/types.h>

const char *users_name(uid_t uid);
int users_parse(const char *name_or_uid, uid_t *uid);
void users_free(void);

#endif
