# Where the kernel's OOM killer counts rss approximately (stat's rss on
# 6.2+), top -n N re-reads stat only for the rows that may reach the first
# N; the rows it shows must still be the kernel's first N, each with the
# kernel's own count: checked on 60 processes of this test whose sizes lie
# within the counting error of each other, alone at the top (adj 1000),
# and as the wanted rows of -u under everything else.
. "$(dirname "$0")/lib.sh"

TOTAL=$(total_pages)
UNIT=$((TOTAL / 1000))
N=60

# Sizes 1500..2680 KiB in a scrambled order, 20 KiB apart.
mine=""
for ((i = 0; i < N; i++)); do
	spawn_hog --anon-kib $((1500 + (i * 37 % N) * 20)) --adj 1000 --name reach$i || break
	mine="$mine $HOG"
done
is "$(echo $mine | wc -w)" "$N" "$N processes of 1500 to 2680 KiB started"

users=""
for ((i = 0; i < 30; i++)); do
	spawn_hog --anon-kib $((1500 + (i * 7 % 30) * 40)) --user nobody --name reachu$i || break
	users="$users $HOG"
done
is "$(echo $users | wc -w)" 30 "30 processes of nobody started"

# Prints the first n badness values of pids as the kernel counts them (adj
# pages added), highest first.
oracle() {
	local n=$1 adj=$2 p
	shift 2
	for p in "$@"; do
		echo $(($(kernel_pages "$p") + adj * UNIT))
	done | sort -rn | head -n "$n" | paste -sd' '
}

# Checks top's first n rows (args: what, n, adj, top's options, then the pids):
# the kernel's first n values, each row its own pid's count; retried while a
# process's memory moved between the reads.
check_reach() {
	local what=$1 n=$2 adj=$3 opts=$4 json got want rows try bad
	shift 4
	for try in 1 2 3 4 5; do
		json=$("$OOMTOP" top --json -n "$n" $opts)
		got=$(echo "$json" | jq -r '[.[].badness] | map(tostring) | join(" ")')
		want=$(oracle "$n" "$adj" "$@")
		rows=$(echo "$json" | jq -r '.[] | "\(.pid) \(.badness)"')
		bad=0
		while read -r p b; do
			case " $* " in *" $p "*) ;; *) bad=1 ;; esac
			[ "$bad" = 0 ] && [ "$b" = $(($(kernel_pages "$p") + adj * UNIT)) ] || bad=1
		done <<<"$rows"
		[ "$got" = "$want" ] && [ "$bad" = 0 ] && break
	done
	is "$got" "$want" "$what: the kernel's first $n counts"
	is "$bad" 0 "$what: every row is one of the test's, with its pid's own count"
}

check_reach "top -n 10 (adj 1000)" 10 1000 "" $mine
check_reach "top -n 1 (adj 1000)" 1 1000 "" $mine
check_reach "top -n 25 (adj 1000)" 25 1000 "" $mine
check_reach "top -n 10 -u nobody" 10 0 "-u nobody" $users

# How far the counts disagree here: if status and stat agree on every row,
# this kernel counts exactly and the checks above proved less.
differ=0
for p in $mine; do
	[ "$(charged_pages "$p")" = "$(kernel_pages "$p")" ] || differ=$((differ + 1))
done
diag "status and the kernel's count differ on $differ of $N processes ($(uname -r))"

done_testing
