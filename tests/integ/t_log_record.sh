# `oomtop log --follow --output FILE --state FILE` as a service records each
# real OOM kill exactly once: kills made while it runs, while it is stopped
# (read back from /dev/kmsg on start) and after logrotate moved the file
# (SIGHUP reopens it).  --to-journal sends each kill through the journal's
# native protocol (a private /run in a mount namespace, where
# tests/helpers/journalsink listens at /run/systemd/journal/socket), with
# exactly its fields even for a name with a newline, ESC and invalid UTF-8;
# without a journal, to syslog (a private /dev/log, tests/helpers/logsink).
# Kills happen only inside a 64 MiB memory cgroup this test creates; other
# tests' kills in the shared ring buffer are recorded too, so every check
# looks for the test's own pids.
. "$(dirname "$0")/lib.sh"

# Kills a process of ours by filling the test's memory cgroup; sets KILLED to its pid.
oom_kill_one() {
	local name=$1 status
	spawn_hog --cgroup "$MEMCG" --name "$name" --grow || return 1
	KILLED=$HOG
	wait "$HOG" 2>/dev/null
	status=$?
	[ "$status" -eq 137 ] || { diag "$name exited with $status, not SIGKILL"; return 1; }
}

# Prints how many lines of FILE record pid $2 ($1: the file).
records_of() { jq -r --argjson p "$2" 'select(.pid == $p) | .pid' "$1" 2>/dev/null | grep -c .; }

# Waits up to 10 s until FILE $1 records pid $2.
wait_record() {
	local i
	for i in $(seq 1 100); do
		[ "$(records_of "$1" "$2")" -ge 1 ] && return 0
		t_sleep 0.1
	done
	return 1
}

# Starts the recorder in the background; sets REC to its pid.
start_recorder() {
	"$OOMTOP" log --follow --output "$OUT" --state "$STATE" 2>>"$T_TMP/rec.err" &
	REC=$!
	T_HOGS="$T_HOGS $REC"
	# it has read the ring buffer to its end once it said where it resumes
	for i in $(seq 1 100); do
		[ "$(grep -c 'recording OOM kills' "$T_TMP/rec.err")" -ge "$1" ] && break
		t_sleep 0.05
	done
	t_sleep 0.5
}

# Stops the recorder as systemd does (SIGTERM) and reaps it.
stop_recorder() { kill -TERM "$REC" 2>/dev/null; wait "$REC" 2>/dev/null; }

memcg_create "oomtop-logrec-$$" 64 || { echo "not ok - no memory cgroup"; done_testing; }
OUT="$T_TMP/kills.jsonl"
STATE="$T_TMP/log.state"
BOOT=$(cat /proc/sys/kernel/random/boot_id)

oom_kill_one "lrA$$"
ok $? "kill A before the recorder starts"
PA=$KILLED
start_recorder 1
grep -q "recording OOM kills: none of boot $BOOT recorded yet" "$T_TMP/rec.err"
ok $? "the first start says nothing of this boot was recorded: $(tail -1 "$T_TMP/rec.err")"
wait_record "$OUT" "$PA"
ok $? "A, killed before the start, is read back from /dev/kmsg"
is "$(stat -c %a "$OUT")" 640 "the file is created 0640"

oom_kill_one "lrB$$"
ok $? "kill B while it runs"
PB=$KILLED
wait_record "$OUT" "$PB"
ok $? "B is recorded as it happens"
stop_recorder
seq_b=$(jq -r --argjson p "$PB" 'select(.pid == $p) | .kmsg_seq' "$OUT")
last_seq=$(tail -n 1 "$OUT" | jq -r .kmsg_seq)
is "$(cat "$STATE")" "oomtop-log-state 1 $BOOT $last_seq" "the state file holds the last record's boot and sequence number"

oom_kill_one "lrC$$"
ok $? "kill C while it is stopped"
PC=$KILLED
lines_before=$(wc -l <"$OUT")
start_recorder 2
grep -q "recording OOM kills after kernel record $last_seq of boot $BOOT" "$T_TMP/rec.err"
ok $? "the restart resumes after the last record: $(tail -1 "$T_TMP/rec.err")"
wait_record "$OUT" "$PC"
ok $? "C, killed while it was stopped, is recorded after the restart"
oom_kill_one "lrD$$"
ok $? "kill D after the restart"
PD=$KILLED
wait_record "$OUT" "$PD"
ok $? "D is recorded"

for p in "$PA" "$PB" "$PC" "$PD"; do
	is "$(records_of "$OUT" "$p")" 1 "pid $p is recorded exactly once"
done
is "$(jq -r '"\(.boot_id) \(.kmsg_seq)"' "$OUT" | sort | uniq -d)" "" "no kill of the ring buffer is recorded twice"
is "$(jq -r 'select(.pid == '"$PB"') | "\(.comm) \(.domain) \(.boot_id)"' "$OUT")" "lrB$$ $MEMCG_PATH $BOOT" \
	"each line is log --json's object: name, domain, boot"
jq -e -s 'map(.kmsg_seq) | . == sort' "$OUT" >/dev/null
ok $? "the lines are in the kernel's order"
is "$(jq -c 'keys_unsorted' "$OUT" | sort -u | wc -l)" 1 "every line has the same keys"

# logrotate with the shipped snippet (its path and its signal pointed at this
# test's file and recorder): the file moved away, SIGHUP, the next kill in a new file
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if command -v logrotate >/dev/null; then
	sed -e "s|/var/log/oomtop/kills.jsonl|$OUT|" -e "s|systemctl kill .*oomtop-log.service|kill -HUP $REC|" \
		"$ROOT/etc/oomtop-log.logrotate" >"$T_TMP/logrotate.conf"
	logrotate -f -s "$T_TMP/logrotate.state" "$T_TMP/logrotate.conf" 2>"$T_TMP/logrotate.err"
	is "$?:$(cat "$T_TMP/logrotate.err")" "0:" "logrotate -f with etc/oomtop-log.logrotate"
else
	ok 1 "logrotate is missing (scripts/install-deps --test installs it)"
	mv "$OUT" "$OUT.1"
	kill -HUP "$REC"
fi
t_sleep 0.3
[ -f "$OUT.1" ] && [ "$(records_of "$OUT.1" "$PD")" = 1 ] && [ -f "$OUT" ] && [ ! -s "$OUT" ]
ok $? "rotated to $(basename "$OUT").1 (delaycompress: not compressed yet); SIGHUP made a new empty file"
oom_kill_one "lrE$$"
ok $? "kill E after the file was rotated"
PE=$KILLED
wait_record "$OUT" "$PE"
ok $? "after SIGHUP, E is in a new file"
is "$(records_of "$OUT.1" "$PE")" 0 "and not in the rotated one"
is "$(grep -c . "$OUT")" 1 "the new file holds only E"
is "$(stat -c %a "$OUT")" 640 "the new file is 0640 too"
kill -0 "$REC" 2>/dev/null
ok $? "the recorder still runs after SIGHUP"
stop_recorder

# a restart after the rotation: the state, not the new file's lines, says what was recorded
"$OOMTOP" log --output "$OUT" --state "$STATE" 2>"$T_TMP/once.err"
is "$?:$(cat "$T_TMP/once.err")" "0:" "without --follow it records what is new, and exits 0"
is "$(grep -c . "$OUT")" 1 "a restart after the rotation records no old kill again"

# without --state, the last line of --output says where it stopped
cp "$OUT.1" "$T_TMP/only.jsonl"
"$OOMTOP" log --output "$T_TMP/only.jsonl" 2>/dev/null
is "$(records_of "$T_TMP/only.jsonl" "$PE")" 1 "--output alone: E, after its last line, is added"
is "$(jq -r '"\(.boot_id) \(.kmsg_seq)"' "$T_TMP/only.jsonl" | sort | uniq -d)" "" "and nothing before it again"
# a line cut short (a full disk) is closed, and the next record starts a line of its own
printf '{"time":"2026-' >>"$T_TMP/only.jsonl"
"$OOMTOP" log --output "$T_TMP/only.jsonl" 2>/dev/null
is "$(grep -cx '{"time":"2026-' "$T_TMP/only.jsonl")" 1 "a cut last line is ended with a newline"
is "$(grep -v '^{"time":"2026-$' "$T_TMP/only.jsonl" | jq -r '"\(.boot_id) \(.kmsg_seq)"' | sort | uniq -d)" "" \
	"and the line before it says where to resume: nothing recorded twice"

# what it refuses
ln -s "$OUT" "$T_TMP/link.jsonl"
"$OOMTOP" log --output "$T_TMP/link.jsonl" 2>"$T_TMP/err"
is "$?" 3 "a symlink as --output: exit 3"
grep -q "symlink" "$T_TMP/err"
ok $? "and says so: $(cat "$T_TMP/err")"
"$OOMTOP" log --output /dev/null 2>"$T_TMP/err"
is "$?" 3 "a device as --output: exit 3 ($(cat "$T_TMP/err"))"
echo "garbage" >"$T_TMP/bad.state"
"$OOMTOP" log --output "$T_TMP/x.jsonl" --state "$T_TMP/bad.state" 2>"$T_TMP/err"
is "$?" 2 "a state file that is not one: exit 2"
grep -q "is not an oomtop state file" "$T_TMP/err"
ok $? "and says so: $(cat "$T_TMP/err")"
"$OOMTOP" log --to-journal >/dev/null 2>&1
is "$?" 2 "--to-journal without --state or --output: exit 2 (a restart would send everything again)"
"$OOMTOP" log --output "$T_TMP/x.jsonl" /dev/null >/dev/null 2>&1
is "$?" 2 "--output with a FILE to read: exit 2 (only /dev/kmsg has sequence numbers)"

# a full disk: the line is not written, the state stays, exit 3; with room again the next start writes it
mkdir "$T_TMP/full"
unshare -m bash -c '
	O=$0 D=$1
	mount --make-rprivate / && mount -t tmpfs -o size=64k none "$D/full" || exit 9
	head -c 65536 /dev/zero >"$D/full/filler" 2>/dev/null
	echo "oomtop-log-state 1 $(cat /proc/sys/kernel/random/boot_id) 0" >"$D/full.state"
	"$O" log --output "$D/full/kills.jsonl" --state "$D/full.state" 2>"$D/full.err"; echo "exit $?"
	cat "$D/full.state"
	stat -c %s "$D/full/kills.jsonl"
	rm "$D/full/filler"
	"$O" log --output "$D/full/kills.jsonl" --state "$D/full.state" 2>>"$D/full.err"; echo "exit $?"
	grep -c . "$D/full/kills.jsonl"
	umount "$D/full"' "$OOMTOP" "$T_TMP" >"$T_TMP/full.out" 2>&1
is "$(sed -n 1,3p "$T_TMP/full.out" | tr '\n' ' ')" "exit 3 oomtop-log-state 1 $BOOT 0 0 " \
	"on a full disk: exit 3, no part of a line, the state where it was ($(head -c 200 "$T_TMP/full.err"))"
[ "$(sed -n 4p "$T_TMP/full.out")" = "exit 0" ] && [ "$(sed -n 5p "$T_TMP/full.out")" -ge 5 ]
ok $? "with room again, the next start writes the kills ($(sed -n 5p "$T_TMP/full.out") lines)"
is "$(grep -c 'stopping before this kill' "$T_TMP/full.err")" 1 "it stopped at the first line it could not write"

# the journal: a kill with a hostile name, through the native protocol
ESC=$(printf '\033')
# 15 bytes at most (TASK_COMM_LEN): H, the pid, newline, X=1, ESC, 0xff
HCOMM=$(printf 'H%s\nX=1%s\377' "$$" "$ESC")
oom_kill_one "$HCOMM"
ok $? "kill H, named H$$, a newline, X=1, ESC and the byte 0xff"
PH=$KILLED
unshare -m bash -c '
	set -e
	O=$0 H=$1 D=$2 P=$3
	mount --make-rprivate /
	mount -t tmpfs none /run
	mkdir -p /run/systemd/journal
	"$H/journalsink" /run/systemd/journal/socket >"$D/journal" & J=$!
	for i in $(seq 1 200); do grep -q ^ready "$D/journal" && break; sleep 0.01; done
	set +e
	"$O" log --to-journal --state "$D/j.state" -c "$P"; echo "exit $?"
	"$O" log --to-journal --state "$D/j.state" -c "$P"; echo "exit $?"
	sleep 0.2
	kill "$J"
	# no journal: syslog, at a private /dev/log
	rm /run/systemd/journal/socket
	mkdir "$D/olddev"
	mount --bind /dev "$D/olddev"
	mount -t tmpfs none /dev
	touch /dev/null /dev/kmsg
	mount --bind "$D/olddev/null" /dev/null
	mount --bind "$D/olddev/kmsg" /dev/kmsg
	"$H/logsink" /dev/log >"$D/syslog" & L=$!
	for i in $(seq 1 200); do grep -q ^ready "$D/syslog" && break; sleep 0.01; done
	"$O" log --to-journal --state "$D/s.state" -c "$P"; echo "exit $?"
	sleep 0.2
	kill "$L"' "$OOMTOP" "$HELPERS" "$T_TMP" "H$$?X=1*" >"$T_TMP/ns.out" 2>&1
ok $? "the recorder ran with a private /run and /dev ($(tr '\n' ' ' <"$T_TMP/ns.out"))"
is "$(grep -c '^exit 0$' "$T_TMP/ns.out")" 3 "each run exited 0"
is "$(grep -c '^record$' "$T_TMP/journal")" 1 "one datagram: the second run sent nothing again"
is "$(grep -c '^end$' "$T_TMP/journal")" 1 "it decodes whole, as journald reads it"
fields=$(sed -n '/^record$/,/^end$/p' "$T_TMP/journal" | sed '1d;$d')
is "$(echo "$fields" | cut -d= -f1 | tr '\n' ' ')" \
	"MESSAGE PRIORITY SYSLOG_IDENTIFIER MESSAGE_ID OOMTOP_VICTIM_PID OOMTOP_VICTIM_COMM OOMTOP_VICTIM_UID OOMTOP_VICTIM_OOM_SCORE_ADJ OOMTOP_VICTIM_RSS_KIB OOMTOP_WORKLOAD OOMTOP_DOMAIN OOMTOP_KMSG_SEQ " \
	"exactly these fields, each once: the name forged none"
field() { echo "$fields" | sed -n "s/^$1=//p"; }
is "$(field OOMTOP_VICTIM_PID)" "$PH" "OOMTOP_VICTIM_PID"
# journalsink prints every byte outside 0x21-0x7e and '\' as \xNN
is "$(field OOMTOP_VICTIM_COMM)" 'H'"$$"'\x5cnX=1\x5cx1b\x5cxff' 'OOMTOP_VICTIM_COMM: the name escaped, one printable line (H'"$$"'\nX=1\x1b\xff)'
is "$(field OOMTOP_DOMAIN)" "$MEMCG_PATH" "OOMTOP_DOMAIN: the test's cgroup"
# the victim's workload: its cgroup, a plain one (kind cgroup), named by its path
is "$(field OOMTOP_WORKLOAD)" "$MEMCG_PATH" "OOMTOP_WORKLOAD: the victim's workload, its cgroup's path"
is "$(field PRIORITY)" 4 "PRIORITY 4 (warning)"
is "$(field SYSLOG_IDENTIFIER)" oomtop "SYSLOG_IDENTIFIER"
is "$(field OOMTOP_KMSG_SEQ)" "$(cat "$T_TMP/j.state" | awk '{ print $4 }')" "OOMTOP_KMSG_SEQ, and the state moved on to it"
field MESSAGE | grep -q "^OOM\\\\x20kill:\\\\x20$PH\\\\x20(H$$\\\\x5cnX=1\\\\x5cx1b\\\\x5cxff)\\\\x20uid\\\\x20$(id -u)"
ok $? "MESSAGE: the summary line ($(field MESSAGE))"
grep -q "oomtop\[[0-9]*\]: OOM kill: $PH (H$$\\\\nX=1\\\\x1b\\\\xff) uid $(id -u)" "$T_TMP/syslog"
ok $? "without a journal, the line goes to syslog: $(grep 'OOM kill' "$T_TMP/syslog")"
grep -q "no journal at /run/systemd/journal/socket" "$T_TMP/ns.out"
ok $? "and says so once"
done_testing
