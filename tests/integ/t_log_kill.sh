# A real OOM kill: a process with a known name and oom_score_adj is killed
# by the kernel inside a 64 MiB memory cgroup this test creates (never a
# global OOM), and `oomtop log` must report that pid, name, adj and cgroup
# as the kernel logged them.  The ring buffer is shared with other tests:
# the event is found by pid and name, never assumed to be the last one.
. "$(dirname "$0")/lib.sh"

# Kills a process of ours by filling a small memory cgroup; sets KILLED to its pid.
oom_kill_one() {
	local name=$1 adj=$2 status
	spawn_hog --cgroup "$MEMCG" --adj "$adj" --name "$name" --grow || return 1
	KILLED=$HOG
	wait "$HOG" 2>/dev/null
	status=$?
	[ "$status" -eq 137 ] || { diag "$name exited with $status, not SIGKILL"; return 1; }
}

memcg_create "oomtop-log-$$" 64 || { echo "not ok - no memory cgroup"; done_testing; }
NAME="ologA$$"
vm_before=$(awk '$1 == "oom_kill" { print $2 }' /proc/vmstat)
t0=$(date +%s)
oom_kill_one "$NAME" 500
ok $? "the kernel killed $NAME in $MEMCG_PATH (64 MiB)"
t1=$(date +%s)
P=$KILLED
sleep 0.2

json=$("$OOMTOP" log --json)
ok $? "oomtop log --json reads /dev/kmsg"
ev=$(echo "$json" | jq -c --argjson pid "$P" --arg comm "$NAME" '[.[] | select(.pid == $pid and .comm == $comm)]')
is "$(echo "$ev" | jq length)" 1 "exactly one event for pid $P ($NAME)"
ev=$(echo "$ev" | jq -c '.[0]')
is "$(echo "$ev" | jq -r .oom_score_adj)" 500 "its oom_score_adj is 500"
is "$(echo "$ev" | jq -r .uid)" "$(id -u)" "its uid is ours"
is "$(echo "$ev" | jq -r .oom_memcg)" "$MEMCG_PATH" "oom_memcg is the test's cgroup"
is "$(echo "$ev" | jq -r .task_memcg)" "$MEMCG_PATH" "task_memcg is the test's cgroup"
is "$(echo "$ev" | jq -r .domain)" "$MEMCG_PATH" "the domain is the cgroup"
is "$(echo "$ev" | jq -r .constraint)" CONSTRAINT_MEMCG "constraint CONSTRAINT_MEMCG"
is "$(echo "$ev" | jq -r .message)" "Memory cgroup out of memory" "the kill message"
is "$(echo "$ev" | jq -r .trigger_comm)" "$NAME" "it triggered the OOM itself (its own allocation)"
is "$(echo "$ev" | jq -r .trigger_pid)" "$P" "trigger pid"
is "$(echo "$ev" | jq -r .trigger_oom_score_adj)" 500 "trigger adj from the header"
is "$(echo "$ev" | jq -r .memcg_limit_kib)" 65536 "the cgroup's limit as the kernel printed it"
is "$(echo "$ev" | jq -r .kernel)" "$(uname -r)" "the kernel release from the dump_stack line"
rss=$(echo "$ev" | jq -r .rss_kib)
[ "$rss" -gt 40000 ] && [ "$rss" -le 70000 ]
ok $? "the RSS at the kill ($rss KiB) is about the 64 MiB limit"
t=$(echo "$ev" | jq -r '.time | sub("\\.[0-9]+"; "") | sub("(?<h>[+-][0-9]{2}):(?<m>[0-9]{2})$"; "\(.h)\(.m)") | strptime("%Y-%m-%dT%H:%M:%S%z") | mktime')
[ "$t" -ge $((t0 - 2)) ] && [ "$t" -le $((t1 + 2)) ]
ok $? "the kmsg timestamp dated by the boot time falls within the test ($t0..$t1, got $t)"

# the table has the same row
row=$("$OOMTOP" log -c "$NAME" | awk -v p="$P" '$3 == p')
# WORKLOAD: the victim's cgroup, a plain one named by its path (cut to 20 columns with '+')
wcell=$MEMCG_PATH
[ ${#wcell} -le 20 ] || wcell="${wcell:0:19}+"
is "$(echo "$row" | awk '{ print $3, $4, $5, $7, $8, $9, $10 }')" "$P $NAME $(id -u) 500 $MEMCG_PATH $wcell $NAME" \
	"the table row: pid, name, uid, adj, domain, workload, trigger"
is "$("$OOMTOP" log --json -c "$NAME" | jq length)" 1 "-c NAME finds just that kill"

# the kernel's counters: memory.oom_control of the cgroup and /proc/vmstat
sum=$("$OOMTOP" log --summary --json -c "$NAME")
is "$(echo "$sum" | jq -c '[.kills, .by_comm[0].comm, .by_domain[0].domain]')" "[1,\"$NAME\",\"$MEMCG_PATH\"]" "--summary counts the kill"
kern=$(awk '$1 == "oom_kill" { print $2 }' "$MEMCG/memory.oom_control" 2>/dev/null || awk '$1 == "oom_kill" { print $2 }' "$MEMCG/memory.events")
is "$(echo "$sum" | jq -r --arg p "$MEMCG_PATH" '.cgroups[] | select(.path == $p) | .oom_kill')" "$kern" \
	"--summary shows the cgroup's oom_kill counter as the kernel has it ($kern)"
vm=$(echo "$sum" | jq -r .vmstat_oom_kill)
[ "$vm" -ge $((vm_before + 1)) ]
ok $? "--summary shows /proc/vmstat oom_kill ($vm_before before, $vm after)"
"$OOMTOP" log --summary | grep -q "memory.oom_control: oom_kill $kern\|memory.events: oom [0-9]*, oom_kill $kern"
ok $? "the summary table names the cgroup's counter"

# --follow prints a new kill as it happens
NAME2="ologB$$"
"$OOMTOP" log --follow --json -c "$NAME2" >"$T_TMP/follow" 2>"$T_TMP/follow.err" &
FOLLOW=$!
T_HOGS="$T_HOGS $FOLLOW"
sleep 0.5
oom_kill_one "$NAME2" 300
ok $? "a second kill ($NAME2)"
P2=$KILLED
for i in $(seq 1 100); do
	grep -q "\"pid\":$P2," "$T_TMP/follow" && break
	sleep 0.1
done
kill_hog "$FOLLOW"
is "$(jq -r --argjson p "$P2" 'select(.pid == $p) | "\(.comm) \(.oom_score_adj) \(.oom_memcg)"' "$T_TMP/follow")" \
	"$NAME2 300 $MEMCG_PATH" "--follow printed the new kill (one JSON object per line)"
is "$(grep -c . "$T_TMP/follow")" 1 "--follow with -c printed only that kill"

# without permission to read /dev/kmsg, say so and point to the file form
if [ "$(cat /proc/sys/kernel/dmesg_restrict)" = 1 ] && [ "$(id -u)" = 0 ]; then
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$OOMTOP" log >/dev/null 2>"$T_TMP/perm"
	is "$?" 3 "as nobody with kernel.dmesg_restrict=1: exit 3"
	grep -q "dmesg_restrict" "$T_TMP/perm" && grep -q "oomtop log /var/log/kern.log" "$T_TMP/perm"
	ok $? "the message names dmesg_restrict and the file form: $(cat "$T_TMP/perm")"
else
	diag "kernel.dmesg_restrict is 0 here: the permission message is not checked"
fi
done_testing
