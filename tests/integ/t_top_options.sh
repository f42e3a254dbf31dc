# Options of `oomtop top`, its table, bad input and exit statuses.
. "$(dirname "$0")/lib.sh"

spawn_hog --anon 10 --adj 300 --name big; A=$HOG
spawn_hog --anon 2 --adj 300 --name small; B=$HOG
spawn_hog --anon 4 --adj 300 --user nobody --name nob; N=$HOG

# table layout
out=$("$OOMTOP" top -p "$A,$B")
ok $? "top -p exits 0"
is "$(echo "$out" | sed -n 1p | cut -c1-19)" "OOM domain: global," "first line names the domain"
is "$(echo "$out" | sed -n 2p)" "    PID USER     SCORE   ADJ   BADNESS    RSS   SWAP  MEM% WORKLOAD             COMMAND" \
	"second line is the column header (WORKLOAD: not cut to a terminal)"
is "$("$OOMTOP" top -o noworkload -p "$A" | sed -n 2p)" "    PID USER     SCORE   ADJ   BADNESS    RSS   SWAP  MEM% COMMAND" \
	"-o noworkload: the header without it"
is "$(echo "$out" | sed -n 3p | awk '{print $1, $2, $4}')" "$A root 300" "rows: PID USER ... ADJ"
is "$(echo "$out" | wc -l)" 4 "two header lines and two rows"
is "$("$OOMTOP" top --no-header -p "$A,$B" | wc -l)" 2 "--no-header drops both header lines"
is "$("$OOMTOP" -p "$A,$B" --no-header | awk '{print $1}' | tr '\n' ,)" "$A,$B," "no command means top"

# -n, -s, -r, -u, --all
is "$("$OOMTOP" top -n 3 --no-header | wc -l)" 3 "-n 3 prints three rows"
is "$("$OOMTOP" top -n 0 --json -p "$A,$B,$N" | jq length)" 3 "-n 0 is all rows"
is "$("$OOMTOP" top -n 2 --json -p "$A,$B,$N" | jq -r '[.[].pid] | join(",")')" "$A,$N" "-n 2 keeps the first two of the ranking"
is "$("$OOMTOP" top -s pid --json | jq '[.[].pid] == ([.[].pid] | sort)')" true "-s pid sorts by pid ascending"
is "$("$OOMTOP" top -s pid -r --json | jq '[.[].pid] == ([.[].pid] | sort | reverse)')" true "-r reverses"
is "$("$OOMTOP" top -s rss --json -p "$A,$B,$N" | jq '[.[].rss_kib] == ([.[].rss_kib] | sort | reverse)')" true "-s rss sorts by rss, largest first"
is "$("$OOMTOP" top -s adj --json | jq '[.[].oom_score_adj] == ([.[].oom_score_adj] | sort | reverse)')" true "-s adj"
is "$("$OOMTOP" top -s score --json | jq '[.[].oom_score] == ([.[].oom_score] | sort | reverse)')" true "-s score"
is "$("$OOMTOP" top -s swap --json | jq '[.[].swap_kib] == ([.[].swap_kib] | sort | reverse)')" true "-s swap"
is "$("$OOMTOP" top -s comm --json | jq '[.[].comm] == ([.[].comm] | sort)')" true "-s comm sorts by name"
is "$("$OOMTOP" top -s user --json | jq '[.[].user] == ([.[].user] | sort)')" true "-s user sorts by user name"
is "$("$OOMTOP" top -s badness --json | jq '[.[].badness] == ([.[].badness] | sort | reverse)')" true "-s badness (the default)"
nob=$("$OOMTOP" top -u nobody --json)
is "$(echo "$nob" | jq -r '[.[].user] | unique | join(",")')" nobody "-u nobody shows only nobody's processes"
is "$(echo "$nob" | jq --argjson n "$N" --argjson a "$A" '[.[].pid] | (index($n) != null) and (index($a) == null)')" true \
	"-u nobody shows the test's nobody process and not root's"
is "$("$OOMTOP" top -u "$(id -u nobody)" --json | jq -r '.[0].user')" nobody "-u takes a numeric uid"
is "$("$OOMTOP" top --json | jq '[.[] | select(.killable | not)] | length')" 0 "without --all only killable processes"
all=$("$OOMTOP" top --all --json)
is "$(echo "$all" | jq '[.[] | select(.kthread)] | length > 0')" true "--all lists kernel threads"
is "$(echo "$all" | jq '[.[] | select(.killable | not) | select(.badness != null)] | length')" 0 "unkillable rows have no badness"
is "$(echo "$all" | jq '[.[] | .killable] | . == (. | sort | reverse)')" true "--all puts the unkillable last"
"$OOMTOP" top --all | grep -q '^ *2 root *0 *0 *- .*\[kthreadd\]$'
ok $? "a kernel thread shows as [name] with '-' for badness"

# hostile command lines: one process is one line, JSON stays valid UTF-8
long=$(head -c 102400 /dev/zero | tr '\0' x)
spawn_hog --anon 1 --name 'evil' -- "$(printf 'a\nb\033[2Jc\377\376d\tend')" "$long"; E=$HOG
is "$("$OOMTOP" top --no-header -w -p "$E" | wc -l)" 1 "a cmdline with newline and escapes is one line"
"$OOMTOP" top --no-header -w -p "$E" | grep -qF 'a\nb\x1b[2Jc\xff\xfed\tend'
ok $? "control bytes and invalid UTF-8 are escaped in the table"
cmd=$("$OOMTOP" top --json -p "$E" | jq -r '.[0].cmdline')
ok $? "the JSON of a hostile cmdline parses"
case "$cmd" in *"$(printf 'a\nb\033[2Jc\357\277\275\357\277\275d\tend') $long") ok_cmd=0 ;; *) ok_cmd=1 ;; esac
[ "$ok_cmd" = 0 ]
ok $? "JSON keeps the bytes, with U+FFFD for each invalid one, and the whole 100 KiB argument"

# width: cut on a terminal (simulated by COLUMNS of a pty is not needed: -w is the default off a tty)
is "$("$OOMTOP" top --no-header -p "$E" | wc -c)" "$("$OOMTOP" top --no-header -w -p "$E" | wc -c)" "off a terminal lines are not cut"
if command -v script >/dev/null; then
	w=$(script -qc "stty cols 80; $OOMTOP top -b --no-header -p $E" /dev/null | tr -d '\r' | awk '{print length($0)}' | head -1)
	is "$w" 80 "on an 80-column terminal the line is cut to 80"
fi

# bad input: one line, the option named, exit 2
for args in "-n x" "-n -1" "-s nope" "-u no_such_user_x" "-p 0" "-p abc" "-p 1,,2" "--bogus" "extra"; do
	"$OOMTOP" top $args >"$T_TMP/out" 2>"$T_TMP/err"
	is "$?" 2 "top $args exits 2"
	is "$(head -1 "$T_TMP/err" | cut -c1-12)" "oomtop: top:" "top $args: message names program and command"
	is "$(wc -l <"$T_TMP/out")" 0 "top $args prints nothing on stdout"
done
"$OOMTOP" top -s nope 2>&1 | grep -q "badness, score, adj, rss, swap, pid, comm, user"
ok $? "an unknown sort key lists the keys"
kill_hog "$B"
"$OOMTOP" top -p "$A,$B" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 1 "a pid that does not exist: exit 1"
is "$(cat "$T_TMP/err")" "oomtop: top: no process $B" "and says which"
is "$(tail -n +3 "$T_TMP/out" | awk '{print $1}')" "$A" "the others still show"

# the system cannot be read: exit 3
# (the sanitizers' runtime reads /proc itself, even its options: release lane only)
if [ "$T_LANE" = release ]; then
	unshare -m sh -c "umount -l /proc && '$OOMTOP' top" >"$T_TMP/out" 2>"$T_TMP/err"
	is "$?" 3 "no /proc: exit 3"
	grep -q "oomtop: top: cannot read" "$T_TMP/err"
	ok $? "no /proc: one clear line ($(head -1 "$T_TMP/err"))"
fi
"$OOMTOP" top >/dev/full 2>"$T_TMP/err"
is "$?" 3 "a full disk on stdout: exit 3"
grep -q "write error" "$T_TMP/err"
ok $? "a full disk on stdout is reported"

# hidepid: what cannot be read is shown as unknown and said once
unshare -m sh -c "mount -t proc -o hidepid=1 proc /proc && exec setpriv --reuid=nobody --regid=nogroup --clear-groups '$OOMTOP' top --json" \
	>"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 0 "hidepid=1 as nobody: exit 0"
is "$(grep -c . "$T_TMP/err")" 1 "one line tells what is hidden"
grep -q "could not be read (.*hidepid" "$T_TMP/err"
ok $? "it says why ($(cat "$T_TMP/err"))"
is "$(jq "[.[] | select(.pid == $N)] | length" "$T_TMP/out")" 1 "nobody's own process is listed"
is "$(jq -c "[.[] | select(.pid == $A)][0] | [.comm, .badness, .killable]" "$T_TMP/out")" "[null,null,null]" \
	"root's processes still show, with unknown fields"
is "$(jq '[.[] | .killable != null] | . == (. | sort | reverse)' "$T_TMP/out")" true "the unreadable rows come last"
unshare -m sh -c "mount -t proc -o hidepid=1 proc /proc && exec setpriv --reuid=nobody --regid=nogroup --clear-groups '$OOMTOP' top --all -p $A" \
	>"$T_TMP/out" 2>/dev/null
is "$(tail -1 "$T_TMP/out" | awk '{print $1, $2, $3}')" "$A ? ?" "--all shows the hidden row with '?' fields"
# -d takes plain decimal seconds only: no hex float, exponent, sign, inf or nan that strtod() would take
for d in 0x1p-3 1e-1 inf nan -1 +2 " 2" 0.1234 2. 0.05 86401; do
	"$OOMTOP" top -b -n 1 -i 1 -d "$d" >/dev/null 2>"$T_TMP/err"
	is "$?" 2 "-d '$d' is a usage error ($(head -n 1 "$T_TMP/err"))"
done
"$OOMTOP" top -b -n 1 -i 2 -d 0.125 >/dev/null 2>"$T_TMP/err"
is "$?" 0 "-d 0.125 is fine"
done_testing
