# vm-cost: 10
# vm-timeout: 300
# CAP_SYS_RESOURCE and oom_score_adj_min from both sides, as fs/proc/base.c
# __set_oom_adj() decides: a writer with the capability sets the minimum
# along with the value (down and up); one without it cannot go below the
# minimum, whatever the current value; the legacy oom_adj compares with the
# current value and leaves the minimum alone; a child inherits the minimum
# and keeps it when it drops its capabilities.  Every refusal is explained.
. "$(dirname "$0")/../integ/lib.sh"
. "$(dirname "$0")/vmlib.sh"

adj_of() { cat "/proc/$1/oom_score_adj"; }
# Runs a command as root without CAP_SYS_RESOURCE (out of the bounding set before exec).
nocap() { setpriv --bounding-set -sys_resource "$@"; }
N="c$$"
LACK="needs CAP_SYS_RESOURCE, which you lack as root (a container or a reduced capability set)"

capeff=$(nocap awk '/^CapEff:/ { print $2 }' /proc/self/status)
is "$(( (0x$capeff >> 24) & 1 ))" 0 "nocap runs without CAP_SYS_RESOURCE (CapEff $capeff)"
is "$(( (0x$capeff >> 21) & 1 ))" 1 "but keeps CAP_SYS_ADMIN: it is still root"

spawn_hog --adj 0 --name "${N}a"; A=$HOG # memhog wrote 0 with the capability: minimum 0

# without the capability: not below the minimum (0)
nocap "$OOMTOP" set -1 "$A" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "root without CAP_SYS_RESOURCE: -1 refused, exit 1"
is "$(cat "$T_TMP/err")" "oomtop: set: $A (${N}a): cannot lower oom_score_adj from 0 to -1: that is below the process's oom_score_adj_min and $LACK; raising works without it" \
	"explained, with the current value"
is "$(adj_of "$A")" 0 "unchanged"

# with it, down: the minimum follows the value
is "$("$OOMTOP" set -500 "$A")" "$A (${N}a): oom_score_adj 0 -> -500" "with CAP_SYS_RESOURCE: -500 (and the minimum -500)"
is "$(nocap "$OOMTOP" set -400 "$A")" "$A (${N}a): oom_score_adj -500 -> -400" "without: raising to -400 works"
is "$(nocap "$OOMTOP" set -500 "$A")" "$A (${N}a): oom_score_adj -400 -> -500" "without: back down to the minimum, -500, works"
nocap "$OOMTOP" set -501 "$A" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "without: -501 is below the minimum, exit 1"
is "$(cat "$T_TMP/err")" "oomtop: set: $A (${N}a): cannot lower oom_score_adj from -500 to -501: that is below the process's oom_score_adj_min and $LACK; raising works without it" \
	"explained"
is "$(adj_of "$A")" -500 "unchanged"

# with it, up: the minimum follows too, so 100 (>= 0) is now refused without it
is "$("$OOMTOP" set 200 "$A")" "$A (${N}a): oom_score_adj -500 -> 200" "with CAP_SYS_RESOURCE: 200 (and the minimum 200)"
nocap "$OOMTOP" set 100 "$A" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "without: 100 is below the new minimum 200"
is "$(cat "$T_TMP/err")" "oomtop: set: $A (${N}a): cannot lower oom_score_adj from 200 to 100: that is below the process's oom_score_adj_min and $LACK; raising works without it" \
	"explained"
is "$(nocap "$OOMTOP" set 300 "$A")" "$A (${N}a): oom_score_adj 200 -> 300" "without: raising to 300 works (the minimum stays 200)"

# legacy with the capability: the value goes below the minimum, which stays
is "$("$OOMTOP" set --legacy -17 "$A")" "$A (${N}a): oom_adj 5 -> -17 (oom_score_adj 300 -> -1000)" "with it, through oom_adj: -1000"
nocap "$OOMTOP" set -500 "$A" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "without: -500 is above the value (-1000) but below the minimum (200): refused"
is "$(cat "$T_TMP/err")" "oomtop: set: $A (${N}a): cannot set oom_score_adj to -500 (it is -1000): that is below the process's oom_score_adj_min, which a writer with CAP_SYS_RESOURCE set above -500, and $LACK" \
	"explained: the minimum is above the value"
is "$(nocap "$OOMTOP" set 200 "$A")" "$A (${N}a): oom_score_adj -1000 -> 200" "without: the minimum itself, 200, works"

# legacy without the capability: no lowering at all, even above the minimum
is "$(nocap "$OOMTOP" set 600 "$A")" "$A (${N}a): oom_score_adj 200 -> 600" "without: 600"
nocap "$OOMTOP" set --legacy 5 "$A" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "without, through oom_adj: 5 (294) is below the current 600: refused"
is "$(cat "$T_TMP/err")" "oomtop: set: $A (${N}a): cannot lower through oom_adj from oom_score_adj 600 to 294 (oom_adj 5): the legacy file needs CAP_SYS_RESOURCE to go below the current value, which you lack as root (a container or a reduced capability set); raising works without it, and oom_score_adj (without --legacy) can go down to the process's oom_score_adj_min" \
	"explained"
is "$(nocap "$OOMTOP" set 294 "$A")" "$A (${N}a): oom_score_adj 600 -> 294" "without, through oom_score_adj: 294 (>= 200) works"

# protect and run as root without the capability: exit 3 and 125, explained
nocap "$OOMTOP" protect -x "${N}a" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 3 "protect (-1000) without the capability: exit 3"
grep -q "cannot lower oom_score_adj from 294 to -1000: that is below the process's oom_score_adj_min and $LACK" "$T_TMP/err"
ok $? "explained ($(cat "$T_TMP/err"))"

# a child inherits the minimum at fork and keeps it when it drops its capabilities
out=$(bash -c '
	"$0" set -500 $$ >/dev/null || exit 9
	nocap() { setpriv --bounding-set -sys_resource "$@"; }
	nocap "$0" run --adj -500 cat /proc/self/oom_score_adj
	nocap "$0" run --adj -501 true 2>&1; echo "rc=$?"
	"$0" run --adj -501 cat /proc/self/oom_score_adj' "$OOMTOP")
is "$(echo "$out" | sed -n 1p)" -500 "a child without the capability goes down to its parent's minimum, -500"
echo "$out" | sed -n 2p | grep -q "^oomtop: run: [0-9]* (oomtop): cannot lower oom_score_adj from -500 to -501: that is below the process's oom_score_adj_min and $LACK; raising works without it; 'true' was not run$"
ok $? "but not below it, explained ($(echo "$out" | sed -n 2p))"
is "$(echo "$out" | sed -n 3p)" "rc=125" "run exits 125 then"
is "$(echo "$out" | sed -n 4p)" -501 "with the capability the child goes below"

# an unprivileged user: its own process, with a minimum root lowered
spawn_hog --adj 0 --user nobody --name "${N}u"; U=$HOG
as_nobody() { setpriv --reuid nobody --regid nogroup --clear-groups "$@"; }
chmod 755 "$T_TMP"
is "$("$OOMTOP" set -300 "$U")" "$U (${N}u): oom_score_adj 0 -> -300" "root lowers nobody's process to -300 (its minimum too)"
is "$(as_nobody "$OOMTOP" set -200 "$U")" "$U (${N}u): oom_score_adj -300 -> -200" "nobody raises it"
is "$(as_nobody "$OOMTOP" set -300 "$U")" "$U (${N}u): oom_score_adj -200 -> -300" "nobody lowers it back to its minimum"
as_nobody "$OOMTOP" set -301 "$U" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "nobody cannot go below it"
is "$(cat "$T_TMP/err")" "oomtop: set: $U (${N}u): cannot lower oom_score_adj from -300 to -301: that is below the process's oom_score_adj_min and needs CAP_SYS_RESOURCE (run it as root); raising works without it" \
	"explained, with the hint for a user"

done_testing
