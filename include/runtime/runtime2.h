// runtime2.h - twin of the parts of Go 1.19.8's runtime/runtime2.go that the
// netpoller and the scheduler around it use: g, m, p, gobuf, the
// scheduler's global state (schedt), sudog, mutex and note, and the lists of
// g's (proc.go's gList and gQueue).
//
// What is simpler than Go, and why:
//  - A g's stack is fixed (256 KiB of address space, of which only the
//    pages it touches are memory), carved from large mappings; Go's start at
//    2 KiB (_StackMin) and grow by copying.  Overflow is caught at function
//    entry against stackguard0, as Go's prologue does (src/runtime/stack.cpp).
//  - A g runs a C function with one argument instead of a Go closure.
//  - Of the many fields Go's g, m, p and schedt carry (for the GC, the
//    race detector, profiling, syscalls, locked threads, cgo), only those the
//    scheduler's netpoll paths read are here; each cites its Go line.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "runtime/defs_linux_amd64.h"

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

// runtime2.go:1036  Why a g is waiting, in Go's order and with Go's
// numbers, so that goroutineheader (src/runtime/traceback.cpp) prints
// Go's words: `goroutine 7 [IO wait]:`.  Here a g parks for IOWait
// (netpollblock), Semacquire (fdMutex, WaitGroup.Wait, Close), Sleep
// (time.Sleep), or zero (a bare gopark: Go's header then says its status,
// "waiting"); the rest are the GC's, channels' and the tracer's.
enum class waitReason : uint8_t {
  zero,                     // runtime2.go:1039
  GCAssistMarking,          // runtime2.go:1040
  IOWait,                   // runtime2.go:1041
  ChanReceiveNilChan,       // runtime2.go:1042
  ChanSendNilChan,          // runtime2.go:1043
  DumpingHeap,              // runtime2.go:1044
  GarbageCollection,        // runtime2.go:1045
  GarbageCollectionScan,    // runtime2.go:1046
  PanicWait,                // runtime2.go:1047
  Select,                   // runtime2.go:1048
  SelectNoCases,            // runtime2.go:1049
  GCAssistWait,             // runtime2.go:1050
  GCSweepWait,              // runtime2.go:1051
  GCScavengeWait,           // runtime2.go:1052
  ChanReceive,              // runtime2.go:1053
  ChanSend,                 // runtime2.go:1054
  FinalizerWait,            // runtime2.go:1055
  ForceGCIdle,              // runtime2.go:1056
  Semacquire,               // runtime2.go:1057
  Sleep,                    // runtime2.go:1058
  SyncCondWait,             // runtime2.go:1059
  TimerGoroutineIdle,       // runtime2.go:1060
  TraceReaderBlocked,       // runtime2.go:1061
  WaitForGCCycle,           // runtime2.go:1062
  GCWorkerIdle,             // runtime2.go:1063
  Preempted,                // runtime2.go:1064
  DebugCall,                // runtime2.go:1065
};
// runtime2.go:1068  The words goroutineheader prints for each.
inline constexpr const char* waitReasonStrings[] = {
    "",                         // runtime2.go:1069
    "GC assist marking",        // runtime2.go:1070
    "IO wait",                  // runtime2.go:1071
    "chan receive (nil chan)",  // runtime2.go:1072
    "chan send (nil chan)",     // runtime2.go:1073
    "dumping heap",             // runtime2.go:1074
    "garbage collection",       // runtime2.go:1075
    "garbage collection scan",  // runtime2.go:1076
    "panicwait",                // runtime2.go:1077
    "select",                   // runtime2.go:1078
    "select (no cases)",        // runtime2.go:1079
    "GC assist wait",           // runtime2.go:1080
    "GC sweep wait",            // runtime2.go:1081
    "GC scavenge wait",         // runtime2.go:1082
    "chan receive",             // runtime2.go:1083
    "chan send",                // runtime2.go:1084
    "finalizer wait",           // runtime2.go:1085
    "force gc (idle)",          // runtime2.go:1086
    "semacquire",               // runtime2.go:1087
    "sleep",                    // runtime2.go:1088
    "sync.Cond.Wait",           // runtime2.go:1089
    "timer goroutine (idle)",   // runtime2.go:1090
    "trace reader (blocked)",   // runtime2.go:1091
    "wait for GC cycle",        // runtime2.go:1092
    "GC worker (idle)",         // runtime2.go:1093
    "preempted",                // runtime2.go:1094
    "debug call",               // runtime2.go:1095
};
// runtime2.go:1098  waitReason.String.
inline const char* waitReasonString(waitReason w) {
  auto i = static_cast<size_t>(w);
  if (i >= sizeof waitReasonStrings / sizeof waitReasonStrings[0])  // runtime2.go:1099
    return "unknown wait reason";                                  // runtime2.go:1100
  return waitReasonStrings[i];                                     // runtime2.go:1102
}

// runtime2.go:860-870  A signal's flags in sigtable: what the runtime does
// with it (src/runtime/sigtab_linux_generic.cpp has the table).
enum : int32_t {
  SigNotify = 1 << 0,    // runtime2.go:861  os/signal may have it (here: nobody asks)
  SigKill = 1 << 1,      // runtime2.go:862  else exit quietly, by the signal itself
  SigThrow = 1 << 2,     // runtime2.go:863  else exit loudly: every goroutine's stack
  SigPanic = 1 << 3,     // runtime2.go:864  from the kernel: a fault in the code that ran
  SigDefault = 1 << 4,   // runtime2.go:865  leave it alone unless asked for
  SigGoExit = 1 << 5,    // runtime2.go:866  (Plan 9 only)
  SigSetStack = 1 << 6,  // runtime2.go:867  libc's: only add SA_ONSTACK to its handler
  SigUnblock = 1 << 7,   // runtime2.go:868  never blocked (blockableSig)
  SigIgn = 1 << 8,       // runtime2.go:869  the default action is to ignore it
};

// panic.go:16-33  Why an M is throwing: not, for the program's fault
// (fatal), or for the runtime's (throw).  A runtime throw shows runtime
// frames too.
enum class throwType : uint32_t {
  None,     // panic.go:20
  User,     // panic.go:26
  Runtime,  // panic.go:33
};

struct m;
struct g;
struct p;

// runtime2.go:116-153  A P's status.  _Psyscall and _Pgcstop are never
// entered here (no syscall hands off its P; no GC stops the world).
enum : uint32_t {
  Pidle = 0,     // runtime2.go:116
  Prunning = 1,  // runtime2.go:125
  Pdead = 4,     // runtime2.go:153
};

// time.go:120-160  A timer's status: which heap operations may touch it now.
enum : uint32_t {
  timerNoStatus = 0,         // time.go:122  not in a heap
  timerWaiting = 1,          // time.go:126  in a P's heap, waiting
  timerRunning = 2,          // time.go:130  its function is running
  timerDeleted = 3,          // time.go:134  deleted, still in the heap
  timerRemoving = 4,         // time.go:138  being taken out of the heap
  timerRemoved = 5,          // time.go:142  taken out
  timerModifying = 6,        // time.go:146  being changed by modtimer
  timerModifiedEarlier = 7,  // time.go:151  nextwhen < when: move it up
  timerModifiedLater = 8,    // time.go:156  nextwhen >= when: move it down
  timerMoving = 9,           // time.go:160  being moved to its new place
};

// time.go:18  A runtime timer: f(arg, seq) runs on an M with a P at `when`.
struct timer {
  std::atomic<p*> pp{nullptr};                    // time.go:22  the P whose heap holds it
  int64_t when = 0;                               // time.go:29
  int64_t period = 0;                             // time.go:30  (always 0 here)
  void (*f)(void* arg, uintptr_t seq) = nullptr;  // time.go:31
  void* arg = nullptr;                            // time.go:32
  uintptr_t seq = 0;                              // time.go:33
  int64_t nextwhen = 0;                           // time.go:36  the when to move to
  std::atomic<uint32_t> status{timerNoStatus};    // time.go:39
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
  int64_t waitsince;        // runtime2.go:442  about when it blocked (park_m)
  uint32_t sig;             // runtime2.go:477  a fault's signal, for dopanic_m's line
  struct {                  // runtime2.go:478  where print writes, when set (runtime::Stack)
    char* p;
    uint32_t len, cap;
  } writebuf;
  uintptr_t sigcode0;  // runtime2.go:479  the fault's si_code
  uintptr_t sigcode1;  // runtime2.go:480  and its address
  uintptr_t sigpc;     // runtime2.go:481  and the pc that faulted
  uintptr_t gopc;      // runtime2.go:482  the pc of the newproc call that made it
  uint64_t traceseq;   // runtime2.go:474  the execution tracer's sequence for it
  p* tracelastp;       // runtime2.go:475  the P that last emitted an event for it
};

// signal_unix.go:1284  A gsignal's stack bounds, kept aside while the
// thread's own alternate stack stands in for them (setGsignalStack).
struct gsignalStack {
  uintptr_t lo, hi;  // signal_unix.go:1285  stack
};

// runtime2.go:526  A machine: an OS thread.
struct m {
  gobuf g0sched;                   // runtime2.go:527  g0: the thread's own stack
  g* curg;                         // runtime2.go:539  the g it is running
  uintptr_t vdsoSP;                // runtime2.go:588  SP while in the vDSO (0 if not)
  uintptr_t vdsoPC;                // runtime2.go:589  PC while in the vDSO
  std::atomic<p*> p_;              // runtime2.go:541  its P while running Go code
  p* nextp;                        // runtime2.go:542  the P to take when woken
  int64_t id;                      // runtime2.go:544
  bool spinning;                   // runtime2.go:551  out of work, looking for some
  std::atomic<bool> blocked;       // runtime2.go:552  asleep on a note (schedtrace shows it)
  uint64_t fastrand;               // runtime2.go:557  fastrand's state
  note park;                       // runtime2.go:564  sleeps here when idle (stopm)
  m* alllink;                      // runtime2.go:565  every M (Go's allm)
  m* schedlink;                    // runtime2.go:566  next on sched.midle
  bool (*waitunlockf)(g*, void*);  // runtime2.go:572  gopark's commit
  void* waitlock;                  // runtime2.go:573  and its argument
  uint8_t waittraceev;             // runtime2.go:574  gopark's event for the tracer
  int waittraceskip;               // runtime2.go:575  and the frames to leave off its stack
  bool startingtrace;              // runtime2.go:576  StartTrace is writing its first events
  void (*mstartfn)();              // runtime2.go:538  what a new M runs first (sysmon)
  g* (*mcallfn)(g*);               // the function mcall runs on g0 (Go passes it in DI)
  void* g0_tsan_fiber;             // TSan's handle for g0
  const void* g0_stack_bottom;     // ASan's view of g0's stack
  size_t g0_stack_size;
  uintptr_t thread;     // pthread_t, for joining the thread when a run ends
  g* g0;                // runtime2.go:527  the thread's own stack, as a g (goid 0)
  uint64_t procid;      // runtime2.go:533  the thread's id (gettid)
  g* gsignal;           // runtime2.go:534  the signal handler's stack, as a g
  gsignalStack goSigStack;  // runtime2.go:535  gsignal's own stack while another is in use
  sigset sigmask;       // runtime2.go:536  the mask to start from (initSigmask)
  g* caughtsig;         // runtime2.go:540  the g a fatal signal interrupted
  throwType throwing;   // runtime2.go:546
  int32_t dying;        // runtime2.go:549  0, then 1.. as a fatal error goes wrong
  bool newSigstack;     // runtime2.go:553  minit set the alternate stack itself
  uint8_t traceback;    // runtime2.go:559  a traceback level forced for a while (Stack)
};
// asm/sys_linux_amd64.asm's nanotime1 reads these, as Go's reads m_vdsoSP
// and the rest from go_asm.h.
constexpr size_t m_g0sched = 0, m_curg = 8, m_vdsoSP = 16, m_vdsoPC = 24;
constexpr size_t g_stack_lo = 0, g_stack_hi = 8;
static_assert(offsetof(m, g0sched) == m_g0sched && offsetof(m, curg) == m_curg &&
                  offsetof(m, vdsoSP) == m_vdsoSP && offsetof(m, vdsoPC) == m_vdsoPC &&
                  offsetof(g, stack_lo) == g_stack_lo && offsetof(g, stack_hi) == g_stack_hi,
              "asm/sys_linux_amd64.asm uses these offsets");

// proc.go:6106  A list of g's linked through schedlink; a stack.
// gfget asks whether sched.gFree.stack is empty before it takes the lock
// (as findRunnable reads sched.runqsize, below), so head is read and
// written atomically; relaxed, because the lock orders everything else.
struct gList {
  std::atomic<g*> head{nullptr};
  gList() = default;
  gList(const gList& o) : head(o.head.load(std::memory_order_relaxed)) {}
  gList& operator=(const gList& o) {
    head.store(o.head.load(std::memory_order_relaxed), std::memory_order_relaxed);
    return *this;
  }
  bool empty() const { return head.load(std::memory_order_relaxed) == nullptr; }  // proc.go:6111
  void push(g* gp) {                                                              // proc.go:6116
    gp->schedlink = head.load(std::memory_order_relaxed);
    head.store(gp, std::memory_order_relaxed);
  }
  g* pop() {  // proc.go:6130
    g* gp = head.load(std::memory_order_relaxed);
    if (gp) head.store(gp->schedlink, std::memory_order_relaxed);
    return gp;
  }
};

// proc.go:6039  A queue of g's linked through schedlink.
struct gQueue {
  g* head = nullptr;
  g* tail = nullptr;
  bool empty() const { return head == nullptr; }  // proc.go:6045
  void push(g* gp) {                              // proc.go:6050  at the front
    gp->schedlink = head;
    head = gp;
    if (tail == nullptr) tail = gp;
  }
  void pushBack(g* gp) {  // proc.go:6059
    gp->schedlink = nullptr;
    if (tail)
      tail->schedlink = gp;
    else
      head = gp;
    tail = gp;
  }
  void pushBackAll(gQueue q2) {  // proc.go:6071
    if (q2.tail == nullptr) return;
    q2.tail->schedlink = nullptr;
    if (tail != nullptr)
      tail->schedlink = q2.head;
    else
      head = q2.head;
    tail = q2.tail;
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

// runtime2.go:609  A processor: the right to run Go code.  An M needs a P
// to run goroutines; there are NETPOLL_PROCS of them (Go's GOMAXPROCS).
struct p {
  int32_t id;                    // runtime2.go:610
  std::atomic<uint32_t> status;  // runtime2.go:611  Pidle, Prunning, Pdead
  p* link;                       // runtime2.go:612  next on sched.pidle
  uint32_t schedtick;            // runtime2.go:613  one more per schedule
  std::atomic<m*> m_;            // runtime2.go:616  back-link to its M (nil if idle)
  // runtime2.go:629-631  Runnable goroutines, a ring the owner pushes at
  // the tail and anyone may take from at the head.
  std::atomic<uint32_t> runqhead;
  std::atomic<uint32_t> runqtail;
  std::atomic<g*> runq[256];
  // runtime2.go:644  A g readied by the running g, to run next, ahead of
  // runq, in the rest of the running g's time slice.
  std::atomic<g*> runnext;
  struct {  // runtime2.go:647  dead g's, for reuse
    gList list;
    int32_t n;
  } gFree;
  std::atomic<int64_t> timer0When;             // runtime2.go:683  when of timers[0]; 0 if none
  std::atomic<int64_t> timerModifiedEarliest;  // runtime2.go:690  earliest timerModifiedEarlier
  mutex timersLock;                            // runtime2.go:727
  // runtime2.go:732  The timer heap, 4-ary, ordered on when.  Go's is a
  // slice; ours is an array grown by mapping a larger one.
  timer** timers;
  int32_t ntimers, timerscap;
  std::atomic<uint32_t> numTimers;      // runtime2.go:736  timers in the heap
  std::atomic<uint32_t> deletedTimers;  // runtime2.go:740  of which timerDeleted
  struct traceBuf* tracebuf;            // runtime2.go:666  its execution-trace events

  void init(int32_t id);  // proc.go's p.init and p.destroy (src/runtime/proc.cpp)
  void destroy();
};

// runtime2.go:767  The scheduler's global state.
struct schedt {
  std::atomic<uint64_t> goidgen{0};  // runtime2.go:769
  // runtime2.go:770  When the network was last polled; 0 while an M is
  // blocked in netpoll.  At most one M polls with a timeout at a time.
  std::atomic<int64_t> lastpoll{0};
  std::atomic<int64_t> pollUntil{0};    // runtime2.go:771  when that poll ends
  mutex lock;                           // runtime2.go:773
  m* midle = nullptr;                   // runtime2.go:778  idle Ms
  int32_t nmidle = 0;                   // runtime2.go:779
  int64_t mnext = 0;                    // runtime2.go:781  Ms made, and the next M's id
  int32_t maxmcount = 0;                // runtime2.go:782  at most this many Ms
  p* pidle = nullptr;                   // runtime2.go:788  idle Ps
  std::atomic<uint32_t> npidle{0};      // runtime2.go:789
  std::atomic<uint32_t> nmspinning{0};  // runtime2.go:790
  gQueue runq;                          // runtime2.go:793  the global run queue
  // runtime2.go:794  Written under lock, but findRunnable, handoffp and
  // pollWork read it without (findRunnable then checks again under the
  // lock).  Go's runtime tolerates the racy read; in C++ it is undefined,
  // so ours is atomic.
  std::atomic<int32_t> runqsize{0};
  struct {  // runtime2.go:809  dead g's, for any P
    mutex lock;
    gList stack;  // every stack here is kept: Go's noStack list stays empty
    int32_t n = 0;
  } gFree;
  std::atomic<uint32_t> sysmonwait{0};  // runtime2.go:831  sysmon sleeps on sysmonnote
  note sysmonnote;                      // runtime2.go:832
  mutex sysmonlock;                     // runtime2.go:849
  // Not in Go: a Go program ends when main.main returns; ours may be run
  // again (by tests), so its Ms are told to stop, and it counts what is
  // left.
  std::atomic<bool> done{false};
  // Not in Go: the goroutines alive other than main, what run() returns.
  // (Go's sched.ngsys counts the runtime's own goroutines; there are none
  // here.)
  std::atomic<int32_t> nlive{0};
};

extern schedt sched;
extern g* allg_head;       // proc.cpp: every g, linked by alllink (Go's allgs)
extern p* allp[];          // proc.cpp: the Ps, allp[0..gomaxprocs)
extern int32_t gomaxprocs;
extern m* allm;  // proc.cpp: every M, linked by alllink

}  // namespace runtime
