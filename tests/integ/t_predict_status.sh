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

# Equal badness: status, top and explain rank with one module, so they name
# the same victim.  In a PID namespace of its own, two identical processes
# (one cpu, no address randomization: the same counters) get pids chosen
# through ns_last_pid so that the younger has the lower pid: only its start
# time makes it the kernel's choice (the last of equals in fork order).
if command -v setarch >/dev/null && command -v taskset >/dev/null; then
	res=$(unshare --pid --fork --mount-proc bash -c '
		h=$1 o=$2 tmp=$3
		start() { # not in $(...): the hog dies with its parent (PR_SET_PDEATHSIG)
			echo "$1" >/proc/sys/kernel/ns_last_pid
			setarch "$(uname -m)" -R taskset -c 0 "$h/memhog" --anon 12 --adj 1000 --name tie >"$tmp/tie.$2" 2>&1 &
			pid=$!
			for i in $(seq 1 500); do grep -q "^ready" "$tmp/tie.$2" && break; sleep 0.01; done
		}
		count() { echo "$(cut -d" " -f24 /proc/$1/stat)/$(awk "/^VmPTE:/ { print \$2 }" /proc/$1/status)"; }
		start 500 old; old=$pid; sleep 0.05; start 100 young; young=$pid
		echo "$old $young $(count "$old") $(count "$young")"
		echo "$("$o" status --json | jq -r .next_victim.pid) $("$o" top -n 1 --json | jq -r ".[0].pid")" \
			"$("$o" explain --json "$young" | jq -r ".domains[0].rank") $("$o" explain --json "$old" | jq -r ".domains[0].rank")"
	' _ "$HELPERS" "$OOMTOP" "$T_TMP")
	set -- $res
	if [ "$#" -eq 8 ] && [ "$3" = "$4" ]; then
		[ "$2" -lt "$1" ]
		ok $? "the younger of two equal processes has the lower pid ($2 < $1)"
		is "$5 $6" "$2 $2" "status's next victim and top's first row are the younger one"
		is "$7 $8" "1 2" "explain ranks it first and the older one second"
	else
		diag "skipped the tie: the two processes differ ($res)"
	fi
fi

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
