# vm-cost: 34
# vm-timeout: 240
# Predictions in cgroup v2 memory cgroups, checked by real OOMs in the guest:
# the cgroup2 hierarchy, a -1000 process, negative adj that reorders only
# under the limit, join order inside a cgroup (cgroup.procs), memory.oom.group.
. "$(dirname "$0")/../integ/lib.sh"

N=oomtop-v$$
first_of() { "$OOMTOP" top --cgroup "$1" --json | jq -r '.[0].pid'; }
check_kill() {
	local name=$1 predicted=$2 dir=$3 limit_dir=$4 leave=$5 pick
	shift 5
	pick=$(oom_score_pick "$@")
	memcg_oom_kill "$dir" "$limit_dir" "$leave"
	is "$OOM_VICTIM" "$predicted" "$name: the kernel killed the process oomtop ranked first"
	baseline "$name" "$pick" "$OOM_VICTIM"
}
kernel_count() { echo "$(awk '{ print $24 }' "/proc/$1/stat") $(awk '/^VmPTE:/ { print $2 }' "/proc/$1/status")"; }

# 1. The v2 hierarchy: the header, sizes a few MiB apart.
memcg_create "$N-sizes" 96
[ -f "$MEMCG/memory.max" ]
ok $? "memcg_create made a cgroup v2 memory cgroup"
spawn_hog --cgroup "$MEMCG" --anon 8 --name s8; A=$HOG
spawn_hog --cgroup "$MEMCG" --anon 16 --name s16; C=$HOG
spawn_hog --cgroup "$MEMCG" --anon 12 --name s12; B=$HOG
"$OOMTOP" top --cgroup "$MEMCG_PATH" | head -n 1 | grep -q "^OOM domain: cgroup $MEMCG_PATH (v2), limit 96M + 0 swap = 24576 pages; 3 of 3"
ok $? "the header names the v2 cgroup, its limit and its processes"
is "$("$OOMTOP" top --cgroup "$MEMCG_PATH" --json | jq -r '[.[].pid] | join(",")')" "$C,$B,$A" "16, 12, 8 MiB"
check_kill v2-sizes "$C" "$MEMCG" "$MEMCG" 2048 $A $B $C
memcg_kill_all "$MEMCG"

# 2. A -1000 process, the biggest: never chosen.
memcg_create "$N-prot" 96
spawn_hog --cgroup "$MEMCG" --anon 40 --adj -1000 --name prot; P=$HOG
spawn_hog --cgroup "$MEMCG" --anon 12 --name a12; A=$HOG
spawn_hog --cgroup "$MEMCG" --anon 8 --name a8; B=$HOG
is "$(first_of "$MEMCG_PATH")" "$A" "the -1000 process is not ranked"
is "$("$OOMTOP" top --cgroup "$MEMCG_PATH" --all --json | jq -r '.[-1] | [.pid, .unkillable_reason] | map(tostring) | join(" ")')" \
	"$P oom_score_adj -1000" "--all lists it last, with the reason"
json=$("$OOMTOP" explain --json "$P")
is "$(echo "$json" | jq -r '[.killable, .unkillable_reason, .domains[1].rank, .domains[1].would_rank] | map(tostring) | join(",")')" \
	"false,oom_score_adj -1000,null,1" "explain: not killable; at adj 0 it would be first"
check_kill v2-minus1000 "$A" "$MEMCG" "$MEMCG" 2048 $P $A $B
[ "$(proc_state "$P")" != gone ]
ok $? "the -1000 process lives"
memcg_kill_all "$MEMCG"

# 3. Negative adj that puts a process first under the limit but not for the machine:
# -100 is 100 * (totalpages / 1000) pages, far more of the machine's than of 128 MiB's.
memcg_create "$N-neg" 128
spawn_hog --cgroup "$MEMCG" --anon 40 --adj -100 --name neg; A=$HOG
spawn_hog --cgroup "$MEMCG" --anon 8 --name plain; B=$HOG
is "$("$OOMTOP" top --json -p "$A,$B" | jq -r '.[0].pid')" "$B" "in the global domain the small one goes first"
is "$(first_of "$MEMCG_PATH")" "$A" "under the 128 MiB limit the 40 MiB one does"
check_kill v2-negative-adj "$A" "$MEMCG" "$MEMCG" 2048 $A $B
memcg_kill_all "$MEMCG"

# 4. Join order inside one cgroup: the kernel keeps the last of equals, and
# v2's cgroup.procs lists the processes in its order.  X is older but joins last.
old_aslr=$(cat /proc/sys/kernel/randomize_va_space)
restore_aslr() { echo "$old_aslr" >/proc/sys/kernel/randomize_va_space; }
at_cleanup restore_aslr
echo 0 >/proc/sys/kernel/randomize_va_space
spawn_hog --anon 12 --name tie; X=$HOG
spawn_hog --anon 12 --name tie; Y=$HOG
memcg_create "$N-join" 64
echo "$Y" >"$MEMCG/cgroup.procs"
echo "$X" >"$MEMCG/cgroup.procs"
is "$(tr '\n' ' ' <"$MEMCG/cgroup.procs")" "$Y $X " "cgroup.procs lists them in join order"
if [ "$(kernel_count "$X")" = "$(kernel_count "$Y")" ]; then
	is "$(first_of "$MEMCG_PATH")" "$X" "of two equal processes the one that joined last goes first, though older"
	check_kill v2-join-order "$X" "$MEMCG" "$MEMCG" 2048 $X $Y
else
	diag "skipped the join order: the two processes differ ($(kernel_count "$X") / $(kernel_count "$Y"))"
fi
memcg_kill_all "$MEMCG"

# 5. memory.oom.group: the victim's group dies with it.
memcg_create "$N-grp" 96; P=$MEMCG; PP=$MEMCG_PATH
memcg_create "$N-grp/g" max; G=$MEMCG; GP=$MEMCG_PATH
memcg_create "$N-grp/t" max; T=$MEMCG
echo 1 >"$G/memory.oom.group"
spawn_hog --cgroup "$G" --anon 24 --name g24; A=$HOG
spawn_hog --cgroup "$G" --anon 4 --name g4; B=$HOG
spawn_hog --cgroup "$T" --anon 12 --name t12; C=$HOG
is "$("$OOMTOP" explain --json "$B" | jq -r '.domains[1].oom_group')" "$GP" "explain names the group that dies together"
"$OOMTOP" explain "$B" | grep -q "memory.oom.group is set on $GP"
ok $? "and says so in the text"
check_kill v2-oom-group "$A" "$T" "$P" 2048 $A $B $C
for i in $(seq 1 200); do [ "$(proc_state "$B")" = gone ] || [ "$(proc_state "$B")" = Z ] && break; sleep 0.02; done
is "$(proc_state "$B" | sed 's/^Z$/gone/')" gone "the rest of the group died with it"
[ "$(proc_state "$C")" != gone ]
ok $? "the process outside the group lives"
done_testing
