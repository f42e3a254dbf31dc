# vm-cost: 22
# vm-timeout: 300
# The legacy oom_adj scale against the running kernel, all 33 values
# (-17..15), both ways: what oomtop predicts a write stores (dry run), what
# the kernel stores for the same write by the shell, what oomtop's own write
# leaves, and what oom_adj reads back; then, across oom_score_adj -1000..1000,
# the oom_adj oomtop shows for a value against the kernel's.
. "$(dirname "$0")/../integ/lib.sh"
. "$(dirname "$0")/vmlib.sh"

# the guest emulates every instruction: read files and match text with bash's
# builtins, not cat and sed, so that the 90 runs of oomtop are the cost
adj_of() { local v; read -r v <"/proc/$1/oom_score_adj"; printf '%s' "$v"; }
# m TEXT REGEX: sets M to the regex's first group in TEXT, or empty
m() { M=""; [[ $1 =~ $2 ]] && M=${BASH_REMATCH[1]}; }
N="l$$"
spawn_hog --adj 0 --name "${N}o"; L=$HOG # written by oomtop
spawn_hog --adj 0 --name "${N}k"; K=$HOG # written by the shell: the kernel's own conversion

mismatch=""
n=0
for ((v = -17; v <= 15; v++)); do # (busybox seq takes no negative start)
	echo 0 >"/proc/$L/oom_score_adj"
	echo 0 >"/proc/$K/oom_score_adj"
	m "$("$OOMTOP" set -n --legacy -- "$v" "$L")" 'oom_score_adj 0 -> ([0-9-]+)'
	pred=$M
	[ -n "$pred" ] || pred=0 # oom_adj 0: unchanged
	echo "$v" >"/proc/$K/oom_adj"
	read -r kernel <"/proc/$K/oom_score_adj"
	read -r kernel_legacy <"/proc/$K/oom_adj"
	line=$("$OOMTOP" set --legacy -- "$v" "$L") || mismatch="$mismatch [$v: exit $?]"
	read -r got <"/proc/$L/oom_score_adj"
	read -r got_legacy <"/proc/$L/oom_adj"
	m "$line" ': oom_adj [0-9-]+ -> ([0-9-]+) '
	[ -n "$M" ] || m "$line" ': oom_adj ([0-9-]+), unchanged'
	shown=$M
	if [ "$pred" = "$kernel" ] && [ "$got" = "$kernel" ] && [ "$shown" = "$kernel_legacy" ] &&
		[ "$got_legacy" = "$kernel_legacy" ]; then
		n=$((n + 1))
	else
		mismatch="$mismatch [$v: predicted $pred, kernel $kernel, oomtop wrote $got, shows oom_adj $shown, kernel shows $kernel_legacy]"
	fi
done
is "$mismatch" "" "oomtop's conversion is the kernel's for every oom_adj"
is "$n" 33 "all 33 values compared"
echo -17 >"/proc/$K/oom_adj"
is "$(adj_of "$K")" -1000 "oom_adj -17 (OOM_DISABLE) is -1000"
echo 15 >"/proc/$K/oom_adj"
is "$(adj_of "$K")" 1000 "oom_adj 15 is 1000, not 882"

# the other way: the oom_adj shown for a value is what the kernel shows
mismatch=""
n=0
for s in -1000 -999 -942 -941 -940 -589 -588 -500 -59 -58 -1 0 1 57 58 59 500 587 588 940 941 942 999 1000; do
	echo "$s" >"/proc/$K/oom_score_adj"
	m "$("$OOMTOP" set -n --legacy 0 "$K")" ': oom_adj ([0-9-]+)[ ,]'
	shown=$M
	read -r kernel <"/proc/$K/oom_adj"
	if [ "$shown" = "$kernel" ]; then n=$((n + 1)); else mismatch="$mismatch [$s: oomtop $shown, kernel $kernel]"; fi
done
is "$mismatch" "" "the oom_adj oomtop shows is the kernel's"
is "$n" 24 "for 24 values across the range (942..999 read 15, as 1000)"

done_testing
