# pernode-services: see README.md.  POSIX make, GNU make and bmake alike.

VERSION = 0.1.0

PREFIX ?= /usr/local
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
# Where the example config goes: sysconfig (RHEL) or default (Debian).
CONFDIR ?= $(SYSCONFDIR)/sysconfig
INITDIR ?= $(SYSCONFDIR)/init.d
UNITDIR ?= /usr/lib/systemd/system
# The head node's report (pernode-services report) lives here, out of the
# init directory: it is not an init script.
LIBEXECDIR ?= $(PREFIX)/libexec
# The shared state directory; its path becomes the built-in ROOT of the
# installed init script and functions.
STATEDIR ?= /opt/perceus/state/lib/perceus/init.d

CC ?= cc
CFLAGS ?= -O2 -g
INSTALL ?= install

# The one home of the warning flags; tests/lint.bats reads this line.
WARN_CFLAGS = -std=c99 -Wall -Wextra -Wpedantic -Wshadow -Wconversion
SAN_CFLAGS = -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CC = clang
FUZZ_SECONDS = 60

PROG = src/waitOnFileUpdates
SRC = src/waitOnFileUpdates.c src/parse.c
HDR = src/parse.h
# Every build of the program: the compiler comes first, its flags after.
BUILD = $(WARN_CFLAGS) $(CPPFLAGS) -DVERSION='"$(VERSION)"'

all: $(PROG)

$(PROG): $(SRC) $(HDR)
	$(CC) $(BUILD) $(CFLAGS) $(LDFLAGS) -o $@ $(SRC)

# The same program under AddressSanitizer and UBSan; make check runs the
# waitOnFileUpdates tests against it too.
$(PROG)-asan: $(SRC) $(HDR)
	$(CC) $(BUILD) $(SAN_CFLAGS) $(LDFLAGS) -o $@ $(SRC)

# demo, check and bench first install what tests/deps lists for them
# (as root, with apt-get or dnf; INSTALL_DEPS=no only says what is
# missing), then build: the compiler may be among what is installed.
INSTALL_DEPS = yes
DEPS = INSTALL_DEPS=$(INSTALL_DEPS) sh tests/deps.sh

demo:
	$(DEPS) demo
	$(MAKE) $(PROG)
	sh scripts/demo.sh

# Without a sanitizer runtime, tests/run skips the ASan pass and says why.
check:
	$(DEPS) check
	$(MAKE) $(PROG)
	-$(MAKE) $(PROG)-asan
	sh tests/run

# The end-to-end suite alone (make check runs it too): a debootstrap image
# booted under sysvinit and systemd, a simulated 32-node cluster, and the
# fault injection.  Needs root; the image is built once and kept in
# PERNODE_E2E_CACHE (default /var/cache/pernode-services-e2e).
e2e:
	$(DEPS) check
	$(MAKE) $(PROG)
	sh tests/run tests/e2e/*.bats

bench:
	$(DEPS) bench
	$(MAKE) $(PROG)
	bash tests/bench/waitOnFileUpdates.sh
	bash tests/bench/pernode-services.sh
	bash tests/bench/cluster.sh
	bash tests/bench/groups.sh
	bash tests/bench/report.sh

# Bounded fuzzing of the number and THRESHOLD parsers (clang's libFuzzer).
# New inputs go to the ignored findings/corpus; the seeds stay as they are.
fuzz: src/fuzz-parse
	mkdir -p tests/fuzz/findings/corpus
	src/fuzz-parse -max_total_time=$(FUZZ_SECONDS) \
	    -artifact_prefix=tests/fuzz/findings/ \
	    tests/fuzz/findings/corpus tests/fuzz/corpus

src/fuzz-parse: tests/fuzz/parse.c src/parse.c $(HDR)
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined \
	    -o $@ tests/fuzz/parse.c src/parse.c

# The node image gets the init script, the unit, the man pages and an
# example config (never overwriting one that is there); the state directory
# gets functions, bin/waitOnFileUpdates and empty global/ and scripts/.
install: install-node install-state

install-node:
	$(INSTALL) -d $(DESTDIR)$(INITDIR) $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(CONFDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(LIBEXECDIR)/pernode-services
	sed -e 's|^default_root=.*|default_root=$(STATEDIR)|' \
	    -e 's|^default_report=.*|default_report=$(LIBEXECDIR)/pernode-services/pernode-report|' \
	    scripts/pernode-services >$(DESTDIR)$(INITDIR)/pernode-services
	chmod 755 $(DESTDIR)$(INITDIR)/pernode-services
	sed 's|^default_initdir=.*|default_initdir=$(INITDIR)|' scripts/pernode-report \
	    >$(DESTDIR)$(LIBEXECDIR)/pernode-services/pernode-report
	chmod 755 $(DESTDIR)$(LIBEXECDIR)/pernode-services/pernode-report
	sed 's|@INITDIR@|$(INITDIR)|g' packaging/systemd/pernode-services.service \
	    >$(DESTDIR)$(UNITDIR)/pernode-services.service
	chmod 644 $(DESTDIR)$(UNITDIR)/pernode-services.service
	$(INSTALL) -m 644 scripts/pernode-services.8 $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 644 docs/pernode-functions.7 docs/pernode-services.7 \
	    $(DESTDIR)$(MANDIR)/man7/
	$(INSTALL) -m 644 src/waitOnFileUpdates.1 $(DESTDIR)$(MANDIR)/man1/
	[ -e $(DESTDIR)$(CONFDIR)/pernode-services ] || \
	    $(INSTALL) -m 644 packaging/pernode-services.conf \
	    $(DESTDIR)$(CONFDIR)/pernode-services

install-state: $(PROG)
	$(INSTALL) -d $(DESTDIR)$(STATEDIR)/bin $(DESTDIR)$(STATEDIR)/global \
	    $(DESTDIR)$(STATEDIR)/scripts
	sed 's|^: "$${PERNODE_ROOT:=.*}"$$|: "$${PERNODE_ROOT:=$(STATEDIR)}"|' \
	    functions >$(DESTDIR)$(STATEDIR)/functions
	chmod 644 $(DESTDIR)$(STATEDIR)/functions
	$(INSTALL) -m 755 $(PROG) $(DESTDIR)$(STATEDIR)/bin/waitOnFileUpdates

# Removes what install put there: an edited config, scripts an
# administrator added and the directories holding them stay.
uninstall:
	rm -f $(DESTDIR)$(INITDIR)/pernode-services \
	    $(DESTDIR)$(LIBEXECDIR)/pernode-services/pernode-report \
	    $(DESTDIR)$(UNITDIR)/pernode-services.service \
	    $(DESTDIR)$(MANDIR)/man8/pernode-services.8 \
	    $(DESTDIR)$(MANDIR)/man7/pernode-functions.7 \
	    $(DESTDIR)$(MANDIR)/man7/pernode-services.7 \
	    $(DESTDIR)$(MANDIR)/man1/waitOnFileUpdates.1 \
	    $(DESTDIR)$(STATEDIR)/functions \
	    $(DESTDIR)$(STATEDIR)/bin/waitOnFileUpdates
	if cmp -s packaging/pernode-services.conf \
	    $(DESTDIR)$(CONFDIR)/pernode-services; then \
		rm -f $(DESTDIR)$(CONFDIR)/pernode-services; fi
	-rmdir $(DESTDIR)$(LIBEXECDIR)/pernode-services 2>/dev/null
	-rmdir $(DESTDIR)$(STATEDIR)/bin $(DESTDIR)$(STATEDIR)/global \
	    $(DESTDIR)$(STATEDIR)/scripts $(DESTDIR)$(STATEDIR) 2>/dev/null

# A static waitOnFileUpdates for node images whose C library is older than
# the build host's: musl when musl-gcc is there, else the C library's own.
static: $(PROG)-static

$(PROG)-static: $(SRC) $(HDR)
	cc=$$(command -v musl-gcc || printf '%s' '$(CC)'); \
	    $$cc $(BUILD) $(CFLAGS) $(LDFLAGS) -static -o $@ $(SRC)

# The committed tree, as pernode-services-VERSION.tar.gz.
DIST = pernode-services-$(VERSION)
dist:
	git archive --format=tar --prefix=$(DIST)/ HEAD | gzip -9 >$(DIST).tar.gz

# Packages from the dist tarball, into packaging/build/, with VERSION put
# in for @VERSION@.  rpmbuild runs with --nodeps: a Debian host has no RPM
# database to satisfy BuildRequires from.
PKGBUILD = packaging/build

rpm: dist
	rm -rf $(PKGBUILD)/rpm
	mkdir -p $(PKGBUILD)/rpm/SOURCES $(PKGBUILD)/rpm/SPECS
	cp $(DIST).tar.gz $(PKGBUILD)/rpm/SOURCES/
	sed 's/@VERSION@/$(VERSION)/g' packaging/rpm/pernode-services.spec \
	    >$(PKGBUILD)/rpm/SPECS/pernode-services.spec
	rpmbuild -ba --nodeps --define "_topdir $$(pwd)/$(PKGBUILD)/rpm" \
	    --define 'debug_package %{nil}' \
	    $(PKGBUILD)/rpm/SPECS/pernode-services.spec

deb: dist
	rm -rf $(PKGBUILD)/deb
	mkdir -p $(PKGBUILD)/deb
	gzip -dc $(DIST).tar.gz | (cd $(PKGBUILD)/deb && tar -xf -)
	cp -R packaging/debian $(PKGBUILD)/deb/$(DIST)/debian
	sed 's/@VERSION@/$(VERSION)/g' packaging/debian/changelog \
	    >$(PKGBUILD)/deb/$(DIST)/debian/changelog
	cd $(PKGBUILD)/deb/$(DIST) && dpkg-buildpackage -us -uc -b

clean:
	rm -f $(PROG) $(PROG)-asan $(PROG)-static src/fuzz-parse $(DIST).tar.gz
	rm -rf $(PKGBUILD)

.PHONY: all demo check e2e bench fuzz install install-node install-state \
	uninstall static dist rpm deb clean
