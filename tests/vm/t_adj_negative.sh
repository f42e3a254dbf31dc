# vm-cost: 20
# Negative oom_score_adj values really apply in the guest, and `oomtop top
# --json` ranks them exactly: badness with a negative adj, the oom_score
# recomputed from it equal to the kernel's across -999..0, and -1000
# unkillable.
. "$(dirname "$0")/../integ/lib.sh"
. "$(dirname "$0")/vmlib.sh"

TOTAL=$(total_pages)
UNIT=$((TOTAL / 1000))
protect_self

# What the kernel stores: memhog writes its own value, echo writes another's.
for v in -1000 -999 -500 -17 -1 0; do
	spawn_hog --anon-kib 512 --adj "$v" --name "st$v"
	is "$(cat "/proc/$HOG/oom_score_adj")" "$v" "a write of $v is stored and reads back $v"
done
echo -800 >"/proc/$HOG/oom_score_adj"
is "$(cat "/proc/$HOG/oom_score_adj")" -800 "root writes -800 into another process's oom_score_adj"
kill_hog "$HOG"

# Ranking: sizes and negative values chosen so that adj reorders them, with
# margins of several hundred pages: 8 MiB at -1, 4 MiB at 0, 16 MiB at -40,
# then 24 MiB at -100 and 12 MiB at -200 below zero.
spawn_hog --anon 8 --adj -1 --name r8m1; A=$HOG
spawn_hog --anon 24 --adj -100 --name r24m100; B=$HOG
spawn_hog --anon 16 --adj -40 --name r16m40; C=$HOG
spawn_hog --anon 4 --adj 0 --name r4; D=$HOG
spawn_hog --anon 12 --adj -200 --name r12m200; E=$HOG
spawn_hog --anon 32 --adj -1000 --name r32prot; P=$HOG
rows=$(top_rows -p "$A,$B,$C,$D,$E")
ok $? "top --json -p exits 0"
is "$(echo "$rows" | cut -f2 | paste -sd,)" "r8m1,r4,r16m40,r24m100,r12m200" "the ranking puts adj before size"
# The same order and values from /proc and the kernel's formula alone (rss as
# this kernel's OOM killer counts it: lib.sh kernel_pages).
want=$(for p in $A $B $C $D $E; do
	echo "$p $(($(kernel_pages "$p") + $(cat "/proc/$p/oom_score_adj") * UNIT))"
done | sort -k2,2nr -k1,1nr)
is "$(echo "$rows" | cut -f1 | paste -sd,)" "$(echo "$want" | cut -d' ' -f1 | paste -sd,)" "it is the kernel's badness order"
is "$(echo "$rows" | awk -F'\t' '{ print $1, $4 }')" "$want" \
	"badness = rss + swap + page tables + adj * $UNIT for each ($(echo "$rows" | awk -F'\t' '{ printf "%s%s:%s", s, $3, $4; s = " " }'))"
is "$(echo "$rows" | awk -F'\t' '$4 < 0 { print $2 }' | paste -sd,)" "r24m100,r12m200" "the two below zero have a negative badness"
is "$(echo "$rows" | awk -F'\t' '$5 != $6 { bad++ } END { print NR, bad + 0 }')" "5 0" \
	"oom_score recomputed == the kernel's for each of the 5 ($(echo "$rows" | cut -f5 | paste -sd' '))"

# -1000: never in the ranking, and with --all after every killable process.
rows=$(top_rows --all)
is "$(echo "$rows" | awk -F'\t' -v p="$P" '$1 == p { print $7, $5, $3 }')" "false 0 -1000" \
	"with --all the -1000 process shows as not killable, and the kernel's oom_score is 0"
is "$(echo "$rows" | awk -F'\t' -v p="$P" '$1 == p { n = NR } $7 == "true" { last = NR } END { print (n > last) }')" 1 \
	"after every killable process"
is "$(top_rows | awk -F'\t' -v a="$A" -v p="$P" '$1 == a { ha = 1 } $1 == p { hp = 1 } END { print ha + 0, hp + 0 }')" "1 0" \
	"without --all it is not in the ranking (the others are)"
is "$(top_rows -p "$P,$A" | cut -f1 | paste -sd,)" "$A,$P" "-p shows it too, after the killable one"
for p in $A $B $C $D $E $P; do kill_hog "$p"; done

# 96 values from -999 to 999, every residue of 4 among them, and 1000: 12
# processes of different sizes, 8 rounds of adj -999 + 21k + k % 4 (k = round
# * 12 + i) on process i, and a ninth with all of them at 1000.  (Under emulation every process and every run of oomtop costs a
# good part of a second: the host lane sweeps 0..1000 in full.)  Prints the
# count of rows compared and the "adj:kernel/oomtop" triples that differ.
pids=""
for i in $(seq 0 11); do
	spawn_hog --anon-kib $((256 + i * 331)) --adj 0 --name "sw$i" || break
	pids="$pids $HOG"
done
list=$(echo $pids | tr ' ' ',')
for round in $(seq 0 8); do
	i=0
	for p in $pids; do
		k=$((round * 12 + i))
		v=$((-999 + 21 * k + k % 4))
		[ "$v" -le 1000 ] || v=1000 # the last round: the top of the range
		echo "$v" >"/proc/$p/oom_score_adj"
		i=$((i + 1))
	done
	"$OOMTOP" top --json -p "$list"
	# (a process at oom_score 0 is not compared: the kernel shows 0 for a task it skips, too)
	"$OOMTOP" top -p "$list" | head -n 1 | sed -nE 's/.*; model ([^ ]+) checked on ([0-9]+) of ([0-9]+) processes$/\1 \2 \3/p' |
		awk '{ print $1, ($2 == $3 && $2 >= 10) ? "all" : $2 " of " $3 }' >>"$T_TMP/checks"
done | jq -rs 'add | "\(length) agree: " + (map(select(.oom_score != .oom_score_computed)
	| "\(.oom_score_adj):\(.oom_score)/\(.oom_score_computed)") | join(" "))' >"$T_TMP/sweep"
is "$(cat "$T_TMP/sweep")" "108 agree: " "oom_score == recomputed for 97 adj values from -999 to 1000 (adj:kernel/oomtop)"
is "$(sort -u "$T_TMP/checks")" "5.9+ all" \
	"the model check agrees in each of the 8 rounds ($(uname -r): 5.9+)"

# And for every process in the guest at this moment.  A row outside the head
# of the ranking has its badness from status's exact sums, which on 6.2-6.18
# may differ from the per-cpu counters the OOM killer reads (by up to
# proc_count_error_pages()); such a row must agree once asked for with -p,
# which counts as the OOM killer does.
rows=$(top_rows)
bad=0
for p in $(echo "$rows" | awk -F'\t' '$5 != $6 { print $1 }'); do
	again=$(top_rows -p "$p") || continue
	[ -z "$again" ] && continue
	echo "$again" | awk -F'\t' '$5 != $6 { exit 1 }' || { bad=$((bad + 1)); diag "pid $p: $again"; }
done
is "$( [ -n "$rows" ] && echo 1 || echo 0) $bad" "1 0" \
	"oom_score == recomputed for every killable process in the guest ($(echo "$rows" | wc -l) rows)"
done_testing
