# `oomtop protect`: pgrep-like selection on processes the test started, the
# safety rules (other users, --max, itself), exit statuses and bad input.
# Values stay in 0..1000 (no CAP_SYS_RESOURCE here).
# A writer test: it runs in a PID namespace of its own, where /proc shows
# only the processes it started, so no pattern can reach anyone else's.
[ -n "${T_PIDNS:-}" ] || T_PIDNS=1 exec unshare --pid --fork --mount-proc bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

N="pr$$"

spawn_hog --adj 500 --name "${N}srv"; S1=$HOG
spawn_hog --adj 500 --name "${N}srv"; S2=$HOG

# the name, -x, both processes, in pid order
out=$("$OOMTOP" protect --adj 100 -x "${N}srv")
ok $? "protect exits 0 when everything matched was set"
is "$out" "$S1 (${N}srv): oom_score_adj 500 -> 100
$S2 (${N}srv): oom_score_adj 500 -> 100" "one line per process"
is "$(adj_of "$S1") $(adj_of "$S2")" "100 100" "both have 100 in the kernel"

# idempotent, and quiet for cron
out=$("$OOMTOP" protect --adj 100 -x "${N}srv")
ok $? "again: exit 0"
is "$out" "$S1 (${N}srv): oom_score_adj 100, unchanged
$S2 (${N}srv): oom_score_adj 100, unchanged" "again: unchanged, nothing written"
out=$("$OOMTOP" protect -q --adj 100 -x "${N}srv" 2>&1)
ok $? "-q: exit 0"
is "$out" "" "-q prints nothing when nothing changed"
out=$("$OOMTOP" protect -q --adj 120 -x "${N}srv" 2>&1)
is "$out" "$S1 (${N}srv): oom_score_adj 100 -> 120
$S2 (${N}srv): oom_score_adj 100 -> 120" "-q prints what changed"

# dry run
out=$("$OOMTOP" protect -n --adj 300 -x "${N}srv")
ok $? "-n: exit 0"
is "$(echo "$out" | head -1)" "$S1 (${N}srv): oom_score_adj 120 -> 300 (dry run, not written)" "-n says what would change"
is "$(adj_of "$S1") $(adj_of "$S2")" "120 120" "-n writes nothing"

# -x needs the whole name; without it any part matches; -i
"$OOMTOP" protect --adj 130 -x "${N}sr" >"$T_TMP/out" 2>&1
is "$?" 1 "-x with a part of the name: nothing matched, exit 1"
is "$(wc -c <"$T_TMP/out")" 0 "nothing matched: nothing printed"
is "$("$OOMTOP" protect --adj 130 "${N}sr" | wc -l)" 2 "without -x a part of the name matches"
is "$("$OOMTOP" protect -i -x --adj 140 "$(echo "${N}SRV" | tr a-z A-Z)" | wc -l)" 2 "-i ignores case"
is "$(adj_of "$S1")" 140 "-i wrote"

# -f: the command line
spawn_hog --adj 500 --name "${N}cmd" -- "marker$$" x; C=$HOG
"$OOMTOP" protect --adj 200 "marker$$" >"$T_TMP/out" 2>&1
is "$?" 1 "without -f the command line is not looked at"
is "$("$OOMTOP" protect -f --adj 200 "marker$$ x$")" "$C (${N}cmd): oom_score_adj 500 -> 200" "-f matches the command line"
is "$("$OOMTOP" protect -f -x --adj 210 "marker$$")" "" "-f -x: the whole command line must match"
is "$("$OOMTOP" protect -f -x --adj 210 ".*/memhog --adj 500 --name ${N}cmd -- marker$$ x")" \
	"$C (${N}cmd): oom_score_adj 200 -> 210" "-f -x with the whole command line"
# several patterns: any of them
is "$("$OOMTOP" protect --adj 220 -x "${N}cmd" "${N}srv" | wc -l)" 3 "several patterns: any of them matches"

# --exe: the file itself, by device and inode
ln -s "$HELPERS/memhog" "$T_TMP/link"
cp "$HELPERS/memhog" "$T_TMP/copy"
is "$("$OOMTOP" protect --adj 230 --exe "$HELPERS/memhog" -x "${N}srv" | wc -l)" 2 "--exe with the path of the binary"
is "$("$OOMTOP" protect --adj 240 --exe "$T_TMP/link" -x "${N}srv" | wc -l)" 2 "--exe through a symlink: the same file"
"$OOMTOP" protect --adj 250 --exe "$T_TMP/copy" -x "${N}srv" >"$T_TMP/out" 2>&1
is "$?" 1 "--exe of a copy (same bytes, another file): nothing matched"
"$OOMTOP" protect --adj 250 --exe /bin/sleep -x "${N}srv" >"$T_TMP/out" 2>&1
is "$?" 1 "--exe of another binary: nothing matched"
"$OOMTOP" protect --adj 250 --exe "$T_TMP/none" -x "${N}srv" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "--exe of a missing file: exit 1"
is "$(cat "$T_TMP/err")" "oomtop: protect: --exe $T_TMP/none: No such file or directory; only processes still running a deleted file of that path can match" "and says so"
"$OOMTOP" protect -q --adj 250 --exe "$T_TMP/none" -x "${N}srv" 2>&1 | grep -q "^oomtop: protect: --exe $T_TMP/none: No such file"
ok $? "even with -q (was hidden)"

# --exe after an upgrade replaced the binary, then removed it: the running
# processes run a deleted file; matched by its path, with a warning -q keeps
chmod 755 "$T_TMP"
mkdir -p "$T_TMP/bin" "$T_TMP/run"
cp "$HELPERS/memhog" "$T_TMP/bin/${N}upd"
printf '#!/bin/sh\nexec %s "$@"\n' "$T_TMP/bin/${N}upd" >"$T_TMP/run/memhog"
chmod 755 "$T_TMP/run/memhog"
HELPERS="$T_TMP/run" spawn_hog --adj 500; UPD=$HOG
cp "$HELPERS/memhog" "$T_TMP/bin/new" && mv -f "$T_TMP/bin/new" "$T_TMP/bin/${N}upd"
out=$("$OOMTOP" protect -q --adj 300 --exe "$T_TMP/bin/${N}upd" 2>"$T_TMP/err")
is "$?" 0 "--exe of a replaced binary: the process still running the old one matches, exit 0 (was 1, silent)"
is "$out" "$UPD (${N}upd): oom_score_adj 500 -> 300" "and is set"
is "$(cat "$T_TMP/err")" "oomtop: protect: --exe $T_TMP/bin/${N}upd: $UPD (${N}upd) runs a deleted file that had this path (replaced or removed, by an upgrade?): matched by that name; restart it to run the file the path names now" \
	"with a warning on stderr, even with -q"
rm "$T_TMP/bin/${N}upd"
out=$("$OOMTOP" protect --adj 310 --exe "$T_TMP/bin/${N}upd" 2>"$T_TMP/err")
is "$?" 0 "--exe of a removed binary: still matched by its path"
is "$(head -1 "$T_TMP/err")" "oomtop: protect: --exe $T_TMP/bin/${N}upd: No such file or directory; only processes still running a deleted file of that path can match" "the path is missing, said first"
is "$(adj_of "$UPD")" 310 "the kernel has 310"
"$OOMTOP" protect --adj 320 --exe "$T_TMP/bin/${N}upd" -x other >/dev/null 2>&1
is "$?" 1 "the other criteria still apply"
kill_hog "$UPD"

# names longer than the 15 characters the kernel keeps: the full name matches too
cp "$HELPERS/memhog" "$T_TMP/bin/${N}-long-running-daemon"
printf '#!/bin/sh\nexec %s "$@"\n' "$T_TMP/bin/${N}-long-running-daemon" >"$T_TMP/run/memhog"
HELPERS="$T_TMP/run" spawn_hog --adj 500; LONG=$HOG
comm=$(cat "/proc/$LONG/comm")
is "${#comm}" 15 "the kernel cut the name to 15 characters ($comm)"
out=$("$OOMTOP" protect --adj 400 -x "${N}-long-running-daemon" 2>"$T_TMP/err")
is "$?" 0 "-x with the full name: matched (was exit 1 with no message)"
is "$out" "$LONG ($comm): oom_score_adj 500 -> 400" "and set"
is "$(cat "$T_TMP/err")" "oomtop: protect: $LONG ($comm) matched by its full name '${N}-long-running-daemon': the kernel keeps 15 characters of a process name" \
	"a pattern longer than 15 characters that matched only the full name: a note"
printf '410 -x %s\n' "${N}-long-running-daemon" >"$T_TMP/long.conf"
"$OOMTOP" apply -q "$T_TMP/long.conf" >/dev/null 2>&1
is "$(adj_of "$LONG")" 410 "an apply rule with the full name matches"
is "$("$OOMTOP" protect --adj 420 -x "$comm" 2>&1)" "$LONG ($comm): oom_score_adj 410 -> 420" "the cut name still matches, with no note"
"$OOMTOP" protect --adj 430 -x "${N}-long-running-daemonX" >/dev/null 2>&1
is "$?" 1 "-x still needs the whole full name"
kill_hog "$LONG"
is "$(adj_of "$S1")" 240 "no --exe mismatch wrote"

# legacy
is "$("$OOMTOP" protect --legacy --adj 10 -x "${N}cmd")" \
	"$C (${N}cmd): oom_adj 3 -> 9 (oom_score_adj 220 -> 588; oom_adj 10 is stored as 588, which reads back as 9)" \
	"--legacy writes oom_adj, and says that 10 reads back as 9"
is "$(adj_of "$C")" 588 "oom_adj 10 is oom_score_adj 588"

# the default is -1000: here the kernel refuses it, explained, exit 3
"$OOMTOP" protect -x "${N}cmd" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 3 "default -1000 without CAP_SYS_RESOURCE: a write failed, exit 3"
grep -q "^oomtop: protect: $C (${N}cmd): cannot lower oom_score_adj from 588 to -1000: that is below the process's oom_score_adj_min and needs CAP_SYS_RESOURCE" "$T_TMP/err"
ok $? "the failure is explained ($(head -1 "$T_TMP/err"))"
is "$(adj_of "$C")" 588 "the value is unchanged"

# other users' processes: never lowered without -u (a name is chosen by whoever starts the process)
spawn_hog --adj 500 --user nobody --name "${N}srv"; U=$HOG
out=$("$OOMTOP" protect --adj 50 -x "${N}srv" 2>"$T_TMP/err")
ok $? "root's processes are set: exit 0"
is "$out" "$S1 (${N}srv): oom_score_adj 240 -> 50
$S2 (${N}srv): oom_score_adj 240 -> 50" "only root's processes of that name are lowered"
is "$(cat "$T_TMP/err")" "oomtop: protect: $U (${N}srv): not lowered from 500 to 50: it belongs to uid $(id -u nobody) (nobody), and a process's name is chosen by whoever starts it; add -u nobody to include that user's processes" \
	"the spoof is skipped with a warning that tells how to include it"
is "$(adj_of "$U")" 500 "the other user's process keeps its value"
is "$("$OOMTOP" protect -q --adj 50 -x "${N}srv" 2>&1)" "" "-q: the skip is quiet too"
"$OOMTOP" protect --adj 40 -u nobody -x "${N}srv" >"$T_TMP/out" 2>&1
ok $? "-u nobody: exit 0"
is "$(cat "$T_TMP/out")" "$U (${N}srv): oom_score_adj 500 -> 40" "-u nobody selects only nobody's, and lowers it"
is "$(adj_of "$S1") $(adj_of "$U")" "50 40" "root's untouched by -u nobody; nobody's lowered"
is "$("$OOMTOP" protect --adj 700 -x "${N}srv" 2>&1 | grep -c "^$U ")" 1 "raising another user's process needs no -u"
spawn_hog --adj 500 --user nobody --name "${N}nob"; U2=$HOG
"$OOMTOP" protect -q --adj 10 -x "${N}nob" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 3 "only other users' processes matched: a refusal, exit 3 (was 1, nothing matched)"
is "$(cat "$T_TMP/err")" "oomtop: protect: $U2 (${N}nob): not lowered from 500 to 10: it belongs to uid $(id -u nobody) (nobody), and a process's name is chosen by whoever starts it; add -u nobody to include that user's processes
oomtop: protect: the pattern matches only 1 process that is not plainly yours and would be lowered: refused, nothing written (-u USER names the users whose processes may be lowered)" \
	"the reason is on stderr even with -q"
is "$(adj_of "$U2")" 500 "and nothing written"
"$OOMTOP" protect --adj 10 -u "root,nobody" -x "${N}nob" >/dev/null
is "$(adj_of "$U2")" 10 "-u takes a list"

# a setuid program under a look-alike name: started by nobody, effective uid
# 0 (as su waiting at Password:); its effective uid must not make it root's
chmod 755 "$T_TMP"
mkdir "$T_TMP/suid" "$T_TMP/asnobody"
cp "$HELPERS/memhog" "$T_TMP/suid/memhog"
chmod 4755 "$T_TMP/suid/memhog"
printf '#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups %s "$@"\n' "$T_TMP/suid/memhog" >"$T_TMP/asnobody/memhog"
chmod 755 "$T_TMP/asnobody/memhog"
HELPERS="$T_TMP/asnobody" spawn_hog --adj 500 --name "${N}sshd"; SU=$HOG
is "$(awk '/^Uid:/ { print $2, $3, $4 }' "/proc/$SU/status")" "65534 0 0" "the look-alike runs setuid root: real 65534, effective and saved 0"
spawn_hog --adj 500 --name "${N}sshd"; SSHD=$HOG
out=$("$OOMTOP" protect --adj 100 -x "${N}sshd" 2>"$T_TMP/err")
ok $? "root's sshd is set: exit 0"
is "$out" "$SSHD (${N}sshd): oom_score_adj 500 -> 100" "only root's own process is lowered"
is "$(cat "$T_TMP/err")" "oomtop: protect: $SU (${N}sshd): not lowered from 500 to 100: its real, effective and saved uids differ (65534, 0, 0): a setuid program, or one that changed its ids, was started and named by uid 65534 (nobody); add -u nobody,root (all of them) to include it" \
	"the setuid look-alike is skipped, and the message says why"
is "$(adj_of "$SU")" 500 "the setuid look-alike keeps 500"
printf '100 -x %s\n' "${N}sshd" >"$T_TMP/su.conf"
"$OOMTOP" apply "$T_TMP/su.conf" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 0 "an apply rule: exit 0"
is "$(grep -c "^oomtop: apply: $SU (${N}sshd): not lowered from 500 to 100: its real, effective and saved uids differ" "$T_TMP/err")" 1 "apply skips it too"
is "$(adj_of "$SU")" 500 "still 500"
"$OOMTOP" protect --adj 100 -u root -x "${N}sshd" >"$T_TMP/out" 2>&1
is "$(adj_of "$SU")" 500 "-u root: its real uid is not root's, it is not even selected"
"$OOMTOP" protect --adj 100 -u nobody -x "${N}sshd" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 3 "-u nobody selects it (real uid) but does not name its effective uid: refused, exit 3"
is "$(adj_of "$SU")" 500 "still 500"
is "$("$OOMTOP" protect --adj 100 -u nobody,root -x "${N}sshd" 2>&1)" "$SU (${N}sshd): oom_score_adj 500 -> 100
$SSHD (${N}sshd): oom_score_adj 100, unchanged" "-u naming all of its uids lowers it"
kill_hog "$SU"

# another user's look-alikes do not block a rule: only what it would write counts toward --max
spawn_hog --adj 500 --name "${N}lk"; LK=$HOG
lookalikes=""
for i in $(seq 1 33); do spawn_hog --adj 500 --user nobody --name "${N}lk"; lookalikes="$lookalikes $HOG"; done
"$OOMTOP" protect --adj 100 -x "${N}lk" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 0 "33 of nobody's look-alikes and root's one: exit 0 (was refused: 34 > --max 32)"
is "$(cat "$T_TMP/out")" "$LK (${N}lk): oom_score_adj 500 -> 100" "root's process is set"
is "$(grep -c ": not lowered from 500 to 100: it belongs to uid 65534 (nobody)" "$T_TMP/err")" 33 "each look-alike is reported as skipped"
is "$(adj_of "$LK")" 100 "the kernel has 100"
"$OOMTOP" protect -q --max 1 --adj 90 -x "${N}lk" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 0 "--max 1 counts only the one it writes"
for p in $lookalikes; do kill_hog "$p"; done
spawn_hog --adj 500 --name "${N}lk"; LK2=$HOG
"$OOMTOP" protect --max 1 --adj 80 -x "${N}lk" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 3 "two of root's with --max 1: refused"
kill_hog "$LK2"

# --max: more matches than that and nothing at all is written
spawn_hog --adj 500 --name "${N}many"; M1=$HOG
spawn_hog --adj 500 --name "${N}many"; M2=$HOG
spawn_hog --adj 500 --name "${N}many"; M3=$HOG
"$OOMTOP" protect --max 2 --adj 100 -x "${N}many" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 3 "more matches than --max: exit 3"
is "$(cat "$T_TMP/err")" "oomtop: protect: the pattern matches 3 processes, more than --max 2: refused, nothing written (narrow it down with -x, -u or --exe, or raise --max)" "refused with the count"
is "$(wc -c <"$T_TMP/out")" 0 "refused: nothing on stdout"
is "$(adj_of "$M1") $(adj_of "$M2") $(adj_of "$M3")" "500 500 500" "refused: nothing written"
is "$("$OOMTOP" protect --max 3 --adj 100 -x "${N}many" | wc -l)" 3 "--max 3 allows three"
# the default --max is 32 (a dry run: this refusal must hold even for -n)
hogs33=""
for i in $(seq 1 33); do spawn_hog --adj 500 --name "${N}x33"; hogs33="$hogs33 $HOG"; done
"$OOMTOP" protect -n --adj 100 -x "${N}x33" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 3 "33 matches: refused by the default --max 32"
is "$(cat "$T_TMP/err")" "oomtop: protect: the pattern matches 33 processes, more than --max 32: refused, nothing written (narrow it down with -x, -u or --exe, or raise --max)" \
	"the refusal names the default"
is "$(wc -c <"$T_TMP/out")" 0 "and prints no process"
for p in $hogs33; do kill_hog "$p"; done

# `protect .` never makes the whole machine unkillable, even a machine of fewer
# than 32 processes: in a PID namespace of its own the test sees only its own
# processes, so the broad pattern is safe to run for real there
unshare --pid --fork --mount-proc bash -c '
	pids=""
	for i in 1 2 3 4 5 6; do sleep 1000 & pids="$pids $!"; done
	echo 200 >/proc/self/oom_score_adj 2>/dev/null
	"$0" protect --adj 100 . >"$1/ns.out" 2>"$1/ns.err"; echo "rc=$?"
	echo "adj=$(cat /proc/[0-9]*/oom_score_adj | sort -u | tr "\n" " ")"
	"$0" protect --max 6 --adj 100 . >"$1/ns2.out" 2>&1; echo "rc2=$? lines=$(wc -l <"$1/ns2.out")"
	for p in $pids; do echo "sleep=$(cat /proc/$p/oom_score_adj)"; done | sort -u
	kill $pids' "$OOMTOP" "$T_TMP" >"$T_TMP/ns" 2>&1
is "$(sed -n 1p "$T_TMP/ns")" "rc=3" "protect . on a machine of 6 processes: refused, exit 3"
is "$(cat "$T_TMP/ns.err")" "oomtop: protect: the pattern matches 6 of the 6 processes on this machine: refused, nothing written (narrow it down with -x, -u or --exe, or confirm the count with --max 6)" \
	"more than half of the machine: refused with the count"
is "$(sed -n 2p "$T_TMP/ns")" "adj=0 200 " "nothing written (the six sleeps keep 0, the shell 200)"
is "$(sed -n 3p "$T_TMP/ns")" "rc2=0 lines=6" "--max 6 confirms the count: all six set"
is "$(sed -n 4p "$T_TMP/ns")" "sleep=100" "the six have 100; the shell and oomtop, its own line, are not among them"

# (kernel threads are never touched: the namespace's /proc shows none, so
# that rule is tested on sel_decide() in tests/unit/test_sel.c, test_exclusions)

# itself and its ancestors: the classic `pgrep -f NAME` self-match.  The
# shell and oomtop both carry the marker in their command lines, as does
# the target; only the target may change.
spawn_hog --adj 500 --name "${N}t" -- "selfm$$"; T=$HOG
script='echo 500 >/proc/self/oom_score_adj; "$0" protect -f --adj 100 "selfmMARK"; echo "rc=$? shell=$$ adj=$(cat /proc/$$/oom_score_adj)"'
out=$(bash -c "${script//MARK/$$}" "$OOMTOP")
shell_pid=$(echo "$out" | sed -n 's/.*shell=\([0-9]*\).*/\1/p')
is "$(echo "$out" | sed -n 1p)" "$T (${N}t): oom_score_adj 500 -> 100" "the target is set"
is "$(echo "$out" | sed -n 2p)" "rc=0 shell=$shell_pid adj=500" "its parent shell (matching -f) keeps 500, and only one line was printed"
is "$(adj_of "$T")" 100 "the target has 100"
# oomtop itself: run as the last command of the shell, oomtop is that process (exec)
script='echo 500 >/proc/self/oom_score_adj; echo "self=$$"; exec "$0" protect -n -f --adj 100 "selfmMARK"'
out=$(bash -c "${script//MARK/$$}" "$OOMTOP")
self_pid=$(echo "$out" | sed -n 's/^self=//p')
is "$(echo "$out" | grep -c "^$self_pid ")" 0 "oomtop never lists itself"
is "$(echo "$out" | grep -c "^$T ")" 1 "while the target still matches"

# bad input: exit 2, nothing written (the pattern would match only the
# test's processes, and -n guards the machine should a bad input ever pass)
for args in "" "--adj 1001 X" "--adj -1001 X" "--adj abc X" "--adj=1e3 X" "--legacy --adj 16 X" "--max 0 X" \
	"--max -5 X" "--max abc X" "-u no_such_user_x X" "-u , X" "--exe relative/path X" "'X('" "'X['" "-x 'X{2,1}'" \
	"''" "--bogus X" "--adj"; do
	eval "set -- ${args//X/${N}srv}"
	"$OOMTOP" protect -n "$@" >"$T_TMP/out" 2>"$T_TMP/err"
	is "$?" 2 "protect $args: exit 2"
	is "$(head -1 "$T_TMP/err" | cut -c1-16)" "oomtop: protect:" "protect $args: names program and command"
	is "$(wc -c <"$T_TMP/out")" 0 "protect $args: nothing on stdout"
done
"$OOMTOP" protect -n "${N}(" 2>&1 | grep -q "bad pattern '${N}(': "
ok $? "a bad regex is named with the reason"
is "$(adj_of "$S1") $(adj_of "$S2") $(adj_of "$U") $(adj_of "$C") $(adj_of "$M1") $(adj_of "$T")" \
	"700 700 700 588 100 100" "no bad input changed any value"

# a process that shares its memory with another (clone CLONE_VM): the
# kernel writes both, and protect, which looks for the sharers among the
# processes of its one scan, names the other
spawn_vmshare
is "$("$OOMTOP" protect --adj 350 -x vmshare)" \
	"$VP (vmshare): oom_score_adj 0 -> 350 (the kernel also changed $VC (vmshare-child), which shares its memory)" \
	"protect names the process that shares the memory it wrote"
is "$(adj_of "$VC")" 350 "the kernel changed the other one too"
is "$("$OOMTOP" protect --adj 360 -x vmshare vmshare-child)" \
	"$VP (vmshare): oom_score_adj 350 -> 360 (the kernel also changed $VC (vmshare-child), which shares its memory)
$VC (vmshare-child): oom_score_adj 360, unchanged" "both matched: the second is already written by the first"

done_testing
