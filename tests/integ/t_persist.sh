# `protect --persist`: a drop-in with OOMScoreAdjust= for each selected
# process's service, written below a temporary root (OOMTOP_UNIT_ROOT, for
# the tests only: never the machine's /etc/systemd), checked by
# systemd-analyze verify there; the setting a container, a pod, a scope or a
# session takes instead.  Processes are the test's own, in cgroups of the
# test's own top cgroup; values stay in 0..1000 where they are written now.
# A writer test: it runs in a PID namespace of its own.
[ -n "${T_PIDNS:-}" ] || T_PIDNS=$$ exec unshare --pid --fork --mount-proc bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

ID=$T_PIDNS # this test's pid outside the namespace: its cgroups' names are unique on the machine
TOP=oomtop-ps-$ID
N="ps$ID"
U="oomtop-t$ID"
HEX=$(random_hex64)
HEX2=$(random_hex64)
UUID=$(cat /proc/sys/kernel/random/uuid)
R=$T_TMP/root
mkdir -p "$R/etc/systemd/system"
export OOMTOP_UNIT_ROOT=$R
DROPIN=/etc/systemd/system/$U-web.service.d/50-oomtop.conf

# in_cgroup CGROUP NAME: starts a memhog named NAME (adj 500) in a new cgroup CGROUP under $TOP; sets HOG.
in_cgroup() {
	memcg_create "$TOP/$1" max || return 1
	spawn_hog --adj 500 --name "$2" --cgroup "$MEMCG"
}

in_cgroup "system.slice/$U-web.service" "${N}web"; W1=$HOG
in_cgroup "system.slice/$U-web.service/worker" "${N}web"; W2=$HOG

# -n: the drop-in is printed, nothing is written (neither the file nor the value)
out=$("$OOMTOP" protect -n --persist --adj 400 --unit "$U-web.service")
ok $? "-n --persist: exit 0"
is "$out" "$W1 (${N}web): oom_score_adj 500 -> 400 (dry run, not written)
$W2 (${N}web): oom_score_adj 500 -> 400 (dry run, not written)
$U-web.service: would write $DROPIN (dry run, not written):
# Written by oomtop protect --persist. Remove this file, then run systemctl daemon-reload,
# to undo it.
[Service]
OOMScoreAdjust=400
then systemctl daemon-reload" "-n prints the drop-in, once for the unit's two processes"
is "$(find "$R" -mindepth 3 | wc -l):$(adj_of "$W1")" "1:500" "-n writes nothing"

# written: the file, its mode, its text; the value now; what to do next
out=$("$OOMTOP" protect --persist --adj 400 --unit "$U-web.service")
ok $? "--persist: exit 0"
is "$(echo "$out" | tail -n 1)" "$U-web.service: wrote $DROPIN (OOMScoreAdjust=400): run systemctl daemon-reload for systemd to read it; its processes hold 400 now, and systemd sets it again on every start" \
	"it says what it wrote, that daemon-reload is needed, and that the processes hold it now"
is "$(adj_of "$W1") $(adj_of "$W2")" "400 400" "the running processes got the value now"
is "$(stat -c %a "$R$DROPIN")" 644 "the drop-in is 0644"
is "$(cat "$R$DROPIN")" "# Written by oomtop protect --persist. Remove this file, then run systemctl daemon-reload,
# to undo it.
[Service]
OOMScoreAdjust=400" "the drop-in's text"
is "$(find "$R$(dirname "$DROPIN")" -name '.*' | wc -l)" 0 "no temporary file is left"
out=$("$OOMTOP" protect --persist --adj 400 --unit "$U-web.service")
is "$(echo "$out" | tail -n 1)" "$U-web.service: $DROPIN already declares OOMScoreAdjust=400, unchanged; its processes hold 400 now, and systemd sets it again on every start" \
	"again: unchanged"
is "$("$OOMTOP" protect -q --persist --adj 400 --unit "$U-web.service" 2>&1)" "" "-q: an unchanged drop-in says nothing"
is "$("$OOMTOP" protect -n --persist --adj 400 --unit "$U-web.service" | tail -n 1)" \
	"$U-web.service: $DROPIN already declares OOMScoreAdjust=400, unchanged" "-n: unchanged, and no word on the processes"
ino=$(stat -c %i "$R$DROPIN")
"$OOMTOP" protect -q --persist --adj 450 --unit "$U-web.service" >/dev/null
is "$(grep OOMScoreAdjust "$R$DROPIN"):$([ "$(stat -c %i "$R$DROPIN")" != "$ino" ] && echo renamed)" \
	"OOMScoreAdjust=450:renamed" "another value replaces the file by a rename (a new inode)"

# a value oomtop cannot write now (no CAP_SYS_RESOURCE): the drop-in still, and a restart applies it
out=$("$OOMTOP" protect --persist --adj -500 --unit "$U-web.service" 2>"$T_TMP/err")
is "$?" 3 "a negative value without CAP_SYS_RESOURCE: the write now fails, exit 3"
is "$(grep OOMScoreAdjust "$R$DROPIN")" "OOMScoreAdjust=-500" "... the drop-in is written all the same"
is "$(echo "$out" | tail -n 1)" "$U-web.service: wrote $DROPIN (OOMScoreAdjust=-500): run systemctl daemon-reload for systemd to read it; its running processes do not hold it yet: systemctl restart $U-web.service (systemd, with CAP_SYS_RESOURCE, may set what oomtop could not)" \
	"... and it says a restart applies it"
is "$(adj_of "$W1")" 450 "... the running process keeps its value"

# a drop-in sorted after ours decides: said, exit 3
printf '[Service]\nOOMScoreAdjust=0\n' >"$R/etc/systemd/system/$U-web.service.d/override.conf"
"$OOMTOP" protect --persist --adj 460 --unit "$U-web.service" >/dev/null 2>"$T_TMP/err"
is "$?" 3 "a later drop-in overrides ours: exit 3"
is "$(cat "$T_TMP/err")" "oomtop: protect: --persist: $U-web.service: /etc/systemd/system/$U-web.service.d/override.conf:2 declares OOMScoreAdjust=0, and systemd will apply that instead (a drop-in read after this one, by file name, or one of the same name higher on the search path)" \
	"... and names the file and line that win"
rm "$R/etc/systemd/system/$U-web.service.d/override.conf"
# one of the same name higher on the search path (/etc/systemd/system.control) masks ours
mkdir -p "$R/etc/systemd/system.control/$U-web.service.d"
printf '[Service]\nOOMScoreAdjust=\n' >"$R/etc/systemd/system.control/$U-web.service.d/50-oomtop.conf"
"$OOMTOP" protect --persist --adj 460 --unit "$U-web.service" >/dev/null 2>"$T_TMP/err"
is "$?:$(cat "$T_TMP/err")" "3:oomtop: protect: --persist: $U-web.service: /etc/systemd/system.control/$U-web.service.d/50-oomtop.conf:2 resets OOMScoreAdjust=, and systemd will apply no value (a drop-in read after this one, by file name, or one of the same name higher on the search path)" \
	"a drop-in of the same name higher on the search path masks ours: said, exit 3"
rm -r "$R/etc/systemd/system.control"

# a symlinked UNIT.d is refused, nothing is written through it
in_cgroup "system.slice/$U-evil.service" "${N}evil"
mkdir "$T_TMP/elsewhere"
ln -s "$T_TMP/elsewhere" "$R/etc/systemd/system/$U-evil.service.d"
"$OOMTOP" protect --persist --adj 400 --unit "$U-evil.service" >/dev/null 2>"$T_TMP/err"
is "$?" 3 "a symlinked drop-in directory: exit 3"
is "$(cat "$T_TMP/err")" "oomtop: protect: --persist: $U-evil.service: /etc/systemd/system/$U-evil.service.d: a symbolic link, not a directory: refused" \
	"... refused, said why"
is "$(find "$T_TMP/elsewhere" -mindepth 1 | wc -l)" 0 "... nothing written through it"

# a unit name systemd would not take (an ESC in the cgroup's name) never becomes a path; the message is escaped
in_cgroup "system.slice/$U-$(printf '\033')x.service" "${N}esc"
"$OOMTOP" protect --persist --adj 400 -x "${N}esc" >/dev/null 2>"$T_TMP/err"
is "$?" 3 "a unit name systemd would not take: exit 3"
grep -qF "$U-\033x.service: not a unit name systemd takes" "$T_TMP/err" || grep -qF "$U-\x1bx.service: not a unit name systemd takes" "$T_TMP/err"
ok $? "... said, escaped ($(cat "$T_TMP/err"))"
LC_ALL=C grep -q "$(printf '\033')" "$T_TMP/err"
ok $((!$?)) "... no raw ESC byte"
is "$(find "$R" -name "*x.service*" | wc -l)" 0 "... nothing written"

# --legacy and --persist: a usage error
"$OOMTOP" protect --persist --legacy --adj 5 --unit "$U-web.service" >/dev/null 2>&1
is "$?" 2 "--persist --legacy: a usage error"

# a container, a pod, a scope, a session, a plain cgroup: the setting that holds there, nothing written
before=$(find "$R" | sort)
in_cgroup "docker/$HEX" "${N}ctr"
out=$("$OOMTOP" protect --persist --adj 300 -x "${N}ctr")
ok $? "a docker container: exit 0"
is "$(echo "$out" | tail -n 1)" "container ${HEX:0:12}: its runtime sets oom_score_adj when the container starts, from the container's own setting; nothing written: create it with docker run --oom-score-adj 300 (compose: oom_score_adj: 300)" \
	"a docker container: docker run --oom-score-adj"
is "$("$OOMTOP" protect -q --persist --adj 300 -x "${N}ctr" 2>&1)" "" "-q: the runtime's setting is not printed again"
in_cgroup "machine.slice/libpod-$HEX2.scope/container" "${N}pdm"
out=$("$OOMTOP" protect --persist --adj 300 -x "${N}pdm")
echo "$out" | tail -n 1 | grep -q "podman run --oom-score-adj 300"
ok $? "a podman container: podman run --oom-score-adj ($(echo "$out" | tail -n 1 | cut -c1-60)...)"
in_cgroup "kubepods/burstable/pod$UUID/$HEX" "${N}pod"
out=$("$OOMTOP" protect --persist --adj 300 -x "${N}pod")
is "$(echo "$out" | tail -n 1)" "pod $UUID (QoS burstable): the kubelet gives a pod's containers oom_score_adj from its QoS class, not from a setting: guaranteed -997 (every container's requests equal its limits), besteffort 1000 (no requests or limits), burstable 1000 - 1000 * memory request / node memory, kept within 3..999 (pkg/kubelet/qos/policy.go); nothing written: to protect it, make it guaranteed" \
	"a pod: the QoS classes' values"
in_cgroup "system.slice/$U-job.scope" "${N}scp"
out=$("$OOMTOP" protect --persist --adj 300 -x "${N}scp")
echo "$out" | tail -n 1 | grep -q "^$U-job.scope (a scope): systemd does not start a scope's processes .* systemd-run -p OOMScoreAdjust=300 COMMAND"
ok $? "a scope: no drop-in, systemd-run instead"
in_cgroup "user.slice/user-1000.slice/session-$ID.scope" "${N}ses"
out=$("$OOMTOP" protect --persist --adj 300 -x "${N}ses")
echo "$out" | tail -n 1 | grep -q "^session-$ID.scope (a login session): .* oomtop run --adj 300 -- COMMAND"
ok $? "a session: no drop-in, oomtop run instead"
in_cgroup "user.slice/user-1000.slice/user@1000.service/app.slice/$U-usr.service" "${N}usr"
out=$("$OOMTOP" protect --persist --adj 300 -x "${N}usr")
is "$(echo "$out" | tail -n 1)" "$U-usr.service (a service of a user's manager): its drop-in belongs in that user's ~/.config/systemd/user/$U-usr.service.d/ (or /etc/systemd/user/ for every user), and a user's manager cannot set a value below its own; nothing written" \
	"a user's service: where its drop-in would go, nothing written"
in_cgroup "plain" "${N}pln"
out=$("$OOMTOP" protect --persist --adj 300 -x "${N}pln")
is "$(echo "$out" | tail -n 1)" "cgroup /$TOP/plain: in no systemd unit or container, nothing on disk keeps a value across a restart but what starts the process; nothing written: oomtop watch with a rule, or oomtop run --adj 300" \
	"a plain cgroup: nothing keeps it but what starts it"
is "$(find "$R" | sort)" "$before" "none of them wrote anything under the root"

# systemd-analyze verify: the unit and our drop-in, under the temporary root, with no warning
if command -v systemd-analyze >/dev/null; then
	"$OOMTOP" protect -q --persist --adj 200 --unit "$U-web.service" >/dev/null
	mkdir -p "$R/bin" "$R/usr/lib/systemd"
	cp -r /lib/systemd/system/. "$R/usr/lib/systemd/system/"
	cp /bin/sh "$R/bin/sh"
	printf '[Unit]\nDescription=oomtop test %s\n[Service]\nExecStart=/bin/sh -c "sleep 1"\n' "$ID" \
		>"$R/usr/lib/systemd/system/$U-web.service"
	out=$(systemd-analyze verify --man=no --root="$R" "/usr/lib/systemd/system/$U-web.service" 2>&1)
	is "$?:$out" "0:" "systemd-analyze verify: the unit with oomtop's drop-in, no warning"
	# the control: verify does read a drop-in there (a misspelt one is reported)
	printf '[Service]\nOOMScoreAdjust=abc\n' >"$R/etc/systemd/system/$U-web.service.d/60-bad.conf"
	out=$(systemd-analyze verify --man=no --root="$R" "/usr/lib/systemd/system/$U-web.service" 2>&1)
	[[ $out == *"60-bad.conf:2: Failed to parse the OOM score adjust value 'abc'"* ]]
	ok $? "... the control: verify reads the drop-ins under the root (a bad value is reported)"
else
	ok 1 "systemd-analyze is missing (scripts/install-deps --test installs systemd)"
fi

# --- the audit: what each unit declares against what its processes hold (status, explain) ---
unit_dir=$R/usr/lib/systemd/system
mkdir -p "$unit_dir"
printf '[Unit]\nDescription=declares 100\n[Service]\nExecStart=/bin/true\nOOMScoreAdjust=100\n' >"$unit_dir/$U-nh.service"
in_cgroup "system.slice/$U-nh.service" "${N}nh"; NH=$HOG
in_cgroup "system.slice/$U-nd.service" "${N}nd"; ND=$HOG
in_cgroup "system.slice/$U-nd2.service" "${N}nd2" # a fifth unit to warn of: past four, counted
# a child that inherited 600 from a parent outside the unit, then moved into it
(echo 600 >/proc/self/oom_score_adj && exec sh -c 'sleep 1000 & echo $! >"$1"; wait' sh "$T_TMP/child") &
INH_PARENT=$!
T_HOGS="$T_HOGS $INH_PARENT"
for _ in $(seq 1 100); do [ -s "$T_TMP/child" ] && break; t_sleep 0.02; done
INH=$(cat "$T_TMP/child")
T_HOGS="$T_HOGS $INH"
memcg_create "$TOP/system.slice/$U-inh.service" max
echo "$INH" >"$MEMCG/cgroup.procs"

"$OOMTOP" status --json >"$T_TMP/status.json"
ok $? "status --json: exit 0"
unit_entry() { jq -c --arg u "$1" '.units[] | select(.unit == $u) | del(.unit_file)' "$T_TMP/status.json"; }
is "$(unit_entry "$U-web.service")" \
	'{"unit":"'"$U"'-web.service","state":"held","declared":200,"declared_in":{"file":"/etc/systemd/system/'"$U"'-web.service.d/50-oomtop.conf","line":4},"masked":false,"processes":2,"differing":0,"first_differing":null}' \
	"status: a unit whose processes hold what its drop-in declares (a bad value in a later drop-in ignored, as systemd does)"
is "$(unit_entry "$U-nh.service")" \
	'{"unit":"'"$U"'-nh.service","state":"not_held","declared":100,"declared_in":{"file":"/usr/lib/systemd/system/'"$U"'-nh.service","line":5},"masked":false,"processes":1,"differing":1,"first_differing":{"pid":'"$NH"',"comm":"'"${N}nh"'","oom_score_adj":500,"inherited_from":null}}' \
	"status: declared but not held"
is "$(unit_entry "$U-nd.service")" \
	'{"unit":"'"$U"'-nd.service","state":"not_declared","declared":null,"declared_in":null,"masked":false,"processes":1,"differing":1,"first_differing":{"pid":'"$ND"',"comm":"'"${N}nd"'","oom_score_adj":500,"inherited_from":null}}' \
	"status: held but declared nowhere"
is "$(unit_entry "$U-inh.service" | jq -c '[.state, .first_differing.pid, .first_differing.oom_score_adj, .first_differing.inherited_from]')" \
	"[\"not_declared\",$INH,600,$INH_PARENT]" "status: held only by inheritance, from the parent outside the unit"
is "$(jq -r '.units | map(.unit) | join(" ")' "$T_TMP/status.json")" \
	"$U-evil.service $U-inh.service $U-nd.service $U-nd2.service $U-nh.service $U-web.service" "status: one entry per unit, by name"
"$OOMTOP" status >"$T_TMP/status.txt"
grep -qF "$U-nh.service declares OOMScoreAdjust=100 (/usr/lib/systemd/system/$U-nh.service:5) but 1 of its 1 process does not hold it: $NH (${N}nh) holds 500; systemd cannot lower a value without CAP_SYS_RESOURCE and says nothing" "$T_TMP/status.txt"
ok $? "status warns: declared but not held, and why it may be"
grep -qF "$U-inh.service: 1 of its 1 process holds an oom_score_adj no unit file or drop-in declares ($INH (sleep) holds 600, inherited from $INH_PARENT (sh)): a restart loses it (oomtop protect --persist --adj 600 --unit $U-inh.service writes the drop-in)" "$T_TMP/status.txt"
ok $? "status warns: held only by inheritance, naming the ancestor"
is "$(grep -c "^  $U-" "$T_TMP/status.txt")" 10 "status: 6 units listed, 4 warned of by name (the one not held first)"
grep -qF "1 more services hold other values than their unit files declare, or values none declares (status --json lists every unit)" "$T_TMP/status.txt"
ok $? "status: past 4 units warned of by name, the rest are counted"
grep -qF "  $U-web.service declares 200 (/etc/systemd/system/$U-web.service.d/50-oomtop.conf:4): held by its 2 processes" "$T_TMP/status.txt"
ok $? "status: the units' section lists a held one too"

# explain: who sets the value
"$OOMTOP" explain "$W1" >"$T_TMP/explain.txt"
grep -qxF "  owner: $U-web.service's OOMScoreAdjust=200 (/etc/systemd/system/$U-web.service.d/50-oomtop.conf:4), which systemd sets on every process it starts for the unit" "$T_TMP/explain.txt"
ok $? "explain: a service's value is its unit's OOMScoreAdjust=, file:line ($(grep owner: "$T_TMP/explain.txt"))"
is "$("$OOMTOP" explain --json "$NH" | jq -c .adj_owner)" \
	'{"by":"unit","unit":"'"$U"'-nh.service","qos":null,"min":100,"max":100,"file":"/usr/lib/systemd/system/'"$U"'-nh.service","line":5,"masked":false,"held":false}' \
	"explain --json: declared, not held"
"$OOMTOP" explain "$NH" | grep -qF "it holds 500, not that: systemd cannot lower a value without CAP_SYS_RESOURCE"
ok $? "explain: says the value is not what the unit declares"
"$OOMTOP" explain "$ND" | grep -qF "owner: none on disk: $U-nd.service has no unit file oomtop can read, so a restart loses 500"
ok $? "explain: a unit that declares nothing"
P=$(jq -r '.units[0].unit' "$T_TMP/status.json" >/dev/null; pgrep -x "${N}pod")
"$OOMTOP" explain "$P" | grep -qF "owner: the kubelet's QoS policy: a burstable pod's containers get 1000 - 1000 * memory request / node memory, within 3..999"
ok $? "explain: a pod's value is the kubelet's QoS policy"
is "$("$OOMTOP" explain --json "$P" | jq -c '[.adj_owner.by, .adj_owner.qos, .adj_owner.held]')" '["kubelet","burstable",true]' \
	"explain --json: the kubelet, the QoS class, held"
is "$("$OOMTOP" explain --json "$(pgrep -x "${N}pln")" | jq -c .adj_owner)" null "explain --json: a plain cgroup's process: nothing known"

done_testing
