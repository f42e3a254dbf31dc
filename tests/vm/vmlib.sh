# Guest-only helpers for tests/vm/t_*.sh, sourced after tests/integ/lib.sh:
#   . "$(dirname "$0")/../integ/lib.sh"
#   . "$(dirname "$0")/vmlib.sh"
# They make the kernel's OOM killer act for real, which only the guest allows.

[ "$T_LANE" = vm ] || { echo "vmlib.sh: guest tests run only inside the VM (tests/vm/run)"; exit 1; }

# Protects this test shell with oom_score_adj -1000, so that an OOM can only
# choose the test's own processes: everything outside the test already runs at
# -1000 in the guest.  What the shell starts afterwards inherits -1000, so give
# every memhog an --adj.
protect_self() { echo -1000 >"/proc/$$/oom_score_adj"; }

# Runs `oomtop top --json ARGS...` and prints one line per process, in its
# order: pid comm adj badness oom_score oom_score_computed killable, tab
# separated.  jq 1.6 takes half a second or more to start in the guest, so
# one jq started with this file (at -1000, never an OOM's choice) serves
# every call of the test, in $(...) too: each array in, its rows and an end
# mark out.
top_rows() {
	local json line
	json=$("$OOMTOP" top --json "$@") || return
	printf '%s\n' "$json" >&"$TOPROWS_IN"
	while IFS= read -r line <&"$TOPROWS_OUT"; do
		[ "$line" = --end-- ] && return 0
		printf '%s\n' "$line"
	done
	return 1
}
coproc TOPROWS {
	echo -1000 >/proc/self/oom_score_adj
	exec jq --unbuffered -r '(.[] | [.pid, .comm, .oom_score_adj, .badness, .oom_score,
		.oom_score_computed, .killable] | map(tostring) | join("\t")), "--end--"'
}
T_HOGS="$T_HOGS $TOPROWS_PID"
# bash closes a coprocess's own descriptors in subshells, not copies of them
exec {TOPROWS_IN}>&"${TOPROWS[1]}" {TOPROWS_OUT}<&"${TOPROWS[0]}"

# Prints how many OOM kills the kernel has made since boot (oom_kill in /proc/vmstat, since 4.13).
oom_kill_count() { awk '$1 == "oom_kill" { print $2 }' /proc/vmstat; }

# Turns transparent huge pages off until the end of the test (the guest
# runner puts the setting back), for the OOM tests: see oom_trigger.
thp_off() { echo never >/sys/kernel/mm/transparent_hugepage/enabled; }

# Makes the kernel's OOM killer act: a memhog at -1000 (never the victim)
# grows until the kernel has killed, then exits and frees its memory.
# Arguments go to that memhog (--cgroup DIR for a memory cgroup's OOM).
# Sets OOM_KILLS (kills the kernel counted meanwhile), OOM_KILLED (their pids
# in the order of the kernel's "Killed process PID" lines) and OOM_KLOG
# (those lines).  Returns the grower's status (0 when it saw a kill).
# One OOM can kill more than once: memory.oom.group, and in 6.1 a victim's
# exit_mmap() sets MMF_OOM_SKIP before the last batch of its pages is freed,
# so the grower's retry can find memory still short and the victim already
# skipped, and the kernel takes its next choice.  Batches hold up to ~10000
# pages of 4 KiB (or as many huge pages), so victims above ~48 MiB with THP
# off (thp_off) rarely leave that window open.
oom_trigger() {
	local before status
	before=$(oom_kill_count)
	"$HELPERS/memhog" --adj -1000 --name oomgrow "$@" --grow --until-oom-kill >"$T_TMP/grow.out" 2>&1
	status=$?
	OOM_KILLS=$(($(oom_kill_count) - before))
	OOM_KLOG=""
	OOM_KILLED=""
	if [ "$OOM_KILLS" -gt 0 ]; then
		OOM_KLOG=$(dmesg | grep 'Killed process [0-9]' | tail -n "$OOM_KILLS")
		OOM_KILLED=$(echo "$OOM_KLOG" | sed -n 's/.*Killed process \([0-9][0-9]*\) .*/\1/p' | tr '\n' ' ')
		OOM_KILLED=${OOM_KILLED% }
	fi
	[ "$status" -eq 0 ] || diag "the grower: $(cat "$T_TMP/grow.out")"
	return "$status"
}

# Tells whether pid is dead: gone, or a zombie not reaped yet.
is_dead() {
	local stat
	{ read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 0
	stat=${stat##*) }
	case "${stat%% *}" in Z | X) return 0 ;; esac
	return 1
}

# Prints, sorted, those of the given pids that are dead; first waits up to 5 s
# for every pid in $OOM_KILLED to be dead (a victim takes a moment to exit).
dead_among() {
	local p i out=""
	for p in $OOM_KILLED; do
		for i in $(seq 1 500); do is_dead "$p" && break; sleep 0.01; done
	done
	for p in "$@"; do is_dead "$p" && out="$out $p"; done
	echo $out | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//'
}

# Prints the pids whose parent is pid.
children_of() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$1" '{ pid = $1; sub(/.*\) /, "") } $2 == p { print pid }'
}

# Sets REAP_STATUS to the wait status of a child of this shell (137: killed
# by SIGKILL; 127: not a child).  Call it as a command, not inside $(...):
# a subshell does not know this shell's children.
reap_status() {
	wait "$1" 2>/dev/null
	REAP_STATUS=$?
}
