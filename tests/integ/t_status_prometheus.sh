# `oomtop status --format=prometheus`: promtool accepts the exposition, and
# the values are the kernel's (/proc/vmstat, /proc/meminfo, /proc/sys/vm, a
# memory cgroup this test makes and OOMs, a victim it starts, a second cgroup
# it OOMs and removes, whose kill only the kernel log still holds).
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

# the cgroup's first victim from now on
spawn_hog --cgroup "$MEMCG" --anon 4 --name promcgv || exit 1
CGV=$HOG
# a cgroup that had a kill and is gone: the kernel's counter went with it
KEEP=$MEMCG KEEP_PATH=$MEMCG_PATH
memcg_create "$N-gone" 64 || exit 1
GONE=$MEMCG GONE_PATH=$MEMCG_PATH
MEMCG=$KEEP MEMCG_PATH=$KEEP_PATH
spawn_hog --cgroup "$GONE" --anon 8 --name promgone || exit 1
memcg_oom_kill "$GONE"
[ -n "$OOM_VICTIM" ]
ok $? "the kernel killed a process in $GONE_PATH ($OOM_VICTIM)"
memcg_kill_all "$GONE"
for i in $(seq 1 100); do rmdir "$GONE" 2>/dev/null && break; t_sleep 0.05; done
[ ! -d "$GONE" ]
ok $? "$GONE_PATH removed"
gone_kills=$(oom_victims "$GONE_PATH" | wc -l)

# 1 while the kernel log still begins at boot (its first line at 0.000000), 0 once it wrapped
log_at_boot() { dmesg -r | head -n 1 | grep -q '^<[0-9]*>\[ *0\.000000\]' && echo 1 || echo 0; }
at_boot_before=$(log_at_boot)
kills_before=$(awk '$1 == "oom_kill" { print $2 }' /proc/vmstat)
# every cgroup by name: other tests' cgroups on this host must not push this one into "other"
"$OOMTOP" status --format=prometheus --max-cgroups 4096 >"$T_TMP/out.prom"
ok $? "status --format=prometheus exits 0"
kills_after=$(awk '$1 == "oom_kill" { print $2 }' /proc/vmstat)
at_boot_after=$(log_at_boot)
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
is "$(metric "oomtop_cgroup_memory_limit_bytes{cgroup=\"$MEMCG_PATH\"}")" $((64 << 20)) "its limit in bytes"
usage=$(cat "$MEMCG/memory.usage_in_bytes" 2>/dev/null || cat "$MEMCG/memory.current")
got=$(metric "oomtop_cgroup_memory_usage_bytes{cgroup=\"$MEMCG_PATH\"}")
d=$((got - usage)); d=${d#-}
[ -n "$got" ] && [ "$d" -lt $((1 << 20)) ]
ok $? "its usage in bytes ($got; the kernel's $usage)"
ratio=$(metric "oomtop_cgroup_memory_usage_ratio{cgroup=\"$MEMCG_PATH\"}")
awk -v r="$ratio" -v u="$got" 'BEGIN { d = r - u / (64 * 1048576); exit !(d < 0.000001 && d > -0.000001) }'
ok $? "its usage ratio is usage over limit ($ratio)"
is "$(metric "oomtop_cgroup_next_victim_info{cgroup=\"$MEMCG_PATH\",comm=\"promcgv\"}")" 1 \
	"its first victim is the one process left in it, by comm"
is "$(metric "oomtop_cgroup_next_victim_oom_score_adj{cgroup=\"$MEMCG_PATH\"}")" 0 "with its oom_score_adj"
# badness in the cgroup's domain: the kernel's pages over the limit's 16384 pages (adj 0)
want_ratio=$(awk -v p="$(kernel_pages "$CGV")" 'BEGIN { printf "%.6f", p / 16384 }')
is "$(metric "oomtop_cgroup_next_victim_badness_ratio{cgroup=\"$MEMCG_PATH\"}")" "$want_ratio" \
	"and its badness over the cgroup's pages"
is "$(metric "oomtop_removed_cgroup_oom_kills_total{cgroup=\"$GONE_PATH\"}")" "$gone_kills" \
	"the removed cgroup's kills, from the kernel log ($gone_kills)"
[ "$gone_kills" -ge 1 ]
ok $? "at least the one this test caused"
grep -q "^oomtop_cgroup_oom_kills_total{cgroup=\"$GONE_PATH\"}" "$T_TMP/out.prom"
is $? 1 "it is no longer among the live cgroups"
# (other tests fill the ring buffer meanwhile: it may wrap between the two looks, never unwrap)
c=$(metric oomtop_kernel_log_complete)
[ "$c" = "$at_boot_before" ] || [ "$c" = "$at_boot_after" ]
ok $? "oomtop_kernel_log_complete is $c: 1 only while the log still begins at boot ($at_boot_before, then $at_boot_after)"
grep -q 'pid="' "$T_TMP/out.prom"
is $? 1 "no series has a pid label"
for m in MemAvailable:memory_available_bytes CommitLimit:commit_limit_bytes MemTotal:memory_total_bytes; do
	kib=$(awk -v k="${m%%:*}:" '$1 == k { print $2 }' /proc/meminfo)
	got=$(metric "oomtop_${m#*:}")
	if [ "${m%%:*}" = MemAvailable ]; then
		# it moves while we look (other work shares the machine): a fresh
		# reading bracketed by two of meminfo's, within 64 MiB of that range
		lo=$(awk '$1 == "MemAvailable:" { print $2 * 1024 }' /proc/meminfo)
		got=$("$OOMTOP" status --format=prometheus | awk '$1 == "oomtop_memory_available_bytes" { print $2 }')
		hi=$(awk '$1 == "MemAvailable:" { print $2 * 1024 }' /proc/meminfo)
		[ "$lo" -le "$hi" ] || { t=$lo; lo=$hi; hi=$t; }
		[ "$got" -ge $((lo - (64 << 20))) ] && [ "$got" -le $((hi + (64 << 20))) ]
		ok $? "oomtop_${m#*:} is ${m%%:*} in bytes ($got, meminfo $lo..$hi bytes around it)"
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
# the victim: its escaped comm on the one info series, its pid and share of RAM + swap as values
line=$(grep '^oomtop_next_victim_info{' "$T_TMP/out.prom")
wl=$("$OOMTOP" top --json -p "$V" | jq -r '.[0].workload | "workload_kind=\"\(.kind)\",workload=\"\(.name // "")\""')
# the backslash doubled in the value, as in the tables (so \x1b in a name is no ESC), then escaped
is "$line" "oomtop_next_victim_info{comm=\"pr\\\"o\\\\\\\\m\",$wl} 1" \
	"the next victim's info series, \" and \\ escaped, with its workload as top --json tells it"
is "$(metric oomtop_next_victim_pid)" "$V" "oomtop_next_victim_pid is the process this test made first"
is "$(metric oomtop_next_victim_oom_score_adj)" 1000 "oomtop_next_victim_oom_score_adj"
is "$(metric oomtop_next_victim_oom_score)" "$(cat "/proc/$V/oom_score")" "oomtop_next_victim_oom_score is the kernel's"
share=$(metric oomtop_next_victim_badness_ratio)
awk -v s="$share" 'BEGIN { exit !(s > 0 && s <= 1) }'
ok $? "its badness share is in 0..1 ($share)"
if [ -r /proc/pressure/memory ]; then
	[ -n "$(metric 'oomtop_memory_pressure_ratio{kind="some",window="10s"}')" ] &&
		[ -n "$(metric 'oomtop_memory_pressure_ratio{kind="some",window="300s"}')" ]
	ok $? "memory pressure some avg10 and avg300"
fi

# the bound: --max-cgroups 0 names none, and "other" sums them all
"$OOMTOP" status --format=prometheus --max-cgroups 0 >"$T_TMP/zero.prom"
ok $? "--max-cgroups 0 exits 0"
promtool check metrics <"$T_TMP/zero.prom" >/dev/null 2>&1
ok $? "promtool check metrics accepts it"
is "$(grep -c '^oomtop_cgroup_[a-z_]*{cgroup="/' "$T_TMP/zero.prom")" 0 "no cgroup is named"
is "$(grep -c '^oomtop_removed_cgroup_oom_kills_total{cgroup="/' "$T_TMP/zero.prom")" 0 "no removed cgroup either"
other=$(awk '$1 == "oomtop_cgroup_oom_kills_total{cgroup=\"other\"}" { print $2 }' "$T_TMP/zero.prom")
[ -n "$other" ] && [ "$other" -ge "$want" ]
ok $? "cgroup=\"other\" holds this test's cgroup's kills ($other >= $want)"
other=$(awk '$1 == "oomtop_removed_cgroup_oom_kills_total{cgroup=\"other\"}" { print $2 }' "$T_TMP/zero.prom")
[ -n "$other" ] && [ "$other" -ge "$gone_kills" ]
ok $? "and removed_cgroup cgroup=\"other\" the removed one's ($other >= $gone_kills)"
"$OOMTOP" status --max-cgroups 3 >/dev/null 2>&1
is "$?" 2 "--max-cgroups without --format=prometheus is a usage error"
"$OOMTOP" status -f prometheus --max-cgroups 5000 >/dev/null 2>&1
is "$?" 2 "--max-cgroups above 4096 is a usage error"
"$OOMTOP" status -f prometheus --max-cgroups 1x >/dev/null 2>&1
is "$?" 2 "--max-cgroups 1x is a usage error"

"$OOMTOP" status --format=json | jq -e '.cgroup_oom_kills | map(.cgroup) | index("'"$MEMCG_PATH"'") != null' >/dev/null
ok $? "--format=json lists the cgroup too"
"$OOMTOP" status --format=json >"$T_TMP/a.json" && "$OOMTOP" status --json >"$T_TMP/b.json"
is "$(jq -c 'keys' "$T_TMP/a.json")" "$(jq -c 'keys' "$T_TMP/b.json")" "--json is --format=json"
"$OOMTOP" status --format=xml >/dev/null 2>&1
is "$?" 2 "an unknown format is a usage error"
"$OOMTOP" status --json --format=text >/dev/null 2>&1
is "$?" 2 "--json with another format is a usage error"
done_testing
