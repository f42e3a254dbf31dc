# `oomtop watch`: the rules hold as processes start.  Part 1 runs in a PID
# (and network) namespace of the test's own, where the process events
# connector cannot be used, so watch says so and applies the rules every
# --interval seconds.  Part 2 needs the connector, whose events name the
# processes of the initial PID namespace only: there every rule matches by
# an exact name unique to this test AND --exe of a private copy of a
# program, so no process but the test's own can match.
. "$(dirname "$0")/lib.sh"

chmod 755 "$T_TMP"
# Waits up to $3 seconds for pid $1's oom_score_adj to be $2; prints what it is.
wait_adj() {
	local i v
	for i in $(seq 1 $(($3 * 20))); do
		v=$(cat "/proc/$1/oom_score_adj" 2>/dev/null)
		[ "$v" = "$2" ] && break
		sleep 0.05
	done
	echo "$v"
}

# --- 1. polling, in a namespace of the test's own ----------------------------
unshare --pid --net --fork --mount-proc bash -c '
	O=$0 D=$1
	'"$(declare -f wait_adj)"'
	cp /bin/sleep "$D/wpoll"
	printf "250 -x wpoll\nbogus line\n" >"$D/bad.conf"
	"$D/wpoll" 100 & A=$!
	"$O" watch "$D/bad.conf" >"$D/bad.out" 2>"$D/bad.err"
	echo "bad_rc=$? bad_a=$(cat /proc/$A/oom_score_adj)"
	printf "250 -x wpoll\n" >"$D/r.conf"
	chmod 644 "$D/r.conf"
	"$O" watch --interval 1 "$D/r.conf" >"$D/w.out" 2>"$D/w.err" & W=$!
	echo "first=$(wait_adj $A 250 3)"
	"$D/wpoll" 100 & B=$!
	echo "later=$(wait_adj $B 250 3)"
	printf "260 -x wpoll\n" >"$D/r.conf"
	kill -HUP $W
	echo "hup_good=$(wait_adj $A 260 3)"
	printf "270 -x wpoll\nbogus\n" >"$D/r.conf"
	kill -HUP $W
	sleep 0.3
	"$D/wpoll" 100 & C=$!
	echo "hup_bad=$(wait_adj $C 260 3) a_after_bad=$(cat /proc/$A/oom_score_adj)"
	kill -TERM $W; wait $W; echo "term_rc=$?"
	printf "280 -x wpoll\n" >"$D/n.conf"
	"$O" watch -n --interval 1 "$D/n.conf" >"$D/n.out" 2>"$D/n.err" & N=$!
	sleep 1.5
	kill -INT $N; wait $N; echo "int_rc=$? dry_a=$(cat /proc/$A/oom_score_adj)"
	kill $A $B $C
' "$OOMTOP" "$T_TMP" >"$T_TMP/ns" 2>&1
res() { sed -n "s/.*\<$1=\([^ ]*\).*/\1/p" "$T_TMP/ns" | head -n 1; }
is "$(res bad_rc) $(res bad_a)" "2 0" "a bad rules file: exit 2 at start, nothing written"
grep -q '^.*bad.conf:2: ' "$T_TMP/bad.err"
ok $? "the bad line is named as FILE:LINE ($(head -n 1 "$T_TMP/bad.err"))"
grep -q 'cannot be used (.*); applying the rules every 1s instead' "$T_TMP/w.err"
ok $? "without the connector it says so once and polls ($(head -n 1 "$T_TMP/w.err"))"
is "$(grep -c 'cannot be used' "$T_TMP/w.err")" 1 "... once"
is "$(res first)" 250 "the first pass sets a running process"
is "$(res later)" 250 "a process started later gets its value at the next pass"
is "$(res hup_good)" 260 "SIGHUP with a good file: the new rules are applied in full"
is "$(res hup_bad) $(res a_after_bad)" "260 260" "SIGHUP with a bad file: the old rules stay"
grep -q 'r.conf:2: ' "$T_TMP/w.err" && grep -q 'bad rules, the old ones stay in force' "$T_TMP/w.err"
ok $? "... and the error is logged as FILE:LINE"
is "$(res term_rc)" 0 "SIGTERM: exit 0"
is "$(res int_rc) $(res dry_a)" "0 260" "-n writes nothing; SIGINT: exit 0"
grep -q '260 -> 280 (dry run, not written)' "$T_TMP/n.out"
ok $? "-n prints what it would change"
[ -z "$(grep -v 'cannot be used' "$T_TMP/w.err" | grep -v 'r.conf:2: \|old ones stay\|read again')" ]
ok $? "nothing else on stderr"

# --- 2. the connector, with rules only the test's processes can match ----------
u=$$
for f in wexec wcomm wuid wfork wflood wunit; do cp /bin/sleep "$T_TMP/$f$u"; done
cp "$HELPERS/memhog" "$T_TMP/wcomm$u"
cp "$HELPERS/memhog" "$T_TMP/wuid$u"
cp "$(command -v bash)" "$T_TMP/wfork$u"
cat >"$T_TMP/c.conf" <<EOF
300 -x --exe $T_TMP/wexec$u wexec$u
310 -x --exe $T_TMP/wcomm$u wcn$u
320 -x -u nobody --exe $T_TMP/wuid$u wuid$u
330 -x --exe $T_TMP/wfork$u wfork$u
340 -x --exe $T_TMP/wflood$u wflood$u
350 -x --exe $T_TMP/wunit$u --unit oomtop-tw$u-*.service wunit$u
EOF
chmod 644 "$T_TMP/c.conf"
rm -f "$T_TMP/notify"
"$HELPERS/execlat" listen "$T_TMP/notify" 20 >"$T_TMP/notify.out" &
L=$!
T_HOGS="$T_HOGS $L" # killed and reaped at cleanup
sleep 0.2
NOTIFY_SOCKET=$T_TMP/notify OOMTOP_WATCH_RCVBUF=65536 "$OOMTOP" watch "$T_TMP/c.conf" \
	>"$T_TMP/c.out" 2>"$T_TMP/c.err" &
W=$!
T_HOGS="$T_HOGS $W" # killed and reaped at cleanup
wait "$L"
grep -q '^READY=1' "$T_TMP/notify.out"
ok $? "it tells the service manager it is ready (\$NOTIFY_SOCKET: $(head -n 1 "$T_TMP/notify.out"))"
grep -q 'process events connector' "$T_TMP/c.err"
ok $? "it listens to the process events connector ($(head -n 1 "$T_TMP/c.err"))"

lat=$("$HELPERS/execlat" lat 20 300 5 "$T_TMP/wexec$u" 30 | tail -n 1)
case "$lat" in *"timeouts 0") true ;; *) false ;; esac
ok $? "exec: 20 of 20 new processes hold their value, none waited past 5 s ($lat us)"

"$T_TMP/wcomm$u" --name "wcn$u" --anon 1 >/dev/null 2>&1 &
P=$!
T_HOGS="$T_HOGS $P" # killed and reaped at cleanup
is "$(wait_adj $P 310 5)" 310 "comm change (prctl PR_SET_NAME): the renamed process gets its rule's value"

"$T_TMP/wuid$u" --user nobody --anon 1 >/dev/null 2>&1 &
P=$!
T_HOGS="$T_HOGS $P" # killed and reaped at cleanup
is "$(wait_adj $P 320 5)" 320 "uid change (setuid to nobody): it matches -u nobody now and gets its value"

# --unit: a process that execs inside the unit's cgroup gets the value, one outside does not
if memcg_create "oomtop-tw$u/system.slice/oomtop-tw$u-web.service" max; then
	sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" 100' sh "$MEMCG" "$T_TMP/wunit$u" &
	P=$!
	"$T_TMP/wunit$u" 100 &
	Q=$!
	T_HOGS="$T_HOGS $P $Q" # killed and reaped at cleanup
	is "$(wait_adj $P 350 5)" 350 "--unit: a process that starts in the unit gets its rule's value"
	t_sleep 0.5
	is "$(cat /proc/$Q/oom_score_adj)" 0 "--unit: the same program outside the unit does not"
else
	ok 1 "no memory cgroup for --unit"
fi

# A child forked while its parent still held the old value: the daemon is
# stopped, the parent forks, then the daemon sees the parent's exec.
# (Both block opening a FIFO no one writes: alive, and no exec of their own.)
mkfifo "$T_TMP/ff"
kill -STOP "$W"
"$T_TMP/wfork$u" -c '( read -r x <"$0" ) & read -r y <"$0"' "$T_TMP/ff" &
P=$!
T_HOGS="$T_HOGS $P" # killed and reaped at cleanup
sleep 0.3
C=$(cat "/proc/$P/task/$P/children" | awk '{ print $1 }')
T_HOGS="$T_HOGS $C" # its subshell: left alone it would outlive the test, blocked on the FIFO
kill -CONT "$W"
is "$(wait_adj $P 330 5) $(wait_adj "$C" 330 5)" "330 330" \
	"a child forked between its parent's exec and the write gets the value too (parent $P, child $C)"

# Overflow: with the daemon stopped, 2000 execs fill its 128 KiB socket
# buffer; it drops what is queued and applies the rules to every process.
kill -STOP "$W"
"$HELPERS/execlat" burst 2000 /bin/true >/dev/null
"$T_TMP/wflood$u" 30 &
P=$!
T_HOGS="$T_HOGS $P" # killed and reaped at cleanup
sleep 0.2
kill -CONT "$W"
is "$(wait_adj $P 340 5)" 340 "after an overflow every matching process holds its value"
grep -q 'events were lost (the socket overflowed, 1 time)' "$T_TMP/c.err"
ok $? "... and it says events were lost"
kill -TERM "$W"
wait "$W"
is "$?" 0 "SIGTERM: exit 0"
done_testing
