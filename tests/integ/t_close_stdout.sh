# The check of stdout at exit (msg.c close_stdout(), as util-linux's
# close_stdout): output that could not be written fails the command (exit
# 3, "write error"), but a stdout closed before the start (`>&-`) is no
# error when the command had nothing to print, as `apply -q` from cron with
# nothing to change.
. "$(dirname "$0")/lib.sh"

N="cs$$"

# top with nothing to print: no header, a user with no processes
"$OOMTOP" top -b --no-header -u 59999 >&- 2>"$T_TMP/err"
is "$?" 0 "top printing nothing, stdout closed: exit 0"
is "$(cat "$T_TMP/err")" "" "and no 'write error'"
# top with rows to print: they are lost, and that is an error
"$OOMTOP" top -b -n 0 >&- 2>"$T_TMP/err"
is "$?" 3 "top -n 0 (every row) with stdout closed: exit 3"
is "$(cat "$T_TMP/err")" "oomtop: write error: Bad file descriptor" "says that the output was lost"
"$OOMTOP" status >&- 2>"$T_TMP/err"
is "$?" 3 "status with stdout closed: exit 3"
"$OOMTOP" top -b -n 1 >/dev/full 2>"$T_TMP/err"
is "$?" 3 "top on a full disk: exit 3"
is "$(cat "$T_TMP/err")" "oomtop: write error: No space left on device" "says why"
"$OOMTOP" top -b -n 0 -w 2>"$T_TMP/err" | head -c 1 >/dev/null
st=${PIPESTATUS[0]}
[ "$st" = 0 ] || [ "$st" = 141 ] # SIGPIPE, or EPIPE when it is ignored
ok $? "a reader that stops early (| head) is no error (exit $st)"
is "$(cat "$T_TMP/err")" "" "and no message"

# apply -q: writes happen only in a PID namespace of the test's own, on a process it starts there
chmod 755 "$T_TMP"
printf '300 -x %s\n' "$N" >"$T_TMP/rules"
cat >"$T_TMP/ns.sh" <<EOS
"$HELPERS/memhog" --adj 300 --name "$N" >"$T_TMP/hog.out" 2>&1 &
hog=\$!
for i in \$(seq 1 500); do grep -q ready "$T_TMP/hog.out" 2>/dev/null && break; sleep 0.01; done
"$OOMTOP" apply -q "$T_TMP/rules" >&- 2>"$T_TMP/err.unchanged"
echo "unchanged \$? \$(cat /proc/\$hog/oom_score_adj)"
echo 500 >/proc/\$hog/oom_score_adj
"$OOMTOP" apply -q "$T_TMP/rules" >&- 2>"$T_TMP/err.changed"
echo "changed \$? \$(cat /proc/\$hog/oom_score_adj)"
kill -9 \$hog
EOS
unshare --pid --fork --mount-proc bash "$T_TMP/ns.sh" >"$T_TMP/ns.out" 2>&1
is "$(grep '^unchanged' "$T_TMP/ns.out")" "unchanged 0 300" "apply -q with nothing to change, stdout closed: exit 0"
is "$(cat "$T_TMP/err.unchanged")" "" "and nothing on stderr"
is "$(grep '^changed' "$T_TMP/ns.out")" "changed 3 300" \
	"apply -q with a change to report and stdout closed: written, but the report is lost: exit 3"
is "$(cat "$T_TMP/err.changed")" "oomtop: write error: Bad file descriptor" "says that the output was lost"

done_testing
