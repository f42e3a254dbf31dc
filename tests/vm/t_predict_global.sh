# vm-cost: 17
# vm-timeout: 240
# A real global OOM in the guest: `oomtop top`'s first row (and status's next
# victim) is the process the kernel kills; with vm.oom_kill_allocating_task=1
# it is whichever process allocates at that moment instead (the trigger, or
# the test's own shell), as explain and status warn.
. "$(dirname "$0")/../integ/lib.sh"

spawn_hog --anon 60 --adj -1000 --name prot; P=$HOG
spawn_hog --anon 40 --name g40; A=$HOG
spawn_hog --anon 24 --name g24; B=$HOG
spawn_hog --anon 8 --adj 300 --name adj300; C=$HOG
predicted=$("$OOMTOP" top -n 1 --json | jq -r '.[0].pid')
is "$predicted" "$C" "adj 300 puts the 8 MiB process first for the machine"
is "$("$OOMTOP" status --json | jq -r '.next_victim.pid')" "$predicted" "status names the same next victim"
pick=$(oom_score_pick $(ls /proc | grep '^[0-9]'))
global_oom_kill 8192
is "$OOM_VICTIM" "$predicted" "global OOM: the kernel killed the process oomtop ranked first"
baseline global "$pick" "$OOM_VICTIM"
[ "$(proc_state "$P")" != gone ]
ok $? "the biggest process, at -1000, lives"
kill_hog "$TRIGGER"

echo 1 >/proc/sys/vm/oom_kill_allocating_task
restore() { echo 0 >/proc/sys/vm/oom_kill_allocating_task; }
at_cleanup restore
"$OOMTOP" status --json | jq -e '.warnings | any(startswith("oom_kill_allocating_task=1: a global OOM kills whichever process is allocating"))' >/dev/null
ok $? "status warns about oom_kill_allocating_task=1"
"$OOMTOP" explain "$A" | grep -q "vm.oom_kill_allocating_task = 1: a global OOM kills the process that allocates"
ok $? "explain says it changes the outcome"
first=$("$OOMTOP" top -n 1 --json | jq -r '.[0].pid')
global_oom_kill 8192
[ -n "$OOM_VICTIM" ] && [ "$OOM_VICTIM" != "$first" ]
ok $? "with oom_kill_allocating_task=1 the kernel killed an allocating process ($OOM_VICTIM), not the first row ($first)"
[ "$(proc_state "$first")" != gone ]
ok $? "the first row lives"
done_testing
