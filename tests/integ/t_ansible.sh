# The Ansible role (contrib/ansible): ansible-playbook -i localhost, -c local
# --check --diff runs the playbook on this machine, so its syntax, the role's
# argument specs and every module's arguments are Ansible's own to accept;
# apt inspects a real .deb (dpkg --simulate), the template shows the rules
# file it would write, the units would be enabled, and nothing on the machine
# changes (no /etc/oomtop.conf, no unit enabled, no package, no folder).  The
# rules template is rendered for real into the test's folder and checked
# with `oomtop apply -n`, as the role checks it on a host.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PLAYBOOK=$ROOT/contrib/ansible/oomtop.yml
VERSION=$(sed -n 's/^VERSION *:*= *//p' "$ROOT/Makefile")
# The playbook runs no oomtop of the lane (but the template check's): once is enough.
if [ "$T_LANE" != release ]; then
	diag "SKIP: the playbook does not depend on the $T_LANE lane's binary"
	done_testing
fi
# The role installs a .deb: it refuses other hosts (its first task).
if [ ! -f /etc/debian_version ]; then
	diag "SKIP: the role is for Debian hosts, and this is not one"
	done_testing
fi
for c in ansible-playbook ansible dpkg-deb flock; do
	command -v "$c" >/dev/null || { ok 1 "$c is missing (scripts/install-deps --test installs ansible-core)"; done_testing; }
done
# t_package.sh installs the package system-wide for a while: wait for it, so
# that this test sees the machine without oomtop (and says so otherwise).
exec {LOCK}>/run/lock/oomtop-t_package.lock
flock -s -w 1800 "$LOCK"
ok $? "no t_package.sh holds the package installed meanwhile"

# Ansible's own files in the test's folder, no ansible.cfg of the working
# directory or the user; this machine's root needs no become.
export ANSIBLE_CONFIG=$T_TMP/ansible.cfg ANSIBLE_LOCAL_TEMP=$T_TMP/ansible-local \
	ANSIBLE_REMOTE_TEMP=$T_TMP/ansible-remote ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 \
	ANSIBLE_FORCE_COLOR=0 HOME=$T_TMP
: >"$ANSIBLE_CONFIG"
# Not booted with systemd (a container): systemctl answers as in a chroot
# (SYSTEMD_OFFLINE=1, systemd's own switch, which Ansible's systemd module
# knows), as a host without the package would: its units are not found.
if [ ! -d /run/systemd/system ]; then
	export SYSTEMD_OFFLINE=1
	diag "systemd is not this machine's init: SYSTEMD_OFFLINE=1"
fi

# Prints what the paths the role would write hold now: each one's type and
# checksum, or "absent"; and oomtop's package status.
machine_state() {
	local p
	for p in /etc/oomtop.conf /etc/systemd/system/oomtop-textfile.service.d \
		/etc/systemd/system/multi-user.target.wants/oomtop-watch.service \
		/etc/systemd/system/timers.target.wants/oomtop-apply.timer \
		/etc/systemd/system/timers.target.wants/oomtop-textfile.timer /var/cache/oomtop /srv/oomtop-metrics; do
		if [ -f "$p" ]; then
			echo "$p file $(sha256sum <"$p")"
		elif [ -e "$p" ] || [ -L "$p" ]; then
			echo "$p $(stat -c %F "$p")"
		else
			echo "$p absent"
		fi
	done
	echo "package: $(dpkg-query -W -f='${db:Status-Status}' oomtop 2>/dev/null || echo none)"
}
before=$(machine_state)
diag "$(echo "$before" | grep -c absent) of the role's paths are absent before"

# Runs the playbook in --check --diff with the extra variables "$@"; the
# output in $T_TMP/play.log, a line "STATUS: TASK" (with ", ITEM" for a loop's
# items) per result in $T_TMP/results.
play() {
	(cd "$T_TMP" && ansible-playbook -i localhost, -c local --check --diff \
		-e ansible_become=false -e ansible_python_interpreter=/usr/bin/python3 "$@" "$PLAYBOOK") \
		>"$T_TMP/play.log" 2>&1
	local rc=$?
	awk '/^(TASK|RUNNING HANDLER) \[/ { t = $0; sub(/^[^[]*\[(oomtop : )?/, "", t); sub(/\] \**$/, "", t) }
		/^(ok|changed|skipping|fatal|failed): \[localhost\]/ {
			s = $1; sub(/:$/, "", s); it = ""
			if (match($0, /'\''unit'\'': '\''[^'\'']*'\''/)) it = ", " substr($0, RSTART + 9, RLENGTH - 10)
			print s ": " t it
		}' "$T_TMP/play.log" >"$T_TMP/results"
	return $rc
}
# Tells whether the last play had the result line $1.
had() { grep -qxF -- "$1" "$T_TMP/results"; }
# Prints the last play's log as diagnostics (after a failure).
show_log() { sed 's/^/# /' "$T_TMP/play.log"; }

# A .deb named and versioned as oomtop's, holding the binary, to show apt a
# real package file without building the whole one (t_package.sh does that).
ARCH=$(dpkg --print-architecture)
DEB=oomtop_${VERSION}_$ARCH.deb
mkdir -p "$T_TMP/pkg/DEBIAN" "$T_TMP/pkg/usr/bin"
cp "$OOMTOP" "$T_TMP/pkg/usr/bin/oomtop"
printf '%s\n' "Package: oomtop" "Version: $VERSION" "Architecture: $ARCH" \
	"Maintainer: oomtop tests <tests@example.invalid>" "Description: t_ansible.sh's stand-in" >"$T_TMP/pkg/DEBIAN/control"
dpkg-deb -Zgzip -z1 --root-owner-group --build "$T_TMP/pkg" "$T_TMP/$DEB" >/dev/null
ok $? "a .deb for apt to inspect ($DEB)"

# ---- 1. the .deb already on the host (where a run before copied it): apt
# inspects it and dpkg simulates its installation
mkdir "$T_TMP/debdir" && install -m 0644 "$T_TMP/$DEB" "$T_TMP/debdir/$DEB"
play -e "oomtop_deb=$T_TMP/$DEB" -e "oomtop_deb_dir=$T_TMP/debdir"
ok $? "ansible-playbook --check --diff: the playbook runs"
[ "$T_FAILED" -eq 0 ] || show_log
grep -q '^localhost *: .* failed=0 ' "$T_TMP/play.log"
ok $? "no task failed"
had "ok: Validating arguments against arg spec 'main' - Install oomtop, /etc/oomtop.conf, oomtop-watch and the textfile collector timer"
ok $? "the role's variables pass its argument specs"
had "ok: Copy the .deb to the host"
ok $? "the .deb that is there already is not copied again"
had "changed: Install the .deb (apt installs what it depends on)"
ok $? "apt would install it"
grep -q "^Selecting previously unselected package oomtop" "$T_TMP/play.log"
ok $? "as dpkg --simulate says"
had "changed: Put the rules in /etc/oomtop.conf, checked by oomtop apply -n first"
ok $? "the rules file would be written"
conf=$(sed -n '/^TASK \[oomtop : Put the rules/,/^TASK/p' "$T_TMP/play.log" | sed -n 's/^+\([^+]\)/\1/p; s/^+$//p')
echo "$conf" | grep -qxF -- '-1000 -x sshd'
ok $? "its diff shows the default rule"
had "changed: Enable and start (or stop and disable) the units, oomtop-watch.service"
ok $? "oomtop-watch.service would be enabled and started"
had "changed: Enable and start (or stop and disable) the units, oomtop-textfile.timer"
ok $? "oomtop-textfile.timer too"
had "ok: Enable and start (or stop and disable) the units, oomtop-apply.timer"
ok $? "oomtop-apply.timer stays off (the watch service does its work)"
had "skipping: Point oomtop-textfile.service at node_exporter's textfile directory"
ok $? "the default textfile directory needs no drop-in"
is "$(machine_state)" "$before" "the machine is as it was"

# ---- 2. a fresh host: the .deb not copied yet, rules and a textfile
# directory of the admin's, the apply timer instead of the watch service
rules='[{"rule": "-900 -u root --exe /usr/sbin/cron", "comment": "cron"}, {"rule": "800 -f nightly-report"}]'
play -e "oomtop_deb=$T_TMP/$DEB" -e "oomtop_deb_dir=$T_TMP/fresh/debs" -e "{\"oomtop_rules\": $rules}" \
	-e oomtop_textfile_dir=/srv/oomtop-metrics -e '{"oomtop_watch": false, "oomtop_apply_timer": true}'
ok $? "a fresh host, other variables: the playbook runs"
[ "$T_FAILED" -eq 0 ] || show_log
had "changed: Copy the .deb to the host"
ok $? "the .deb would be copied"
had "skipping: Install the .deb (apt installs what it depends on)"
ok $? "and its installation left to the real run (apt cannot look into a file not copied yet)"
conf=$(sed -n '/^TASK \[oomtop : Put the rules/,/^TASK/p' "$T_TMP/play.log" | sed -n 's/^+\([^+]\)/\1/p')
is "$(echo "$conf" | grep -v '^#' | sed '/^$/d')" "-900 -u root --exe /usr/sbin/cron
800 -f nightly-report" "the rules file holds the rules given"
echo "$conf" | grep -qxF '# cron'
ok $? "and a rule's comment"
dropin=$(sed -n '/^TASK \[oomtop : Point oomtop-textfile/,/^TASK/p' "$T_TMP/play.log")
[[ $dropin == *"+Environment=TEXTFILE_DIR=/srv/oomtop-metrics"* && $dropin == *"+ReadWritePaths=/srv/oomtop-metrics"* &&
	$dropin == *"+ConditionPathIsDirectory=/srv/oomtop-metrics"* ]]
ok $? "another textfile directory: a drop-in sets the unit's directory, condition and writable path"
had "ok: Enable and start (or stop and disable) the units, oomtop-watch.service"
ok $? "oomtop_watch false: the watch service is left off"
had "changed: Enable and start (or stop and disable) the units, oomtop-apply.timer"
ok $? "oomtop_apply_timer true: the timer would be enabled"
[ ! -e "$T_TMP/fresh" ]
ok $? "the .deb's folder was not made"
is "$(machine_state)" "$before" "the machine is as it was"

# ---- 3. what must fail does: a variable of the wrong type, a module
# argument the module does not know (in a copy of the role)
play -e oomtop_watch=sometimes
is "$?" 2 "oomtop_watch=sometimes: the play fails"
grep -q "argument 'oomtop_watch' is of type .* and we were unable to convert to bool" "$T_TMP/play.log"
ok $? "at the role's argument specs"
had "skipping: Copy the .deb to the host" || had "changed: Copy the .deb to the host"
is "$?" 1 "before any task of the role"
cp -r "$ROOT/contrib/ansible" "$T_TMP/ansible-copy"
sed -i 's/^    daemon_reload: true$/    daemon_reload: true\n    enable: true/' "$T_TMP/ansible-copy/roles/oomtop/tasks/main.yml"
PLAYBOOK=$T_TMP/ansible-copy/oomtop.yml play -e "oomtop_deb=$T_TMP/$DEB" -e "oomtop_deb_dir=$T_TMP/debdir"
is "$?" 2 "a misspelt argument of the systemd module (enable: for enabled:) fails the play"
grep -q 'Unsupported parameters for (ansible.builtin.systemd) module: enable' "$T_TMP/play.log"
ok $? "the module itself refused it: the units' task is not let off for a missing unit alone"
is "$(machine_state)" "$before" "the machine is as it was"

# ---- the rules template, rendered for real into the test's folder and
# checked as the role checks it (oomtop apply -n); a bad rule is refused
adhoc_template() {
	(cd "$T_TMP" && ansible localhost -i localhost, -c local -e ansible_python_interpreter=/usr/bin/python3 \
		-e "{\"oomtop_rules\": $1}" -m ansible.builtin.template \
		-a "src=$ROOT/contrib/ansible/roles/oomtop/templates/oomtop.conf.j2 dest=$2 mode=0644 validate='$OOMTOP apply -n -q %s'") \
		>"$T_TMP/adhoc.log" 2>&1
}
defaults=$(sed -n '/^oomtop_rules:/,/^$/p' "$ROOT/contrib/ansible/roles/oomtop/defaults/main.yml" |
	/usr/bin/python3 -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)["oomtop_rules"]))')
adhoc_template "$defaults" "$T_TMP/oomtop.conf"
ok $? "the default rules, rendered, pass oomtop apply -n"
[ "$T_FAILED" -eq 0 ] || sed 's/^/# /' "$T_TMP/adhoc.log"
"$OOMTOP" apply -n "$T_TMP/oomtop.conf" >"$T_TMP/apply.out" 2>&1
grep -q "oomtop.conf: 1 rule" "$T_TMP/apply.out"
ok $? "oomtop reads one rule from the file"
! adhoc_template '[{"rule": "-1000 --no-such-option sshd"}]' "$T_TMP/bad.conf" &&
	grep -q 'failed to validate' "$T_TMP/adhoc.log"
ok $? "a bad rule fails the template's check"
[ ! -e "$T_TMP/bad.conf" ]
ok $? "and its file is not written"

done_testing
