# make install / make uninstall into a DESTDIR: every file where a packager
# expects it, with its mode, the units and the cron line pointing at the
# installed binary, nothing under /etc; uninstall leaves no file behind.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# Installs into DESTDIR $1 with the make arguments that follow.
install_into() {
	local dest=$1
	shift
	make --no-print-directory -C "$ROOT" install DESTDIR="$dest" "$@" >"$T_TMP/make.log" 2>&1
	ok $? "make install DESTDIR=$dest $*"
	[ "$T_FAILED" -eq 0 ] || sed 's/^/# /' "$T_TMP/make.log"
}

# Prints the files (not directories) under $1, as absolute paths.
files_in() { (cd "$1" && find . ! -type d | sed 's|^\.||' | sort); }

D="$T_TMP/dest"
install_into "$D" PREFIX=/usr
files=$(files_in "$D")
expected="/usr/bin/oomtop
/usr/lib/systemd/system/oomtop-apply.service
/usr/lib/systemd/system/oomtop-apply.timer
/usr/lib/systemd/system/oomtop-log.service
/usr/lib/systemd/system/oomtop-textfile.service
/usr/lib/systemd/system/oomtop-textfile.timer
/usr/lib/systemd/system/oomtop-watch.service
/usr/share/bash-completion/completions/oomtop
/usr/share/doc/oomtop/oomtop-alerts.yml
/usr/share/doc/oomtop/oomtop-apply.cron
/usr/share/doc/oomtop/oomtop-log.logrotate
/usr/share/doc/oomtop/oomtop.conf.example
/usr/share/fish/vendor_completions.d/oomtop.fish
/usr/share/man/man8/oomtop.8
/usr/share/zsh/site-functions/_oomtop"
is "$files" "$expected" "PREFIX=/usr: the binary, man page, completions, example rules, alert rules, cron line, logrotate snippet and units"

is "$(stat -c %a "$D/usr/bin/oomtop")" 755 "the binary is 0755"
for f in $(echo "$expected" | grep -v /bin/); do
	is "$(stat -c %a "$D$f")" 644 "$f is 0644"
done
version=$(sed -n 's/^VERSION *:*= *//p' "$ROOT/Makefile")
is "$("$D/usr/bin/oomtop" --version)" "oomtop $version" "the installed binary runs"
cmp -s "$ROOT/man/oomtop.8" "$D/usr/share/man/man8/oomtop.8"
ok $? "the man page is man/oomtop.8"
cmp -s "$ROOT/etc/oomtop.conf.example" "$D/usr/share/doc/oomtop/oomtop.conf.example"
ok $? "the example rules are etc/oomtop.conf.example"
cmp -s "$ROOT/etc/oomtop-alerts.yml" "$D/usr/share/doc/oomtop/oomtop-alerts.yml"
ok $? "the alert rules are etc/oomtop-alerts.yml"
[ ! -e "$D/etc" ]
ok $? "nothing under /etc (the rules file is the admin's)"

is "$(grep '^ExecStart=' "$D/usr/lib/systemd/system/oomtop-apply.service")" \
	"ExecStart=/usr/bin/oomtop apply -q /etc/oomtop.conf" "the service runs the installed binary"
is "$(grep -v '^#' "$D/usr/share/doc/oomtop/oomtop-apply.cron")" \
	"*/5 * * * * root /usr/bin/oomtop apply -q /etc/oomtop.conf" "so does the cron line"
grep -q '^OnUnitActiveSec=' "$D/usr/lib/systemd/system/oomtop-apply.timer"
ok $? "the timer"
is "$(grep '^ExecStart=' "$D/usr/lib/systemd/system/oomtop-watch.service")" \
	"ExecStart=/usr/bin/oomtop watch -q /etc/oomtop.conf" "the watch service runs the installed binary"
is "$(grep '^ExecStart=' "$D/usr/lib/systemd/system/oomtop-log.service")" \
	"ExecStart=/usr/bin/oomtop log --follow --output /var/log/oomtop/kills.jsonl --to-journal --state /var/lib/oomtop/log.state" \
	"the kill recorder runs the installed binary"
cmp -s "$ROOT/etc/oomtop-log.logrotate" "$D/usr/share/doc/oomtop/oomtop-log.logrotate"
ok $? "the logrotate snippet is etc/oomtop-log.logrotate"
# systemd's own parser on the installed units, under the DESTDIR as root
# (with the host's system units, kill and sh, which the units refer to)
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$D/bin" "$D/usr/lib/systemd"
	cp -r /lib/systemd/system/. "$D/usr/lib/systemd/system/"
	cp /bin/kill "$D/bin/kill"
	cp /bin/sh "$D/bin/sh"
	out=$(systemd-analyze verify --man=no --root="$D" /usr/lib/systemd/system/oomtop-watch.service \
		/usr/lib/systemd/system/oomtop-apply.service /usr/lib/systemd/system/oomtop-apply.timer \
		/usr/lib/systemd/system/oomtop-log.service /usr/lib/systemd/system/oomtop-textfile.service \
		/usr/lib/systemd/system/oomtop-textfile.timer 2>&1)
	is "$?:$out" "0:" "systemd-analyze verify: the units parse with no warning"
	(cd /lib/systemd/system && find . ! -type d) | while read -r f; do rm -f "$D/usr/lib/systemd/system/$f"; done
	find "$D/usr/lib/systemd/system" -depth -type d -empty ! -path "$D/usr/lib/systemd/system" -delete
	rm -f "$D/bin/kill" "$D/bin/sh"
	rmdir "$D/bin"
else
	ok 1 "systemd-analyze is missing (scripts/install-deps --test installs systemd)"
fi

# The textfile service's command, run as systemd would run it ($$ is a $) with
# the installed binary and a directory of the test's: the metrics land whole,
# by a rename, and a failure keeps the last file and leaves no temporary one.
unit=$D/usr/lib/systemd/system/oomtop-textfile.service
is "$(sed -n 's/^Environment=TEXTFILE_DIR=//p' "$unit"):$(sed -n 's/^ReadWritePaths=//p' "$unit"):$(sed -n 's/^ConditionPathIsDirectory=//p' "$unit")" \
	"/var/lib/prometheus/node-exporter:/var/lib/prometheus/node-exporter:/var/lib/prometheus/node-exporter" \
	"the textfile service writes where Debian's node_exporter reads, and may write only there"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[[ $exec_start == *"/usr/bin/oomtop status --format=prometheus"* ]]
ok $? "the textfile service runs the installed binary's status --format=prometheus"
textfile_run() {
	local cmd=${exec_start//\$\$/\$}
	cmd=${cmd//\/usr\/bin\/oomtop/$1}
	(export TEXTFILE_DIR=$T_TMP/textfile && eval "$cmd")
}
mkdir "$T_TMP/textfile"
textfile_run "$D/usr/bin/oomtop"
ok $? "its command succeeds"
prom=$T_TMP/textfile/oomtop.prom
grep -q '^oomtop_processes [0-9]' "$prom"
ok $? "and writes oomtop.prom"
if command -v promtool >/dev/null; then
	out=$(promtool check metrics <"$prom" 2>&1)
	is "$?:$out" "0:" "promtool check metrics: the file is clean"
fi
is "$(stat -c %a "$prom")" 644 "oomtop.prom is 0644 (node_exporter runs as another user)"
inode=$(stat -c %i "$prom")
textfile_run "$D/usr/bin/oomtop"
[ "$(stat -c %i "$prom")" != "$inode" ]
ok $? "a second run renames a new file into place (a new inode), never writes the old one"
cp "$prom" "$T_TMP/last.prom"
textfile_run /bin/false
is "$?" 1 "a failing oomtop fails the service"
cmp -s "$prom" "$T_TMP/last.prom"
ok $? "and the last complete file stays"
is "$(ls -A "$T_TMP/textfile")" "oomtop.prom" "no temporary file is left, in either case"

bash -c '. "$1" && complete -p oomtop' _ "$D/usr/share/bash-completion/completions/oomtop" >/dev/null 2>&1
ok $? "the installed completion loads in bash"
mkdir -p "$T_TMP/fishbin" "$T_TMP/fishhome" && ln -sf "$D/usr/bin/oomtop" "$T_TMP/fishbin/oomtop"
if command -v fish >/dev/null; then
	# (its config, which --no-config would skip, makes the path from $XDG_DATA_DIRS)
	is "$(PATH="$T_TMP/fishbin:$PATH" HOME=$T_TMP/fishhome XDG_DATA_DIRS="$D/usr/share" fish -c \
		'complete -C "oomtop pro"' | cut -f1)" "protect" "and the fish one in fish, from \$XDG_DATA_DIRS"
fi
if command -v zsh >/dev/null; then
	is "$(PATH="$T_TMP/fishbin:$PATH" HOME=$T_TMP/fishhome ZC_DUMP=$T_TMP/zcompdump \
		"$ROOT/tests/integ/zsh-complete" "$D/usr/share/zsh/site-functions" 'oomtop pro' | sed 's/ -- .*//')" \
		"protect" "and the zsh one in zsh (its installed folder first in \$fpath)"
fi

make --no-print-directory -C "$ROOT" uninstall DESTDIR="$D" PREFIX=/usr >"$T_TMP/make.log" 2>&1
ok $? "make uninstall"
is "$(files_in "$D")" "" "uninstall leaves no file"

# the default PREFIX is /usr/local
D2="$T_TMP/dest2"
install_into "$D2"
files=$(files_in "$D2")
is "$(echo "$files" | sed -n 1p)" "/usr/local/bin/oomtop" "the default PREFIX is /usr/local"
is "$(grep '^ExecStart=' "$D2/usr/local/lib/systemd/system/oomtop-apply.service")" \
	"ExecStart=/usr/local/bin/oomtop apply -q /etc/oomtop.conf" "its units name /usr/local/bin/oomtop"
make --no-print-directory -C "$ROOT" uninstall DESTDIR="$D2" >/dev/null 2>&1
is "$(files_in "$D2")" "" "and uninstall removes it all"

done_testing
