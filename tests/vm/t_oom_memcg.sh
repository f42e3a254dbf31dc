# vm-cost: 15
# Memory cgroup OOMs on cgroup v2: the limit (memory.max) on a parent, the
# processes in its children; `oomtop top --json -p` over the cgroup's
# processes names the victim BEFORE, a -1000 process in one child grows past
# the parent's limit, and the kernel must kill the one named and nothing
# outside the cgroup.  Then memory.oom.group: the victim's whole group goes.
# (A ranking in the cgroup's own domain is `oomtop top --cgroup`'s, later;
# here the adj values are chosen so that both domains rank alike.)
# vm-timeout: 90
. "$(dirname "$0")/../integ/lib.sh"
. "$(dirname "$0")/vmlib.sh"

protect_self
thp_off
LIMIT_MIB=160
LIMIT_PAGES=$((LIMIT_MIB * 1024 * 1024 / $(getconf PAGESIZE)))

# Prints pid's badness in the memory cgroup's domain: memory.max pages
# instead of the machine's (mm/memcontrol.c mem_cgroup_get_max()).
memcg_badness() { echo $(($(charged_pages "$1") + $(cat "/proc/$1/oom_score_adj") * (LIMIT_PAGES / 1000))); }

# Predicts with top --json -p over the cgroup's pids, and checks the
# prediction in the cgroup's own domain too: predict TITLE PID...; sets FIRST.
predict() {
	local title=$1 ranking mine
	shift
	ranking=$(top_rows -p "$(echo "$@" | tr ' ' ',')" | cut -f1-4)
	FIRST=$(echo "$ranking" | awk 'NR == 1 { print $1 }')
	diag "$title: ranking (pid comm adj badness): $(echo "$ranking" | tr '\t' ' ' | paste -sd';')"
	mine=$(for p in "$@"; do echo "$(memcg_badness "$p") $p"; done | sort -k1,1nr -k2,2nr | head -n 1 | cut -d' ' -f2)
	is "$mine" "$FIRST" "$title: the cgroup's own domain ($LIMIT_PAGES pages) ranks $FIRST first too"
}

# 1. The limit on the parent, processes in two children, a bigger one outside.
memcg_create "oomt$$" "$LIMIT_MIB"; P=$MEMCG; PPATH=$MEMCG_PATH
memcg_create "oomt$$/a" max; CA=$MEMCG
memcg_create "oomt$$/b" max; CB=$MEMCG
spawn_hog --anon 64 --adj 1000 --name outside; O=$HOG
spawn_hog --anon 56 --adj 0 --cgroup "$CA" --name a56; A=$HOG
spawn_hog --anon 48 --adj 100 --cgroup "$CB" --name b48p100; B1=$HOG
spawn_hog --anon 8 --adj -500 --cgroup "$CB" --name b8m500; B2=$HOG
is "$(cat "$P/memory.max")" $((LIMIT_MIB * 1024 * 1024)) "memory.max of $PPATH is $LIMIT_MIB MiB"
predict "nested" "$A" "$B1" "$B2"
is "$FIRST" "$B1" "nested: oomtop top --json -p names the 48 MiB process at +100 first"
is "$(top_rows -n 1 | cut -f1)" "$O" "nested: globally, the process outside would go first"
events_before=$(awk '$1 == "oom_kill" { print $2 }' "$P/memory.events")
oom_trigger --cgroup "$CB"
ok $? "nested: a -1000 process in $PPATH/b grew until the kernel killed"
is "${OOM_KILLED%% *}" "$FIRST" "nested: the kernel killed the process oomtop named ($(echo "$OOM_KLOG" | head -n 1 | sed 's/^\[[^]]*\] //; s/ total-vm.*//'))"
echo "$OOM_KLOG" | head -n 1 | grep -q 'Memory cgroup out of memory'
ok $? "nested: as a memory cgroup OOM"
is "$(awk '$1 == "oom_kill" { print $2 }' "$P/memory.events")" $((events_before + OOM_KILLS)) \
	"nested: $PPATH's memory.events counts the kill"
is "$(dead_among "$O" "$A" "$B1" "$B2" | cut -d' ' -f1)" "$FIRST" "nested: of the test's processes, that one died first"
kill -0 "$O" 2>/dev/null && ! is_dead "$O"
ok $? "nested: the process outside the cgroup lives"
reap_status "$FIRST"
is "$REAP_STATUS" 137 "nested: by SIGKILL"
for p in $O $A $B1 $B2; do kill_hog "$p"; done

# 2. memory.oom.group on the child of the victim: its whole group goes, except
# -1000 (the grower), and the other child stays.
memcg_create "oomg$$" "$LIMIT_MIB"; G=$MEMCG
memcg_create "oomg$$/a" max; GA=$MEMCG
memcg_create "oomg$$/b" max; GB=$MEMCG; GBPATH=$MEMCG_PATH
echo 1 >"$GB/memory.oom.group"
spawn_hog --anon 40 --adj 0 --cgroup "$GA" --name ga40; A=$HOG
spawn_hog --anon 48 --adj 100 --cgroup "$GB" --name gb48p100; B1=$HOG
spawn_hog --anon 16 --adj 0 --cgroup "$GB" --name gb16; B2=$HOG
spawn_hog --anon 8 --adj -900 --cgroup "$GB" --name gb8m900; B3=$HOG
spawn_hog --anon 2 --adj -1000 --cgroup "$GB" --name gb2prot; B4=$HOG
predict "oom.group" "$A" "$B1" "$B2" "$B3"
is "$FIRST" "$B1" "oom.group: oomtop top --json -p names the 48 MiB process at +100 first"
# the group kill predicted as a set, in the domain of the limit ($G): who dies with B1
GPATH=/${G#"$(memcg_root)"/}
PRED=$("$OOMTOP" top --json --cgroup "$GPATH" | jq -r --argjson v "$B1" \
	'[.[] | select(.pid == $v or .dies_with == $v) | .pid] | sort | map(tostring) | join(" ")')
is "$PRED" "$(echo "$B1 $B2 $B3" | tr ' ' '\n' | sort -n | paste -sd' ')" \
	"oom.group: top --json marks the members of $GBPATH with dies_with, the other child's not"
# B1 is also the guest's next global victim (the largest, at +100): a global OOM
# walks up to the root, so it takes the same group
is "$("$OOMTOP" status --json | jq -r '.group_kill | "\(.victim) \(.cgroup) \(.pids | map(tostring) | join(" "))"')" \
	"$B1 $GBPATH $PRED" "oom.group: status --json: the next victim's group kill, the same set"
"$OOMTOP" top -b -o noworkload --cgroup "$GPATH" | grep -q "^Group kill: memory.oom.group makes $GBPATH die as a whole with $B1: 3 processes"
ok $? "oom.group: top's header names the group and its size"
is "$("$OOMTOP" explain --json "$B2" | jq -r --arg d "$GPATH" '.domains[] | select(.domain == $d) | .dies_with')" "$B1" \
	"oom.group: explain --json of a member: it dies with $B1 in $GPATH's domain"
"$OOMTOP" explain "$B2" | grep -q "dies with $B1 (gb48p100), this domain's first victim"
ok $? "oom.group: explain says so in words"
is "$("$OOMTOP" explain --json "$A" | jq -r --arg d "$GPATH" '.domains[] | select(.domain == $d) | .dies_with')" null \
	"oom.group: the other child's process does not die with it"
oom_trigger --cgroup "$GB"
ok $? "oom.group: a -1000 process in $GBPATH grew until the kernel killed"
is "${OOM_KILLED%% *}" "$FIRST" "oom.group: the kernel chose the process oomtop named"
dmesg | grep -q "Tasks in $GBPATH are going to be killed due to memory.oom.group set"
ok $? "oom.group: the kernel's log says that $GBPATH goes as a whole"
is "$(dead_among "$A" "$B1" "$B2" "$B3")" "$(echo "$B1 $B2 $B3" | tr ' ' '\n' | sort -n | paste -sd' ')" \
	"oom.group: every process of $GBPATH died, the -900 one too, and the other child's lives"
is "$(dead_among "$A" "$B1" "$B2" "$B3" "$B4")" "$PRED" \
	"oom.group: the kernel's kill set is the set oomtop predicted (its -1000 member left out, and alive)"
diag "oom.group: the kernel's log: $(echo "$OOM_KLOG" | sed 's/^\[[^]]*\] //; s/ total-vm.*//' | paste -sd';')"
done_testing
