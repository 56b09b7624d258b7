# pernode-services: see README.md.  POSIX make, GNU make and bmake alike.

VERSION = 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man

CC ?= cc
CFLAGS ?= -O2 -g
INSTALL ?= install

STD_CFLAGS = -std=c99 -Wall -Wextra -Wpedantic -Wshadow -Wconversion
SAN_CFLAGS = -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CC = clang
FUZZ_SECONDS = 60

PROG = src/waitOnFileUpdates
SRC = src/waitOnFileUpdates.c

all: $(PROG)

$(PROG): $(SRC)
	$(CC) $(STD_CFLAGS) $(CFLAGS) $(CPPFLAGS) -DVERSION='"$(VERSION)"' \
	    $(LDFLAGS) -o $@ $(SRC)

# The same program under AddressSanitizer and UBSan; make check runs the
# waitOnFileUpdates tests against it too.
$(PROG)-asan: $(SRC)
	$(CC) $(STD_CFLAGS) $(SAN_CFLAGS) $(CPPFLAGS) -DVERSION='"$(VERSION)"' \
	    $(LDFLAGS) -o $@ $(SRC)

demo: $(PROG)
	sh scripts/demo.sh

check: $(PROG) $(PROG)-asan
	sh tests/run

bench: $(PROG)
	bash tests/bench/waitOnFileUpdates.sh
	bash tests/bench/pernode-services.sh

# Bounded fuzzing of the number and THRESHOLD parsers (clang's libFuzzer).
# New inputs go to the ignored findings/corpus; the seeds stay as they are.
fuzz: src/fuzz-parse
	mkdir -p tests/fuzz/findings/corpus
	src/fuzz-parse -max_total_time=$(FUZZ_SECONDS) \
	    -artifact_prefix=tests/fuzz/findings/ \
	    tests/fuzz/findings/corpus tests/fuzz/corpus

src/fuzz-parse: tests/fuzz/parse.c $(SRC)
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined \
	    -o $@ tests/fuzz/parse.c

install: $(PROG)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 755 $(PROG) $(DESTDIR)$(BINDIR)/waitOnFileUpdates
	$(INSTALL) -m 644 src/waitOnFileUpdates.1 \
	    $(DESTDIR)$(MANDIR)/man1/waitOnFileUpdates.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/waitOnFileUpdates \
	    $(DESTDIR)$(MANDIR)/man1/waitOnFileUpdates.1

clean:
	rm -f $(PROG) $(PROG)-asan src/fuzz-parse

.PHONY: all demo check bench fuzz install uninstall clean
