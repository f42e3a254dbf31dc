# A partial view of the processes (proc(5) hidepid=): every command says
# that the view is partial and why, shows what it cannot know as unknown,
# and `explain` of a process it cannot read is an error with the reason,
# not a page of zeros ("oom_score_adj 0, Protection: none").  Each case runs
# in a mount and PID namespace of its own with a private /proc, as nobody,
# next to a root process of the test's.
. "$(dirname "$0")/lib.sh"

chmod 755 "$T_TMP"
N="hp$$"
# Runs the script $2 in a new mount + PID namespace whose /proc has hidepid=$1;
# in it, $ROOT is a root memhog (adj 500) and `as_nobody` runs a command as nobody.
in_ns() {
	cat >"$T_TMP/ns.sh" <<EOS
mount -t proc -o hidepid=$1 proc /proc || exit 99
"$HELPERS/memhog" --anon 4 --adj 500 --name "${N}root" >"$T_TMP/hog.out" 2>&1 &
ROOT=\$!
for i in \$(seq 1 500); do grep -q ready "$T_TMP/hog.out" 2>/dev/null && break; sleep 0.01; done
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "\$@"; }
OOMTOP="$OOMTOP" T_TMP="$T_TMP"
$2
kill -9 \$ROOT
EOS
	unshare --mount --pid --fork bash "$T_TMP/ns.sh"
}

# --- hidepid=2 (invisible): other users' processes are not even listed
in_ns 2 '
as_nobody "$OOMTOP" explain 1 >$T_TMP/explain1.out 2>$T_TMP/explain1.err; echo $? >$T_TMP/explain1.rc
as_nobody "$OOMTOP" explain --json $ROOT >$T_TMP/explainj.out 2>$T_TMP/explainj.err; echo $? >$T_TMP/explainj.rc
as_nobody "$OOMTOP" status >$T_TMP/status.out 2>&1; echo $? >$T_TMP/status.rc
as_nobody "$OOMTOP" status --json >$T_TMP/status.json 2>&1
as_nobody "$OOMTOP" status -f prometheus >$T_TMP/status.prom 2>&1
as_nobody "$OOMTOP" top -b >$T_TMP/top.out 2>$T_TMP/top.err; echo $? >$T_TMP/top.rc
as_nobody "$OOMTOP" top -b -p $ROOT >/dev/null 2>$T_TMP/topp.err; echo $? >$T_TMP/topp.rc
"$OOMTOP" explain $ROOT >$T_TMP/rootexplain.out 2>&1; echo $? >$T_TMP/rootexplain.rc
"$OOMTOP" status --json >$T_TMP/rootstatus.json 2>&1
'
is "$(cat "$T_TMP/explain1.rc")" 1 "hidepid=2: explain of a hidden root process: exit 1 (no such process, as documented)"
is "$(cat "$T_TMP/explain1.err")" "oomtop: explain: no process 1, or /proc hides it from you (hidepid=invisible): run as root to see every process" \
	"and says that /proc may hide it"
[ ! -s "$T_TMP/explain1.out" ]
ok $? "nothing on stdout (no 'oom_score_adj 0', no 'Protection: none')"
is "$(cat "$T_TMP/explainj.rc")" 1 "explain --json of the hidden root memhog: exit 1"
[ ! -s "$T_TMP/explainj.out" ]
ok $? "no JSON of zeros"
is "$(cat "$T_TMP/status.rc")" 0 "status exits 0"
grep -q '^Next victim of a global OOM: unknown (partial view, see Warnings); first of the [0-9]* processes you can see: [0-9]* (oomtop)' "$T_TMP/status.out"
ok $? "status does not name its own oomtop as the next victim: $(grep '^Next victim' "$T_TMP/status.out")"
grep -q '^  partial view: /proc is mounted with hidepid=invisible, which hides other users' "'"' processes; run as root to see them' "$T_TMP/status.out"
ok $? "the warnings say why the view is partial"
! grep -qx '  none' "$T_TMP/status.out"
ok $? "no 'Warnings: none'"
is "$(jq -c '[.next_victim, .processes, .killable, (.partial_view | test("hidepid=invisible"))]' "$T_TMP/status.json")" \
	"[null,null,null,true]" "status --json: unknown is null, partial_view says why"
grep -qx 'oomtop_partial_view 1' "$T_TMP/status.prom" && ! grep -q next_victim "$T_TMP/status.prom"
ok $? "Prometheus: oomtop_partial_view 1 and no next victim"
promtool check metrics <"$T_TMP/status.prom" >/dev/null 2>&1
ok $? "promtool accepts it"
is "$(cat "$T_TMP/top.rc")" 0 "top exits 0"
is "$(cat "$T_TMP/top.err")" "oomtop: top: partial view: /proc is mounted with hidepid=invisible, which hides other users' processes; run as root to see them" \
	"top says the view is partial and why"
is "$(cat "$T_TMP/topp.rc")" 1 "top -p of a hidden process: exit 1"
grep -q "no process [0-9]* (or /proc hides it from you: hidepid=invisible)" "$T_TMP/topp.err"
ok $? "top -p says it may be hidden ($(head -n 1 "$T_TMP/topp.err"))"
is "$(cat "$T_TMP/rootexplain.rc")" 0 "root sees through hidepid: explain exits 0"
! grep -q 'partial view' "$T_TMP/rootexplain.out" && grep -q 'oom_score_adj 500' "$T_TMP/rootexplain.out"
ok $? "and its view is whole, with the real oom_score_adj 500"
is "$(jq -c '.partial_view' "$T_TMP/rootstatus.json")" null "root's status: partial_view null"

# --- hidepid=1 (noaccess): listed, but unreadable
in_ns 1 '
as_nobody "$OOMTOP" explain 1 >$T_TMP/explain1.out 2>$T_TMP/explain1.err; echo $? >$T_TMP/explain1.rc
as_nobody "$OOMTOP" explain --json $ROOT >$T_TMP/explainj.out 2>$T_TMP/explainj.err; echo $? >$T_TMP/explainj.rc
as_nobody sh -c "sleep 30 & \"$OOMTOP\" explain --json \$!; kill \$!" >$T_TMP/own.json
as_nobody sh -c "sleep 30 & \"$OOMTOP\" explain \$!; kill \$!" >$T_TMP/own.txt
as_nobody "$OOMTOP" status >$T_TMP/status.out 2>&1
'
is "$(cat "$T_TMP/explain1.rc")" 3 "hidepid=1: explain of an unreadable root process: exit 3 (cannot be read, as documented)"
is "$(cat "$T_TMP/explain1.err")" "oomtop: explain: cannot read process 1: Operation not permitted: /proc is mounted with hidepid=noaccess, which makes other users' processes unreadable; run as root to see them" \
	"with the reason"
[ ! -s "$T_TMP/explain1.out" ]
ok $? "nothing on stdout"
is "$(cat "$T_TMP/explainj.rc")" 3 "explain --json of the unreadable root memhog: exit 3, no JSON"
[ ! -s "$T_TMP/explainj.out" ]
ok $? "nothing on stdout"
is "$(jq -c '[(.partial_view | test("hidepid=noaccess")), .domains[0].rank, .domains[0].candidates, .domains[0].above, .oom_score_adj]' "$T_TMP/own.json")" \
	"[true,null,null,null,0]" "explain --json of nobody's own process: partial_view says why, the rank is unknown (null)"
grep -q '^partial view: .*hidepid=noaccess' "$T_TMP/own.txt" && grep -q '^    rank ? (' "$T_TMP/own.txt"
ok $? "its text says so, and shows the rank as ?"
grep -q '^  partial view: [0-9]* process.* could not be read (Operation not permitted): /proc is mounted with hidepid=noaccess' "$T_TMP/status.out"
ok $? "status warns"

# --- without hidepid: what the kernel denies another user (fs/proc/base.c) is
# not what oomtop reads: status, stat, oom_score, oom_score_adj and cmdline are
# world-readable; smaps_rollup, environ and io need ptrace access
spawn_hog --anon 8 --adj 300 --name "${N}r" || exit 1
R=$HOG
for f in status stat oom_score oom_score_adj cmdline; do
	setpriv --reuid=nobody --regid=nogroup --clear-groups cat "/proc/$R/$f" >/dev/null 2>&1
	ok $? "nobody may read /proc/PID/$f of a root process"
done
for f in smaps_rollup environ io; do
	! setpriv --reuid=nobody --regid=nogroup --clear-groups cat "/proc/$R/$f" >/dev/null 2>&1
	ok $? "nobody may not read /proc/PID/$f of a root process (oomtop does not need it)"
done
setpriv --reuid=nobody --regid=nogroup --clear-groups "$OOMTOP" explain --json "$R" >"$T_TMP/r.json" 2>"$T_TMP/r.err"
is "$?" 0 "so nobody explains a root process: exit 0"
is "$(jq -c '[.oom_score_adj, .partial_view, (.memory.anon_pages > 0)]' "$T_TMP/r.json")" "[$(cat "/proc/$R/oom_score_adj"),null,true]" \
	"with the kernel's values, a whole view (partial_view null)"
is "$(jq '.oom_score' "$T_TMP/r.json")" "$(cat "/proc/$R/oom_score")" "and the kernel's oom_score"

# --- the live view's header says it too
if command -v tmux >/dev/null; then
	SOCK="$T_TMP/tmux.sock"
	tv_cleanup() { tmux -S "$SOCK" kill-server 2>/dev/null; true; }
	at_cleanup tv_cleanup
	tmux -S "$SOCK" new-session -d -x 160 -y 30 \
		"unshare --mount --pid --fork sh -c 'mount -t proc -o hidepid=2 proc /proc && exec setpriv --reuid=nobody --regid=nogroup --clear-groups env TERM=xterm-256color $OOMTOP -d 0.5'; sleep 600"
	for i in $(seq 1 200); do tmux -S "$SOCK" capture-pane -p | grep -q 'help' && break; sleep 0.1; done
	tmux -S "$SOCK" capture-pane -p >"$T_TMP/screen"
	grep -q "PARTIAL VIEW: hidepid=invisible hides other users' processes" "$T_TMP/screen" &&
		grep -q 'next victim ? (first seen [0-9]* oomtop)' "$T_TMP/screen"
	ok $? "the live view's header: PARTIAL VIEW and an unknown next victim ($(head -n 2 "$T_TMP/screen" | tr '\n' ' '))"
	tmux -S "$SOCK" send-keys q
	tv_cleanup
fi

done_testing
