# Selecting by workload: `protect --unit GLOB` and `--workload PATTERN`, the
# same selectors in the rules of `apply` and `watch`, on processes the test
# starts inside cgroups named as systemd, docker and the kubelet name theirs
# (under this test's own top cgroup).  Values stay in 0..1000 (no
# CAP_SYS_RESOURCE here).
# A writer test: it runs in a PID namespace of its own, where /proc shows
# only the processes it started, so no selector can reach anyone else's.
[ -n "${T_PIDNS:-}" ] || T_PIDNS=$$ exec unshare --pid --fork --mount-proc bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

ID=$T_PIDNS # this test's pid outside the namespace ($$ is 1 here): its cgroups' names are unique on the machine
TOP=oomtop-us-$ID
N="us$ID"
U="oomtop-t$ID"
HEX=$(random_hex64)
HEX2=$(random_hex64)
UUID=$(cat /proc/sys/kernel/random/uuid)

# in_cgroup CGROUP NAME: starts a memhog named NAME (adj 500) in a new cgroup CGROUP under $TOP; sets HOG.
in_cgroup() {
	memcg_create "$TOP/$1" max || return 1
	spawn_hog --adj 500 --name "$2" --cgroup "$MEMCG"
}

in_cgroup "system.slice/$U-web.service" "${N}web"; W1=$HOG
in_cgroup "system.slice/$U-web.service/worker" "${N}wrk"; W2=$HOG
in_cgroup "system.slice/$U-db.service" "${N}db"; D1=$HOG
in_cgroup "system.slice/$U-a\\x2db.service" "${N}esc"; E1=$HOG
in_cgroup "docker/$HEX" "${N}ctr"; C1=$HOG
in_cgroup "kubepods/burstable/pod$UUID/$HEX2" "${N}pod"; P1=$HOG
spawn_hog --adj 500 --name "${N}web"; X=$HOG # the same name, in no unit

# --unit: the unit's processes, its sub-cgroups' too, nobody else's
out=$("$OOMTOP" protect --adj 300 --unit "$U-web.service")
ok $? "--unit: exit 0"
is "$out" "$W1 (${N}web): oom_score_adj 500 -> 300
$W2 (${N}wrk): oom_score_adj 500 -> 300" "--unit selects the unit's processes, in its sub-cgroups too"
is "$(adj_of "$X") $(adj_of "$D1")" "500 500" "a process of the same name outside the unit, and another unit's, are untouched"

# a glob, as systemctl matches; -n
out=$("$OOMTOP" protect -n --adj 310 --unit "$U-*.service")
is "$(echo "$out" | wc -l)" 4 "a glob selects every unit it matches (web's two, db, a-b)"
is "$(adj_of "$W1") $(adj_of "$D1")" "300 500" "-n writes nothing"
# an escaped unit: its name as systemctl shows it, or unescaped
is "$("$OOMTOP" protect --adj 320 --unit "$U-a-b.service")" "$E1 (${N}esc): oom_score_adj 500 -> 320" \
	"--unit matches a unit's unescaped name (a\\x2db as a-b)"
is "$("$OOMTOP" protect --adj 330 --unit "$U-a\\x2db.service")" "$E1 (${N}esc): oom_score_adj 320 -> 330" \
	"... and its name as systemctl shows it"

# ANDed with the name: both must match
out=$("$OOMTOP" protect --adj 340 -x "${N}db" --unit "$U-web.service" 2>"$T_TMP/err")
is "$?" 1 "--unit and a name that select nothing together: exit 1, as a pattern that matches nothing"
is "$out" "" "... nothing written"
is "$(cat "$T_TMP/err")" "oomtop: protect: no process selected in a unit matching '$U-web.service' (systemctl list-units shows the units, oomtop top -o workload the workloads)" \
	"... and it says which selector found nothing"
is "$("$OOMTOP" protect --adj 340 -x "${N}web" --unit "$U-*")" "$W1 (${N}web): oom_score_adj 300 -> 340" \
	"--unit with -x NAME: the process of that name in the unit only"
is "$(adj_of "$X")" 500 "... not the one of that name outside it"

# a glob that matches no unit: exit 1; -q says nothing
"$OOMTOP" protect --adj 350 --unit "nosuch-$ID.service" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?:$(cat "$T_TMP/out")" "1:" "--unit matching no unit: exit 1, nothing printed on stdout"
grep -q "no process selected in a unit matching 'nosuch-$ID.service'" "$T_TMP/err"
ok $? "... and a one-line reason on stderr"
"$OOMTOP" protect -q --adj 350 --unit "nosuch-$ID.service" >"$T_TMP/out" 2>&1
is "$?:$(cat "$T_TMP/out")" "1:" "-q: exit 1 and silent"

# the guards still hold: --max counts what --unit selects
"$OOMTOP" protect --adj 360 --unit "$U-*" --max 2 >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 3 "--unit selecting more than --max: refused, exit 3"
is "$(adj_of "$W1") $(adj_of "$D1")" "340 500" "... nothing written"

# the owner rules: another user's process in the unit is not lowered without -u
memcg_create "$TOP/system.slice/$U-other.service" max
spawn_hog --adj 500 --name "${N}oth" --user nobody --cgroup "$MEMCG"; O1=$HOG
"$OOMTOP" protect --adj 100 --unit "$U-other.service" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?:$(adj_of "$O1")" "3:500" "--unit: another user's process is not lowered (refused: it was all the unit held)"
grep -q "^oomtop: protect: $O1 (${N}oth): not lowered from 500 to 100: it belongs to uid" "$T_TMP/err"
ok $? "... and says why"
is "$("$OOMTOP" protect --adj 100 -u nobody --unit "$U-other.service")" "$O1 (${N}oth): oom_score_adj 500 -> 100" \
	"--unit with -u nobody: lowered"

# --workload: a container id prefix (4 or more), a pod UID, a name glob
is "$("$OOMTOP" protect --adj 370 --workload "${HEX:0:8}")" "$C1 (${N}ctr): oom_score_adj 500 -> 370" \
	"--workload: a container id prefix"
"$OOMTOP" protect --adj 370 --workload "${HEX:0:3}" >/dev/null 2>&1
is "$?" 1 "--workload: 3 characters are no id prefix"
is "$("$OOMTOP" protect --adj 380 --workload "$UUID")" "$P1 (${N}pod): oom_score_adj 500 -> 380" \
	"--workload: a pod's UID"
is "$("$OOMTOP" protect --adj 390 --workload "$U-d?.service")" "$D1 (${N}db): oom_score_adj 500 -> 390" \
	"--workload: a glob on the unit"
"$OOMTOP" protect --adj 390 --workload "$U-db.service" --unit "$U-web.service" >/dev/null 2>"$T_TMP/err"
is "$?" 1 "--unit and --workload together: both must match"
grep -q "in a unit matching '$U-web.service' and a workload matching '$U-db.service'" "$T_TMP/err"
ok $? "... and the message names both"
"$OOMTOP" protect --adj 390 --unit '' >/dev/null 2>"$T_TMP/err"
is "$?:$(head -n 1 "$T_TMP/err")" "2:oomtop: protect: --unit needs a unit name or glob, not an empty one" \
	"an empty --unit is a usage error"

# hostile text in a glob is escaped in the message
"$OOMTOP" protect --adj 390 --unit "$(printf 'x\033[2Jy')" >/dev/null 2>"$T_TMP/err"
grep -q 'x\\033\[2Jy\|x\\x1b\[2Jy\|x\\e\[2Jy' "$T_TMP/err"
ok $? "an escape sequence in --unit is printed escaped ($(cat "$T_TMP/err"))"
LC_ALL=C grep -q "$(printf '\033')" "$T_TMP/err"
ok $((!$?)) "... no raw ESC byte"

# apply: the same selectors in a rules file
cat >"$T_TMP/rules.conf" <<EOF
# by unit, by workload, ANDed with a name
410 --unit '$U-web.service'
420 --workload=${HEX:0:12}
430 -x --unit $U-db.service ${N}db
440 -x --unit $U-web.service ${N}db
EOF
out=$("$OOMTOP" apply "$T_TMP/rules.conf")
ok $? "apply with --unit and --workload rules: exit 0"
is "$(adj_of "$W1") $(adj_of "$W2") $(adj_of "$C1") $(adj_of "$D1") $(adj_of "$X")" "410 410 420 430 500" \
	"each rule set its unit's or workload's processes, and nobody else's"
is "$(echo "$out" | tail -n 1)" "$T_TMP/rules.conf: 4 rules, 4 processes matched: 4 changed, 0 unchanged, 0 failed, 0 skipped; 1 rule matched nothing" \
	"the summary counts them"
printf '450 --unit\n460 --unit a --unit b x\n' >"$T_TMP/bad.conf"
"$OOMTOP" apply "$T_TMP/bad.conf" >/dev/null 2>"$T_TMP/err"
is "$?" 2 "a bad --unit rule: exit 2"
is "$(head -n 2 "$T_TMP/err")" "$T_TMP/bad.conf:1: --unit needs a value
$T_TMP/bad.conf:2: --unit given twice (a rule takes one; write one rule per unit)" "... FILE:LINE for each bad line"
is "$(adj_of "$W1")" 410 "... and nothing written"

# watch: a process that starts later in the unit gets its rule's value (polling in this namespace)
printf "470 --unit '%s-late.service'\n" "$U" >"$T_TMP/watch.conf"
"$OOMTOP" watch --interval 1 "$T_TMP/watch.conf" >"$T_TMP/watch.out" 2>"$T_TMP/watch.err" &
WATCH=$!
T_HOGS="$T_HOGS $WATCH"
in_cgroup "system.slice/$U-late.service" "${N}late"; L1=$HOG
spawn_hog --adj 500 --name "${N}late"; L2=$HOG
for _ in $(seq 1 60); do
	[ "$(adj_of "$L1")" = 470 ] && break
	t_sleep 0.05
done
is "$(adj_of "$L1")" 470 "watch: a process started later in the unit gets the rule's value"
t_sleep 1.2
is "$(adj_of "$L2")" 500 "watch: one of the same name outside the unit does not"
kill -TERM "$WATCH"
wait "$WATCH"
is "$?" 0 "watch: SIGTERM, exit 0"

done_testing
