# qcode - build, test, demo, benchmark.  See README.md.

PKGS      := sqlite3 libpcre2-8 libxml-2.0 libzip libmicrohttpd xlsxwriter
CC        ?= cc
OPT       ?= -O2 -g
STD       := -std=c11 -pedantic -D_GNU_SOURCE
WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wno-unused-parameter
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libmicrohttpd is not linked: serve.c loads it (dlopen) when `qcode
# serve` starts, by the soname of the library pkg-config names (README
# "Tests": it and the ten libraries it needs made every start 7 ms slower).
PKG_LIBS   = $(shell pkg-config --libs $(filter-out libmicrohttpd,$(PKGS)) \
             2>/dev/null) -pthread
MHD_SONAME = $(or $(shell objdump -p "$$(pkg-config --variable=libdir \
             libmicrohttpd 2>/dev/null)/libmicrohttpd.so" 2>/dev/null | \
             awk '$$1 == "SONAME" { print $$2 }'),libmicrohttpd.so.12)
build/serve.o build-asan/serve.o build-fuzz/serve.o: \
	PKG_CFLAGS += -DQC_MHD_SONAME='"$(MHD_SONAME)"'
SAN       := -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=all
# gcc links the sanitizer runtimes statically too (clang always does):
# each start of build-asan/qcode then maps and scans less (LeakSanitizer
# reads the whole of a shared libubsan's 6 MB .bss), about a third fewer
# page faults, which make most of the ASan pass's system time.
SANLINK   := $(shell $(CC) --version 2>/dev/null | grep -q clang || \
             echo -static-libasan -static-libubsan)
# ... and not as a position-independent executable: the ASan build's
# 62,000 relocations (its globals' descriptors) then cost nothing at
# start, nor 400 pages copied on write; LeakSanitizer's exit scan of the
# writable segments is prefaulted in one call (tests/asan/lsan_prefault.c,
# linked into the ASan builds only).  README "Tests".
SANLINK   += -no-pie
ASANEXTRA := build-asan/lsan_prefault.o

SRC       := $(sort $(wildcard src/*.c))
LIBSRC    := $(filter-out src/main.c,$(SRC))
UNITSRC   := $(sort $(wildcard tests/unit/*.c))

# The web workspace's page (src/web/), embedded as build/web_files.c.
WEB       := src/web/index.html src/web/app.css src/web/app.js

OBJ       := $(SRC:src/%.c=build/%.o) build/web_files.o
LIBOBJ    := $(LIBSRC:src/%.c=build/%.o) build/web_files.o
UNITOBJ   := $(UNITSRC:tests/unit/%.c=build/unit/%.o)
AOBJ      := $(SRC:src/%.c=build-asan/%.o) build-asan/web_files.o
ALIBOBJ   := $(LIBSRC:src/%.c=build-asan/%.o) build-asan/web_files.o
AUNITOBJ  := $(UNITSRC:tests/unit/%.c=build-asan/unit/%.o)

.PHONY: all deps check check-plain check-asan check-valgrind demo bench fuzz \
	fuzz-build clean install uninstall

# make install PREFIX=/usr DESTDIR=... (Debian packaging) installs the
# binary, the man page (from the help texts: scripts/manpage.sh), the bash
# completion, the zsh completion (made from the bash one:
# scripts/zsh-completion.sh) and the sample codebooks; make uninstall
# removes them.
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
DATADIR   ?= $(PREFIX)/share/qcode
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/vendor-completions

all: build/qcode build/qcode.1 build/_qcode

build/_qcode: scripts/qcode-completion.bash scripts/zsh-completion.sh | build
	sh scripts/zsh-completion.sh scripts/qcode-completion.bash >$@.tmp && \
		mv $@.tmp $@

build/qcode.1: build/qcode scripts/manpage.sh
	sh scripts/manpage.sh build/qcode >$@.tmp && mv $@.tmp $@

install: build/qcode build/qcode.1 build/_qcode
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DATADIR)/codebooks
	install -m 755 build/qcode $(DESTDIR)$(BINDIR)/qcode
	install -m 644 build/qcode.1 $(DESTDIR)$(MANDIR)/man1/qcode.1
	install -m 644 codebooks/*.md $(DESTDIR)$(DATADIR)/codebooks/
	install -d $(DESTDIR)$(BASHCOMPDIR)
	install -m 644 scripts/qcode-completion.bash \
		$(DESTDIR)$(BASHCOMPDIR)/qcode
	install -d $(DESTDIR)$(ZSHCOMPDIR)
	install -m 644 build/_qcode $(DESTDIR)$(ZSHCOMPDIR)/_qcode

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/qcode $(DESTDIR)$(MANDIR)/man1/qcode.1 \
		$(DESTDIR)$(BASHCOMPDIR)/qcode $(DESTDIR)$(ZSHCOMPDIR)/_qcode
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/,$(wildcard codebooks/*.md))
	-rmdir $(DESTDIR)$(DATADIR)/codebooks $(DESTDIR)$(DATADIR) 2>/dev/null

deps:
	@sh scripts/deps.sh build

build/qcode: $(OBJ)
	$(CC) $(OPT) -o $@ $(OBJ) $(PKG_LIBS) -lm

build/%.o: src/%.c | build
	$(CC) $(STD) $(WARN) $(OPT) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

build/embed: src/web/embed.c | build
	$(CC) $(STD) $(WARN) -O1 -o $@ $<

build/web_files.c: build/embed $(WEB)
	build/embed $(WEB) >$@.tmp && mv $@.tmp $@

build/web_files.o: build/web_files.c src/serve.h
	$(CC) $(STD) $(WARN) $(OPT) -Isrc $(PKG_CFLAGS) -c -o $@ $<

build-asan/web_files.o: build/web_files.c src/serve.h | build-asan
	$(CC) $(STD) $(WARN) -O1 -g $(SAN) -Isrc $(PKG_CFLAGS) -c -o $@ $<

build/unit/%.o: tests/unit/%.c | build
	$(CC) $(STD) $(WARN) $(OPT) $(PKG_CFLAGS) -Isrc -MMD -MP -c -o $@ $<

build/unit-tests: $(LIBOBJ) $(UNITOBJ)
	$(CC) $(OPT) -o $@ $^ $(PKG_LIBS) -lm

build-asan/qcode: $(AOBJ) $(ASANEXTRA)
	$(CC) $(OPT) $(SAN) $(SANLINK) -o $@ $(AOBJ) $(ASANEXTRA) \
		$(PKG_LIBS) -lm

build-asan/lsan_prefault.o: tests/asan/lsan_prefault.c | build-asan
	$(CC) $(STD) $(WARN) -O1 -g -c -o $@ $<

build-asan/%.o: src/%.c | build-asan
	$(CC) $(STD) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

build-asan/unit/%.o: tests/unit/%.c | build-asan
	$(CC) $(STD) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -Isrc -MMD -MP \
		-c -o $@ $<

build-asan/unit-tests: $(ALIBOBJ) $(AUNITOBJ) $(ASANEXTRA)
	$(CC) -O1 -g $(SAN) $(SANLINK) -o $@ $^ $(PKG_LIBS) -lm

build build-asan:
	@mkdir -p $@/unit

# The suite plainly and under ASan+UBSan (a few minutes on two cores);
# check-valgrind runs it under valgrind (much longer; .ci/run runs
# both).  Each ends with "N passed, N failed".
check:
	@sh scripts/deps.sh test || echo "qcode: some tests will be skipped" >&2
	@$(MAKE) --no-print-directory build/qcode build/unit-tests \
		build-asan/qcode build-asan/unit-tests
	@RUNS="plain asan" sh tests/run.sh

check-valgrind:
	@sh scripts/deps.sh test || echo "qcode: some tests will be skipped" >&2
	@$(MAKE) --no-print-directory build/qcode build/unit-tests
	@RUNS=valgrind sh tests/run.sh

check-plain: build/qcode build/unit-tests
	@RUNS=plain sh tests/run.sh

check-asan: build-asan/qcode build-asan/unit-tests
	@RUNS=asan sh tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory build/qcode
	@sh scripts/demo.sh

bench:
	@sh scripts/deps.sh bench
	@$(MAKE) --no-print-directory build/qcode
	@sh scripts/bench.sh
	@sh scripts/bench_plain.sh
	@for py in python3 /usr/bin/python3; do \
		$$py -c 'import selenium' 2>/dev/null && \
		exec $$py scripts/bench_render.py build/qcode; \
	done; python3 scripts/bench_render.py build/qcode
	@sh scripts/bench_report.sh
	@sh scripts/bench_team.sh
	@if command -v hspell >/dev/null; then \
		python3 scripts/measure_hebrew_prefixes.py build/qcode; \
	else echo "bench: no hspell; Hebrew prefix measure skipped"; fi
	@sh scripts/bench_growth.sh

# libFuzzer harnesses (tests/fuzz/fuzz_*.c, clang): every parser in
# process under ASan+UBSan, each run for FUZZ_SECONDS (and at most
# FUZZ_RUNS inputs, when set: README "Fuzzing").
# Not part of 'make check'.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_RUNS    ?= 0
FUZZ_CFLAGS  := -O1 -g -fno-omit-frame-pointer \
                -fsanitize=fuzzer-no-link,address,undefined \
                -fno-sanitize-recover=undefined \
                -fsanitize-coverage-ignorelist=tests/fuzz/nocov.txt
FUZZSRC   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZBIN   := $(FUZZSRC:tests/fuzz/%.c=build-fuzz/%)
FLIBOBJ   := $(LIBSRC:src/%.c=build-fuzz/%.o) build-fuzz/web_files.o \
             build-fuzz/harness/harness.o

fuzz-build: $(FUZZBIN)

# Keep the objects (make would delete them as intermediate files).
.SECONDARY: $(FLIBOBJ) $(FUZZSRC:tests/fuzz/%.c=build-fuzz/harness/%.o)

fuzz:
	@sh scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) \
		SHARED=$${SHARED:-../shared} \
		sh tests/fuzz/run.sh $(FUZZ)

build-fuzz/%.o: src/%.c tests/fuzz/nocov.txt | build-fuzz
	$(FUZZ_CC) $(STD) $(WARN) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -MMD -MP \
		-c -o $@ $<

build-fuzz/web_files.o: build/web_files.c src/serve.h tests/fuzz/nocov.txt | build-fuzz
	$(FUZZ_CC) $(STD) $(WARN) $(FUZZ_CFLAGS) -Isrc $(PKG_CFLAGS) \
		-c -o $@ $<

build-fuzz/harness/%.o: tests/fuzz/%.c tests/fuzz/nocov.txt | build-fuzz
	$(FUZZ_CC) $(STD) $(WARN) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -Isrc \
		-MMD -MP -c -o $@ $<

build-fuzz/fuzz_%: build-fuzz/harness/fuzz_%.o $(FLIBOBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ \
		$(PKG_LIBS) -lm

build-fuzz:
	@mkdir -p $@/harness

clean:
	rm -rf build build-asan build-fuzz

-include $(OBJ:.o=.d) $(UNITOBJ:.o=.d) $(AOBJ:.o=.d) $(AUNITOBJ:.o=.d) \
	$(FLIBOBJ:.o=.d) $(FUZZSRC:tests/fuzz/%.c=build-fuzz/harness/%.d)
