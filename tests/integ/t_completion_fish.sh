# Fish completion (completion/oomtop.fish): fish itself completes command
# lines (complete -C, as at a prompt's Tab) with the script first in its
# fish_complete_path; the candidates are checked as t_completion.sh checks
# bash's (tests/integ/completion.sh).
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
# The description of candidate $1 when completing "${@:2}" (candidate TAB summary).
comp_summary() {
	local c=$1
	shift
	comp_desc "$@" | awk -F '\t' -v c="$c" '$1 == c { print $2 }'
}

out=$(PATH="$T_TMP/bin:$PATH" HOME=$T_TMP fish --no-config -c \
	'set -p fish_complete_path $argv[1]; complete -C "oomtop " >/dev/null; complete -c oomtop' \
	"$ROOT/completion" 2>&1)
is "$out" "complete --no-files oomtop -a '(__oomtop_complete)'" \
	"fish loads the script for oomtop from its completion path: one dynamic rule, no file names by default"

COMP_EQ_SPLIT= COMP_DIR_SUFFIX=/
. "$ROOT/tests/integ/completion.sh"
completion_checks

done_testing
