# `oomtop run`: the command runs with the value (read back by the command
# itself from /proc), in place of oomtop, with env(1)'s exit statuses.
# A writer test: it runs in a PID namespace of its own, where /proc shows
# only the processes it started.
[ -n "${T_PIDNS:-}" ] || T_PIDNS=1 exec unshare --pid --fork --mount-proc bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

is "$("$OOMTOP" run --adj 300 -- cat /proc/self/oom_score_adj)" 300 "the command reads its own value: 300"
is "$("$OOMTOP" run --adj 300 cat /proc/self/oom_score_adj)" 300 "the -- is optional"
is "$("$OOMTOP" run --adj=301 cat /proc/self/oom_score_adj)" 301 "--adj=N"
is "$("$OOMTOP" run --legacy --adj 10 cat /proc/self/oom_score_adj)" 588 "--legacy: oom_adj 10 is oom_score_adj 588"
is "$("$OOMTOP" run --legacy --adj 15 cat /proc/self/oom_adj)" 15 "--legacy 15 reads back 15"
is "$(bash -c 'echo 500 >/proc/self/oom_score_adj; exec "$0" run --adj 100 cat /proc/self/oom_score_adj' "$OOMTOP")" 100 \
	"lowering (down to the minimum, 0 here) works"

# the command's own options and arguments are its own, its status passes through
is "$("$OOMTOP" run --adj 300 ls -d -- /)" "/" "options after COMMAND belong to it"
"$OOMTOP" run --adj 300 sh -c 'exit 7'
is "$?" 7 "the command's exit status passes through"
is "$("$OOMTOP" run --adj 300 -- sh -c 'echo "$1|$2"' sh "a b" "--adj")" "a b|--adj" "arguments are passed as they are"

# it becomes the command: same pid, no oomtop left behind
"$OOMTOP" run --adj 400 "$HELPERS/memhog" --name "run$$" >"$T_TMP/hog" &
P=$!
T_HOGS="$T_HOGS $P"
for i in $(seq 1 200); do grep -q ready "$T_TMP/hog" && break; sleep 0.02; done
is "$(cat "/proc/$P/comm")" "run$$" "the command runs in oomtop's place (same pid)"
is "$(cat "/proc/$P/oom_score_adj")" 400 "with the value"
kill_hog "$P"

# the default is -1000: refused here (no CAP_SYS_RESOURCE), the command is not run
"$OOMTOP" run -- touch "$T_TMP/ran" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 125 "the value cannot be set: exit 125"
# under Valgrind the process that sets its own value is named memcheck-amd64-
me=oomtop
[ "$T_LANE" = valgrind ] && me='[^)]*'
grep -q "^oomtop: run: [0-9]* ($me): cannot lower oom_score_adj from [0-9]* to -1000: that is below the process's oom_score_adj_min and needs CAP_SYS_RESOURCE.*; 'touch' was not run$" "$T_TMP/err"
ok $? "explained, and says the command was not run ($(cat "$T_TMP/err"))"
[ ! -e "$T_TMP/ran" ]
ok $? "the command did not run"

# commands that cannot run: 127 not found, 126 not executable, like env(1)
"$OOMTOP" run --adj 300 -- "$T_TMP/no-such-command" 2>"$T_TMP/err"
is "$?" 127 "not found: 127"
is "$(cat "$T_TMP/err")" "oomtop: run: cannot run '$T_TMP/no-such-command': No such file or directory" "and says so"
"$OOMTOP" run --adj 300 -- "no-such-command-$$" 2>/dev/null
is "$?" 127 "not in PATH: 127"
echo 'echo hi' >"$T_TMP/noexec"
"$OOMTOP" run --adj 300 -- "$T_TMP/noexec" 2>"$T_TMP/err"
is "$?" 126 "not executable: 126"
is "$(cat "$T_TMP/err")" "oomtop: run: cannot run '$T_TMP/noexec': Permission denied" "and says why"
"$OOMTOP" run --adj 300 -- "$T_TMP" 2>/dev/null
is "$?" 126 "a directory: 126"

# bad input: 125 (oomtop's own failure, as env), a message, nothing run
for args in "" "--adj 300" "--adj 300 --" "--adj abc true" "--adj 1001 true" "--adj -1001 true" "--legacy --adj 16 true" \
	"--legacy --adj -18 true" "--adj" "--bogus true"; do
	"$OOMTOP" run $args >"$T_TMP/out" 2>"$T_TMP/err"
	is "$?" 125 "run $args: exit 125"
	is "$(head -1 "$T_TMP/err" | cut -c1-12)" "oomtop: run:" "run $args: names program and command"
	is "$(wc -c <"$T_TMP/out")" 0 "run $args: nothing on stdout"
done
"$OOMTOP" run --adj 1001 true 2>&1 | grep -q "^oomtop: run: --adj '1001' is out of range (an oom_score_adj, -1000..1000)$"
ok $? "an out-of-range value names the range"

done_testing
