# vm-cost: 24
# oomtop log on a second kernel (the guest's Debian kernel) with its real
# OOM reports: a memory cgroup OOM (v2 in the guest: oom_memcg, memory.events),
# a memory.oom.group kill, and a global OOM, which only the guest allows.
# Each event is found by pid and name, and checked against what the test set
# up and what the kernel counted.
. "$(dirname "$0")/../integ/lib.sh"
. "$(dirname "$0")/vmlib.sh"

protect_self

# Finds the event of pid/comm in `oomtop log --json`; prints it (compact) or "".
event_of() {
	"$OOMTOP" log --json | jq -c --argjson p "$1" --arg c "$2" '[.[] | select(.pid == $p and .comm == $c)] | if length == 1 then .[0] else empty end'
}

# 1. A memory cgroup OOM.
memcg_create "oomtop-log-$$" 48 || { echo "not ok - no memory cgroup in the guest"; done_testing; }
spawn_hog --cgroup "$MEMCG" --adj 600 --name vmlogA --grow
A=$HOG
wait "$A" 2>/dev/null
is "$?" 137 "the kernel killed vmlogA in $MEMCG_PATH"
ev=$(event_of "$A" vmlogA)
[ -n "$ev" ]
ok $? "oomtop log has one event for pid $A (vmlogA)"
is "$(echo "$ev" | jq -r '[.oom_score_adj, .uid, .constraint, .oom_memcg, .task_memcg, .domain, .trigger_comm, .trigger_pid] | map(tostring) | join(" ")')" \
	"600 0 CONSTRAINT_MEMCG $MEMCG_PATH $MEMCG_PATH $MEMCG_PATH vmlogA $A" "its adj, uid, constraint, cgroup and trigger"
is "$(echo "$ev" | jq -r .kernel)" "$(uname -r)" "the guest's kernel release"
is "$(echo "$ev" | jq -r .memcg_limit_kib)" $((48 * 1024)) "the cgroup's limit"
rss=$(echo "$ev" | jq -r .rss_kib)
[ "$rss" -gt 30000 ] && [ "$rss" -le 52000 ]
ok $? "the RSS at the kill ($rss KiB) is about the 48 MiB limit"
if [ -f "$MEMCG/memory.events" ]; then
	kern=$(awk '$1 == "oom_kill" { print $2 }' "$MEMCG/memory.events")
	is "$("$OOMTOP" log --summary --json | jq -r --arg p "$MEMCG_PATH" '.cgroups[] | select(.path == $p and .version == 2) | .oom_kill')" \
		"$kern" "--summary shows memory.events oom_kill of the v2 cgroup ($kern)"
fi

# 2. memory.oom.group (cgroup v2): the whole cgroup goes, each kill an event of the same report.
if [ -f "$MEMCG/memory.oom.group" ]; then
	memcg_create "oomtop-loggrp-$$" 48
	echo 1 >"$MEMCG/memory.oom.group"
	spawn_hog --cgroup "$MEMCG" --adj 100 --anon 4 --name vmgrpB; B=$HOG
	spawn_hog --cgroup "$MEMCG" --adj 700 --name vmgrpC --grow; C=$HOG
	wait "$C" 2>/dev/null
	wait "$B" 2>/dev/null
	is "$?" 137 "oom.group: the small member was killed too"
	# One group kill is one event: the victim, with every task it took as its
	# members (the kernel may print the victim twice, as victim and member).
	grp=$("$OOMTOP" log --json | jq -c --argjson b "$B" --argjson c "$C" \
		'[.[] | select(.pid == $b or .pid == $c or any(.members[]?; .pid == $b or .pid == $c))]')
	is "$(echo "$grp" | jq -r 'map("\(.comm):\(.oom_group)") | join(" ")')" "vmgrpC:$MEMCG_PATH" \
		"the group kill is one event, its victim marked with the oom.group cgroup"
	is "$(echo "$grp" | jq -r '.[0].members | map(.comm) | sort | join(" ")')" "vmgrpB vmgrpC" \
		"its members are both tasks, each once"
	is "$(echo "$grp" | jq -r 'map(.trigger_comm) | unique | join(" ")')" vmgrpC "it belongs to the report vmgrpC triggered"
else
	diag "no memory.oom.group (cgroup v1 in the guest): not checked"
fi

# 3. A global OOM: a victim at adj 1000, and a grower at -1000 that can never be chosen.
# A spare process at adj 0 stays killable: the grower may retry before the
# small victim's memory is back (vmlib.sh, oom_trigger), and with nothing
# left to kill the kernel panics ("System is deadlocked on memory").
thp_off
spawn_hog --anon 8 --adj 1000 --name vmglobal
G=$HOG
spawn_hog --anon 32 --adj 0 --name vmspare
oom_trigger
ok $? "the grower saw a global OOM kill"
for i in $(seq 1 100); do is_dead "$G" && break; sleep 0.05; done
ev=$(event_of "$G" vmglobal)
[ -n "$ev" ]
ok $? "oomtop log has the global kill of pid $G (vmglobal)"
is "$(echo "$ev" | jq -r '[.oom_score_adj, .constraint, .domain, .oom_memcg, .message, .trigger_comm] | map(tostring) | join(" ")')" \
	"1000 CONSTRAINT_NONE global null Out of memory oomgrow" "adj 1000, no constraint, global, triggered by the grower"
is "$("$OOMTOP" log -c vmglobal | awk -v p="$G" '$3 == p { print $7, $8 }')" "1000 global" "the table row says global"
done_testing
