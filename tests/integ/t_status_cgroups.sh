# `oomtop status --format=prometheus --max-cgroups N` on memory cgroups this
# test makes, seen alone: oomtop runs in a cgroup namespace rooted at the
# test's cgroup, with the memory hierarchy mounted again from there (in a
# mount namespace of its own), so the host's other cgroups cannot take the
# places.  The N largest by usage are named, the rest are cgroup="other":
# their sizes summed, the headroom and first victim of the one nearest its
# limit; of 60 cgroups 50 are named by default.  In a cgroup namespace the
# kernel log's paths are not the ones oomtop sees: no removed cgroups then.
# It runs in a PID namespace of its own.
[ -n "${T_PIDNS:-}" ] || T_PIDNS=1 exec unshare --pid --fork --mount-proc bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

ROOT=$(memcg_root) || { echo "t_status_cgroups: no memory cgroup controller"; exit 1; }
[ -f "$ROOT/cgroup.subtree_control" ] && V2=1 || V2=0
N=oomtop-bound-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
memcg_create "$N" max || exit 1
TOP=$MEMCG

# Runs oomtop with the arguments given inside a cgroup namespace rooted at $TOP.
ns_oomtop() {
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec unshare --cgroup --mount "$@"' sh "$TOP" \
		sh -c 'umount "$1" && if [ "$2" = 1 ]; then mount -t cgroup2 oomtop-ns "$1"; else
			mount -t cgroup -o memory oomtop-ns "$1"; fi && shift 2 && exec "$@"' sh "$ROOT" "$V2" "$OOMTOP" "$@"
}
value() { awk -v m="$2" '$1 == m { print $2 }' "$1"; }
# Prints the usage of a cgroup of the test in bytes, as the kernel has it.
usage_of() { cat "$TOP/$1/memory.usage_in_bytes" 2>/dev/null || cat "$TOP/$1/memory.current"; }

# five cgroups, 4 to 20 MiB used; c1's 8 MiB limit makes it the nearest its limit
memcg_create "$N/c1" 8 && spawn_hog --cgroup "$MEMCG" --anon 5 --name bound1 || exit 1
for i in 2 3 4 5; do
	memcg_create "$N/c$i" 256 && spawn_hog --cgroup "$MEMCG" --anon $((i * 4)) --name "bound$i" || exit 1
done

ns_oomtop status --format=prometheus --max-cgroups 2 >"$T_TMP/two.prom" 2>"$T_TMP/err"
ok $? "--max-cgroups 2 in the namespace exits 0: $(cat "$T_TMP/err")"
promtool check metrics <"$T_TMP/two.prom" >/dev/null 2>&1
ok $? "promtool check metrics accepts it"
is "$(value "$T_TMP/two.prom" oomtop_limited_cgroups)" 5 "oomtop sees only the five"
is "$(sed -n 's/^oomtop_cgroup_memory_usage_bytes{cgroup="\([^"]*\)"}.*/\1/p' "$T_TMP/two.prom" | tr '\n' ' ')" \
	"/c5 /c4 other " "the two largest by usage are named, largest first, and other"
want=$(($(usage_of c1) + $(usage_of c2) + $(usage_of c3)))
got=$(value "$T_TMP/two.prom" 'oomtop_cgroup_memory_usage_bytes{cgroup="other"}')
d=$((got - want)); d=${d#-}
[ -n "$got" ] && [ "$d" -lt $((1 << 20)) ]
ok $? "other's usage is c1 + c2 + c3's ($got; the kernel's $want now)"
is "$(value "$T_TMP/two.prom" 'oomtop_cgroup_memory_limit_bytes{cgroup="other"}')" $(((8 + 256 + 256) << 20)) \
	"other's limit is theirs summed"
r1=$(awk -v u="$(usage_of c1)" 'BEGIN { printf "%.2f", u / (8 * 1048576) }')
r=$(value "$T_TMP/two.prom" 'oomtop_cgroup_memory_usage_ratio{cgroup="other"}')
is "$(awk -v r="$r" 'BEGIN { printf "%.2f", r }')" "$r1" "other's usage ratio is c1's, the nearest its limit ($r)"
is "$(value "$T_TMP/two.prom" 'oomtop_cgroup_next_victim_info{cgroup="other",comm="bound1"}')" 1 \
	"other's first victim is c1's"
is "$(value "$T_TMP/two.prom" 'oomtop_cgroup_next_victim_info{cgroup="/c5",comm="bound5"}')" 1 "c5's is bound5"
grep -q '^oomtop_removed_cgroup_oom_kills_total' "$T_TMP/two.prom"
is $? 1 "in a cgroup namespace no removed cgroups are counted"

# the default: 60 cgroups (55 of them empty, ties ordered by path), 50 named
for i in $(seq -w 0 54); do mkdir "$TOP/e$i" && echo $((64 << 20)) >"$TOP/e$i/memory.limit_in_bytes" 2>/dev/null ||
	echo $((64 << 20)) >"$TOP/e$i/memory.max"; done
t0=$EPOCHREALTIME
ns_oomtop status --format=prometheus >"$T_TMP/default.prom" 2>"$T_TMP/err"
ok $? "the default in the namespace exits 0 ($(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", (b - a) * 1000 }') ms)"
is "$(value "$T_TMP/default.prom" oomtop_limited_cgroups)" 60 "60 cgroups with a limit"
is "$(grep -c '^oomtop_cgroup_memory_limit_bytes{cgroup="/' "$T_TMP/default.prom")" 50 "50 of them named"
is "$(grep '^oomtop_cgroup_memory_limit_bytes{cgroup="/' "$T_TMP/default.prom" | head -n 5 | sed 's/.*cgroup="\([^"]*\)".*/\1/' | tr '\n' ' ')" \
	"/c5 /c4 /c3 /c2 /c1 " "the five in use first"
is "$(grep '^oomtop_cgroup_memory_limit_bytes{cgroup="/' "$T_TMP/default.prom" | tail -n 1 | sed 's/.*cgroup="\([^"]*\)".*/\1/')" \
	"/e44" "then the empty ones by path, to /e44"
is "$(value "$T_TMP/default.prom" 'oomtop_cgroup_memory_limit_bytes{cgroup="other"}')" $((10 * (64 << 20))) \
	"other holds the other ten, /e45 to /e54"
is "$(grep -c 'cgroup="/e4[5-9]\|cgroup="/e5' "$T_TMP/default.prom")" 0 "none of which is named in any family"
for f in cgroup_memory_usage_bytes cgroup_memory_limit_bytes cgroup_memory_usage_ratio cgroup_oom_kills_total; do
	is "$(grep -c "^oomtop_$f{" "$T_TMP/default.prom")" 51 "oomtop_$f: 50 series and other"
done
done_testing
