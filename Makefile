# netpoll-asm: Go 1.19.8's Linux netpoller, rebuilt in NASM and C++.
#
#   make run     build and run the demo (installs what is missing first)
#   make tour    a narrated walk through the system-call stubs
#   make test    build and run the conformance suite
#   make test SANITIZE=address,undefined    the same under sanitizers
#   make run NETPOLL_GO=1.23   the netpoller of a later Go (1.21, 1.22, 1.23)
#   make compdb  write compile_commands.json for editors and clang-tidy
#   make bench   micro-benchmarks and the echo benchmark (-O2, not part of test)
#   make V=1 ... print every command
#
# Objects go under build/, mirroring the source tree; a sanitizer build, an
# optimised one and a later release's netpoller each get a directory of
# their own so they never mix.

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

comma := ,
SANITIZE ?=

# Which Go release's netpoller (include/runtime/netpoll.h): 1.19, the
# default, or a later one's fixes on top of it, fenced by #if NETPOLL_GO.
# Checked on its raw text, never expanded, before anything uses it.
NETPOLL_GOS := 1.19 1.21 1.22 1.23
NETPOLL_GO ?= 1.19
same = $(and $(findstring x$(1)x,x$(2)x),$(findstring x$(2)x,x$(1)x))
ifeq ($(strip $(foreach v,$(NETPOLL_GOS),$(call same,$(v),$(value NETPOLL_GO)))),)
$(error NETPOLL_GO=$(value NETPOLL_GO): not one of $(NETPOLL_GOS))
endif

CXX ?= g++
NASM ?= nasm

# -O0 -g keeps every C++ line steppable in gdb; override on the command line.
# An optimised build (make bench) gets a directory of its own too.
CXXFLAGS ?= -O0 -g
B := build$(if $(filter-out 1.19,$(NETPOLL_GO)),/go$(NETPOLL_GO))$(if $(SANITIZE),/san-$(subst $(comma),-,$(SANITIZE)))$(if $(findstring -O2,$(CXXFLAGS)),/opt)
CXXFLAGS += -std=c++17 -Wall -Wextra -fPIE -pthread
# Every function keeps a frame pointer, at -O2 too, as Go's amd64 frames
# keep BP: the runtime's tracebacks walk the chain (src/runtime/traceback.cpp).
CXXFLAGS += -fno-omit-frame-pointer
# Every function begins with a call to __cyg_profile_func_enter, where the
# runtime compares the stack pointer with g.stackguard0 as Go's compiled
# prologues do (src/runtime/stack.cpp).  Inline code from system headers
# (the STL, GoogleTest) is left out: the check at our own functions is enough.
CXXFLAGS += -finstrument-functions -finstrument-functions-exclude-file-list=/usr/include
CPPFLAGS += -Iinclude -DNETPOLL_GO=$(subst .,,$(NETPOLL_GO))
# -g -F dwarf: line info, so gdb's stepi shows the .asm source line.
NASMFLAGS := -f elf64 -g -F dwarf
# -z text: fail the link if any object needs text relocations (non-PIC code).
# --fatal-warnings: turns ld's "missing .note.GNU-stack implies executable
# stack" warning into an error, so an asm file without the note cannot link.
LDFLAGS += -pie -pthread -Wl,-z,text -Wl,--fatal-warnings
ifneq ($(SANITIZE),)
CXXFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
endif

# The runtime: one twin per Go file.
RUNTIME_ASM := \
	asm/asm_amd64.asm \
	asm/sys_linux_amd64.asm
RUNTIME_SRC := \
	src/runtime/lock_futex.cpp \
	src/runtime/mprof.cpp \
	src/runtime/nbpipe_pipe2.cpp \
	src/runtime/netpoll.cpp \
	src/runtime/netpoll_epoll.cpp \
	src/runtime/netpolltrace.cpp \
	src/runtime/trace.cpp \
	src/runtime/os_linux.cpp \
	src/runtime/panic.cpp \
	src/runtime/print.cpp \
	src/runtime/proc.cpp \
	src/runtime/runtime1.cpp \
	src/runtime/sema.cpp \
	src/runtime/sigqueue.cpp \
	src/runtime/signal_amd64.cpp \
	src/runtime/signal_unix.cpp \
	src/runtime/sigtab_linux_generic.cpp \
	src/runtime/stack.cpp \
	src/runtime/symtab.cpp \
	src/runtime/time.cpp \
	src/runtime/time_nofake.cpp \
	src/runtime/traceback.cpp \
	src/runtime/vdso_linux.cpp \
	src/runtime/vdso_linux_amd64.cpp

# The layers above the runtime, as Go's: internal/poll (the FD, its
# fdMutex and its pollDesc), sync.WaitGroup, and a small net package.
NET_SRC := \
	src/internal/poll/fd.cpp \
	src/internal/poll/fd_mutex.cpp \
	src/internal/poll/fd_poll_runtime.cpp \
	src/internal/poll/fd_posix.cpp \
	src/internal/poll/fd_unix.cpp \
	src/internal/poll/hook_unix.cpp \
	src/internal/poll/sock_cloexec.cpp \
	src/net/fd_posix.cpp \
	src/net/fd_unix.cpp \
	src/net/net.cpp \
	src/net/tcpsock.cpp \
	src/os/file.cpp \
	src/os/pipe2_unix.cpp \
	src/sync/waitgroup.cpp

DEMO_SRC := \
	src/cmd/demo.cpp

# Tools, not part of the runtime: ptrace for the tour and the tests; the
# Go-reference model for the reference test, make sxs and make html.
TRACER_SRC := \
	src/tools/syscall_tracer.cpp
GOREF_SRC := \
	src/tools/goref.cpp

TOUR_SRC := \
	src/cmd/tour.cpp
GOREF_MAIN_SRC := \
	src/cmd/goref.cpp

TEST_ASM := \
	tests/abi_check.asm
TEST_SRC := \
	tests/main.cpp \
	tests/harness_test.cpp \
	tests/sys_linux_amd64_test.cpp \
	tests/epoll_semantics_test.cpp \
	tests/syscall_trace_test.cpp \
	tests/abi_test.cpp \
	tests/differential_test.cpp \
	tests/elf_test.cpp \
	tests/netpoll_epoll_test.cpp \
	tests/netpoll_test.cpp \
	tests/net_test.cpp \
	tests/poll_test.cpp \
	tests/sync_test.cpp \
	tests/stress_test.cpp \
	tests/proc_test.cpp \
	tests/time_test.cpp \
	tests/netpolltrace_test.cpp \
	tests/after_go119_test.cpp \
	tests/vdso_linux_test.cpp \
	tests/demo_test.cpp \
	tests/goref_test.cpp \
	tests/trace_test.cpp \
	tests/make_test.cpp \
	tests/notes_test.cpp \
	tests/conformance_test.cpp \
	tests/gdb_test.cpp \
	tests/signal_unix_test.cpp \
	tests/traceback_test.cpp \
	tests/gotest/net_timeout_test.cpp \
	tests/gotest/os_pipe_test.cpp \
	tests/gotest/proc_test.cpp

obj = $(patsubst %,$(B)/%.o,$(basename $(1)))
RUNTIME_OBJ := $(call obj,$(RUNTIME_ASM) $(RUNTIME_SRC))
NET_OBJ := $(call obj,$(NET_SRC))
DEMO_OBJ := $(call obj,$(DEMO_SRC))
TRACER_OBJ := $(call obj,$(TRACER_SRC))
GOREF_OBJ := $(call obj,$(GOREF_SRC))
GOREF_MAIN_OBJ := $(call obj,$(GOREF_MAIN_SRC))
TOUR_OBJ := $(call obj,$(TOUR_SRC))
TEST_OBJ := $(call obj,$(TEST_ASM) $(TEST_SRC))

ifeq ($(V),1)
Q :=
say := @true
else
Q := @
say := @printf '  %-6s %s\n'
endif

all: deps $(B)/demo $(B)/tour $(B)/goref $(B)/tests/gdb_target $(B)/tests/runtime_test

run: deps $(B)/demo
	$(B)/demo

tour: deps $(B)/tour
	$(B)/tour

# Go's function beside ours (FN=netpollready), and the same as a static site.
# Both read Go's text from GOROOT when they run.
# FN reaches goref through the environment, never through the shell's
# parser: FN='x; rm -rf ~' is one odd name, not a command.  Every row is one
# row, cut to the terminal ('…'); WRAP=1 wraps long lines whole instead.
sxs: deps $(B)/goref
	@test -n "$$FN" || { echo "usage: make sxs FN=netpollready [WRAP=1]"; exit 2; }
	@$(B)/goref sxs $${WRAP:+--wrap} "$$FN"

# An unknown FN: make stops with goref's one line (and the nearest names)
# rather than with a recipe's error after it.  Looked up while this file is
# read, when goref is built; FN's raw text ($(value), never expanded) goes
# to the shell in single quotes, each ' in it escaped.
ifneq ($(filter sxs,$(MAKECMDGOALS)),)
ifneq ($(wildcard $(B)/goref),)
ifneq ($(value FN),)
SXS_UNKNOWN := $(shell $(B)/goref sxs --check '$(subst ','\'',$(value FN))' 2>&1)
ifneq ($(SXS_UNKNOWN),)
$(error make sxs: $(SXS_UNKNOWN))
endif
endif
endif
endif

# The Go 1.19 twin of the demo, for the conformance test and the benchmark:
# standard library only, GOPATH and the build cache kept under build/, and no
# module downloads (GOFLAGS=-mod=mod is never needed: GO111MODULE=off).
build/go/echo: tests/go/echo.go | build/go/ deps
	$(say) GO $<
	$(Q)GOCACHE=$(CURDIR)/build/go/cache GOPATH=$(CURDIR)/build/go/path GO111MODULE=off \
	  GOFLAGS= GOPROXY=off $(GO) build -o $@ $<

# Benchmarks: not part of make test.  Built with -O2 -g (in build/opt); the
# micro-benchmarks, then the echo benchmark against Go 1.19's server and a
# plain epoll loop.  BENCH_ARGS="--conns 1,100 --seconds 1" for a quick look.
bench: build/go/echo
	@$(MAKE) --no-print-directory CXXFLAGS="-O2 -g" bench-run

BENCH_BIN := micro_bench echo_server epoll_echo echo_bench
bench-run: $(addprefix $(B)/bench/,$(BENCH_BIN))
	$(B)/bench/micro_bench --benchmark_min_time=0.3
	$(B)/bench/echo_bench --ours $(B)/bench/echo_server --go build/go/echo \
	  --epoll $(B)/bench/epoll_echo $(BENCH_ARGS)

$(B)/bench/micro_bench: $(B)/tests/bench/micro_bench.o $(B)/libruntime.a
	$(say) LINK $@
	@mkdir -p $(@D)
	$(Q)$(link) -lbenchmark

$(B)/bench/echo_server: $(B)/tests/bench/echo_server.o $(NET_OBJ) $(B)/libruntime.a
	$(say) LINK $@
	@mkdir -p $(@D)
	$(Q)$(link)

$(B)/bench/%: $(B)/tests/bench/%.o
	$(say) LINK $@
	@mkdir -p $(@D)
	$(Q)$(CXX) $(LDFLAGS) -o $@ $^

# gdb on the demo, one M, with the extension loaded and a guide to follow.
gdb: deps $(B)/demo
	NETPOLL_PROCS=1 gdb -q -x src/runtime/runtime-gdb.py \
	  -ex 'break runtime::netpollinit' -ex 'break epollwait' -ex netpoll-guide $(B)/demo

# Mermaid's CLI, for the diagram test (tests/mermaid_check.py), and
# speedscope's static viewer, for make timeline: pinned by
# tests/npm/package-lock.json, installed under build/npm with their install
# scripts off and no browser download; they drive Debian's Chromium.
MMDC := build/npm/node_modules/.bin/mmdc
$(MMDC): tests/npm/package.json tests/npm/package-lock.json | deps
	@mkdir -p build/npm
	@cp tests/npm/package.json tests/npm/package-lock.json build/npm/
	$(say) NPM $@
	$(Q)cd build/npm && PUPPETEER_SKIP_DOWNLOAD=true npm ci --ignore-scripts --no-audit --no-fund \
	  --loglevel=error >/dev/null || { echo "npm could not install Mermaid's CLI; try:"; \
	  echo "  cd build/npm && PUPPETEER_SKIP_DOWNLOAD=true npm ci --ignore-scripts"; exit 1; }
	@touch $@

# The transcripts in notes/gdb.md, produced by gdb on the demo and on Go's
# twin of it (a test checks they still show today's sources).
gdb-transcripts: deps $(B)/demo build/go/echo
	@python3 src/tools/gdb_transcripts.py $(B) --write

# The demo's timeline (NETPOLLTRACE=json:), checked by tests/trace_check.py,
# drawn as one page and photographed by headless Chromium (installed when
# missing), and opened in speedscope's static viewer (pinned, from npm,
# beside Mermaid's CLI) and photographed there too; notes/trace.md shows the
# photographs.  Perfetto (ui.perfetto.dev) opens the same file.
timeline: deps $(B)/demo $(MMDC)
	@mkdir -p $(B)/timeline
	@NETPOLLTRACE=json:$(B)/timeline/demo.json NETPOLL_PROCS=2 $(B)/demo >/dev/null
	@python3 tests/trace_check.py $(B)/timeline/demo.json
	@python3 src/tools/timeline.py $(B)/timeline/demo.json $(B)/timeline/demo.html \
	  --png $(B)/timeline/demo.png
	@node src/tools/speedscope.js $(B)/timeline/demo.json $(B)/timeline/speedscope.png

# notes/exercises.md, checked: each change makes its named test fail.
exercises: deps
	@tests/exercises.sh

# Rewrites the generated map in notes/README.md (a test checks it is current).
notes-map: deps $(B)/goref
	@{ sed '/^<!-- map:begin -->$$/q' notes/README.md; $(B)/goref map; \
	   sed -n '/^<!-- map:end -->$$/,$$p' notes/README.md; } >notes/README.md.new
	@mv notes/README.md.new notes/README.md
	@echo "notes/README.md: map rewritten"

# The side-by-side pages (goref), then the notes and the README as pages of
# the same site, their Mermaid diagrams drawn to SVG by the pinned CLI, and
# the start-here walk at the top of the index (src/tools/notes_html.py,
# under Debian's python3, which has python3-markdown and Pygments).
html: deps $(B)/goref $(MMDC)
	@$(B)/goref html $(B)/html
	@$(DEBPY) src/tools/notes_html.py $(B)/html $(MMDC)

# The site in a real browser: headless Chromium (Debian's, installed when
# missing) loads every page, the notes' too, at 1280 px and fails on one
# that scrolls sideways, wraps a row, cuts a line without saying so, links
# to nothing or is not highlighted; screenshots of the start page, netpoll,
# epollwait, findRunnable and a note with its diagram at 800, 1280 and
# 1920 px are saved for a person to look at.
html-check: html
	@python3 tests/html_check.py $(B)/html $(B)/html-shots

# The suite also runs the demo, gdb on the tour and on gdb_target, goref,
# and Go's twin of the demo; all are built first.
# Stress tests have their own target.  What a sanitizer makes impossible is
# left out of its suite, not skipped: valgrind cannot run a sanitizer's
# build; ThreadSanitizer maps memory for every goroutine's fiber (so the
# count of mappings means nothing) and holds a signal handler back until
# the next libc call (a raw epoll_wait never makes one).
TEST_FILTER := -Stress.*
TEST_FILTER := $(TEST_FILTER)$(if $(SANITIZE),:Demo.RunsCleanUnderValgrindMemcheck)
TEST_FILTER := $(TEST_FILTER)$(if $(findstring thread,$(SANITIZE)),:Proc.SeventyThousandParkedGoroutinesTakeAFewHundredMappings:Netpoll.SignalDuringUnboundedPollRetries)
# notes/gdb.md's transcripts are of the 1.19 build, and only it can match them.
TEST_FILTER := $(TEST_FILTER)$(if $(filter-out 1.19,$(NETPOLL_GO)),:Gdb.TranscriptsInTheNotesShowTodaysSources)

# make test runs the suite once for each NETPOLL_GO, 1.19 first; with
# NETPOLL_GO or SANITIZE given, once, for that build.  (.ci/run adds the
# sanitizer runs of 1.19 and of 1.23, which holds every later change.)
ifeq ($(origin NETPOLL_GO)$(SANITIZE),file)
test: test-one
	@for v in $(filter-out 1.19,$(NETPOLL_GOS)); do \
	  echo "== make test NETPOLL_GO=$$v"; \
	  $(MAKE) --no-print-directory test NETPOLL_GO=$$v || exit 1; done
	@echo "== the suite passed under NETPOLL_GO=$(NETPOLL_GOS)"
else
test: test-one
endif

test-one: deps $(B)/demo $(B)/tour $(B)/goref $(B)/tests/gdb_target build/go/echo $(MMDC) $(B)/tests/runtime_test
	$(B)/tests/runtime_test --gtest_filter='$(TEST_FILTER)'

# What is too big or too slow for make test: a million parked goroutines
# and the long storm.  CI runs it too.
stress: deps $(B)/tests/runtime_test
	$(B)/tests/runtime_test --gtest_filter='Stress.*'

# Does the suite notice a wrong line?  Each mutant of tests/mutants.txt in
# turn, planted in a scratch copy (build/mutate/tree), rebuilt, and the
# suite run against it; prints the verdicts and the kill rate, and fails
# below 95 %.  Too long for make test.  ONLY=name,name runs those alone
# (handed over in the environment, so no shell ever parses it).
mutate: export NETPOLL_MUTATE_ONLY = $(value ONLY)
mutate: deps
	python3 src/tools/mutate.py

.PHONY: all run tour sxs html html-check gdb-transcripts timeline notes-map exercises gdb bench bench-run test test-one stress mutate deps compdb clean

# A change of flags rebuilds everything (git's GIT-CFLAGS trick): the file
# is rewritten only when its contents would change.
FLAGS_NOW := $(CXX) $(CXXFLAGS) $(CPPFLAGS) $(LDFLAGS) $(NASM) $(NASMFLAGS)
$(B)/FLAGS: FORCE | $(B)/
	@echo '$(FLAGS_NOW)' | cmp -s - $@ || echo '$(FLAGS_NOW)' >$@
FORCE:

# The whole runtime goes into every program, as Go links its whole runtime:
# nothing calls sysargs (src/runtime/os_linux.cpp), which libc runs from
# .init_array, and an archive member nobody calls would be left out.
# link = the objects, then the runtime whole.
link = $(CXX) $(LDFLAGS) -o $@ $(filter-out %.a,$^) \
  -Wl$(comma)--whole-archive $(filter %.a,$^) -Wl$(comma)--no-whole-archive

$(B)/libruntime.a: $(RUNTIME_OBJ)
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/demo: $(DEMO_OBJ) $(NET_OBJ) $(B)/libruntime.a
	$(say) LINK $@
	$(Q)$(link)

$(B)/goref: $(GOREF_MAIN_OBJ) $(GOREF_OBJ)
	$(say) LINK $@
	$(Q)$(CXX) $(LDFLAGS) -o $@ $^

$(B)/tour: $(TOUR_OBJ) $(TRACER_OBJ) $(B)/libruntime.a
	$(say) LINK $@
	$(Q)$(link)

# A program in a known state for the gdb tests (and for trying the extension).
$(B)/tests/gdb_target: $(B)/tests/gdb_target.o $(B)/libruntime.a
	$(say) LINK $@
	$(Q)$(link)

$(B)/tests/runtime_test: $(TEST_OBJ) $(TRACER_OBJ) $(GOREF_OBJ) $(NET_OBJ) $(B)/libruntime.a
	$(say) LINK $@
	$(Q)$(link) -lgtest

# What runs in a signal handler, or prints while other Ms run on (the
# handler, the tracebacks and what they call): built without
# ThreadSanitizer's instrumentation, as Go's race detector instruments no
# runtime code.  A signal may land inside TSan's own bookkeeping, which
# instrumented code in the handler would re-enter.
SIGNAL_OBJ := $(call obj,$(addprefix src/runtime/,mprof.cpp panic.cpp print.cpp runtime1.cpp \
  sigqueue.cpp signal_amd64.cpp signal_unix.cpp sigtab_linux_generic.cpp symtab.cpp traceback.cpp))
ifneq ($(findstring thread,$(SANITIZE)),)
$(SIGNAL_OBJ): CXXFLAGS += -fno-sanitize=thread
endif

# The stack check itself: not instrumented (it would call itself), and
# without debug information, so that gdb's `step` walks past it into the
# function the reader asked for.
$(B)/src/runtime/stack.o: CXXFLAGS += -fno-instrument-functions -g0

# Some tests read our sources (and Go's) from the tree they were built from.
$(TEST_OBJ): CPPFLAGS += -DPROJECT_ROOT='"$(CURDIR)"'

# Every compile waits for deps (order-only: it never makes an object
# stale), so `make -j` on a bare machine installs nasm and g++ before the
# first compile starts, rather than racing the install.
$(B)/%.o: %.cpp $(B)/FLAGS | deps
	@mkdir -p $(@D)
	$(say) CXX $<
	$(Q)$(CXX) $(CPPFLAGS) $(CXXFLAGS) -MMD -MP -c -o $@ $<

$(B)/%.o: %.asm $(B)/FLAGS | deps
	@mkdir -p $(@D)
	$(say) NASM $<
	$(Q)$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) -MP -o $@ $<

%/:
	@mkdir -p $@

-include $(shell find build -name '*.d' 2>/dev/null)

# compile_commands.json, written by make itself so no extra tool is needed.
compdb:
	@{ echo '['; sep=''; \
	  for f in $(RUNTIME_SRC) $(NET_SRC) $(DEMO_SRC) $(TRACER_SRC) $(GOREF_SRC) $(TOUR_SRC) $(GOREF_MAIN_SRC) $(TEST_SRC); do \
	    printf '%s{"directory":"%s","file":"%s","command":"%s %s %s -c -o %s %s"}\n' \
	      "$$sep" "$(CURDIR)" "$$f" "$(CXX)" "$(CPPFLAGS)" "$(CXXFLAGS)" \
	      "$(B)/$${f%.*}.o" "$$f"; sep=','; \
	  done; echo ']'; } >compile_commands.json
	@echo "wrote compile_commands.json"

clean:
	rm -rf build compile_commands.json

# Set-up from nothing.  Each target installs only what it uses: the demo
# and the tour need nasm and a C++ compiler, nothing else; the rest come
# with the targets that use them (NEEDS_<goal>, below).  Each package: how
# to tell it is present.  What is missing is installed with apt-get when we
# are root (or have passwordless sudo); otherwise we stop and print the
# exact command.  Go 1.19 is the reference goref and the tests read and run.
NEEDS_all := libgtest-dev
NEEDS_test := libgtest-dev gdb strace valgrind python3-pygments python3-markdown chromium npm golang-go
NEEDS_test-one := $(NEEDS_test)
NEEDS_mutate := $(NEEDS_test)
NEEDS_exercises := $(NEEDS_test)
NEEDS_deps := $(NEEDS_test)
NEEDS_stress := libgtest-dev
NEEDS_gdb := gdb
NEEDS_gdb-transcripts := gdb golang-go
NEEDS_sxs := golang-go
NEEDS_notes-map := golang-go
NEEDS_html := golang-go python3-pygments python3-markdown npm chromium
NEEDS_html-check := $(NEEDS_html) fonts-wqy-microhei
NEEDS_timeline := chromium npm
NEEDS_bench := golang-go
NEEDS_bench-run := libbenchmark-dev linux-perf
NEEDS := nasm g++ $(foreach g,$(or $(MAKECMDGOALS),$(.DEFAULT_GOAL)),$(NEEDS_$(g)))
want = $(if $(filter $(1),$(NEEDS)),need '$(2)' $(1);)

deps:
	$(Q)if [ -n "$$GOROOT" ] && ! grep -qs '^go1\.19\.8$$' "$$GOROOT/VERSION"; then \
	  found=$$(head -n 1 "$$GOROOT/VERSION" 2>/dev/null); \
	  echo "GOROOT=$$GOROOT holds $${found:-no Go at all (no $$GOROOT/VERSION)}, not Go 1.19.8."; \
	  echo "Every Go line this project cites is Go 1.19.8's: unset GOROOT to use"; \
	  echo "Debian's golang-1.19-go (installed for you), or set GOROOT=/usr/lib/go-1.19."; \
	  exit 1; fi
	$(Q)missing=''; \
	need() { eval "$$1" >/dev/null 2>&1 || missing="$$missing $$2"; }; \
	$(call want,nasm,command -v nasm) \
	$(call want,g++,command -v $(CXX)) \
	$(call want,libgtest-dev,test -f /usr/include/gtest/gtest.h) \
	$(call want,gdb,command -v gdb) \
	$(call want,strace,command -v strace) \
	$(call want,valgrind,command -v valgrind) \
	$(call want,python3-pygments,/usr/bin/python3 -c "import pygments") \
	$(call want,python3-markdown,/usr/bin/python3 -c "import markdown") \
	$(call want,fonts-wqy-microhei,test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc) \
	$(call want,chromium,command -v chromium) \
	$(call want,npm,command -v npm) \
	$(call want,golang-go,command -v go || test -x /usr/lib/go-1.19/bin/go) \
	$(if $(filter golang-go,$(NEEDS)),need '$(GO) version | grep -q "go1\.19"' golang-1.19-go;) \
	$(call want,libbenchmark-dev,test -f /usr/include/benchmark/benchmark.h) \
	$(call want,linux-perf,command -v perf) \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ]; then sudo=''; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo='sudo'; \
	else echo "missing:$$missing"; \
	     echo "run:  sudo apt-get update && sudo apt-get install -y$$missing"; exit 1; fi; \
	command -v apt-get >/dev/null || { echo "missing:$$missing (and no apt-get here to install them)"; exit 1; }; \
	echo "installing:$$missing"; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq$$missing >/dev/null

# Debian's python3, where apt-get puts python3-markdown and Pygments (a
# python3 earlier on PATH may not have them).
DEBPY := $(firstword $(wildcard /usr/bin/python3) python3)

# The Go 1.19 toolchain: `go` when it is 1.19, else Debian's versioned path.
GO = $(shell for g in go /usr/lib/go-1.19/bin/go; do \
	$$g version 2>/dev/null | grep -q 'go1\.19' && { echo $$g; break; }; done)
