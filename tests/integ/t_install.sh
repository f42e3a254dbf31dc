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
/usr/lib/systemd/system/oomtop-watch.service
/usr/share/bash-completion/completions/oomtop
/usr/share/doc/oomtop/oomtop-alerts.yml
/usr/share/doc/oomtop/oomtop-apply.cron
/usr/share/doc/oomtop/oomtop-log.logrotate
/usr/share/doc/oomtop/oomtop.conf.example
/usr/share/man/man8/oomtop.8"
is "$files" "$expected" "PREFIX=/usr: the binary, man page, completion, example rules, alert rules, cron line, logrotate snippet and units"

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
# (with the host's system units and kill, which the units refer to)
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$D/bin" "$D/usr/lib/systemd"
	cp -r /lib/systemd/system/. "$D/usr/lib/systemd/system/"
	cp /bin/kill "$D/bin/kill"
	out=$(systemd-analyze verify --man=no --root="$D" /usr/lib/systemd/system/oomtop-watch.service \
		/usr/lib/systemd/system/oomtop-apply.service /usr/lib/systemd/system/oomtop-apply.timer \
		/usr/lib/systemd/system/oomtop-log.service 2>&1)
	is "$?:$out" "0:" "systemd-analyze verify: the units parse with no warning"
	(cd /lib/systemd/system && find . ! -type d) | while read -r f; do rm -f "$D/usr/lib/systemd/system/$f"; done
	find "$D/usr/lib/systemd/system" -depth -type d -empty ! -path "$D/usr/lib/systemd/system" -delete
	rm -f "$D/bin/kill"
	rmdir "$D/bin"
else
	ok 1 "systemd-analyze is missing (scripts/install-deps --test installs systemd)"
fi
bash -c '. "$1" && complete -p oomtop' _ "$D/usr/share/bash-completion/completions/oomtop" >/dev/null 2>&1
ok $? "the installed completion loads in bash"

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
