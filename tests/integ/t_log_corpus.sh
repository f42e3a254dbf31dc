# oomtop log on a corpus of OOM reports of every kernel generation since
# 2.6.32 (tests/corpus/klog/, written from the printk formats of
# mm/oom_kill.c and mm/memcontrol.c), in every log format: each file gives
# exactly the events of its .expected file (one JSON object of expected
# fields per line, in order).
. "$(dirname "$0")/lib.sh"

CORPUS=$(cd "$(dirname "$0")/../corpus/klog" && pwd)
export TZ=UTC

# Compares the events of one log file with its expectations.
check_file() {
	local log=$1 exp=${1%.*}.expected name copy out n want i line bad status
	name=$(basename "$log")
	copy="$T_TMP/$name"
	cp "$log" "$copy"
	# syslog dates have no year: it comes from the file's modification time
	touch -d "2019-12-31 12:00:00 UTC" "$copy"
	# journalctl -o json records are read with --journal
	case "$name" in *.journal-json) set -- --journal ;; *) set -- ;; esac
	out=$("$OOMTOP" log --json "$@" "$copy" 2>"$T_TMP/err")
	status=$?
	want=$(grep -c . "$exp")
	# an empty .expected: forged or foreign lines, of which nothing may be a kill (exit 1: none found)
	is "$status" "$([ "$want" -eq 0 ] && echo 1 || echo 0)" "$name: oomtop log exits $([ "$want" -eq 0 ] && echo 1 || echo 0)"
	n=$(echo "$out" | jq length)
	is "$n" "$want" "$name: $want events"
	i=0
	while IFS= read -r line; do
		bad=$(echo "$out" | jq -c --argjson e "$line" --argjson i "$i" \
			'.[$i] as $ev | [$e | to_entries[] | select($ev[.key] != .value) | {(.key): [$ev[.key], .value]}]')
		is "$bad" "[]" "$name: event $((i + 1)) ($(echo "$line" | jq -r '"\(.pid) \(.comm)"')) fields as expected [got, want]"
		i=$((i + 1))
	done <"$exp"
}

for f in "$CORPUS"/*; do
	case "$f" in *.expected) continue ;; esac
	check_file "$f"
done

# the same file through standard input gives the same events
a=$("$OOMTOP" log --json "$CORPUS/5.10-group.rsyslog" | jq -c 'map(.pid)')
b=$("$OOMTOP" log --json - <"$CORPUS/5.10-group.rsyslog" | jq -c 'map(.pid)')
is "$b" "$a" "reading '-' (standard input) gives the same events as the file"
is "$a" "[1000]" "an oom.group kill is one event (the kernel logs one record per member, the victim twice)"
is "$("$OOMTOP" log --json "$CORPUS/5.10-group.rsyslog" | jq -c '.[0].members | map(.pid)')" "[1000,1001,1002]" \
	"... with every member once"
is "$("$OOMTOP" log --summary --json "$CORPUS/5.10-group.rsyslog" | jq -c '[.kills, .by_comm]')" '[1,[{"comm":"stress","kills":1}]]' \
	"--summary counts a group kill once"

# a syslog file spanning New Year: December belongs to the year before
printf '%s\n' \
	'Dec 31 23:59:58 h kernel: Out of memory: Killed process 10 (old) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB' \
	'Jan  1 00:00:02 h kernel: Out of memory: Killed process 11 (new) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB' \
	>"$T_TMP/newyear.log"
touch -d "2020-01-01 10:00:00 UTC" "$T_TMP/newyear.log"
is "$("$OOMTOP" log --json "$T_TMP/newyear.log" | jq -r 'map(.time) | join(" ")')" \
	"2019-12-31T23:59:58.000000+00:00 2020-01-01T00:00:02.000000+00:00" "syslog year: the newest date not after the file's mtime"

# the table: one row per kill, names escaped, the legacy oom_adj marked
tbl=$("$OOMTOP" log "$CORPUS/2.6.32-mainline.dmesg")
echo "$tbl" | head -1 | grep -q "^# .*2.6.32-mainline.dmesg: a log file is only as trustworthy as whoever can write to it"
ok $? "a plain file's table says first that the file is only as trustworthy as its writers"
is "$("$OOMTOP" log --no-header "$CORPUS/2.6.32-mainline.dmesg" | grep -c '^#')" 0 "--no-header leaves that out too"
is "$(echo "$tbl" | sed -n 2p | tr -s ' ')" "TIME PID NAME UID RSS ADJ DOMAIN WORKLOAD TRIGGERED BY" "table header"
is "$(echo "$tbl" | awk 'NR==3 { print $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }')" \
	"boot+5000.123s 9682 mysqld 27 - 0* global - httpd (8911)" "2.6.32 row: time since boot, legacy adj, no workload (no cgroup in the log), trigger"
tbl=$("$OOMTOP" log "$CORPUS/hostile.dmesg")
printf '%s' "$tbl" | grep -q "$(printf '\033')"
ok $((!$?)) "no terminal escape from a hostile comm reaches the table"
echo "$tbl" | grep -qF '\x1b]0;pwned\x07'
ok $? "the hostile comm is shown escaped"

# filters
is "$("$OOMTOP" log --json -c '[jp]*' "$CORPUS/3.10-two-hosts.messages" | jq -c 'map(.comm)')" '["java","php-fpm"]' "-c takes a shell pattern"
is "$("$OOMTOP" log --json -c 'j*' "$CORPUS/3.10-two-hosts.messages" | jq -c 'map(.comm)')" '["java"]' "-c: only the names it matches"
is "$("$OOMTOP" log --json --last 1 "$CORPUS/6.1-ratelimited.journal" | jq -c 'map(.pid)')" '[323]' "--last 1 keeps the newest"
is "$("$OOMTOP" log --json --since '2023-05-01 10:00' "$CORPUS/5.10-group.rsyslog" | jq length)" 1 "--since before the kills keeps them"
is "$("$OOMTOP" log --json --since '2023-05-01 10:01' "$CORPUS/5.10-group.rsyslog" | jq length)" 0 "--since after the kills drops them"
"$OOMTOP" log --since today "$CORPUS/2.6.32-mainline.dmesg" >/dev/null 2>"$T_TMP/err"
is "$?" 1 "--since with undated events: nothing matches (exit 1)"
grep -q "left out by --since" "$T_TMP/err"
ok $? "and it says why"
"$OOMTOP" log -c nosuch "$CORPUS/5.10-group.rsyslog" >/dev/null 2>&1
is "$?" 1 "no match: exit 1"
"$OOMTOP" log --since yesterdayish "$CORPUS/5.10-group.rsyslog" >/dev/null 2>"$T_TMP/err"
is "$?" 2 "a bad --since is a usage error"
"$OOMTOP" log /nonexistent/file 2>"$T_TMP/err"
is "$?" 2 "a missing file is a usage error"

# --summary over a file: counts, and no counters of this machine for another machine's log
sum=$("$OOMTOP" log --summary --json "$CORPUS/6.1-ratelimited.journal")
is "$(echo "$sum" | jq -c '[.kills, .by_comm, .by_domain, .vmstat_oom_kill, .cgroups]')" \
	'[3,[{"comm":"memhog","kills":3}],[{"domain":"global","kills":3}],null,null]' "--summary of a file"

# --tasks keeps the task table of the report
is "$("$OOMTOP" log --json --tasks "$CORPUS/6.12-callers.dmesg" | jq -c '[.[] | [.tasks[] | .comm]]')" \
	'[["alpha"],["beta","beta-helper"]]' "--tasks: each event has its own report's task table"
is "$("$OOMTOP" log --json --tasks "$CORPUS/6.12-callers.dmesg" | jq -c '.[1].tasks[1] | [.rss_anon_pages, .rss_file_pages, .pgtables_bytes, .oom_score_adj]')" \
	'[700,100,90000,100]' "--tasks: the 6.8+ columns"
"$OOMTOP" log --tasks "$CORPUS/6.12-callers.dmesg" >/dev/null 2>&1
is "$?" 2 "--tasks without --json is a usage error"
# --summary of a file without any kill: no table to sort (qsort of NULL, 0 is undefined: UBSan)
printf 'Nov 28 01:23:30 h kernel: nothing here\n' >"$T_TMP/none.log"
out=$("$OOMTOP" log --summary "$T_TMP/none.log" 2>"$T_TMP/err")
is "$?" 0 "--summary of a file with no kill exits 0"
is "$(echo "$out" | head -1)" "0 OOM kills in the log" "... and says so"
is "$("$OOMTOP" log --summary --json "$T_TMP/none.log" | jq -c '[.kills, .by_comm, .by_domain]')" '[0,[],[]]' "... in JSON too"

# --journal reads journalctl's records: the kernel's only, the same from a file and standard input
is "$("$OOMTOP" log --json --journal - <"$CORPUS/kernel.journal-json" | jq -c 'map(.pid)')" '[4800]' \
	"--journal -: only the kernel transport's records (not logger -t kernel, not a program's /dev/kmsg record)"
"$OOMTOP" log --journal "$CORPUS/5.10-group.rsyslog" >/dev/null 2>&1
is "$?" 1 "--journal on a file that is not journal JSON: nothing found"
# without FILE it runs journalctl (a stand-in here: this machine may have no journal)
mkdir "$T_TMP/bin"
printf '#!/bin/sh\necho "$@" >"%s/args"\ncat "%s"\n' "$T_TMP" "$CORPUS/kernel.journal-json" >"$T_TMP/bin/journalctl"
chmod +x "$T_TMP/bin/journalctl"
is "$(PATH="$T_TMP/bin:$PATH" "$OOMTOP" log --json --journal | jq -c 'map([.pid, .host])')" '[[4800,"web1"]]' \
	"--journal runs journalctl and reads its kernel records"
is "$(cat "$T_TMP/args")" "--no-pager -q -o json _TRANSPORT=kernel" "... asking for the kernel transport as JSON"
printf '#!/bin/sh\necho "Failed to open journal" >&2\nexit 1\n' >"$T_TMP/bin/journalctl"
PATH="$T_TMP/bin:$PATH" "$OOMTOP" log --journal >/dev/null 2>"$T_TMP/err"
is "$?" 3 "a failing journalctl is a failure (exit 3)"
grep -q "journalctl failed" "$T_TMP/err"
ok $? "... and says so"

done_testing
