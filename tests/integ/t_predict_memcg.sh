# `oomtop top --cgroup` names the process the kernel kills when a memory
# cgroup reaches its limit: each scenario asks oomtop, then fills the cgroup
# (memfill: shmem nobody maps, then a small allocation) and reads the victim
# from the kernel's log.  Also tallies whether /proc/PID/oom_score would have
# named the same process (the baseline).
. "$(dirname "$0")/lib.sh"

N=oomtop-p$$

# Prints the pid oomtop ranks first in the domain of cgroup PATH.
first_of() { "$OOMTOP" top --cgroup "$1" --json | jq -r '.[0].pid'; }

# Checks one scenario: predicted PID, the cgroup to trigger in and the one
# that holds the limit, the scenario's name and the pids for the baseline.
check_kill() {
	local name=$1 predicted=$2 dir=$3 limit_dir=$4 leave=$5
	shift 5
	local pick
	pick=$(oom_score_pick "$@")
	memcg_oom_kill "$dir" "$limit_dir" "$leave"
	is "$OOM_VICTIM" "$predicted" "$name: the kernel killed the process oomtop ranked first"
	baseline "$name" "$pick" "$OOM_VICTIM"
	memcg_kill_all "$limit_dir"
}

# 1. Sizes a few MiB apart, all with the same oom_score.
memcg_create "$N-sizes" 128
spawn_hog --cgroup "$MEMCG" --anon 8 --name s8; A=$HOG
spawn_hog --cgroup "$MEMCG" --anon 16 --name s16; C=$HOG
spawn_hog --cgroup "$MEMCG" --anon 12 --name s12; B=$HOG
out=$("$OOMTOP" top --cgroup "$MEMCG_PATH")
ok $? "top --cgroup exits 0"
is "$(echo "$out" | head -n 1 | cut -d, -f1)" "OOM domain: cgroup $MEMCG_PATH (v$([ -f "$MEMCG/memory.max" ] && echo 2 || echo 1))" \
	"the header names the cgroup and its hierarchy"
echo "$out" | head -n 1 | grep -q "limit 128M + 0 swap = 32768 pages; 3 of 3 processes killable"
ok $? "the header gives the limit in pages and counts the cgroup's processes"
json=$("$OOMTOP" top --cgroup "$MEMCG_PATH" --json)
is "$(echo "$json" | jq -r '[.[].pid] | join(",")')" "$C,$B,$A" "16, 12, 8 MiB in that order"
is "$(echo "$json" | jq -r '[.[].domain] | unique | join(",")')" "$MEMCG_PATH" "JSON rows name their domain"
is "$(for p in $A $B $C; do cat "/proc/$p/oom_score"; done | sort -u | wc -l)" 1 "the kernel shows one oom_score for all three"
is "$(echo "$json" | jq '[.[] | .oom_score == .oom_score_computed] | all')" true "oom_score_computed stays the kernel's (global) score"
is "$(first_of "$MEMCG")" "$C" "the cgroup's directory names the same domain as its path"
check_kill sizes "$C" "$MEMCG" "$MEMCG" 2048 $A $B $C

# 2. adj that puts one process first for the machine but not under the cgroup's limit:
# adj 10 is 10 * 6170 pages on 24 GiB but 10 * 65 pages under 256 MiB.
memcg_create "$N-adj" 256
spawn_hog --cgroup "$MEMCG" --anon 40 --name big; A=$HOG
spawn_hog --cgroup "$MEMCG" --anon 8 --adj 10 --name adj10; B=$HOG
spawn_hog --cgroup "$MEMCG" --anon 4 --adj 30 --name adj30; C=$HOG
json=$("$OOMTOP" top --json -p "$A,$B,$C")
order=$(echo "$json" | jq -r '[.[].pid] | join(",")')
is "$order" "$C,$B,$A" "in the global domain the adj order decides: 30, 10, 0"
[ "$order" = "$C,$B,$A" ] || diag "$(echo "$json" | jq -c '[.[] | {pid, badness, oom_score_adj, state}]')"
json=$("$OOMTOP" top --cgroup "$MEMCG_PATH" --json)
is "$(echo "$json" | jq -r '[.[].pid] | join(",")')" "$A,$C,$B" "under the 256 MiB limit the 40 MiB process goes first"
unit=$((65536 / 1000))
is "$(echo "$json" | jq -r ".[] | select(.pid == $B) | .badness - .mem_pages")" "$((10 * unit))" \
	"adj 10 weighs 10 * (65536 / 1000) pages in the domain"
check_kill adj "$A" "$MEMCG" "$MEMCG" 2048 $A $B $C

# 3. A limit under 1000 pages: adj counts for nothing (totalpages / 1000 == 0).
memcg_create "$N-tiny" 3
spawn_hog --cgroup "$MEMCG" --anon-kib 512 --adj 1000 --name adj1000; A=$HOG
spawn_hog --cgroup "$MEMCG" --anon-kib 1024 --name plain; B=$HOG
json=$("$OOMTOP" top --cgroup "$MEMCG_PATH" --json)
is "$(echo "$json" | jq -r '[.[].pid] | join(",")')" "$B,$A" "under 768 pages adj 1000 weighs nothing"
is "$(echo "$json" | jq -r '.[1].badness == .[1].mem_pages')" true "the adj term is 0 pages"
check_kill tiny "$B" "$MEMCG" "$MEMCG" 64 $A $B

# 4. A nested cgroup without a limit: the parent's limit decides, over both children.
memcg_create "$N-nest" 128; P=$MEMCG; PP=$MEMCG_PATH
memcg_create "$N-nest/a" max; DA=$MEMCG; PA=$MEMCG_PATH
memcg_create "$N-nest/b" max; DB=$MEMCG
memcg_create "$N-nest/a/deep" max; DD=$MEMCG
spawn_hog --cgroup "$DA" --anon 12 --name a12; A=$HOG
spawn_hog --cgroup "$DB" --anon 20 --name b20; B=$HOG
spawn_hog --cgroup "$DD" --anon 16 --name deep16; C=$HOG
out=$("$OOMTOP" top --cgroup "$PA")
echo "$out" | head -n 1 | grep -q "^OOM domain: cgroup $PP (v[12]), limit 128M"
ok $? "a cgroup without a limit shows its parent's domain"
is "$(echo "$out" | sed -n 2p)" "note: cgroup $PA has no limit of its own: its processes die when $PP reaches its limit" \
	"and says why"
is "$("$OOMTOP" top --cgroup "$PA" --json | jq -r '[.[].pid] | join(",")')" "$B,$C,$A" \
	"the domain holds the sibling's and the grandchild's processes"
check_kill nested-parent "$B" "$DA" "$P" 2048 $A $B $C

# 5. A nested cgroup with its own limit: only its processes, though a bigger one is next door.
memcg_create "$N-own" 256
memcg_create "$N-own/c" 48; DC=$MEMCG; PC=$MEMCG_PATH
memcg_create "$N-own/d" max; DD=$MEMCG
spawn_hog --cgroup "$DC" --anon 10 --name c10; A=$HOG
spawn_hog --cgroup "$DC" --anon 14 --name c14; B=$HOG
spawn_hog --cgroup "$DD" --anon 30 --name d30; C=$HOG
is "$("$OOMTOP" top --cgroup "$PC" --json | jq -r '[.[].pid] | join(",")')" "$B,$A" "the inner limit is its own domain"
is "$("$OOMTOP" top --cgroup "$(dirname "$DC")" --json | jq -r '.[0].pid')" "$C" "the outer domain has the bigger process first"
check_kill nested-own "$B" "$DC" "$DC" 2048 $A $B

# 6. Exited processes: a leader that exited while a thread holds the memory
# (still a candidate: the kernel finds the thread's mm) and a zombie (never).
memcg_create "$N-exit" 128
out="$T_TMP/leaderexit.out"
(cd "$T_TMP" && exec "$HELPERS/leaderexit" --cgroup "$MEMCG" --anon 24 --zombie-child 32 --name lead24) >"$out" 2>&1 &
Z=$!
T_HOGS="$T_HOGS $Z"
for i in $(seq 1 500); do grep -q '^ready' "$out" && break; sleep 0.01; done
ZC=$(awk '/^ready/ { print $3 }' "$out")
for i in $(seq 1 100); do [ "$(proc_state "$Z")" = Z ] && break; sleep 0.01; done
spawn_hog --cgroup "$MEMCG" --anon 16 --name s16; A=$HOG
is "$(proc_state "$Z") $(proc_state "$ZC")" "Z Z" "the leader and the child are zombies"
[ "$(cat "/proc/$Z/oom_score")" -gt 0 ]
ok $? "the kernel still scores the process whose leader exited ($(cat "/proc/$Z/oom_score"))"
json=$("$OOMTOP" top --cgroup "$MEMCG_PATH" --all --json)
is "$(echo "$json" | jq -r '.[0].pid')" "$Z" "oomtop ranks the exited leader's process first, by its thread's memory"
is "$(echo "$json" | jq -r "[.[] | select(.pid == $ZC)] | length")" 0 \
	"the zombie child is no candidate: cgroup.procs no longer lists it, nor does the kernel's walk"
check_kill exited "$Z" "$MEMCG" "$MEMCG" 2048 $Z $ZC $A

# 7. Exact ties: the kernel keeps the last of equal candidates, and walks the
# cgroups in pre-order with children in creation order (not name order): two
# identical processes, pinned to one cpu with the same address layout, have the
# same counters.  b is created before a, and a's process is the older one, so
# neither names nor start times give the kernel's answer.
# Starts a memhog like spawn_hog, on cpu 0 without address randomization.
spawn_pinned() {
	local out="$T_TMP/pinned.$RANDOM" i
	(cd "$T_TMP" && exec setarch "$(uname -m)" -R taskset -c 0 "$HELPERS/memhog" "$@") >"$out" 2>&1 &
	HOG=$!
	T_HOGS="$T_HOGS $HOG"
	for i in $(seq 1 500); do grep -q '^ready' "$out" && return 0; sleep 0.01; done
	return 1
}
# Prints what the kernel's OOM killer counts for pid before adj: stat's rss + page tables (no swap here).
kernel_count() { echo "$(awk '{ print $24 }' "/proc/$1/stat") $(awk '/^VmPTE:/ { print $2 }' "/proc/$1/status")"; }
if command -v setarch >/dev/null && command -v taskset >/dev/null; then
	memcg_create "$N-tie" 128; P=$MEMCG; PP=$MEMCG_PATH
	memcg_create "$N-tie/b" max; DB=$MEMCG
	memcg_create "$N-tie/a" max; DA=$MEMCG
	memcg_create "$N-tie/c" max; DC=$MEMCG
	spawn_pinned --cgroup "$DA" --anon 12 --name tie; X=$HOG
	spawn_pinned --cgroup "$DB" --anon 12 --name tie; Y=$HOG
	if [ "$(kernel_count "$X")" = "$(kernel_count "$Y")" ]; then
		json=$("$OOMTOP" top --cgroup "$PP" --json)
		is "$(echo "$json" | jq -r '.[0].badness == .[1].badness')" true "two processes with equal badness"
		is "$(echo "$json" | jq -r '.[0].pid')" "$X" "the one in the cgroup created last goes first, though older"
		is "$("$OOMTOP" explain --json "$Y" | jq -r '.domains[1] | [.rank, .above.pid, .above.margin_pages] | map(tostring) | join(" ")')" \
			"2 $X 0" "explain agrees: second, 0 pages behind"
		check_kill tie-siblings "$X" "$P" "$P" 2048 $X $Y
	else
		diag "skipped: the two processes differ ($(kernel_count "$X") / $(kernel_count "$Y"))"
	fi
	memcg_create "$N-tie2" 128; P=$MEMCG; PP=$MEMCG_PATH
	spawn_pinned --cgroup "$P" --anon 12 --name tie; X=$HOG
	spawn_pinned --cgroup "$P" --anon 12 --name tie; Y=$HOG
	if [ "$(kernel_count "$X")" = "$(kernel_count "$Y")" ]; then
		is "$(first_of "$PP")" "$Y" "in one cgroup the one that joined last goes first"
		check_kill tie-joined "$Y" "$P" "$P" 2048 $X $Y
	else
		diag "skipped: the two processes differ ($(kernel_count "$X") / $(kernel_count "$Y"))"
	fi

	# 8. The counters the OOM killer reads: up to 6.18 it adds the per-cpu rss
	# counters without their unflushed per-cpu parts (get_mm_rss(), what stat's
	# field 24 shows), while status sums them exactly since 6.16.  X has a few
	# pages more than Y in status but, with those pages unflushed, the same
	# count for the kernel; Y joined later, so it is the kernel's choice there.
	memcg_create "$N-count" 128; P=$MEMCG; PP=$MEMCG_PATH
	found=""
	for k in 1 2 3 4 5 6 7 8 12 16; do
		spawn_pinned --cgroup "$P" --anon-kib $((12288 + 4 * k)) --name cnt; X=$HOG
		spawn_pinned --cgroup "$P" --anon-kib 12288 --name cnt; Y=$HOG
		if [ "$(kernel_count "$X")" = "$(kernel_count "$Y")" ] &&
			[ "$(charged_pages "$X")" -gt "$(charged_pages "$Y")" ]; then
			found=$k
			break
		fi
		kill_hog "$X"
		kill_hog "$Y"
	done
	if [ -n "$found" ]; then
		diag "X has $found pages more in status, the same count in stat ($(kernel_count "$X"))"
		predicted=$(first_of "$PP")
		check_kill counters "$predicted" "$P" "$P" 2048 $X $Y
		[ "$OOM_VICTIM" = "$Y" ] && diag "the kernel killed Y: ranking by status would have named X"
		[ "$OOM_VICTIM" = "$X" ] && diag "the kernel killed X: this kernel counts exactly, as status does"
	else
		diag "skipped: no X with unflushed extra pages found"
	fi
else
	diag "skipped the exact ties: no setarch or taskset"
fi

# Bad input: one clear line, exit 2.
err=$("$OOMTOP" top --cgroup "/$N-none" 2>&1)
is "$?" 2 "a cgroup that does not exist: exit 2"
is "$(echo "$err" | wc -l) $(echo "$err" | sed 's/ (cgroup v.*//')" "1 oomtop: top: --cgroup: no cgroup /$N-none in the memory hierarchy" \
	"one line that names it"
other=$(awk '($3 == "cgroup" && $4 !~ /(^|,)memory(,|$)/) || ($3 == "cgroup2" && !v1) { print $2; exit }
	$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { v1 = 1 }' /proc/self/mounts)
if [ -n "$other" ] && [ "$(memcg_root)" != "$other" ]; then
	err=$("$OOMTOP" top --cgroup "$other" 2>&1)
	is "$?:$(echo "$err" | grep -c 'has no memory controller')" "2:1" "a cgroup of a hierarchy without memory ($other): exit 2"
fi
"$OOMTOP" top --cgroup /../etc >/dev/null 2>&1
is "$?" 2 "'..' in the path: exit 2"
"$OOMTOP" top --cgroup "" >/dev/null 2>&1
is "$?" 2 "an empty path: exit 2"
is "$("$OOMTOP" top --cgroup / --json | jq -r '.[0].domain')" global "the root has no limit: the global domain"

done_testing
