# `oomtop status --format=prometheus` keeps one set of series whoever the
# next victim is: two scans with different next victims (of the machine and
# of a memory cgroup this test makes) give the same series names and label
# names, the same series outside the cgroups but for the victim's comm, and
# one info series each.  It runs in a PID namespace of its own, where /proc
# shows only the processes it started, so the victims are its own.
[ -n "${T_PIDNS:-}" ] || T_PIDNS=1 exec unshare --pid --fork --mount-proc bash "$0" "$@"
. "$(dirname "$0")/lib.sh"

# ($$ is 1 in this namespace: the cgroup's name must be unique on the host)
N=oomtop-series-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
memcg_create "$N" 256 || exit 1
spawn_hog --cgroup "$MEMCG" --anon 48 --adj 500 --name seriesbig || exit 1
BIG=$HOG
# adj 100 puts it above oomtop itself (under Valgrind a big process) in the second scan
spawn_hog --cgroup "$MEMCG" --anon 16 --adj 100 --name seriessmall || exit 1
SMALL=$HOG

# Prints each series of a scan as NAME{LABEL,...}: the label names, not their values.
label_sets() { grep -v '^#' "$1" | sed -E 's/="([^"\\]|\\.)*"//g; s/ [^ ]*$//' | LC_ALL=C sort -u; }
# Prints each series of a scan without a cgroup label, with comm values masked, as NAME{LABELS}.
host_series() {
	grep -v '^#' "$1" | grep -v 'cgroup="' | sed -E 's/comm="([^"\\]|\\.)*"/comm="*"/; s/ [^ ]*$//' | LC_ALL=C sort
}
# Prints the value of one sample of a scan.
# (the next victim's workload labels left out: the test's own cgroup)
value() { sed 's/,workload_kind="[^"]*",workload="[^"]*"//' "$1" | awk -v m="$2" '$1 == m { print $2 }'; }

"$OOMTOP" status --format=prometheus >"$T_TMP/scan1.prom"
ok $? "the first scan exits 0"
kill_hog "$BIG"
"$OOMTOP" status --format=prometheus >"$T_TMP/scan2.prom"
ok $? "the second, with seriesbig gone, exits 0"
for n in 1 2; do
	promtool check metrics <"$T_TMP/scan$n.prom" >"$T_TMP/promtool.out" 2>&1
	ok $? "promtool check metrics accepts scan $n: $(tr '\n' ' ' <"$T_TMP/promtool.out")"
done

# the victims really differ, in the machine and in the cgroup
is "$(value "$T_TMP/scan1.prom" oomtop_next_victim_pid) $(value "$T_TMP/scan2.prom" oomtop_next_victim_pid)" \
	"$BIG $SMALL" "the next victim is seriesbig ($BIG), then seriessmall ($SMALL)"
is "$(value "$T_TMP/scan1.prom" 'oomtop_next_victim_info{comm="seriesbig"}')" 1 "scan 1 names it seriesbig"
is "$(value "$T_TMP/scan2.prom" 'oomtop_next_victim_info{comm="seriessmall"}')" 1 "scan 2 seriessmall"
is "$(value "$T_TMP/scan1.prom" oomtop_next_victim_oom_score_adj) $(value "$T_TMP/scan2.prom" oomtop_next_victim_oom_score_adj)" \
	"500 100" "their oom_score_adj, 500 then 100"
is "$(value "$T_TMP/scan1.prom" "oomtop_cgroup_next_victim_info{cgroup=\"$MEMCG_PATH\",comm=\"seriesbig\"}")" 1 \
	"the cgroup's first victim is seriesbig"
is "$(value "$T_TMP/scan2.prom" "oomtop_cgroup_next_victim_info{cgroup=\"$MEMCG_PATH\",comm=\"seriessmall\"}")" 1 \
	"then seriessmall"
for n in 1 2; do
	is "$(grep -c '^oomtop_next_victim_info{' "$T_TMP/scan$n.prom")" 1 "scan $n has one next_victim_info series"
	is "$(grep -c "^oomtop_cgroup_next_victim_info{cgroup=\"$MEMCG_PATH\"," "$T_TMP/scan$n.prom")" 1 \
		"and one for the cgroup"
done

# the same series
label_sets "$T_TMP/scan1.prom" >"$T_TMP/sets1"
label_sets "$T_TMP/scan2.prom" >"$T_TMP/sets2"
diff "$T_TMP/sets1" "$T_TMP/sets2" >"$T_TMP/sets.diff"
ok $? "the same series names with the same label names ($(wc -l <"$T_TMP/sets1") of them): $(tr '\n' ' ' <"$T_TMP/sets.diff")"
grep -qE '[{,]pid[,}]' "$T_TMP/sets1"
is $? 1 "none of them has a pid label"
host_series "$T_TMP/scan1.prom" >"$T_TMP/host1"
host_series "$T_TMP/scan2.prom" >"$T_TMP/host2"
diff "$T_TMP/host1" "$T_TMP/host2" >"$T_TMP/host.diff"
ok $? "the series without a cgroup are the same, label values too, but for the comm ($(wc -l <"$T_TMP/host1")): $(tr '\n' ' ' <"$T_TMP/host.diff")"
for n in 1 2; do
	grep "cgroup=\"$MEMCG_PATH\"" "$T_TMP/scan$n.prom" | sed -E 's/comm="[^"]*"/comm="*"/; s/ [^ ]*$//' >"$T_TMP/cg$n"
done
diff "$T_TMP/cg1" "$T_TMP/cg2" >/dev/null
ok $? "so are the cgroup's ($(wc -l <"$T_TMP/cg1") series)"
done_testing
