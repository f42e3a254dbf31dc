# `oomtop apply`: a rules file on processes the test started; idempotent
# and quiet for cron; the whole file checked before anything is written.
# A writer test: it runs in a PID namespace of its own, where /proc shows
# only the processes it started, so no pattern can reach anyone else's.
[ -n "${T_PIDNS:-}" ] || T_PIDNS=1 exec unshare --pid --fork --mount-proc bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

N="ap$$"
R="$T_TMP/oomtop.conf"

spawn_hog --adj 500 --name "${N}db"; DB=$HOG
spawn_hog --adj 500 --name "${N}web" -- "worker$$"; WEB=$HOG
spawn_hog --adj 0 --name "${N}batch"; BATCH=$HOG
spawn_hog --adj 500 --user nobody --name "${N}db"; SPOOF=$HOG

cat >"$R" <<EOF
# rules of the test, with every kind of line
100 -x ${N}db          # the database
   200 -f 'worker$$\$'
800 --legacy -x "${N}batch"   # oom_adj 8 is oom_score_adj 470

# the first rule that matches a process decides: this one never applies to ${N}db
300 -x ${N}db
EOF

out=$("$OOMTOP" apply "$R" 2>"$T_TMP/err")
is "$?" 2 "oom_adj 800 is out of the legacy range: exit 2"
is "$(cat "$T_TMP/err")" "$R:4: oom_adj 800 is out of range (-17..15)
oomtop: apply: $R: bad rules, nothing was written" "FILE:LINE: message, then that nothing was written"
is "$out" "" "nothing on stdout"
is "$(adj_of "$DB") $(adj_of "$WEB") $(adj_of "$BATCH")" "500 500 0" "nothing was written, not even the good lines"
sed -i 's/^800 --legacy/8 --legacy/' "$R"

out=$("$OOMTOP" apply "$R" 2>"$T_TMP/err")
ok $? "apply exits 0"
is "$out" "$DB (${N}db): oom_score_adj 500 -> 100
$WEB (${N}web): oom_score_adj 500 -> 200
$BATCH (${N}batch): oom_adj 0 -> 7 (oom_score_adj 0 -> 470; oom_adj 8 is stored as 470, which reads back as 7)
$R: 4 rules, 4 processes matched: 3 changed, 0 unchanged, 0 failed, 1 skipped; 1 rule matched nothing" \
	"one line per change in rule order, and the summary"
is "$(cat "$T_TMP/err")" "oomtop: apply: $SPOOF (${N}db): not lowered from 500 to 100: it belongs to uid $(id -u nobody) (nobody), and a process's name is chosen by whoever starts it; add -u nobody to include that user's processes" \
	"another user's process named like the target is skipped, with the way to include it"
is "$(adj_of "$DB") $(adj_of "$WEB") $(adj_of "$BATCH") $(adj_of "$SPOOF")" "100 200 470 500" "the kernel has the values"

# idempotent: nothing written the second time, silent with -q
out=$("$OOMTOP" apply "$R" 2>/dev/null)
ok $? "again: exit 0"
is "$(echo "$out" | tail -1)" "$R: 4 rules, 4 processes matched: 0 changed, 3 unchanged, 0 failed, 1 skipped; 1 rule matched nothing" \
	"again: all unchanged (the later rule for ${N}db did not flip it)"
is "$(adj_of "$DB")" 100 "the first matching rule keeps deciding"
out=$("$OOMTOP" apply -q "$R" 2>&1)
ok $? "-q: exit 0"
is "$out" "" "-q: nothing at all when nothing changed"
echo 600 >"/proc/$WEB/oom_score_adj" # someone changes it back
is "$("$OOMTOP" apply -q "$R" 2>&1)" "$WEB (${N}web): oom_score_adj 600 -> 200
$R: 4 rules, 4 processes matched: 1 changed, 2 unchanged, 0 failed, 1 skipped; 1 rule matched nothing" \
	"-q: a change prints its line and the summary"

# dry run
echo 600 >"/proc/$WEB/oom_score_adj"
out=$("$OOMTOP" apply -n "$R" 2>/dev/null)
ok $? "-n: exit 0"
is "$(echo "$out" | grep "^$WEB ")" "$WEB (${N}web): oom_score_adj 600 -> 200 (dry run, not written)" "-n says what would change"
is "$(echo "$out" | tail -1)" "$R: 4 rules, 4 processes matched: 1 would change, 2 unchanged, 0 failed, 1 skipped; 1 rule matched nothing" \
	"-n: the summary says would change"
is "$(adj_of "$WEB")" 600 "-n wrote nothing"
"$OOMTOP" apply -q "$R" >/dev/null 2>&1

# a rule that matches too many processes is refused; the others still apply
spawn_hog --adj 500 --name "${N}many"; M1=$HOG
spawn_hog --adj 500 --name "${N}many"; M2=$HOG
printf '300 --max 1 -x %s\n400 -x %s\n' "${N}many" "${N}batch" >"$T_TMP/max.conf"
out=$("$OOMTOP" apply "$T_TMP/max.conf" 2>"$T_TMP/err")
is "$?" 3 "a refused rule: exit 3"
is "$(cat "$T_TMP/err")" "oomtop: apply: $T_TMP/max.conf:1: the pattern matches 2 processes, more than --max 1: refused, nothing written (narrow it down with -x, -u or --exe, or raise --max)" \
	"FILE:LINE of the refused rule, and why"
is "$(adj_of "$M1") $(adj_of "$M2") $(adj_of "$BATCH")" "500 500 400" "the refused rule wrote nothing, the other applied"
is "$(echo "$out" | tail -1)" "$T_TMP/max.conf: 2 rules, 3 processes matched: 1 changed, 0 unchanged, 0 failed, 0 skipped; 1 rule refused" \
	"the summary counts the refused rule"

# a write the kernel refuses: exit 3, explained
printf '%s\n' "-5 --max 2 -x ${N}many" >"$T_TMP/neg.conf"
"$OOMTOP" apply "$T_TMP/neg.conf" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 3 "a refused write: exit 3"
is "$(grep -c "cannot lower oom_score_adj from 500 to -5: that is below the process's oom_score_adj_min" "$T_TMP/err")" 2 \
	"each failure is explained"
is "$(tail -1 "$T_TMP/out")" "$T_TMP/neg.conf: 1 rule, 2 processes matched: 0 changed, 0 unchanged, 2 failed, 0 skipped" \
	"the summary counts the failures"

# every bad line is reported, with its number, and nothing is written
cat >"$T_TMP/bad.conf" <<EOF
50 -x ${N}db
abc ${N}db
-1001 ${N}db
50 -z ${N}db
50 '${N}db
50 -x '${N}db('
50 -u no_such_user_x ${N}db
50 --exe relative ${N}db
50
-x ${N}db
50 --max 0 ${N}db
50 ${N}db -x
EOF
printf '50 a\0b\n' >>"$T_TMP/bad.conf"
"$OOMTOP" apply "$T_TMP/bad.conf" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 2 "a bad file: exit 2"
is "$(cut -d: -f2 "$T_TMP/err" | head -12 | tr '\n' ' ')" "2 3 4 5 6 7 8 9 10 11 12 13 " "every bad line, in order, by number"
is "$(head -1 "$T_TMP/err")" "$T_TMP/bad.conf:2: 'abc' is not a number (an oom_score_adj, -1000..1000)" "FILE:LINE: message"
grep -q "^$T_TMP/bad.conf:7: -u: no such user 'no_such_user_x' (a user name or a numeric uid)$" "$T_TMP/err"
ok $? "an unknown user is a bad line too"
grep -q "^$T_TMP/bad.conf:13: the line holds a NUL byte$" "$T_TMP/err"
ok $? "a NUL byte is a bad line"
is "$(tail -1 "$T_TMP/err")" "oomtop: apply: $T_TMP/bad.conf: bad rules, nothing was written" "nothing was written"
is "$(wc -c <"$T_TMP/out")" 0 "nothing on stdout"
is "$(adj_of "$DB")" 100 "the good first line was not applied either"

# files that cannot be used
"$OOMTOP" apply "$T_TMP/none.conf" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 2 "a missing file: exit 2"
is "$(cat "$T_TMP/err")" "oomtop: apply: cannot read $T_TMP/none.conf: No such file or directory" "and says so"
"$OOMTOP" apply "$T_TMP" >/dev/null 2>"$T_TMP/err"
is "$?" 2 "a directory: exit 2"
is "$(cat "$T_TMP/err")" "oomtop: apply: $T_TMP is not a regular file" "and says so"
mkfifo "$T_TMP/fifo.conf"
timeout 10 "$OOMTOP" apply -n "$T_TMP/fifo.conf" >/dev/null 2>"$T_TMP/err"
is "$?" 2 "a FIFO nobody writes to: exit 2 at once (not a hang in open)"
is "$(cat "$T_TMP/err")" "oomtop: apply: $T_TMP/fifo.conf is not a regular file" "and says so"
# the limit is 1 MiB: a file of exactly 1048576 bytes is read, one byte more is not
{ printf '100 -x %s\n' "${N}db"; head -c 1048576 /dev/zero | tr '\0' '#'; } >"$T_TMP/big.conf"
truncate -s 1048575 "$T_TMP/big.conf" && echo >>"$T_TMP/big.conf"
is "$(stat -c %s "$T_TMP/big.conf")" 1048576 "a rules file of 1048576 bytes"
"$OOMTOP" apply -n "$T_TMP/big.conf" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 0 "a rules file of exactly 1048576 bytes is read ($(head -c 200 "$T_TMP/err"))"
printf '#' >>"$T_TMP/big.conf"
"$OOMTOP" apply -n "$T_TMP/big.conf" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 2 "1048577 bytes: exit 2"
is "$(cat "$T_TMP/err")" "oomtop: apply: $T_TMP/big.conf: larger than 1048576 bytes, not a rules file" "and says so"
cp "$R" "$T_TMP/open.conf"
chmod 664 "$T_TMP/open.conf"
"$OOMTOP" apply "$T_TMP/open.conf" >/dev/null 2>"$T_TMP/err"
is "$?" 2 "as root, a group-writable rules file: exit 2"
is "$(cat "$T_TMP/err")" "oomtop: apply: $T_TMP/open.conf: owned by uid 0 with mode 0664: run as root, the rules file must belong to root and be writable by no one else (chown root $T_TMP/open.conf; chmod go-w $T_TMP/open.conf)" \
	"whoever could write it would decide what the OOM killer spares"
chmod 644 "$T_TMP/open.conf"
chown nobody "$T_TMP/open.conf"
"$OOMTOP" apply "$T_TMP/open.conf" >/dev/null 2>&1
is "$?" 2 "as root, a rules file of another user: exit 2"
chmod 755 "$T_TMP"
chown root "$T_TMP/open.conf"
chmod 600 "$T_TMP/open.conf"
setpriv --reuid nobody --regid nogroup --clear-groups "$OOMTOP" apply "$T_TMP/open.conf" >/dev/null 2>"$T_TMP/err"
is "$?" 2 "an unreadable file: exit 2"
is "$(cat "$T_TMP/err")" "oomtop: apply: cannot read $T_TMP/open.conf: Permission denied" "and says so"
chmod 700 "$T_TMP"
if [ ! -e /etc/oomtop.conf ]; then
	"$OOMTOP" apply -n >/dev/null 2>"$T_TMP/err"
	is "$(cat "$T_TMP/err")" "oomtop: apply: cannot read /etc/oomtop.conf: No such file or directory" "the default file is /etc/oomtop.conf"
fi
for args in "--bogus" "a b" "-x"; do
	"$OOMTOP" apply $args >"$T_TMP/out" 2>"$T_TMP/err"
	is "$?" 2 "apply $args: exit 2"
	is "$(head -1 "$T_TMP/err" | cut -c1-14)" "oomtop: apply:" "apply $args: names program and command"
done
is "$(adj_of "$DB") $(adj_of "$WEB") $(adj_of "$BATCH") $(adj_of "$SPOOF") $(adj_of "$M1")" "100 200 400 500 500" \
	"no bad file changed any value"

# the shipped example is valid
"$OOMTOP" apply -n "$(dirname "$0")/../../etc/oomtop.conf.example" >"$T_TMP/out" 2>"$T_TMP/err"
ok $? "etc/oomtop.conf.example is a valid rules file ($(tail -1 "$T_TMP/out"))"

# the cron line and the systemd service run a valid command line
top=$(dirname "$0")/../..
for f in "$top/scripts/oomtop-apply.cron" "$top/scripts/oomtop-apply.service"; do
	args=$(sed -n 's|^[^#].*/usr/local/bin/oomtop \(apply .*\)$|\1|p' "$f")
	is "$args" "apply -q /etc/oomtop.conf" "$(basename "$f") runs oomtop apply -q /etc/oomtop.conf"
	set -- ${args%/etc/oomtop.conf}
	"$OOMTOP" "$@" -n "$top/etc/oomtop.conf.example" >/dev/null 2>&1
	ok $? "$(basename "$f"): its options are valid"
done
grep -q '^ExecStart=/usr/local/bin/oomtop apply' "$top/scripts/oomtop-apply.service" &&
	grep -q '^OnUnitActiveSec=5min' "$top/scripts/oomtop-apply.timer" &&
	grep -q '^\*/5 \* \* \* \* root ' "$top/scripts/oomtop-apply.cron"
ok $? "every five minutes, by cron or by the timer"

done_testing
