# `oomtop status`: the figures agree with the kernel's files, the next victim
# with the ranking, and the protected list with every process's adj.
. "$(dirname "$0")/lib.sh"

kills_before=$(awk '$1 == "oom_kill" { print $2 }' /proc/vmstat)
json=$("$OOMTOP" status --json)
ok $? "status --json exits 0"
kills_after=$(awk '$1 == "oom_kill" { print $2 }' /proc/vmstat)
for s in panic_on_oom oom_kill_allocating_task oom_dump_tasks overcommit_memory overcommit_ratio overcommit_kbytes; do
	is "$(echo "$json" | jq -r ".sysctl.$s")" "$(cat "/proc/sys/vm/$s")" "vm.$s as /proc/sys/vm shows it"
done
for k in MemTotal:mem_total_kib SwapTotal:swap_total_kib CommitLimit:commit_limit_kib; do
	is "$(echo "$json" | jq -r ".memory.${k#*:}")" "$(awk -v k="${k%%:*}:" '$1 == k { print $2 }' /proc/meminfo)" \
		"${k%%:*} from meminfo"
done
is "$(echo "$json" | jq -r '.memory.totalpages')" "$(total_pages)" "totalpages is RAM + swap in pages"
k=$(echo "$json" | jq -r '.oom_kills')
[ "$k" -ge "$kills_before" ] && [ "$k" -le "$kills_after" ]
ok $? "oom_kills is /proc/vmstat's oom_kill ($k)"
if [ -r /proc/pressure/memory ]; then
	echo "$json" | jq -e '.pressure.some.avg10 >= 0 and .pressure.full.avg300 >= 0 and .pressure.some.total_us > 0' >/dev/null
	ok $? "memory pressure some/full avg10/60/300 from /proc/pressure/memory"
	t_file=$(awk '$1 == "some" { sub("total=", "", $5); print $5 }' /proc/pressure/memory)
	[ "$(echo "$json" | jq -r '.pressure.some.total_us')" -le "$t_file" ]
	ok $? "its total is the kernel's (read before this one)"
fi

# the -1000 processes are exactly those the kernel shows (none can be made here)
want=$(for f in /proc/[0-9]*/oom_score_adj; do
	v=""
	read -r v <"$f" 2>/dev/null
	[ "$v" = -1000 ] || continue
	p=${f#/proc/}; p=${p%/oom_score_adj}
	grep -q '^VmSize:' "/proc/$p/status" 2>/dev/null && echo "$p"
done | sort -n | tr '\n' ' ')
is "$(echo "$json" | jq -r '[.protected[].pid] | sort | map(tostring) | join(" ")' | sed 's/$/ /;s/^ $//')" "$want" \
	"the protected list is every process with -1000"

# the next victim: a process made first with adj 1000
spawn_hog --anon 4 --adj 1000 --name victim; V=$HOG
json=$("$OOMTOP" status --json)
is "$(echo "$json" | jq -r '.next_victim | [.pid, .comm, .oom_score_adj] | map(tostring) | join(" ")')" "$V victim 1000" \
	"the next victim of a global OOM"
is "$(echo "$json" | jq -r '.next_victim.oom_score')" "$(cat "/proc/$V/oom_score")" "with the kernel's oom_score"
is "$(echo "$json" | jq -r '.next_victim.pid')" "$("$OOMTOP" top -n 1 --json | jq -r '.[0].pid')" "the first row of top"

text=$("$OOMTOP" status)
ok $? "status exits 0"
for line in "vm.panic_on_oom" "vm.overcommit_memory" "MemAvailable" "CommitLimit" "OOM kills since boot" \
	"Never killed (oom_score_adj -1000)" "Next victim of a global OOM: $V (victim)" "Warnings"; do
	echo "$text" | grep -qF "$line"
	ok $? "the text shows: $line"
done
"$OOMTOP" status extra >/dev/null 2>&1
is "$?" 2 "an argument is a usage error"
done_testing
