// proc.cpp - twin of the scheduler of Go 1.19.8's runtime/proc.go: gs run
// by Ms that hold Ps, each P with its local run queue, runnext and timer
// heap; findRunnable, which looks for work in Go's order (timers, the local
// queue, the global queue, a non-blocking netpoll, stealing from other Ps,
// and last a blocking netpoll until the next timer); the spinning-M
// protocol that wakes just enough Ms; and sysmon, on an M of its own,
// polling the network when nobody has for 10 ms.  Functions are in
// proc.go's order, from runtime.main to the steal order's gcd, after what
// C++ must see before they use it: the types (pMask, randomOrder), the
// context switch (asm_amd64.s's gogo and mcall, in C++ around
// gosave_gogo), fastrand (stubs.go) and the accessors getm, getg, allgs;
// run, ours, is last.
//
// What Go does that this does not, each also said where it would be: the
// garbage collector and everything that waits for it (gcstopm, safe-point
// functions, the idle mark worker), tracing, locked threads and cgo,
// system calls that hand their P off (entersyscall and sysmon's retake),
// preemption of a goroutine that runs too long, deadlock detection
// (checkdead), and growable stacks.  Our Ms are made with pthread_create
// (Go calls clone itself, os_linux.go's newosproc): sanitizers must know
// every thread.  And a run ends: Go's process exits when main.main
// returns; ours stops its Ms and returns, so that tests can run again
// (run, at the end of this file).
//
// Go has no thread outside the scheduler: every thread is an M.  A
// program of ours may have others (the main thread before and after a
// run, a test's), and may not let them touch the scheduler: ready,
// newproc, gopark, Gosched and the timers throw when called from a thread
// with no M (onM, below), before they touch a P.
#include <pthread.h>
#include <sched.h>
#include <signal.h>

#include <cstdlib>
#include <new>

#include "runtime/netpoll.h"
#include "runtime/runtime.h"
#include "runtime/signal_unix.h"

#ifdef __SANITIZE_THREAD__
#include <sanitizer/tsan_interface.h>
#endif
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
// valgrind's client requests are a few no-op instructions unless the
// program runs under valgrind; the header comes with valgrind itself.
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define NETPOLL_VALGRIND 1
#else
#define NETPOLL_VALGRIND 0
#endif

extern "C" {
// asm/asm_amd64.asm
void gosave_gogo(runtime::gobuf* save, runtime::gobuf* load);
void gostart();
void goexit();
void goexit1();
}

namespace runtime {

schedt sched;
g* allg_head;  // every g ever made, newest first: Go's allgs, and gdb's way in
p* allp[256];  // Go grows allp as GOMAXPROCS grows; ours has room for 256
int32_t gomaxprocs;
m* allm;

namespace {

thread_local m* tls_m;  // Go keeps g in TLS and in R14; we keep the M, whose curg is g

// Go starts a stack at 2 KiB (_StackMin) and grows it; ours is fixed.
constexpr uintptr_t kStackSize = 256 << 10;
// stack.go:101  Go's _StackGuard is 928 bytes above the bottom: the room a
// NOSPLIT chain may use.  Ours must also hold whatever libc uses below the
// last checked frame (printf's buffers, say), and print and throw.
constexpr uintptr_t StackGuard_ = 32 << 10;
// Go caps Ms at sched.maxmcount (10000, set by schedinit); ours live in a
// fixed array, so the cap is its size.
constexpr int kMaxM = 256;

m mstore[kMaxM];  // Go allocates Ms (allocm); ours come from here
g g0store[kMaxM];  // and their g0s: the thread's own stack, as a g
p pstore[256];    // and Ps (Go's new(p) in procresize)
g* main_g;
g* allg_tail;  // allgs' last: Go appends to its slice, ours to the list
mutex allglock;
// proc.go:136  Set by runtime.main; run() clears it when the run ends.
std::atomic<bool> mainStarted{false};
// The main goroutine's function and argument, called by runtime.main.
void (*main_fn)(void*);
void* main_arg;
}  // namespace

// proc.go:142  The signal mask the first run's m0 started with; every
// M's thread starts from it (newm, minitSignalMask).
sigset initSigmask;

// Not in Go, which has no thread outside the scheduler (see the top of
// this file): refuse one, naming the call.
void onM(const char* what) {
  if (getm() != nullptr) return;
  print("runtime: %s called from a thread with no m\n", what);
  throw_("runtime: a thread outside the scheduler may not touch a P");
}

namespace {

// proc.go:5633  A bit per P: idle (idlepMask), may have timers (timerpMask).
struct pMask {
  std::atomic<uint32_t> w[256 / 32];
  bool read(uint32_t id) const {               // proc.go:5636
    uint32_t word = id / 32;                   // proc.go:5637
    uint32_t mask = uint32_t{1} << (id % 32);  // proc.go:5638
    return (w[word].load() & mask) != 0;       // proc.go:5639
  }
  void set(int32_t id) {                                              // proc.go:5643
    uint32_t word = static_cast<uint32_t>(id) / 32;                   // proc.go:5644
    uint32_t mask = uint32_t{1} << (static_cast<uint32_t>(id) % 32);  // proc.go:5645
    w[word].fetch_or(mask);                                           // proc.go:5646
  }
  void clear(int32_t id) {                                            // proc.go:5650
    uint32_t word = static_cast<uint32_t>(id) / 32;                   // proc.go:5651
    uint32_t mask = uint32_t{1} << (static_cast<uint32_t>(id) % 32);  // proc.go:5652
    w[word].fetch_and(~mask);                                         // proc.go:5653
  }
};
pMask idlepMask;   // runtime2.go:1129  Ps on the idle list
pMask timerpMask;  // runtime2.go:1132  Ps that may have timers

// proc.go:6222  An order in which to visit the Ps when stealing: a start
// and a step coprime to their number, so every P comes up once.
struct randomOrder {
  uint32_t count;          // proc.go:6223
  uint32_t coprimes[256];  // proc.go:6224
  uint32_t ncoprimes;
};
struct randomEnum {  // proc.go:6227
  uint32_t i, count, pos, inc;
  bool done() const { return i == count; }  // proc.go:6253
  void next() {                             // proc.go:6256
    i++;                                    // proc.go:6257
    pos = (pos + inc) % count;              // proc.go:6258
  }
  uint32_t position() const { return pos; }  // proc.go:6262
};
randomOrder stealOrder;  // proc.go:6216

// The per-switch bookkeeping sanitizers need to follow a thread from one
// stack to another.  Empty in a plain build.
void sanitizer_before_switch(void** fake, g* to, m* mp) {
#ifdef __SANITIZE_ADDRESS__
  if (to)
    __sanitizer_start_switch_fiber(fake, reinterpret_cast<void*>(to->stack_lo),
                                   to->stack_hi - to->stack_lo);
  else
    __sanitizer_start_switch_fiber(fake, mp->g0_stack_bottom, mp->g0_stack_size);
#endif
#ifdef __SANITIZE_THREAD__
  __tsan_switch_to_fiber(to ? to->tsan_fiber : mp->g0_tsan_fiber, 0);
#endif
  (void)fake, (void)to, (void)mp;
}
void sanitizer_after_switch(void* fake) {
#ifdef __SANITIZE_ADDRESS__
  __sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#endif
  (void)fake;
}

// asm_amd64.s:399  gogo: from the M's g0 into gp.  Returns when gp comes
// back to g0 through mcall.
void gogo(m* mp, g* gp) {
  void* fake = nullptr;
  sanitizer_before_switch(&fake, gp, mp);
  gosave_gogo(&mp->g0sched, &gp->sched);
  sanitizer_after_switch(fake);
}

// asm_amd64.s:424  mcall: from the running g to its M's g0, which then
// calls fn(g) (in execute, below).  Returns when the g is next run,
// possibly on another M: after it, nothing about the M may be assumed.
// Go's is assembly; ours is C++ around gosave_gogo (asm/asm_amd64.asm).
void mcall(g* (*fn)(g*)) {
  g* gp = getg();
  m* mp = getm();    // asm_amd64.s:435  g_m(R14), BX: the M
  mp->mcallfn = fn;  // asm_amd64.s:425  MOVQ AX, DX: DX = fn, kept for execute to call
  void* fake = nullptr;
  sanitizer_before_switch(&fake, nullptr, mp);
  // asm_amd64.s:431  save g's state in g.sched (gobuf_sp), then SP = g0.sched.sp
  gosave_gogo(&gp->sched, &mp->g0sched);
  sanitizer_after_switch(fake);
}
}  // namespace

// stubs.go:127  A fast random number, from the M's state (wyrand).  Go
// seeds m.fastrand in mcommoninit; ours in allocm.
uint32_t fastrand() {
  m* mp = getm();
  static std::atomic<uint64_t> nom;  // Not in Go: what a thread with no m (a test's) shares
  uint64_t s = mp != nullptr
                   ? (mp->fastrand += 0xa0761d6478bd642f)
                   : nom.fetch_add(0xa0761d6478bd642f) + 0xa0761d6478bd642f;  // stubs.go:135
  unsigned __int128 x =
      static_cast<unsigned __int128>(s) * (s ^ 0xe7037ed1a0b428db);  // stubs.go:136
  return static_cast<uint32_t>(static_cast<uint64_t>(x >> 64) ^
                               static_cast<uint64_t>(x));  // stubs.go:137
}

// A goroutine may resume on another thread, so the thread-local must be
// read afresh after every switch, never cached across one: noinline keeps
// the read in a call, and noipa stops the optimizer from proving the call
// pure and reusing an earlier result (Go keeps g in a register, R14, that
// gogo reloads for the same reason).
// They are not instrumented: the stack check (src/runtime/stack.cpp) calls
// getg at the entry of every function.
__attribute__((noinline, noipa, no_instrument_function)) m* getm() { return tls_m; }
__attribute__((noinline, noipa, no_instrument_function)) g* getg() {
  m* mp = tls_m;
  return mp ? mp->curg : nullptr;
}

g* allgs() {
  lock(&allglock);
  g* head = allg_head;
  unlock(&allglock);
  return head;
}

namespace {
// Defined below, in proc.go's order.
void g0stack(m* mp);
void mstart(m* mp);
void* mstart_thread(void* arg);
void mstartm0();
void mPark(m* mp);
m* allocm(p*, void (*fn)(), int64_t id);
void newm(void (*fn)(), p* pp, int64_t id);
void stopm();
void mspinning();
void execute(g* gp, bool inheritTime);
g* findRunnable(bool* inheritTime, bool* tryWakeP);
void resetspinning();
void schedule();
void dropg(m* mp);
bool parkunlock_c(g*, void* lock_);
g* park_m(g* gp);
g* goschedImpl(g* gp);
g* gosched_m(g* gp);
g* goexit0(g* gp);
g* malg();
g* newproc1(void (*fn)(void*), void* arg, bool is_main, uintptr_t callerpc);
void gfput(p* pp, g* gp);
g* gfget(p* pp);
p* procresize(int32_t nprocs);
void sysmon();
void sysmonfn();
void schedtrace(bool detailed);
void mput(m* mp);
m* mget();
void reset(randomOrder* ord, uint32_t count);
randomEnum start(const randomOrder* ord, uint32_t i);
uint32_t gcd(uint32_t a, uint32_t b);
}  // namespace

extern "C" void goroutine_start(g* gp);  // below, beside newproc1

// proc.go:145  The main goroutine: it starts sysmon and calls main.main
// (here, the function given to run).  When main.main returns, Go's exits
// the process; ours returns, and goexit0 ends the run.
void main(void*) {
  // proc.go:150-164 left out: the race context, and the stack size limit
  // (ours are fixed).
  mainStarted = true;                      // proc.go:167  newproc may start Ms now
  newm(sysmonfn, nullptr, -1);  // proc.go:171  sysmon, on an M with no P
  // proc.go:181-248 left out: locking main to its thread during init,
  // package initializers, the GC's start, cgo checks.
  main_fn(main_arg);  // proc.go:249-250  fn := main_main; fn()
  // proc.go:251-275 left out: the race detector's end, waiting for a
  // panicking goroutine, and exit(0): here the run ends.
}

// proc.go:316  Let other goroutines run; this one stays runnable.
void Gosched() {
  onM("Gosched");     // not in Go
  mcall(gosched_m);  // proc.go:318
}

// proc.go:346  Park the running g.  On g0, unlockf(gp, lock) decides: true
// keeps it parked until goready; false runs it again at once.
void gopark(bool (*unlockf)(g*, void*), void* lock_, waitReason reason, uint8_t traceEv,
            int traceskip) {
  onM("gopark");  // not in Go
  m* mp = getm();
  g* gp = mp->curg;                                                         // proc.go:351
  if (gp->atomicstatus.load() != Grunning) throw_("gopark: bad g status");  // proc.go:352-355
  mp->waitlock = lock_;                                                     // proc.go:356
  mp->waitunlockf = unlockf;                                                // proc.go:357
  gp->waitreason = reason;                                                  // proc.go:358
  mp->waittraceev = traceEv;                                                // proc.go:359
  mp->waittraceskip = traceskip;                                            // proc.go:360
  mcall(park_m);                                                            // proc.go:363
}

// proc.go:368  Park, releasing lock once the g is safely parked.
void goparkunlock(mutex* lock_, waitReason reason, uint8_t traceEv, int traceskip) {
  gopark(parkunlock_c, lock_, reason, traceEv, traceskip);  // proc.go:369
}

// proc.go:372  Ready gp into runnext: a g woken by I/O or a semaphore runs
// next on this P.
void goready(g* gp, int traceskip) { ready(gp, traceskip, true); }  // proc.go:374

// proc.go:843  Make gp, parked, runnable: into this P's runnext (next) or
// the back of its run queue, and wake an M to run it if any P is idle.
void ready(g* gp, int traceskip, bool next) {
  onM("goready");                                            // not in Go
  if (trace.enabled) traceGoUnpark(gp, traceskip);           // proc.go:844-846
  if (netpolltrace) narrateGoUnpark(gp, false);                // proc.go:844-846  traceGoUnpark
  uint32_t status = gp->atomicstatus.load();                 // proc.go:848
  if (status != Gwaiting) throw_("bad g->status in ready");  // proc.go:853-856
  casgstatus(gp, Gwaiting, Grunnable);                       // proc.go:859
  runqput(getm()->p_.load(), gp, next);                      // proc.go:860
  wakep();                                                   // proc.go:861
}

// proc.go:963  Move gp from oldval to newval.  Go refuses a transition
// that is no transition at all first; then it loops on the CAS while the
// garbage collector holds the g in a scan state, which it will leave, and
// throws in the loop only when a waiting g turns out runnable.  There is
// no GC here, so nothing will ever turn a failed CAS into a successful
// one: where Go would spin, ours throws (not in Go), naming the statuses.
void casgstatus(g* gp, uint32_t oldval, uint32_t newval) {
  if (oldval == newval) {  // proc.go:964  (no scan bits here)
    print("runtime: casgstatus: oldval=%#x newval=%#x\n", oldval, newval);  // proc.go:966
    throw_("casgstatus: bad incoming values");                              // proc.go:967
  }
  uint32_t expected = oldval;
  if (!gp->atomicstatus.compare_exchange_strong(expected, newval)) {  // proc.go:980
    if (oldval == Gwaiting && expected == Grunnable) {                // proc.go:981
      throw_("casgstatus: waiting for Gwaiting but is Grunnable");    // proc.go:982
    }
    print("runtime: casgstatus: oldval=%#x newval=%#x status=%#x\n", oldval, newval, expected);
    throw_("casgstatus: bad status");  // not in Go, which would wait for a GC that never comes
  }
}

namespace {

// proc.go:1373-1385 (mstart0)  A system-made stack: g0's bounds are the
// thread's, which Go guesses from SP and ours asks pthread for (AddressSanitizer
// must be told them too, for every switch back to g0).  For the process's
// main thread glibc reads them from /proc/self/maps, a descriptor open for
// a moment: run asks for m0's before any other M starts, so that it never
// shifts the numbers the goroutines' descriptors get (not in Go).
void g0stack(m* mp) {
  if (mp->g0_stack_size != 0) return;  // not in Go: m0's, asked for by run
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* addr;
    size_t size;
    pthread_attr_getstack(&attr, &addr, &size);
    mp->g0->stack_lo = reinterpret_cast<uintptr_t>(addr);
    mp->g0->stack_hi = reinterpret_cast<uintptr_t>(addr) + size;
    mp->g0_stack_bottom = addr;
    mp->g0_stack_size = size;
    pthread_attr_destroy(&attr);
  }
}

// proc.go:1398  An M starts: remember the thread's own stack as g0, set
// its signal stack and mask (minit), run mstartfn (sysmon never returns
// from it until the run ends), take the P it was given, and schedule.
void mstart(m* mp) {
  tls_m = mp;
  g0stack(mp);
#ifdef __SANITIZE_THREAD__
  mp->g0_tsan_fiber = __tsan_get_current_fiber();
#endif
  minit();  // proc.go:1416
  // proc.go:1420-1422  m0's mstartm0 is called by run, before it starts
  // any other M (see there).
  if (auto fn = mp->mstartfn) fn();  // proc.go:1424-1426
  if (mp->nextp != nullptr) {        // proc.go:1428  m0 starts with its P already
    acquirep(mp->nextp);             // proc.go:1429
    mp->nextp = nullptr;             // proc.go:1430
  }
  if (mp->p_.load() != nullptr) schedule();  // proc.go:1432  (sysmon's M has none)
  // proc.go:1471  mexit, as much of it as a thread leaving the run needs:
  // its signal stack given back (the thread itself ends when it returns).
  unminit();  // proc.go:1497
  tls_m = nullptr;
}

void* mstart_thread(void* arg) {
  mstart(static_cast<m*>(arg));
  return nullptr;
}

// proc.go:1441  What only m0 does, once: install the signal handlers.
// Not in Go: the scheduler runs more than once in a process here, and the
// handlers, installed by the first run, stay; and run calls it, not
// mstart, for the reason given there.
void mstartm0() {
  // proc.go:1445-1448 left out: cgo's extra Ms.
  static bool done;
  if (done) return;
  done = true;
  initsig(false);  // proc.go:1449
}

// proc.go:1455  Sleep on the M's note until startm or a timer's M wakes it.
void mPark(m* mp) {
  notesleep(&mp->park);  // proc.go:1457
  noteclear(&mp->park);  // proc.go:1458
}

// proc.go:1715  A new M, not yet running.  Go allocates it and its g0
// stack; ours is a slot of mstore, and its g0 stack is the thread's own.
m* allocm(p*, void (*fn)(), int64_t id) {
  if (id < 0) {                // proc.go:796-800  mcommoninit
    lock(&sched.lock);
    id = sched.mnext++;        // proc.go:799  mReserveID
    unlock(&sched.lock);
  }
  if (id >= kMaxM) {
    print("runtime: program exceeds %d-thread limit\n", kMaxM);  // proc.go:764  checkmcount
    throw_("thread exhaustion");                                 // proc.go:765
  }
  m* mp = &mstore[id];
  mp->~m();
  new (mp) m();
  mp->mstartfn = fn;  // proc.go:1760
  mp->id = id;        // proc.go:797  mcommoninit
  mp->fastrand = static_cast<uint64_t>(nanotime()) * 0x9e3779b97f4a7c15 ^
                 static_cast<uint64_t>(id);  // proc.go:812  mcommoninit: mp.fastrand
  mpreinit(mp);                              // proc.go:815  mcommoninit's
  // proc.go:1766-1770  Go's g0 for a thread whose stack the system made
  // (malg(-1)): a g with no stack of its own; mstart fills in the bounds.
  mp->g0 = &g0store[id];
  mp->g0->~g();
  new (mp->g0) g();
  mp->g0->mp = mp;
  lock(&sched.lock);
  mp->alllink = allm;                           // proc.go:822  mcommoninit
  __atomic_store_n(&allm, mp, __ATOMIC_RELEASE);  // proc.go:826  published for lock-free readers
  unlock(&sched.lock);
  return mp;
}

// proc.go:2096  Start an M on a new thread: it will run fn, if any, then
// schedule with P pp.
void newm(void (*fn)(), p* pp, int64_t id) {
  m* mp = allocm(pp, fn, id);  // proc.go:2109
  mp->nextp = pp;              // proc.go:2110
  mp->sigmask = initSigmask;   // proc.go:2111
  newosproc(mp, mstart_thread);  // proc.go:2141  newm1's newosproc (src/runtime/os_linux.cpp)
}

// proc.go:2231  This M has nothing to do: sleep until startm hands it a P.
void stopm() {
  m* mp = getm();
  if (mp->p_.load() != nullptr) throw_("stopm holding p");  // proc.go:2237-2239
  if (mp->spinning) throw_("stopm spinning");               // proc.go:2240-2242
  lock(&sched.lock);                                        // proc.go:2244
  // Not in Go: once the run is over (goexit0 of main, under this lock,
  // woke every idle M) no M may go to sleep.
  if (sched.done.load()) {
    unlock(&sched.lock);
    return;
  }
  mput(mp);                           // proc.go:2245
  unlock(&sched.lock);                // proc.go:2246
  if (netpolltrace) traceIdle(true);  // ours: the timeline's idle M
  mPark(mp);                          // proc.go:2247
  if (netpolltrace) traceIdle(false);
  // Not in Go: the end of a run wakes idle Ms without a P.
  if (mp->nextp == nullptr) return;
  acquirep(mp->nextp);  // proc.go:2248
  mp->nextp = nullptr;  // proc.go:2249
}

// proc.go:2252  startm's caller counted the new M as spinning.
void mspinning() { getm()->spinning = true; }  // proc.go:2254
}  // namespace

// proc.go:2269  Start (or wake) an M to run pp, or an idle P if pp is nil.
// spinning: the caller counted it in nmspinning, and it is to look for work.
void startm(p* pp, bool spinning) {
  lock(&sched.lock);            // proc.go:2287
  if (pp == nullptr) {          // proc.go:2288
    pp = pidleget(0, nullptr);  // proc.go:2289
    if (pp == nullptr) {        // proc.go:2290
      unlock(&sched.lock);      // proc.go:2291
      if (spinning) {           // proc.go:2292  no P after all: uncount
        if (static_cast<int32_t>(sched.nmspinning.fetch_sub(1) - 1) < 0)  // proc.go:2295
          throw_("startm: negative nmspinning");                          // proc.go:2296
      }
      return;  // proc.go:2300
    }
  }
  m* nmp = mget();                 // proc.go:2303
  if (nmp == nullptr) {            // proc.go:2304
    int64_t id = sched.mnext++;    // proc.go:2317  mReserveID
    unlock(&sched.lock);           // proc.go:2318
    void (*fn)() = nullptr;        // proc.go:2320
    if (spinning) fn = mspinning;  // proc.go:2321-2324
    newm(fn, pp, id);              // proc.go:2325
    return;                        // proc.go:2329
  }
  unlock(&sched.lock);                                                  // proc.go:2331
  if (nmp->spinning) throw_("startm: m is spinning");                   // proc.go:2332-2334
  if (nmp->nextp != nullptr) throw_("startm: m has p");                 // proc.go:2335-2337
  if (spinning && !runqempty(pp)) throw_("startm: p has runnable gs");  // proc.go:2338-2340
  nmp->spinning = spinning;                                             // proc.go:2342
  nmp->nextp = pp;                                                      // proc.go:2343
  notewakeup(&nmp->park);                                               // proc.go:2344
}

// proc.go:2354  Give pp, which its M is letting go, to an M if there is
// anything for it to do.  Go's callers are a system call that blocks, a
// locked goroutine and sysmon's retake, none of which this runtime has;
// tests call it directly.
void handoffp(p* pp) {
  if (!runqempty(pp) || sched.runqsize != 0) {  // proc.go:2359  local work: start it
    startm(pp, false);                          // proc.go:2360
    return;                                     // proc.go:2361
  }
  // proc.go:2364-2372 left out: trace and GC work.
  if (sched.nmspinning.load() + sched.npidle.load() == 0) {  // proc.go:2375  no one looks
    uint32_t zero = 0;
    if (sched.nmspinning.compare_exchange_strong(zero, 1)) {  // proc.go:2375
      startm(pp, true);                                       // proc.go:2376
      return;                                                 // proc.go:2377
    }
  }
  lock(&sched.lock);  // proc.go:2379
  // proc.go:2380-2395 left out: a GC waiting to stop the world, safe-point functions.
  if (sched.runqsize != 0) {  // proc.go:2396
    unlock(&sched.lock);      // proc.go:2397
    startm(pp, false);        // proc.go:2398
    return;                   // proc.go:2399
  }
  // proc.go:2403  The last running P, and nobody polls: someone must.
  if (sched.npidle.load() == static_cast<uint32_t>(gomaxprocs - 1) && sched.lastpoll.load() != 0) {
    unlock(&sched.lock);  // proc.go:2404
    startm(pp, false);    // proc.go:2405
    return;               // proc.go:2406
  }
  int64_t when = nobarrierWakeTime(pp);  // proc.go:2411
  pidleput(pp, 0);                       // proc.go:2412
  unlock(&sched.lock);                   // proc.go:2413
  if (when != 0) wakeNetPoller(when);    // proc.go:2415-2417
}

// proc.go:2422  A g became runnable: if a P is idle and no M is spinning,
// start one spinning M to find it.  (One is enough: when it finds work it
// stops spinning and wakes another, resetspinning.)
void wakep() {
  if (sched.npidle.load() == 0) return;  // proc.go:2423-2425
  uint32_t zero = 0;
  if (sched.nmspinning.load() != 0 ||
      !sched.nmspinning.compare_exchange_strong(zero, 1))  // proc.go:2427
    return;                                                // proc.go:2428
  startm(nullptr, true);                                   // proc.go:2430
}

namespace {

// proc.go:2517  Run gp on this M until it comes back through mcall; then
// finish what it asked (park_m, goexit0, gosched_m) on g0, which may hand
// back a g to run at once.  Go's execute never returns (gogo jumps, and
// the function mcall runs calls schedule); ours returns to schedule.
void execute(g* gp, bool inheritTime) {
  while (gp) {
    m* mp = getm();
    mp->curg = gp;                                 // proc.go:2529
    gp->mp = mp;                                   // proc.go:2530
    casgstatus(gp, Grunnable, Grunning);           // proc.go:2531
    gp->stackguard0 = gp->stack_lo + StackGuard_;  // proc.go:2534
    if (!inheritTime) mp->p_.load()->schedtick++;  // proc.go:2535-2537
    if (trace.enabled) traceGoStart();              // proc.go:2545-2552  (no system calls here)
    if (netpolltrace) narrateGoStart(gp);            // proc.go:2551  traceGoStart
    gogo(mp, gp);                                  // proc.go:2554
    // Back on g0: mcall's second half.
    auto fn = mp->mcallfn;  // asm_amd64.s:447  Go loads fn into R12 (from the closure in DX)
    mp->mcallfn = nullptr;
    gp = fn(gp);         // asm_amd64.s:448  CALL R12: fn(g), on g0
    inheritTime = true;  // park_m's execute(gp, true)
  }
}

// proc.go:2561  Find a runnable g, blocking until there is one.  On return
// this M holds a P; inheritTime says gp came from runnext, tryWakeP that
// it is not an ordinary g (never, here).  Returns nullptr once the run is
// over (not in Go).
g* findRunnable(bool* inheritTime, bool* tryWakeP) {
  m* mp = getm();
  *inheritTime = false;
  *tryWakeP = false;
top:  // proc.go:2568
  if (sched.done.load()) return nullptr;
  p* pp = mp->p_.load();  // proc.go:2569
  // proc.go:2570-2576 left out: a GC stopping the world, safe-point functions.

  // proc.go:2582  now and pollUntil are kept for stealing, below.
  int64_t now, pollUntil;
  checkTimers(pp, 0, &now, &pollUntil);

  // proc.go:2585-2600 left out: the trace reader and the GC's mark workers.

  // proc.go:2605  Now and then the global queue first, so that two gs
  // that keep readying each other cannot starve it.
  if (pp->schedtick % 61 == 0 && sched.runqsize > 0) {
    lock(&sched.lock);             // proc.go:2606
    g* gp = globrunqget(pp, 1);    // proc.go:2607
    unlock(&sched.lock);           // proc.go:2608
    if (gp != nullptr) return gp;  // proc.go:2609-2611
  }

  // proc.go:2615-2622 left out: the finalizer goroutine, cgo's yield.

  // proc.go:2625  The local run queue.
  if (g* gp = runqget(pp, inheritTime); gp != nullptr) return gp;  // proc.go:2625-2627

  if (sched.runqsize != 0) {       // proc.go:2630  the global run queue
    lock(&sched.lock);             // proc.go:2631
    g* gp = globrunqget(pp, 0);    // proc.go:2632
    unlock(&sched.lock);           // proc.go:2633
    if (gp != nullptr) return gp;  // proc.go:2634-2636
  }

  // proc.go:2646  Poll the network, without blocking, before stealing.
  // Skipped when nobody waits on it or an M is blocked in it already.
  if (netpollinited() && netpollWaiters.load() > 0 && sched.lastpoll.load() != 0) {
#if NETPOLL_GO >= 122
    int32_t delta = 0;  // go1.22 proc.go, findRunnable: netpoll returns (list, delta)
    gList list = netpoll(0, &delta);
#else
    gList list = netpoll(0);      // proc.go:2647  non-blocking
#endif
    if (!list.empty()) {
      g* gp = list.pop();  // proc.go:2648
      injectglist(&list);  // proc.go:2649
#if NETPOLL_GO >= 122
      netpollAdjustWaiters(delta);  // go1.22 proc.go, findRunnable
#endif
      casgstatus(gp, Gwaiting, Grunnable);        // proc.go:2650
      if (trace.enabled) traceGoUnpark(gp, 0);      // proc.go:2651-2653
      if (netpolltrace) narrateGoUnpark(gp, true);  // proc.go:2651-2653  traceGoUnpark
      return gp;                                  // proc.go:2654
    }
  }

  // Spinning Ms steal from other Ps; at most half as many Ms spin as Ps
  // are busy.
  uint32_t procs = static_cast<uint32_t>(gomaxprocs);                               // proc.go:2663
  if (mp->spinning || 2 * sched.nmspinning.load() < procs - sched.npidle.load()) {  // proc.go:2664
    if (!mp->spinning) {                                                            // proc.go:2665
      mp->spinning = true;                                                          // proc.go:2666
      sched.nmspinning.fetch_add(1);                                                // proc.go:2667
    }
    int64_t w;
    bool newWork;
    g* gp = stealWork(now, inheritTime, &now, &w, &newWork);  // proc.go:2670-2671
    if (gp != nullptr) return gp;                             // proc.go:2672-2675  stole one
    if (newWork) goto top;                                    // proc.go:2676-2680  a timer ran
    if (w != 0 && (pollUntil == 0 || w < pollUntil)) pollUntil = w;  // proc.go:2681-2684
  }

  // proc.go:2691-2719 left out: idle GC marking; wasm's beforeIdle.

  {
    // proc.go:2725-2729  Go snapshots allp and the masks before it drops
    // the P; ours do not change while Ms run.
    lock(&sched.lock);  // proc.go:2732  return the P and block
    // proc.go:2733-2736 left out: gcwaiting, runSafePointFn.
    if (sched.runqsize != 0) {     // proc.go:2737
      g* gp = globrunqget(pp, 0);  // proc.go:2738
      unlock(&sched.lock);         // proc.go:2739
      return gp;                   // proc.go:2740
    }
    if (releasep() != pp) throw_("findrunnable: wrong p");  // proc.go:2742-2744
    now = pidleput(pp, now);                                // proc.go:2745
    unlock(&sched.lock);                                    // proc.go:2746
  }

  // From spinning to not: drop nmspinning first, then
  // look at every source of work again, or work submitted between our
  // last look and the drop would wake nobody.
  bool wasSpinning = mp->spinning;                                    // proc.go:2768
  if (mp->spinning) {                                                 // proc.go:2769
    mp->spinning = false;                                             // proc.go:2770
    if (static_cast<int32_t>(sched.nmspinning.fetch_sub(1) - 1) < 0)  // proc.go:2771
      throw_("findrunnable: negative nmspinning");                    // proc.go:2772
    pp = checkRunqsNoP();             // proc.go:2782  every run queue, once more
    if (pp != nullptr) {              // proc.go:2783
      acquirep(pp);                   // proc.go:2784
      mp->spinning = true;            // proc.go:2785
      sched.nmspinning.fetch_add(1);  // proc.go:2786
      goto top;                       // proc.go:2787
    }
    // proc.go:2791-2804 left out: idle-priority GC work.
    pollUntil = checkTimersNoP(pollUntil);  // proc.go:2812  and every timer
  }

  // proc.go:2816  Become the one M blocked in netpoll, until I/O is ready
  // or the next timer is due; sched.lastpoll == 0 says an M is there.
  if (netpollinited() && (netpollWaiters.load() > 0 || pollUntil != 0) &&
      sched.lastpoll.exchange(0) != 0) {
    sched.pollUntil.store(pollUntil);  // proc.go:2817
    // Not in Go: the end of a run breaks the poller out only if it sees
    // lastpoll == 0 after setting done (goexit0), so having set lastpoll,
    // the poller must look at done; one of the two sees the other.
    if (sched.done.load()) {
      sched.pollUntil.store(0);
      sched.lastpoll.store(nanotime());
      goto top;
    }
    if (mp->p_.load() != nullptr) throw_("findrunnable: netpoll with p");  // proc.go:2818-2820
    if (mp->spinning) throw_("findrunnable: netpoll with spinning");       // proc.go:2821-2823
    now = nanotime();                                                      // proc.go:2825
    int64_t delay = -1;                                                    // proc.go:2826
    if (pollUntil != 0) {                                                  // proc.go:2827
      delay = pollUntil - now;                                             // proc.go:2828
      if (delay < 0) delay = 0;                                            // proc.go:2829-2831
    }
    // proc.go:2833-2836 left out: faketime.
#if NETPOLL_GO >= 122
    int32_t delta = 0;  // go1.22 proc.go, findRunnable: netpoll returns (list, delta)
    gList list = netpoll(delay, &delta);
#else
    gList list = netpoll(delay);  // proc.go:2837  block until new work is available
#endif
    sched.pollUntil.store(0);   // proc.go:2838
    sched.lastpoll.store(now);  // proc.go:2839
    // proc.go:2840-2845 left out: faketime.
    lock(&sched.lock);            // proc.go:2846
    pp = pidleget(now, nullptr);  // proc.go:2847
    unlock(&sched.lock);          // proc.go:2848
    if (pp == nullptr) {          // proc.go:2849
      injectglist(&list);         // proc.go:2850
#if NETPOLL_GO >= 122
      netpollAdjustWaiters(delta);  // go1.22 proc.go, findRunnable
#endif
    } else {
      acquirep(pp);          // proc.go:2852
      if (!list.empty()) {   // proc.go:2853
        g* gp = list.pop();  // proc.go:2854
        injectglist(&list);  // proc.go:2855
#if NETPOLL_GO >= 122
        netpollAdjustWaiters(delta);  // go1.22 proc.go, findRunnable
#endif
        casgstatus(gp, Gwaiting, Grunnable);        // proc.go:2856
        if (trace.enabled) traceGoUnpark(gp, 0);      // proc.go:2857-2859
        if (netpolltrace) narrateGoUnpark(gp, true);  // proc.go:2857-2859  traceGoUnpark
        return gp;                                  // proc.go:2860
      }
      if (wasSpinning) {                // proc.go:2862
        mp->spinning = true;            // proc.go:2863
        sched.nmspinning.fetch_add(1);  // proc.go:2864
      }
      goto top;  // proc.go:2866
    }
  } else if (pollUntil != 0 && netpollinited()) {             // proc.go:2868
    int64_t pollerPollUntil = sched.pollUntil.load();         // proc.go:2869
    if (pollerPollUntil == 0 || pollerPollUntil > pollUntil)  // proc.go:2870
      netpollBreak();                                         // proc.go:2871
  }
  stopm();   // proc.go:2874
  goto top;  // proc.go:2875
}
}  // namespace

// proc.go:2882  Whether there is work to do now: a runnable g here or in
// the global queue, or one the network has ready.  Go's idle GC worker
// asks, between chunks of marking; nothing asks here but tests.
bool pollWork() {
  if (sched.runqsize != 0) return true;  // proc.go:2883-2885
  p* pp = getm()->p_.load();             // proc.go:2886
  if (!runqempty(pp)) return true;       // proc.go:2887-2889
  if (netpollinited() && netpollWaiters.load() > 0 && sched.lastpoll.load() != 0) {  // proc.go:2890
#if NETPOLL_GO >= 122
    int32_t delta = 0;  // go1.22 proc.go, pollWork
    gList list = netpoll(0, &delta);
#else
    gList list = netpoll(0);      // proc.go:2891
#endif
    if (!list.empty()) {
      injectglist(&list);  // proc.go:2892
#if NETPOLL_GO >= 122
      netpollAdjustWaiters(delta);  // go1.22 proc.go, pollWork
#endif
      if (netpolltrace) traceNetpoll(false, 0);  // ours: the poll is over
      return true;                               // proc.go:2893
    }
  }
  return false;  // proc.go:2896
}

// proc.go:2905  Steal a runnable g, or timers, from another P: four passes
// over the Ps in a random order, the last also running their due timers
// and taking their runnext.  *rnow and *pollUntil report the time and the
// next timer seen; *newWork that a timer ran and may have readied a g.
g* stealWork(int64_t now, bool* inheritTime, int64_t* rnow, int64_t* pollUntil, bool* newWork) {
  p* pp = getm()->p_.load();  // proc.go:2906
  bool ranTimer = false;      // proc.go:2908
  *pollUntil = 0;
  constexpr int stealTries = 4;                                                 // proc.go:2910
  for (int i = 0; i < stealTries; i++) {                                        // proc.go:2911
    bool stealTimersOrRunNextG = i == stealTries - 1;                           // proc.go:2912
    for (randomEnum e = start(&stealOrder, fastrand()); !e.done(); e.next()) {  // proc.go:2914
      // proc.go:2915-2918 left out: a GC waiting.
      p* p2 = allp[e.position()];  // proc.go:2919
      if (pp == p2) continue;      // proc.go:2920-2922
      // proc.go:2937  On the last pass, run p2's due timers: the only
      // place an M holds another P's timersLock.
      if (stealTimersOrRunNextG && timerpMask.read(e.position())) {
        int64_t tnow, w;
        bool ran = checkTimers(p2, now, &tnow, &w);                         // proc.go:2938
        now = tnow;                                                         // proc.go:2939
        if (w != 0 && (*pollUntil == 0 || w < *pollUntil)) *pollUntil = w;  // proc.go:2940-2942
        if (ran) {  // proc.go:2943  its gs may now be in our queue
          if (g* gp = runqget(pp, inheritTime); gp != nullptr) {  // proc.go:2952
            *rnow = now;
            *newWork = ranTimer;
            return gp;  // proc.go:2953
          }
          ranTimer = true;  // proc.go:2955
        }
      }
      if (!idlepMask.read(e.position())) {  // proc.go:2960  an idle P has nothing
        if (g* gp = runqsteal(pp, p2, stealTimersOrRunNextG); gp != nullptr) {  // proc.go:2961
          *inheritTime = false;
          *rnow = now;
          *newWork = ranTimer;
          return gp;  // proc.go:2962
        }
      }
    }
  }
  *rnow = now;  // proc.go:2971
  *newWork = ranTimer;
  return nullptr;
}

// proc.go:2979  An M that has dropped its P: is any run queue not empty
// after all?  Then take an idle P to go and run it.
p* checkRunqsNoP() {
  for (int32_t id = 0; id < gomaxprocs; id++) {  // proc.go:2980
    p* p2 = allp[id];
    if (!idlepMask.read(static_cast<uint32_t>(id)) && !runqempty(p2)) {  // proc.go:2981
      lock(&sched.lock);                                                 // proc.go:2982
      p* pp = pidleget(0, nullptr);                                      // proc.go:2983
      unlock(&sched.lock);                                               // proc.go:2984
      if (pp != nullptr) return pp;                                      // proc.go:2985-2987
      break;  // proc.go:2990  no P to be had
    }
  }
  return nullptr;  // proc.go:2994
}

// proc.go:3000  The earliest timer of any P, or pollUntil if that is
// earlier; read without locks.
int64_t checkTimersNoP(int64_t pollUntil) {
  for (int32_t id = 0; id < gomaxprocs; id++) {                        // proc.go:3001
    if (timerpMask.read(static_cast<uint32_t>(id))) {                  // proc.go:3002
      int64_t w = nobarrierWakeTime(allp[id]);                         // proc.go:3003
      if (w != 0 && (pollUntil == 0 || w < pollUntil)) pollUntil = w;  // proc.go:3004-3006
    }
  }
  return pollUntil;  // proc.go:3010
}

// proc.go:3078  A timer due at `when` was added: make sure some M will be
// awake at that time.  If an M is blocked in netpoll past `when` (or
// forever), break it out so it recomputes its sleep.
void wakeNetPoller(int64_t when) {
  if (sched.lastpoll.load() == 0) {                      // proc.go:3079
    int64_t pollerPollUntil = sched.pollUntil.load();    // proc.go:3084
    if (pollerPollUntil == 0 || pollerPollUntil > when)  // proc.go:3085
      netpollBreak();                                    // proc.go:3086
  } else {
    wakep();  // proc.go:3092  no poller: get an M there
  }
}

namespace {

// proc.go:3097  This M found work: it no longer spins, and wakes another
// to spin in its place, if a P is idle.
void resetspinning() {
  m* mp = getm();
  if (!mp->spinning) throw_("resetspinning: not a spinning m");  // proc.go:3099-3101
  mp->spinning = false;                                          // proc.go:3102
  uint32_t nmspinning = sched.nmspinning.fetch_sub(1) - 1;       // proc.go:3103
  if (static_cast<int32_t>(nmspinning) < 0)
    throw_("findrunnable: negative nmspinning");  // proc.go:3104-3106
  wakep();                                        // proc.go:3110
}
}  // namespace

// proc.go:3121  Make every g in glist runnable and queue it: one per idle P
// on the global queue, with an M started for each; the rest on this P's
// run queue (or all of them globally if this M has no P).
void injectglist(gList* glist) {
  if (glist->empty()) return;                                     // proc.go:3122-3124
  if (trace.enabled)                                              // proc.go:3125
    for (g* gp = glist->head; gp != nullptr; gp = gp->schedlink)  // proc.go:3126
      traceGoUnpark(gp, 0);                                       // proc.go:3127
  if (netpolltrace)                                               // proc.go:3125
    for (g* gp = glist->head; gp != nullptr; gp = gp->schedlink)  // proc.go:3126
      narrateGoUnpark(gp, true);                                    // proc.go:3127
  g* head = glist->head;                                          // proc.go:3133
  g* tail = nullptr;                                              // proc.go:3134
  int qsize = 0;                                                  // proc.go:3135
  for (g* gp = head; gp != nullptr; gp = gp->schedlink) {         // proc.go:3136
    tail = gp;                                                    // proc.go:3137
    qsize++;                                                      // proc.go:3138
    casgstatus(gp, Gwaiting, Grunnable);                          // proc.go:3139
  }
  gQueue q;                                                                  // proc.go:3143
  q.head = head;                                                             // proc.go:3144
  q.tail = tail;                                                             // proc.go:3145
  *glist = gList{};                                                          // proc.go:3146
  auto startIdle = [](int n) {                                               // proc.go:3148
    for (; n != 0 && sched.npidle.load() != 0; n--) startm(nullptr, false);  // proc.go:3149-3151
  };
  m* mp = getm();
  p* pp = mp != nullptr ? mp->p_.load() : nullptr;  // proc.go:3154
  if (pp == nullptr) {                              // proc.go:3155
    lock(&sched.lock);                              // proc.go:3156
    globrunqputbatch(&q, qsize);                    // proc.go:3157
    unlock(&sched.lock);                            // proc.go:3158
    startIdle(qsize);                               // proc.go:3159
    return;                                         // proc.go:3160
  }
  int npidle = static_cast<int>(sched.npidle.load());  // proc.go:3163
  gQueue globq;                                        // proc.go:3164
  int n;                                               // proc.go:3165
  for (n = 0; n < npidle && !q.empty(); n++) {         // proc.go:3166
    g* gp = q.pop();                                   // proc.go:3167
    globq.pushBack(gp);                                // proc.go:3168
  }
  if (n > 0) {                    // proc.go:3170
    lock(&sched.lock);            // proc.go:3171
    globrunqputbatch(&globq, n);  // proc.go:3172
    unlock(&sched.lock);          // proc.go:3173
    startIdle(n);                 // proc.go:3174
    qsize -= n;                   // proc.go:3175
  }
  if (!q.empty()) runqputbatch(pp, &q, qsize);  // proc.go:3178-3180
}

namespace {

// proc.go:3185  One round of the scheduler: find a g, and run it.  Returns
// (not in Go) when the run is over, this M's P released.
void schedule() {
  m* mp = getm();
  for (;;) {                // proc.go:3203  top
    p* pp = mp->p_.load();  // proc.go:3204
    // proc.go:3210  Spinning means a P whose queues are empty.
    if (mp->spinning &&
        (pp->runnext.load() != nullptr || pp->runqhead.load() != pp->runqtail.load()))
      throw_("schedule: spinning with local work");  // proc.go:3211
    bool inheritTime, tryWakeP;
    g* gp = findRunnable(&inheritTime, &tryWakeP);  // proc.go:3214  blocks until work is available
    if (gp == nullptr) break;
    if (mp->spinning) resetspinning();  // proc.go:3219-3221
    // proc.go:3223-3238 left out: scheduling disabled for the GC.
    if (tryWakeP) wakep();  // proc.go:3242-3244
    // proc.go:3245-3250 left out: locked threads.
    execute(gp, inheritTime);  // proc.go:3252
  }
  // The run is over: let go of the P, if we hold one, for the next run.
  if (mp->spinning) {
    mp->spinning = false;
    sched.nmspinning.fetch_sub(1);
  }
  if (mp->p_.load() != nullptr) releasep();
}

// proc.go:3262  The running g and its M part.
void dropg(m* mp) {
  mp->curg->mp = nullptr;  // proc.go:3265
  mp->curg = nullptr;      // proc.go:3266
}
}  // namespace

// proc.go:3279  Run pp's due timers.  *rnow is the time used (now, or
// nanotime if now was 0), *pollUntil when the next timer is due (0 if
// none); returns whether any ran.
bool checkTimers(p* pp, int64_t now, int64_t* rnow, int64_t* pollUntil) {
  *pollUntil = 0;
  // Nothing to do before the first timer, or the first adjusted one, is
  // due.
  int64_t next = pp->timer0When.load();                               // proc.go:3282
  int64_t nextAdj = pp->timerModifiedEarliest.load();                 // proc.go:3283
  if (next == 0 || (nextAdj != 0 && nextAdj < next)) next = nextAdj;  // proc.go:3284-3286
  if (next == 0) {                                                    // proc.go:3288
    *rnow = now;                                                      // proc.go:3290  no timers
    return false;
  }
  if (now == 0) now = nanotime();  // proc.go:3293-3295
  m* mp = getm();
  p* mine = mp != nullptr ? mp->p_.load() : nullptr;
  if (now < next) {  // proc.go:3296  not yet, unless there are many deleted timers to clear
    if (pp != mine || static_cast<int>(pp->deletedTimers.load()) <=
                          static_cast<int>(pp->numTimers.load() / 4)) {  // proc.go:3301
      *rnow = now;                                                       // proc.go:3302
      *pollUntil = next;
      return false;
    }
  }
  bool ran = false;
  lock(&pp->timersLock);       // proc.go:3306
  if (pp->ntimers > 0) {       // proc.go:3308
    adjusttimers(pp, now);     // proc.go:3309
    while (pp->ntimers > 0) {  // proc.go:3310
      // runtimer may drop the lock while a timer runs.
      if (int64_t tw = runtimer(pp, now); tw != 0) {  // proc.go:3313
        if (tw > 0) *pollUntil = tw;                  // proc.go:3314-3316
        break;                                        // proc.go:3317
      }
      ran = true;  // proc.go:3319
    }
  }
  // Our own P, with many deleted timers: clear them out.
  if (pp == mine && static_cast<int>(pp->deletedTimers.load()) > pp->ntimers / 4)  // proc.go:3326
    clearDeletedTimers(pp);                                                        // proc.go:3327
  unlock(&pp->timersLock);                                                         // proc.go:3330
  *rnow = now;                                                                     // proc.go:3332
  return ran;
}

namespace {

// proc.go:3335  gopark's commit for goparkunlock: the g is saved, so the
// lock it held can go.
bool parkunlock_c(g*, void* lock_) {
  unlock(static_cast<mutex*>(lock_));  // proc.go:3336
  return true;                         // proc.go:3337
}

// proc.go:3341  On g0 after gp called gopark: gp is waiting; run the
// commit function, and if it says no, run gp again straight away.
g* park_m(g* gp) {
  m* mp = getm();
  if (trace.enabled) traceGoPark(mp->waittraceev, mp->waittraceskip);  // proc.go:3344-3346
  if (netpolltrace) narrateGoPark(gp);        // proc.go:3344-3346  traceGoPark
  casgstatus(gp, Grunning, Gwaiting);       // proc.go:3348
  // Not in Go: Go's garbage collector notes when it first finds a g
  // blocked (waitsince, for the traceback's "3 minutes"); with no GC here,
  // the park itself does.
  gp->waitsince = nanotime();
  dropg(mp);                                // proc.go:3349
  if (auto fn = mp->waitunlockf) {          // proc.go:3351
    bool ok = fn(gp, mp->waitlock);         // proc.go:3352
    mp->waitunlockf = nullptr;              // proc.go:3353
    mp->waitlock = nullptr;                 // proc.go:3354
    if (!ok) {                              // proc.go:3355
      if (trace.enabled) traceGoUnpark(gp, 2);       // proc.go:3356-3358
      if (netpolltrace) narrateGoUnpark(gp, false);  // proc.go:3356-3358  traceGoUnpark
      casgstatus(gp, Gwaiting, Grunnable);  // proc.go:3359
      return gp;                            // proc.go:3360  execute(gp, true)
    }
  }
  return nullptr;  // proc.go:3363  schedule()
}

// proc.go:3366  On g0: gp yields, to the back of the global queue.
g* goschedImpl(g* gp) {
  uint32_t status = gp->atomicstatus.load();       // proc.go:3367
  if (status != Grunning) throw_("bad g status");  // proc.go:3368-3371
  casgstatus(gp, Grunning, Grunnable);             // proc.go:3372
  dropg(getm());                                   // proc.go:3373
  lock(&sched.lock);                               // proc.go:3374
  globrunqput(gp);                                 // proc.go:3375
  unlock(&sched.lock);                             // proc.go:3376
  return nullptr;                                  // proc.go:3378  schedule()
}

// proc.go:3382
g* gosched_m(g* gp) {
  if (trace.enabled) traceGoSched();     // proc.go:3383-3385
  if (netpolltrace) narrateGoSched(gp);  // proc.go:3383-3385  traceGoSched
  return goschedImpl(gp);              // proc.go:3386
}
}  // namespace

// proc.go:3469  Called (by asm goexit) when a g's function returns.
extern "C" void goexit1() {
  if (trace.enabled) traceGoEnd();         // proc.go:3473-3475
  if (netpolltrace) narrateGoEnd(getg());  // proc.go:3473-3475  traceGoEnd
  mcall(goexit0);                        // proc.go:3476
  throw_("goexit1: resumed a dead goroutine");
}

namespace {

// proc.go:3480  On g0 after gp returned from its function.
g* goexit0(g* gp) {
  m* mp = getm();
  p* pp = mp->p_.load();              // proc.go:3482
  casgstatus(gp, Grunning, Gdead);    // proc.go:3484
  gp->waitreason = waitReason::zero;  // proc.go:3498
  gp->timer = nullptr;                // proc.go:3501
  dropg(mp);                          // proc.go:3513
#ifdef __SANITIZE_THREAD__
  // ThreadSanitizer's fiber for gp still holds the frames gp left behind
  // for good (goexit1, mcall); reused, it would grow by two frames a life
  // until TSan gives up.  A reused g gets a new fiber (newproc1).
  __tsan_destroy_fiber(gp->tsan_fiber);
  gp->tsan_fiber = nullptr;
#endif
  if (gp == main_g) {
    // Go: main.main returned, so runtime.main calls exit(0), and the
    // process ends.  We stop the Ms instead and let run() return.
    lock(&sched.lock);
    sched.done = true;
    while (m* idle = mget()) notewakeup(&idle->park);
    unlock(&sched.lock);
    if (sched.sysmonwait.load() != 0) notewakeup(&sched.sysmonnote);
    if (sched.lastpoll.load() == 0) netpollBreak();
  } else {
    sched.nlive.fetch_sub(1);
  }
  gfput(pp, gp);   // proc.go:3524
  return nullptr;  // proc.go:3540  schedule()
}

// proc.go:4075  A g with a fresh stack (src/runtime/stack.cpp), the g itself
// at the very top, sharing the stack's first page: a goroutine that never
// goes deep costs one page of memory, g and all.  (Go allocates the g on its
// heap, apart from the stack.)
g* malg() {
  uintptr_t gsize = (sizeof(g) + 63) & ~uintptr_t{63};
  uintptr_t lo, hi;
  stackalloc(kStackSize, &lo, &hi);                       // proc.go:4080
  g* gp = new (reinterpret_cast<void*>(hi - gsize)) g();  // proc.go:4076  Go's new(g)
  gp->stack_lo = lo;
  gp->stack_hi = hi - gsize;                     // 64-byte aligned, so 16-byte aligned too
  gp->stackguard0 = gp->stack_lo + StackGuard_;  // proc.go:4082
#if NETPOLL_VALGRIND
  // Without this, memcheck takes every switch onto a goroutine's stack for
  // a wild jump of the stack pointer.  Stacks are never freed, so never
  // deregistered.
  gp->valgrind_stack = VALGRIND_STACK_REGISTER(gp->stack_lo, gp->stack_hi);
#endif
  lock(&allglock);  // as allgadd does: every g, for tracebacks and gdb, in order
  gp->alllink = nullptr;
  // proc.go:543  published with an atomic store, as Go stores allglen:
  // forEachGRace's readers (tracebackothers, a test's count) take no lock.
  if (allg_tail != nullptr)
    __atomic_store_n(&allg_tail->alllink, gp, __ATOMIC_RELEASE);
  else
    __atomic_store_n(&allg_head, gp, __ATOMIC_RELEASE);
  allg_tail = gp;
  unlock(&allglock);
  return gp;
}
}  // namespace

// proc.go:4094  Start fn(arg) in a new goroutine: it runs next on this P.
g* newproc(void (*fn)(void*), void* arg) {
  onM("newproc");  // not in Go
  uintptr_t pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));  // proc.go:4096
  g* newg = newproc1(fn, arg, false, pc);  // proc.go:4098
  p* pp = getm()->p_.load();               // proc.go:4100
  runqput(pp, newg, true);                 // proc.go:4101
  if (mainStarted) wakep();                // proc.go:4103-4105
  return newg;
}

namespace {

// proc.go:4112  newproc1: a runnable g that will call fn(arg).  Its stack
// is built so that the first gogo "returns" into gostart, which jumps to
// goroutine_start with goexit+1 as the return address: Go's gostartcall
// (sys_x86.go:16) does the same.
g* newproc1(void (*fn)(void*), void* arg, bool is_main, uintptr_t callerpc) {
  p* pp = getm()->p_.load();                // proc.go:4120
  g* newg = is_main ? nullptr : gfget(pp);  // proc.go:4121
  if (newg == nullptr) {                            // proc.go:4122
    newg = malg();                                  // proc.go:4123
    casgstatus(newg, Gidle, Gdead);                 // proc.go:4124
  }
  if (newg->atomicstatus.load() != Gdead)
    throw_("newproc1: new g is not Gdead");  // proc.go:4131-4133
  newg->fn = fn;
  newg->arg = arg;
  newg->waitfd = 0;
  newg->waitmode = 0;
#ifdef __SANITIZE_THREAD__
  if (newg->tsan_fiber == nullptr) newg->tsan_fiber = __tsan_create_fiber(0);
#endif
#ifdef __SANITIZE_ADDRESS__
  // A recycled stack still carries the redzones of the frames its last g
  // abandoned when it switched away for good (goexit1 -> mcall).
  ASAN_UNPOISON_MEMORY_REGION(reinterpret_cast<void*>(newg->stack_lo),
                              newg->stack_hi - newg->stack_lo);
#endif
  auto* sp = reinterpret_cast<uintptr_t*>(newg->stack_hi);
  *--sp = 0;  // two zero words: the end of every backtrace
  *--sp = 0;
  *--sp =
      reinterpret_cast<uintptr_t>(goexit) + 1;   // proc.go:4149  goroutine_start's return address
  *--sp = reinterpret_cast<uintptr_t>(gostart);  // where gosave_gogo's ret lands
  *--sp = 0;                                     // rbp: no caller frame
  *--sp = 0;                                     // rbx
  *--sp = reinterpret_cast<uintptr_t>(goroutine_start);  // r12
  *--sp = reinterpret_cast<uintptr_t>(newg);             // r13
  *--sp = 0;                                             // r14
  *--sp = 0;                                             // r15
  *--sp = uintptr_t{0x037f} << 32 | 0x1f80;              // x87 control word, MXCSR: the defaults
  newg->sched.sp = reinterpret_cast<uintptr_t>(sp);      // proc.go:4147
  newg->gopc = callerpc;                                 // proc.go:4152
  // proc.go:4154  newg.startpc = fn.fn: ours is newg->fn, above.
  if (!is_main) sched.nlive.fetch_add(1);
  casgstatus(newg, Gdead, Grunnable);  // proc.go:4176
  // proc.go:4179-4187  Go hands out ids in batches per P; ours one at a time.
  newg->goid = static_cast<int64_t>(++sched.goidgen);
  if (trace.enabled) traceGoCreate(newg, reinterpret_cast<uintptr_t>(newg->fn));  // proc.go:4197-4199
  if (netpolltrace) narrateGoCreate(newg);  // proc.go:4197-4199  traceGoCreate
  return newg;
}
}  // namespace

// A new g begins here, called by asm gostart, and returns into goexit.
extern "C" void goroutine_start(g* gp) {
  sanitizer_after_switch(nullptr);
  gp->fn(gp->arg);
}

namespace {

// proc.go:4241  Put dead gp on pp's free list; past 64, move half to the
// global one.  (Every stack here is the same size: none is freed.)
void gfput(p* pp, g* gp) {
  if (gp->atomicstatus.load() != Gdead)
    throw_("gfput: bad status (not Gdead)");  // proc.go:4242-4244
  pp->gFree.list.push(gp);                    // proc.go:4256
  pp->gFree.n++;                              // proc.go:4257
  if (pp->gFree.n >= 64) {                    // proc.go:4258
    int32_t inc = 0;                          // proc.go:4260
    gList stackQ;                             // proc.go:4261
    while (pp->gFree.n >= 32) {               // proc.go:4264
      gp = pp->gFree.list.pop();              // proc.go:4265
      pp->gFree.n--;                          // proc.go:4266
      stackQ.push(gp);                        // proc.go:4270
      inc++;                                  // proc.go:4272
    }
    lock(&sched.gFree.lock);                                // proc.go:4274
    while (g* x = stackQ.pop()) sched.gFree.stack.push(x);  // proc.go:4276  pushAll
    sched.gFree.n += inc;                                   // proc.go:4277
    unlock(&sched.gFree.lock);                              // proc.go:4278
  }
}

// proc.go:4284  A dead g from pp's free list, refilled in batches of 32
// from the global one; nullptr if there is none.
g* gfget(p* pp) {
  for (;;) {                                                     // proc.go:4285  retry
    if (pp->gFree.list.empty() && !sched.gFree.stack.empty()) {  // proc.go:4286
      lock(&sched.gFree.lock);                                   // proc.go:4287
      while (pp->gFree.n < 32) {                                 // proc.go:4289
        g* gp = sched.gFree.stack.pop();                         // proc.go:4291
        if (gp == nullptr) break;                                // proc.go:4292-4297
        sched.gFree.n--;                                         // proc.go:4298
        pp->gFree.list.push(gp);                                 // proc.go:4299
        pp->gFree.n++;                                           // proc.go:4300
      }
      unlock(&sched.gFree.lock);  // proc.go:4302
      continue;                   // proc.go:4303  goto retry
    }
    g* gp = pp->gFree.list.pop();       // proc.go:4305
    if (gp == nullptr) return nullptr;  // proc.go:4306-4308
    pp->gFree.n--;                      // proc.go:4309
    return gp;                          // proc.go:4338
  }
}
}  // namespace

// proc.go:4490  The Ms of this run (none is ever freed during one).  Read
// without the lock, as Go's is: GOTRACEBACK=crash's signal handler asks,
// and the thread it interrupted may hold sched.lock.
__attribute__((no_sanitize("thread"))) int32_t mcount() {
  return static_cast<int32_t>(sched.mnext);  // proc.go:4491
}

// proc.go:4671  A P, ready to be used.
void p::init(int32_t id_) {
  id = id_;              // proc.go:4672
  status.store(Pdead);   // proc.go:4673  Go's _Pgcstop, until procresize
  timerpMask.set(id_);   // proc.go:4701
  idlepMask.clear(id_);  // proc.go:4704
}

// proc.go:4711  A P that procresize drops: its gs go to the global queue,
// its timers to this M's P.
void p::destroy() {
  p* pp = this;
  while (pp->runqhead.load() != pp->runqtail.load()) {  // proc.go:4716
    uint32_t t = pp->runqtail.load() - 1;               // proc.go:4718
    pp->runqtail.store(t);
    g* gp = pp->runq[t % 256].load();  // proc.go:4719
    sched.runq.push(gp);               // proc.go:4721  globrunqputhead
    sched.runqsize++;
  }
  if (g* next = pp->runnext.load(); next != nullptr) {  // proc.go:4723
    sched.runq.push(next);                              // proc.go:4724  globrunqputhead(pp.runnext)
    sched.runqsize++;
    pp->runnext.store(nullptr);  // proc.go:4725
  }
  if (pp->ntimers > 0) {                          // proc.go:4727
    p* plocal = getm()->p_.load();                // proc.go:4728
    lock(&plocal->timersLock);                    // proc.go:4733
    lock(&pp->timersLock);                        // proc.go:4734
    moveTimers(plocal, pp->timers, pp->ntimers);  // proc.go:4735
    pp->ntimers = 0;                              // proc.go:4736  pp.timers = nil
    pp->numTimers.store(0);                       // proc.go:4737
    pp->deletedTimers.store(0);                   // proc.go:4738
    pp->timer0When.store(0);                      // proc.go:4739
    unlock(&pp->timersLock);                      // proc.go:4740
    unlock(&plocal->timersLock);                  // proc.go:4741
  }
  // proc.go:4768  gfpurge: its dead gs to the global free list.
  while (g* gp = pp->gFree.list.pop()) {
    sched.gFree.stack.push(gp);
    sched.gFree.n++;
  }
  pp->gFree.n = 0;
  pp->status.store(Pdead);  // proc.go:4790
}

namespace {

// proc.go:4801  Make nprocs Ps, with the world stopped (here: before any M
// but this one runs): new ones initialized, surplus ones destroyed, this M
// holding allp[0] (or its own P).  Returns the Ps that have work, linked;
// the rest go on the idle list.  sched.lock held.
p* procresize(int32_t nprocs) {
  int32_t old = gomaxprocs;                                       // proc.go:4805
  if (old < 0 || nprocs <= 0) throw_("procresize: invalid arg");  // proc.go:4806-4808
  int64_t now = nanotime();                                       // proc.go:4814
  for (int32_t i = old; i < nprocs; i++) {                        // proc.go:4854
    p* pp = allp[i];                                              // proc.go:4855
    if (pp == nullptr) pp = new (&pstore[i]) p();                 // proc.go:4856-4858
    pp->init(i);                                                  // proc.go:4859
    allp[i] = pp;                                                 // proc.go:4860
  }
  m* mp = getm();
  if (mp->p_.load() != nullptr && mp->p_.load()->id < nprocs) {  // proc.go:4864
    mp->p_.load()->status.store(Prunning);                       // proc.go:4866
  } else {
    if (mp->p_.load() != nullptr) mp->p_.load()->m_.store(nullptr);  // proc.go:4874-4883
    mp->p_.store(nullptr);                                           // proc.go:4884
    p* pp = allp[0];                                                 // proc.go:4885
    pp->m_.store(nullptr);                                           // proc.go:4886
    pp->status.store(Pidle);                                         // proc.go:4887
    acquirep(pp);                                                    // proc.go:4888
  }
  for (int32_t i = nprocs; i < old; i++) allp[i]->destroy();  // proc.go:4898-4902
  p* runnablePs = nullptr;                                    // proc.go:4913
  for (int32_t i = nprocs - 1; i >= 0; i--) {                 // proc.go:4914
    p* pp = allp[i];                                          // proc.go:4915
    if (mp->p_.load() == pp) continue;                        // proc.go:4916-4918
    pp->status.store(Pidle);                                  // proc.go:4919
    if (runqempty(pp)) {                                      // proc.go:4920
      pidleput(pp, now);                                      // proc.go:4921
    } else {
      pp->m_.store(mget());   // proc.go:4923
      pp->link = runnablePs;  // proc.go:4924
      runnablePs = pp;        // proc.go:4925
    }
  }
  reset(&stealOrder, static_cast<uint32_t>(nprocs));  // proc.go:4928
  gomaxprocs = nprocs;                                // proc.go:4930
  return runnablePs;                                  // proc.go:4935
}
}  // namespace

// proc.go:4944  This M takes pp.  Go's acquirep adds mcache work to wirep.
void acquirep(p* pp) {
  m* mp = getm();
  if (mp->p_.load() != nullptr) throw_("wirep: already in go");  // proc.go:4968-4970
  if (pp->m_.load() != nullptr || pp->status.load() != Pidle) {  // proc.go:4971
    print("wirep: p->m=%p p->status=%u\n", static_cast<void*>(pp->m_.load()),
          pp->status.load());          // proc.go:4976
    throw_("wirep: invalid p state");  // proc.go:4977
  }
  mp->p_.store(pp);            // proc.go:4979
  pp->m_.store(mp);            // proc.go:4980
  pp->status.store(Prunning);  // proc.go:4981
  if (trace.enabled) traceProcStart();  // proc.go:4954-4956
}

// proc.go:4985  This M lets its P go; returns it.
p* releasep() {
  m* mp = getm();
  p* pp = mp->p_.load();                                       // proc.go:4991
  if (pp == nullptr) throw_("releasep: invalid arg");          // proc.go:4988-4990
  if (pp->m_.load() != mp || pp->status.load() != Prunning) {  // proc.go:4992
    print("releasep: m=%p m->p=%p p->m=%p p->status=%u\n", static_cast<void*>(mp),
          static_cast<void*>(pp), static_cast<void*>(pp->m_.load()),
          pp->status.load());             // proc.go:4993
    throw_("releasep: invalid p state");  // proc.go:4994
  }
  if (trace.enabled) traceProcStop(pp);  // proc.go:4996-4998
  mp->p_.store(nullptr);    // proc.go:4999
  pp->m_.store(nullptr);    // proc.go:5000
  pp->status.store(Pidle);  // proc.go:5001
  return pp;                // proc.go:5002
}

namespace {

// proc.go:5134  The system monitor, on an M of its own with no P: every 20
// µs, backing off to 10 ms, it polls the network if nobody has for 10 ms,
// so that goroutines ready on the network are not left waiting while every
// M is busy.  When every P is idle it sleeps until the next timer instead.
// Left out, as this runtime has no use for them: retake (handing off the
// P of a long system call, preempting a goroutine that has run 10 ms),
// the forced GC, the scavenger, schedtrace, and the deadlock check.
void sysmon() {
  int64_t lasttrace = 0;                       // proc.go:5140
  int idle = 0;                                // proc.go:5141  rounds in a row that woke nobody
  uint32_t delay = 0;                          // proc.go:5142
  for (;;) {                                   // proc.go:5144
    if (idle == 0)                             // proc.go:5145
      delay = 20;                              // proc.go:5146  20 µs at first
    else if (idle > 50)                        // proc.go:5147
      delay *= 2;                              // proc.go:5148  doubling after 1 ms
    if (delay > 10 * 1000) delay = 10 * 1000;  // proc.go:5150-5152  up to 10 ms
    usleep(delay);                             // proc.go:5153
    if (sched.done.load()) return;             // not in Go: the run is over
    int64_t now = nanotime();                  // proc.go:5170
    // proc.go:5171  Every P idle: sleep until the next timer, or until
    // the run ends (goexit0).  Go's sysmon is also woken when a goroutine
    // comes back from a system call and when the world restarts after a
    // stop (exitsyscall, startTheWorldWithSema); neither
    // happens here.  A P that starts for I/O (netpoll) wakes it in
    // neither runtime: it sleeps on to the timer.
    // GODEBUG=schedtrace keeps it out of the deep sleep, so that it prints
    // on time.  (No GC here: Go's sched.gcwaiting is always 0.)
    if (debug.schedtrace <= 0 && sched.npidle.load() == static_cast<uint32_t>(gomaxprocs)) {
      lock(&sched.lock);                                               // proc.go:5172
      if (sched.npidle.load() == static_cast<uint32_t>(gomaxprocs)) {  // proc.go:5173
        bool syscallWake = false;                                      // proc.go:5174
        int64_t next = timeSleepUntil();                               // proc.go:5175
        if (next > now) {                                              // proc.go:5176
          sched.sysmonwait.store(1);                                   // proc.go:5177
          unlock(&sched.lock);                                         // proc.go:5178
          int64_t sleep = int64_t{60} * 1000 * 1000 * 1000;  // proc.go:5181  forcegcperiod / 2
          if (next - now < sleep) sleep = next - now;        // proc.go:5182-5184
          if (!sched.done.load())
            syscallWake = notetsleep(&sched.sysmonnote, sleep);  // proc.go:5189
          lock(&sched.lock);                                     // proc.go:5193
          sched.sysmonwait.store(0);                             // proc.go:5194
          noteclear(&sched.sysmonnote);                          // proc.go:5195
        }
        if (syscallWake) {  // proc.go:5197
          idle = 0;         // proc.go:5198
          delay = 20;       // proc.go:5199
        }
      }
      unlock(&sched.lock);  // proc.go:5202
    }
    lock(&sched.sysmonlock);  // proc.go:5205
    now = nanotime();         // proc.go:5208
    // Poll the network if nobody has for more than 10 ms.
    int64_t lastpoll = sched.lastpoll.load();                                     // proc.go:5215
    if (netpollinited() && lastpoll != 0 && lastpoll + 10 * 1000 * 1000 < now) {  // proc.go:5216
      sched.lastpoll.compare_exchange_strong(lastpoll,
                                             now);  // proc.go:5217  result unused, as Go's
#if NETPOLL_GO >= 122
      int32_t delta = 0;  // go1.22 proc.go, sysmon
      gList list = netpoll(0, &delta);
#else
      gList list = netpoll(0);    // proc.go:5218  non-blocking
#endif
      if (!list.empty()) {  // proc.go:5219
        // proc.go:5227, :5229 left out: incidlelocked, for checkdead.
        injectglist(&list);  // proc.go:5228
#if NETPOLL_GO >= 122
        netpollAdjustWaiters(delta);  // go1.22 proc.go, sysmon
#endif
        if (netpolltrace) traceNetpoll(false, 0);  // ours: the poll is over
      }
    }
    idle++;  // proc.go:5261  retake found nothing: it is not rebuilt
    // proc.go:5264-5271 left out: the forced GC.
    if (debug.schedtrace > 0 && lasttrace + int64_t{debug.schedtrace} * 1000000 <= now) {  // proc.go:5272
      lasttrace = now;                                                                      // proc.go:5273
      schedtrace(debug.scheddetail > 0);                                                    // proc.go:5274
    }
    unlock(&sched.sysmonlock);  // proc.go:5276
  }
}

// sysmon's mstartfn: it runs on the M until the run ends.
void sysmonfn() { sysmon(); }

int64_t starttime;  // proc.go:5415

// proc.go:5417  GODEBUG=schedtrace's line, in Go's words and order, and
// with scheddetail a line per P, per M and per G.  Like Go's, it holds
// sched.lock but reads the Ms', Ps' and Gs' fields as they change (hence
// TSan is told to look away).  What this runtime does not have (a GC, locked
// threads, system calls that give up a P, the allocator) prints as Go
// prints it with none of them: 0, false, "", -1.
__attribute__((no_sanitize("thread"))) void schedtrace(bool detailed) {
  int64_t now = nanotime();  // proc.go:5418
  if (starttime == 0) {      // proc.go:5419
    starttime = now;         // proc.go:5420
  }
  lock(&sched.lock);  // proc.go:5423
  print("SCHED %lldms: gomaxprocs=%d idleprocs=%u threads=%d spinningthreads=%u idlethreads=%d "
        "runqueue=%d",
        static_cast<long long>((now - starttime) / 1000000), gomaxprocs, sched.npidle.load(),
        mcount(), sched.nmspinning.load(), sched.nmidle, sched.runqsize.load());  // proc.go:5424
  if (detailed) {                                                              // proc.go:5425
    print(" gcwaiting=0 nmidlelocked=0 stopwait=0 sysmonwait=%u\n", sched.sysmonwait.load());  // proc.go:5426
  }
  for (int32_t i = 0; i < gomaxprocs; i++) {  // proc.go:5431
    p* pp = allp[i];
    m* mp = pp->m_.load();               // proc.go:5432
    uint32_t h = pp->runqhead.load();    // proc.go:5433
    uint32_t t = pp->runqtail.load();    // proc.go:5434
    if (detailed) {                      // proc.go:5435
      int64_t id = mp != nullptr ? mp->id : -1;  // proc.go:5436-5439
      print("  P%d: status=%u schedtick=%u syscalltick=0 m=%lld runqsize=%u gfreecnt=%d timerslen=%d\n",
            i, pp->status.load(), pp->schedtick, static_cast<long long>(id), t - h, pp->gFree.n,
            pp->ntimers);  // proc.go:5440
    } else {
      print(" ");                          // proc.go:5444
      if (i == 0) print("[");              // proc.go:5445-5447
      print("%u", t - h);                  // proc.go:5448
      if (i == gomaxprocs - 1) print("]\n");  // proc.go:5449-5451
    }
  }
  if (!detailed) {          // proc.go:5455
    unlock(&sched.lock);    // proc.go:5456
    return;                 // proc.go:5457
  }
  for (m* mp = allm; mp != nullptr; mp = mp->alllink) {  // proc.go:5460
    p* pp = mp->p_.load();                                // proc.go:5461
    g* gp = mp->curg;                                     // proc.go:5462
    int32_t id1 = pp != nullptr ? pp->id : -1;            // proc.go:5464-5467
    int64_t id2 = gp != nullptr ? gp->goid : -1;          // proc.go:5468-5471
    print("  M%lld: p=%d curg=%lld mallocing=0 throwing=%d preemptoff= locks=0 dying=%d "
          "spinning=%s blocked=%s lockedg=-1\n",
          static_cast<long long>(mp->id), id1, static_cast<long long>(id2),
          static_cast<int>(mp->throwing), mp->dying, mp->spinning ? "true" : "false",
          mp->blocked.load() ? "true" : "false");  // proc.go:5476
  }
  for (g* gp = __atomic_load_n(&allg_head, __ATOMIC_ACQUIRE); gp != nullptr;
       gp = __atomic_load_n(&gp->alllink, __ATOMIC_ACQUIRE)) {  // proc.go:5479  forEachG
    m* mp = gp->mp;                                               // proc.go:5480
    int64_t id1 = mp != nullptr ? mp->id : -1;                    // proc.go:5482-5485
    print("  G%lld: status=%u(%s) m=%lld lockedm=-1\n", static_cast<long long>(gp->goid),
          gp->atomicstatus.load(), waitReasonString(gp->waitreason),
          static_cast<long long>(id1));  // proc.go:5490
  }
  unlock(&sched.lock);  // proc.go:5492
}

// proc.go:5538  Put mp on the idle list; sched.lock held.
void mput(m* mp) {
  mp->schedlink = sched.midle;  // proc.go:5541
  sched.midle = mp;             // proc.go:5542
  sched.nmidle++;               // proc.go:5543
  // proc.go:5544 left out: checkdead, the deadlock detector.
}

// proc.go:5552  An idle M, or nullptr; sched.lock held.
m* mget() {
  m* mp = sched.midle;            // proc.go:5555
  if (mp != nullptr) {            // proc.go:5556
    sched.midle = mp->schedlink;  // proc.go:5557
    sched.nmidle--;               // proc.go:5558
  }
  return mp;  // proc.go:5560
}
}  // namespace

// proc.go:5568  Put gp at the back of the global run queue; sched.lock held.
void globrunqput(g* gp) {
  sched.runq.pushBack(gp);  // proc.go:5571
  sched.runqsize++;         // proc.go:5572
}

// proc.go:5593  Put a batch of n gs on the global queue; sched.lock held.
void globrunqputbatch(gQueue* batch, int32_t n) {
  sched.runq.pushBackAll(*batch);  // proc.go:5596
  sched.runqsize += n;             // proc.go:5597
  *batch = gQueue{};               // proc.go:5598
}

// proc.go:5603  Take a batch from the global queue, a fair share of it
// (at most max, if max > 0): the first to run, the rest into pp's local
// queue.  sched.lock held.
g* globrunqget(p* pp, int32_t max) {
  if (sched.runqsize == 0) return nullptr;      // proc.go:5606-5608
  int32_t n = sched.runqsize / gomaxprocs + 1;  // proc.go:5610
  if (n > sched.runqsize) n = sched.runqsize;   // proc.go:5611-5613
  if (max > 0 && n > max) n = max;              // proc.go:5614-5616
  if (n > 256 / 2) n = 256 / 2;                 // proc.go:5617-5619
  sched.runqsize -= n;                          // proc.go:5621
  g* gp = sched.runq.pop();                     // proc.go:5623
  n--;                                          // proc.go:5624
  for (; n > 0; n--) {                          // proc.go:5625
    g* gp1 = sched.runq.pop();                  // proc.go:5626
    runqput(pp, gp1, false);                    // proc.go:5627
  }
  return gp;  // proc.go:5629
}

// proc.go:5681  pp has no timers any more: clear its bit.
void updateTimerPMask(p* pp) {
  if (pp->numTimers.load() > 0) return;                     // proc.go:5682-5684
  lock(&pp->timersLock);                                    // proc.go:5689
  if (pp->numTimers.load() == 0) timerpMask.clear(pp->id);  // proc.go:5690-5692
  unlock(&pp->timersLock);                                  // proc.go:5693
}

// proc.go:5707  Put pp, whose queue is empty, on the idle list; sched.lock
// held.  Returns now (nanotime if now was 0).
int64_t pidleput(p* pp, int64_t now) {
  if (!runqempty(pp)) throw_("pidleput: P has non-empty run queue");  // proc.go:5710-5712
  if (now == 0) now = nanotime();                                     // proc.go:5713-5715
  updateTimerPMask(pp);                                               // proc.go:5716
  idlepMask.set(pp->id);                                              // proc.go:5717
  pp->link = sched.pidle;                                             // proc.go:5718
  sched.pidle = pp;                                                   // proc.go:5719
  sched.npidle.fetch_add(1);                                          // proc.go:5720
  return now;                                                         // proc.go:5724
}

// proc.go:5734  An idle P, or nullptr; sched.lock held.
p* pidleget(int64_t now, int64_t* rnow) {
  p* pp = sched.pidle;               // proc.go:5737
  if (pp != nullptr) {               // proc.go:5738
    if (now == 0) now = nanotime();  // proc.go:5740-5742
    timerpMask.set(pp->id);          // proc.go:5743  it may get timers now
    idlepMask.clear(pp->id);         // proc.go:5744
    sched.pidle = pp->link;          // proc.go:5745
    sched.npidle.fetch_sub(1);       // proc.go:5746
  }
  if (rnow != nullptr) *rnow = now;
  return pp;  // proc.go:5749
}

// proc.go:5754  Whether pp has nothing to run; read without a lock.
bool runqempty(p* pp) {
  for (;;) {                              // proc.go:5759
    uint32_t head = pp->runqhead.load();  // proc.go:5760
    uint32_t tail = pp->runqtail.load();  // proc.go:5761
    g* runnext = pp->runnext.load();      // proc.go:5762
    if (tail == pp->runqtail.load())
      return head == tail && runnext == nullptr;  // proc.go:5763-5765
  }
}

// proc.go:5785  Put gp on pp's queue: in runnext if next (whatever was
// there goes to the queue), else at the tail; half the queue moves to the
// global one when it is full.  Only pp's owner calls it.
void runqput(p* pp, g* gp, bool next) {
  // proc.go:5786-5788 left out: with the race detector Go randomizes.
  if (next) {                                                  // proc.go:5790
    g* oldnext = pp->runnext.load();                           // proc.go:5792
    while (!pp->runnext.compare_exchange_weak(oldnext, gp)) {  // proc.go:5793-5795
    }
    if (oldnext == nullptr) return;  // proc.go:5796-5798
    gp = oldnext;                    // proc.go:5800  kick it out to the queue
  }
  for (;;) {                                                    // proc.go:5803  retry
    uint32_t h = pp->runqhead.load(std::memory_order_acquire);  // proc.go:5804
    uint32_t t = pp->runqtail.load(std::memory_order_relaxed);  // proc.go:5805
    if (t - h < 256) {                                          // proc.go:5806
      pp->runq[t % 256].store(gp, std::memory_order_relaxed);   // proc.go:5807
      pp->runqtail.store(t + 1, std::memory_order_release);     // proc.go:5808
      return;                                                   // proc.go:5809
    }
    if (runqputslow(pp, gp, h, t)) return;  // proc.go:5811-5813
    // The queue is not full now: try again.
  }
}

// proc.go:5820  pp's queue is full: move half of it, and gp, to the
// global queue.
bool runqputslow(p* pp, g* gp, uint32_t h, uint32_t t) {
  g* batch[256 / 2 + 1];                                                 // proc.go:5821
  uint32_t n = t - h;                                                    // proc.go:5824
  n = n / 2;                                                             // proc.go:5825
  if (n != 256 / 2) throw_("runqputslow: queue is not full");            // proc.go:5826-5828
  for (uint32_t i = 0; i < n; i++)                                       // proc.go:5829
    batch[i] = pp->runq[(h + i) % 256].load(std::memory_order_relaxed);  // proc.go:5830
  if (!pp->runqhead.compare_exchange_strong(h, h + n, std::memory_order_release))  // proc.go:5832
    return false;                                                                  // proc.go:5833
  batch[n] = gp;                                                                   // proc.go:5835
  // proc.go:5837-5842 left out: randomizing, for the race detector.
  for (uint32_t i = 0; i < n; i++) batch[i]->schedlink = batch[i + 1];  // proc.go:5845-5847
  gQueue q;                                                             // proc.go:5848
  q.head = batch[0];                                                    // proc.go:5849
  q.tail = batch[n];                                                    // proc.go:5850
  lock(&sched.lock);                                                    // proc.go:5853
  globrunqputbatch(&q, static_cast<int32_t>(n + 1));                    // proc.go:5854
  unlock(&sched.lock);                                                  // proc.go:5855
  return true;                                                          // proc.go:5856
}

// proc.go:5863  Put the gs of q on pp's queue, the overflow on the global
// one.  Only pp's owner calls it.
void runqputbatch(p* pp, gQueue* q, int qsize) {
  uint32_t h = pp->runqhead.load(std::memory_order_acquire);  // proc.go:5864
  uint32_t t = pp->runqtail.load(std::memory_order_relaxed);  // proc.go:5865
  uint32_t n = 0;                                             // proc.go:5866
  while (!q->empty() && t - h < 256) {                        // proc.go:5867
    g* gp = q->pop();                                         // proc.go:5868
    pp->runq[t % 256].store(gp, std::memory_order_relaxed);   // proc.go:5869
    t++;                                                      // proc.go:5870
    n++;                                                      // proc.go:5871
  }
  qsize -= static_cast<int>(n);  // proc.go:5873
  // proc.go:5875-5883 left out: randomizing, for the race detector.
  pp->runqtail.store(t, std::memory_order_release);  // proc.go:5885
  if (!q->empty()) {                                 // proc.go:5886
    lock(&sched.lock);                               // proc.go:5887
    globrunqputbatch(q, qsize);                      // proc.go:5888
    unlock(&sched.lock);                             // proc.go:5889
  }
}

// proc.go:5897  The next g of pp's: runnext first (*inheritTime: it runs in
// the current time slice), then the head of the queue.
g* runqget(p* pp, bool* inheritTime) {
  g* next = pp->runnext.load();  // proc.go:5899
  // Only this P sets runnext; others may only clear it: no retry.
  if (next != nullptr && pp->runnext.compare_exchange_strong(next, nullptr)) {  // proc.go:5903
    *inheritTime = true;                                                        // proc.go:5904
    return next;
  }
  for (;;) {                                                    // proc.go:5907
    uint32_t h = pp->runqhead.load(std::memory_order_acquire);  // proc.go:5908
    uint32_t t = pp->runqtail.load(std::memory_order_relaxed);  // proc.go:5909
    if (t == h) {                                               // proc.go:5910
      *inheritTime = false;                                     // proc.go:5911
      return nullptr;
    }
    g* gp = pp->runq[h % 256].load(std::memory_order_relaxed);  // proc.go:5913
    if (pp->runqhead.compare_exchange_strong(h, h + 1,
                                             std::memory_order_release)) {  // proc.go:5914
      *inheritTime = false;                                                 // proc.go:5915
      return gp;
    }
  }
}

// proc.go:5963  Take half of pp's queue (or, if it is empty and
// stealRunNextG, its runnext) into batch from batchHead; returns how many.
uint32_t runqgrab(p* pp, std::atomic<g*>* batch, uint32_t batchHead, bool stealRunNextG) {
  for (;;) {                                                    // proc.go:5964
    uint32_t h = pp->runqhead.load(std::memory_order_acquire);  // proc.go:5965
    uint32_t t = pp->runqtail.load(std::memory_order_acquire);  // proc.go:5966
    uint32_t n = t - h;                                         // proc.go:5967
    n = n - n / 2;                                              // proc.go:5968
    if (n == 0) {                                               // proc.go:5969
      if (stealRunNextG) {                                      // proc.go:5970
        if (g* next = pp->runnext.load(); next != nullptr) {    // proc.go:5972
          // proc.go:5973-5992  pp is running and may be about to run its
          // runnext; give it 3 µs first.
          if (pp->status.load() == Prunning) usleep(3);
          if (!pp->runnext.compare_exchange_strong(next, nullptr)) continue;  // proc.go:5993-5995
          batch[batchHead % 256].store(next, std::memory_order_relaxed);      // proc.go:5996
          return 1;                                                           // proc.go:5997
        }
      }
      return 0;  // proc.go:6000
    }
    if (n > 256 / 2) continue;          // proc.go:6002-6004  h and t read apart
    for (uint32_t i = 0; i < n; i++) {  // proc.go:6005
      g* x = pp->runq[(h + i) % 256].load(std::memory_order_relaxed);    // proc.go:6006
      batch[(batchHead + i) % 256].store(x, std::memory_order_relaxed);  // proc.go:6007
    }
    if (pp->runqhead.compare_exchange_strong(h, h + n, std::memory_order_release))  // proc.go:6009
      return n;                                                                     // proc.go:6010
  }
}

// proc.go:6018  Steal half of p2's gs into pp's queue; return one to run.
g* runqsteal(p* pp, p* p2, bool stealRunNextG) {
  uint32_t t = pp->runqtail.load(std::memory_order_relaxed);        // proc.go:6019
  uint32_t n = runqgrab(p2, pp->runq, t, stealRunNextG);            // proc.go:6020
  if (n == 0) return nullptr;                                       // proc.go:6021-6023
  n--;                                                              // proc.go:6024
  g* gp = pp->runq[(t + n) % 256].load(std::memory_order_relaxed);  // proc.go:6025
  if (n == 0) return gp;                                            // proc.go:6026-6028
  uint32_t h = pp->runqhead.load(std::memory_order_acquire);        // proc.go:6029
  if (t - h + n >= 256) throw_("runqsteal: runq overflow");         // proc.go:6030-6032
  pp->runqtail.store(t + n, std::memory_order_release);             // proc.go:6033
  return gp;                                                        // proc.go:6034
}

namespace {

// proc.go:6234
void reset(randomOrder* ord, uint32_t count) {
  ord->count = count;                                             // proc.go:6235
  ord->ncoprimes = 0;                                             // proc.go:6236
  for (uint32_t i = 1; i <= count; i++)                           // proc.go:6237
    if (gcd(i, count) == 1) ord->coprimes[ord->ncoprimes++] = i;  // proc.go:6238-6240
}

// proc.go:6244
randomEnum start(const randomOrder* ord, uint32_t i) {
  return randomEnum{0, ord->count, i % ord->count,                    // proc.go:6245-6247
                    ord->coprimes[i / ord->count % ord->ncoprimes]};  // proc.go:6248
}

uint32_t gcd(uint32_t a, uint32_t b) {  // proc.go:6265
  while (b != 0) {                      // proc.go:6266
    uint32_t t = a % b;                 // proc.go:6267  a, b = b, a%b
    a = b;
    b = t;
  }
  return a;  // proc.go:6269
}
}  // namespace

// Not in Go: run fn(arg) as the main goroutine on nprocs Ps (NETPOLL_PROCS,
// else the number of CPUs, as GOMAXPROCS defaults), and return when it
// returns, with the number of goroutines still alive.  The calling thread
// is m0.  Between runs the Ps, their timers and any goroutines left
// runnable stay; the Ms are stopped and joined.
int32_t run(void (*fn)(void*), void* arg, int32_t nprocs) {
  if (tls_m != nullptr) throw_("runtime: run called from a goroutine");
  if (nprocs <= 0) {
    // proc.go:719  GOMAXPROCS from the environment when it is a positive number
    const char* env = std::getenv("NETPOLL_PROCS");
    nprocs = env ? std::atoi(env) : 0;
    if (nprocs <= 0) {
      // proc.go:718  procs := ncpu, which getproccount (os_linux.go) counts
      // from the affinity mask, as here.
      cpu_set_t set;
      nprocs = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
    }
  }
  if (nprocs > 256) nprocs = 256;  // allp's room
  // schedinit (proc.go:658), again for every run.
  parsedebugvars();  // proc.go:713  GOTRACEBACK
  sched.done = false;
  sched.maxmcount = kMaxM;  // proc.go:686
  sched.mnext = 1;          // m0 is Ms[0]
  sched.midle = nullptr;
  sched.nmidle = 0;
  sched.nmspinning.store(0);
  sched.sysmonwait.store(0);
  noteclear(&sched.sysmonnote);
  allm = nullptr;
  sched.lastpoll.store(nanotime());  // proc.go:717  "not polling"
  sched.pollUntil.store(0);
  m* m0 = allocm(nullptr, nullptr, 0);
  m0->thread = static_cast<uintptr_t>(pthread_self());  // for gdb (newosproc sets the others')
  g0stack(m0);  // now, while no other thread of the run opens a descriptor
  tls_m = m0;
  sigsave(&m0->sigmask);       // proc.go:703
  initSigmask = m0->sigmask;   // proc.go:704
  lock(&sched.lock);
  // The Ps are made anew each run: whatever the last run left idle or
  // holding joins the idle list again in procresize.
  sched.pidle = nullptr;
  sched.npidle.store(0);
  for (int32_t i = 0; i < gomaxprocs; i++) {
    allp[i]->m_.store(nullptr);
    allp[i]->status.store(Pidle);
    idlepMask.clear(i);
    timerpMask.set(i);
  }
  p* runnablePs = procresize(nprocs);  // proc.go:1273  startTheWorldWithSema
  unlock(&sched.lock);
  main_fn = fn;
  main_arg = arg;
  exectraceStart();  // not in Go: NETPOLL_EXECTRACE, the run traced from its first goroutine
  main_g = newproc1(main, nullptr, true, 0);  // the main goroutine: runtime.main
  runqput(m0->p_.load(), main_g, true);
  // Not in Go: Go's m0 installs the handlers in mstart1 (mstartm0)
  // while it is the only M.  Here the Ms below and wakep's may start, and
  // steal the main goroutine, before m0 reaches mstart: so m0 installs
  // them now, or a goroutine's first write to a closed socket could meet
  // the default SIGPIPE and end the process.
  mstartm0();
  // proc.go:1283-1298  startTheWorldWithSema: an M for every P with work.
  for (p* pp = runnablePs; pp != nullptr;) {
    p* next = pp->link;
    pp->m_.store(nullptr);
    lock(&sched.lock);
    int64_t id = sched.mnext++;
    unlock(&sched.lock);
    newm(nullptr, pp, id);
    pp = next;
  }
  wakep();  // proc.go:1309
  tls_m = nullptr;
  mstart(m0);  // m0 schedules here until the run is over
  mainStarted = false;
  // The calling thread is no M any more: its signal mask as it was, as
  // Go's dropm restores a C thread's (proc.go:2003).
  msigrestore(m0->sigmask);
  // Every M but m0 runs on a thread of its own; wait for them all,
  // including any started while the others were stopping.
  for (int64_t id = 1;; id++) {
    lock(&sched.lock);
    int64_t n = sched.mnext;
    unlock(&sched.lock);
    if (id >= n) break;
    pthread_join(static_cast<pthread_t>(mstore[id].thread), nullptr);
  }
  tls_m = m0;        // as the tracer's buffers are collected, on m0
  exectraceStop();   // not in Go: NETPOLL_EXECTRACE's trace, written out
  tls_m = nullptr;
  return sched.nlive.load();
}

}  // namespace runtime
