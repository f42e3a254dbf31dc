# oomtop log on large and hostile files: 20 MiB of unrelated lines (with NUL
# bytes, a 3 MiB line, no final newline) and thousands of OOM reports.  Its
# peak memory must not grow with the size of the input; every report must
# still come out once.
. "$(dirname "$0")/lib.sh"

# Writes N MiB of lines that are not OOM reports (kernel noise, binary junk).
unrelated() {
	awk -v mib="$1" 'BEGIN {
		srand(7); n = 0; limit = mib * 1048576
		while (n < limit) {
			i++
			l = sprintf("[%6d.%06d] e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx %d", i, i % 1000000, rand() * 1e9)
			if (i % 7 == 0) l = sprintf("Mar  3 04:12:%02d host%d sshd[%d]: Killed process %d (bash) total-vm:1kB", i % 60, i % 5, i, i)
			if (i % 11 == 0) l = sprintf("[%d] %d %d %d [ pid ] oom-kill: invoked oom-killer: Tasks state", i, i, i, i)
			print l; n += length(l) + 1
		}
	}' 
}

# Writes N OOM reports of a 6.x kernel, each with a task table of 10 rows.
reports() {
	awk -v n="$1" 'BEGIN {
		for (r = 1; r <= n; r++) {
			pid = 100000 + r; t = sprintf("[%6d.%06d] ", r, 0)
			print t "w" r " invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=" (r % 1000)
			print t "CPU: 1 UID: 0 PID: " pid " Comm: w" r " Not tainted 6.18.0 #1"
			print t "Tasks state (memory values in pages):"
			print t "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name"
			for (i = 0; i < 10; i++)
				printf "%s[%7d] %5d %5d %8d %8d %8d %8d %9d %8d %8d         %5d w%d\n", t, pid - i, 0, pid - i, 5000, 4000, 3900, 100, 0, 90112, 0, r % 1000, r
			print t "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/g" r % 50 ",task_memcg=/g" r % 50 ",task=w" r ",pid=" pid ",uid=0"
			print t "Memory cgroup out of memory: Killed process " pid " (w" r ") total-vm:20000kB, anon-rss:15600kB, file-rss:400kB, shmem-rss:0kB, UID:0 pgtables:88kB oom_score_adj:" (r % 1000)
		}
	}'
}

# ASan keeps freed memory in quarantine (256 MiB): keep it small so that
# only memory still in use counts here too
[ "$T_LANE" = asan ] && export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1"
# the sanitizer's own allocator grows a little with the number of allocations
SLACK=1024
[ "$T_LANE" = asan ] && SLACK=4096
# Valgrind's shadow memory grows with every allocation the program made
[ "$T_LANE" = valgrind ] && SLACK=16384

# Prints the peak RSS (KiB) of oomtop log with the given arguments; output to FILE $1.
peak() {
	local out=$1
	shift
	"$HELPERS/peakrss" "$OOMTOP" log "$@" >"$out" 2>"$T_TMP/peak.err"
	echo "$?" >"$T_TMP/peak.status"
	sed -n 's/^peakrss //p' "$T_TMP/peak.err"
}

unrelated 2 >"$T_TMP/small.log"
unrelated 20 >"$T_TMP/big.log"
# NUL bytes, a 3 MiB line, and a last line without its newline (a kill line is
# read only at the start of a message, and alone only in the kernel's shape)
printf 'x\0y\0\nKilled process 5 (a\0b) total-vm:1kB, anon-rss:0kB, file-rss:0kB\n' >>"$T_TMP/big.log"
printf 'x\0y\0Killed process 6 (c) total-vm:1kB, anon-rss:0kB, file-rss:0kB\n' >>"$T_TMP/big.log"
head -c 3145728 /dev/zero | tr '\0' 'K' >>"$T_TMP/big.log"
printf '\n[ 1.0] Out of memory: Killed process 4242 (tail) total-vm:8kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:7' >>"$T_TMP/big.log"
size=$(($(stat -c %s "$T_TMP/big.log") / 1048576))

small_kib=$(peak "$T_TMP/small.json" --json "$T_TMP/small.log")
is "$(cat "$T_TMP/peak.status")" 1 "2 MiB of unrelated lines: no event (exit 1)"
big_kib=$(peak "$T_TMP/big.json" --json "$T_TMP/big.log")
is "$(cat "$T_TMP/peak.status")" 0 "$size MiB of unrelated lines with NULs and a 3 MiB line: read to the end"
is "$(jq -c 'map([.pid, .comm, .oom_score_adj])' "$T_TMP/big.json")" '[[5,"a?b",null],[4242,"tail",7]]' \
	"the kill lines among them are found, the last one without a newline too"
diag "peak RSS: $small_kib KiB for 2 MiB, $big_kib KiB for $size MiB of unrelated lines"
[ $((big_kib - small_kib)) -lt "$SLACK" ]
ok $? "peak memory does not grow with the input ($small_kib KiB for 2 MiB, $big_kib KiB for $size MiB)"
if [ "$T_LANE" = release ]; then
	[ "$big_kib" -lt 8192 ]
	ok $? "peak RSS stays under 8 MiB ($big_kib KiB)"
fi

reports 500 >"$T_TMP/r500.log"
reports 5000 >"$T_TMP/r5000.log"
r500=$(peak "$T_TMP/r500.json" --json --tasks "$T_TMP/r500.log")
r5000=$(peak "$T_TMP/r5000.json" --json --tasks "$T_TMP/r5000.log")
is "$(jq 'length' "$T_TMP/r5000.json")" 5000 "5000 reports: 5000 events"
is "$(jq '[.[] | select(.pid != 100000 + (.comm | ltrimstr("w") | tonumber))] | length' "$T_TMP/r5000.json")" 0 \
	"each event has its own pid and name"
is "$(jq '[.[] | select((.tasks | length) != 10 or .trigger_pid != .pid or .oom_memcg != "/g\((.pid - 100000) % 50)")] | length' "$T_TMP/r5000.json")" 0 \
	"each event has its own report's table, trigger and cgroup"
diag "peak RSS: $r500 KiB for 500 reports, $r5000 KiB for 5000 reports ($(($(stat -c %s "$T_TMP/r5000.log") / 1048576)) MiB) with --tasks"
[ $((r5000 - r500)) -lt "$SLACK" ]
ok $? "peak memory does not grow with the number of reports ($r500 KiB for 500, $r5000 KiB for 5000)"
last=$(peak "$T_TMP/last.json" --json --last 3 "$T_TMP/r5000.log")
is "$(jq -c 'map(.pid)' "$T_TMP/last.json")" "[104998,104999,105000]" "--last 3 of 5000"
sum=$(peak "$T_TMP/sum.json" --summary --json "$T_TMP/r5000.log")
is "$(jq -c '[.kills, (.by_domain | length), .by_domain[0].kills]' "$T_TMP/sum.json")" "[5000,50,100]" "--summary of 5000 kills in 50 cgroups"
done_testing
