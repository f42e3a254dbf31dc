# vm-cost: 10
# vm-timeout: 300
# The writer below zero, where the guest allows it (root with CAP_SYS_RESOURCE):
# set, protect (default -1000), run (default -1000) and apply with negative
# values, read back from the kernel; the spoofing rule with a value that
# really makes a process unkillable.
. "$(dirname "$0")/../integ/lib.sh"
. "$(dirname "$0")/vmlib.sh"

adj_of() { cat "/proc/$1/oom_score_adj"; }
N="n$$"

# set: negative values as written
spawn_hog --adj 0 --name "${N}a"; A=$HOG
is "$("$OOMTOP" set -500 "$A")" "$A (${N}a): oom_score_adj 0 -> -500" "set -500 PID"
is "$(adj_of "$A")" -500 "the kernel has -500"
is "$("$OOMTOP" set -1000 "$A")" "$A (${N}a): oom_score_adj -500 -> -1000" "set -1000 PID"
is "$(adj_of "$A")" -1000 "the kernel has -1000"
is "$("$OOMTOP" set -1000 "$A")" "$A (${N}a): oom_score_adj -1000, unchanged" "unchanged"
is "$("$OOMTOP" set -- -300 "$A")" "$A (${N}a): oom_score_adj -1000 -> -300" "set -- -300 PID"
is "$("$OOMTOP" set -n -999 "$A")" "$A (${N}a): oom_score_adj -300 -> -999 (dry run, not written)" "set -n -999"
is "$(adj_of "$A")" -300 "the dry run wrote nothing"
is "$("$OOMTOP" set --legacy -17 "$A")" "$A (${N}a): oom_adj -5 -> -17 (oom_score_adj -300 -> -1000)" "set --legacy -17"
is "$("$OOMTOP" set --legacy -16 "$A")" \
	"$A (${N}a): oom_adj -17 -> -15 (oom_score_adj -1000 -> -941; oom_adj -16 is stored as -941, which reads back as -15)" \
	"set --legacy -16: stored as -941, read back as -15"
"$OOMTOP" set -1001 "$A" >/dev/null 2>&1
is "$?" 2 "set -1001: out of range, exit 2"
is "$(adj_of "$A")" -941 "unchanged by the bad input"

# protect: the default is -1000 (legacy -17), idempotent
spawn_hog --adj 0 --name "${N}p"; P1=$HOG
spawn_hog --adj 250 --name "${N}p"; P2=$HOG
out=$("$OOMTOP" protect -x "${N}p")
ok $? "protect exits 0"
is "$out" "$P1 (${N}p): oom_score_adj 0 -> -1000
$P2 (${N}p): oom_score_adj 250 -> -1000" "protect sets -1000 by default"
is "$(adj_of "$P1") $(adj_of "$P2")" "-1000 -1000" "the kernel has -1000 for both"
is "$("$OOMTOP" protect -q -x "${N}p")" "" "again with -q: nothing to say"
is "$("$OOMTOP" protect --legacy -x "${N}p" | head -1)" "$P1 (${N}p): oom_adj -17, unchanged (oom_score_adj -1000)" \
	"--legacy defaults to -17, the same"
is "$("$OOMTOP" protect --adj -200 -x "${N}p" | wc -l)" 2 "--adj -200"
is "$(adj_of "$P1")" -200 "-200"

# spoofing: another user's process named like the target is not made unkillable
spawn_hog --adj 0 --user nobody --name "${N}p"; U=$HOG
"$OOMTOP" protect -x "${N}p" >"$T_TMP/out" 2>"$T_TMP/err"
ok $? "root's processes are protected: exit 0"
is "$(cat "$T_TMP/err")" "oomtop: protect: $U (${N}p): not lowered from 0 to -1000: it belongs to uid 65534 (nobody), and a process's name is chosen by whoever starts it; add -u nobody to include that user's processes" \
	"nobody's process is skipped, with the way to include it"
is "$(adj_of "$U")" 0 "and stays killable"
is "$("$OOMTOP" protect -u nobody -x "${N}p")" "$U (${N}p): oom_score_adj 0 -> -1000" "-u nobody protects it"

# run: the default is -1000
is "$("$OOMTOP" run -- cat /proc/self/oom_score_adj)" -1000 "run: -1000 by default"
is "$("$OOMTOP" run --adj -1 cat /proc/self/oom_score_adj)" -1 "run --adj -1"
is "$("$OOMTOP" run --legacy cat /proc/self/oom_adj)" -17 "run --legacy: -17 by default"

# apply with negative rules
spawn_hog --adj 0 --name "${N}db"; D=$HOG
spawn_hog --adj 0 --name "${N}web"; W=$HOG
printf '%s\n' "# guest rules" "-900 -x ${N}db" "-17 --legacy -x ${N}web" "-1000 -x ${N}nothing" >"$T_TMP/rules"
out=$("$OOMTOP" apply "$T_TMP/rules")
ok $? "apply exits 0"
is "$out" "$D (${N}db): oom_score_adj 0 -> -900
$W (${N}web): oom_adj 0 -> -17 (oom_score_adj 0 -> -1000)
$T_TMP/rules: 3 rules, 2 processes matched: 2 changed, 0 unchanged, 0 failed, 0 skipped; 1 rule matched nothing" \
	"apply writes negative values and says so"
is "$(adj_of "$D") $(adj_of "$W")" "-900 -1000" "the kernel has them"
is "$("$OOMTOP" apply -q "$T_TMP/rules")" "" "again with -q: nothing"

# the -1000 process is out of the ranking now: the write did what it says
is "$("$OOMTOP" top --json | jq "[.[] | select(.pid == $W)] | length")" 0 "a protected process is no longer in the OOM ranking"

done_testing
