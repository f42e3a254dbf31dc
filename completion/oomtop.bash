# bash completion for oomtop(8): commands, each command's options (read from
# its --help, so they follow the binary), sort keys, user names, PIDs, files
# and memory cgroups.  Installed as share/bash-completion/completions/oomtop.

# The sort keys of top -s (include/rank.h RANK_KEY_NAMES).
_oomtop_sort_keys="badness score adj rss swap pid comm user"

# Prints the options of `oomtop CMD --help`, one per line: -x and --long, each
# with a trailing '=' when it takes a value.  $1 the program, $2 the command.
# (The '=' of a short option is dropped when offered: its value is the next word.)
_oomtop_options() {
	local line opt
	"$1" "$2" --help 2>/dev/null | while IFS= read -r line; do
		[[ $line == "Help options:" ]] && break
		[[ $line =~ ^\ {2,6}(-[a-zA-Z?]),\ (--[a-z][a-z-]*)(=?) ]] &&
			printf '%s%s\n%s%s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[3]}" \
				"${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}" && continue
		[[ $line =~ ^\ {2,6}(--[a-z][a-z-]*)(=?) ]] &&
			printf '%s%s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
	done
	echo --help
}

# Prints the options $@ as offered: --long= keeps its '=', -x= loses it.
_oomtop_offer() {
	local o
	for o; do
		[[ $o == -?= ]] && o=${o%=}
		printf '%s\n' "$o"
	done
}

# Prints the PIDs of the running processes.
_oomtop_pids() {
	local p
	for p in /proc/[0-9]*; do echo "${p#/proc/}"; done
}

# Completes a memory cgroup path as /proc/PID/cgroup shows it, or its directory.
_oomtop_cgroups() {
	local cur=$1 base="" v2="" dev mnt type opts rest d
	if [[ $cur == /sys/* ]]; then
		COMPREPLY=($(compgen -d -- "$cur"))
		return
	fi
	# the memory hierarchy: a v1 mount with the memory controller, else cgroup2
	while read -r dev mnt type opts rest; do
		[[ $type == cgroup && ,$opts, == *,memory,* ]] && base=$mnt && break
		[[ $type == cgroup2 && -z $v2 ]] && v2=$mnt
	done </proc/self/mounts
	base=${base:-$v2}
	COMPREPLY=()
	[[ -n $base ]] || return
	for d in $(compgen -d -- "$base${cur:-/}"); do
		COMPREPLY+=("${d#"$base"}")
	done
}

# Completes the words of an option value: $1 the option, $2 the word so far.
_oomtop_value() {
	local opt=$1 cur=$2
	case $opt in
	-s | --sort) COMPREPLY=($(compgen -W "$_oomtop_sort_keys" -- "$cur")) ;;
	-u | --user)
		# a comma-separated list for protect: complete its last item
		local head=""
		[[ $cur == *,* ]] && head=${cur%,*}, && cur=${cur##*,}
		COMPREPLY=($(compgen -P "$head" -u -- "$cur"))
		;;
	-p | --pid)
		local head=""
		[[ $cur == *,* ]] && head=${cur%,*}, && cur=${cur##*,}
		COMPREPLY=($(compgen -P "$head" -W "$(_oomtop_pids)" -- "$cur"))
		;;
	--cgroup) _oomtop_cgroups "$cur" ;;
	--exe) COMPREPLY=($(compgen -f -- "$cur")) ;;
	-f | --format) COMPREPLY=($(compgen -W "text json prometheus" -- "$cur")) ;;
	--since) COMPREPLY=($(compgen -W "today yesterday" -- "$cur")) ;;
	-c | --comm) COMPREPLY=($(compgen -W "$(cat /proc/[0-9]*/comm 2>/dev/null)" -- "$cur")) ;;
	*) COMPREPLY=() ;; # a number or a free text
	esac
}

_oomtop() {
	local prog=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev="" cmd="" i w
	local -a opts
	local commands="top explain status set protect run apply watch log"

	# --opt=value: bash splits it at '=' (COMP_WORDBREAKS) into three words
	local prefix=""
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	if [[ $cur == = ]]; then
		cur=""
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then # '=' not a word break here
		prev=${cur%%=*} prefix=${cur%%=*}= cur=${cur#*=}
	fi

	# the command: the first word; `oomtop -n 5` is top
	if ((COMP_CWORD == 1)); then
		if [[ $cur == -* ]]; then
			opts=($(_oomtop_options "$prog" top) --version -V)
			COMPREPLY=($(compgen -W "$(_oomtop_offer "${opts[@]}")" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		[[ ${COMPREPLY[*]} == *= ]] && compopt -o nospace 2>/dev/null
		return 0
	fi
	cmd=${COMP_WORDS[1]}
	[[ $cmd == -* ]] && cmd=top
	[[ " $commands " == *" $cmd "* ]] || return 0

	opts=($(_oomtop_options "$prog" "$cmd"))
	# a value after an option that takes one
	if [[ -n $prev && " ${opts[*]} " == *" $prev= "* ]]; then
		_oomtop_value "$prev" "$cur"
		[[ -n $prefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
		return 0
	fi

	# the operands so far: words after the command that are neither options
	# nor their values (set's ADJ may be negative)
	local -a operands=()
	local dashdash=0
	for ((i = 2; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((!dashdash)) && [[ $w == -- ]]; then
			dashdash=1
		elif ((dashdash)) || [[ $w != -* || $w == - ]] || [[ $cmd == set && $w =~ ^-[0-9]+$ ]]; then
			[[ $w == = || ${COMP_WORDS[i - 1]} == = ]] && continue
			[[ " ${opts[*]} " == *" ${COMP_WORDS[i - 1]}= "* ]] && continue
			operands+=("$w")
		fi
	done

	if [[ $cur == -* && $dashdash -eq 0 && ! ($cmd == set && $cur =~ ^-[0-9]+$) ]] &&
		! [[ $cmd == run && ${#operands[@]} -gt 0 ]]; then
		COMPREPLY=($(compgen -W "$(_oomtop_offer "${opts[@]}")" -- "$cur"))
		[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		return 0
	fi

	case $cmd in
	explain) ((${#operands[@]} == 0)) && COMPREPLY=($(compgen -W "$(_oomtop_pids)" -- "$cur")) ;;
	set) ((${#operands[@]} >= 1)) && COMPREPLY=($(compgen -W "$(_oomtop_pids)" -- "$cur")) ;;
	protect) COMPREPLY=($(compgen -W "$(cat /proc/[0-9]*/comm 2>/dev/null)" -- "$cur")) ;;
	run)
		if ((${#operands[@]} == 0)); then
			COMPREPLY=($(compgen -c -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
		;;
	apply | watch | log) ((${#operands[@]} == 0)) && COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
	return 0
}

complete -F _oomtop oomtop
