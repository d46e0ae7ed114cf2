// runtime2.h - twin of the parts of Go 1.19.8's runtime/runtime2.go that the
// netpoller touches: g, m, gobuf, the scheduler's global state, mutex and
// note, and the lists of g's (proc.go's gList and gQueue).
//
// What is simpler than Go, and why:
//  - No P.  Go's Ms run goroutines only while holding a P (a slot of
//    GOMAXPROCS); here every M may run goroutines, and all share one run
//    queue (Go's sched.runq, the global queue).  No work stealing.
//  - A g's stack is fixed (256 KiB of address space, of which only the
//    pages it touches are memory), carved from large mappings; Go's start at
//    2 KiB (_StackMin) and grow by copying.  Overflow is caught at function
//    entry against stackguard0, as Go's prologue does (src/runtime/stack.cpp).
//  - A g runs a C function with one argument instead of a Go closure.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace runtime {

// runtime2.go:161  A lock of the futex kind (lock_futex.go): key is
// 0 unlocked, 1 locked, 2 locked with sleepers.
struct mutex {
  std::atomic<uint32_t> key{0};
};

// runtime2.go:190  A one-shot event an M sleeps on: 0 clear, 1 woken.
struct note {
  std::atomic<uint32_t> key{0};
};

// runtime2.go:316  Where a g's execution resumes.  Go's gobuf records sp,
// pc, bp, the g and a closure context; ours records only sp, because
// asm_amd64.asm's gosave_gogo pushes everything else (the return pc and the
// System V callee-saved registers) onto the stack it is leaving.
struct gobuf {
  uintptr_t sp;
};
constexpr size_t gobuf_sp = 0;  // asm_amd64.asm's offset, checked here
static_assert(offsetof(gobuf, sp) == gobuf_sp, "asm/asm_amd64.asm uses gobuf_sp");

// The values of g.atomicstatus that this runtime uses.
enum : uint32_t {
  Gidle = 0,      // runtime2.go:34  just allocated
  Grunnable = 1,  // runtime2.go:38  on the run queue
  Grunning = 2,   // runtime2.go:43  running on an M
  Gwaiting = 4,   // runtime2.go:58  parked (gopark), e.g. in netpollblock
  Gdead = 6,      // runtime2.go:70  finished; on the free list
};

// runtime2.go:1036  Why a g is waiting; Go keeps many more.
enum class waitReason : uint8_t {
  zero,
  IOWait,      // runtime2.go:1041, "IO wait": parked in netpollblock
  Semacquire,  // runtime2.go:1057, "semacquire": fdMutex, WaitGroup, Close
  Sleep,       // runtime2.go:1058, "sleep": time.Sleep
};

struct m;
struct g;

// time.go:18  A runtime timer: f(arg, seq) runs on an M at `when`.
struct timer {
  int64_t when = 0;                               // time.go:29
  int64_t period = 0;                             // time.go:30  (always 0 here)
  void (*f)(void* arg, uintptr_t seq) = nullptr;  // time.go:31
  void* arg = nullptr;                            // time.go:32
  uintptr_t seq = 0;                              // time.go:33
  int64_t nextwhen = 0;                           // time.go:36  when to set when, for timeSleep
  int32_t index = -1;                             // its place in the heap, -1 if none
};

// runtime2.go:348  A g waiting on something: here, on a semaphore
// (sema.go).  Go allocates sudogs from a per-P cache (acquireSudog),
// because a sudog must not live on a stack that moves; ours do not move,
// so a waiter's sudog lives in its own frame in semacquire1.
struct sudog {
  g* gp;            // runtime2.go:353  (Go's `g`)
  sudog* next;      // runtime2.go:355
  sudog* prev;      // runtime2.go:356
  void* elem;       // runtime2.go:357  the semaphore's address
  uint32_t ticket;  // runtime2.go:366  set by a handoff
  sudog* waitlink;  // runtime2.go:379  next waiter on the same address
  sudog* waittail;  // runtime2.go:380  last waiter on the same address
};

// runtime2.go:407  A goroutine.
struct g {
  uintptr_t stack_lo, stack_hi;               // runtime2.go:415  [lo, hi) usable stack
  uintptr_t stackguard0;                      // runtime2.go:416  sp below this: overflow
  gobuf sched;                                // runtime2.go:422  where it resumes
  m* mp;                                      // the M running it, while running
  std::atomic<uint32_t> atomicstatus{Gidle};  // runtime2.go:438
  int64_t goid;                               // runtime2.go:440
  g* schedlink;                               // runtime2.go:441  next on a gList/gQueue
  std::atomic<waitReason> waitreason{
      waitReason::zero};  // runtime2.go:443  if Gwaiting; atomic: read by observers
  void (*fn)(void*);      // Go's startpc and closure, as a C call
  void* arg;
  // Go records where a g parked in its stack; for `info goroutines` we
  // also keep the pollDesc fd and mode a g parks on in netpollblock.
  uintptr_t waitfd;
  int32_t waitmode;
  struct timer* timer;      // runtime2.go:489  for timeSleep; Go allocates it on first use,
  struct timer sleeptimer;  // ours is part of the g
  void* tsan_fiber;         // ThreadSanitizer's handle, in TSan builds only
  unsigned valgrind_stack;  // valgrind's id for the stack, when registered
  g* alllink;               // every g ever made (Go's allgs)
};

// runtime2.go:526  A machine: an OS thread.
struct m {
  int64_t id;
  gobuf g0sched;                   // g0: the thread's own stack, where the scheduler runs
  g* curg;                         // runtime2.go:539  the g it is running
  note park;                       // runtime2.go:564  sleeps here when idle (stopm)
  m* schedlink;                    // runtime2.go:566  next on sched.midle
  bool (*waitunlockf)(g*, void*);  // runtime2.go:572  gopark's commit
  void* waitlock;                  // runtime2.go:573  and its argument
  g* (*mcallfn)(g*);               // the function mcall runs on g0 (Go passes it in DI)
  void* g0_tsan_fiber;             // TSan's handle for g0
  const void* g0_stack_bottom;     // ASan's view of g0's stack
  size_t g0_stack_size;
  uintptr_t thread;  // pthread_t
};

// proc.go:6106  A list of g's linked through schedlink; a stack.
struct gList {
  g* head = nullptr;
  bool empty() const { return head == nullptr; }  // proc.go:6111
  void push(g* gp) {                              // proc.go:6116
    gp->schedlink = head;
    head = gp;
  }
  g* pop() {  // proc.go:6130
    g* gp = head;
    if (gp) head = gp->schedlink;
    return gp;
  }
};

// proc.go:6039  A queue of g's linked through schedlink.
struct gQueue {
  g* head = nullptr;
  g* tail = nullptr;
  bool empty() const { return head == nullptr; }  // proc.go:6045
  void pushBack(g* gp) {                          // proc.go:6059
    gp->schedlink = nullptr;
    if (tail)
      tail->schedlink = gp;
    else
      head = gp;
    tail = gp;
  }
  g* pop() {  // proc.go:6086
    g* gp = head;
    if (gp) {
      head = gp->schedlink;
      if (!head) tail = nullptr;
    }
    return gp;
  }
};

// runtime2.go:767  The scheduler's global state.
struct schedt {
  std::atomic<uint64_t> goidgen{0};  // runtime2.go:769
  // runtime2.go:770  when the network was last polled; 0 while an M is
  // blocked in netpoll.  At most one M polls with a timeout at a time.
  std::atomic<int64_t> lastpoll{0};
  std::atomic<int64_t> pollUntil{0};  // runtime2.go:771  when that poll ends
  mutex lock;                         // runtime2.go:773
  m* midle = nullptr;                 // runtime2.go:778  idle Ms
  int32_t nmidle = 0;                 // runtime2.go:779
  gQueue runq;                        // runtime2.go:793  the run queue
  int32_t runqsize = 0;
  gList gFree;  // runtime2.go:809  dead g's, with stacks, for reuse
  // Not in Go: a Go program ends when main.main returns; ours may be run
  // again (by tests), so it is told to stop and counts what is left.
  std::atomic<bool> done{false};
  std::atomic<int32_t> ngsys{0};  // live g's other than main (Go's gcount)
};

extern schedt sched;
extern g* allg_head;  // proc.cpp: every g, linked by alllink (Go's allgs)

}  // namespace runtime
