# Workload identity on real processes: cgroups named as systemd, docker,
# podman, containerd, the kubelet and LXC name theirs (under this test's own
# top cgroup, so nothing of the machine's is touched), a process moved into
# each, and what `top --json -p`, the table's WORKLOAD column and explain
# say it belongs to.
. "$(dirname "$0")/lib.sh"

TOP=oomtop-wl-$$
HEX1=$(random_hex64)
HEX2=$(random_hex64)
HEX3=$(random_hex64)
UUID=$(cat /proc/sys/kernel/random/uuid)
ESC=$(printf '\033')

# Starts a sleeping process in a new cgroup NAME (under $TOP); sets P to its pid.
in_cgroup() {
	memcg_create "$TOP/$1" max || return 1
	sleep 1000 &
	P=$!
	T_HOGS="$T_HOGS $P"
	echo "$P" >"$MEMCG/cgroup.procs"
}

# Prints the workload object of pid $1 as top --json shows it (compact).
workload_of() {
	"$OOMTOP" top --json -p "$1" | jq -c '.[0].workload'
}

# check NAME EXPECTED_JSON: the workload of a process in cgroup NAME.
check() {
	in_cgroup "$1" || { ok 1 "cgroup $1 made"; return; }
	is "$(workload_of "$P")" "$2" "$1"
}

check "system.slice/oomtop-t$$-web.service" \
	'{"kind":"service","name":"oomtop-t'$$'-web.service","id":null,"unit":"oomtop-t'$$'-web.service","pod":null,"runtime":null}'
check "system.slice/oomtop-t$$-web.service/worker" \
	'{"kind":"service","name":"oomtop-t'$$'-web.service","id":null,"unit":"oomtop-t'$$'-web.service","pod":null,"runtime":null}'
check 'system.slice/oomtop-t'$$'-a\x2db.service' \
	'{"kind":"service","name":"oomtop-t'$$'-a-b.service","id":null,"unit":"oomtop-t'$$'-a\\x2db.service","pod":null,"runtime":null}'
check "user.slice/user-1000.slice/user@1000.service/app.slice/oomtop-t$$-foo.service" \
	'{"kind":"user-service","name":"oomtop-t'$$'-foo.service","id":null,"unit":"oomtop-t'$$'-foo.service","pod":null,"runtime":null}'
check "user.slice/user-1000.slice/session-$$.scope" \
	'{"kind":"session","name":"session-'$$'.scope","id":null,"unit":"session-'$$'.scope","pod":null,"runtime":null}'
check "docker/$HEX1" \
	'{"kind":"container","name":"'"${HEX1:0:12}"'","id":"'"$HEX1"'","unit":null,"pod":null,"runtime":"docker"}'
check "system.slice/docker-$HEX2.scope" \
	'{"kind":"container","name":"'"${HEX2:0:12}"'","id":"'"$HEX2"'","unit":"docker-'"$HEX2"'.scope","pod":null,"runtime":"docker"}'
check "machine.slice/libpod-$HEX3.scope/container" \
	'{"kind":"container","name":"'"${HEX3:0:12}"'","id":"'"$HEX3"'","unit":"libpod-'"$HEX3"'.scope","pod":null,"runtime":"podman"}'
check "kubepods/burstable/pod$UUID/$HEX1" \
	'{"kind":"pod","name":"'"$UUID"'","id":"'"$HEX1"'","unit":null,"pod":{"namespace":null,"name":null,"uid":"'"$UUID"'","qos":"burstable"},"runtime":null}'
check "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UUID//-/_}.slice/cri-containerd-$HEX2.scope" \
	'{"kind":"pod","name":"'"$UUID"'","id":"'"$HEX2"'","unit":"cri-containerd-'"$HEX2"'.scope","pod":{"namespace":null,"name":null,"uid":"'"$UUID"'","qos":"besteffort"},"runtime":"containerd"}'
check "lxc.payload.oomtop-t$$" \
	'{"kind":"container","name":"oomtop-t'$$'","id":null,"unit":null,"pod":null,"runtime":"lxc"}'
check "plain" \
	'{"kind":"cgroup","name":"/'"$TOP"'/plain","id":null,"unit":null,"pod":null,"runtime":null}'

# The table: WORKLOAD with -o workload, not with -o noworkload, in the row of P.
in_cgroup "system.slice/oomtop-t$$-tbl.service"
row=$("$OOMTOP" top -b -w -o workload -p "$P")
echo "$row" | grep -q "^ *PID .* WORKLOAD  *COMMAND"
ok $? "-o workload: the header has WORKLOAD before COMMAND"
name="oomtop-t$$-tbl.service"
[ ${#name} -gt 20 ] && cell="${name:0:19}+" || cell=$(printf '%-20s' "$name")
echo "$row" | grep -qF " $cell sleep 1000"
ok $? "-o workload: the row names the unit, cut to 20 columns with '+'"
"$OOMTOP" top -b -w -o noworkload -p "$P" | grep -q WORKLOAD
ok $((!$?)) "-o noworkload: no WORKLOAD column"
"$OOMTOP" top -b -w -p "$P" | grep -q WORKLOAD
ok $? "-w (no width limit): WORKLOAD is on by default"
"$OOMTOP" top -b -o nosuch -p "$P" >/dev/null 2>"$T_TMP/err"
is $? 2 "-o with an unknown column is a usage error"

# Selection: --unit and --workload pick these processes, and only these;
# --cgroup NAME ranks in the named workload's cgroup.
in_cgroup "system.slice/oomtop-t$$-sel.service/worker"; S1=$P
in_cgroup "system.slice/oomtop-t$$-sel.service/main"; S2=$P # (v2: a unit with a child cgroup holds no process itself)
in_cgroup "system.slice/oomtop-t$$-other.service"; S3=$P
pids() { "$OOMTOP" top --json -a "$@" | jq -r '[.[].pid] | sort | map(tostring) | join(" ")'; }
is "$(pids --unit "oomtop-t$$-sel.service")" "$(echo "$S1 $S2" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" \
	"--unit: both processes of the unit (in its delegated subtree), and no other"
is "$(pids --unit "oomtop-t$$-s*")" "$(echo "$S1 $S2" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" "--unit takes a glob"
is "$(pids --workload "${HEX1:0:8}" | wc -w)" 2 "--workload: a container id prefix (the docker one and the pod's container)"
# --by workload: one row per workload, the first row's first victim the next victim
by=$("$OOMTOP" top --by workload --json -a --unit "oomtop-t$$-sel.service")
is "$(echo "$by" | jq -c '[length, .[0].processes, .[0].workload.unit]')" "[1,2,\"oomtop-t$$-sel.service\"]" \
	"--by workload: the unit's two processes (in its subtree) are one row"
# (among the test's own idle processes: the machine's next victim may change between two scans)
"$OOMTOP" top --by workload --json -n 1 --unit "oomtop-t$$-*" | jq -r '.[0] | "\(.rank) \(.first_victim.pid)"' >"$T_TMP/by1"
"$OOMTOP" top --json -n 1 --unit "oomtop-t$$-*" | jq -r '"1 \(.[0].pid)"' >"$T_TMP/top1"
is "$(cat "$T_TMP/by1")" "$(cat "$T_TMP/top1")" "--by workload: the first row's first victim is top's next victim"
"$OOMTOP" top --by workload -s rss >/dev/null 2>&1
is $? 2 "--by workload with -s: a usage error (kill order only)"
"$OOMTOP" top -b --unit "oomtop-t$$-nosuch.service" >/dev/null 2>"$T_TMP/err"
is $? 2 "--unit matching nothing: exit 2"
is "$(cat "$T_TMP/err")" "oomtop: top: no unit matches 'oomtop-t$$-nosuch.service'" "and says so in one line"
"$OOMTOP" top -b --workload "nosuch-$$" >/dev/null 2>&1
is $? 2 "--workload matching nothing: exit 2"
memcg_create "$TOP/system.slice/oomtop-t$$-lim.service" 100 || exit 1
sleep 1000 &
P=$!
T_HOGS="$T_HOGS $P"
echo "$P" >"$MEMCG/cgroup.procs"
"$OOMTOP" top -b -o noworkload --cgroup "oomtop-t$$-lim.service" >"$T_TMP/cg"
ok $? "--cgroup UNIT exits 0"
head -1 "$T_TMP/cg" | grep -q "^OOM domain: cgroup /$TOP/system.slice/oomtop-t$$-lim.service (v[12]), limit 100M"
ok $? "--cgroup UNIT: the unit's cgroup and its limit ($(head -1 "$T_TMP/cg"))"
"$OOMTOP" top -b --cgroup "oomtop-t$$-nosuch.service" >/dev/null 2>&1
is $? 2 "--cgroup NAME matching nothing: exit 2"
"$OOMTOP" top -b --cgroup "oomtop-t$$-*.service" >/dev/null 2>"$T_TMP/err"
is $? 2 "--cgroup NAME matching several workloads: exit 2"
grep -q "matches more than one workload" "$T_TMP/err"
ok $? "and says so"

# explain: the workload in the header and in JSON, as top tells it.
in_cgroup "kubepods/besteffort/pod$UUID/$HEX3"
"$OOMTOP" explain "$P" >"$T_TMP/explain"
grep -qx "workload: pod $UUID (QoS besteffort, container ${HEX3:0:12})" "$T_TMP/explain"
ok $? "explain's header names the pod, its QoS and container: $(grep workload: "$T_TMP/explain")"
is "$("$OOMTOP" explain --json "$P" | jq -c .workload)" "$(workload_of "$P")" "explain --json's workload is top's"

# A real OOM kill inside a pod's container cgroup (64 MiB): log names the
# victim's workload and the domain's from the kernel's task_memcg and oom_memcg.
memcg_create "$TOP/kubepods/burstable/pod$UUID/$HEX2" 64 || exit 1
spawn_hog --cgroup "$MEMCG" --anon 8 --name wlvictim || exit 1
memcg_oom_kill "$MEMCG"
[ -n "$OOM_VICTIM" ]
ok $? "the kernel killed a process in $MEMCG_PATH ($OOM_VICTIM)"
ev=$("$OOMTOP" log --json 2>/dev/null | jq -c --argjson p "${OOM_VICTIM:-0}" --arg m "$MEMCG_PATH" \
	'[.[] | select(.pid == $p and .task_memcg == $m)] | last')
is "$(echo "$ev" | jq -r '.workload.kind + " " + .workload.id + " " + .workload.pod.qos + " " + .workload.pod.uid')" \
	"pod $HEX2 burstable $UUID" "log --json: the victim's workload, the pod, from task_memcg"
is "$(echo "$ev" | jq -r '.domain_workload.kind')" pod "log --json: the domain's workload, from oom_memcg"
n=$("$OOMTOP" log -s --json 2>/dev/null | jq --arg w "pod $UUID" '[.by_workload[] | select(.workload == $w) | .kills] | add // 0')
[ "$n" -ge 1 ]
ok $? "log -s counts the kill under the pod's workload ($n)"
row=$("$OOMTOP" log --no-header -c wlvictim 2>/dev/null | awk -v p="${OOM_VICTIM:-0}" '$3 == p' | tail -1)
is "$(echo "$row" | awk '{ print $9 }')" "${UUID:0:19}+" "log's table: the WORKLOAD column names the pod (its UID, cut to 20 columns)"
memcg_kill_all "$MEMCG"

# A hostile cgroup name: escaped in the table, a valid string in JSON.
in_cgroup "system.slice/oomtop-${ESC}[2J-t$$.service"
"$OOMTOP" top -b -w -o workload -p "$P" >"$T_TMP/hostile"
grep -q "$ESC" "$T_TMP/hostile"
ok $((!$?)) "no raw escape byte from a cgroup name reaches the table"
grep -q 'oomtop-\\x1b\[2J' "$T_TMP/hostile"
ok $? "the escape shows as \\x1b"
is "$("$OOMTOP" top --json -p "$P" | jq -r '.[0].workload.unit')" "oomtop-${ESC}[2J-t$$.service" \
	"JSON carries the name's bytes, escaped as JSON"

done_testing
