// proc.cpp - the smallest scheduler that is faithful where Go 1.19.8's
// runtime/proc.go meets the netpoller: goroutines (g) with their own stacks,
// OS threads (m) that run them, gopark and goready, one run queue, and
// findRunnable, which runs ready goroutines, then polls the network without
// blocking, then blocks in netpoll until the next timer.
//
// What Go does instead (see runtime2.h for the types): Ps with local run
// queues and work stealing, growable stacks, preemption, GC, sysmon, locked
// threads.  Our Ms are made with pthread_create (Go calls clone itself,
// os_linux.go's newosproc): sanitizers must know every thread.  An M with
// nothing to do sleeps on its note (stopm) unless it becomes the poller.
#include <pthread.h>

#include <cstdlib>
#include <new>

#include "runtime/netpoll.h"
#include "runtime/runtime.h"

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

namespace {

// Go starts a stack at 2 KiB (_StackMin) and grows it; ours is fixed.
constexpr uintptr_t kStackSize = 256 << 10;
// stack.go:101  Go's _StackGuard is 928 bytes above the bottom: the room a
// NOSPLIT chain may use.  Ours must also hold whatever libc uses below the
// last checked frame (printf's buffers, say), and print and throw.
constexpr uintptr_t StackGuard_ = 32 << 10;
constexpr int kMaxM = 64;

thread_local m* tls_m;  // Go keeps g in TLS and in R14; we keep the M, whose curg is g

m allm[kMaxM];  // Go allocates Ms (allocm); we need few and keep them here
g* main_g;
mutex allglock;

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

// stubs.go:40  mcall: from the running g to its M's g0, which then calls
// fn(g) (in execute, below).  Returns when the g is next run, possibly on
// another M: after it, nothing about the M may be assumed.
void mcall(g* (*fn)(g*)) {
  g* gp = getg();
  m* mp = getm();
  mp->mcallfn = fn;
  void* fake = nullptr;
  sanitizer_before_switch(&fake, nullptr, mp);
  gosave_gogo(&gp->sched, &mp->g0sched);
  sanitizer_after_switch(fake);
}

void dropg(m* mp) {  // proc.go:3262
  mp->curg->mp = nullptr;
  mp->curg = nullptr;
}

// proc.go:5538  mput: put mp on the idle list; sched.lock held.
void mput(m* mp) {
  mp->schedlink = sched.midle;
  sched.midle = mp;
  sched.nmidle++;
}

// proc.go:5552  mget: an idle M, or nullptr; sched.lock held.
m* mget() {
  m* mp = sched.midle;
  if (mp) {
    sched.midle = mp->schedlink;
    sched.nmidle--;
  }
  return mp;
}

// proc.go:2231  Sleep until there is work: on the idle list, on our note.
void stopm(m* mp) {
  lock(&sched.lock);  // proc.go:2244
  // Go's findRunnable checks the run queue under this same lock before it
  // gives up its P; without Ps we check here, so a ready() that raced with
  // us is not lost: it either sees us idle or we see its g.
  // Likewise a timer added while no M polls: its wakeNetPoller found no
  // one to wake, so we go and become the poller instead of sleeping.
  if (sched.runqsize != 0 || sched.done || (nextTimerWhen() != 0 && sched.lastpoll.load() != 0)) {
    unlock(&sched.lock);
    return;
  }
  noteclear(&mp->park);
  mput(mp);              // proc.go:2245
  unlock(&sched.lock);   // proc.go:2246
  notesleep(&mp->park);  // proc.go:2247  mPark
}

// proc.go:2422 and startm (proc.go:2269), simplified: wake an idle M to run
// new work; if none is idle but one is blocked in netpoll, break it out
// (Go would start another M on an idle P; with a fixed set of Ms the
// poller is the one that can come and help).
void wakep() {
  lock(&sched.lock);
  m* mp = mget();
  unlock(&sched.lock);
  if (mp)
    notewakeup(&mp->park);
  else if (sched.lastpoll.load() == 0)
    netpollBreak();
}

// proc.go:5568  Put gp at the back of the global run queue; sched.lock held.
void globrunqput(g* gp) {
  sched.runq.pushBack(gp);
  sched.runqsize++;
}
// proc.go:5603  The g at the front of the global queue; sched.lock held.
// Go's takes a batch for the P's local queue; without Ps, one g.
g* globrunqget() {
  if (sched.runqsize == 0) return nullptr;
  sched.runqsize--;
  return sched.runq.pop();
}

// proc.go:843  Make a waiting g runnable and wake someone to run it.
void ready(g* gp) {
  if (gp->atomicstatus.load() != Gwaiting) throw_("bad g->status in ready");  // proc.go:853-856
  casgstatus(gp, Gwaiting, Grunnable);                                        // proc.go:859
  // proc.go:860  Differs from Go.  Go's runqput(p, gp, next=true) puts gp
  // in its P's runnext slot, so it runs next, ahead of everything already
  // queued (goready always passes next=true).  We have no P and no runnext:
  // gp goes to the back of the one global queue and runs after every g
  // already in it.
  lock(&sched.lock);
  globrunqput(gp);
  unlock(&sched.lock);
  wakep();  // proc.go:861
}

// proc.go:3341  On g0 after gp called gopark: gp is waiting; run the
// commit function, and if it says no, run gp again straight away.
g* park_m(g* gp) {
  m* mp = getm();
  casgstatus(gp, Grunning, Gwaiting);       // proc.go:3348
  dropg(mp);                                // proc.go:3349
  if (auto fn = mp->waitunlockf) {          // proc.go:3351
    bool ok = fn(gp, mp->waitlock);         // proc.go:3352
    mp->waitunlockf = nullptr;              // proc.go:3353
    mp->waitlock = nullptr;                 // proc.go:3354
    if (!ok) {                              // proc.go:3355
      casgstatus(gp, Gwaiting, Grunnable);  // proc.go:3359
      return gp;                            // proc.go:3360  execute(gp, true)
    }
  }
  return nullptr;  // proc.go:3363  schedule()
}

// proc.go:4284  A dead g from the free list, stack and all, or nullptr.
// (Go keeps a list per P and moves batches to and from sched.gFree.)
g* gfget() {
  lock(&sched.lock);
  g* gp = sched.gFree.pop();
  unlock(&sched.lock);
  return gp;
}
// proc.go:4241  Put a dead g on the free list.  Every stack here is the
// same size, so none is freed.
void gfput(g* gp) {
  lock(&sched.lock);
  sched.gFree.push(gp);
  unlock(&sched.lock);
}

// proc.go:3480  On g0 after gp returned from its function.
g* goexit0(g* gp) {
  m* mp = getm();
  casgstatus(gp, Grunning, Gdead);    // proc.go:3484
  gp->waitreason = waitReason::zero;  // proc.go:3498
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
    // process ends.
    // We stop the Ms instead and let run() return.
    lock(&sched.lock);
    sched.done = true;
    m* idle;
    while ((idle = mget()) != nullptr) notewakeup(&idle->park);
    unlock(&sched.lock);
    if (sched.lastpoll.load() == 0) netpollBreak();
  } else {
    sched.ngsys.fetch_sub(1);
  }
  gfput(gp);  // proc.go:3524
  return nullptr;
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
  lock(&allglock);  // as allgadd does: every g, for tracebacks and gdb
  gp->alllink = allg_head;
  allg_head = gp;
  unlock(&allglock);
  return gp;
}

}  // namespace

// A new g begins here, called by asm gostart, and returns into goexit.
extern "C" void goroutine_start(g* gp) {
  sanitizer_after_switch(nullptr);
  gp->fn(gp->arg);
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

// proc.go:963  Go spins while a GC scan holds the g; with no GC here a
// mismatch is always a bug.
void casgstatus(g* gp, uint32_t oldval, uint32_t newval) {
  uint32_t expected = oldval;
  if (!gp->atomicstatus.compare_exchange_strong(expected, newval)) {
    print("runtime: casgstatus: oldval=%u newval=%u status=%u\n", oldval, newval, expected);
    throw_("casgstatus: bad incoming values");
  }
}

// proc.go:346  Park the running g.  On g0, unlockf(gp, lock) decides: true
// keeps it parked until goready; false runs it again at once.
void gopark(bool (*unlockf)(g*, void*), void* lock_, waitReason reason) {
  m* mp = getm();
  g* gp = mp->curg;                                                         // proc.go:351
  if (gp->atomicstatus.load() != Grunning) throw_("gopark: bad g status");  // proc.go:352-355
  mp->waitlock = lock_;                                                     // proc.go:356
  mp->waitunlockf = unlockf;                                                // proc.go:357
  gp->waitreason = reason;                                                  // proc.go:358
  mcall(park_m);                                                            // proc.go:363
}

// proc.go:3335  gopark's commit for goparkunlock: the g is saved, so the
// lock it held can go.
bool parkunlock_c(g*, void* lock_) {
  unlock(static_cast<mutex*>(lock_));  // proc.go:3336
  return true;                         // proc.go:3337
}

// proc.go:368  Park, releasing lock once the g is safely parked.
void goparkunlock(mutex* lock_, waitReason reason) {
  gopark(parkunlock_c, lock_, reason);  // proc.go:369
}

// proc.go:3366  goschedImpl, on g0: back of the run queue.
g* gosched_m(g* gp) {
  casgstatus(gp, Grunning, Grunnable);  // proc.go:3372
  dropg(getm());                        // proc.go:3373
  lock(&sched.lock);                    // proc.go:3374
  globrunqput(gp);                      // proc.go:3375
  unlock(&sched.lock);                  // proc.go:3376
  return nullptr;                       // proc.go:3378  schedule()
}

// proc.go:316  Let other goroutines run; this one stays runnable.
void Gosched() { mcall(gosched_m); }  // proc.go:318

// proc.go:372
void goready(g* gp) { ready(gp); }  // proc.go:374

// proc.go:4112  newproc1: a runnable g that will call fn(arg).  Its stack
// is built so that the first gogo "returns" into gostart, which jumps to
// goroutine_start with goexit+1 as the return address: Go's gostartcall
// (sys_x86.go:16) does the same.
g* newproc1(void (*fn)(void*), void* arg, bool is_main) {
  g* newg = is_main ? nullptr : gfget();  // proc.go:4121
  if (newg == nullptr) newg = malg();     // proc.go:4122-4125
  newg->fn = fn;
  newg->arg = arg;
  newg->goid = static_cast<int64_t>(++sched.goidgen);  // proc.go:4187  (Go hands out batches per P)
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
  *--sp = reinterpret_cast<uintptr_t>(goexit) + 1;       // goroutine_start's return address
  *--sp = reinterpret_cast<uintptr_t>(gostart);          // where gosave_gogo's ret lands
  *--sp = 0;                                             // rbp: no caller frame
  *--sp = 0;                                             // rbx
  *--sp = reinterpret_cast<uintptr_t>(goroutine_start);  // r12
  *--sp = reinterpret_cast<uintptr_t>(newg);             // r13
  *--sp = 0;                                             // r14
  *--sp = 0;                                             // r15
  *--sp = uintptr_t{0x037f} << 32 | 0x1f80;              // x87 control word, MXCSR: the defaults
  newg->sched.sp = reinterpret_cast<uintptr_t>(sp);
  uint32_t st = newg->atomicstatus.load();
  casgstatus(newg, st, Grunnable);  // proc.go:4176  from Gidle or Gdead
  if (!is_main) sched.ngsys.fetch_add(1);
  return newg;
}

// proc.go:4094  Start fn(arg) in a new goroutine.
g* newproc(void (*fn)(void*), void* arg) {
  g* newg = newproc1(fn, arg, false);  // proc.go:4098
  // proc.go:4101  Differs from Go, as in ready: Go's runqput(p, newg,
  // next=true) makes the new g its P's runnext; ours joins the back of the
  // global queue.
  lock(&sched.lock);
  globrunqput(newg);
  unlock(&sched.lock);
  if (getm() != nullptr) wakep();  // proc.go:4103-4105  once the Ms run
  return newg;
}

// proc.go:3469  Called (by asm goexit) when a g's function returns.
extern "C" void goexit1() {
  mcall(goexit0);  // proc.go:3476
  throw_("goexit1: resumed a dead goroutine");
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
    wakep();  // proc.go:3092  no poller: wake an M to become one
  }
}

// proc.go:3121  Make every g in glist runnable and queue them, waking
// idle Ms to run them.
void injectglist(gList* glist) {
  if (glist->empty()) return;  // proc.go:3122-3124
  int n = 0;
  lock(&sched.lock);
  for (g* gp = glist->pop(); gp; gp = glist->pop()) {  // proc.go:3136
    casgstatus(gp, Gwaiting, Grunnable);               // proc.go:3139
    globrunqput(gp);                                   // proc.go:3157  globrunqputbatch
    n++;
  }
  m* wake[kMaxM];
  int nwake = 0;
  while (n-- > 0 && sched.midle) wake[nwake++] = mget();  // proc.go:3149-3151  startIdle
  unlock(&sched.lock);
  for (int i = 0; i < nwake; i++) notewakeup(&wake[i]->park);
}

namespace {

// proc.go:2561  Find a runnable g, blocking until there is one.  Returns
// nullptr once the main goroutine has finished.
g* findRunnable() {
  m* mp = getm();
top:  // proc.go:2568
  if (sched.done) return nullptr;
  int64_t now = nanotime();
  int64_t pollUntil = checkTimers(now);  // proc.go:2582  run due timers

  // Go's sysmon thread polls the network when no one has for 10 ms, so
  // goroutines ready on the network are not starved by ones that keep
  // yielding.  We have no sysmon; the M looking for work does it.
  int64_t lastpoll = sched.lastpoll.load();  // proc.go:5215
  if (netpollinited() && lastpoll != 0 &&
      lastpoll + 10 * 1000 * 1000 <
          now &&  // proc.go:5216
                  // proc.go:5217  Differs from Go.  Go's sysmon CASes sched.lastpoll,
                  // ignores whether the CAS won and always goes on to poll: there is
                  // one sysmon.  Here every M that looks for work runs these lines, so
                  // only the M whose CAS wins polls; the others would repeat its poll.
      sched.lastpoll.compare_exchange_strong(lastpoll, now)) {
    gList list = netpoll(0);  // proc.go:5218  non-blocking
    injectglist(&list);       // proc.go:5228
  }

  lock(&sched.lock);      // proc.go:2631  the global queue
  g* gp = globrunqget();  // proc.go:2632
  unlock(&sched.lock);    // proc.go:2633
  if (gp) return gp;      // proc.go:2634-2636

  // proc.go:2646  Poll the network without blocking, if anyone is waiting
  // on it and no other M is already blocked in it.
  if (netpollinited() && netpollWaiters.load() > 0 && sched.lastpoll.load() != 0) {
    gList list = netpoll(0);  // proc.go:2647
    if (!list.empty()) {
      gp = list.pop();                      // proc.go:2648
      injectglist(&list);                   // proc.go:2649
      casgstatus(gp, Gwaiting, Grunnable);  // proc.go:2650
      return gp;                            // proc.go:2654
    }
  }

  // proc.go:2816  Nothing to run: become the one M that blocks in netpoll,
  // until I/O is ready or the next timer is due.  lastpoll == 0 marks it.
  if (netpollinited() && (netpollWaiters.load() > 0 || pollUntil != 0) &&
      sched.lastpoll.exchange(0) != 0) {
    sched.pollUntil.store(pollUntil);  // proc.go:2817
    // Not in Go, whose idle Ps close these races: now that lastpoll == 0
    // tells ready() and wakeNetPoller to break us out, look once more for
    // work or a timer that arrived since we looked; else it could wait
    // for our next wake-up, or forever.
    lock(&sched.lock);
    bool work = sched.runqsize != 0 || sched.done;
    unlock(&sched.lock);
    if (work || nextTimerWhen() != pollUntil) {
      sched.pollUntil.store(0);
      sched.lastpoll.store(nanotime());
      goto top;
    }
    now = nanotime();            // proc.go:2825
    int64_t delay = -1;          // proc.go:2826
    if (pollUntil != 0) {        // proc.go:2827
      delay = pollUntil - now;   // proc.go:2828
      if (delay < 0) delay = 0;  // proc.go:2829-2831
    }
    gList list = netpoll(delay);            // proc.go:2837  block until new work is available
    sched.pollUntil.store(0);               // proc.go:2838
    sched.lastpoll.store(now);              // proc.go:2839
    if (!list.empty()) {                    // proc.go:2853
      gp = list.pop();                      // proc.go:2854
      injectglist(&list);                   // proc.go:2855
      casgstatus(gp, Gwaiting, Grunnable);  // proc.go:2856
      return gp;                            // proc.go:2860
    }
    goto top;                                                 // proc.go:2866
  } else if (pollUntil != 0 && netpollinited()) {             // proc.go:2868
    int64_t pollerPollUntil = sched.pollUntil.load();         // proc.go:2869
    if (pollerPollUntil == 0 || pollerPollUntil > pollUntil)  // proc.go:2870
      netpollBreak();                                         // proc.go:2871
  }
  stopm(mp);  // proc.go:2874
  goto top;   // proc.go:2875
}

// proc.go:2517  Run gp on this M until it comes back through mcall; then
// finish what it asked (park_m, goexit0), which may hand back a g to run
// at once.
void execute(g* gp) {
  while (gp) {
    m* mp = getm();
    mp->curg = gp;                        // proc.go:2529
    gp->mp = mp;                          // proc.go:2530
    casgstatus(gp, Grunnable, Grunning);  // proc.go:2531
    gogo(mp, gp);                         // proc.go:2554
    // Back on g0: mcall's second half.
    auto fn = mp->mcallfn;  // asm_amd64.s:447  Go loads fn into R12 (from the closure in DX)
    mp->mcallfn = nullptr;
    gp = fn(gp);  // asm_amd64.s:448  CALL R12: fn(g), on g0
  }
}

// proc.go:3185  One M's life: find a g, run it, repeat.
void schedule() {
  for (;;) {
    g* gp = findRunnable();  // proc.go:3214
    if (gp == nullptr) return;
    execute(gp);  // proc.go:3252
  }
}

// proc.go:1345  An M starts: remember the thread's own stack as g0, then
// schedule until there is nothing left to do.
void mstart(m* mp) {
  tls_m = mp;
  mp->thread = static_cast<uintptr_t>(pthread_self());  // lets gdb find an M's thread
#ifdef __SANITIZE_THREAD__
  mp->g0_tsan_fiber = __tsan_get_current_fiber();
#endif
#ifdef __SANITIZE_ADDRESS__
  // AddressSanitizer must be told the bounds of the stack it switches back
  // to; only it needs them, and finding them reads /proc through libc.
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* addr;
    size_t size;
    pthread_attr_getstack(&attr, &addr, &size);
    mp->g0_stack_bottom = addr;
    mp->g0_stack_size = size;
    pthread_attr_destroy(&attr);
  }
#endif
  schedule();
  tls_m = nullptr;
}

void* mstart_thread(void* arg) {
  mstart(static_cast<m*>(arg));
  return nullptr;
}

}  // namespace

int32_t run(void (*fn)(void*), void* arg, int32_t nprocs) {
  if (tls_m != nullptr) throw_("runtime: run called from a goroutine");
  if (nprocs <= 0) {
    const char* env = std::getenv("NETPOLL_PROCS");
    nprocs = env ? std::atoi(env) : 2;
    if (nprocs <= 0) nprocs = 1;
  }
  if (nprocs > kMaxM) nprocs = kMaxM;
  sched.done = false;
  sched.lastpoll.store(nanotime());  // as schedinit does: "not polling"
  sched.pollUntil.store(0);
  sched.midle = nullptr;
  sched.nmidle = 0;
  main_g = newproc1(fn, arg, true);  // runtime.main is the first g
  lock(&sched.lock);
  globrunqput(main_g);
  unlock(&sched.lock);
  for (int i = 0; i < nprocs; i++) {
    allm[i].~m();
    new (&allm[i]) m();
    allm[i].id = i;
  }
  pthread_t threads[kMaxM];
  for (int i = 1; i < nprocs; i++) pthread_create(&threads[i], nullptr, mstart_thread, &allm[i]);
  mstart(&allm[0]);  // this thread is m0
  for (int i = 1; i < nprocs; i++) pthread_join(threads[i], nullptr);
  return sched.ngsys.load();
}

}  // namespace runtime
