# Every --json output has exactly the keys doc/json.md lists, with the
# documented types and null-ability: the tables of the doc are the schema.
. "$(dirname "$0")/lib.sh"

DOC=$(dirname "$0")/../../doc/json.md

# Prints the rows of the doc's section SECTION as a JSON object keyed by path:
# {"[].pid": {"type": "integer", "nullable": false, "optional": false}, ...}
schema() {
	awk -v want="$1" '
		/^## / { section = substr($0, 4); next }
		section == want && /^\| `/ {
			n = split($0, f, "|")
			key = f[2]; gsub(/^ +| +$/, "", key)
			optional = key ~ /\(optional\)$/
			sub(/ *\(optional\)$/, "", key); gsub(/`/, "", key)
			type = f[3]; gsub(/ /, "", type)
			nul = f[4]; gsub(/ /, "", nul)
			printf "%s\t%s\t%s\t%d\n", key, type, nul, optional
		}' "$DOC" |
		jq -R -s 'split("\n") | map(select(length > 0) | split("\t")) |
			map({ key: .[0], value: { type: .[1], nullable: (.[2] == "yes"), optional: (.[3] == "1") } }) |
			from_entries'
}

# The checks, in jq: prints one line per difference between OUTPUT and the schema.
JQ_CHECK='
def norm: reduce .[] as $k (""; if ($k | type) == "number" then . + "[]" else . + "." + $k end);
def parent_key: capture("^(?<parent>.*)\\.(?<key>[a-z0-9_]+)$");
. as $out
| [paths] as $ps
| ( $ps[] as $p | ($out | getpath($p)) as $v | ($p | norm) as $n | $schema[$n] as $d
    | if $d == null then "undocumented key \($n)"
      elif $v == null then (if $d.nullable then empty else "\($n) is null, documented as never null" end)
      elif $d.type == "integer" then
        (if ($v | type) == "number" and ($v | floor) == $v then empty else "\($n) is \($v | tojson), not an integer" end)
      elif ($v | type) == $d.type then empty
      else "\($n) is a \($v | type), documented as \($d.type)" end ),
  ( ([[]] + $ps)[] as $p | ($out | getpath($p)) as $obj | select(($obj | type) == "object")
    | ($p | norm) as $n
    | $schema | to_entries[] | select(.value.optional | not) | (.key | parent_key?) as $pk
    | select($pk != null and $pk.parent == $n) | select($obj | has($pk.key) | not)
    | "\($n).\($pk.key) is missing" )
'

# Checks one command's output against section SECTION: check SECTION DESCRIPTION FILE.
check() {
	local s
	s=$(schema "$1")
	[ "$(echo "$s" | jq length)" -gt 5 ]
	ok $? "doc/json.md has a table for '$1' ($(echo "$s" | jq length) keys)"
	jq -e . "$3" >/dev/null 2>&1
	ok $? "$2: valid JSON"
	jq -r --argjson schema "$s" "$JQ_CHECK" "$3" >"$T_TMP/diff" 2>&1
	ok $? "$2: the jq check ran"
	[ ! -s "$T_TMP/diff" ]
	ok $? "$2: exactly the documented keys and types"
	[ -s "$T_TMP/diff" ] && sed 's/^/#   /' "$T_TMP/diff" | sort -u | head -20
	return 0
}

# Processes that make the optional and nullable parts appear: a protected
# parent with a child that inherits -1000 (only where this may lower adj),
# and a process in a limited memory cgroup.
spawn_hog --anon 8 --adj 1000 --name schema_v || exit 1
V=$HOG
if memcg_create "oomtop-schema-$$" 256; then
	spawn_hog --cgroup "$MEMCG" --anon 4 --name schema_cg || exit 1
	CG=$HOG
else
	CG=$V
fi

# A service whose unit file (below a root of the test's, OOMTOP_UNIT_ROOT)
# declares a value its process does not hold, and a pod's process: the
# status's units and explain's adj_owner.
SVC=$V
POD=$V
if [ "$CG" != "$V" ]; then
	export OOMTOP_UNIT_ROOT=$T_TMP/root
	mkdir -p "$OOMTOP_UNIT_ROOT/usr/lib/systemd/system"
	printf '[Service]\nOOMScoreAdjust=100\n' >"$OOMTOP_UNIT_ROOT/usr/lib/systemd/system/oomtop-schema-$$.service"
	memcg_create "oomtop-schema-$$/system.slice/oomtop-schema-$$.service" max &&
		spawn_hog --cgroup "$MEMCG" --adj 300 --name schema_svc && SVC=$HOG
	memcg_create "oomtop-schema-$$/kubepods/besteffort/pod$(cat /proc/sys/kernel/random/uuid)" max &&
		spawn_hog --cgroup "$MEMCG" --adj 1000 --name schema_pod && POD=$HOG
fi

"$OOMTOP" top --json >"$T_TMP/top.json"
check top "top --json" "$T_TMP/top.json"
"$OOMTOP" top --json -n 5 --all >"$T_TMP/top.json"
check top "top --json --all" "$T_TMP/top.json"
"$OOMTOP" top --by workload --json -a >"$T_TMP/by.json"
check "top --by workload" "top --by workload --json --all" "$T_TMP/by.json"
if [ "$CG" != "$V" ]; then
	"$OOMTOP" top --json --cgroup "$MEMCG_PATH" >"$T_TMP/top.json"
	check top "top --json --cgroup" "$T_TMP/top.json"
	jq -e 'length > 0 and all(.[]; has("domain"))' "$T_TMP/top.json" >/dev/null
	ok $? "top --json --cgroup: the optional key is there"
fi
for p in "$V" "$CG" "$SVC" "$POD" 1 2 "$$"; do
	"$OOMTOP" explain "$p" --json >"$T_TMP/explain.json" 2>/dev/null || continue
	check explain "explain $p --json" "$T_TMP/explain.json"
done
"$OOMTOP" status --json >"$T_TMP/status.json"
check status "status --json" "$T_TMP/status.json"
jq -e '.units | length > 0 and all(.[]; .first_differing != null and .declared_in != null)' "$T_TMP/status.json" >/dev/null
ok $? "status --json: a unit entry with its optional parts is there"
"$OOMTOP" explain --json "$SVC" | jq -e '.adj_owner.by == "unit" and .adj_owner.file != null' >/dev/null
ok $? "explain --json: a unit's adj_owner is there"
corpus=$(dirname "$0")/../corpus/klog
"$OOMTOP" log --json "$corpus"/*.dmesg* "$corpus"/*.journal "$corpus"/*.messages "$corpus"/*.kernlog \
	"$corpus"/*.rsyslog "$corpus"/*.kmsg >"$T_TMP/log.json" 2>/dev/null
check log "log --json on the corpus" "$T_TMP/log.json"
"$OOMTOP" log --json --tasks "$corpus"/*.dmesg* "$corpus"/*.journal >"$T_TMP/log.json" 2>/dev/null
check log "log --json --tasks" "$T_TMP/log.json"
jq -e 'length > 0 and all(.[]; has("tasks") and has("tasks_dropped"))' "$T_TMP/log.json" >/dev/null
ok $? "log --json --tasks: the optional keys are there"
"$OOMTOP" log --json --summary "$corpus"/*.dmesg* >"$T_TMP/sum.json" 2>/dev/null
check "log --summary" "log --json --summary FILE" "$T_TMP/sum.json"
timeout 20 "$OOMTOP" log --json --summary >"$T_TMP/sum.json" 2>/dev/null
[ $? -le 1 ] && check "log --summary" "log --json --summary (this machine)" "$T_TMP/sum.json"

# the checker itself finds a drift: an extra key, a wrong type, a missing key
echo '[{"pid": 1, "surprise": 2}]' >"$T_TMP/bad.json"
jq -r --argjson schema "$(schema top)" "$JQ_CHECK" "$T_TMP/bad.json" >"$T_TMP/diff"
grep -q 'undocumented key \[\].surprise' "$T_TMP/diff" && grep -q '\[\].comm is missing' "$T_TMP/diff" &&
	! grep -q 'domain is missing' "$T_TMP/diff"
ok $? "the check reports an undocumented key and a missing one, not an optional one"
echo '[{"pid": "1"}]' >"$T_TMP/bad.json"
jq -r --argjson schema "$(schema top)" "$JQ_CHECK" "$T_TMP/bad.json" | grep -qF '[].pid is "1", not an integer'
ok $? "the check reports a wrong type"
done_testing
