# `oomtop set`: values written and read back from /proc, the legacy scale
# against the kernel, the explained EACCES, bad input.  Host values stay in
# 0..1000 (no CAP_SYS_RESOURCE here); the negative side is tests/vm/.
# A writer test: it runs in a PID namespace of its own, where /proc shows
# only the processes it started.
[ -n "${T_PIDNS:-}" ] || T_PIDNS=1 exec unshare --pid --fork --mount-proc bash "$0" "$@"
. "$(dirname "$0")/lib.sh"


spawn_hog --adj 500 --name "set$$a"; A=$HOG
spawn_hog --adj 500 --name "set$$b"; B=$HOG

# lowering (to a value >= 0) and raising, read back from the kernel
out=$("$OOMTOP" set 200 "$A")
ok $? "set 200 exits 0"
is "$out" "$A (set$$a): oom_score_adj 500 -> 200" "one line: pid (name): old -> new"
is "$(adj_of "$A")" 200 "the kernel has 200"
out=$("$OOMTOP" set 900 "$A" "$B")
ok $? "set 900 on two processes exits 0"
is "$out" "$A (set$$a): oom_score_adj 200 -> 900
$B (set$$b): oom_score_adj 500 -> 900" "one line per process, in the order given"
is "$(adj_of "$A") $(adj_of "$B")" "900 900" "both have 900"

# idempotent
is "$("$OOMTOP" set 900 "$A")" "$A (set$$a): oom_score_adj 900, unchanged" "the same value again: unchanged"
is "$("$OOMTOP" set -q 900 "$A")" "" "-q: unchanged prints nothing"
is "$("$OOMTOP" set -q 800 "$A")" "$A (set$$a): oom_score_adj 900 -> 800" "-q: a change prints its line"

# dry run
out=$("$OOMTOP" set -n 100 "$A")
ok $? "set -n exits 0"
is "$out" "$A (set$$a): oom_score_adj 800 -> 100 (dry run, not written)" "set -n says what would change"
is "$(adj_of "$A")" 800 "set -n writes nothing"

# options after the operands and "--"
is "$("$OOMTOP" set 700 "$A" -n)" "$A (set$$a): oom_score_adj 800 -> 700 (dry run, not written)" \
	"options may follow the operands"
"$OOMTOP" set -- 700 "$A" >/dev/null
ok $? "set -- ADJ PID works"
is "$(adj_of "$A")" 700 "set -- wrote 700"

# a negative value is read as the value, not as options: here the kernel refuses it,
# and the message shows which value was asked for and why it failed
# the dry run runs the kernel's checks: it promises nothing the write would refuse
"$OOMTOP" set -n -1 "$A" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "set -n -1: would be refused, exit 1 as the real run (was 0, 'would change')"
is "$(cat "$T_TMP/err")" "oomtop: set: $A (set$$a): would be refused (dry run): cannot lower oom_score_adj from 700 to -1: that is below the process's oom_score_adj_min and needs CAP_SYS_RESOURCE, which you lack as root (a container or a reduced capability set); raising works without it" \
	"set -n -1: says it would be refused, and why"
is "$(wc -c <"$T_TMP/out")" 0 "set -n -1: no promise on stdout"
"$OOMTOP" set -n --legacy 5 "$A" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "set -n --legacy 5 (below the current value): would be refused, exit 1"
is "$("$OOMTOP" set -n 0 "$A")" "$A (set$$a): oom_score_adj 700 -> 0 (dry run, not written)" "set -n 0 (not below 0): would change"
"$OOMTOP" set -1 "$A" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "set -1: EACCES from the kernel, exit 1"
is "$(cat "$T_TMP/err")" "oomtop: set: $A (set$$a): cannot lower oom_score_adj from 700 to -1: that is below the process's oom_score_adj_min and needs CAP_SYS_RESOURCE, which you lack as root (a container or a reduced capability set); raising works without it" \
	"set -1: the explained error names the current value and that raising works"
is "$(wc -c <"$T_TMP/out")" 0 "nothing on stdout"
is "$(adj_of "$A")" 700 "the value is unchanged"
"$OOMTOP" set -- -1 "$A" 2>&1 | grep -q "from 700 to -1"
ok $? "set -- -1 PID reads -1 as the value too"
# and lowering to 0 works: the minimum here is 0
is "$("$OOMTOP" set 0 "$A")" "$A (set$$a): oom_score_adj 700 -> 0" "lowering down to the minimum works"
"$OOMTOP" set 700 "$A" >/dev/null

# legacy: the kernel checks a different thing (the current value, not the minimum)
"$OOMTOP" set --legacy 5 "$A" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "set --legacy 5 (oom_score_adj 294 < 700) is refused by the kernel"
grep -q "cannot lower through oom_adj from oom_score_adj 700 to 294 (oom_adj 5): the legacy file needs CAP_SYS_RESOURCE to go below the current value" "$T_TMP/err"
ok $? "the legacy refusal says the legacy file compares with the current value ($(cat "$T_TMP/err"))"
is "$(adj_of "$A")" 700 "still 700"
is "$("$OOMTOP" set 294 "$A")" "$A (set$$a): oom_score_adj 700 -> 294" "the same value through oom_score_adj works (minimum 0)"

# the legacy scale, value by value, against what the kernel stores: oomtop's
# prediction (dry run) for each oom_adj, then the kernel's own conversion of
# the same write through the shell, then oomtop's real write
spawn_hog --adj 0 --name "set$$l"; L=$HOG
spawn_hog --adj 0 --name "set$$k"; K=$HOG
mismatch=""
for v in $(seq 0 15); do
	pred=$("$OOMTOP" set -n --legacy "$v" "$L" | sed -n 's/.*oom_score_adj [0-9-]* -> \([0-9-]*\).*/\1/p')
	[ -n "$pred" ] || pred=$(adj_of "$L") # unchanged
	echo "$v" >"/proc/$K/oom_adj"
	kernel=$(adj_of "$K")
	kernel_legacy=$(cat "/proc/$K/oom_adj")
	line=$("$OOMTOP" set --legacy "$v" "$L") || mismatch="$mismatch [$v: exit $?]"
	got=$(adj_of "$L")
	shown=$(echo "$line" | sed -n 's/.*: oom_adj [0-9-]* -> \([0-9-]*\).*/\1/p')
	[ -n "$shown" ] || shown=$(echo "$line" | sed -n 's/.*: oom_adj \([0-9-]*\), unchanged.*/\1/p')
	[ "$pred" = "$kernel" ] && [ "$got" = "$kernel" ] && [ "$shown" = "$kernel_legacy" ] ||
		mismatch="$mismatch [$v: predicted $pred, kernel $kernel, oomtop wrote $got, shows $shown, kernel shows $kernel_legacy]"
done
is "$mismatch" "" "oom_adj 0..15: oomtop's conversion equals the kernel's both ways"
is "$(adj_of "$L")" 1000 "oom_adj 15 is oom_score_adj 1000"
# the other way, what oom_adj shows for a value, on values the host can reach
mismatch=""
for s in 999 942 941 940 588 587 59 58 1 0; do
	echo "$s" >"/proc/$K/oom_score_adj"
	shown=$("$OOMTOP" set -n --legacy 15 "$K" | sed -n 's/.*: oom_adj \([0-9-]*\)[ ,].*/\1/p')
	[ "$shown" = "$(cat "/proc/$K/oom_adj")" ] || mismatch="$mismatch [$s: oomtop $shown, kernel $(cat "/proc/$K/oom_adj")]"
done
is "$mismatch" "" "the oom_adj oomtop shows for 0..999 is the kernel's (942..999 read 15)"
is "$("$OOMTOP" set --legacy 15 "$L")" "$L (set$$l): oom_adj 15, unchanged (oom_score_adj 1000)" "legacy unchanged"

# a process that shares its memory with another (clone CLONE_VM): the kernel
# writes both (fs/proc/base.c __set_oom_adj), and oomtop says so
spawn_vmshare
is "$("$OOMTOP" set 300 "$VP")" "$VP (vmshare): oom_score_adj 0 -> 300 (the kernel also changed $VC (vmshare-child), which shares its memory)" \
	"a write to one process of a shared mm names the other"
is "$(adj_of "$VC")" 300 "the kernel changed the other one too"
is "$("$OOMTOP" set 400 "$VC")" "$VC (vmshare-child): oom_score_adj 300 -> 400 (the kernel also changed $VP (vmshare), which shares its memory)" \
	"and the other way round"
is "$(adj_of "$VP")" 400 "both have 400"
is "$("$OOMTOP" set 300 "$A")" "$A (set$$a): oom_score_adj 294 -> 300" "a process that shares nothing names no other"

# processes that do not exist, kernel threads
kill_hog "$B"
"$OOMTOP" set 300 "$A" "$B" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "a pid that does not exist: exit 1"
is "$(cat "$T_TMP/err")" "oomtop: set: $B: no such process" "and says which"
is "$(cat "$T_TMP/out")" "$A (set$$a): oom_score_adj 300, unchanged" "the others are still set"
# (a kernel thread is refused: the namespace shows none; test_adj.c, test_open_identity, covers it)

# bad input: exit 2, one message naming the command, nothing written
for args in "" "300" "abc $A" "1001 $A" "-1001 $A" "0x10 $A" "300 0" "300 abc" "300 $A,$A" "300 -$A" \
	"--legacy 16 $A" "--legacy -18 $A" "--legacy 500 $A" "--bogus 300 $A" "300 99999999999"; do
	"$OOMTOP" set $args >"$T_TMP/out" 2>"$T_TMP/err"
	is "$?" 2 "set $args: exit 2"
	is "$(head -1 "$T_TMP/err" | cut -c1-12)" "oomtop: set:" "set $args: message names program and command"
	is "$(wc -c <"$T_TMP/out")" 0 "set $args: nothing on stdout"
done
"$OOMTOP" set 1001 "$A" 2>&1 | grep -q "ADJ '1001' is out of range (an oom_score_adj, -1000..1000)"
ok $? "an out-of-range value names the range"
"$OOMTOP" set --legacy 16 "$A" 2>&1 | grep -q "ADJ '16' is out of range (an oom_adj, -17..15)"
ok $? "an out-of-range legacy value names the legacy range"
is "$(adj_of "$A")" 300 "no bad input changed the value"

done_testing
