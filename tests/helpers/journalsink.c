/*
 * journalsink: a journal socket for tests.  Binds a datagram socket at PATH
 * (in a private mount namespace, /run/systemd/journal/socket), prints
 * "ready", then decodes every datagram as journald does (systemd's
 * journald-native.c: KEY=VALUE lines, or KEY, a newline, a 64-bit
 * little-endian length and that many bytes, a newline) and prints
 * "record", one "KEY=VALUE" line per field with every byte outside
 * 0x21-0x7e (and '\') as \xNN, then "end"; a datagram journald would not
 * read whole prints "error: WHY" instead of its remaining fields.
 * usage: journalsink PATH
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Tells whether a field name is one a client may send. */
static int key_ok(const char *k, size_t n)
{
	if (n == 0 || n > 64 || k[0] == '_' || (k[0] >= '0' && k[0] <= '9'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= '0' && k[i] <= '9') || k[i] == '_'))
			return 0;
	return 1;
}

/* Prints one field, its value escaped. */
static void put_field(const char *k, size_t kn, const unsigned char *v, size_t vn)
{
	printf("%.*s=", (int)kn, k);
	for (size_t i = 0; i < vn; i++)
		if (v[i] > 0x20 && v[i] < 0x7f && v[i] != '\\')
			putchar(v[i]);
		else
			printf("\\x%02x", v[i]);
	putchar('\n');
}

/* Decodes and prints one datagram. */
static void decode(const unsigned char *p, size_t n)
{
	const unsigned char *end = p + n;

	printf("record\n");
	while (p < end) {
		const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
		const unsigned char *eq;
		if (!nl) {
			printf("error: a field without its newline\n");
			return;
		}
		eq = memchr(p, '=', (size_t)(nl - p));
		if (eq) {
			if (!key_ok((const char *)p, (size_t)(eq - p))) {
				printf("error: bad key\n");
				return;
			}
			put_field((const char *)p, (size_t)(eq - p), eq + 1, (size_t)(nl - eq - 1));
			p = nl + 1;
			continue;
		}
		/* the binary form */
		uint64_t len = 0;
		const unsigned char *v = nl + 1;
		if (!key_ok((const char *)p, (size_t)(nl - p)) || end - v < 8) {
			printf("error: bad binary field\n");
			return;
		}
		for (int i = 7; i >= 0; i--)
			len = len << 8 | v[i];
		v += 8;
		if (len > (uint64_t)(end - v) || (uint64_t)(end - v) - len < 1 || v[len] != '\n') {
			printf("error: bad binary length\n");
			return;
		}
		put_field((const char *)p, (size_t)(nl - p), v, (size_t)len);
		p = v + len + 1;
	}
	printf("end\n");
}

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	static unsigned char buf[1 << 17];
	int fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (argc != 2 || strlen(argv[1]) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: journalsink PATH\n");
		return 2;
	}
	strcpy(addr.sun_path, argv[1]);
	unlink(argv[1]);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror("journalsink");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			continue;
		decode(buf, (size_t)n);
		fflush(stdout);
	}
}
