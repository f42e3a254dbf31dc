# Text someone else chose never reaches a terminal or a parser raw: the
# tokens of a rules file and of the command line in every message, a comm,
# a command line and a cgroup name in the table, in JSON and in the
# Prometheus labels.  ESC, BEL, C1 controls (U+009B is a one-byte CSI),
# U+2028/U+2029 and the bidi controls come out as visible escapes, and a
# backslash is doubled, so that the text \x1b cannot pass for a real ESC.
. "$(dirname "$0")/lib.sh"

export LC_ALL=C.UTF-8 # the escapes of a UTF-8 terminal (C1 as \u009b, not \xc2\x9b)
N=oomtop-hx-$$
ESC=$'\e' BEL=$'\a'
C1=$'\xc2\x9b'    # U+009B, CSI as one character
LSEP=$'\xe2\x80\xa8' # U+2028
RLO=$'\xe2\x80\xae'  # U+202E, right-to-left override
PDI=$'\xe2\x81\xa9'  # U+2069, pop directional isolate

# Succeeds when file $1 holds only printable ASCII lines: no ESC, BEL, C1 or other raw byte.
only_ascii() { ! LC_ALL=C grep -q '[^ -~]' "$1"; }
# Succeeds when file $1 holds none of the raw sequences this test plants (any encoding of them).
no_raw() {
	! LC_ALL=C grep -qF -e "$ESC" -e "$BEL" -e "$C1" -e "$LSEP" -e "$RLO" -e "$PDI" -e $'\x9b' "$1"
}

# --- item: messages (msg.c escapes every argument of every message) ---

printf '\033]0;PWNED\007\033[2J500 -x a\n' >"$T_TMP/esc.conf"
# apply only parses here (the file is refused as a whole), but in a PID namespace of its own all the same
unshare --pid --fork --mount-proc "$OOMTOP" apply -n "$T_TMP/esc.conf" >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 2 "apply -n of a rules file with ESC and BEL in a token: a usage error"
only_ascii "$T_TMP/err"
ok $? "no raw byte on stderr ($(od -An -c "$T_TMP/err" | tr -s ' \n' ' ' | cut -c1-160))"
grep -qF "'\\x1b]0;PWNED\\x07\\x1b[2J500' is not a number" "$T_TMP/err"
ok $? "the token is shown escaped: $(head -n 1 "$T_TMP/err")"
is "$(wc -l <"$T_TMP/err")" 2 "two lines: the bad line and 'bad rules, nothing was written'"

check_msg() { # DESCRIPTION EXPECTED-SUBSTRING ARG...
	local desc=$1 want=$2
	shift 2
	"$OOMTOP" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
	local st=$?
	[ "$st" -ne 0 ]
	ok $? "$desc: fails (exit $st)"
	only_ascii "$T_TMP/err" && no_raw "$T_TMP/err"
	ok $? "$desc: no raw control byte on stderr"
	grep -qF -- "$want" "$T_TMP/err"
	ok $? "$desc: shown as $want ($(head -n 1 "$T_TMP/err"))"
}
check_msg "an unknown command" "unknown command '\\x1b]0;PWNED\\x07'" "${ESC}]0;PWNED${BEL}"
check_msg "a C1 CSI as a command" "unknown command '\\u009b2J'" "${C1}2J"
check_msg "a lone 0x9b byte" "unknown command '\\x9b2J'" $'\x9b2J'
check_msg "an option's value" "\\x1b[2J" top -b -d "${ESC}[2J"
check_msg "an unknown option" "\\x1b[2J" top "--${ESC}[2J"
check_msg "explain's PID" "\\u202e" explain "1${RLO}2"
check_msg "a bidi isolate and a line separator" "\\u2028\\u2069" explain "9${LSEP}${PDI}"
check_msg "a backslash is doubled" "'a\\\\x1b'" 'a\x1b'

# --- item: tables, JSON and Prometheus labels ---

# a process whose comm and command line carry the hostile characters
COMM="h${ESC}]0;X${BEL}${C1}"
spawn_hog --anon 4 --adj 1000 --name "$COMM" -- "a${ESC}[2J" "${C1}b" "c${LSEP}d" "e${RLO}f${PDI}" 'lit\x1b' || exit 1
P=$HOG
grep -qF "$C1" "/proc/$P/cmdline" && grep -qF "$ESC" "/proc/$P/comm"
ok $? "the kernel holds the raw bytes in its comm and cmdline"

"$OOMTOP" top -b -w -p "$P" --no-header >"$T_TMP/top" 2>&1
ok $? "top -p $P"
only_ascii "$T_TMP/top" && no_raw "$T_TMP/top"
ok $? "the table has no raw control character"
grep -qF 'a\x1b[2J \u009bb c\u2028d e\u202ef\u2069 lit\\x1b' "$T_TMP/top"
ok $? "the command line escaped, its literal \\x1b as \\\\x1b: $(cut -c 60- "$T_TMP/top")"

"$OOMTOP" explain "$P" >"$T_TMP/explain" 2>&1
ok $? "explain $P"
no_raw "$T_TMP/explain"
ok $? "explain's text has no raw control character"
grep -qF 'h\x1b]0;X\x07\u009b' "$T_TMP/explain"
ok $? "explain shows the comm escaped"

"$OOMTOP" top --json -a -p "$P" >"$T_TMP/top.json" 2>&1
ok $? "top --json -p $P"
no_raw "$T_TMP/top.json"
ok $? "the JSON has no raw ESC, BEL, C1, U+2028 or bidi control"
grep -qF '\u009bb c\u2028d e\u202ef\u2069' "$T_TMP/top.json"
ok $? "they are \\u escapes: $(grep -o '"cmdline":"[^,]*' "$T_TMP/top.json")"
want=$(tr '\0' ' ' <"/proc/$P/cmdline" | sed 's/ $//')
is "$(jq -r '.[0].cmdline' "$T_TMP/top.json")" "$want" "and a JSON parser reads back the kernel's bytes"
is "$(jq -r '.[0].comm' "$T_TMP/top.json")" "$COMM" "the comm too"
"$OOMTOP" explain --json "$P" >"$T_TMP/explain.json" 2>&1
no_raw "$T_TMP/explain.json" && jq -e . "$T_TMP/explain.json" >/dev/null
ok $? "explain --json: valid, no raw control character"

# a memory cgroup whose name carries ESC and BEL, listed by status as a limited cgroup
memcg_create "$N${ESC}]0;P${BEL}" 64 || exit 1
"$OOMTOP" status --format=prometheus >"$T_TMP/out.prom" 2>"$T_TMP/err"
ok $? "status --format=prometheus"
no_raw "$T_TMP/out.prom"
ok $? "no raw control character in the exposition"
promtool check metrics <"$T_TMP/out.prom" >"$T_TMP/promtool.out" 2>&1
ok $? "promtool check metrics accepts it: $(tr '\n' ' ' <"$T_TMP/promtool.out")"
grep -qF "oomtop_cgroup_oom_kills_total{cgroup=\"/$N\\\\x1b]0;P\\\\x07\"}" "$T_TMP/out.prom"
ok $? "the cgroup label reads \\\\x1b and \\\\x07: $(grep -a "$N" "$T_TMP/out.prom")"
# the next victim is our adj 1000 process unless another one with adj 1000 is bigger
if grep -qx "oomtop_next_victim_pid $P" "$T_TMP/out.prom"; then
	sed 's/,workload_kind="[^"]*",workload="[^"]*"//' "$T_TMP/out.prom" |
		grep -qxF "oomtop_next_victim_info{comm=\"h\\\\x1b]0;X\\\\x07\\\\u009b\"} 1"
	ok $? "the victim's comm label: $(grep '^oomtop_next_victim' "$T_TMP/out.prom")"
else
	diag "another process is the next victim: $(grep '^oomtop_next_victim' "$T_TMP/out.prom")"
fi
"$OOMTOP" status --json >"$T_TMP/status.json" 2>&1
no_raw "$T_TMP/status.json" && jq -e . "$T_TMP/status.json" >/dev/null
ok $? "status --json: valid, no raw control character"
is "$(jq -r --arg n "/$N${ESC}]0;P${BEL}" '.cgroup_oom_kills | map(select(.cgroup == $n)) | length' "$T_TMP/status.json")" 1 \
	"status --json names the cgroup with its real bytes"
"$OOMTOP" status >"$T_TMP/status.txt" 2>&1
no_raw "$T_TMP/status.txt"
ok $? "status's text has no raw control character"

done_testing
