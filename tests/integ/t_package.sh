# The packages: `make dist` gives the same bytes twice and holds git's files
# only; the .deb (dpkg-buildpackage) and the .rpm (rpmbuild) are built from
# that tarball in a temp dir, never in the tree; lintian finds nothing; both
# hold the same files; the .deb installed into this machine runs, its man page
# and completion are found from the installed paths, its units stay disabled,
# and dpkg -r leaves nothing behind.  An oomtop already installed (a package,
# or files where the package would put its own) is never touched: the test
# fails and says so.  Needs root (dpkg -i), debhelper, lintian and rpm.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VERSION=$(sed -n 's/^VERSION *:*= *//p' "$ROOT/Makefile")
DIST=oomtop-$VERSION

# The packages build their own binary from the tarball: the sanitized or
# Valgrind lane's binary is not in them, so they are tested once, here and by
# `make check-package`.
if [ "$T_LANE" != release ]; then
	diag "SKIP: the packages build their own oomtop; the $T_LANE lane's binary is not in them"
	done_testing
fi
# Stops the test with a reason (a machine it must not or cannot test on).
refuse() {
	echo "t_package: $*" >&2
	exit 1
}
[ "$(id -u)" -eq 0 ] || refuse "needs root (dpkg -i and dpkg -r of the built package)"
for c in dpkg-buildpackage dh lintian rpmbuild rpm2cpio cpio man flock; do
	command -v "$c" >/dev/null || refuse "$c is missing: scripts/install-deps --test"
done
git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
	refuse "$ROOT is not a git work tree: make dist builds from git's files"

# One run at a time on a machine: the package is installed system-wide.
exec {LOCK}>/run/lock/oomtop-t_package.lock
flock -w 1800 "$LOCK" || refuse "another t_package.sh has held /run/lock/oomtop-t_package.lock for 30 min"
status=$(dpkg-query -W -f='${db:Status-Status}' oomtop 2>/dev/null)
[ -z "$status" ] || [ "$status" = not-installed ] ||
	refuse "a package oomtop is on this machine already (dpkg status: $status); this test" \
		"installs and removes its own, so it will not touch that one: dpkg -r oomtop first if it is yours"

# Prints seconds since $1 (an $EPOCHREALTIME), to a tenth.
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# ---- one version everywhere
is "$(cd "$ROOT" && dpkg-parsechangelog -S Version)" "$VERSION" "debian/changelog's version is the Makefile's"
is "$(sed -n 's/^Version: *//p' "$ROOT/oomtop.spec")" "$VERSION" "oomtop.spec's too"
is "$(grep -m1 -oE '^[0-9]+\.[0-9]+\.[0-9]+' "$ROOT/NEWS")" "$VERSION" "NEWS begins with it"

# ---- make dist
git_status=$(git -C "$ROOT" status --porcelain)
# (only the names a build writes there: other people's clones come and go)
parent_files() {
	find "$(dirname "$ROOT")" -maxdepth 1 -regextype posix-extended \
		-regex '.*/oomtop(-dbgsym)?_[^/]*\.(deb|ddeb|changes|buildinfo)' | sort
}
parent_before=$(parent_files)
for n in 1 2; do
	t0=$EPOCHREALTIME
	make --no-print-directory -s -C "$ROOT" dist DISTDIR="$T_TMP/dist$n" >"$T_TMP/dist.log" 2>&1
	ok $? "make dist DISTDIR=dist$n ($(since "$t0") s)"
done
TARBALL=$T_TMP/dist1/$DIST.tar.gz
cmp -s "$TARBALL" "$T_TMP/dist2/$DIST.tar.gz"
ok $? "two runs of make dist give the same bytes"
diag "sha256 $(sha256sum "$TARBALL" "$T_TMP/dist2/$DIST.tar.gz" | awk '{ print $1 }' | tr '\n' ' ')"

names=$(tar -tzf "$TARBALL")
is "$names" "$(git -C "$ROOT" ls-files | sed "s|^|$DIST/|")" \
	"the tarball holds what git ls-files lists, in its order, under $DIST/"
is "$names" "$(echo "$names" | LC_ALL=C sort)" "its names are sorted"
untracked=$(git -C "$ROOT" ls-files --others | wc -l)
diag "left out: $untracked untracked or ignored files of the tree"
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct)}
when=$(TZ=UTC date -d "@$epoch" '+%Y-%m-%d %H:%M:%S')
is "$(TZ=UTC tar --numeric-owner --full-time -tvzf "$TARBALL" | awk '{ print $2, $4, $5 }' | sort -u)" \
	"0/0 $when" "every member is owned by 0/0 and dated $when (the last commit or SOURCE_DATE_EPOCH)"
# gzip's header: byte 3 the flags (0x08: a file name follows), bytes 4-7 the mtime
is "$(od -An -tx1 -j3 -N5 "$TARBALL" | tr -d ' ')" 0000000000 "gzip -n: no name, no time in the header"
make --no-print-directory -s -C "$ROOT" dist DISTDIR="$T_TMP/dist3" SOURCE_DATE_EPOCH=1000000000 >/dev/null 2>&1
is "$(TZ=UTC tar --full-time -tvzf "$T_TMP/dist3/$DIST.tar.gz" | awk '{ print $4, $5 }' | sort -u)" \
	"2001-09-09 01:46:40" "SOURCE_DATE_EPOCH dates the members"

# ---- the .deb, from the tarball in a temp dir
mkdir "$T_TMP/deb" && tar -xzf "$TARBALL" -C "$T_TMP/deb"
t0=$EPOCHREALTIME
(cd "$T_TMP/deb/$DIST" && dpkg-buildpackage -us -uc -b) >"$T_TMP/deb.log" 2>&1
ok $? "dpkg-buildpackage -us -uc -b ($(since "$t0") s)"
DEB=$T_TMP/deb/oomtop_${VERSION}_$(dpkg --print-architecture).deb
[ -f "$DEB" ]
ok $? "it made $(basename "$DEB")"
[ -f "$DEB" ] || { tail -30 "$T_TMP/deb.log" | sed 's/^/# /'; done_testing; }

t0=$EPOCHREALTIME
lintian --fail-on error,warning --show-overrides "$T_TMP/deb/oomtop_${VERSION}_"*.changes >"$T_TMP/lintian.log" 2>&1
ok $? "lintian on the .changes (the .deb, its -dbgsym, the .buildinfo): no error, no warning ($(since "$t0") s)"
lint=$(grep -v '^running with root privileges is not recommended!$' "$T_TMP/lintian.log")
echo "$lint" | sed '/^$/d; s/^/# lintian: /'
is "$(echo "$lint" | grep -c '^[EW]: ')" 0 "lintian prints no E: or W: tag"

# Prints a package's entries, one path a line ("/usr/bin/oomtop"), with
# "/" for the top and no trailing slash; $1 "all" or "files" (no directories).
deb_entries() {
	dpkg-deb -c "$DEB" | awk -v what="$1" 'what == "all" || $1 !~ /^d/ { print $6 }' |
		sed -e 's|^\.||; s|\(.\)/$|\1|'
}
deb_files=$(deb_entries files)
for f in /usr/bin/oomtop /usr/share/man/man8/oomtop.8.gz /usr/share/bash-completion/completions/oomtop \
	/usr/share/fish/vendor_completions.d/oomtop.fish /usr/share/zsh/vendor-completions/_oomtop \
	/usr/share/doc/oomtop/examples/oomtop.conf.example /usr/share/doc/oomtop/examples/oomtop-apply.cron \
	/usr/share/doc/oomtop/examples/oomtop-alerts.yml \
	/lib/systemd/system/oomtop-apply.service /lib/systemd/system/oomtop-apply.timer /lib/systemd/system/oomtop-watch.service \
	/lib/systemd/system/oomtop-log.service /usr/share/doc/oomtop/examples/oomtop-log.logrotate \
	/lib/systemd/system/oomtop-textfile.service /lib/systemd/system/oomtop-textfile.timer \
	/usr/share/doc/oomtop/copyright /usr/share/doc/oomtop/NEWS; do
	echo "$deb_files" | grep -qxF "$f"
	ok $? "the .deb holds $f"
done
is "$(echo "$deb_files" | grep -c '^/etc/')" 0 "nothing under /etc: the rules file is the admin's"
mkdir "$T_TMP/debx" && dpkg-deb -x "$DEB" "$T_TMP/debx"
is "$(grep '^ExecStart=' "$T_TMP/debx/lib/systemd/system/oomtop-apply.service")" \
	"ExecStart=/usr/bin/oomtop apply -q /etc/oomtop.conf" "the service runs the packaged binary"
is "$(dpkg-deb -f "$DEB" Version)" "$VERSION" "the .deb's version"

# ---- the .rpm, from the same tarball (Debian's rpm database knows none of the
# BuildRequires, hence --nodeps)
R=$T_TMP/rpm
mkdir -p "$R/tmp" && tar -xzf "$TARBALL" -O "$DIST/oomtop.spec" >"$R/oomtop.spec"
t0=$EPOCHREALTIME
rpmbuild -bb --nodeps --define "_topdir $R" --define "_sourcedir $T_TMP/dist1" \
	--define "_tmppath $R/tmp" "$R/oomtop.spec" >"$T_TMP/rpm.log" 2>&1
ok $? "rpmbuild -bb from the tarball ($(since "$t0") s)"
RPM=$(find "$R/RPMS" -name "oomtop-$VERSION-*.rpm" 2>/dev/null | head -1)
[ -n "$RPM" ]
ok $? "it made $(basename "${RPM:-oomtop-$VERSION-*.rpm}")"
[ -n "$RPM" ] || { tail -30 "$T_TMP/rpm.log" | sed 's/^/# /'; done_testing; }
# the .build-id links are the -dbgsym package's in Debian
rpm_files=$(rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$RPM" | awk '$1 !~ /^d/ { print $2 }' |
	grep -v '^/usr/lib/.build-id/' | LC_ALL=C sort)
# usrmerge makes /lib Debian's /usr/lib; each distribution's zsh completions
# have their folder (Debian's vendor-completions, Fedora's site-functions);
# the licence is the one file each format keeps in its own place (copyright
# and changelog.gz, licenses/)
deb_norm=$(echo "$deb_files" | sed -e 's|^/lib/systemd/|/usr/lib/systemd/|' \
	-e 's|^/usr/share/zsh/vendor-completions/|/usr/share/zsh/site-functions/|' | LC_ALL=C sort)
only_deb=$(LC_ALL=C comm -23 <(echo "$deb_norm") <(echo "$rpm_files"))
only_rpm=$(LC_ALL=C comm -13 <(echo "$deb_norm") <(echo "$rpm_files"))
echo "$only_deb" | sed '/^$/d; s/^/# only in the .deb: /'
echo "$only_rpm" | sed '/^$/d; s/^/# only in the .rpm: /'
is "$only_deb" "/usr/share/doc/oomtop/changelog.gz
/usr/share/doc/oomtop/copyright" "the .deb's only own files are its changelog and copyright"
[[ $only_rpm =~ ^/usr/share/licenses/oomtop[^/]*/LICENSE$ ]]
ok $? "the .rpm's only own file is its licence"
mkdir "$R/x" && (cd "$R/x" && rpm2cpio "$RPM" | cpio -idm --quiet)
is "$(grep '^ExecStart=' "$R/x/usr/lib/systemd/system/oomtop-apply.service")" \
	"ExecStart=/usr/bin/oomtop apply -q /etc/oomtop.conf" "the .rpm's service runs the packaged binary"
gzip -t "$R/x/usr/share/man/man8/oomtop.8.gz"
ok $? "the .rpm's man page is gzipped, like the .deb's"
is "$(git -C "$ROOT" status --porcelain)" "$git_status" "the builds left the tree as it was"
is "$(parent_files)" "$parent_before" "and its parent folder (no oomtop_* written there)"

# ---- dpkg -i, run, dpkg -r
entries=$(deb_entries all)
for p in $entries; do
	[ -d "$p" ] && continue # a folder, or a link to one (usrmerge's /lib)
	{ [ -e "$p" ] || [ -L "$p" ]; } && refuse "$p exists already (an oomtop installed by hand?):" \
		"this test will not install over it, nor remove it afterwards"
done
existed=$(for p in $entries; do [ -e "$p" ] && echo "$p"; done)
etc_before=$(find /etc /var/lib/systemd -name '*oomtop*' 2>/dev/null | sort)
INSTALLED=0
# Removes the package this test installed, however the test ends.
remove_package() {
	[ "$INSTALLED" -eq 1 ] || return 0
	dpkg -r oomtop >/dev/null 2>&1
	dpkg --purge oomtop >/dev/null 2>&1
}
at_cleanup remove_package

INSTALLED=1
t0=$EPOCHREALTIME
dpkg -i "$DEB" >"$T_TMP/dpkg.log" 2>&1
ok $? "dpkg -i $(basename "$DEB") ($(since "$t0") s)"
[ "$T_FAILED" -eq 0 ] || sed 's/^/# /' "$T_TMP/dpkg.log"
listed=$(dpkg -L oomtop | sed 's|^/\.$|/|' | LC_ALL=C sort)
is "$listed" "$(echo "$entries" | LC_ALL=C sort)" "dpkg -L lists what the .deb holds"
is "$(/usr/bin/oomtop --version)" "oomtop $VERSION" "the installed oomtop runs"
man -aw oomtop 2>/dev/null | grep -qxF /usr/share/man/man8/oomtop.8.gz
ok $? "man -w finds /usr/share/man/man8/oomtop.8.gz"
man -P cat -l /usr/share/man/man8/oomtop.8.gz 2>/dev/null | grep -q 'oom_score_adj'
ok $? "and it renders"
# Completes the words "$@" with the installed completion, one offer a line.
installed_comp() {
	bash -c '. /usr/share/bash-completion/completions/oomtop || exit 1
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_oomtop; printf "%s\n" "${COMPREPLY[@]}"' _ "$@" | sort | tr '\n' ' '
}
is "$(installed_comp /usr/bin/oomtop pro)" "protect " "the installed completion completes a command"
is "$(installed_comp /usr/bin/oomtop top --row)" "--rows= " "and an option, from the installed oomtop's --help"
mkdir "$T_TMP/fishhome"
if command -v fish >/dev/null; then
	is "$(HOME=$T_TMP/fishhome PATH=/usr/bin:$PATH fish -c 'complete -C "oomtop top --row"' | cut -f1)" "--rows=" \
		"fish finds the installed fish completion, which completes from the installed oomtop"
fi
if command -v zsh >/dev/null; then
	is "$(HOME=$T_TMP/fishhome PATH=/usr/bin:$PATH ZC_DUMP=$T_TMP/zcompdump \
		"$ROOT/tests/integ/zsh-complete" /nonexistent 'oomtop top --row' | sed 's/ -- .*//')" "--rows=" \
		"zsh finds the installed zsh completion in its own \$fpath"
fi
is "$(find /etc/systemd/system -name 'oomtop-*' 2>/dev/null)" "" "the units are not enabled"
# (deb-systemd-helper answers only a maintainer script, which it knows by this)
DPKG_MAINTSCRIPT_PACKAGE=oomtop deb-systemd-helper debian-installed oomtop-apply.timer
ok $? "deb-systemd-helper knows the timer (dh_installsystemd's postinst ran)"
DPKG_MAINTSCRIPT_PACKAGE=oomtop deb-systemd-helper --quiet was-enabled oomtop-apply.timer
is $? 1 "and it was never enabled"
DPKG_MAINTSCRIPT_PACKAGE=oomtop deb-systemd-helper debian-installed oomtop-log.service
ok $? "deb-systemd-helper knows the kill recorder"
DPKG_MAINTSCRIPT_PACKAGE=oomtop deb-systemd-helper --quiet was-enabled oomtop-log.service
is $? 1 "and it was never enabled"
DPKG_MAINTSCRIPT_PACKAGE=oomtop deb-systemd-helper debian-installed oomtop-textfile.timer
ok $? "deb-systemd-helper knows the textfile timer"
DPKG_MAINTSCRIPT_PACKAGE=oomtop deb-systemd-helper --quiet was-enabled oomtop-textfile.timer
is $? 1 "and it was never enabled either"
if [ -d /run/systemd/system ]; then
	is "$(systemctl is-active oomtop-apply.timer)" inactive "nor started"
	is "$(systemctl is-active oomtop-log.service)" inactive "the recorder neither"
	is "$(systemctl is-active oomtop-textfile.timer)" inactive "nor the textfile timer"
fi

dpkg -r oomtop >"$T_TMP/dpkg.log" 2>&1
ok $? "dpkg -r oomtop"
left=$(for p in $listed; do
	{ [ -e "$p" ] || [ -L "$p" ]; } && ! echo "$existed" | grep -qxF "$p" && echo "$p"
done)
is "$left" "" "nothing dpkg -L listed is left, but the folders that were there before"
gone=$(for p in $existed; do [ -e "$p" ] || echo "$p"; done)
is "$gone" "" "and those folders are still there"
dpkg --purge oomtop >/dev/null 2>&1
INSTALLED=0
is "$(dpkg-query -W -f='${db:Status-Status}' oomtop 2>/dev/null | sed 's/^not-installed$//')" "" \
	"purged: dpkg has no oomtop installed"
is "$(find /etc /var/lib/systemd -name '*oomtop*' 2>/dev/null | sort)" "$etc_before" \
	"no file of its own left under /etc or /var/lib/systemd"

done_testing
