# Negative oom_score_adj values really apply in the guest, and `oomtop top
# --json` ranks them exactly: badness with a negative adj, the oom_score
# recomputed from it equal to the kernel's for every value from -999 to 0,
# and -1000 unkillable.
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
json=$("$OOMTOP" top --json -p "$A,$B,$C,$D,$E")
ok $? "top --json -p exits 0"
is "$(echo "$json" | jq -r '[.[].comm] | join(",")')" "r8m1,r4,r16m40,r24m100,r12m200" "the ranking puts adj before size"
# The same order from /proc/PID/status and the kernel's formula alone.
want=$(for p in $A $B $C $D $E; do
	echo "$(($(charged_pages "$p") + $(cat "/proc/$p/oom_score_adj") * UNIT)) $p"
done | sort -k1,1nr -k2,2nr | awk '{ print $2 }' | paste -sd,)
is "$(echo "$json" | jq -r '[.[].pid] | join(",")')" "$want" "it is the kernel's badness order ($want)"
for p in $A $B $C $D $E; do
	adj=$(cat "/proc/$p/oom_score_adj")
	is "$(echo "$json" | jq ".[] | select(.pid == $p) | .badness")" "$(($(charged_pages "$p") + adj * UNIT))" \
		"badness of the adj $adj process is rss + swap + page tables + $adj * $UNIT"
done
is "$(echo "$json" | jq -c '[.[] | select(.badness < 0) | .comm]')" '["r24m100","r12m200"]' \
	"the two below zero have a negative badness"
is "$(echo "$json" | jq '[.[] | select(.oom_score != .oom_score_computed)] | length')" 0 \
	"oom_score recomputed == the kernel's for each ($(echo "$json" | jq -c '[.[].oom_score]'))"
is "$("$OOMTOP" top --json | jq "[.[] | select(.pid == $P)] | length")" 0 "the -1000 process is not in the ranking"
all=$("$OOMTOP" top --all --json)
is "$(echo "$all" | jq -r ".[] | select(.pid == $P) | [.killable, .unkillable_reason, .oom_score, .oom_score_adj] | map(tostring) | join(\" \")")" \
	"false oom_score_adj -1000 0 -1000" "with --all it shows as not killable, and the kernel's oom_score is 0"
is "$(echo "$all" | jq -r "(map(select(.killable)) | length) as \$n | .[\$n:] | any(.pid == $P)")" true \
	"after every killable process"
is "$("$OOMTOP" top --json -p "$P,$A" | jq -r '[.[].pid] | join(",")')" "$A,$P" "-p shows it too, after the killable one"
for p in $A $B $C $D $E $P; do kill_hog "$p"; done

# Every value from -999 to 0: 40 processes of different sizes, 25 rounds.
# Sets adj -999 + round * 40 + i on process i and prints the "adj:kernel/oomtop"
# triples that differ, after the count of rows compared.
pids=""
for i in $(seq 0 39); do
	spawn_hog --anon-kib $((256 + i * 97)) --adj 0 --name "sw$i" || break
	pids="$pids $HOG"
done
list=$(echo $pids | tr ' ' ',')
t0=$(cut -d' ' -f1 /proc/uptime)
for round in $(seq 0 24); do
	i=0
	for p in $pids; do
		echo $((-999 + round * 40 + i)) >"/proc/$p/oom_score_adj"
		i=$((i + 1))
	done
	"$OOMTOP" top --json -p "$list"
done | jq -rs 'add | "\(length) agree: " + (map(select(.oom_score != .oom_score_computed)
	| "\(.oom_score_adj):\(.oom_score)/\(.oom_score_computed)") | join(" "))' >"$T_TMP/sweep"
diag "sweep: $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { print b - a }')s"
is "$(cat "$T_TMP/sweep")" "1000 agree: " "oom_score == recomputed for every adj from -999 to 0 (adj:kernel/oomtop)"

# And for every process in the guest at this moment.
is "$("$OOMTOP" top --json | jq '[.[] | select(.oom_score != .oom_score_computed)] | length')" 0 \
	"oom_score == recomputed for every killable process in the guest"
done_testing
