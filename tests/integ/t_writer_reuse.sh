# PID reuse: the writer identifies a process once and writes through that
# identity; when the process exits and a new one takes its PID, the write
# fails as "exited" and the new process keeps its value.  A PID namespace of
# the test's own and ns_last_pid make the reuse deterministic.
. "$(dirname "$0")/lib.sh"

chmod 755 "$T_TMP"
unshare --pid --fork --mount-proc bash -c '
	H=$0 D=$1
	# Waits until file $1 holds a line starting with "held".
	held() { for i in $(seq 1 500); do grep -q ^held "$1" 2>/dev/null && return 0; sleep 0.01; done; return 1; }

	sleep 1000 & V=$!
	echo 100 >/proc/$V/oom_score_adj
	start_old=$(awk "{print \$22}" /proc/$V/stat)

	# 1. identity by the pinned /proc/PID directory (what set, protect, apply do)
	mkfifo "$D/go"
	"$H/adjhold" "$V" 200 <"$D/go" >"$D/held.out" 2>&1 & A=$!
	exec 3>"$D/go"
	held "$D/held.out" || echo "adjhold did not start"
	kill -9 "$V"; wait "$V" 2>/dev/null
	sleep 0.05 # a later clock tick, so the start times differ for test 2
	echo $((V - 1)) >/proc/sys/kernel/ns_last_pid
	sleep 1000 & N=$!
	echo 300 >/proc/$N/oom_score_adj
	echo "reused=$([ "$N" = "$V" ] && echo yes || echo "no ($N != $V)")"
	echo go >&3; exec 3>&-
	wait "$A"; echo "rc=$?"
	echo "new=$(cat /proc/$N/oom_score_adj)"
	start_new=$(awk "{print \$22}" /proc/$N/stat)
	echo "starts=$([ "$start_old" != "$start_new" ] && echo differ || echo same)"

	# 2. identity by pid and start time (a caller that holds a scan: the live view)
	echo go | "$H/adjhold" "$N" 250 "$start_old" >"$D/held2.out" 2>&1; echo "rc2=$?"
	echo "new2=$(cat /proc/$N/oom_score_adj)"
	# control: with its own start time the write lands
	echo go | "$H/adjhold" "$N" 250 "$start_new" >"$D/held3.out" 2>&1; echo "rc3=$?"
	echo "new3=$(cat /proc/$N/oom_score_adj)"
	kill "$N"' "$HELPERS" "$T_TMP" >"$T_TMP/ns" 2>&1
ok $? "the namespace ran ($(tr '\n' ' ' <"$T_TMP/ns"))"

is "$(grep ^reused= "$T_TMP/ns")" "reused=yes" "a new process took the PID of the identified one"
is "$(grep ^rc= "$T_TMP/ns")" "rc=1" "the write through the old identity fails"
is "$(tail -1 "$T_TMP/held.out")" "$(sed -n 's/^held \([0-9]*\).*/\1/p' "$T_TMP/held.out") (sleep): the process exited; nothing was written" \
	"as exited, nothing written"
is "$(grep ^new= "$T_TMP/ns")" "new=300" "the new process keeps its value"
is "$(grep ^starts= "$T_TMP/ns")" "starts=differ" "the two processes started at different times"
is "$(grep ^rc2= "$T_TMP/ns")" "rc2=1" "pid + the old start time: the write fails"
is "$(tail -1 "$T_TMP/held2.out" | sed 's/^[0-9]*: //')" \
	"the process exited and its PID now belongs to another process, which was left alone" "and says the PID was taken"
is "$(grep ^new2= "$T_TMP/ns")" "new2=300" "the new process still keeps its value"
is "$(grep ^rc3= "$T_TMP/ns")" "rc3=0" "with its own start time the write lands (the check is not always failing)"
is "$(grep ^new3= "$T_TMP/ns")" "new3=250" "250"

done_testing
