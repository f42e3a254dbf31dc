# The command line agrees with its manual: `oomtop --help` lists every
# command, each `oomtop CMD --help` starts with the synopsis of the man page's
# SYNOPSIS (and of main.c's table), every option in a command's --help is
# described under that command in the man page, and --version prints the
# Makefile's VERSION.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MAN="$ROOT/man/oomtop.8"
command -v mandoc >/dev/null || { echo "not ok - mandoc is missing (scripts/install-deps)"; exit 1; }

# Options the man page documents ahead of the branch that adds them
# (COMMAND:LONG:SHORT): while the binary's --help lacks one, its [-SHORT ...]
# is left out of the comparison.
PENDING=""

# The rendered manual, one line per SYNOPSIS entry (no wrapping, no overstrike).
mandoc -T ascii -O width=1000 "$MAN" | sed -e 's/.\x08//g' >"$T_TMP/man.txt"

# Prints the rendered man page's section $1.
man_section() { awk -v s="$1" '/^[A-Z]/ { on = ($0 == s); next } on' "$T_TMP/man.txt"; }

# Prints the block of command $1 in COMMANDS: its header line (indented by
# 5) up to the next command's.
man_command() {
	man_section COMMANDS | awk -v c="$1" '/^     [a-z]/ { on = ($1 == c); next } on'
}

# Squeezes blanks: synopses wrap differently in each place.
squeeze() { tr -s ' \n\t' '   ' | sed -e 's/^ //' -e 's/ $//'; }

# Prints the synopsis of command $1 from a "Usage:"-style text on stdin: the
# line that starts with "oomtop $1 ", and continuation lines starting "  ... [".
synopsis_of() {
	awk -v c="$1" '
		{ line = $0; sub(/^Usage:/, "", line) }
		on && line ~ /^    +\[/ { print line; next }
		{ on = 0 }
		line ~ ("^ *oomtop " c "( |$)") { print line; on = 1 }' | squeeze
}

"$OOMTOP" --help >"$T_TMP/help" 2>&1
is "$?" 0 "oomtop --help exits 0"
cmds=$(awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } /^$/ { on = 0 }' "$T_TMP/help")
is "$(echo $cmds)" "top explain status set protect run apply watch log" "oomtop --help lists the commands"
is "$(man_section SYNOPSIS | awk '{ print $2 }' | grep -v '^-' | tr '\n' ' ' | squeeze)" "$(echo $cmds)" \
	"the man page's SYNOPSIS has the same commands, in the same order"
man_section SYNOPSIS | grep -qx ' *oomtop --help | --version'
ok $? "the SYNOPSIS shows --help and --version"

for c in $cmds; do
	"$OOMTOP" "$c" --help >"$T_TMP/h.$c" 2>&1
	is "$?" 0 "$c --help exits 0"
	head -n 1 "$T_TMP/h.$c" | grep -q "^Usage: oomtop $c "
	ok $? "$c --help starts with 'Usage: oomtop $c ' ($(head -n 1 "$T_TMP/h.$c"))"

	usage=$(synopsis_of "$c" <"$T_TMP/h.$c")
	table=$(synopsis_of "$c" <"$T_TMP/help")
	man=$(man_section SYNOPSIS | synopsis_of "$c")
	for p in $PENDING; do
		[ "${p%%:*}" = "$c" ] || continue
		opt=${p#*:} short=${p##*:}
		opt=${opt%:*}
		if ! grep -q -- "$opt[ =]" "$T_TMP/h.$c"; then
			diag "$c: $opt is documented but not in this binary yet: left out of the comparison"
			man=$(printf '%s\n' "$man" | sed -e "s/ \[$short [^]]*\]//")
		fi
	done
	is "$usage" "oomtop $c ${table#oomtop $c }" "$c: --help's synopsis is main.c's table's"
	is "$usage" "$man" "$c: --help's synopsis is the man page's"

	# every option line of --help (not popt's own -?, --help, --usage) is
	# an item of the command's block in COMMANDS, spelled the same way
	man_command "$c" >"$T_TMP/m.$c"
	[ -s "$T_TMP/m.$c" ]
	ok $? "$c has its block in COMMANDS"
	n=0
	while IFS= read -r spec; do
		n=$((n + 1))
		grep -qF -- "$spec" "$T_TMP/m.$c"
		ok $? "$c: the man page describes $spec"
	done < <(sed -n '/^Help options:/q; s/^ \{2,6\}\(-[^ ].*[^ ]\)  .*/\1/p' "$T_TMP/h.$c" |
		sed 's/ \{2,\}.*//')
	[ "$n" -gt 0 ] || [ "$c" = status ] || [ "$c" = explain ]
	ok $? "$c: its --help lists options ($n)"
	# ...and every long option of --help appears in the man page at all
	for opt in $(grep -o -- '--[a-z][a-z-]*' "$T_TMP/h.$c" | sort -u); do
		grep -q -- "$opt" "$T_TMP/man.txt"
		ok $? "$c: $opt is in the man page"
	done
done

# version: the Makefile's VERSION, passed as -DOOMTOP_VERSION
version=$(sed -n 's/^VERSION *:*= *//p' "$ROOT/Makefile")
is "$("$OOMTOP" --version)" "oomtop $version" "--version prints 'oomtop $version'"
is "$("$OOMTOP" -V)" "oomtop $version" "-V too"

"$OOMTOP" no-such-command >"$T_TMP/out" 2>"$T_TMP/err"
is "$?" 2 "an unknown command exits 2"
is "$(cat "$T_TMP/err")" "oomtop: unknown command 'no-such-command'
Try 'oomtop --help' for more information." "and says so in two lines, not the whole usage"
[ ! -s "$T_TMP/out" ]
ok $? "nothing on stdout"

# a bad option, a missing value or a bad value of a command: one line and the pointer to its --help
for args in "top --bogus" "explain --bogus" "status --bogus" "set --bogus" "protect --bogus" \
	"apply --bogus" "log --bogus" "top -d" "top -d abc" "top -n x" "status -f xml"; do
	c=${args%% *}
	# shellcheck disable=SC2086 # the words are the arguments
	"$OOMTOP" $args >"$T_TMP/out" 2>"$T_TMP/err"
	st=$?
	is "$st" 2 "oomtop $args: exit 2"
	[ "$(wc -l <"$T_TMP/err")" -le 2 ] && [ "$(tail -n 1 "$T_TMP/err")" = "Try 'oomtop $c --help' for more information." ]
	ok $? "oomtop $args: at most two lines, the last the pointer to --help ($(head -n 1 "$T_TMP/err"))"
done

done_testing
