# Bash completion (completion/oomtop.bash): sourced in this bash, its function
# called with COMP_WORDS and COMP_CWORD as bash sets them, COMPREPLY checked
# against the binary's --help, include/rank.h, and processes, users, files
# and a cgroup of the test.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/completion/oomtop.bash"
complete -p oomtop 2>/dev/null | grep -q -- '-F _oomtop oomtop$'
ok $? "the script registers _oomtop for oomtop"

# Completes the words "$@" (the last is the word being completed); prints
# COMPREPLY, one per line, sorted.
comp() {
	COMP_WORDS=("$OOMTOP" "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_oomtop
	printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort
}
# Tells whether the completion of "$@" offers the word in $WANT.
offers() { comp "$@" | grep -qxF -- "$WANT"; }

cmds="top explain status set protect run apply watch log"
is "$(comp "" | tr '\n' ' ')" "$(printf '%s\n' $cmds | sort | tr '\n' ' ')" "the first word: the commands"
is "$(comp pro)" "protect" "a command's start"
WANT=--rows= offers -
ok $? "options at the first word are top's (oomtop -n 5 is oomtop top -n 5)"
WANT=--version offers --v
ok $? "and --version"

# every option of every command's --help is offered, the long ones with '='
# when they take a value, and nothing else
for c in $cmds; do
	want=$("$OOMTOP" "$c" --help | sed -n '/^Help options:/q; p' |
		grep -oE -- '^ {2,6}(-[a-zA-Z], )?--[a-z-]+=?' | sed -E 's/^ +//; s/, / /' | tr ' ' '\n')
	want=$(printf '%s\n' $want --help | sed -E 's/^(-[a-zA-Z])$/\1/' | sort)
	is "$(comp "$c" - | tr '\n' ' ')" "$(echo "$want" | tr '\n' ' ')" "$c: the options of its --help"
done
is "$(comp top --so)" "--sort=" "a long option's start"
is "$(comp set --d)" "--dry-run" "an option without a value has no '='"

# sort keys: those of include/rank.h
keys=$(sed -n 's/^#define RANK_KEY_NAMES "\(.*\)"/\1/p' "$ROOT/include/rank.h" | tr -d ',' | tr ' ' '\n' | sort)
[ -n "$keys" ]
ok $? "RANK_KEY_NAMES read from include/rank.h"
is "$(comp top -s "")" "$keys" "-s: the sort keys"
is "$(comp top --sort = "")" "$keys" "--sort=: the sort keys (bash splits at '=')"
is "$(comp top --sort = r)" "$(printf '%s\n' $keys | grep '^r')" "--sort=r"
is "$(comp top --sort=sw)" "--sort=swap" "--sort=sw where '=' does not split words"
is "$(comp -s ba)" "badness" "-s without the command"

# users, PIDs
WANT=root offers top -u ro
ok $? "-u: user names"
WANT=root,nobody offers protect -u root,nob
ok $? "protect -u: the last user of a list"
spawn_hog --name "comp$$" --anon 1
WANT=$HOG offers top -p "${HOG:0:2}"
ok $? "-p: the PID of a process of the test"
WANT=1,$HOG offers top --pid = "1,${HOG:0:2}"
ok $? "--pid=: the last PID of a list"
WANT=$HOG offers explain "${HOG:0:2}"
ok $? "explain: PIDs"
WANT=$HOG offers set -500 "${HOG:0:2}"
ok $? "set: PIDs after a negative ADJ"
is "$(comp set "")" "" "set: nothing for ADJ"
is "$(comp explain "$HOG" "")" "" "explain: one PID"
WANT=comp$$ offers protect "comp$$"
ok $? "protect: process names"
kill_hog "$HOG"

# files for log, apply and --exe; commands for run
touch "$T_TMP/kern.log" "$T_TMP/rules.conf"
is "$(comp log "$T_TMP/ker")" "$T_TMP/kern.log" "log: a file"
is "$(comp apply -q "$T_TMP/rul")" "$T_TMP/rules.conf" "apply: a file"
is "$(comp protect --exe "$T_TMP/ker")" "$T_TMP/kern.log" "--exe: a file"
WANT=bash offers run --adj 300 bas
ok $? "run: a command"
WANT="$T_TMP/kern.log" offers run --adj 300 cat "$T_TMP/ker"
ok $? "run: files after the command"
is "$(comp run cat --)" "" "run: no oomtop options after the command"
is "$(comp log --since = yes)" "yesterday" "--since: words"

# --cgroup: a memory cgroup of the test, as /proc/PID/cgroup shows it
if memcg_create "comp$$" max 2>/dev/null; then
	is "$(comp top --cgroup "${MEMCG_PATH%"comp$$"}comp$$")" "$MEMCG_PATH" "--cgroup: a memory cgroup ($MEMCG_PATH)"
	is "$(comp top --cgroup "$MEMCG")" "$MEMCG" "--cgroup: its directory"
else
	diag "no memory cgroup could be created: --cgroup not checked"
fi

done_testing
