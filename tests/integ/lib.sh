# Shared by the integration tests: TAP-style checks, test processes that die
# with the test, and cleanup that runs however the test ends.
# Needs: OOMTOP (the binary under test), HELPERS (folder of memhog, churn).

set -u
: "${OOMTOP:?OOMTOP must name the oomtop binary}"
T_LANE=${T_LANE:-release} # or asan: the sanitized build, slower to start
: "${HELPERS:?HELPERS must name the folder of test helpers}"

T_NUM=0
T_FAILED=0
T_HOGS=""
T_CLEANUPS=""
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/oomtop-test.XXXXXX")
# A fifo nobody writes to: `read -t` on it sleeps without starting a process.
mkfifo "$T_TMP/idle" && exec {T_IDLE}<>"$T_TMP/idle"

# Runs the registered cleanups, kills every test process and removes the temp dir.
t_cleanup() {
	for c in $T_CLEANUPS; do "$c" || true; done
	{
		for p in $T_HOGS; do kill -9 "$p" || true; done
		for p in $T_HOGS; do wait "$p" || true; done
	} 2>/dev/null
	rm -rf "$T_TMP"
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM

# Registers a function to run at cleanup (cgroup removal and the like).
at_cleanup() { T_CLEANUPS="$1 $T_CLEANUPS"; }

# Records one check from a status: ok STATUS "description" (0 passes).
# The status is passed explicitly ($?) because a command substitution in the
# description would otherwise replace it.
ok() {
	local status=$1 desc=$2
	T_NUM=$((T_NUM + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok $T_NUM - $desc"
	else
		echo "not ok $T_NUM - $desc"
		T_FAILED=$((T_FAILED + 1))
	fi
}

# Checks that two values are equal: is ACTUAL EXPECTED "description".
is() {
	T_NUM=$((T_NUM + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $T_NUM - $3"
	else
		echo "not ok $T_NUM - $3"
		echo "#   got:      '$1'"
		echo "#   expected: '$2'"
		T_FAILED=$((T_FAILED + 1))
	fi
}

# Prints a diagnostic line.
diag() { echo "# $*"; }

# Ends the test: exit status says whether every check passed.
done_testing() {
	echo "1..$T_NUM"
	[ "$T_FAILED" -eq 0 ] || { echo "# $T_FAILED of $T_NUM checks failed"; exit 1; }
	exit 0
}

# Sleeps SECONDS (fractions allowed) without starting a process.
t_sleep() { read -r -t "$1" -u "$T_IDLE" _ 2>/dev/null; return 0; }

# Tells whether a memhog's output file has its "ready" line, with no
# process started (each one costs a tenth of a second in the VM lane).
t_ready() {
	local line
	{ while IFS= read -r line; do [[ $line == ready* ]] && return 0; done <"$1"; } 2>/dev/null
	return 1
}

# Starts a memhog in the background with the given options; sets HOG to its pid.
# The hog dies with this shell (PR_SET_PDEATHSIG), and at cleanup in any case.
spawn_hog() {
	local out="$T_TMP/hog.$RANDOM.$RANDOM" i
	(cd "$T_TMP" && exec "$HELPERS/memhog" "$@") >"$out" 2>&1 &
	HOG=$!
	T_HOGS="$T_HOGS $HOG"
	for ((i = 0; i < 500; i++)); do
		t_ready "$out" && return 0
		kill -0 "$HOG" 2>/dev/null || break
		t_sleep 0.01
	done
	echo "# memhog $* did not get ready: $(cat "$out")"
	return 1
}

# Starts vmshare (a process and a child sharing its memory, clone CLONE_VM);
# sets VP and VC to their pids.  Both die with this shell, and at cleanup.
spawn_vmshare() {
	local out="$T_TMP/vm.$RANDOM" i
	"$HELPERS/vmshare" >"$out" &
	T_HOGS="$T_HOGS $!"
	for ((i = 0; i < 500; i++)); do
		t_ready "$out" && break
		t_sleep 0.01
	done
	read -r _ VP VC <"$out"
	T_HOGS="$T_HOGS $VC"
}

# Kills and reaps one test process.
kill_hog() { { kill -9 "$1"; wait "$1"; } 2>/dev/null || true; }

# Prints the oom_score_adj of pid $1 as the kernel holds it.
adj_of() { cat "/proc/$1/oom_score_adj"; }

# Prints 64 random hex digits: a container id no one else on the machine has.
random_hex64() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }

# Prints the pages the kernel charges pid (rss + swap + page tables), from its status file.
charged_pages() {
	awk -v pk="$(($(getconf PAGESIZE) / 1024))" '
		/^(RssAnon|RssFile|RssShmem|VmSwap):/ { p += $2 / pk }
		/^VmPTE:/ { p += int($2 / pk) }
		END { print p }' "/proc/$1/status"
}

# Prints the pages the kernel's OOM killer charges pid (oom_badness() before
# adj): rss + swap + page tables, rss counted as that kernel counts it: from
# 6.2 to 6.18 the per-cpu counters without their unflushed parts (stat's field
# 24, get_mm_rss()), otherwise the sums status shows.
kernel_pages() {
	local rel major minor
	rel=$(uname -r)
	major=${rel%%.*}
	minor=${rel#*.}
	minor=${minor%%[!0-9]*}
	if [ "$major" = 6 ] && [ "$minor" -ge 2 ] && [ "$minor" -lt 19 ]; then
		awk -v pk="$(($(getconf PAGESIZE) / 1024))" -v rss="$(awk '{ print $24 }' "/proc/$1/stat")" '
			/^VmSwap:/ { p += $2 / pk }
			/^VmPTE:/ { p += int($2 / pk) }
			END { print p + rss }' "/proc/$1/status"
	else
		charged_pages "$1"
	fi
}

# Prints the global OOM domain in pages: MemTotal + SwapTotal.
total_pages() {
	awk -v pk="$(($(getconf PAGESIZE) / 1024))" '
		/^(MemTotal|SwapTotal):/ { p += int($2 / pk) } END { print p }' /proc/meminfo
}

# Prints the directory of the memory controller's hierarchy: the v1 memory
# mount if there is one (hybrid hosts), else the v2 mount when it offers memory.
memcg_root() {
	local v1 v2
	v1=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' /proc/self/mounts)
	if [ -n "$v1" ]; then echo "$v1"; return 0; fi
	v2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	if [ -n "$v2" ] && grep -qw memory "$v2/cgroup.controllers" 2>/dev/null; then echo "$v2"; return 0; fi
	return 1
}

T_MEMCGS=""
# Creates a memory cgroup NAME (may be nested: a/b) under the controller's root
# with a limit of LIMIT_MIB (none if "max"); sets MEMCG to its directory and
# MEMCG_PATH to its path as /proc/PID/cgroup shows it. Removed at cleanup.
memcg_create() {
	local name=$1 limit=$2 root dir
	root=$(memcg_root) || { echo "# no memory cgroup controller"; return 1; }
	dir="$root/$name"
	mkdir -p "$dir" || return 1
	T_MEMCGS="$root/${name%%/*} $T_MEMCGS"
	if [ -f "$root/cgroup.subtree_control" ]; then
		# v2: every level on the way needs +memory for its children
		local d="$root" part
		for part in $(echo "$name" | tr '/' ' '); do
			echo +memory >"$d/cgroup.subtree_control" 2>/dev/null || true
			d="$d/$part"
		done
		[ "$limit" = max ] || echo $((limit * 1024 * 1024)) >"$dir/memory.max"
	else
		[ "$limit" = max ] || echo $((limit * 1024 * 1024)) >"$dir/memory.limit_in_bytes"
	fi
	MEMCG=$dir
	MEMCG_PATH=/${dir#"$root"/}
}

# Removes the cgroups made by memcg_create, killing what is still inside.
memcg_cleanup() {
	local d p i
	for d in $T_MEMCGS; do
		[ -d "$d" ] || continue
		for p in $(find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
	done
	for d in $T_MEMCGS; do
		for i in $(seq 1 100); do
			[ -d "$d" ] || break
			find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
			[ -d "$d" ] && sleep 0.05
		done
	done
}
at_cleanup memcg_cleanup

# --- Memory cgroup OOMs: the kernel names its victim (tests of prediction) ---

# Prints the state letter of pid (Z for a zombie), or "gone".
proc_state() {
	local s
	s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || { echo gone; return; }
	echo "${s%% *}"
}

# Prints the pids the kernel's log (or the saved log FILE) names as killed by
# OOMs of the memory cgroup PATH (as in /proc/PID/cgroup), in order
# ("oom-kill:...,oom_memcg=PATH,...,pid=N,").
oom_victims() {
	{ if [ -n "${2:-}" ]; then cat "$2"; else dmesg; fi; } 2>/dev/null |
		awk -v m="oom_memcg=$1," 'index($0, "oom-kill:") && index($0, m) &&
			match($0, /,pid=[0-9]+/) { print substr($0, RSTART + 5, RLENGTH - 5) }'
}

# Makes the kernel choose a victim in memory cgroup DIR: memfill joins DIR,
# fills the limit of LIMIT_DIR (default DIR) with shmem no process maps up to
# LEAVE_KIB (default 2048) below it, then allocates until one OOM kill. Sets
# TRIGGER to memfill's pid and OOM_VICTIM to the first pid the kernel's log
# names for that cgroup ("" if none).  The log is followed while it happens
# (other OOMs on a busy host can push the lines out of the ring buffer before
# a later read); if it still has no line, the one process of the cgroup that
# died is the victim.
memcg_oom_kill() {
	local dir=$1 limit_dir=${2:-$1} leave=${3:-2048} out="$T_TMP/memfill.$RANDOM" klog="$T_TMP/kmsg.$RANDOM"
	local i path root follower="" before="" gone p
	OOM_VICTIM=""
	root=$(memcg_root)
	path=/${limit_dir#"$root"/}
	for p in $(find "$limit_dir" -name cgroup.procs -exec cat {} + 2>/dev/null); do
		[ "$(proc_state "$p")" = Z ] || before="$before $p" # (a leader that exited is Z already)
	done
	if dmesg --help 2>&1 | grep -q -- --follow-new; then
		dmesg --follow-new >"$klog" 2>/dev/null &
		follower=$!
		sleep 0.2
	fi
	"$HELPERS/memfill" --cgroup "$dir" --limit-dir "$limit_dir" --leave-kib "$leave" >"$out" 2>&1 &
	TRIGGER=$!
	T_HOGS="$T_HOGS $TRIGGER"
	for i in $(seq 1 1500); do
		grep -qE '^(oom|no-oom)' "$out" 2>/dev/null && break
		kill -0 "$TRIGGER" 2>/dev/null || break
		sleep 0.02
	done
	if [ -n "$follower" ]; then
		sleep 0.2
		kill_hog "$follower"
		OOM_VICTIM=$(oom_victims "$path" "$klog" | head -n 1)
	fi
	[ -n "$OOM_VICTIM" ] || OOM_VICTIM=$(oom_victims "$path" | head -n 1)
	if [ -z "$OOM_VICTIM" ]; then
		gone=""
		for p in $before; do [ "$(proc_state "$p")" = gone ] || [ "$(proc_state "$p")" = Z ] && gone="$gone $p"; done
		[ "$(echo $gone | wc -w)" = 1 ] && OOM_VICTIM=$(echo $gone) && diag "the kernel's log lost the kill; $OOM_VICTIM died"
	fi
	[ -n "$OOM_VICTIM" ] || diag "no OOM kill in $path; memfill said: $(tr '\n' ' ' <"$out")"
	kill_hog "$TRIGGER" # its shmem goes with it
}

# Kills every process in the cgroup DIR and below (a finished scenario's).
memcg_kill_all() {
	local p
	for p in $(find "$1" -name cgroup.procs -exec cat {} + 2>/dev/null); do kill_hog "$p"; done
}

# Makes the kernel choose the victim of a global OOM (the VM lane only): memfill
# fills the machine with shmem no process maps until MemAvailable is LEAVE_KIB
# (default 8192), then allocates until one OOM kill and exits.  This shell only
# waits meanwhile: a polling loop would fork while memory is short, and with
# vm.oom_kill_allocating_task=1 the kernel would kill the test itself.  Sets
# TRIGGER and OOM_VICTIM (the first global victim the kernel's log names after
# the start).
global_oom_kill() {
	local leave=${1:-8192} out="$T_TMP/memfill.$RANDOM" before
	before=$(dmesg | grep -c 'oom-kill:.*global_oom,')
	OOMTOP_ALLOW_GLOBAL_OOM=1 "$HELPERS/memfill" --global --exit --leave-kib "$leave" >"$out" 2>&1 &
	TRIGGER=$!
	T_HOGS="$T_HOGS $TRIGGER"
	wait "$TRIGGER"
	OOM_VICTIM=$(dmesg | grep 'oom-kill:.*global_oom,' | tail -n +$((before + 1)) | head -n 1 |
		sed -n 's/.*,pid=\([0-9]*\),.*/\1/p')
	[ -n "$OOM_VICTIM" ] || diag "no global OOM kill; memfill said: $(tr '\n' ' ' <"$out")"
}

# Prints the pid with the highest /proc/PID/oom_score among the pids given
# (what ps, top and the usual shell loop would name), or "tie:N" when N share it.
oom_score_pick() {
	local p
	for p in "$@"; do echo "$(cat "/proc/$p/oom_score" 2>/dev/null || echo -1) $p"; done | sort -rn |
		awk 'NR == 1 { top = $1; pid = $2; n = 1; next } $1 == top { n++ }
			END { if (n > 1) print "tie:" n; else print pid }'
}

# Prints one line for the baseline tally: "# baseline NAME: oom_score picks same|other|tie:N".
baseline() {
	local name=$1 pick=$2 victim=$3 verdict
	case "$pick" in tie:*) verdict=$pick ;; "$victim") verdict=same ;; *) verdict=other ;; esac
	echo "# baseline $name: oom_score picks $verdict"
}
