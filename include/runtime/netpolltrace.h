// netpolltrace.h - NETPOLLTRACE: watching the netpoller and the scheduler
// run.  Ours, not a twin (Go's execution tracer, runtime/trace.go, is
// src/runtime/trace.cpp).  What is Go's is where the hooks sit:
// narrateGoStart, narrateGoPark, narrateGoUnpark, narrateGoSched, narrateGoEnd
// and narrateGoCreate are called where proc.go calls its tracer's
// traceGoStart, traceGoPark, ..., under `if (netpolltrace)` as Go's are under
// `if trace.enabled`.  notes/trace.md documents both outputs.
//
//   NETPOLLTRACE=1          a line on stderr for each step of the netpoller:
//                           time since start, M, P, goroutine, the Go 1.19.8
//                           file:line of the statement it narrates, the Go
//                           function that holds it, the event
//   NETPOLLTRACE=fd=7       the same, for descriptor 7 only
//   NETPOLLTRACE=json:FILE  a timeline in the Chrome Trace Event Format, for
//                           Perfetto (ui.perfetto.dev) or chrome://tracing
//
// Another value, or a FILE that cannot be written, is said once on stderr,
// and the program runs untraced.
#pragma once

#include <cstdint>

namespace runtime {

struct g;
struct pollDesc;

extern bool netpolltrace;  // any of the three is on

// A step of the netpoller, in Go's words: gofile:goline is the Go statement
// it narrates, gofn the Go function that holds it; fd the descriptor it
// concerns, or -1.  A step of a later
// release's block (make NETPOLL_GO) names that release's file, whose lines
// are not on the machine: gofile "go1.23 netpoll_epoll.go", goline 0.
void tracef(const char* gofile, int goline, const char* gofn, intptr_t fd, const char* fmt, ...)
    __attribute__((format(printf, 5, 6)));
// A semaphore of pd (rg for mode 'r', wg for 'w') went from old to new.
void traceSem(const char* gofile, int goline, const char* gofn, const pollDesc* pd, int32_t mode, uintptr_t old,
              uintptr_t new_, const char* why);

// The scheduler, for the timeline (NETPOLLTRACE=json:FILE).
// Each is called where Go calls its tracer's function of that name: in
// newproc1, execute, park_m, ready (and findRunnable's and injectglist's
// goroutines from netpoll: by_netpoll), gosched_m, goexit1.
void narrateGoCreate(g* newg);
void narrateGoStart(g* gp);
void narrateGoPark(g* gp);
void narrateGoUnpark(g* gp, bool by_netpoll);
void narrateGoSched(g* gp);
void narrateGoEnd(g* gp);
void traceNetpoll(bool begin, int64_t delay);  // ours: an M in netpoll (blocked, if delay != 0)
void traceIdle(bool begin);                    // ours: an M asleep in stopm

// The timeline's last bytes, before the process ends (run's end, throw).
void traceFlush();

}  // namespace runtime
