# Every real write goes to syslog(3): who ran it, the target's pid, name and
# uid, the old and new value; a refused write too; unchanged values and dry
# runs log nothing.  The test gives oomtop a /dev/log of its own: a mount
# namespace with a private /dev, where tests/helpers/logsink listens.
# A writer test: it runs in a PID namespace of its own, where /proc shows
# only the processes it started.
[ -n "${T_PIDNS:-}" ] || T_PIDNS=1 exec unshare --pid --fork --mount-proc bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

N="sl$$"
spawn_hog --adj 500 --name "${N}a"; A=$HOG
printf '%s\n' "420 -x ${N}a" >"$T_TMP/rules.conf"

unshare -m bash -c '
	set -e
	O=$0 H=$1 D=$2 A=$3 N=$4
	mount --make-rprivate /
	mkdir "$D/olddev"
	mount --bind /dev "$D/olddev"
	mount -t tmpfs none /dev
	touch /dev/null
	mount --bind "$D/olddev/null" /dev/null
	"$H/logsink" /dev/log >"$D/log" & L=$!
	for i in $(seq 1 200); do grep -q ^ready "$D/log" && break; sleep 0.01; done
	set +e
	"$O" set 300 "$A"                       # written: logged
	"$O" set 300 "$A"                       # unchanged: not logged
	"$O" set -n 400 "$A"                    # dry run: not logged
	"$O" set -1 "$A"                        # refused by the kernel: logged as such
	"$O" protect --adj 350 -x "${N}a"       # written
	"$O" protect -n --adj 360 -x "${N}a"    # dry run
	"$O" apply "$D/rules.conf"              # written
	"$O" apply -n "$D/rules.conf"           # dry run, and unchanged anyway
	"$O" run --adj 450 true                 # written (its own value)
	sleep 0.2
	kill "$L"' "$OOMTOP" "$HELPERS" "$T_TMP" "$A" "$N" >"$T_TMP/out" 2>&1
ok $? "the commands ran with a private /dev/log ($(tail -3 "$T_TMP/out" | tr '\n' ' '))"

# "<PRI>Mmm dd hh:mm:ss oomtop[PID]: text" -> "PRI text", without the login uid (it depends on the session)
msgs=$(sed -n 's/^<\([0-9]*\)>.\{15\} oomtop\[[0-9]*\]: \(.*\)$/\1 \2/p' "$T_TMP/log" | sed 's/ auid [0-9]*$//')
is "$(grep -c ^ready "$T_TMP/log")" 1 "the sink listened"
is "$(echo "$msgs" | grep -c .)" 5 "five messages: three writes of set/protect/apply, one refusal, one run"
is "$(echo "$msgs" | sed -n 1p)" "13 set: pid $A comm \"${N}a\" uid 0: oom_score_adj 500 -> 300; by uid 0 (root)" \
	"set: user.notice, target pid, name, uid, old and new value, who"
is "$(echo "$msgs" | sed -n 2p)" "12 set: pid $A comm \"${N}a\" uid 0: oom_score_adj 300 -> -1 refused (needs CAP_SYS_RESOURCE); by uid 0 (root)" \
	"a refused write: user.warning, with the reason"
is "$(echo "$msgs" | sed -n 3p)" "13 protect: pid $A comm \"${N}a\" uid 0: oom_score_adj 300 -> 350; by uid 0 (root)" "protect"
is "$(echo "$msgs" | sed -n 4p)" "13 apply: pid $A comm \"${N}a\" uid 0: oom_score_adj 350 -> 420; by uid 0 (root)" "apply"
echo "$msgs" | sed -n 5p | grep -q "^13 run: pid [0-9]* comm \"oomtop\" uid 0: oom_score_adj [0-9]* -> 450; by uid 0 (root)$"
ok $? "run ($(echo "$msgs" | sed -n 5p))"
is "$(cat "/proc/$A/oom_score_adj")" 420 "the values were really written"

done_testing
