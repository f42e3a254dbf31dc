# vm-cost: 10
# vm-timeout: 300
# `oomtop watch` in the guest, where root may lower values (CAP_SYS_RESOURCE):
# rules at -1000 and -500 hold the moment a matching process starts, through
# the process events connector, and a process started again and again (as a
# unit's Restart= does after an OOM kill) is protected every time.  The rules
# name private copies of a helper, so nothing else in the guest matches.
. "$(dirname "$0")/../integ/lib.sh"
. "$(dirname "$0")/vmlib.sh"

u=$$
cp "$HELPERS/memhog" "$T_TMP/wprot$u"
cp "$HELPERS/memhog" "$T_TMP/wneg$u"
cat >"$T_TMP/w.conf" <<RULES
-1000 -x --exe $T_TMP/wprot$u wprot$u
-500 -x --exe $T_TMP/wneg$u wneg$u
RULES
chmod 644 "$T_TMP/w.conf"
"$HELPERS/execlat" listen "$T_TMP/notify" 60 >"$T_TMP/notify.out" &
L=$!
T_HOGS="$T_HOGS $L"
sleep 0.2
NOTIFY_SOCKET=$T_TMP/notify "$OOMTOP" watch "$T_TMP/w.conf" >"$T_TMP/w.out" 2>"$T_TMP/w.err" &
W=$!
T_HOGS="$T_HOGS $W"
wait "$L"
grep -q '^READY=1' "$T_TMP/notify.out"
ok $? "watch is ready after its first pass ($(head -n 1 "$T_TMP/notify.out"))"
grep -q 'process events connector' "$T_TMP/w.err"
ok $? "it listens to the process events connector: $(head -n 1 "$T_TMP/w.err")"

# a process started again and again: -1000 every time, measured from its fork
lat=$("$HELPERS/execlat" lat 20 -1000 5 "$T_TMP/wprot$u" --anon 1 | tail -n 1)
diag "restart loop, exec to -1000: $lat (microseconds, under emulation)"
case "$lat" in *"timeouts 0") true ;; *) false ;; esac
ok $? "restarted 20 times, it holds -1000 every time, each within 5 s"
lat=$("$HELPERS/execlat" lat 10 -500 5 "$T_TMP/wneg$u" --anon 1 | tail -n 1)
case "$lat" in *"timeouts 0") true ;; *) false ;; esac
ok $? "a -500 rule: 10 of 10 new processes hold -500 ($lat)"

# -1000 makes it unkillable for real: never in the ranking
"$T_TMP/wprot$u" --anon 1 >/dev/null 2>&1 &
P=$!
T_HOGS="$T_HOGS $P"
for i in $(seq 1 100); do [ "$(cat /proc/$P/oom_score_adj)" = -1000 ] && break; sleep 0.05; done
is "$(cat /proc/$P/oom_score_adj)" -1000 "the kernel has -1000"
is "$("$OOMTOP" top --json -p "$P" | jq -r '.[0] | "\(.killable) \(.unkillable_reason)"')" \
	"false oom_score_adj -1000" "and top says the OOM killer never chooses it"
kill "$W"
wait "$W"
is "$?" 0 "SIGTERM: watch exits 0"
done_testing
