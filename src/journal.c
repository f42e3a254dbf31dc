/*
 * Encoding journal fields and sending them (systemd's "Native Journal
 * Protocol", the socket sd_journal_send() writes to): a field is KEY=VALUE
 * and a newline, or, when the value holds a newline, KEY, a newline, the
 * value's length as a little-endian 64-bit number, the value and a newline,
 * so that no value can end its field early and start a forged one.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "journal.h"

/*
 * Tells whether key may name a field a client sends: 1 to 64 of A-Z, 0-9
 * and _, not starting with a digit nor with _ (journald keeps those for the
 * fields it adds itself, journal_field_valid() in systemd's
 * journal-file.c); returns 0 or -EINVAL.
 */
int journal_key_ok(const char *key)
{
	size_t n = strlen(key);

	if (n == 0 || n > JOURNAL_KEY_MAX || key[0] == '_' || (key[0] >= '0' && key[0] <= '9'))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!((key[i] >= 'A' && key[i] <= 'Z') || (key[i] >= '0' && key[i] <= '9') || key[i] == '_'))
			return -EINVAL;
	return 0;
}

/*
 * Appends one field, value being any len bytes (NULs and newlines
 * included); returns 0, or -EINVAL for a key journald would not take.
 */
int journal_field(struct strbuf *sb, const char *key, const char *value, size_t len)
{
	unsigned char le[8];
	uint64_t n = len;

	if (journal_key_ok(key) < 0)
		return -EINVAL;
	sb_adds(sb, key);
	if (!memchr(value, '\n', len)) {
		sb_addc(sb, '=');
		sb_add(sb, value, len);
		sb_addc(sb, '\n');
		return 0;
	}
	for (int i = 0; i < 8; i++)
		le[i] = (unsigned char)(n >> (8 * i));
	sb_addc(sb, '\n');
	sb_add(sb, le, sizeof(le));
	sb_add(sb, value, len);
	sb_addc(sb, '\n');
	return 0;
}

/*
 * Sends one record (fields made by journal_field()) as one datagram to the
 * journal socket at path; returns 0 or -errno (-ENOENT or -ECONNREFUSED:
 * no journal listens there, -EMSGSIZE: too large for one datagram).
 */
int journal_send(const char *path, const char *buf, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t plen = strlen(path);
	int fd, err = 0;

	if (plen >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	if (len > JOURNAL_DATAGRAM_MAX)
		return -EMSGSIZE;
	memcpy(sa.sun_path, path, plen + 1);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* a journal that stopped reading must not stop the kill records: give up after a while */
	struct timeval tv = { .tv_sec = 2 };
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (sendto(fd, buf, len, MSG_NOSIGNAL, (const struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno != EINTR) {
			err = -errno;
			break;
		}
	}
	close(fd);
	return err;
}
