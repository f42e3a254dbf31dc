# vm-cost: 7
# vm-timeout: 120
# Protection with -1000 and what status and explain say about it: inherited
# -1000 traced to the shell that set it, panic_on_oom and overcommit warnings.
. "$(dirname "$0")/../integ/lib.sh"

out="$T_TMP/shell.out"
bash -c 'echo -1000 >/proc/self/oom_score_adj; "$1/memhog" --anon 2 --name kid1 & "$1/memhog" --anon 3 --name kid2 & wait' _ "$HELPERS" >"$out" 2>&1 &
S=$!
T_HOGS="$T_HOGS $S"
for i in $(seq 1 500); do [ "$(grep -c '^ready' "$out")" = 2 ] && break; sleep 0.02; done
K1=$(awk '/^ready/ { print $2; exit }' "$out")
json=$("$OOMTOP" status --json)
is "$(echo "$json" | jq -r ".protected[] | select(.pid == $S) | .inherited_from")" null "the shell that set -1000 has it of its own"
is "$(echo "$json" | jq -r "[.protected[] | select(.inherited_from == $S)] | length")" 2 "its two children only inherited it"
echo "$json" | jq -e --arg k "$K1 \\([^)]*\\) from $S " \
	'.warnings | any(test("only inherited it from a protected parent") and test($k))' >/dev/null
ok $? "status warns about inherited protection, naming a child and the ancestor it inherited from"
json=$("$OOMTOP" explain --json "$K1")
is "$(echo "$json" | jq -r '[.killable, .oom_score_adj, .inherited_from.pid] | map(tostring) | join(",")')" "false,-1000,$S" \
	"explain: not killable, -1000 inherited from the shell"
"$OOMTOP" explain "$K1" | grep -q "oom_score_adj -1000 is inherited: $S (bash) has it"
ok $? "explain traces it in the text"
is "$(echo "$json" | jq -r '.domains[0].would_rank | type')" number "and says where it would rank at 0"

echo 1 >/proc/sys/vm/panic_on_oom
restore() { echo 0 >/proc/sys/vm/panic_on_oom; echo 0 >/proc/sys/vm/overcommit_memory; echo 0 >/proc/sys/vm/overcommit_kbytes; }
at_cleanup restore
"$OOMTOP" status --json | jq -e '.warnings | index("panic_on_oom=1: a global OOM panics the machine instead of killing a process")' >/dev/null
ok $? "status warns about panic_on_oom=1"
"$OOMTOP" explain "$K1" | grep -q "vm.panic_on_oom = 1: a global OOM panics the machine; a cgroup OOM still kills"
ok $? "explain says what panic_on_oom=1 does"
echo 0 >/proc/sys/vm/panic_on_oom

# overcommit_memory=2 with the commit limit 8% above what is committed
c=$(awk '/^Committed_AS:/ { print $2 }' /proc/meminfo)
echo $((c * 100 / 92)) >/proc/sys/vm/overcommit_kbytes
echo 2 >/proc/sys/vm/overcommit_memory
json=$("$OOMTOP" status --json)
st=$?
echo 0 >/proc/sys/vm/overcommit_memory
is "$st" 0 "status runs under overcommit_memory=2"
echo "$json" | jq -e '.warnings | any(test("^overcommit_memory=2 and Committed_AS is (9[0-9]|1[0-9][0-9])% of CommitLimit: allocations will start failing$"))' >/dev/null
ok $? "status warns that allocations will start failing"
done_testing
