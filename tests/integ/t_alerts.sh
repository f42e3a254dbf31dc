# etc/oomtop-alerts.yml: promtool checks the rules and runs their unit tests
# (tests/prom/alerts_test.yml); every metric they and their tests name is one
# `oomtop status --format=prometheus` writes; and the headroom rule, fed the
# real series of a memory cgroup this test fills to 97% of its limit, fires
# for it only when its first victim's oom_score_adj is below 0 (this host
# cannot lower one, so that value is put in the series, not in the kernel).
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RULES=$ROOT/etc/oomtop-alerts.yml

promtool check rules "$RULES" >"$T_TMP/check.out" 2>&1
ok $? "promtool check rules: $(tr '\n' ' ' <"$T_TMP/check.out")"
grep -q 'SUCCESS: 5 rules found' "$T_TMP/check.out"
ok $? "5 rules"
promtool test rules "$ROOT/tests/prom/alerts_test.yml" >"$T_TMP/test.out" 2>&1
ok $? "promtool test rules tests/prom/alerts_test.yml: $(tr '\n' ' ' <"$T_TMP/test.out" | cut -c1-2000)"

# the names are real: each is a family of a real scan (with a cgroup that has a victim)
N=oomtop-alerts-$$
memcg_create "$N" 128 || exit 1
spawn_hog --cgroup "$MEMCG" --anon 124 --name alertvictim || exit 1
"$OOMTOP" status --format=prometheus >"$T_TMP/out.prom"
ok $? "status --format=prometheus exits 0"
families=$(sed -n 's/^# TYPE \([a-z_]*\) .*/\1/p' "$T_TMP/out.prom")
for f in $(grep -ohE 'oomtop_[a-z_]+' "$RULES" "$ROOT/tests/prom/alerts_test.yml" | sort -u); do
	echo "$families" | grep -qxF "$f"
	ok $? "$f, which the rules or their tests name, is a family oomtop writes"
done

# the real series of this cgroup, scraped every minute from host h for 15 minutes
ratio=$(awk -v m="oomtop_cgroup_memory_usage_ratio{cgroup=\"$MEMCG_PATH\"}" '$1 == m { print $2 }' "$T_TMP/out.prom")
awk -v r="$ratio" 'BEGIN { exit !(r >= 0.95 && r < 1) }'
ok $? "the cgroup is within 5% of its limit ($ratio)"
is "$(grep -c "^oomtop_cgroup_next_victim_info{cgroup=\"$MEMCG_PATH\",comm=\"alertvictim\"} 1$" "$T_TMP/out.prom")" 1 \
	"its first victim is alertvictim"
# Writes a promtool test of the real series (adj replaced by $1 when given) expecting $2 (a YAML list).
real_test() {
	{
		echo "rule_files: ['$RULES']"
		echo "evaluation_interval: 1m"
		echo "tests:"
		echo "  - interval: 1m"
		echo "    input_series:"
		grep "^oomtop_cgroup_[a-z_]*{cgroup=\"$MEMCG_PATH\"" "$T_TMP/out.prom" | while read -r series value; do
			case "$series" in oomtop_cgroup_next_victim_oom_score_adj*) value=${1:-$value} ;; esac
			echo "      - series: '${series%\}},instance=\"h\",job=\"node\"}'"
			echo "        values: '${value}x15'"
		done
		echo "    alert_rule_test:"
		echo "      - eval_time: 10m"
		echo "        alertname: OomtopProtectedVictimNearLimit"
		echo "        exp_alerts: $2"
	} >"$T_TMP/real_test.yml"
}
real_test "" "[]"
promtool test rules "$T_TMP/real_test.yml" >"$T_TMP/real.out" 2>&1
ok $? "fed the real series (adj 0), the headroom rule does not fire: $(tr '\n' ' ' <"$T_TMP/real.out" | cut -c1-1500)"
# humanizePercentage: the value times 100 as %.4g, and %
pct=$(awk -v r="$ratio" 'BEGIN { printf "%.4g%%", r * 100 }')
real_test -500 "
          - exp_labels: { severity: critical, instance: h, job: node, cgroup: '$MEMCG_PATH', comm: alertvictim }
            exp_annotations:
              summary: 'cgroup $MEMCG_PATH on h is near its limit; its first victim is protected-looking alertvictim'
              description: 'Memory cgroup $MEMCG_PATH on h uses $pct of its limit, and the OOM killer would kill alertvictim first, a process with a negative oom_score_adj; \`oomtop top --cgroup $MEMCG_PATH\` there shows the ranking.'"
promtool test rules "$T_TMP/real_test.yml" >"$T_TMP/real.out" 2>&1
ok $? "with its adj at -500, it fires for $MEMCG_PATH and alertvictim: $(tr '\n' ' ' <"$T_TMP/real.out" | cut -c1-1500)"

# A service whose unit file (below the test's own root, OOMTOP_UNIT_ROOT)
# declares OOMScoreAdjust=-500, and its process at 0 (as when systemd could
# not lower it): the real series make the unit rule fire for it.
U=oomtop-alert-$$.service
export OOMTOP_UNIT_ROOT=$T_TMP/root
mkdir -p "$OOMTOP_UNIT_ROOT/usr/lib/systemd/system"
printf '[Service]\nOOMScoreAdjust=-500\n' >"$OOMTOP_UNIT_ROOT/usr/lib/systemd/system/$U"
memcg_create "$N-u/system.slice/$U" max || exit 1
spawn_hog --cgroup "$MEMCG" --anon 1 --name alertunit || exit 1
"$OOMTOP" status --format=prometheus >"$T_TMP/unit.prom"
unset OOMTOP_UNIT_ROOT
is "$(grep -F "{unit=\"$U\"}" "$T_TMP/unit.prom" | sort | tr '\n' ' ')" \
	"oomtop_unit_oom_score_adj_declared{unit=\"$U\"} -500 oomtop_unit_processes_not_holding{unit=\"$U\"} 1 " \
	"the unit's series: -500 declared, 1 process not holding it"
{
	echo "rule_files: ['$RULES']"
	echo "evaluation_interval: 1m"
	echo "tests:"
	echo "  - interval: 1m"
	echo "    input_series:"
	grep -F "{unit=\"$U\"}" "$T_TMP/unit.prom" | while read -r series value; do
		echo "      - series: '${series%\}},instance=\"h\",job=\"node\"}'"
		echo "        values: '${value}x15'"
	done
	echo "    alert_rule_test:"
	echo "      - eval_time: 10m"
	echo "        alertname: OomtopUnitProtectionNotHeld"
	echo "        exp_alerts:"
	echo "          - exp_labels: { severity: warning, instance: h, job: node, unit: '$U' }"
	echo "            exp_annotations:"
	echo "              summary: '$U on h does not hold the protection it declares'"
	echo "              description: '1 process(es) of $U on h do not hold the oom_score_adj its unit files declare (OOMScoreAdjust=); \`oomtop status\` there names them, and \`oomtop explain PID\` says what owns their value.'"
} >"$T_TMP/unit_test.yml"
promtool test rules "$T_TMP/unit_test.yml" >"$T_TMP/unit.out" 2>&1
ok $? "fed the real series, the unit rule fires for $U: $(tr '\n' ' ' <"$T_TMP/unit.out" | cut -c1-1500)"
done_testing
