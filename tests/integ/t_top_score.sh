# The oom_score oomtop recomputes from its badness equals the kernel's
# /proc/PID/oom_score: for every eligible process on this machine, and for
# one process across every oom_score_adj from 0 to 1000.
. "$(dirname "$0")/lib.sh"

# Every eligible process; one whose memory moved between the reads is re-read.
mismatch=0
checked=0
json=$("$OOMTOP" top --json)
for pid in $(echo "$json" | jq -r '.[] | select(.oom_score != .oom_score_computed) | .pid'); do
	agreed=no
	for try in 1 2 3 4 5 6 7 8 9 10; do
		again=$("$OOMTOP" top --json -p "$pid" 2>/dev/null)
		[ "$(echo "$again" | jq length)" = 1 ] || { agreed=gone; break; }
		if echo "$again" | jq -e '.[0].oom_score == .[0].oom_score_computed' >/dev/null; then
			agreed=yes
			break
		fi
	done
	[ "$agreed" = no ] && { diag "pid $pid: $(echo "$again" | jq -c '.[0] | {comm, oom_score, oom_score_computed, badness}')"; mismatch=$((mismatch + 1)); }
done
checked=$(echo "$json" | jq '[.[] | select(.killable)] | length')
[ "$checked" -gt 3 ]
ok $? "the scan found eligible processes ($checked)"
is "$mismatch" 0 "kernel oom_score == recomputed for all $checked eligible processes"
is "$(echo "$json" | jq '[.[] | select(.oom_score == null)] | length')" 0 "every shown process has the kernel's oom_score"

# The model check says the same of itself: the header names the running
# kernel's generation checked on every shown process, and each row agrees
# (a row whose memory moved between its reads is read again by the check).
model_rel=$(uname -r | awk -F. '{ print ($1 > 5 || ($1 == 5 && $2 >= 9)) ? "5.9+" : "older" }')
head=$("$OOMTOP" top -n 20 | head -n 1)
n=$(echo "$head" | sed -nE 's/.*; model ([^ ]+) checked on ([0-9]+) of ([0-9]+) processes$/\1 \2 \3/p')
set -- $n
[ "$#" -eq 3 ] && [ "$1" = "$model_rel" ] && [ "$2" = "$3" ] && [ "$3" -ge 1 ]
ok $? "top's header: the model of $(uname -r) checked on every shown process ($head)"
is "$("$OOMTOP" top -n 20 --json | jq '[.[] | select(.killable) | select(.model_agrees != true)] | length')" 0 \
	"every eligible row agrees with the kernel (model_agrees)"

m=$("$OOMTOP" status --json | jq -r '.model | [.generation, .checked, .agree, .explained, .chosen_by] | map(tostring) | join(" ")')
is "$m" "$model_rel 3 3 true release" "status checks the model on the first three rows"
m=$("$OOMTOP" explain --json $$ | jq -r '.model | [.generation, .checked == .agree, .checked >= 2, .explained] | map(tostring) | join(" ")')
is "$m" "$model_rel true true true" "explain checks it on the process and its neighbours"

# The unkillable ones read 0 from the kernel and are marked as such.
all=$("$OOMTOP" top --all --json)
is "$(echo "$all" | jq '[.[] | select(.killable | not) | select(.oom_score != 0)] | length')" 0 \
	"the kernel shows 0 for every process marked not killable"
is "$(echo "$all" | jq -r '[.[] | select(.pid == 2)][0].unkillable_reason')" "kernel thread" "kthreadd is a kernel thread"
is "$(echo "$all" | jq -r '[.[] | select(.pid == 1)][0].killable')" "false" "pid 1 is never killable"

# One process, every adj from 0 to 1000: the formula's rounding at each step.
# Sets each adj of the sequence on pid and prints "N agree: M", with N rows
# compared and M the "adj:kernel/oomtop" triples that differ.
sweep() {
	local pid=$1 adj
	shift
	for adj in $(seq "$@"); do
		echo "$adj" >"/proc/$pid/oom_score_adj"
		"$OOMTOP" top --json -p "$pid"
	done | jq -rs 'map(.[0]) | "\(length) agree: " + (map(select(.oom_score != .oom_score_computed)
		| "\(.oom_score_adj):\(.oom_score)/\(.oom_score_computed)") | join(" "))'
}
# (every value in the release lane; the sanitized binary starts 30x slower)
spawn_hog --anon 40 --name sweep; P=$HOG
if [ "$T_LANE" = release ]; then
	is "$(sweep "$P" 0 1000)" "1001 agree: " "oom_score == recomputed for adj 0..1000 (adj:kernel/oomtop)"
else
	is "$(sweep "$P" 0 9 1000)" "112 agree: " "oom_score == recomputed for adj 0..1000 step 9 (adj:kernel/oomtop)"
	echo 1000 >"/proc/$P/oom_score_adj"
fi
is "$(cat "/proc/$P/oom_score_adj")" 1000 "the sweep ended at 1000"

# A bigger process at coarser steps, crossing more score boundaries.
spawn_hog --anon 300 --name sweep2; Q=$HOG
is "$(sweep "$Q" 3 31 1000)" "33 agree: " "oom_score == recomputed for a 300 MiB process, adj 3..1000 step 31"
done_testing
