# Fish completion (completion/oomtop.fish): fish itself completes command
# lines (complete -C, as at a prompt's Tab) with the script first in its
# fish_complete_path; the candidates are checked as t_completion.sh checks
# bash's: against the binary's --help, include/rank.h, and processes, users,
# files and a cgroup of the test.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v fish >/dev/null; then
	ok 1 "fish is missing (scripts/install-deps --test installs it)"
	done_testing
fi
# fish finds a command's completion by its name: the binary under test is
# `oomtop` first in PATH (whatever its own name: the Valgrind lane's wrapper)
mkdir "$T_TMP/bin" && ln -s "$OOMTOP" "$T_TMP/bin/oomtop"

# Completes the line "oomtop $*" (the last word, maybe "", is the one being
# completed); prints the candidates (without their descriptions), sorted.
comp() {
	comp_desc "$@" | sed 's/\t.*//' | sort
}
# The same with the descriptions, as fish prints them (candidate TAB summary).
comp_desc() {
	local line="oomtop $*"
	PATH="$T_TMP/bin:$PATH" HOME=$T_TMP fish --no-config -c \
		'set -p fish_complete_path $argv[1]; complete -C -- $argv[2]' "$ROOT/completion" "$line"
}
# Tells whether the completion of "$@" offers the word in $WANT.
offers() { comp "$@" | grep -qxF -- "$WANT"; }

out=$(PATH="$T_TMP/bin:$PATH" HOME=$T_TMP fish --no-config -c \
	'set -p fish_complete_path $argv[1]; complete -C "oomtop " >/dev/null; complete -c oomtop' \
	"$ROOT/completion" 2>&1)
is "$out" "complete --no-files oomtop -a '(__oomtop_complete)'" \
	"fish loads the script for oomtop from its completion path: one dynamic rule, no file names by default"

cmds="top explain status set protect run apply watch log"
is "$(comp "" | tr '\n' ' ')" "$(printf '%s\n' $cmds | sort | tr '\n' ' ')" "the first word: the commands"
is "$(comp_desc "" | grep '^top' | cut -f2)" \
	"$("$OOMTOP" --help | sed -n 's/^  top  *//p')" "each with its summary from oomtop --help"
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
is "$(comp_desc top --cg | cut -f2)" \
	"rank in the OOM domain of this memory cgroup (as in /proc/PID/cgroup, or its directory)" \
	"an option's summary, its lines joined"

# sort keys: those of include/rank.h
keys=$(sed -n 's/^#define RANK_KEY_NAMES "\(.*\)"/\1/p' "$ROOT/include/rank.h" | tr -d ',' | tr ' ' '\n' | sort)
[ -n "$keys" ]
ok $? "RANK_KEY_NAMES read from include/rank.h"
is "$(comp top -s "")" "$keys" "-s: the sort keys"
is "$(comp top --sort=)" "$(printf -- '--sort=%s\n' $keys)" "--sort=: the sort keys"
is "$(comp top --sort=sw)" "--sort=swap" "--sort=sw"
is "$(comp -s ba)" "badness" "-s without the command"

# users, PIDs
WANT=root offers top -u ro
ok $? "-u: user names"
WANT=root,nobody offers protect -u root,nob
ok $? "protect -u: the last user of a list"
spawn_hog --name "comp$$" --anon 1
WANT=$HOG offers top -p "${HOG:0:2}"
ok $? "-p: the PID of a process of the test"
WANT=--pid=1,$HOG offers top "--pid=1,${HOG:0:2}"
ok $? "--pid=: the last PID of a list"
WANT=$HOG offers explain "${HOG:0:2}"
ok $? "explain: PIDs"
is "$(comp_desc explain "$HOG" | cut -f2)" "comp$$" "each with its process name"
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
is "$(comp protect --exe="$T_TMP/ker")" "--exe=$T_TMP/kern.log" "--exe=: a file"
WANT=bash offers run --adj 300 bas
ok $? "run: a command"
WANT="$T_TMP/kern.log" offers run --adj 300 cat "$T_TMP/ker"
ok $? "run: files after the command"
is "$(comp run cat --)" "" "run: no oomtop options after the command"
is "$(comp log --since=yes)" "--since=yesterday" "--since: words"
is "$(comp status -f "")" "$(printf '%s\n' json prometheus text)" "status -f: the formats"
is "$(comp top -n "")" "" "-n: nothing (a number)"

# --cgroup: a memory cgroup of the test, as /proc/PID/cgroup shows it
if memcg_create "comp$$" max 2>/dev/null; then
	is "$(comp top --cgroup "${MEMCG_PATH%"comp$$"}comp$$")" "$MEMCG_PATH" "--cgroup: a memory cgroup ($MEMCG_PATH)"
	is "$(comp top "--cgroup=${MEMCG_PATH%"comp$$"}comp$$")" "--cgroup=$MEMCG_PATH" "--cgroup=: the same"
	is "$(comp top --cgroup "$MEMCG")" "$MEMCG/" "--cgroup: its directory (with fish's '/', which takes no space)"
else
	diag "no memory cgroup could be created: --cgroup not checked"
fi

done_testing
