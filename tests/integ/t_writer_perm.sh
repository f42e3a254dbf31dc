# Permissions, as the kernel decides them (fs/proc/base.c): an unprivileged
# user raises its own processes, lowers them down to their oom_score_adj_min
# (0 here) but not below, cannot lower them at all through the legacy
# oom_adj, and cannot touch a root process.  Every refusal is explained.
# A writer test: it runs in a PID namespace of its own, where /proc shows
# only the processes it started.
[ -n "${T_PIDNS:-}" ] || T_PIDNS=1 exec unshare --pid --fork --mount-proc bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

N="pm$$"
as_nobody() { setpriv --reuid nobody --regid nogroup --clear-groups "$@"; }
NOBODY=$(id -u nobody)

chmod 755 "$T_TMP" # the binaries and files below must be reachable for nobody
spawn_hog --adj 500 --user nobody --name "${N}u"; U=$HOG
spawn_hog --adj 500 --name "${N}r"; R=$HOG

# its own process: raise, lower down to the minimum
out=$(as_nobody "$OOMTOP" set 600 "$U")
ok $? "nobody raises its own process"
is "$out" "$U (${N}u): oom_score_adj 500 -> 600" "500 -> 600"
out=$(as_nobody "$OOMTOP" set 300 "$U")
ok $? "nobody lowers its own process to 300 (not below its minimum, 0)"
is "$(adj_of "$U")" 300 "the kernel has 300"

# below the minimum: EACCES, explained
as_nobody "$OOMTOP" set -1 "$U" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "below the minimum: exit 1"
is "$(cat "$T_TMP/err")" "oomtop: set: $U (${N}u): cannot lower oom_score_adj from 300 to -1: that is below the process's oom_score_adj_min and needs CAP_SYS_RESOURCE (run it as root); raising works without it" \
	"explained: the current value, the capability, that raising works"
is "$(adj_of "$U")" 300 "unchanged"

# legacy: the kernel compares with the current value, so even 176 (>= 0) is refused
as_nobody "$OOMTOP" set --legacy 3 "$U" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "oom_adj 3 (oom_score_adj 176, below 300): exit 1"
is "$(cat "$T_TMP/err")" "oomtop: set: $U (${N}u): cannot lower through oom_adj from oom_score_adj 300 to 176 (oom_adj 3): the legacy file needs CAP_SYS_RESOURCE to go below the current value (run it as root); raising works without it, and oom_score_adj (without --legacy) can go down to the process's oom_score_adj_min" \
	"explained: the legacy file's rule differs"
is "$(adj_of "$U")" 300 "unchanged"
is "$(as_nobody "$OOMTOP" set 176 "$U")" "$U (${N}u): oom_score_adj 300 -> 176" "the same value through oom_score_adj works"
is "$(as_nobody "$OOMTOP" set --legacy 8 "$U")" \
	"$U (${N}u): oom_adj 2 -> 7 (oom_score_adj 176 -> 470; oom_adj 8 is stored as 470, which reads back as 7)" \
	"raising through oom_adj works"

# a process running as nobody raises its own value (run), and cannot lower itself below 0
is "$(as_nobody "$OOMTOP" run --adj 700 cat /proc/self/oom_score_adj)" 700 "run as nobody: its own value raised"
as_nobody "$OOMTOP" run --adj -1 true >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 125 "run as nobody with -1: exit 125"
grep -q "cannot lower oom_score_adj from [0-9]* to -1: that is below the process's oom_score_adj_min and needs CAP_SYS_RESOURCE (run it as root)" "$T_TMP/err"
ok $? "explained ($(cat "$T_TMP/err"))"

# a root process: not the owner, for lowering and for raising
as_nobody "$OOMTOP" set -n 900 "$R" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "nobody's dry run on root's process: would be refused, exit 1 (was 0)"
is "$(cat "$T_TMP/err")" "oomtop: set: $R (${N}r): would be refused (dry run): not the owner: /proc/$R/oom_score_adj belongs to uid 0 (root) and you are uid $NOBODY (nobody); only its owner or root can change it" \
	"the dry run asks the kernel whether the file may be opened for writing"
as_nobody "$OOMTOP" set -n -1 "$U" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "nobody's dry run below its own process's minimum: would be refused, exit 1"
for v in 100 900; do
	as_nobody "$OOMTOP" set "$v" "$R" >"$T_TMP/out" 2>"$T_TMP/err"
	is "$?" 1 "nobody sets $v on root's process: exit 1"
	is "$(cat "$T_TMP/err")" "oomtop: set: $R (${N}r): not the owner: /proc/$R/oom_score_adj belongs to uid 0 (root) and you are uid $NOBODY (nobody); only its owner or root can change it" \
		"explained: who owns it, who you are"
done
is "$(adj_of "$R")" 500 "root's process unchanged"
as_nobody "$OOMTOP" protect --adj 900 -x "${N}r" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 3 "protect as nobody on a root process: the write fails, exit 3"
grep -q "^oomtop: protect: $R (${N}r): not the owner" "$T_TMP/err"
ok $? "explained"
as_nobody "$OOMTOP" protect --adj 100 -x "${N}r" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 3 "protect as nobody lowering root's process: skipped (not its user), so refused: exit 3 (was 1)"
grep -q "^oomtop: protect: $R (${N}r): not lowered from 500 to 100: it belongs to uid 0 (root)" "$T_TMP/err"
ok $? "with the warning"
is "$(adj_of "$R")" 500 "root's process still unchanged"
# and root can do it all
is "$("$OOMTOP" set 100 "$R" "$U" | tr '\n' '|')" \
	"$R (${N}r): oom_score_adj 500 -> 100|$U (${N}u): oom_score_adj 470 -> 100|" "root sets both"

done_testing
