# pernode-services: see README.md.  POSIX make, GNU make and bmake alike.

VERSION = 0.1.0

# Install directories.  Those under PREFIX or SYSCONFDIR move with them
# ("make install PREFIX=/opt/pns SYSCONFDIR=/opt/pns/etc" writes nothing
# outside them); UNITDIR and STATEDIR do not, as systemd and the nodes
# look there whatever the prefix.  DESTDIR goes before every one.
PREFIX ?= /usr/local
# pernode-services on PATH: a symbolic link to INITDIR/pernode-services.
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
# The init script's library (scripts/lib: shell and awk) and the program
# that runs the scripts (pernode-watch), on the node itself: the boot must
# not need the shared state directory to read them.
LIBDIR ?= $(PREFIX)/lib/pernode-services
SYSCONFDIR ?= /etc
INITDIR ?= $(SYSCONFDIR)/init.d
# The rotation of the log (/var/log/pernode-services.log).
LOGROTATEDIR ?= $(SYSCONFDIR)/logrotate.d
# Where the example config goes, as CONFDIR/pernode-services; the init
# script reads /etc/sysconfig/pernode-services, then
# /etc/default/pernode-services.  Empty (the default): the distribution's,
# SYSCONFDIR/sysconfig on RHEL and SYSCONFDIR/default on Debian, as the
# target tree DESTDIR/SYSCONFDIR tells it: by its redhat-release or
# debian_version file, else by which of sysconfig/ or default/ it has
# (RHEL has both: sysconfig/ is looked for first).  A target that tells
# nothing (an empty staging DESTDIR) goes by the build host's /etc alike,
# and one that still tells nothing gets default/.
CONFDIR ?=
UNITDIR ?= /usr/lib/systemd/system
# The shared state directory; its path becomes the built-in ROOT of the
# installed init script and functions, and the unit's RequiresMountsFor.
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
HDR = src/parse.h src/timespec.h
# The runner's watcher: it runs every script of a run under its limit.
WATCH = src/pernode-watch
WATCH_SRC = src/pernode-watch.c
# Every build of the program: the compiler comes first, its flags after.
BUILD = $(WARN_CFLAGS) $(CPPFLAGS) -DVERSION='"$(VERSION)"'

all: $(PROG) $(WATCH)

$(PROG): $(SRC) $(HDR)
	$(CC) $(BUILD) $(CFLAGS) $(LDFLAGS) -o $@ $(SRC)

$(WATCH): $(WATCH_SRC) src/timespec.h
	$(CC) $(BUILD) $(CFLAGS) $(LDFLAGS) -o $@ $(WATCH_SRC)

# The same programs under AddressSanitizer and UBSan; make check runs
# their tests against them too.
$(PROG)-asan: $(SRC) $(HDR)
	$(CC) $(BUILD) $(SAN_CFLAGS) $(LDFLAGS) -o $@ $(SRC)

$(WATCH)-asan: $(WATCH_SRC) src/timespec.h
	$(CC) $(BUILD) $(SAN_CFLAGS) $(LDFLAGS) -o $@ $(WATCH_SRC)

# demo, check and bench first install what tests/deps lists for them
# (as root, with apt-get or dnf; INSTALL_DEPS=no only says what is
# missing), then build: the compiler may be among what is installed.
INSTALL_DEPS = yes
DEPS = INSTALL_DEPS=$(INSTALL_DEPS) sh tests/deps.sh

# Without a C compiler (an unprivileged user on a fresh machine), the
# demo stops saying so, and check runs only what needs no C (tests/run
# says what it skipped and why); with one, a build that fails fails both.
NO_CC = echo "no C compiler ($(CC)): install it (see tests/deps) to build src/"

demo:
	$(DEPS) demo
	@command -v $(CC) >/dev/null 2>&1 || { $(NO_CC); exit 1; }
	$(MAKE) $(PROG) $(WATCH)
	sh scripts/demo.sh

# Without a sanitizer runtime, tests/run skips the ASan pass and says why.
check:
	$(DEPS) check
	@if command -v $(CC) >/dev/null 2>&1; then $(MAKE) $(PROG) $(WATCH); \
	else $(NO_CC); fi
	-$(MAKE) $(PROG)-asan
	-$(MAKE) $(WATCH)-asan
	sh tests/run

# The end-to-end suite alone (make check runs it too): a debootstrap image
# booted under sysvinit and systemd, a simulated 32-node cluster, and the
# fault injection.  Needs root; the image is built once and kept in
# PERNODE_E2E_CACHE (default /var/cache/pernode-services-e2e).
e2e:
	$(DEPS) check
	$(MAKE) $(PROG) $(WATCH)
	sh tests/run tests/e2e/*.bats

bench:
	$(DEPS) bench
	$(MAKE) $(PROG) $(WATCH)
	bash tests/bench/waitOnFileUpdates.sh
	bash tests/bench/pernode-services.sh
	bash tests/bench/cluster.sh
	bash tests/bench/groups.sh
	bash tests/bench/report.sh
	bash tests/bench/plans.sh

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

# The one way to write install paths into installed files: each is
# written @NAME@ in the source (the init script, functions, the unit),
# and this sed puts in every one of them.
SUBST = sed -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@STATEDIR@|$(STATEDIR)|g' \
	-e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@INITDIR@|$(INITDIR)|g'

# Sets the shell variable confdir to CONFDIR, or when that is empty to
# the directory that the comment on CONFDIR above describes.
CONFDIR_SH = confdir='$(CONFDIR)' kind=; \
	for etc in '$(DESTDIR)$(SYSCONFDIR)' /etc; do \
		if [ -n "$$confdir$$kind" ]; then break; \
		elif [ -e "$$etc/redhat-release" ]; then kind=sysconfig; \
		elif [ -e "$$etc/debian_version" ]; then kind=default; \
		elif [ -d "$$etc/sysconfig" ]; then kind=sysconfig; \
		elif [ -d "$$etc/default" ]; then kind=default; fi; \
	done; \
	: "$${confdir:=$(SYSCONFDIR)/$${kind:-default}}"

# The node image gets the init script and its library, pernode-watch
# (mode 755, in LIBDIR beside the library), pernode-services on PATH, the
# unit, the man pages, the logrotate file and an example config
# (never overwriting a config or logrotate file that is there); the state
# directory gets functions, bin/waitOnFileUpdates and empty global/ and
# scripts/.
install: install-node install-state

# The link on PATH holds the final path, without DESTDIR: it resolves in
# the installed system (or inside the image root), never into a staging
# directory; absolute, as Debian Policy 10.5 wants a link from /usr to
# /etc.
install-node: $(WATCH)
	$(INSTALL) -d $(DESTDIR)$(INITDIR) $(DESTDIR)$(SBINDIR) \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(LOGROTATEDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(LIBDIR)
	$(SUBST) scripts/pernode-services >$(DESTDIR)$(INITDIR)/pernode-services
	chmod 755 $(DESTDIR)$(INITDIR)/pernode-services
	ln -sf $(INITDIR)/pernode-services $(DESTDIR)$(SBINDIR)/pernode-services
	$(INSTALL) -m 644 scripts/lib/*.sh scripts/lib/*.awk $(DESTDIR)$(LIBDIR)/
	$(INSTALL) -m 755 $(WATCH) $(DESTDIR)$(LIBDIR)/pernode-watch
	$(SUBST) packaging/systemd/pernode-services.service \
	    >$(DESTDIR)$(UNITDIR)/pernode-services.service
	chmod 644 $(DESTDIR)$(UNITDIR)/pernode-services.service
	$(INSTALL) -m 644 scripts/pernode-services.8 src/pernode-watch.8 \
	    $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 644 docs/pernode-functions.7 docs/pernode-services.7 \
	    $(DESTDIR)$(MANDIR)/man7/
	$(INSTALL) -m 644 src/waitOnFileUpdates.1 $(DESTDIR)$(MANDIR)/man1/
	[ -e $(DESTDIR)$(LOGROTATEDIR)/pernode-services ] || \
	    $(INSTALL) -m 644 packaging/pernode-services.logrotate \
	    $(DESTDIR)$(LOGROTATEDIR)/pernode-services
	$(CONFDIR_SH); \
	    $(INSTALL) -d $(DESTDIR)$$confdir && \
	    if [ ! -e $(DESTDIR)$$confdir/pernode-services ]; then \
		$(INSTALL) -m 644 packaging/pernode-services.conf \
		    $(DESTDIR)$$confdir/pernode-services; fi

install-state: $(PROG)
	$(INSTALL) -d $(DESTDIR)$(STATEDIR)/bin $(DESTDIR)$(STATEDIR)/global \
	    $(DESTDIR)$(STATEDIR)/scripts
	$(SUBST) functions >$(DESTDIR)$(STATEDIR)/functions
	chmod 644 $(DESTDIR)$(STATEDIR)/functions
	$(INSTALL) -m 755 $(PROG) $(DESTDIR)$(STATEDIR)/bin/waitOnFileUpdates

# A Warewulf 4 system overlay: OVERLAYDIR/rootfs/ gets what install-node
# puts on a node (as root: Warewulf gives the files on the nodes the
# owner and mode they have here), and the unit enabled by the link that
# "systemctl enable" would make.  Nothing of the state directory: the
# nodes mount it, and install-state fills it on the head node.  On a
# RHEL-family image, INITDIR=/etc/rc.d/init.d: there /etc/init.d is a
# link, which an overlay's directory would replace (see the README).  An
# overlay made before with the init script elsewhere is refused, not
# mixed; one made with the same paths is brought up to date, its config
# kept.  (install-node does not quote its paths: no blanks in OVERLAYDIR.)
# Only root may lay it out where it is used (no DESTDIR): Warewulf gives
# the files on the nodes the owner they have here, and a user's would be
# scripts that user could change, run by root at every boot.
OVERLAYDIR =
OVERLAYROOT = $(DESTDIR)$(OVERLAYDIR)/rootfs
WANTS = $(SYSCONFDIR)/systemd/system/multi-user.target.wants

overlay:
	@case '$(OVERLAYDIR)' in \
	'') echo 'make overlay: OVERLAYDIR=DIR is needed (the overlay, DIR/rootfs)' >&2; \
	    exit 2 ;; \
	*[\ \	]*) echo 'make overlay: OVERLAYDIR holds a blank: $(OVERLAYDIR)' >&2; \
	    exit 2 ;; \
	*/rootfs | */rootfs/) echo 'make overlay: OVERLAYDIR is the overlay, not its rootfs: $(OVERLAYDIR)' >&2; \
	    exit 2 ;; \
	/*) ;; \
	*) echo 'make overlay: OVERLAYDIR is not an absolute path: $(OVERLAYDIR)' >&2; \
	    exit 2 ;; \
	esac; \
	if [ -z '$(DESTDIR)' ] && [ "$$(id -u)" -ne 0 ]; then \
		echo "make overlay: run it as root: Warewulf gives the files on the nodes the owner they have here (uid $$(id -u))" >&2; \
		exit 2; \
	fi; \
	for d in $(SYSCONFDIR)/init.d $(SYSCONFDIR)/rc.d/init.d; do \
		if [ "$$d" != '$(INITDIR)' ] && \
		    [ -e '$(OVERLAYROOT)'"$$d/pernode-services" ]; then \
			echo "make overlay: $(OVERLAYROOT)$$d/pernode-services is of an overlay made with INITDIR=$$d: remove $(OVERLAYROOT) first" >&2; \
			exit 2; \
		fi; \
	done
	$(MAKE) install-node DESTDIR='$(OVERLAYROOT)'
	$(INSTALL) -d '$(OVERLAYROOT)$(WANTS)'
	ln -sf '$(UNITDIR)/pernode-services.service' \
	    '$(OVERLAYROOT)$(WANTS)/pernode-services.service'

# Removes what install put there: an edited config or logrotate file,
# scripts an administrator added and the directories holding them stay.
# Without CONFDIR, an untouched config goes from sysconfig/ and default/.
uninstall:
	rm -f $(DESTDIR)$(INITDIR)/pernode-services \
	    $(DESTDIR)$(SBINDIR)/pernode-services \
	    $(DESTDIR)$(UNITDIR)/pernode-services.service \
	    $(DESTDIR)$(MANDIR)/man8/pernode-services.8 \
	    $(DESTDIR)$(MANDIR)/man8/pernode-watch.8 \
	    $(DESTDIR)$(LIBDIR)/pernode-watch \
	    $(DESTDIR)$(MANDIR)/man7/pernode-functions.7 \
	    $(DESTDIR)$(MANDIR)/man7/pernode-services.7 \
	    $(DESTDIR)$(MANDIR)/man1/waitOnFileUpdates.1 \
	    $(DESTDIR)$(STATEDIR)/functions \
	    $(DESTDIR)$(STATEDIR)/bin/waitOnFileUpdates
	if cmp -s packaging/pernode-services.logrotate \
	    $(DESTDIR)$(LOGROTATEDIR)/pernode-services; then \
		rm -f $(DESTDIR)$(LOGROTATEDIR)/pernode-services; fi
	dirs='$(CONFDIR)'; \
	    : "$${dirs:=$(SYSCONFDIR)/sysconfig $(SYSCONFDIR)/default}"; \
	    for d in $$dirs; do \
		if cmp -s packaging/pernode-services.conf \
		    $(DESTDIR)$$d/pernode-services; then \
			rm -f $(DESTDIR)$$d/pernode-services; fi; \
	    done
	for f in scripts/lib/*.sh scripts/lib/*.awk; do \
		rm -f "$(DESTDIR)$(LIBDIR)/$${f##*/}"; done
	-rmdir $(DESTDIR)$(LIBDIR) 2>/dev/null
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
	rm -f $(PROG) $(PROG)-asan $(PROG)-static $(WATCH) $(WATCH)-asan \
	    src/fuzz-parse $(DIST).tar.gz
	rm -rf $(PKGBUILD)

.PHONY: all demo check e2e bench fuzz install install-node install-state \
	overlay uninstall static dist rpm deb clean
