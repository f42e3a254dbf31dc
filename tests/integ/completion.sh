# The checks every shell's completion must pass (sourced by t_completion.sh,
# t_completion_zsh.sh and t_completion_fish.sh after lib.sh).  The test that
# sources it defines:
#   comp WORD...       the candidates for the line "oomtop WORD..." (the last
#                      word, maybe "", is the one completed), sorted, one per line
#   comp_summary C WORD...   the description of candidate C, where the shell
#                      shows descriptions (left undefined for bash)
#   COMP_EQ_SPLIT      1 where the shell splits "--opt=value" into three words
#                      and completes the value alone (bash), else empty
#   COMP_DIR_SUFFIX    what the shell appends to a completed directory ("/" for fish)
# and ROOT, the top of the tree.

# Tells whether the completion of "$@" offers the word in $WANT.
offers() { comp "$@" | grep -qxF -- "$WANT"; }

# Completes "--OPT=VALUE" as the shell splits it; prints the candidates as
# the shell offers them (bash: the value alone).
comp_eq() {
	local opt=$1 value=$2
	shift 2
	if [ -n "$COMP_EQ_SPLIT" ]; then
		comp "$@" "$opt" = "$value"
	else
		comp "$@" "$opt=$value"
	fi
}

# What comp_eq prints for a candidate VALUE of --OPT.
eq_word() {
	if [ -n "$COMP_EQ_SPLIT" ]; then
		printf '%s\n' "$2"
	else
		printf '%s=%s\n' "$1" "$2"
	fi
}

# Runs the checks shared by every shell.
completion_checks() {
	local cmds="top explain status set protect run apply watch log" c want keys has_summary=
	[ "$(type -t comp_summary)" = function ] && has_summary=1

	is "$(comp "" | tr '\n' ' ')" "$(printf '%s\n' $cmds | sort | tr '\n' ' ')" "the first word: the commands"
	[ -n "$has_summary" ] &&
		is "$(comp_summary top "")" "$("$OOMTOP" --help | sed -n 's/^  top  *//p')" \
			"each with its summary from oomtop --help"
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
	[ -n "$has_summary" ] &&
		is "$(comp_summary --cgroup= top --cg)" \
			"rank in the OOM domain of this memory cgroup (as in /proc/PID/cgroup, or its directory)" \
			"an option's summary, its lines joined"

	# sort keys: those of include/rank.h
	keys=$(sed -n 's/^#define RANK_KEY_NAMES "\(.*\)"/\1/p' "$ROOT/include/rank.h" | tr -d ',' | tr ' ' '\n' | sort)
	[ -n "$keys" ]
	ok $? "RANK_KEY_NAMES read from include/rank.h"
	is "$(comp top -s "")" "$keys" "-s: the sort keys"
	is "$(comp_eq --sort "" top)" "$(for k in $keys; do eq_word --sort "$k"; done)" "--sort=: the sort keys"
	is "$(comp_eq --sort r top)" "$(for k in $keys; do case $k in r*) eq_word --sort "$k" ;; esac; done)" "--sort=r"
	is "$(comp top --sort=sw)" "--sort=swap" "--sort=sw as one word"
	is "$(comp -s ba)" "badness" "-s without the command"

	# users, PIDs
	WANT=root offers top -u ro
	ok $? "-u: user names"
	WANT=root,nobody offers protect -u root,nob
	ok $? "protect -u: the last user of a list"
	spawn_hog --name "comp$$" --anon 1
	WANT=$HOG offers top -p "${HOG:0:2}"
	ok $? "-p: the PID of a process of the test"
	WANT=$(eq_word --pid "1,$HOG") && comp_eq --pid "1,${HOG:0:2}" top | grep -qxF -- "$WANT"
	ok $? "--pid=: the last PID of a list"
	WANT=$HOG offers explain "${HOG:0:2}"
	ok $? "explain: PIDs"
	[ -n "$has_summary" ] && is "$(comp_summary "$HOG" explain "$HOG")" "comp$$" "each with its process name"
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
	is "$(comp_eq --exe "$T_TMP/ker" protect)" "$(eq_word --exe "$T_TMP/kern.log")" "--exe=: a file"
	WANT=bash offers run --adj 300 bas
	ok $? "run: a command"
	WANT="$T_TMP/kern.log" offers run --adj 300 cat "$T_TMP/ker"
	ok $? "run: files after the command"
	is "$(comp run cat --)" "" "run: no oomtop options after the command"
	is "$(comp_eq --since yes log)" "$(eq_word --since yesterday)" "--since: words"
	is "$(comp status -f "")" "$(printf '%s\n' json prometheus text)" "status -f: the formats"
	is "$(comp top -n "")" "" "-n: nothing (a number)"

	# --cgroup: a memory cgroup of the test, as /proc/PID/cgroup shows it
	if memcg_create "comp$$" max 2>/dev/null; then
		is "$(comp top --cgroup "${MEMCG_PATH%"comp$$"}comp$$")" "$MEMCG_PATH" "--cgroup: a memory cgroup ($MEMCG_PATH)"
		is "$(comp_eq --cgroup "${MEMCG_PATH%"comp$$"}comp$$" top)" "$(eq_word --cgroup "$MEMCG_PATH")" \
			"--cgroup=: the same"
		is "$(comp top --cgroup "$MEMCG")" "$MEMCG$COMP_DIR_SUFFIX" "--cgroup: its directory"
	else
		diag "no memory cgroup could be created: --cgroup not checked"
	fi
}
