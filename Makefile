# oomtop - see README.md.  `make run` installs what the build needs and
# `make check` what the tests need too (scripts/install-deps).

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
DOCDIR    ?= $(PREFIX)/share/doc/oomtop
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# zsh's own site folder, in its $fpath for /usr and /usr/local alike
# (Fedora's packages use it; Debian's use /usr/share/zsh/vendor-completions:
# debian/rules); fish's vendor folder, which fish finds through $XDG_DATA_DIRS
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
UNITDIR   ?= $(PREFIX)/lib/systemd/system
DESTDIR   ?=
CC        ?= cc
PKG_CONFIG ?= pkg-config
VERSION   := 0.2.0

PKGS      := libproc2 popt ncursesw
CFLAGS    ?= -O2 -g
WARNINGS  := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wwrite-strings -Wpointer-arith -Wundef -Wvla -Wnull-dereference
CPPFLAGS  += -Iinclude -D_GNU_SOURCE -DOOMTOP_VERSION='"$(VERSION)"'
# each object also writes the list of headers it read (build/*/obj/*.d)
DEPFLAGS  := -MMD -MP
BASE_CFLAGS = -std=gnu11 $(WARNINGS) $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LIBS      = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
TEST_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS      := $(wildcard src/*.c)
LIB_SRCS  := $(filter-out src/main.c,$(SRCS))
HDRS      := $(wildcard include/*.h)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
HELPER_SRCS := $(wildcard tests/helpers/*.c)

# Two builds of everything: release (build/release) and sanitized (build/asan).
REL  := build/release
ASAN := build/asan

.PHONY: all asan deps run check check-unit check-integ check-valgrind lint lint-man unit-tests helpers bench clean
.PHONY: install uninstall fuzz fuzz-build check-fuzz test-deps
.PHONY: check-vm vm-deps vm-initramfs
.PHONY: dist check-package

all: oomtop

oomtop: $(REL)/oomtop
	cp $< $@

# BUILD_template(DIR, EXTRA_CFLAGS, CC): the objects, the library, the binary
# and the unit tests of one build.  Headers are tracked by -MMD (obj/*.d).
define BUILD_template
$(1)/obj/%.o: src/%.c | $(1)/obj
	$(3) $$(CPPFLAGS) $$(DEPFLAGS) $$(BASE_CFLAGS) $$(CFLAGS) $(2) -c -o $$@ $$<

$(1)/liboomtop.a: $(patsubst src/%.c,$(1)/obj/%.o,$(LIB_SRCS))
	rm -f $$@ && ar rcs $$@ $$^

$(1)/oomtop: $(1)/obj/main.o $(1)/liboomtop.a
	$(3) $$(CFLAGS) $(2) $$(LDFLAGS) -o $$@ $$^ $$(LIBS)

$(1)/tests/%: tests/unit/%.c $(1)/liboomtop.a | $(1)/tests
	$(3) $$(CPPFLAGS) $$(DEPFLAGS) $$(BASE_CFLAGS) $$(CFLAGS) $(2) $$(LDFLAGS) -o $$@ $$< $(1)/liboomtop.a $$(LIBS) $$(TEST_LIBS)

$(1)/obj $(1)/tests:
	mkdir -p $$@

-include $(wildcard $(1)/obj/*.d $(1)/tests/*.d)
endef

$(eval $(call BUILD_template,$(REL),,$$(CC)))
$(eval $(call BUILD_template,$(ASAN),$(SAN_FLAGS),$$(CC)))

UNIT_REL  := $(patsubst tests/unit/%.c,$(REL)/tests/%,$(UNIT_SRCS))
UNIT_ASAN := $(patsubst tests/unit/%.c,$(ASAN)/tests/%,$(UNIT_SRCS))
HELPERS   := $(patsubst tests/helpers/%.c,$(REL)/helpers/%,$(filter-out tests/helpers/slowwait.c,$(HELPER_SRCS))) \
             $(REL)/helpers/slowwait.so

$(REL)/helpers/%: tests/helpers/%.c | $(REL)/helpers
	$(CC) $(CPPFLAGS) -std=gnu11 $(WARNINGS) -O2 -g -o $@ $<

# adjhold drives the writer itself (tests/integ/t_writer_reuse.sh)
$(REL)/helpers/adjhold: tests/helpers/adjhold.c $(REL)/liboomtop.a $(HDRS) | $(REL)/helpers
	$(CC) $(CPPFLAGS) $(BASE_CFLAGS) -O2 -g -o $@ $< $(REL)/liboomtop.a $(LIBS)

# the benchmark's libproc2 variant of the scan links libproc2
$(REL)/helpers/proc2scan: tests/helpers/proc2scan.c | $(REL)/helpers
	$(CC) $(CPPFLAGS) -std=gnu11 $(WARNINGS) -O2 -g -o $@ $< $(LIBS)

# memfill is static: the OOM trigger must hold as few pages of its own as it can
$(REL)/helpers/memfill: tests/helpers/memfill.c | $(REL)/helpers
	$(CC) $(CPPFLAGS) -std=gnu11 $(WARNINGS) -O2 -g -static -o $@ $<

# slowwait is an LD_PRELOAD library: a wait made late on purpose (tests/integ/t_tui.sh)
$(REL)/helpers/slowwait.so: tests/helpers/slowwait.c | $(REL)/helpers
	$(CC) -std=gnu11 $(WARNINGS) -O2 -g -shared -fPIC -o $@ $< -ldl

$(REL)/helpers:
	mkdir -p $@

asan: $(ASAN)/oomtop
helpers: $(HELPERS)
unit-tests: $(UNIT_REL) $(UNIT_ASAN)

# deps: what the build needs; test-deps: and what make check needs.
deps:
	@scripts/install-deps

test-deps:
	@scripts/install-deps --test

run: deps
	@$(MAKE) --no-print-directory all
	./oomtop top

# The whole suite: unit and integration tests, each in the release and the
# AddressSanitizer + UBSan build, the Valgrind lane, every fuzz harness over
# its committed corpus, the static checks (make lint: cppcheck, clang-tidy,
# clang-format, the man page), then the VM lane.  Nothing random decides it.
check: test-deps
	@$(MAKE) --no-print-directory all asan helpers unit-tests
	@$(MAKE) --no-print-directory lint check-unit check-integ check-valgrind check-fuzz
	@$(MAKE) --no-print-directory check-vm

check-unit: $(UNIT_REL) $(UNIT_ASAN)
	@tests/run-unit $(UNIT_REL) $(UNIT_ASAN)

check-integ: $(REL)/oomtop $(ASAN)/oomtop $(HELPERS)
	@tests/integ/run $(REL)/oomtop $(REL)/helpers
	@tests/integ/run $(ASAN)/oomtop $(REL)/helpers

# The release binary under Valgrind memcheck (scripts/valgrind-oomtop: any
# error, or a definitely or indirectly lost block, fails the test).  Valgrind
# makes each run 20-50 times slower, so this lane runs a subset that still
# reaches every command and every --json: t_json_schema (top, explain, status,
# log on the whole corpus), t_status_prometheus (status's cgroup walk after a
# real cgroup OOM), t_predict_status, t_log_kill (log reading /dev/kmsg after a
# real kill), t_log_record (log's record mode: --output, --state, the
# journal's datagrams, syslog), t_run (run, and the writer), t_apply (apply:
# rules file, the writer on many processes), t_persist (protect --persist: the
# drop-in writer, the unit files read back; the audit of status and explain).
# The full suite takes ~25 min under Valgrind:
# VALGRIND_TESTS="tests/integ/t_*.sh" runs it all.
VALGRIND_TESTS ?= $(addprefix tests/integ/,t_json_schema.sh t_status_prometheus.sh t_predict_status.sh \
		  t_log_kill.sh t_log_record.sh t_run.sh t_apply.sh t_persist.sh)

check-valgrind: $(REL)/oomtop $(HELPERS)
	@command -v valgrind >/dev/null || { echo "check-valgrind: valgrind is missing (make deps)"; exit 1; }
	@VALGRIND_OOMTOP=$(abspath $(REL)/oomtop) tests/integ/run scripts/valgrind-oomtop $(REL)/helpers $(VALGRIND_TESTS)

# Static checks: cppcheck, clang-tidy (.clang-tidy), clang-format
# (.clang-format), and the man page (lint-man).
lint: test-deps lint-man
	@scripts/lint

# libFuzzer harnesses (clang), one per parser (tests/fuzz/fuzz_NAME.c), each
# with its committed corpus tests/corpus/NAME: the seeds and every input that
# ever failed.  The library is built once more with the fuzzer's sanitizers.
#   make check-fuzz  replays each corpus once, deterministically (make check)
#   make fuzz        explores FUZZ_TIME seconds per harness from the corpus;
#                    what it finds stays in build/fuzz/ (crash-*, timeout-*,
#                    new inputs in build/fuzz/corpus-NAME): a failing input
#                    goes into tests/corpus/NAME with its fix.
FUZZ_CC   ?= clang
FUZZ_TIME ?= 60
FUZZ      := build/fuzz
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_NAMES := klog proc cmdline rules adj cgroup procev killrec units
FUZZ_BINS  := $(patsubst %,$(FUZZ)/fuzz_%,$(FUZZ_NAMES))

$(eval $(call BUILD_template,$(FUZZ),$(FUZZ_FLAGS),$$(FUZZ_CC)))

$(FUZZ)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ)/liboomtop.a
	$(FUZZ_CC) $(CPPFLAGS) $(DEPFLAGS) -std=gnu11 $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ)/liboomtop.a $(LIBS)

-include $(wildcard $(FUZZ)/fuzz_*.d)

fuzz-build: $(FUZZ_BINS)

check-fuzz: $(FUZZ_BINS)
	@for n in $(FUZZ_NAMES); do \
		scripts/run-fuzz --replay $(FUZZ)/fuzz_$$n tests/corpus/$$n || exit 1; \
	done

fuzz: $(FUZZ_BINS)
	@for n in $(FUZZ_NAMES); do \
		scripts/run-fuzz --explore $(FUZZ)/fuzz_$$n tests/corpus/$$n $(FUZZ_TIME) \
			$$( [ -f tests/fuzz/$$n.dict ] && echo tests/fuzz/$$n.dict ) || exit 1; \
	done

# The VM lane (tests/vm/README.md): Debian's kernels 5.10, 6.1 and 6.12
# (OOMTOP_VM_KERNELS) under qemu run the guest tests as root with every
# capability.  VM_TESTS="t_x.sh ..." runs only those; OOMTOP_SKIP_VM=1 skips
# the lane, and says so.
VM_INITRAMFS := build/vm/initramfs.cpio.gz
VM_TESTS     ?=

vm-deps:
	@scripts/install-deps --vm

# The guest's oomtop is the release build's objects with libproc2, popt and
# ncurses linked in statically: under emulation the dynamic loader's work for
# the 13 shared libraries the release binary pulls in (libsystemd, libgcrypt,
# ...) costs more than many tests' own (host: 15 ms -> 6 ms of CPU per run).
VM_OOMTOP := build/vm/oomtop

$(VM_OOMTOP): $(REL)/obj/main.o $(REL)/liboomtop.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -Wl,-Bstatic $(shell $(PKG_CONFIG) --libs-only-l $(PKGS)) -Wl,-Bdynamic

$(VM_INITRAMFS): $(VM_OOMTOP) $(HELPERS) scripts/vm-initramfs tests/integ/lib.sh tests/integ/t_workload.sh \
		$(filter-out tests/vm/run tests/vm/README.md,$(wildcard tests/vm/*)) | vm-deps
	@mkdir -p $(dir $@)
	@scripts/vm-initramfs $@ $(VM_OOMTOP) $(REL)/helpers

vm-initramfs: $(VM_INITRAMFS)

ifneq ($(filter-out 0,$(OOMTOP_SKIP_VM)),)
check-vm:
	@echo "vm lane: SKIPPED because OOMTOP_SKIP_VM=$(OOMTOP_SKIP_VM): negative adj values, -1000,"
	@echo "vm lane: SKIPPED    global OOMs and cgroup v2 OOMs were NOT tested"
else
check-vm: $(VM_INITRAMFS)
	@tests/vm/run $(VM_TESTS)
endif

bench: test-deps
	@$(MAKE) --no-print-directory all helpers
	scripts/bench
	scripts/bench-live
	scripts/bench-watch

# The man page renders without a warning in mandoc and in groff.  (mandoc's
# STYLE notes, such as a SEE ALSO page not installed here, are left out: they
# depend on the machine.)
lint-man: man/oomtop.8
	@mandoc -T lint -W warning man/oomtop.8
	@out=$$(groff -ww -z -mandoc man/oomtop.8 2>&1); [ -z "$$out" ] || { echo "$$out"; exit 1; }
	@echo "man/oomtop.8: mandoc and groff clean"

# What a packager expects: the binary, its man page, the shell completions,
# the example rules, the Prometheus alert rules and the logrotate snippet
# (never /etc itself: those files are the admin's), the systemd units
# (oomtop-log.service among them) and the
# cron line, with the binary's path as installed.
INSTALL_FIX = sed -e 's|/usr/local/bin/oomtop|$(BINDIR)/oomtop|g'

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR) $(DESTDIR)$(DOCDIR) $(DESTDIR)$(UNITDIR)
	install -m 0755 oomtop $(DESTDIR)$(BINDIR)/oomtop
	install -m 0644 man/oomtop.8 $(DESTDIR)$(MANDIR)/man8/oomtop.8
	install -m 0644 completion/oomtop.bash $(DESTDIR)$(BASHCOMPDIR)/oomtop
	install -m 0644 completion/_oomtop $(DESTDIR)$(ZSHCOMPDIR)/_oomtop
	install -m 0644 completion/oomtop.fish $(DESTDIR)$(FISHCOMPDIR)/oomtop.fish
	install -m 0644 etc/oomtop.conf.example $(DESTDIR)$(DOCDIR)/oomtop.conf.example
	install -m 0644 etc/oomtop-alerts.yml $(DESTDIR)$(DOCDIR)/oomtop-alerts.yml
	install -m 0644 etc/oomtop-log.logrotate $(DESTDIR)$(DOCDIR)/oomtop-log.logrotate
	$(INSTALL_FIX) scripts/oomtop-apply.cron >$(DESTDIR)$(DOCDIR)/oomtop-apply.cron
	$(INSTALL_FIX) scripts/oomtop-apply.service >$(DESTDIR)$(UNITDIR)/oomtop-apply.service
	$(INSTALL_FIX) scripts/oomtop-watch.service >$(DESTDIR)$(UNITDIR)/oomtop-watch.service
	$(INSTALL_FIX) scripts/oomtop-log.service >$(DESTDIR)$(UNITDIR)/oomtop-log.service
	$(INSTALL_FIX) scripts/oomtop-textfile.service >$(DESTDIR)$(UNITDIR)/oomtop-textfile.service
	install -m 0644 scripts/oomtop-apply.timer $(DESTDIR)$(UNITDIR)/oomtop-apply.timer
	install -m 0644 scripts/oomtop-textfile.timer $(DESTDIR)$(UNITDIR)/oomtop-textfile.timer
	chmod 0644 $(DESTDIR)$(DOCDIR)/oomtop-apply.cron $(DESTDIR)$(UNITDIR)/oomtop-apply.service \
		$(DESTDIR)$(UNITDIR)/oomtop-watch.service $(DESTDIR)$(UNITDIR)/oomtop-log.service \
		$(DESTDIR)$(UNITDIR)/oomtop-textfile.service

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/oomtop $(DESTDIR)$(MANDIR)/man8/oomtop.8 \
		$(DESTDIR)$(BASHCOMPDIR)/oomtop $(DESTDIR)$(ZSHCOMPDIR)/_oomtop $(DESTDIR)$(FISHCOMPDIR)/oomtop.fish \
		$(DESTDIR)$(DOCDIR)/oomtop.conf.example $(DESTDIR)$(DOCDIR)/oomtop-alerts.yml \
		$(DESTDIR)$(DOCDIR)/oomtop-apply.cron \
		$(DESTDIR)$(UNITDIR)/oomtop-apply.service $(DESTDIR)$(UNITDIR)/oomtop-apply.timer \
		$(DESTDIR)$(UNITDIR)/oomtop-watch.service $(DESTDIR)$(UNITDIR)/oomtop-log.service \
		$(DESTDIR)$(DOCDIR)/oomtop-log.logrotate \
		$(DESTDIR)$(UNITDIR)/oomtop-textfile.service $(DESTDIR)$(UNITDIR)/oomtop-textfile.timer
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null

# The source tarball, DISTDIR/oomtop-VERSION.tar.gz: the files git tracks
# (never an untracked or ignored one), as they are in the work tree, in git's
# (sorted) order, owned by 0/0, dated the last commit (or SOURCE_DATE_EPOCH),
# modes 0644 or 0755 whatever the umask, gzip -n: two runs on the same tree
# give the same bytes.
DISTDIR   ?= .
DIST      := oomtop-$(VERSION)
DIST_EPOCH = $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct))

dist:
	@git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo "dist: not a git work tree"; exit 1; }
	@git diff --quiet HEAD -- || echo "dist: warning: the tarball holds changes not committed (git status)" >&2
	@mkdir -p $(DISTDIR)
	git ls-files -z | LC_ALL=C tar --null -T - --sort=name --format=gnu \
		--mtime=@$(DIST_EPOCH) --owner=0 --group=0 --numeric-owner --mode=a+rX,u+w,go-w \
		--transform='s|^|$(DIST)/|S' -cf $(DISTDIR)/$(DIST).tar
	gzip -n -9 -f $(DISTDIR)/$(DIST).tar

# The packages (tests/integ/t_package.sh): make dist, the .deb and the .rpm
# built from it in a temp dir, lintian, the file lists compared, the .deb
# installed, run and removed.  Needs root (dpkg -i).
check-package: $(REL)/oomtop $(HELPERS)
	@tests/integ/run $(REL)/oomtop $(REL)/helpers tests/integ/t_package.sh

clean:
	rm -rf build oomtop
