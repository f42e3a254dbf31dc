# Kills that any user can forge must not show: a file mapped under the
# name "Out of memory: Killed process ..." makes the kernel log a segfault
# line holding that text (arch/x86/mm/fault.c show_signal_msg prints the
# faulting mapping's file name), and a program's record written into
# /dev/kmsg carries the user facility.  Neither is a kill in `oomtop log`
# (from /dev/kmsg, dmesg, dmesg -r and dmesg -x) nor in the live view's
# banner.  Only lines this test made are looked for (by a name of its own).
. "$(dirname "$0")/lib.sh"

if [ ! -r /dev/kmsg ] || [ "$(cat /proc/sys/debug/exception-trace 2>/dev/null)" != 1 ]; then
	ok 0 "skipped: /dev/kmsg is not readable or debug.exception-trace is off (no segfault lines)"
	done_testing
fi
FAKE="rtfake$$"
FPID=$((4000000 + $$ % 100000))
LINE="Out of memory: Killed process $FPID ($FAKE) total-vm:9kB, anon-rss:0kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0"
LINE2="Killed process $FPID ($FAKE) total-vm:9kB, anon-rss:0kB, file-rss:0kB"

# Counts the events naming the test's fake process in `oomtop log --json ARGS`.
fakes() { "$OOMTOP" log --json "$@" 2>/dev/null | jq --arg c "$FAKE" '[.[] | select(.comm == $c)] | length'; }

# --- segfault lines (any user can make them)
"$HELPERS/segvmap" "$T_TMP" "$LINE" 2>/dev/null
is "$?" 139 "segvmap faulted in its file (SIGSEGV)"
"$HELPERS/segvmap" "$T_TMP" "$LINE2" 2>/dev/null
sleep 0.2
dmesg | grep -qF "in $LINE["
ok $? "the kernel logged the forged text in a segfault line"
is "$(fakes)" 0 "log (from /dev/kmsg): the segfault line is no kill"
is "$(dmesg | fakes -)" 0 "log of dmesg's output: no kill"
is "$(dmesg -T | fakes -)" 0 "log of dmesg -T's output: no kill"
is "$(dmesg -r | fakes -)" 0 "log of dmesg -r's output: no kill"

# --- a program's record in the ring buffer: facility user (<12>), which dmesg -r and -x show
if [ -w /dev/kmsg ]; then
	printf '<12>%s\n' "$LINE" >/dev/kmsg
	dd if=/dev/kmsg iflag=nonblock bs=16384 count=1000000 2>/dev/null | grep -a "$FAKE" | grep -q "^12,"
	ok $? "the record is in the ring buffer with facility user (12)"
	is "$(fakes)" 0 "log (from /dev/kmsg): a user-facility record is no kill"
	# util-linux 2.38's dmesg -r prints facility|level ("<5>" for <12>): the level is not err
	is "$(dmesg -r | fakes -)" 0 "log of dmesg -r: the user record is no kill"
	is "$(dmesg -x | fakes -)" 0 "log of dmesg -x: 'user' is no kill"
fi

# --- the live view: no banner names the fake process
if command -v tmux >/dev/null; then
	SOCK="$T_TMP/tmux.sock"
	tm() { tmux -S "$SOCK" "$@"; }
	tm_cleanup() { tmux -S "$SOCK" kill-server 2>/dev/null; true; }
	at_cleanup tm_cleanup
	tm new-session -d -x 200 -y 30 "env TERM=xterm-256color $OOMTOP -d 0.3 2>$T_TMP/err; sleep 600"
	waited=0
	until tm capture-pane -p | grep -q "PID"; do
		sleep 0.2
		waited=$((waited + 1))
		[ "$waited" -lt 200 ] || break
	done
	"$HELPERS/segvmap" "$T_TMP" "$LINE" 2>/dev/null
	[ -w /dev/kmsg ] && printf '<12>%s\n' "$LINE" >/dev/kmsg
	sleep 2
	tm capture-pane -p | grep -F "$FAKE" >"$T_TMP/screen"
	is "$(wc -l <"$T_TMP/screen")" 0 "the live view's banner does not name the forged kill"
	tm send-keys q
fi
done_testing
