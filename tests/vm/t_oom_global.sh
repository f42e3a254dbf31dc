# vm-cost: 36
# Real global OOMs: processes of chosen sizes and oom_score_adj values,
# `oomtop top --json` names the first victim BEFORE, then a process at -1000
# allocates past the guest's memory, and the process the kernel kills must be
# the one named: the one of the test's processes that died (SIGKILL), and the
# one the kernel's log names.
# vm-timeout: 150
. "$(dirname "$0")/../integ/lib.sh"
. "$(dirname "$0")/vmlib.sh"

protect_self
thp_off
TOTAL=$(total_pages)
UNIT=$((TOTAL / 1000))
diag "global OOM domain: $TOTAL pages, one adj point = $UNIT pages"

# Predicts with the global ranking, makes the kernel choose, and checks that
# they agree: run_scenario TITLE EXPECTED PID... (EXPECTED: the pid the
# scenario was designed to lose; PID...: all of the scenario's processes,
# killed at the end).  Should the kernel kill more than once (see
# oom_trigger), its later victims must follow oomtop's ranking too.
run_scenario() {
	local title=$1 expected=$2 ranking first order statuses p
	shift 2
	ranking=$(top_rows | cut -f1-4)
	first=$(echo "$ranking" | awk 'NR == 1 { print $1 }')
	diag "$title: ranking (pid comm adj badness): $(echo "$ranking" | tr '\t' ' ' | paste -sd';')"
	is "$first" "$expected" "$title: oomtop top --json names $first first"
	oom_trigger
	ok $? "$title: a -1000 process grew until the kernel killed"
	is "${OOM_KILLED%% *}" "$first" "$title: the kernel killed the process oomtop named ($(echo "$OOM_KLOG" | head -n 1 | sed 's/^\[[^]]*\] //; s/ total-vm.*//'))"
	order=$(echo "$ranking" | awk -v n="$OOM_KILLS" 'NR <= n { print $1 }' | paste -sd' ')
	[ "$OOM_KILLS" -gt 1 ] && diag "$title: the kernel killed $OOM_KILLS times in this OOM (6.1's exit race, see oom_trigger)"
	is "$OOM_KILLED" "$order" "$title: every kill of this OOM ($OOM_KILLS) follows oomtop's ranking"
	is "$(dead_among "$@" "$BACKSTOP")" "$(echo "$OOM_KILLED ${ALSO_DIES:-}" | tr ' ' '\n' | sed '/^$/d' | sort -nu | paste -sd' ')" \
		"$title: of the test's processes, those died${ALSO_DIES:+ (and $ALSO_DIES)}"
	# (the second process of a shared mm is not this shell's child: 127)
	statuses=""
	for p in $OOM_KILLED ${ALSO_DIES:-}; do
		reap_status "$p"
		[ "$REAP_STATUS" = 127 ] || statuses="$statuses $REAP_STATUS"
	done
	is "$(echo $statuses | tr ' ' '\n' | sort -u | paste -sd' ')" 137 "$title: by SIGKILL"
	for p in "$@"; do kill_hog "$p"; done
	is_dead "$BACKSTOP" && spawn_backstop
	diag "$title: done at $(cut -d' ' -f1 /proc/uptime)s of uptime"
}

# Starts the process every scenario keeps behind its own: killable, last in
# every ranking (adj -999), big enough to end any chain of kills (see
# oom_trigger) so that the kernel never runs out of killable processes.
spawn_backstop() { spawn_hog --anon 40 --adj -999 --name backstop && BACKSTOP=$HOG; }

# Starts one memhog per MIB:ADJ and runs the scenario; the EXPECTED-th of them
# (from 1) is the one designed to go first: scenario TITLE EXPECTED MIB:ADJ...
scenario() {
	local title=$1 expected=$2 spec pids="" i=0
	shift 2
	for spec in "$@"; do
		i=$((i + 1))
		spawn_hog --anon "${spec%%:*}" --adj "${spec#*:}" --name "g$i-${spec%%:*}m" || {
			ok 1 "$title: memhog $spec"
			return 1
		}
		pids="$pids $HOG"
	done
	# shellcheck disable=SC2086
	run_scenario "$title" "$(echo $pids | cut -d' ' -f"$expected")" $pids
}

# Sets ADJ to the lowest adj that makes pid's badness reach target.
adj_to_reach() {
	local need=$(($2 - $(charged_pages "$1")))
	if [ "$need" -le 0 ]; then ADJ=$((need / UNIT)); else ADJ=$(((need + UNIT - 1) / UNIT)); fi
}

# Ballast that no OOM may take (less memory for every grower to fill), and
# the backstop.
spawn_hog --anon 150 --adj -1000 --name ballast
spawn_backstop

# Equal badness: the kernel keeps the last candidate of its walk, the youngest
# process (mm/oom_kill.c, "points < chosen_points" skips only smaller ones).
# Two processes that share one mm (memhog --share-mm) have exactly the same
# pages; killing one kills the other too (__oom_kill_process() kills every
# process sharing the victim's mm, logging only the victim).
spawn_hog --anon 24 --adj 0 --name twin --share-mm; T1=$HOG
T2=$(children_of "$T1")
spawn_hog --anon 8 --adj 0 --name small8; S=$HOG
rows=$(top_rows -p "$T1,$T2")
is "$(echo "$rows" | awk -F'\t' 'NR == 1 { b = $4 } $4 == b { same++ } END { print NR, same + 0 }')" "2 2" \
	"equal badness: the two processes of one mm have the same badness ($(echo "$rows" | cut -f4 | paste -sd' '))"
ALSO_DIES=$T1
run_scenario "equal badness" "$T2" "$T1" "$T2" "$S"
ALSO_DIES=""

scenario "sizes alone" 2 8:0 32:0 16:0
scenario "-1000 protects the biggest" 3 48:-1000 8:0 24:0
scenario "-500 outweighs 48 MiB" 2 48:-500 20:0 12:-300
scenario "-10 does not save 48 MiB from 32 MiB at 0" 1 48:-10 32:0
scenario "all below zero" 1 32:-50 40:-120 12:-10
scenario "+500 on 8 MiB beats 48 MiB at -1" 1 8:500 48:-1

# One adj point decides: B at the lowest adj that reaches A's badness goes
# first (reaching is enough: B is younger), one point less and A goes first.
for less in 0 1; do
	spawn_hog --anon 24 --adj 0 --name pa24; A=$HOG
	spawn_hog --anon 36 --adj 0 --name pb36; B=$HOG
	adj_to_reach "$B" "$(charged_pages "$A")"
	ADJ=$((ADJ - less))
	echo "$ADJ" >"/proc/$B/oom_score_adj"
	a=$(charged_pages "$A") b=$(charged_pages "$B")
	diag "A: $a pages at adj 0; B: $b pages at adj $ADJ = $((b + ADJ * UNIT)), $((b + ADJ * UNIT - a)) pages from A"
	if [ "$less" = 0 ]; then
		run_scenario "B at the lowest adj ($ADJ) reaching A" "$B" "$A" "$B"
	else
		run_scenario "B one adj point lower ($ADJ)" "$A" "$A" "$B"
	fi
done
done_testing
