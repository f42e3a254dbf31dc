# vm-cost: 6
# Which rss counters this kernel's OOM killer reads, with the kernel as the
# oracle: for processes of many sizes, the oom_score computed from lib.sh
# kernel_pages (stat's get_mm_rss() on 6.2-6.18, status's sums otherwise, as
# oomtop counts) equals /proc/PID/oom_score for every one.  On kernels where
# the two counts differ (6.2 and later, with status summing exactly) the test
# also says how many the other count gets wrong.
. "$(dirname "$0")/../integ/lib.sh"
. "$(dirname "$0")/vmlib.sh"

TOTAL=$(total_pages)
protect_self
# Prints the oom_score of badness $1 (fs/proc/base.c proc_oom_score(), 5.9+).
score() { echo $(((1000 + $1 * 1000 / TOTAL) * 2 / 3)); }

pids=""
for i in $(seq 0 15); do
	spawn_hog --anon-kib $((256 + i * 287)) --adj $((i * 7)) --name "cnt$i" || break
	pids="$pids $HOG"
done
n=0 model=0 status=0 differ=0
for p in $pids; do
	adj=$(cat "/proc/$p/oom_score_adj")
	k=$(cat "/proc/$p/oom_score")
	kp=$(kernel_pages "$p") sp=$(charged_pages "$p")
	n=$((n + 1))
	[ "$(score $((kp + adj * (TOTAL / 1000))))" = "$k" ] && model=$((model + 1))
	[ "$(score $((sp + adj * (TOTAL / 1000))))" = "$k" ] && status=$((status + 1))
	[ "$kp" != "$sp" ] && differ=$((differ + 1))
done
diag "$(uname -r): $n processes; stat and status differ for $differ; status's sums give the kernel's oom_score for $status"
is "$n" 16 "16 processes of 256 KiB to 4.5 MiB"
is "$model" "$n" "oom_score from the counters oomtop reads == the kernel's for all $n"
done_testing
