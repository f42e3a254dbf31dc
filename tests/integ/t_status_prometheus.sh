# `oomtop status --format=prometheus`: promtool accepts the exposition, and
# the values are the kernel's (/proc/vmstat, /proc/meminfo, /proc/sys/vm, a
# memory cgroup this test makes and OOMs, a victim it starts).
. "$(dirname "$0")/lib.sh"

N=oomtop-prom-$$
metric() { awk -v m="$1" '$1 == m { print $2 }' "$T_TMP/out.prom"; }

spawn_hog --anon 4 --adj 1000 --name 'pr"o\m' || exit 1
V=$HOG
memcg_create "$N" 64 || exit 1
spawn_hog --cgroup "$MEMCG" --anon 8 --name promvictim || exit 1
memcg_oom_kill "$MEMCG"
[ -n "$OOM_VICTIM" ]
ok $? "the kernel killed a process in $MEMCG_PATH ($OOM_VICTIM)"

kills_before=$(awk '$1 == "oom_kill" { print $2 }' /proc/vmstat)
"$OOMTOP" status --format=prometheus >"$T_TMP/out.prom"
ok $? "status --format=prometheus exits 0"
kills_after=$(awk '$1 == "oom_kill" { print $2 }' /proc/vmstat)
promtool check metrics <"$T_TMP/out.prom" >"$T_TMP/promtool.out" 2>&1
ok $? "promtool check metrics accepts it: $(tr '\n' ' ' <"$T_TMP/promtool.out")"

k=$(metric oomtop_oom_kills_total)
[ -n "$k" ] && [ "$k" -ge "$kills_before" ] && [ "$k" -le "$kills_after" ]
ok $? "oomtop_oom_kills_total is /proc/vmstat's oom_kill ($k)"
if [ -f "$MEMCG/memory.events" ]; then
	want=$(awk '$1 == "oom_kill" { print $2 }' "$MEMCG/memory.events")
else
	want=$(awk '$1 == "oom_kill" { print $2 }' "$MEMCG/memory.oom_control")
fi
is "$(metric "oomtop_cgroup_oom_kills_total{cgroup=\"$MEMCG_PATH\"}")" "$want" "the cgroup's OOM kills ($want)"
[ "$want" -ge 1 ]
ok $? "at least the one this test caused"
for m in MemAvailable:memory_available_bytes CommitLimit:commit_limit_bytes MemTotal:memory_total_bytes; do
	kib=$(awk -v k="${m%%:*}:" '$1 == k { print $2 }' /proc/meminfo)
	got=$(metric "oomtop_${m#*:}")
	if [ "${m%%:*}" = MemAvailable ]; then
		# it moves while we look: within 64 MiB
		d=$((got - kib * 1024)); d=${d#-}
		[ "$d" -lt $((64 << 20)) ]
		ok $? "oomtop_${m#*:} is ${m%%:*} in bytes ($got, meminfo $kib kB)"
	else
		is "$got" "$((kib * 1024))" "oomtop_${m#*:} is ${m%%:*} in bytes"
	fi
done
for s in panic_on_oom oom_kill_allocating_task overcommit_memory oom_dump_tasks; do
	is "$(metric "oomtop_vm_$s")" "$(cat "/proc/sys/vm/$s")" "oomtop_vm_$s is vm.$s"
done
json=$("$OOMTOP" status --json)
is "$(metric oomtop_protected_processes)" "$(echo "$json" | jq '.protected | length')" \
	"oomtop_protected_processes counts status --json's protected list"
# processes come and go on a shared host: only the relation is exact
[ "$(metric oomtop_killable_processes)" -ge 1 ] && [ "$(metric oomtop_killable_processes)" -le "$(metric oomtop_processes)" ]
ok $? "1 <= oomtop_killable_processes <= oomtop_processes"
# the victim: pid and escaped comm as labels, its share of RAM + swap
line=$(grep '^oomtop_next_victim_badness_ratio{' "$T_TMP/out.prom")
# the backslash doubled in the value, as in the tables (so \x1b in a name is no ESC), then escaped
is "${line%% *}" "oomtop_next_victim_badness_ratio{pid=\"$V\",comm=\"pr\\\"o\\\\\\\\m\"}" \
	"the next victim's labels, \" and \\ escaped"
share=${line##* }
awk -v s="$share" 'BEGIN { exit !(s > 0 && s <= 1) }'
ok $? "its badness share is in 0..1 ($share)"
if [ -r /proc/pressure/memory ]; then
	[ -n "$(metric 'oomtop_memory_pressure_ratio{kind="some",window="10s"}')" ] &&
		[ -n "$(metric 'oomtop_memory_pressure_ratio{kind="some",window="300s"}')" ]
	ok $? "memory pressure some avg10 and avg300"
fi

"$OOMTOP" status --format=json | jq -e '.cgroup_oom_kills | map(.cgroup) | index("'"$MEMCG_PATH"'") != null' >/dev/null
ok $? "--format=json lists the cgroup too"
"$OOMTOP" status --format=json >"$T_TMP/a.json" && "$OOMTOP" status --json >"$T_TMP/b.json"
is "$(jq -c 'keys' "$T_TMP/a.json")" "$(jq -c 'keys' "$T_TMP/b.json")" "--json is --format=json"
"$OOMTOP" status --format=xml >/dev/null 2>&1
is "$?" 2 "an unknown format is a usage error"
"$OOMTOP" status --json --format=text >/dev/null 2>&1
is "$?" 2 "--json with another format is a usage error"
done_testing
