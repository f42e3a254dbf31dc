# zsh completion (completion/_oomtop): zsh itself completes command lines, an
# interactive zsh -f with compinit and the script first in $fpath typing the
# line and a Tab in a pseudo-terminal (tests/integ/zsh-complete prints what
# its completion functions add); the candidates are checked as t_completion.sh
# checks bash's (tests/integ/completion.sh).
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v zsh >/dev/null; then
	ok 1 "zsh is missing (scripts/install-deps --test installs it)"
	done_testing
fi
# the completion runs the command as typed: `oomtop`, first in PATH (whatever
# the binary's own name: the Valgrind lane's wrapper)
mkdir "$T_TMP/bin" && ln -s "$OOMTOP" "$T_TMP/bin/oomtop"

# Completes the line "oomtop $*" (the last word, maybe "", is the one being
# completed; a word is quoted as zsh reads it); prints the candidates (without
# their descriptions), sorted, each once (zsh merges a candidate that two
# calls of compadd add, as _files's several tags do).
comp() {
	comp_desc "$@" | sed 's/ -- .*//' | sort -u
}
# The same with the descriptions, as the capture prints them (candidate -- summary).
comp_desc() {
	local line="oomtop" w
	for w; do line+=" ${w}"; done
	PATH="$T_TMP/bin:$PATH" HOME=$T_TMP ZC_DUMP=$T_TMP/zcompdump "$ROOT/tests/integ/zsh-complete" "$ROOT/completion" "$line"
}
# The description of candidate $1 when completing "${@:2}" (candidate -- summary).
comp_summary() {
	local c=$1
	shift
	comp_desc "$@" | awk -v c="$c -- " 'index($0, c) == 1 { print substr($0, length(c) + 1) }'
}

is "$(head -1 "$ROOT/completion/_oomtop")" "#compdef oomtop" "the script is compinit's for oomtop"
COMP_EQ_SPLIT= COMP_DIR_SUFFIX=
. "$ROOT/tests/integ/completion.sh"
completion_checks

done_testing
