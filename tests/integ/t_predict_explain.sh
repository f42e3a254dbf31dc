# `oomtop explain PID`: the breakdown agrees with the kernel's files, the ranks
# with `top --cgroup`, and the oom_score_adj it says would make a process the
# first victim (or stop it being one) is checked against the kernel: one
# below the value the kernel kills another process, at the value it kills
# this one.
. "$(dirname "$0")/lib.sh"

N=oomtop-e$$
PK=$(($(getconf PAGESIZE) / 1024))

memcg_create "$N-a" 256
spawn_hog --cgroup "$MEMCG" --anon 20 --name big; A=$HOG
spawn_hog --cgroup "$MEMCG" --anon 8 --name small; B=$HOG
json=$("$OOMTOP" explain --json "$B")
ok $? "explain --json exits 0"
echo "$json" | jq -e 'has("pid") and has("comm") and has("killable") and has("oom_score") and
	has("oom_score_computed") and has("badness") and (.domains | all(has("domain") and has("totalpages")
	and has("rank") and has("badness")))' >/dev/null
ok $? "the documented keys are there"
is "$(echo "$json" | jq -r '[.pid, .comm, .killable, .cgroup] | map(tostring) | join(" ")')" "$B small true $MEMCG_PATH" \
	"pid, comm, killable, cgroup"
is "$(echo "$json" | jq -r '.oom_score')" "$(cat "/proc/$B/oom_score")" "oom_score is the kernel's"
is "$(echo "$json" | jq -r '.oom_score == .oom_score_computed')" true "and oomtop's recomputation agrees"
is "$(echo "$json" | jq -r '.memory.anon_pages')" "$(($(awk '/^RssAnon:/ { print $2 }' "/proc/$B/status") / PK))" \
	"anon pages from status"
is "$(echo "$json" | jq -r '.memory.base_pages')" "$(kernel_pages "$B")" "rss + swap + page tables as the kernel counts them"
is "$(echo "$json" | jq -r '[.domains[].domain] | join(",")')" "global,$MEMCG_PATH" "its domains: global and the cgroup"
is "$(echo "$json" | jq -r '.domains[1] | [.totalpages, .limit_pages, .rank, .candidates] | map(tostring) | join(" ")')" \
	"65536 65536 2 2" "in the cgroup: 65536 pages, rank 2 of 2"
top=$("$OOMTOP" top --cgroup "$MEMCG_PATH" --json)
is "$(echo "$json" | jq -r '.domains[1].badness')" "$(echo "$top" | jq -r ".[] | select(.pid == $B) | .badness")" \
	"the same badness as top --cgroup"
is "$(echo "$json" | jq -r '.domains[1].above | [.pid, .margin_pages] | map(tostring) | join(" ")')" \
	"$A $(echo "$top" | jq -r '.[0].badness - .[1].badness')" "the process above it and the margin in pages"
is "$(echo "$json" | jq -r '.domains[1].below')" null "nothing below it"
is "$(echo "$json" | jq -r '.domains[0].domain, .domains[0].totalpages' | tr '\n' ' ')" "global $(total_pages) " \
	"the global domain is RAM + swap"
text=$("$OOMTOP" explain "$B")
ok $? "explain exits 0"
echo "$text" | grep -q "^PID $B (small), state S"
ok $? "the text names the process"
echo "$text" | grep -q "rank 2 of 2, badness"
ok $? "and its rank in the cgroup"
echo "$text" | grep -q "to be the first victim: oom_score_adj [0-9]* or more (now 0)"
ok $? "and the adj it would need"

# The adj that makes B the first victim, checked by the kernel: one below it
# in one cgroup (the kernel kills A there), the value itself in a twin cgroup.
need=$(echo "$json" | jq -r '.domains[1].adj_to_be_first')
[ "$need" -ge 1 ] 2>/dev/null
ok $? "explain says B needs oom_score_adj $need to be first"
echo $((need - 1)) >"/proc/$B/oom_score_adj"
is "$("$OOMTOP" top --cgroup "$MEMCG_PATH" --json | jq -r '.[0].pid')" "$A" "at adj $((need - 1)) A is still first"
memcg_oom_kill "$MEMCG"
is "$OOM_VICTIM" "$A" "the kernel kills A at adj $((need - 1))"
memcg_create "$N-b" 256
spawn_hog --cgroup "$MEMCG" --anon 20 --name big; A=$HOG
spawn_hog --cgroup "$MEMCG" --anon 8 --name small; B=$HOG
need=$("$OOMTOP" explain --json "$B" | jq -r '.domains[1].adj_to_be_first')
echo "$need" >"/proc/$B/oom_score_adj"
ok $? "adj $need set on the twin"
is "$("$OOMTOP" top --cgroup "$MEMCG_PATH" --json | jq -r '.[0].pid')" "$B" "at adj $need B is first"
is "$("$OOMTOP" explain --json "$B" | jq -r '.domains[1].rank')" 1 "explain agrees"
memcg_oom_kill "$MEMCG"
is "$OOM_VICTIM" "$B" "the kernel kills B at adj $need"

# The adj below which the first victim is spared, the same way (adj >= 0 here).
memcg_create "$N-c" 256
spawn_hog --cgroup "$MEMCG" --anon 20 --name big; A=$HOG
spawn_hog --cgroup "$MEMCG" --anon 8 --adj 300 --name boosted; B=$HOG
json=$("$OOMTOP" explain --json "$B")
is "$(echo "$json" | jq -r '.domains[1].rank')" 1 "adj 300 makes the small one first"
stop=$(echo "$json" | jq -r '.domains[1].adj_to_stop_being_first')
echo "$json" | jq -e '.domains[1].below.pid == '"$A" >/dev/null
ok $? "the next one below is A"
[ "$stop" -ge 1 ] 2>/dev/null
ok $? "explain says B stops being first at oom_score_adj $stop"
echo "$stop" >"/proc/$B/oom_score_adj"
memcg_oom_kill "$MEMCG"
is "$OOM_VICTIM" "$A" "the kernel spares B at adj $stop"
memcg_create "$N-d" 256
spawn_hog --cgroup "$MEMCG" --anon 20 --name big; A=$HOG
spawn_hog --cgroup "$MEMCG" --anon 8 --adj 300 --name boosted; B=$HOG
stop=$("$OOMTOP" explain --json "$B" | jq -r '.domains[1].adj_to_stop_being_first')
echo $((stop + 1)) >"/proc/$B/oom_score_adj"
ok $? "adj $((stop + 1)) set on the twin"
memcg_oom_kill "$MEMCG"
is "$OOM_VICTIM" "$B" "the kernel kills B at adj $((stop + 1))"

# Inherited adj, traced to the process that has it.
out="$T_TMP/parent.out"
bash -c 'echo 500 >/proc/self/oom_score_adj; "$1/memhog" --anon 2 --name child & echo "child $!"; wait' _ "$HELPERS" >"$out" 2>&1 &
P=$!
T_HOGS="$T_HOGS $P"
for i in $(seq 1 500); do grep -q '^ready' "$out" && break; sleep 0.01; done
C=$(awk '/^child/ { print $2 }' "$out")
json=$("$OOMTOP" explain --json "$C")
is "$(echo "$json" | jq -r '.oom_score_adj, .inherited_from.pid' | tr '\n' ' ')" "500 $P " \
	"adj 500 inherited from the shell that set it"
"$OOMTOP" explain "$C" | grep -q "oom_score_adj 500 is inherited: $P (bash) has it"
ok $? "the text traces it"
is "$("$OOMTOP" explain --json $$ | jq -r .inherited_from)" null "a process with adj 0 inherited nothing"

# Not killable: a kernel thread, pid 1, a zombie.
is "$("$OOMTOP" explain --json 2 | jq -r '[.killable, .unkillable_reason, .domains[0].rank] | map(tostring) | join(",")')" \
	"false,kernel thread,null" "kthreadd: not killable, no rank"
"$OOMTOP" explain 1 | grep -q "never killed: init (pid 1)"
ok $? "pid 1 is never killed"
out="$T_TMP/leader.out"
(cd "$T_TMP" && exec "$HELPERS/leaderexit" --anon 12 --zombie-child 1 --name lead) >"$out" 2>&1 &
Z=$!
T_HOGS="$T_HOGS $Z"
for i in $(seq 1 500); do grep -q '^ready' "$out" && break; sleep 0.01; done
ZC=$(awk '/^ready/ { print $3 }' "$out")
for i in $(seq 1 100); do [ "$(proc_state "$Z")" = Z ] && break; sleep 0.01; done
is "$("$OOMTOP" explain --json "$ZC" | jq -r '.killable, .unkillable_reason' | tr '\n' ,)" "false,no memory (zombie or exiting)," \
	"a zombie is never killed"
json=$("$OOMTOP" explain --json "$Z")
is "$(echo "$json" | jq -r '.killable, .state' | tr '\n' ,)" "true,Z," "a process whose leader exited can still be killed"
[ "$(echo "$json" | jq -r '.memory.anon_pages')" -ge $((12 * 256)) ]
ok $? "by its live thread's memory"
is "$(echo "$json" | jq -r '.oom_score == .oom_score_computed')" true "the kernel's oom_score agrees"

# Bad input: one clear line, documented exit status.
err=$("$OOMTOP" explain 999999999 2>&1)
is "$?:$err" "1:oomtop: explain: no process 999999999" "a PID that does not exist: exit 1"
"$OOMTOP" explain abc >/dev/null 2>&1
is "$?" 2 "a PID that is not a number: exit 2"
"$OOMTOP" explain >/dev/null 2>&1
is "$?" 2 "no PID: exit 2"
"$OOMTOP" explain 1 2 >/dev/null 2>&1
is "$?" 2 "two PIDs: exit 2"
tid=$(ls "/proc/$Z/task" | grep -vx "$Z" | head -n 1)
is "$("$OOMTOP" explain --json "$tid" 2>/dev/null | jq -r .pid)" "$Z" "a thread id explains its process"
done_testing
