/*
 * Telling a workload from a cgroup path, without any I/O: systemd's units
 * (the cgroup names of src/core/cgroup.c and cg_escape()), docker, podman,
 * containerd, CRI-O and LXC containers, and the kubelet's pod cgroups of
 * both drivers (pkg/kubelet/cm's cgroup names).  Also the small JSON
 * readers for the runtimes' state files.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "cgroup.h"
#include "workload.h"

#define JSON_DEPTH_MAX 64

/* Returns the JSON name of a kind. */
const char *workload_kind_name(enum workload_kind k)
{
	static const char *const names[] = { "none",    "service",   "scope", "slice", "user-service",
					     "session", "container", "pod",   "cgroup" };

	return (size_t)k < sizeof(names) / sizeof(names[0]) ? names[k] : "none";
}

/* Returns the JSON name of a runtime, or NULL for none. */
const char *workload_runtime_name(enum workload_runtime r)
{
	static const char *const names[] = { NULL, "docker", "podman", "containerd", "crio", "lxc" };

	return (size_t)r < sizeof(names) / sizeof(names[0]) ? names[r] : NULL;
}

/* Returns the JSON name of a QoS class, or NULL for none. */
const char *workload_qos_name(enum workload_qos q)
{
	static const char *const names[] = { NULL, "guaranteed", "burstable", "besteffort" };

	return (size_t)q < sizeof(names) / sizeof(names[0]) ? names[q] : NULL;
}

/* Returns whether two workloads are the same one: kind, name, id and unit. */
bool workload_same(const struct workload *a, const struct workload *b)
{
	return a->kind == b->kind && strcmp(a->name, b->name) == 0 && strcmp(a->id, b->id) == 0 &&
	       strcmp(a->unit, b->unit) == 0;
}

/* Copies n bytes of s into out as a string; false when it does not fit. */
static bool copy_n(char *out, size_t size, const char *s, size_t n)
{
	if (n >= size)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/* Returns whether the n bytes at s are lowercase hex digits. */
static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Returns whether the n bytes at s are a container id: 64 hex digits. */
static bool is_container_id(const char *s, size_t n)
{
	return n == 64 && all_hex(s, n);
}

/* Returns the value of a hex digit, or -1. */
static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Returns whether the component [s, s+n) ends with suffix. */
static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* Returns whether the component [s, s+n) begins with prefix. */
static bool starts_with(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

/* Returns whether [s, s+n) is exactly word. */
static bool equals(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(s, word, n) == 0;
}

/*
 * Parses a pod UID as the kubelet writes it in a cgroup name: 36 characters
 * of hex digits and sep at the four places of a UUID, or the 32 hex digits
 * of a static pod's hash; stores it with dashes.  false when it is neither.
 */
static bool parse_pod_uid(const char *s, size_t n, char sep, char *uid)
{
	if (n == 32 && all_hex(s, n)) {
		memcpy(uid, s, n);
		uid[n] = '\0';
		return true;
	}
	if (n != 36)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != sep : !all_hex(s + i, 1))
			return false;
		uid[i] = dash ? '-' : s[i];
	}
	uid[n] = '\0';
	return true;
}

/* Returns whether a component is a systemd unit's cgroup: a unit name (cg_escape()'s '_' taken off). */
static bool unit_component(const char *s, size_t n, const char **unit, size_t *len)
{
	if (n > 1 && s[0] == '_') /* cg_escape() puts one before names that would clash */
		s++, n--;
	if (n >= WORKLOAD_NAME_MAX)
		return false;
	/* a name before the suffix */
	if (!(n > 8 && ends_with(s, n, ".service")) && !(n > 6 && ends_with(s, n, ".scope")) &&
	    !(n > 6 && ends_with(s, n, ".slice")))
		return false;
	*unit = s;
	*len = n;
	return true;
}

/*
 * Recognises a container's cgroup name: docker-ID.scope, libpod-ID.scope,
 * cri-containerd-ID.scope, crio-ID.scope (with or without .scope, as the
 * cgroupfs drivers write them), libpod-ID, or a bare ID (under /docker,
 * /libpod_parent or a pod: parent tells); stores the id and the runtime.
 */
static bool container_component(const char *s, size_t n, const char *parent, size_t plen, struct workload *w)
{
	static const struct {
		const char *prefix;
		enum workload_runtime rt;
	} forms[] = {
		{ "docker-", WORKLOAD_RT_DOCKER },
		{ "libpod-", WORKLOAD_RT_PODMAN },
		{ "cri-containerd-", WORKLOAD_RT_CONTAINERD },
		{ "crio-", WORKLOAD_RT_CRIO },
	};
	size_t m = ends_with(s, n, ".scope") ? n - 6 : n;

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t k = strlen(forms[i].prefix);
		if (m == k + 64 && starts_with(s, m, forms[i].prefix) && is_container_id(s + k, 64)) {
			copy_n(w->id, sizeof(w->id), s + k, 64);
			w->runtime = forms[i].rt;
			return true;
		}
	}
	if (!is_container_id(s, n))
		return false;
	copy_n(w->id, sizeof(w->id), s, 64);
	if (parent && equals(parent, plen, "docker"))
		w->runtime = WORKLOAD_RT_DOCKER;
	else
		w->runtime = WORKLOAD_RT_NONE; /* under a pod with the cgroupfs driver: any runtime */
	return true;
}

/*
 * Recognises the kubelet's cgroups: the QoS level (burstable, besteffort,
 * or kubepods-burstable.slice...) and the pod (podUID, or
 * kubepods[-QOS]-podUID_WITH_UNDERSCORES.slice); true when s is one of them.
 */
static bool kube_component(const char *s, size_t n, struct workload *w)
{
	const char *u;
	size_t un;

	if (equals(s, n, "burstable") || equals(s, n, "kubepods-burstable.slice")) {
		w->qos = WORKLOAD_QOS_BURSTABLE;
		return true;
	}
	if (equals(s, n, "besteffort") || equals(s, n, "kubepods-besteffort.slice")) {
		w->qos = WORKLOAD_QOS_BESTEFFORT;
		return true;
	}
	if (starts_with(s, n, "pod"))
		return parse_pod_uid(s + 3, n - 3, '-', w->pod_uid);
	if (!starts_with(s, n, "kubepods-") || !ends_with(s, n, ".slice"))
		return false;
	u = s + 9;
	un = n - 9 - 6;
	if (starts_with(u, un, "burstable-"))
		u += 10, un -= 10;
	else if (starts_with(u, un, "besteffort-"))
		u += 11, un -= 11;
	return starts_with(u, un, "pod") && parse_pod_uid(u + 3, un - 3, '_', w->pod_uid);
}

/* Undoes systemd's \xNN escapes of a unit name (unit_name_unescape()) into out, cut to size. */
void workload_unit_unescape(const char *in, char *out, size_t size)
{
	size_t o = 0;

	if (size == 0)
		return;
	for (size_t i = 0; in[i] && o + 1 < size; i++) {
		int hi = in[i] == '\\' && in[i + 1] == 'x' ? hex_val(in[i + 2]) : -1;
		int lo = hi >= 0 ? hex_val(in[i + 3]) : -1;
		if (lo >= 0 && (hi << 4 | lo) != 0) {
			out[o++] = (char)(hi << 4 | lo);
			i += 3;
			continue;
		}
		out[o++] = in[i];
	}
	out[o] = '\0';
}

/* Sets w's kind and names from the unit found deepest in the path, when there was one. */
static void unit_kind(struct workload *w, bool in_user_manager, const char *manager, size_t mlen)
{
	size_t n = strlen(w->unit);

	if (equals(w->unit, n, "init.scope") && in_user_manager) {
		copy_n(w->unit, sizeof(w->unit), manager, mlen); /* the user's manager itself */
		n = mlen;
	}
	if (ends_with(w->unit, n, ".service"))
		w->kind =
			in_user_manager && !starts_with(w->unit, n, "user@") ? WORKLOAD_USER_SERVICE : WORKLOAD_SERVICE;
	else if (ends_with(w->unit, n, ".scope"))
		w->kind = starts_with(w->unit, n, "session-") ? WORKLOAD_SESSION : WORKLOAD_SCOPE;
	else
		w->kind = WORKLOAD_SLICE;
	workload_unit_unescape(w->unit, w->name, sizeof(w->name));
}

/* Names a container or pod that the disk did not name: the short id, the pod's UID. */
static void default_names(struct workload *w)
{
	if (w->kind == WORKLOAD_POD)
		copy_n(w->name, sizeof(w->name), w->pod_uid, strlen(w->pod_uid));
	else if (w->kind == WORKLOAD_CONTAINER && w->id[0])
		copy_n(w->name, sizeof(w->name), w->id, 12);
}

/*
 * Tells the workload of a cgroup path (as /proc/PID/cgroup shows it); the
 * outermost container or pod wins over the units inside it, and the deepest
 * unit over its slices.  0, or -EINVAL when the path is not absolute.
 */
int workload_parse(const char *path, struct workload *w)
{
	const char *p = path, *prev = NULL, *manager = NULL;
	size_t prevlen = 0, mlen = 0, foreign = 0, unit_end = 0, manager_end = 0, container_end = 0, pod_end = 0;
	bool kube = false, container = false, user_manager = false, lxc_parent = false;

	memset(w, 0, sizeof(*w));
	if (path[0] != '/')
		return -EINVAL;
	while (*p) {
		const char *s, *unit;
		size_t n, ulen;
		while (*p == '/')
			p++;
		s = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - s);
		if (n == 0)
			break;
		if (!container) {
			if (!kube && (equals(s, n, "kubepods") || equals(s, n, "kubepods.slice"))) {
				kube = true;
				w->qos = WORKLOAD_QOS_GUARANTEED; /* unless a QoS level follows */
			} else if (kube && !w->pod_uid[0] && kube_component(s, n, w)) {
				/* the QoS level or the pod */
				if (w->pod_uid[0])
					pod_end = (size_t)(p - path);
			} else if (container_component(s, n, prev, prevlen, w)) {
				container = true;
			} else if (starts_with(s, n, "lxc.payload.") && n > 12 && !kube) {
				container = copy_n(w->name, sizeof(w->name), s + 12, n - 12);
				w->runtime = WORKLOAD_RT_LXC;
			} else if (lxc_parent && !kube && prev == path + 1) {
				container = copy_n(w->name, sizeof(w->name), s, n);
				w->runtime = WORKLOAD_RT_LXC;
			}
			if (container)
				container_end = (size_t)(p - path);
			lxc_parent = prev == NULL && equals(s, n, "lxc");
		}
		if (!unit_component(s, n, &unit, &ulen)) {
			foreign++;
		} else {
			foreign = 0;
			copy_n(w->unit, sizeof(w->unit), unit, ulen);
			unit_end = (size_t)(p - path);
			if (!user_manager && starts_with(unit, ulen, "user@") && ends_with(unit, ulen, ".service")) {
				user_manager = true;
				manager = unit;
				mlen = ulen;
				manager_end = unit_end;
			}
		}
		prev = s;
		prevlen = n;
	}
	if (!kube || !w->pod_uid[0])
		w->qos = WORKLOAD_QOS_NONE;
	w->base_len = strlen(path);
	if (kube && w->pod_uid[0]) {
		w->kind = WORKLOAD_POD;
		w->base_len = pod_end;
		if (!w->id[0])
			copy_n(w->id, sizeof(w->id), w->pod_uid, strlen(w->pod_uid));
	} else if (container) {
		w->kind = WORKLOAD_CONTAINER;
		w->base_len = container_end;
	} else if (w->unit[0] && !(foreign && ends_with(w->unit, strlen(w->unit), ".slice"))) {
		/* a unit, or a subtree delegated to it; not a cgroup someone made inside a slice */
		w->base_len = unit_end;
		if (strcmp(w->unit, "init.scope") == 0 && user_manager)
			w->base_len = manager_end;
		unit_kind(w, user_manager, manager, mlen);
		return 0;
	} else if (prev) {
		w->kind = WORKLOAD_CGROUP;
		w->unit[0] = '\0';
		if (!copy_n(w->name, sizeof(w->name), path, strlen(path)))
			copy_n(w->name, sizeof(w->name), prev,
			       prevlen < sizeof(w->name) ? prevlen : sizeof(w->name) - 1);
		return 0;
	} else {
		w->kind = WORKLOAD_NONE;
		w->base_len = 1;
		return 0;
	}
	if (!w->name[0])
		default_names(w);
	return 0;
}

/*
 * Chooses the cgroup path a workload is told from, in /proc/PID/cgroup's
 * text: the v1 memory hierarchy's (the one the OOM killer uses where memory
 * is mounted as v1), else, or when that is the root, the v2 path.  0,
 * -ENOENT when there is neither, -EINVAL or -ENAMETOOLONG.
 */
int workload_choose_path(const char *buf, size_t len, char *path, size_t size)
{
	int err = cgroup_parse_proc(buf, len, 1, path, size);

	if (err == 0 && strcmp(path, "/") != 0)
		return 0;
	if (cgroup_parse_proc(buf, len, 2, path, size) == 0)
		return 0;
	return err;
}

/* The JSON skimmer: a cursor over a bounded text. */
struct jcur {
	const char *p, *end;
};

/* Skips white space. */
static void j_ws(struct jcur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

/* Appends the UTF-8 of code point cp to out at *o, when it fits. */
static void put_utf8(char *out, size_t size, size_t *o, unsigned long cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80)
		b[0] = (char)cp, n = 1;
	else if (cp < 0x800)
		b[0] = (char)(0xc0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
	else if (cp < 0x10000)
		b[0] = (char)(0xe0 | cp >> 12), b[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
		b[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
	else
		b[0] = (char)(0xf0 | cp >> 18), b[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), b[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
	if (out && *o + n < size)
		memcpy(out + *o, b, n);
	*o += n;
}

/* Reads 4 hex digits of a \u escape; -1 when they are not. */
static long j_hex4(struct jcur *c)
{
	long v = 0;

	if (c->end - c->p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int d = hex_val(*c->p++);
		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/*
 * Reads a JSON string at the cursor (on its '"'), decoded into out when out
 * is not NULL; its decoded length (which may exceed size: then out is not a
 * whole string), or -EINVAL.  A decoded NUL makes it -EINVAL too.
 */
static long j_string(struct jcur *c, char *out, size_t size)
{
	size_t o = 0;

	if (c->p >= c->end || *c->p != '"')
		return -EINVAL;
	c->p++;
	while (c->p < c->end && *c->p != '"') {
		char ch = *c->p++;
		if ((unsigned char)ch < 0x20)
			return -EINVAL;
		if (ch != '\\') {
			if (out && o + 1 < size)
				out[o] = ch;
			o++;
			continue;
		}
		if (c->p >= c->end)
			return -EINVAL;
		ch = *c->p++;
		if (ch == 'u') {
			long cp = j_hex4(c), lo;
			if (cp <= 0)
				return -EINVAL;
			if (cp >= 0xd800 && cp < 0xdc00) {
				if (c->end - c->p < 6 || c->p[0] != '\\' || c->p[1] != 'u')
					return -EINVAL;
				c->p += 2;
				lo = j_hex4(c);
				if (lo < 0xdc00 || lo > 0xdfff)
					return -EINVAL;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp < 0xe000) {
				return -EINVAL;
			}
			put_utf8(out, size, &o, (unsigned long)cp);
			continue;
		}
		static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
		const char *k = memchr(from, ch, sizeof(from) - 1);
		if (!k)
			return -EINVAL;
		if (out && o + 1 < size)
			out[o] = to[k - from];
		o++;
	}
	if (c->p >= c->end)
		return -EINVAL;
	c->p++;
	if (out && size)
		out[o < size ? o : size - 1] = '\0';
	return (long)o;
}

/* Skips one JSON value of any kind, at most JSON_DEPTH_MAX deep; 0 or -EINVAL. */
static int j_skip(struct jcur *c, int depth)
{
	j_ws(c);
	if (c->p >= c->end || depth > JSON_DEPTH_MAX)
		return -EINVAL;
	if (*c->p == '"')
		return j_string(c, NULL, 0) < 0 ? -EINVAL : 0;
	if (*c->p == '{' || *c->p == '[') {
		char close = *c->p == '{' ? '}' : ']';
		bool obj = close == '}';
		c->p++;
		j_ws(c);
		if (c->p < c->end && *c->p == close) {
			c->p++;
			return 0;
		}
		for (;;) {
			if (obj) {
				j_ws(c);
				if (j_string(c, NULL, 0) < 0)
					return -EINVAL;
				j_ws(c);
				if (c->p >= c->end || *c->p++ != ':')
					return -EINVAL;
			}
			if (j_skip(c, depth + 1) < 0)
				return -EINVAL;
			j_ws(c);
			if (c->p >= c->end)
				return -EINVAL;
			if (*c->p == close) {
				c->p++;
				return 0;
			}
			if (*c->p++ != ',')
				return -EINVAL;
		}
	}
	while (c->p < c->end && strchr("+-.0123456789eEtruefalsn", *c->p))
		c->p++; /* a number, true, false or null */
	return 0;
}

/* Reads the key of an object member and its ':' into key (cut to size); its length or -EINVAL. */
static long j_key(struct jcur *c, char *key, size_t size)
{
	long n;

	j_ws(c);
	n = j_string(c, key, size);
	if (n < 0)
		return n;
	j_ws(c);
	if (c->p >= c->end || *c->p++ != ':')
		return -EINVAL;
	j_ws(c);
	return n;
}

/* Reads a string value that must fit name (no NUL, shorter than size); 0, -EINVAL or -ENAMETOOLONG. */
static int j_name(struct jcur *c, char *name, size_t size)
{
	long n = j_string(c, name, size);

	if (n < 0)
		return (int)n;
	if ((size_t)n >= size) {
		name[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}

/* Steps over the ',' between members or the closing bracket; 1 at the end, 0 for more, or -EINVAL. */
static int j_next(struct jcur *c, char close)
{
	j_ws(c);
	if (c->p >= c->end)
		return -EINVAL;
	if (*c->p == close) {
		c->p++;
		return 1;
	}
	if (*c->p++ != ',')
		return -EINVAL;
	return 0;
}

/*
 * Reads the top-level "Name" of docker's config.v2.json ("/web"), without
 * its slash, into name; 0, -ENOENT when there is none, -EINVAL for text that
 * is not JSON, -ENAMETOOLONG for a name that does not fit.
 */
int workload_json_name(const char *buf, size_t len, char *name, size_t size)
{
	struct jcur c = { buf, buf + len };
	char key[8];

	j_ws(&c);
	if (c.p >= c.end || *c.p++ != '{')
		return -EINVAL;
	j_ws(&c);
	if (c.p < c.end && *c.p == '}')
		return -ENOENT;
	for (;;) {
		long kn = j_key(&c, key, sizeof(key));
		int r;
		if (kn < 0)
			return -EINVAL;
		if (kn == 4 && strcmp(key, "Name") == 0 && c.p < c.end && *c.p == '"') {
			r = j_name(&c, name, size);
			if (r == 0 && name[0] == '/')
				memmove(name, name + 1, strlen(name));
			return r == 0 && !name[0] ? -ENOENT : r;
		}
		if (j_skip(&c, 1) < 0)
			return -EINVAL;
		r = j_next(&c, '}');
		if (r < 0)
			return -EINVAL;
		if (r == 1)
			return -ENOENT;
	}
}

/* Reads one element of podman's containers.json; stores its first name when its "id" is id. */
static int podman_entry(struct jcur *c, const char *id, char *name, size_t size, bool *found)
{
	char key[8], val[WORKLOAD_ID_MAX], first[WORKLOAD_NAME_MAX] = "";
	bool match = false, have_first = false;
	int r;

	j_ws(c);
	if (c->p >= c->end || *c->p != '{')
		return j_skip(c, 1);
	c->p++;
	j_ws(c);
	if (c->p < c->end && *c->p == '}') {
		c->p++;
		return 0;
	}
	for (;;) {
		long kn = j_key(c, key, sizeof(key));
		if (kn < 0)
			return -EINVAL;
		if (kn == 2 && strcmp(key, "id") == 0 && c->p < c->end && *c->p == '"') {
			long n = j_string(c, val, sizeof(val));
			if (n < 0)
				return -EINVAL;
			match = (size_t)n < sizeof(val) && strcmp(val, id) == 0;
		} else if (kn == 5 && strcmp(key, "names") == 0 && c->p < c->end && *c->p == '[') {
			c->p++;
			j_ws(c);
			if (c->p < c->end && *c->p == ']') {
				c->p++;
			} else {
				do {
					j_ws(c);
					if (!have_first && c->p < c->end && *c->p == '"') {
						have_first = true;
						if (j_name(c, first, sizeof(first)) == -EINVAL)
							return -EINVAL;
					} else if (j_skip(c, 2) < 0) {
						return -EINVAL;
					}
				} while ((r = j_next(c, ']')) == 0);
				if (r < 0)
					return -EINVAL;
			}
		} else if (j_skip(c, 2) < 0) {
			return -EINVAL;
		}
		r = j_next(c, '}');
		if (r < 0)
			return -EINVAL;
		if (r == 1)
			break;
	}
	if (match && first[0]) {
		*found = copy_n(name, size, first, strlen(first));
		return *found ? 0 : -ENAMETOOLONG;
	}
	return 0;
}

/*
 * Finds the first of the "names" of the container whose "id" is id in the
 * array of podman's (containers/storage's) containers.json; 0, -ENOENT,
 * -EINVAL for text that is not such an array, -ENAMETOOLONG.
 */
int workload_json_podman_name(const char *buf, size_t len, const char *id, char *name, size_t size)
{
	struct jcur c = { buf, buf + len };
	bool found = false;
	int r;

	j_ws(&c);
	if (c.p >= c.end || *c.p++ != '[')
		return -EINVAL;
	j_ws(&c);
	if (c.p < c.end && *c.p == ']')
		return -ENOENT;
	do {
		r = podman_entry(&c, id, name, size, &found);
		if (r < 0)
			return r;
		if (found)
			return 0;
	} while ((r = j_next(&c, ']')) == 0);
	return r < 0 ? -EINVAL : -ENOENT;
}

/*
 * Parses a kubelet pod log directory's name, NAMESPACE_NAME_UID (namespaces
 * and names hold no '_'); 0 or -EINVAL, -ENAMETOOLONG.
 */
int workload_pod_dir_parse(const char *dname, char *ns, size_t nssz, char *name, size_t namesz, char *uid, size_t uidsz)
{
	const char *a = strchr(dname, '_'), *b = strrchr(dname, '_');
	size_t ul;

	if (!a || a == b || a == dname || b == a + 1 || !b[1])
		return -EINVAL;
	ul = strlen(b + 1);
	if (!copy_n(ns, nssz, dname, (size_t)(a - dname)) || !copy_n(name, namesz, a + 1, (size_t)(b - a - 1)) ||
	    !copy_n(uid, uidsz, b + 1, ul))
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Returns whether a workload's unit matches the shell glob (as systemctl
 * matches unit names): the unit as systemctl names it, or with its \xNN
 * escapes undone.
 */
bool workload_unit_match(const struct workload *w, const char *glob)
{
	char plain[WORKLOAD_NAME_MAX];

	if (!w->unit[0])
		return false;
	workload_unit_unescape(w->unit, plain, sizeof(plain));
	/* systemctl matches unit globs with FNM_NOESCAPE (output_show_unit()): a backslash is itself, as in \x2d */
	return fnmatch(glob, w->unit, FNM_NOESCAPE) == 0 || fnmatch(glob, plain, FNM_NOESCAPE) == 0;
}

/*
 * Returns whether a workload matches a --workload pattern: a shell glob on
 * its name (a unit, a container's name, a pod's namespace/name), its unit,
 * or a prefix of at least 4 characters of its container id or pod UID.
 */
bool workload_match(const struct workload *w, const char *pattern)
{
	size_t n = strlen(pattern);

	if (w->kind == WORKLOAD_NONE)
		return false;
	if (fnmatch(pattern, w->name, 0) == 0 || workload_unit_match(w, pattern))
		return true;
	if (n < 4)
		return false;
	return (w->id[0] && strncmp(w->id, pattern, n) == 0) || (w->pod_uid[0] && strncmp(w->pod_uid, pattern, n) == 0);
}
