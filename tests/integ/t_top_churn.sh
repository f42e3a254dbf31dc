# While processes are created and killed as fast as possible, 50 scans in a
# row succeed and print well-formed output: vanished processes are skipped.
. "$(dirname "$0")/lib.sh"

start_churn() {
	local out="$T_TMP/churn.$1"
	"$HELPERS/churn" >"$out" &
	T_HOGS="$T_HOGS $!"
	for i in $(seq 1 200); do grep -q ready "$out" && return 0; sleep 0.01; done
	return 1
}
start_churn 1; ok $? "first churn process runs"
start_churn 2; ok $? "second churn process runs"
before=$(awk '/^processes/ {print $2}' /proc/stat)

bad_json=0 bad_table=0 bad_exit=0
for i in $(seq 1 50); do
	"$OOMTOP" top --all --json >"$T_TMP/j" 2>"$T_TMP/e" || bad_exit=$((bad_exit + 1))
	jq -e 'type == "array" and length > 10 and all(.[]; (.pid | type) == "number")' "$T_TMP/j" >/dev/null ||
		bad_json=$((bad_json + 1))
	"$OOMTOP" top --all >"$T_TMP/t" 2>>"$T_TMP/e" || bad_exit=$((bad_exit + 1))
	# every row: pid, user, score, adj, badness, rss, swap, share, command
	awk 'NR > 2 && !/^ *[0-9]+ [^ ]+ +[0-9?]+ +-?[0-9?]+ +(-?[0-9]+|-) +[0-9.?KMGT]+ +[0-9.?KMGT]+ +[0-9.?]+ ./ { bad++ }
	     END { exit bad > 0 }' "$T_TMP/t" || bad_table=$((bad_table + 1))
done
forks=$(($(awk '/^processes/ {print $2}' /proc/stat) - before))
diag "$forks processes were created during the 100 scans"
[ "$forks" -gt 1000 ]; ok $? "the churn really ran ($forks forks)"
is "$bad_exit" 0 "every scan exited 0"
is "$bad_json" 0 "every JSON scan was a well-formed array"
is "$bad_table" 0 "every table row was well-formed"
is "$(wc -l <"$T_TMP/e")" 0 "no error messages (as root nothing is hidden)"
done_testing
