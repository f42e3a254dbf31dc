# vm-cost: 5
# The guest gives the tests what the host cannot: root with CAP_SYS_RESOURCE,
# cgroup v2 with the memory controller, the kernel log, and a machine where a
# global OOM can only choose the test's own processes.
. "$(dirname "$0")/../integ/lib.sh"
. "$(dirname "$0")/vmlib.sh"

is "$(id -u)" 0 "the tests run as root"
capeff=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
is "$(( (0x$capeff >> 24) & 1 ))" 1 "with CAP_SYS_RESOURCE (CapEff $capeff)"
is "$(cat /proc/$$/oom_score_adj)" 0 "a test starts at oom_score_adj 0, as on the host"
is "$(awk '/^SwapTotal:/ { print $2 }' /proc/meminfo)" 0 "no swap: a process's memory stays where it is"
is "$(uname -m)" x86_64 "an x86_64 kernel ($(uname -r))"

echo -1 >"/proc/$$/oom_score_adj"
ok $? "lowering oom_score_adj below 0 works here"
protect_self
is "$(cat /proc/$$/oom_score_adj)" -1000 "protect_self sets this shell to -1000"

is "$(awk '$3 == "cgroup2" { print $2 }' /proc/self/mounts)" /sys/fs/cgroup "cgroup v2 at /sys/fs/cgroup"
is "$(awk '$3 == "cgroup" { n++ } END { print n + 0 }' /proc/self/mounts)" 0 "no cgroup v1 hierarchy"
grep -qw memory /sys/fs/cgroup/cgroup.subtree_control
ok $? "the memory controller is enabled for child cgroups"
memcg_create "vmt$$/leaf" 64
ok $? "lib.sh memcg_create makes a nested v2 cgroup"
is "$(cat "$MEMCG/memory.max")" $((64 * 1024 * 1024)) "with its memory.max"
spawn_hog --anon 4 --adj 0 --cgroup "$MEMCG" --name cghog
is "$(cut -d: -f3 "/proc/$HOG/cgroup")" "$MEMCG_PATH" "a memhog joins it ($MEMCG_PATH)"

first=$(dd if=/dev/kmsg bs=8192 count=1 2>/dev/null)
echo "$first" | grep -qE '^[0-9]+,[0-9]+,[0-9]+,[^;]*;'
ok $? "/dev/kmsg gives records as PRIO,SEQ,USEC,FLAGS;TEXT ($(echo "$first" | head -c 60))"
echo "vmt$$ kmsg marker" >/dev/kmsg
dmesg | grep -q "vmt$$ kmsg marker"
ok $? "/dev/kmsg takes a line and dmesg reads it back"

# Nothing outside this test can be the OOM killer's choice.
spawn_hog --anon 2 --adj 0 --name onlyme
is "$("$OOMTOP" top --json | jq -r '[.[].comm] | sort | join(",")')" "cghog,onlyme" \
	"the only killable processes are the test's own (everything else runs at -1000)"
is "$("$OOMTOP" top --all --json | jq '[.[] | select(.killable | not) | select(.pid != 1 and .kthread == false)
	| select(.oom_score_adj != -1000)] | length')" 0 "every other user process is at -1000 (pid 1 is immune)"
done_testing
