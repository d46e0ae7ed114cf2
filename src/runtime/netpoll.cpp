// netpoll.cpp - twin of Go 1.19.8's runtime/netpoll.go: the platform-
// independent half of the netpoller.  A pollDesc holds two binary
// semaphores, rg and wg; a goroutine that finds its descriptor not ready
// parks on one (netpollblock), and netpoll, a deadline or a close wakes it
// (netpollunblock).  Functions are in Go's order.
//
// What differs from Go, and where: makeArg passes the pollDesc itself, not
// an interface; pollCache's blocks come from sysMmap, not persistentalloc;
// there are no race-detector hooks.  The NETPOLLTRACE narration
// (include/runtime/netpolltrace.h) names, for every change of rg and wg,
// the Go line that makes it.
#include "runtime/netpoll.h"

#include <cstdio>
#include <new>

#ifdef __SANITIZE_THREAD__
#include <sanitizer/tsan_interface.h>
#endif

namespace runtime {

pollCache pollcache;                   // netpoll.go:182
std::atomic<uint32_t> netpollWaiters;  // netpoll.go:183
extern const int netpollGoVersion = NETPOLL_GO;

namespace {
mutex netpollInitLock;                // netpoll.go:179
std::atomic<uint32_t> netpollInited;  // netpoll.go:180

const char* modename(int32_t mode) { return mode == 'r' ? "'r'" : mode == 'w' ? "'w'" : "'r'+'w'"; }
}  // namespace

// netpoll.go:141  Recompute the lock-free summary (atomicInfo) from the
// fields that lock protects.  Called with pd->lock held, after changing
// closing, rd or wd, and before any netpollunblock: it is what makes a
// concurrent netpollblock see the change and not park.
void pollDesc::publishInfo() {
  uint32_t info = 0;                             // netpoll.go:142
  if (closing) info |= pollClosing;              // netpoll.go:143-145
  if (rd < 0) info |= pollExpiredReadDeadline;   // netpoll.go:146-148
  if (wd < 0) info |= pollExpiredWriteDeadline;  // netpoll.go:149-151
#if NETPOLL_GO >= 121
  // go1.21 netpoll.go, publishInfo (golang/go#59545): and fdseq's low bits.
  info |= static_cast<uint32_t>(fdseq.load() & pollFDSeqMask) << pollFDSeq;
#endif
  uint32_t x = atomicInfo.load();  // netpoll.go:154
  // netpoll.go:155-157  Set every bit but pollEventErr, which only
  // setEventErr owns.
  while (!atomicInfo.compare_exchange_weak(x, (x & pollEventErr) | info)) {
  }
}

#if NETPOLL_GO >= 121
// go1.21 netpoll.go, setEventErr (golang/go#59545): as below, but only
// while the info word's fdseq bits are seq's: an event for an earlier
// descriptor must not mark this one.  seq 0 means "whatever it is".
void pollDesc::setEventErr(bool b, uintptr_t seq) {
  uint32_t mSeq = static_cast<uint32_t>(seq & pollFDSeqMask);
  uint32_t x = atomicInfo.load();
  uint32_t xSeq = (x >> pollFDSeq) & pollFDSeqMask;
  if (seq != 0 && xSeq != mSeq) return;
  while (((x & pollEventErr) != 0) != b && !atomicInfo.compare_exchange_weak(x, x ^ pollEventErr)) {
    xSeq = (x >> pollFDSeq) & pollFDSeqMask;
    if (seq != 0 && xSeq != mSeq) return;
  }
}
#else
// netpoll.go:161  Set or clear pollEventErr, leaving the other bits.
void pollDesc::setEventErr(bool b) {
  uint32_t x = atomicInfo.load();  // netpoll.go:162
  while (((x & pollEventErr) != 0) != b &&
         !atomicInfo.compare_exchange_weak(x, x ^ pollEventErr)) {  // netpoll.go:163-165
  }
}
#endif

// netpoll.go:187  Called by the net layer before its first descriptor.
void poll_runtime_pollServerInit() { netpollGenericInit(); }  // netpoll.go:188

// netpoll.go:191  netpollinit, exactly once, even with Ms racing here.
void netpollGenericInit() {
  if (netpollInited.load() == 0) {  // netpoll.go:192
    // netpoll.go:193 left out: lockInit registers the lock's rank for Go's
    // lock-order checker, which is not rebuilt here.
    lock(&netpollInitLock);           // netpoll.go:194
    if (netpollInited.load() == 0) {  // netpoll.go:195
      netpollinit();                  // netpoll.go:196
      netpollInited.store(1);         // netpoll.go:197
    }
    unlock(&netpollInitLock);  // netpoll.go:199
  }
}

// netpoll.go:203
bool netpollinited() { return netpollInited.load() != 0; }  // netpoll.go:204

// netpoll.go:211
bool poll_runtime_isPollServerDescriptor(uintptr_t fd) {
  return netpollIsPollDescriptor(fd);  // netpoll.go:212
}

// netpoll.go:216  Take a pollDesc from the cache, reset it for fd, and
// register fd with epoll.  On failure the pollDesc goes back and *errno_
// is the kernel's errno (positive, as Go returns it).
pollDesc* poll_runtime_pollOpen(uintptr_t fd, int32_t* errno_) {
  pollDesc* pd = pollcache.alloc();  // netpoll.go:217
  lock(&pd->lock);                   // netpoll.go:218
  uintptr_t wg = pd->wg.load();      // netpoll.go:219
  if (wg != 0 && wg != pdReady)
    throw_("runtime: blocked write on free polldesc");  // netpoll.go:220-222
  uintptr_t rg = pd->rg.load();                         // netpoll.go:223
  if (rg != 0 && rg != pdReady)
    throw_("runtime: blocked read on free polldesc");  // netpoll.go:224-226
  pd->fd = fd;                                         // netpoll.go:227
#if NETPOLL_GO >= 121
  // go1.21 netpoll.go, poll_runtime_pollOpen: 0 means "any" to setEventErr.
  if (pd->fdseq.load() == 0) pd->fdseq.store(1);
  pd->closing = false;
  pd->setEventErr(false, 0);
#else
  pd->closing = false;                                  // netpoll.go:228
  pd->setEventErr(false);                               // netpoll.go:229
#endif
  pd->rseq++;         // netpoll.go:230  stale read timers now miss
  pd->rg.store(0);    // netpoll.go:231
  pd->rd = 0;         // netpoll.go:232
  pd->wseq++;         // netpoll.go:233
  pd->wg.store(0);    // netpoll.go:234
  pd->wd = 0;         // netpoll.go:235
  pd->self = pd;      // netpoll.go:236
  pd->publishInfo();  // netpoll.go:237
  unlock(&pd->lock);  // netpoll.go:238

#ifdef __SANITIZE_THREAD__
  // The kernel orders this epoll_ctl before any epoll_wait that reports fd;
  // ThreadSanitizer cannot see through a raw syscall, so we say so.
  __tsan_release(pd);
#endif
  int32_t errno1 = netpollopen(fd, pd);  // netpoll.go:240
  if (errno1 != 0) {                     // netpoll.go:241
    pollcache.free(pd);                  // netpoll.go:242
    *errno_ = errno1;                    // netpoll.go:243
    return nullptr;
  }
  *errno_ = 0;
  return pd;  // netpoll.go:245
}

// netpoll.go:249  Unregister and recycle.  Only after pollUnblock, with no
// goroutine parked on either semaphore.
void poll_runtime_pollClose(pollDesc* pd) {
  if (!pd->closing) throw_("runtime: close polldesc w/o unblock");  // netpoll.go:250-252
  uintptr_t wg = pd->wg.load();                                     // netpoll.go:253
  if (wg != 0 && wg != pdReady)
    throw_("runtime: blocked write on closing polldesc");  // netpoll.go:254-256
  uintptr_t rg = pd->rg.load();                            // netpoll.go:257
  if (rg != 0 && rg != pdReady)
    throw_("runtime: blocked read on closing polldesc");  // netpoll.go:258-260
  netpollclose(pd->fd);                                   // netpoll.go:261
  pollcache.free(pd);                                     // netpoll.go:262
}

// netpoll.go:265
void pollCache::free(pollDesc* pd) {
#if NETPOLL_GO >= 121
  // go1.21 netpoll.go, pollCache.free (golang/go#59545): a new fdseq, so
  // that an event netpoll already holds for this descriptor, or one still
  // in the kernel's ready list, no longer matches when pd is reused.
  runtime::lock(&pd->lock);
  uintptr_t seq = (pd->fdseq.load() + 1) & ((uintptr_t{1} << tagBits) - 1);
  pd->fdseq.store(seq);
  pd->publishInfo();
  runtime::unlock(&pd->lock);
#endif
  runtime::lock(&lock);    // netpoll.go:266
  pd->link = first;        // netpoll.go:267
  first = pd;              // netpoll.go:268
  runtime::unlock(&lock);  // netpoll.go:269
}

// netpoll.go:277  Prepare pd for a read ('r') or write ('w'): forget an
// old readiness notification, unless the descriptor is closed or timed out.
int32_t poll_runtime_pollReset(pollDesc* pd, int32_t mode) {
  int32_t errcode = netpollcheckerr(pd, mode);  // netpoll.go:278
  if (errcode != pollNoError) return errcode;   // netpoll.go:279-281
  if (netpolltrace && (mode == 'r' ? pd->rg : pd->wg).load() != 0)
    traceSem("netpoll.go", mode == 'r' ? 283 : 285, "poll_runtime_pollReset", pd, mode,
             (mode == 'r' ? pd->rg : pd->wg).load(), 0, "pollReset forgets an old notification");
  if (mode == 'r')       // netpoll.go:282
    pd->rg.store(0);     // netpoll.go:283
  else if (mode == 'w')  // netpoll.go:284
    pd->wg.store(0);     // netpoll.go:285
  return pollNoError;    // netpoll.go:287
}

// netpoll.go:296  Park until the descriptor is ready in mode, or closed,
// or its deadline passes.  Returns a poll error code.
int32_t poll_runtime_pollWait(pollDesc* pd, int32_t mode) {
  int32_t errcode = netpollcheckerr(pd, mode);  // netpoll.go:297
  if (errcode != pollNoError) return errcode;   // netpoll.go:298-300
  // netpoll.go:302-304: only Solaris, illumos and AIX arm level-triggered
  // polling here (netpollarm); epoll is edge-triggered, so Linux never does.
  while (!netpollblock(pd, mode, false)) {       // netpoll.go:305
    errcode = netpollcheckerr(pd, mode);         // netpoll.go:306
    if (errcode != pollNoError) return errcode;  // netpoll.go:307-309
    // As Go's comment there says: a timeout fired and woke us, but the deadline was
    // reset before we ran: pretend it did not happen, and wait again.
  }
  return pollNoError;  // netpoll.go:314
}

// netpoll.go:318  Windows only in Go: wait for I/O, ignoring close and
// timeouts.  Kept for completeness.
void poll_runtime_pollWaitCanceled(pollDesc* pd, int32_t mode) {
  while (!netpollblock(pd, mode, true)) {  // netpoll.go:321
  }
}

// netpoll.go:326  Set the read ('r'), write ('w') or both ('r'+'w')
// deadline to d: an absolute nanotime if d > 0, none if d == 0, already
// expired if d < 0.  Arms, moves or stops the timers; a deadline in the
// past wakes the goroutine waiting now.
void poll_runtime_pollSetDeadline(pollDesc* pd, int64_t d, int32_t mode) {
  lock(&pd->lock);      // netpoll.go:327
  if (pd->closing) {    // netpoll.go:328
    unlock(&pd->lock);  // netpoll.go:329
    return;             // netpoll.go:330
  }
  int64_t rd0 = pd->rd, wd0 = pd->wd;   // netpoll.go:332
  bool combo0 = rd0 > 0 && rd0 == wd0;  // netpoll.go:333
  if (d > 0) {                          // netpoll.go:334
    // netpoll.go:335  Go's int64 addition wraps, and the next line catches
    // the wrap; in C++ signed overflow is undefined, so add as unsigned,
    // which wraps the same way.
    d = static_cast<int64_t>(static_cast<uint64_t>(d) + static_cast<uint64_t>(nanotime()));
    if (d <= 0) d = INT64_MAX;  // netpoll.go:336-340  overflow: as far as can be
  }
  if (mode == 'r' || mode == 'r' + 'w') pd->rd = d;  // netpoll.go:342-344
  if (mode == 'w' || mode == 'r' + 'w') pd->wd = d;  // netpoll.go:345-347
  pd->publishInfo();                                 // netpoll.go:348
  bool combo = pd->rd > 0 && pd->rd == pd->wd;       // netpoll.go:349
  // netpoll.go:350-353  One timer serves both when the deadlines agree.
  void (*rtf)(void*, uintptr_t) = combo ? netpollDeadline : netpollReadDeadline;
  if (pd->rt.f == nullptr) {        // netpoll.go:354
    if (pd->rd > 0) {               // netpoll.go:355
      pd->rt.f = rtf;               // netpoll.go:356
      pd->rt.arg = pd->makeArg();   // netpoll.go:360
      pd->rt.seq = pd->rseq;        // netpoll.go:361  the timer remembers its seq
      resettimer(&pd->rt, pd->rd);  // netpoll.go:362
    }
  } else if (pd->rd != rd0 || combo != combo0) {  // netpoll.go:364
    pd->rseq++;                                   // netpoll.go:365  invalidate current timers
    if (pd->rd > 0) {                             // netpoll.go:366
      modtimer(&pd->rt, pd->rd, 0, rtf, pd->makeArg(), pd->rseq);  // netpoll.go:367
    } else {
      deltimer(&pd->rt);   // netpoll.go:369
      pd->rt.f = nullptr;  // netpoll.go:370
    }
  }
  if (pd->wt.f == nullptr) {            // netpoll.go:373
    if (pd->wd > 0 && !combo) {         // netpoll.go:374
      pd->wt.f = netpollWriteDeadline;  // netpoll.go:375
      pd->wt.arg = pd->makeArg();       // netpoll.go:376
      pd->wt.seq = pd->wseq;            // netpoll.go:377
      resettimer(&pd->wt, pd->wd);      // netpoll.go:378
    }
  } else if (pd->wd != wd0 || combo != combo0) {  // netpoll.go:380
    pd->wseq++;                                   // netpoll.go:381
    if (pd->wd > 0 && !combo) {                   // netpoll.go:382
      modtimer(&pd->wt, pd->wd, 0, netpollWriteDeadline, pd->makeArg(),
               pd->wseq);  // netpoll.go:383
    } else {
      deltimer(&pd->wt);   // netpoll.go:385
      pd->wt.f = nullptr;  // netpoll.go:386
    }
  }
  // A deadline in the past unblocks pending I/O now;
  // publishInfo above already stops new waits.
  g *rg = nullptr, *wg = nullptr;  // netpoll.go:391
#if NETPOLL_GO >= 122
  // go1.22 netpoll.go, poll_runtime_pollSetDeadline: count the waiters
  // woken, and give the count to netpollAdjustWaiters below.
  int32_t delta = 0;
  if (pd->rd < 0) rg = netpollunblock(pd, 'r', false, &delta);
  if (pd->wd < 0) wg = netpollunblock(pd, 'w', false, &delta);
#else
  if (pd->rd < 0) rg = netpollunblock(pd, 'r', false);  // netpoll.go:392-394
  if (pd->wd < 0) wg = netpollunblock(pd, 'w', false);  // netpoll.go:395-397
#endif
  unlock(&pd->lock);           // netpoll.go:398
  if (rg) netpollgoready(rg, 3);  // netpoll.go:399-401
  if (wg) netpollgoready(wg, 3);  // netpoll.go:402-404
#if NETPOLL_GO >= 122
  netpollAdjustWaiters(delta);
#endif
}

// netpoll.go:408  The descriptor is being closed: wake both waiters, who
// will see pollErrClosing, and stop the timers.
void poll_runtime_pollUnblock(pollDesc* pd) {
  lock(&pd->lock);                                                  // netpoll.go:409
  if (pd->closing) throw_("runtime: unblock on closing polldesc");  // netpoll.go:410-412
  pd->closing = true;                                               // netpoll.go:413
  pd->rseq++;                                                       // netpoll.go:414
  pd->wseq++;                                                       // netpoll.go:415
  g *rg = nullptr, *wg = nullptr;                                   // netpoll.go:416
  pd->publishInfo();                                                // netpoll.go:417
#if NETPOLL_GO >= 122
  int32_t delta = 0;  // go1.22 netpoll.go, poll_runtime_pollUnblock
  rg = netpollunblock(pd, 'r', false, &delta);
  wg = netpollunblock(pd, 'w', false, &delta);
#else
  rg = netpollunblock(pd, 'r', false);                  // netpoll.go:418
  wg = netpollunblock(pd, 'w', false);                  // netpoll.go:419
#endif
  if (pd->rt.f != nullptr) {  // netpoll.go:420
    deltimer(&pd->rt);        // netpoll.go:421
    pd->rt.f = nullptr;       // netpoll.go:422
  }
  if (pd->wt.f != nullptr) {  // netpoll.go:424
    deltimer(&pd->wt);        // netpoll.go:425
    pd->wt.f = nullptr;       // netpoll.go:426
  }
  unlock(&pd->lock);           // netpoll.go:428
  if (rg) netpollgoready(rg, 3);  // netpoll.go:429-431
  if (wg) netpollgoready(wg, 3);  // netpoll.go:432-434
#if NETPOLL_GO >= 122
  netpollAdjustWaiters(delta);
#endif
}

// netpoll.go:446  Called by netpoll for a descriptor epoll reported: set
// the semaphores of mode ('r', 'w' or 'r'+'w') to pdReady and collect the
// goroutines that were parked on them.
#if NETPOLL_GO >= 122
// go1.22 netpoll.go, netpollready (CL 511455): as below, and returns the
// change in waiters, one less for each goroutine it readies.
int32_t netpollready(gList* toRun, pollDesc* pd, int32_t mode) {
  int32_t delta = 0;
  g *rg = nullptr, *wg = nullptr;
  if (mode == 'r' || mode == 'r' + 'w') rg = netpollunblock(pd, 'r', true, &delta);
  if (mode == 'w' || mode == 'r' + 'w') wg = netpollunblock(pd, 'w', true, &delta);
  if (rg) toRun->push(rg);
  if (wg) toRun->push(wg);
  return delta;
}
#else
void netpollready(gList* toRun, pollDesc* pd, int32_t mode) {
  g *rg = nullptr, *wg = nullptr;                                            // netpoll.go:447
  if (mode == 'r' || mode == 'r' + 'w') rg = netpollunblock(pd, 'r', true);  // netpoll.go:448-450
  if (mode == 'w' || mode == 'r' + 'w') wg = netpollunblock(pd, 'w', true);  // netpoll.go:451-453
  if (rg) toRun->push(rg);                                                   // netpoll.go:454-456
  if (wg) toRun->push(wg);                                                   // netpoll.go:457-459
}
#endif

// netpoll.go:462  Why a wait in mode cannot proceed, from the lock-free
// summary.  An event error is reported to readers only: a writer will get
// a more precise error from its write.
int32_t netpollcheckerr(pollDesc* pd, int32_t mode) {
  pollInfo info = pd->info();                // netpoll.go:463
  if (closing(info)) return pollErrClosing;  // netpoll.go:464-466
  if ((mode == 'r' && expiredReadDeadline(info)) ||
      (mode == 'w' && expiredWriteDeadline(info)))               // netpoll.go:467
    return pollErrTimeout;                                       // netpoll.go:468
  if (mode == 'r' && eventErr(info)) return pollErrNotPollable;  // netpoll.go:473-475
  return pollNoError;                                            // netpoll.go:476
}

// netpoll.go:479  gopark's commit, run on g0 after gp's context is saved:
// pdWait -> gp.  If a notification or timeout already replaced pdWait, the
// CAS fails and gopark runs gp again at once: nothing is lost.
bool netpollblockcommit(g* gp, void* gpp) {
  auto* sem = static_cast<std::atomic<uintptr_t>*>(gpp);
  // The trace says it before the CAS: once the CAS succeeds, netpoll on
  // another M may wake gp and run it, and the narration must not come after
  // what it caused.  (Go's commit never looks inside gp; without the trace,
  // neither does ours.)
  if (netpolltrace)
    tracef("netpoll.go", 480, "netpollblockcommit", static_cast<intptr_t>(gp->waitfd),
           "fd %lu %s: pdWait -> G%lld: parked", static_cast<unsigned long>(gp->waitfd),
           gp->waitmode == 'r' ? "rg" : "wg", static_cast<long long>(gp->goid));
  uintptr_t expected = pdWait;
  bool r =
      sem->compare_exchange_strong(expected, reinterpret_cast<uintptr_t>(gp));  // netpoll.go:480
  if (netpolltrace && !r)
    tracef("netpoll.go", 480, "netpollblockcommit", -1, "no: %s came first; G%lld runs on, not parked",
           expected == pdReady ? "pdReady" : "a wake-up", static_cast<long long>(gp->goid));
  if (r) {  // netpoll.go:481
    // The scheduler polls the network, blocking, only while someone
    // waits on it.
    netpollWaiters.fetch_add(1);  // netpoll.go:485
  }
  return r;  // netpoll.go:487
}

// netpoll.go:490  Ready a g that a close or a deadline unblocked.  Go
// 1.19 decrements netpollWaiters here, and only here: a g woken by netpoll
// itself (through netpollready and injectglist) is never subtracted, so the
// count only grows (golang/go#33624, still open in 1.19).  Kept.
void netpollgoready(g* gp, int traceskip) {
#if NETPOLL_GO >= 122
  // go1.22 netpoll.go, netpollgoready: no decrement here; every path that
  // wakes a waiter counts it and calls netpollAdjustWaiters.
#else
  netpollWaiters.fetch_sub(1);  // netpoll.go:491
#endif
  goready(gp, traceskip + 1);  // netpoll.go:492
}

#if NETPOLL_GO >= 122
// go1.22 netpoll.go, netpollAdjustWaiters (CL 511455): apply a change
// counted by netpollunblock.
void netpollAdjustWaiters(int32_t delta) {
  if (delta != 0) netpollWaiters.fetch_add(static_cast<uint32_t>(delta));
}
#endif

// netpoll.go:499  Park on pd's semaphore for mode until I/O is ready (true)
// or the wait is cut short by a close or deadline (false).  waitio: wait
// for I/O only, ignoring close and deadlines.  Two goroutines may not wait
// in the same mode at once: the semaphore holds one g.
bool netpollblock(pollDesc* pd, int32_t mode, bool waitio) {
  std::atomic<uintptr_t>* gpp = &pd->rg;  // netpoll.go:500
  if (mode == 'w') gpp = &pd->wg;         // netpoll.go:501-503

  for (;;) {  // netpoll.go:506  set the semaphore to pdWait
    uintptr_t expected = pdReady;
    if (gpp->compare_exchange_strong(expected, 0)) {  // netpoll.go:508  consume
      if (netpolltrace) traceSem("netpoll.go", 508, "netpollblock", pd, mode, pdReady, 0, "ready, no park");
      return true;  // netpoll.go:509
    }
    expected = 0;
    if (gpp->compare_exchange_strong(expected, pdWait)) {  // netpoll.go:511
      if (netpolltrace) traceSem("netpoll.go", 511, "netpollblock", pd, mode, 0, pdWait, "about to park");
      break;  // netpoll.go:512
    }
    // netpoll.go:517-519  Anything else means someone else is parked here.
    uintptr_t v = gpp->load();
    if (v != pdReady && v != 0) throw_("runtime: double wait");
  }

  // netpoll.go:525  Check the errors again now that pdWait is set: close,
  // deadline and pollUnblock store first and load rg/wg second, we do the
  // opposite, so one of us sees the other.
  if (waitio || netpollcheckerr(pd, mode) == pollNoError) {
    g* gp = getg();
    gp->waitfd = pd->fd;
    gp->waitmode = mode;
    gopark(netpollblockcommit, gpp, waitReason::IOWait, traceEvGoBlockNet, 5);  // netpoll.go:526
  }
  // Swap, not store: a pdReady that arrived after the
  // park (or instead of it) must be seen, not overwritten.
  uintptr_t old = gpp->exchange(0);  // netpoll.go:529
  if (netpolltrace && old != 0)
    traceSem("netpoll.go", 529, "netpollblock", pd, mode, old, 0, old == pdReady ? "I/O ready" : "");
  if (old > pdWait) throw_("runtime: corrupted polldesc");  // netpoll.go:530-532
  return old == pdReady;                                    // netpoll.go:533
}

// netpoll.go:536  Move mode's semaphore to pdReady (ioready) or nil, and
// return the g parked on it, if any.  Without ioready a nil semaphore is
// left alone: there is no one to wake, and pollWait rechecks the errors.
#if NETPOLL_GO >= 122
g* netpollunblock(pollDesc* pd, int32_t mode, bool ioready, int32_t* delta) {
#else
g* netpollunblock(pollDesc* pd, int32_t mode, bool ioready) {
#endif
  std::atomic<uintptr_t>* gpp = &pd->rg;  // netpoll.go:537
  if (mode == 'w') gpp = &pd->wg;         // netpoll.go:538-540

  for (;;) {                                        // netpoll.go:542
    uintptr_t old = gpp->load();                    // netpoll.go:543
    if (old == pdReady) return nullptr;             // netpoll.go:544-546
    if (old == 0 && !ioready) return nullptr;       // netpoll.go:547-551
    uintptr_t new_ = 0;                             // netpoll.go:552
    if (ioready) new_ = pdReady;                    // netpoll.go:553-555
    if (gpp->compare_exchange_strong(old, new_)) {  // netpoll.go:556
      if (netpolltrace)
        traceSem("netpoll.go", 556, "netpollunblock", pd, mode, old, new_,
                 old > pdWait    ? "its goroutine is handed back to be readied"
                 : old == pdWait ? "the parking goroutine will not park"
                                 : "nobody waits");
      if (old == pdWait) old = 0;  // netpoll.go:557-559
#if NETPOLL_GO >= 122
      // go1.22 netpoll.go, netpollunblock: a waiter woken, one fewer.
      else if (old != 0 && delta != nullptr)
        *delta -= 1;
#endif
      g* gp = reinterpret_cast<g*>(old);  // netpoll.go:560
      return gp;
    }
  }
}

// netpoll.go:565  A deadline timer fired.  seq is the pollDesc's seq when
// the timer was set; if it changed since (the deadline was reset, or the
// descriptor closed and reused), the timer is stale and does nothing.
void netpolldeadlineimpl(pollDesc* pd, uintptr_t seq, bool read, bool write) {
  lock(&pd->lock);                   // netpoll.go:566
  uintptr_t currentSeq = pd->rseq;   // netpoll.go:569
  if (!read) currentSeq = pd->wseq;  // netpoll.go:570-572
  if (seq != currentSeq) {           // netpoll.go:573
    unlock(&pd->lock);               // netpoll.go:575
    if (netpolltrace)
      tracef("netpoll.go", 573, "netpolldeadlineimpl", static_cast<intptr_t>(pd->fd),
             "fd %lu: a stale timer (seq %lu, now %lu), ignored",
             static_cast<unsigned long>(pd->fd), static_cast<unsigned long>(seq),
             static_cast<unsigned long>(currentSeq));
    return;  // netpoll.go:576
  }
  g* rg = nullptr;  // netpoll.go:578
#if NETPOLL_GO >= 122
  int32_t delta = 0;  // go1.22 netpoll.go, netpolldeadlineimpl
#endif
  if (read) {  // netpoll.go:579
    if (pd->rd <= 0 || pd->rt.f == nullptr)
      throw_("runtime: inconsistent read deadline");  // netpoll.go:580-582
    if (netpolltrace)
      tracef("netpoll.go", 583, "netpolldeadlineimpl", static_cast<intptr_t>(pd->fd),
             "fd %lu: the read deadline expired",
             static_cast<unsigned long>(pd->fd));
    pd->rd = -1;        // netpoll.go:583
    pd->publishInfo();  // netpoll.go:584
#if NETPOLL_GO >= 122
    rg = netpollunblock(pd, 'r', false, &delta);  // go1.22: counted
#else
    rg = netpollunblock(pd, 'r', false);  // netpoll.go:585
#endif
  }
  g* wg = nullptr;                                      // netpoll.go:587
  if (write) {                                          // netpoll.go:588
    if (pd->wd <= 0 || (pd->wt.f == nullptr && !read))  // netpoll.go:589
      throw_("runtime: inconsistent write deadline");   // netpoll.go:590
    if (netpolltrace)
      tracef("netpoll.go", 592, "netpolldeadlineimpl", static_cast<intptr_t>(pd->fd),
             "fd %lu: the write deadline expired",
             static_cast<unsigned long>(pd->fd));
    pd->wd = -1;        // netpoll.go:592
    pd->publishInfo();  // netpoll.go:593
#if NETPOLL_GO >= 122
    wg = netpollunblock(pd, 'w', false, &delta);  // go1.22: counted
#else
    wg = netpollunblock(pd, 'w', false);  // netpoll.go:594
#endif
  }
  unlock(&pd->lock);           // netpoll.go:596
  if (rg) netpollgoready(rg, 0);  // netpoll.go:597-599
  if (wg) netpollgoready(wg, 0);  // netpoll.go:600-602
#if NETPOLL_GO >= 122
  netpollAdjustWaiters(delta);
#endif
}

// The three timer callbacks; arg is the pollDesc.
// netpoll.go:605  One timer for both deadlines (they are equal).
void netpollDeadline(void* arg, uintptr_t seq) {
  netpolldeadlineimpl(static_cast<pollDesc*>(arg), seq, true, true);  // netpoll.go:606
}
// netpoll.go:609
void netpollReadDeadline(void* arg, uintptr_t seq) {
  netpolldeadlineimpl(static_cast<pollDesc*>(arg), seq, true, false);  // netpoll.go:610
}
// netpoll.go:613
void netpollWriteDeadline(void* arg, uintptr_t seq) {
  netpolldeadlineimpl(static_cast<pollDesc*>(arg), seq, false, true);  // netpoll.go:614
}

// netpoll.go:617  A pollDesc from the free list, refilled a 4 KiB block
// at a time from memory that is never returned: epoll may still hold a
// closed descriptor's pollDesc pointer, so the memory must stay one.
pollDesc* pollCache::alloc() {
  runtime::lock(&lock);                             // netpoll.go:618
  if (first == nullptr) {                           // netpoll.go:619
    constexpr uintptr_t pdSize = sizeof(pollDesc);  // netpoll.go:620
    uintptr_t n = pollBlockSize / pdSize;           // netpoll.go:621
    if (n == 0) n = 1;                              // netpoll.go:622-624
    // netpoll.go:627  Go's persistentalloc; ours maps fresh zeroed pages.
    mmapResult mem =
        sysMmap(nullptr, n * pdSize, 3 /* PROT_READ|WRITE */, 0x22 /* MAP_PRIVATE|ANON */, -1, 0);
    if (mem.p == nullptr) throw_("runtime: cannot allocate memory");
    for (uintptr_t i = 0; i < n; i++) {                                        // netpoll.go:628
      pollDesc* pd = new (static_cast<char*>(mem.p) + i * pdSize) pollDesc();  // netpoll.go:629
      pd->link = first;                                                        // netpoll.go:630
      first = pd;                                                              // netpoll.go:631
    }
  }
  pollDesc* pd = first;  // netpoll.go:634
  first = pd->link;      // netpoll.go:635
  // netpoll.go:636 left out: lockInit, as in netpollGenericInit.
  runtime::unlock(&lock);  // netpoll.go:637
  return pd;               // netpoll.go:638
}

}  // namespace runtime
