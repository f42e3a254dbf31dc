# Bash completion (completion/oomtop.bash): sourced in this bash, its function
# called with COMP_WORDS and COMP_CWORD as bash sets them, COMPREPLY checked
# against the binary's --help, include/rank.h, and processes, users, files
# and a cgroup of the test (the checks of tests/integ/completion.sh).
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
COMP_EQ_SPLIT=1 COMP_DIR_SUFFIX=
. "$ROOT/tests/integ/completion.sh"
completion_checks

done_testing
