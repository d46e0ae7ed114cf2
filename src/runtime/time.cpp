// time.cpp - twin of Go 1.19.8's runtime/time.go: the runtime's timers, a
// 4-ary heap per P, each timer moving through a status machine (runtime2.h)
// so that deleting or moving a timer needs no lock on the heap that holds
// it: the owning P finishes the job the next time it looks (cleantimers,
// adjusttimers, runtimer).  Read and write deadlines are these timers, and
// the blocking netpoll sleeps until the earliest of them.  Functions are in
// Go's order.
//
// What differs from Go, and where:
//  - Go disables preemption around a timer's transient states
//    (acquirem/releasem); nothing preempts a goroutine here.
//  - A P's heap is an array grown by mapping a larger one (Go appends to
//    a slice), under the P's timersLock.
//  - A thread with no M may not set or change a timer: it has no P whose
//    heap to use (onM throws; Go has no such thread).  It may stop one:
//    deltimer only marks it, and the heap's own P takes it out.
//  - No race-detector hooks; verifyTimerHeap is left out (verifyTimers is
//    false in Go too).
#include <cstring>

#include "runtime/netpoll.h"
#include "runtime/runtime.h"

namespace runtime {

namespace {

// The P a timer of this thread's goes to: its M's.
p* timerP(const char* what) {
  onM(what);  // not in Go
  return getm()->p_.load();
}

// pp.timers = append(pp.timers, t), by hand; pp->timersLock held.
void timersAppend(p* pp, timer* t) {
  if (pp->ntimers == pp->timerscap) {
    int32_t ncap = pp->timerscap ? pp->timerscap * 2 : 512;
    uintptr_t bytes = static_cast<uintptr_t>(ncap) * sizeof(timer*);
    mmapResult r =
        sysMmap(nullptr, bytes, 3 /* PROT_READ|WRITE */, 0x22 /* MAP_PRIVATE|ANON */, -1, 0);
    if (r.p == nullptr) throw_("runtime: cannot allocate timer heap");
    if (pp->timers != nullptr) {
      std::memcpy(r.p, pp->timers, static_cast<size_t>(pp->ntimers) * sizeof(timer*));
      sysMunmap(pp->timers, static_cast<uintptr_t>(pp->timerscap) * sizeof(timer*));
    }
    pp->timers = static_cast<timer**>(r.p);
    pp->timerscap = ncap;
  }
  pp->timers[pp->ntimers++] = t;
}

}  // namespace

// time.go:178  Park the calling goroutine for ns.
void timeSleep(int64_t ns) {
  if (ns <= 0) return;    // time.go:179-181
  g* gp = getg();         // time.go:183
  timer* t = gp->timer;   // time.go:184
  if (t == nullptr) {     // time.go:185
    t = &gp->sleeptimer;  // time.go:186  Go's new(timer); ours is in the g
    gp->timer = t;        // time.go:187
  }
  t->f = goroutineReady;  // time.go:189
  t->arg = gp;            // time.go:190
  // Go adds and then checks for overflow; unsigned arithmetic wraps as
  // Go's does, where signed overflow in C++ is undefined.
  t->nextwhen = static_cast<int64_t>(static_cast<uint64_t>(nanotime()) +
                                     static_cast<uint64_t>(ns));  // time.go:191
  if (t->nextwhen < 0) t->nextwhen = INT64_MAX;                   // time.go:192-194  maxWhen
  gopark(resetForSleep, t, waitReason::Sleep, traceEvGoSleep, 1);  // time.go:195
}

// time.go:202  timeSleep's commit: arm the timer only once the g is
// parked, or a short sleep's timer could ready it before it sleeps.
bool resetForSleep(g*, void* ut) {
  auto* t = static_cast<timer*>(ut);  // time.go:203
  resettimer(t, t->nextwhen);         // time.go:204
  return true;                        // time.go:205
}

// time.go:248  The sleeping g's timer function.
void goroutineReady(void* arg, uintptr_t) {
  goready(static_cast<g*>(arg), 0);  // time.go:249
}

// time.go:256  Add t, which must be new, to this P's heap.
void addtimer(timer* t) {
  if (t->when <= 0) throw_("timer when must be positive");         // time.go:260-262
  if (t->period < 0) throw_("timer period must be non-negative");  // time.go:263-265
  if (t->status.load() != timerNoStatus)                           // time.go:266
    throw_("addtimer called with initialized timer");              // time.go:267
  t->status.store(timerWaiting);                                   // time.go:269
  int64_t when = t->when;                                          // time.go:271
  p* pp = timerP("addtimer");                                      // time.go:276
  lock(&pp->timersLock);                                           // time.go:277
  cleantimers(pp);                                                 // time.go:278
  doaddtimer(pp, t);                                               // time.go:279
  unlock(&pp->timersLock);                                         // time.go:280
  wakeNetPoller(when);                                             // time.go:282
}

// time.go:289  Put t in pp's heap; pp->timersLock held.
void doaddtimer(p* pp, timer* t) {
  // time.go:292-294  Timers rely on the network poller: it is what an M
  // sleeps in until the next one is due.
  if (!netpollinited()) netpollGenericInit();
  if (t->pp.load() != nullptr) throw_("doaddtimer: P already set in timer");  // time.go:296-298
  t->pp.store(pp);                                                            // time.go:299
  int32_t i = pp->ntimers;                                                    // time.go:300
  timersAppend(pp, t);                                                        // time.go:301
  siftupTimer(pp->timers, pp->ntimers, i);                                    // time.go:302
  if (t == pp->timers[0]) pp->timer0When.store(t->when);                      // time.go:303-305
  pp->numTimers.fetch_add(1);                                                 // time.go:306
}

// time.go:313  Stop t; reports whether it was still pending.  It is only
// marked deleted: the P whose heap holds it takes it out later.
bool deltimer(timer* t) {
  for (;;) {                        // time.go:314
    uint32_t s = t->status.load();  // time.go:315
    switch (s) {
      case timerWaiting:  // time.go:316
      case timerModifiedLater:
        if (t->status.compare_exchange_strong(s, timerModifying)) {  // time.go:320
          p* tpp = t->pp.load();                                     // time.go:324
          uint32_t want = timerModifying;
          if (!t->status.compare_exchange_strong(want, timerDeleted))
            badTimer();                     // time.go:325-327
          tpp->deletedTimers.fetch_add(1);  // time.go:329
          return true;                      // time.go:331
        }
        break;
      case timerModifiedEarlier:                                     // time.go:335
        if (t->status.compare_exchange_strong(s, timerModifying)) {  // time.go:339
          p* tpp = t->pp.load();                                     // time.go:342
          uint32_t want = timerModifying;
          if (!t->status.compare_exchange_strong(want, timerDeleted))
            badTimer();                     // time.go:343-345
          tpp->deletedTimers.fetch_add(1);  // time.go:347
          return true;                      // time.go:349
        }
        break;
      case timerDeleted:  // time.go:353
      case timerRemoving:
      case timerRemoved: return false;  // time.go:353-355  already run or stopped
      case timerRunning:                // time.go:356  another P is running or moving it: wait
      case timerMoving:
        osyield();  // time.go:359
        break;
      case timerNoStatus:   // time.go:360  never added, or already run
        return false;       // time.go:363
      case timerModifying:  // time.go:364  a modtimer in progress: wait
        osyield();          // time.go:367
        break;
      default: badTimer();  // time.go:369
    }
  }
}

// time.go:378  Take the timer at i out of pp's heap; pp->timersLock held.
// Returns the smallest index whose timer changed.
int32_t dodeltimer(p* pp, int32_t i) {
  timer* t = pp->timers[i];
  if (t->pp.load() != pp) throw_("dodeltimer: wrong P");  // time.go:379-380
  t->pp.store(nullptr);                                   // time.go:382
  int32_t last = pp->ntimers - 1;                         // time.go:384
  if (i != last) pp->timers[i] = pp->timers[last];        // time.go:385-387
  pp->timers[last] = nullptr;                             // time.go:388
  pp->ntimers = last;                                     // time.go:389
  int32_t smallestChanged = i;                            // time.go:390
  if (i != last) {                                        // time.go:391
    // time.go:394-395  The timer moved to i may belong above or below it.
    smallestChanged = siftupTimer(pp->timers, pp->ntimers, i);
    siftdownTimer(pp->timers, pp->ntimers, i);
  }
  if (i == 0) updateTimer0When(pp);                // time.go:397-399
  uint32_t n = pp->numTimers.fetch_sub(1) - 1;     // time.go:400
  if (n == 0) pp->timerModifiedEarliest.store(0);  // time.go:401-404
  return smallestChanged;                          // time.go:405
}

// time.go:412  Take the first timer out of pp's heap; pp->timersLock held.
void dodeltimer0(p* pp) {
  timer* t = pp->timers[0];
  if (t->pp.load() != pp) throw_("dodeltimer0: wrong P");   // time.go:413-414
  t->pp.store(nullptr);                                     // time.go:416
  int32_t last = pp->ntimers - 1;                           // time.go:418
  if (last > 0) pp->timers[0] = pp->timers[last];           // time.go:419-421
  pp->timers[last] = nullptr;                               // time.go:422
  pp->ntimers = last;                                       // time.go:423
  if (last > 0) siftdownTimer(pp->timers, pp->ntimers, 0);  // time.go:424-426
  updateTimer0When(pp);                                     // time.go:427
  uint32_t n = pp->numTimers.fetch_sub(1) - 1;              // time.go:428
  if (n == 0) pp->timerModifiedEarliest.store(0);           // time.go:429-432
}

// time.go:438  Change t's when (and f, arg, seq), adding it if it was not
// pending; reports whether it was.  A timer in some P's heap is not moved
// here: its new when goes to nextwhen, its status says which way it must
// move, and that P moves it.  Moving a timer earlier wakes the poller.
bool modtimer(timer* t, int64_t when, int64_t period, void (*f)(void*, uintptr_t), void* arg,
              uintptr_t seq) {
  onM("modtimer");  // not in Go
  if (when <= 0) throw_("timer when must be positive");         // time.go:439-441
  if (period < 0) throw_("timer period must be non-negative");  // time.go:442-444
  uint32_t status = timerNoStatus;                              // time.go:446
  bool wasRemoved = false;                                      // time.go:447
  bool pending = false;                                         // time.go:448
  for (bool claimed = false; !claimed;) {                       // time.go:451
    status = t->status.load();                                  // time.go:452
    switch (status) {
      case timerWaiting:  // time.go:453
      case timerModifiedEarlier:
      case timerModifiedLater:
        if (t->status.compare_exchange_strong(status, timerModifying)) {  // time.go:457
          pending = true;  // time.go:458  not yet run
          claimed = true;  // time.go:459  break loop
        }
        break;
      case timerNoStatus:  // time.go:462  already run, not in a heap: add it
      case timerRemoved:
        if (t->status.compare_exchange_strong(status, timerModifying)) {  // time.go:469
          wasRemoved = true;                                              // time.go:470
          pending = false;                                                // time.go:471
          claimed = true;                                                 // time.go:472  break loop
        }
        break;
      case timerDeleted:                                                  // time.go:475
        if (t->status.compare_exchange_strong(status, timerModifying)) {  // time.go:479
          t->pp.load()->deletedTimers.fetch_sub(1);                       // time.go:480
          pending = false;  // time.go:481  already stopped
          claimed = true;   // time.go:482  break loop
        }
        break;
      case timerRunning:  // time.go:485  another P has it: wait
      case timerRemoving:
      case timerMoving:
        osyield();  // time.go:488
        break;
      case timerModifying:  // time.go:489  another modtimer: wait
        osyield();          // time.go:492
        break;
      default: badTimer();  // time.go:494
    }
  }

  t->period = period;  // time.go:498
  t->f = f;            // time.go:499
  t->arg = arg;        // time.go:500
  t->seq = seq;        // time.go:501

  if (wasRemoved) {                                                          // time.go:503
    t->when = when;                                                          // time.go:504
    p* pp = timerP("modtimer");                                              // time.go:505
    lock(&pp->timersLock);                                                   // time.go:506
    doaddtimer(pp, t);                                                       // time.go:507
    unlock(&pp->timersLock);                                                 // time.go:508
    uint32_t want = timerModifying;                                          // time.go:509
    if (!t->status.compare_exchange_strong(want, timerWaiting)) badTimer();  // time.go:509-511
    wakeNetPoller(when);                                                     // time.go:513
  } else {
    // The heap that holds t is not ours to reorder: its P moves t.
    t->nextwhen = when;                                    // time.go:520
    uint32_t newStatus = timerModifiedLater;               // time.go:522
    if (when < t->when) newStatus = timerModifiedEarlier;  // time.go:523-525
    p* tpp = t->pp.load();                                 // time.go:527
    if (newStatus == timerModifiedEarlier)
      updateTimerModifiedEarliest(tpp, when);  // time.go:529-531
    uint32_t want = timerModifying;
    if (!t->status.compare_exchange_strong(want, newStatus)) badTimer();  // time.go:534-536
    if (newStatus == timerModifiedEarlier) wakeNetPoller(when);           // time.go:540-542
  }
  return pending;  // time.go:545
}

// time.go:553
bool resettimer(timer* t, int64_t when) {
  return modtimer(t, when, t->period, t->f, t->arg, t->seq);  // time.go:554
}

// time.go:561  Finish what deltimer and modtimer left at the head of pp's
// heap; pp->timersLock held.
void cleantimers(p* pp) {
  for (;;) {                       // time.go:563
    if (pp->ntimers == 0) return;  // time.go:564-566
    // time.go:572-574 left out: a goroutine asked to stop for the GC
    // (preemptStop) returns here; nothing asks that of ours.
    timer* t = pp->timers[0];                              // time.go:576
    if (t->pp.load() != pp) throw_("cleantimers: bad p");  // time.go:577-579
    uint32_t s = t->status.load();                         // time.go:580
    switch (s) {
      case timerDeleted: {                                                   // time.go:581
        if (!t->status.compare_exchange_strong(s, timerRemoving)) continue;  // time.go:582-584
        dodeltimer0(pp);                                                     // time.go:585
        uint32_t want = timerRemoving;
        if (!t->status.compare_exchange_strong(want, timerRemoved)) badTimer();  // time.go:586-588
        pp->deletedTimers.fetch_sub(1);                                          // time.go:589
        break;
      }
      case timerModifiedEarlier:  // time.go:590
      case timerModifiedLater: {
        if (!t->status.compare_exchange_strong(s, timerMoving)) continue;  // time.go:591-593
        t->when = t->nextwhen;                                             // time.go:595
        dodeltimer0(pp);                                                   // time.go:597
        doaddtimer(pp, t);                                                 // time.go:598
        uint32_t want = timerMoving;
        if (!t->status.compare_exchange_strong(want, timerWaiting)) badTimer();  // time.go:599-601
        break;
      }
      default: return;  // time.go:604  the head needs nothing
    }
  }
}

// time.go:613  Move the timers of a P that is going away (procresize) into
// pp's heap; pp->timersLock held.
void moveTimers(p* pp, timer** timers, int32_t n) {
  for (int32_t i = 0; i < n; i++) {  // time.go:614
    timer* t = timers[i];
    for (bool moved = false; !moved;) {  // time.go:616
      uint32_t s = t->status.load();     // time.go:617
      switch (s) {
        case timerWaiting: {                                                 // time.go:618
          if (!t->status.compare_exchange_strong(s, timerMoving)) continue;  // time.go:619-621
          t->pp.store(nullptr);                                              // time.go:622
          doaddtimer(pp, t);                                                 // time.go:623
          uint32_t want = timerMoving;
          if (!t->status.compare_exchange_strong(want, timerWaiting))
            badTimer();  // time.go:624-626
          moved = true;  // time.go:627  break loop
          break;
        }
        case timerModifiedEarlier:  // time.go:628
        case timerModifiedLater: {
          if (!t->status.compare_exchange_strong(s, timerMoving)) continue;  // time.go:629-631
          t->when = t->nextwhen;                                             // time.go:632
          t->pp.store(nullptr);                                              // time.go:633
          doaddtimer(pp, t);                                                 // time.go:634
          uint32_t want = timerMoving;
          if (!t->status.compare_exchange_strong(want, timerWaiting))
            badTimer();  // time.go:635-637
          moved = true;  // time.go:638  break loop
          break;
        }
        case timerDeleted:                                                    // time.go:639
          if (!t->status.compare_exchange_strong(s, timerRemoved)) continue;  // time.go:640-642
          t->pp.store(nullptr);                                               // time.go:643
          moved = true;  // time.go:645  break loop
          break;
        case timerModifying:  // time.go:646
          osyield();          // time.go:648
          break;
        default:       // no other status belongs in a heap
          badTimer();  // time.go:651, :655, :657
      }
    }
  }
}

// time.go:668  Put the timers modified earlier in their places, once the
// earliest of them is due; pp->timersLock held.
void adjusttimers(p* pp, int64_t now) {
  int64_t first = pp->timerModifiedEarliest.load();  // time.go:674
  if (first == 0 || first > now) return;             // time.go:675-680
  pp->timerModifiedEarliest.store(0);                // time.go:683
  // time.go:685  Go collects the moved timers in a slice, growing it as
  // needed; ours go in batches of 64.  When a batch is full it is put back
  // and the scan starts again from the top (put back, they are
  // timerWaiting and cost the rescan nothing).
  timer* moved[64];
  int32_t nmoved = 0;
  for (int32_t i = 0; i < pp->ntimers; i++) {               // time.go:686
    timer* t = pp->timers[i];                               // time.go:687
    if (t->pp.load() != pp) throw_("adjusttimers: bad p");  // time.go:688-690
    uint32_t s = t->status.load();                          // time.go:691
    switch (s) {
      case timerDeleted:                                            // time.go:692
        if (t->status.compare_exchange_strong(s, timerRemoving)) {  // time.go:693
          int32_t changed = dodeltimer(pp, i);                      // time.go:694
          uint32_t want = timerRemoving;
          if (!t->status.compare_exchange_strong(want, timerRemoved))
            badTimer();                    // time.go:695-697
          pp->deletedTimers.fetch_sub(1);  // time.go:698
          i = changed - 1;                 // time.go:701  back to the earliest changed entry
        }
        break;
      case timerModifiedEarlier:  // time.go:703
      case timerModifiedLater:
        if (t->status.compare_exchange_strong(s, timerMoving)) {  // time.go:704
          t->when = t->nextwhen;                                  // time.go:706
          int32_t changed = dodeltimer(pp, i);                    // time.go:711
          moved[nmoved++] = t;                                    // time.go:712
          i = changed - 1;                                        // time.go:715
          if (nmoved == 64) {
            addAdjustedTimers(pp, moved, nmoved);
            nmoved = 0;
            i = -1;
          }
        }
        break;
      case timerWaiting:  // time.go:719  nothing to do
        break;
      case timerModifying:  // time.go:721  check again when it is done
        osyield();          // time.go:723
        i--;                // time.go:724
        break;
      default: badTimer();  // time.go:718, :726
    }
  }
  if (nmoved > 0) addAdjustedTimers(pp, moved, nmoved);  // time.go:730-732
}

// time.go:741  Put back the timers adjusttimers took out.
void addAdjustedTimers(p* pp, timer** moved, int32_t n) {
  for (int32_t i = 0; i < n; i++) {  // time.go:742
    timer* t = moved[i];
    doaddtimer(pp, t);  // time.go:743
    uint32_t want = timerMoving;
    if (!t->status.compare_exchange_strong(want, timerWaiting)) badTimer();  // time.go:744-746
  }
}

// time.go:756  When pp's next timer is due, read without its lock; 0 if
// pp has none.
int64_t nobarrierWakeTime(p* pp) {
  int64_t next = pp->timer0When.load();                               // time.go:757
  int64_t nextAdj = pp->timerModifiedEarliest.load();                 // time.go:758
  if (next == 0 || (nextAdj != 0 && nextAdj < next)) next = nextAdj;  // time.go:759-761
  return next;                                                        // time.go:762
}

// time.go:773  Look at the first timer in pp's heap: run it if it is due
// (0), report when it will be (> 0), or that there are none left (-1).
// pp->timersLock held; runOneTimer drops it while the function runs.
int64_t runtimer(p* pp, int64_t now) {
  for (;;) {                                            // time.go:774
    timer* t = pp->timers[0];                           // time.go:775
    if (t->pp.load() != pp) throw_("runtimer: bad p");  // time.go:776-778
    uint32_t s = t->status.load();                      // time.go:779
    switch (s) {
      case timerWaiting:                    // time.go:780
        if (t->when > now) return t->when;  // time.go:781-784  not yet
        if (!t->status.compare_exchange_strong(s, timerRunning)) continue;   // time.go:786-788
        runOneTimer(pp, t, now);                                             // time.go:791
        return 0;                                                            // time.go:792
      case timerDeleted: {                                                   // time.go:794
        if (!t->status.compare_exchange_strong(s, timerRemoving)) continue;  // time.go:795-797
        dodeltimer0(pp);                                                     // time.go:798
        uint32_t want = timerRemoving;
        if (!t->status.compare_exchange_strong(want, timerRemoved)) badTimer();  // time.go:799-801
        pp->deletedTimers.fetch_sub(1);                                          // time.go:802
        if (pp->ntimers == 0) return -1;                                         // time.go:803-805
        break;
      }
      case timerModifiedEarlier:  // time.go:807
      case timerModifiedLater: {
        if (!t->status.compare_exchange_strong(s, timerMoving)) continue;  // time.go:808-810
        t->when = t->nextwhen;                                             // time.go:811
        dodeltimer0(pp);                                                   // time.go:812
        doaddtimer(pp, t);                                                 // time.go:813
        uint32_t want = timerMoving;
        if (!t->status.compare_exchange_strong(want, timerWaiting)) badTimer();  // time.go:814-816
        break;
      }
      case timerModifying:  // time.go:818  wait for it
        osyield();          // time.go:820
        break;
      default: badTimer();  // time.go:824, :828, :830
    }
  }
}

// time.go:840  Run t, whose status is timerRunning: out of the heap (or, if
// periodic, on to its next time), then its function, outside the lock.
void runOneTimer(p* pp, timer* t, int64_t now) {
  auto f = t->f;                    // time.go:849
  void* arg = t->arg;               // time.go:850
  uintptr_t seq = t->seq;           // time.go:851
  if (t->period > 0) {              // time.go:853  leave it in the heap, due later
    int64_t delta = t->when - now;  // time.go:855
    t->when += t->period * (1 + -delta / t->period);  // time.go:856
    if (t->when < 0) t->when = INT64_MAX;             // time.go:857-859  maxWhen
    siftdownTimer(pp->timers, pp->ntimers, 0);        // time.go:860
    uint32_t want = timerRunning;
    if (!t->status.compare_exchange_strong(want, timerWaiting)) badTimer();  // time.go:861-863
    updateTimer0When(pp);                                                    // time.go:864
  } else {
    dodeltimer0(pp);  // time.go:867  out of the heap
    uint32_t want = timerRunning;
    if (!t->status.compare_exchange_strong(want, timerNoStatus)) badTimer();  // time.go:868-870
  }
  unlock(&pp->timersLock);  // time.go:882
  if (netpolltrace)
    tracef("time.go", 884, "runOneTimer", -1, "a timer fires (when %lld, seq %lu)",
           static_cast<long long>(t->when), static_cast<unsigned long>(seq));
  f(arg, seq);            // time.go:884
  lock(&pp->timersLock);  // time.go:886
}

// time.go:903  Take every deleted timer out of pp's heap at once, and put
// the modified ones in place; pp->timersLock held.  The heap is rebuilt in
// place: kept timers are sifted up into the front of the array.
void clearDeletedTimers(p* pp) {
  pp->timerModifiedEarliest.store(0);  // time.go:906
  int32_t cdel = 0;                    // time.go:908
  int32_t to = 0;                      // time.go:909
  bool changedHeap = false;            // time.go:910
  timer** timers = pp->timers;         // time.go:911
  int32_t n = pp->ntimers;
  for (int32_t k = 0; k < n; k++) {  // time.go:913  range timers
    timer* t = timers[k];
    for (bool next = false; !next;) {  // time.go:914
      uint32_t s = t->status.load();   // time.go:915
      switch (s) {
        case timerWaiting:                    // time.go:916
          if (changedHeap) {                  // time.go:917
            timers[to] = t;                   // time.go:918
            siftupTimer(timers, to + 1, to);  // time.go:919
          }
          to++;         // time.go:921
          next = true;  // time.go:922  continue nextTimer
          break;
        case timerModifiedEarlier:  // time.go:923
        case timerModifiedLater:
          if (t->status.compare_exchange_strong(s, timerMoving)) {  // time.go:924
            t->when = t->nextwhen;                                  // time.go:925
            timers[to] = t;                                         // time.go:926
            siftupTimer(timers, to + 1, to);                        // time.go:927
            to++;                                                   // time.go:928
            changedHeap = true;                                     // time.go:929
            uint32_t want = timerMoving;
            if (!t->status.compare_exchange_strong(want, timerWaiting))
              badTimer();  // time.go:930-932
            next = true;   // time.go:933  continue nextTimer
          }
          break;
        case timerDeleted:                                            // time.go:935
          if (t->status.compare_exchange_strong(s, timerRemoving)) {  // time.go:936
            t->pp.store(nullptr);                                     // time.go:937
            cdel++;                                                   // time.go:938
            uint32_t want = timerRemoving;
            if (!t->status.compare_exchange_strong(want, timerRemoved))
              badTimer();        // time.go:939-941
            changedHeap = true;  // time.go:942
            next = true;         // time.go:943  continue nextTimer
          }
          break;
        case timerModifying:  // time.go:945
          osyield();          // time.go:947
          break;
        default: badTimer();  // time.go:950, :954, :956
      }
    }
  }
  for (int32_t i = to; i < n; i++) timers[i] = nullptr;      // time.go:963-965
  pp->deletedTimers.fetch_sub(static_cast<uint32_t>(cdel));  // time.go:967
  pp->numTimers.fetch_sub(static_cast<uint32_t>(cdel));      // time.go:968
  pp->ntimers = to;                                          // time.go:970-971
  updateTimer0When(pp);                                      // time.go:972
}

// time.go:1004  pp->timersLock held.
void updateTimer0When(p* pp) {
  if (pp->ntimers == 0)       // time.go:1005
    pp->timer0When.store(0);  // time.go:1006
  else
    pp->timer0When.store(pp->timers[0]->when);  // time.go:1008
}

// time.go:1015  Lower pp's timerModifiedEarliest to nextwhen if it is
// later (or unset).
void updateTimerModifiedEarliest(p* pp, int64_t nextwhen) {
  for (;;) {                                         // time.go:1016
    int64_t old = pp->timerModifiedEarliest.load();  // time.go:1017
    if (old != 0 && old < nextwhen) return;          // time.go:1018-1020
    if (pp->timerModifiedEarliest.compare_exchange_strong(old, nextwhen))
      return;  // time.go:1021-1023
  }
}

// time.go:1030  When the next timer of any P is due (INT64_MAX if none).
int64_t timeSleepUntil() {
  int64_t next = INT64_MAX;  // time.go:1031  maxWhen
  // time.go:1034 left out: allpLock; our allp changes only while no M runs.
  for (int32_t i = 0; i < gomaxprocs; i++) {  // time.go:1035
    p* pp = allp[i];
    int64_t w = pp->timer0When.load();     // time.go:1042
    if (w != 0 && w < next) next = w;      // time.go:1043-1045
    w = pp->timerModifiedEarliest.load();  // time.go:1047
    if (w != 0 && w < next) next = w;      // time.go:1048-1050
  }
  return next;  // time.go:1054
}

// time.go:1068  Move the timer at i up the 4-ary heap t[0:n] to its place;
// returns where it landed.
int32_t siftupTimer(timer** t, int32_t n, int32_t i) {
  if (i >= n) badTimer();           // time.go:1069-1071
  int64_t when = t[i]->when;        // time.go:1072
  if (when <= 0) badTimer();        // time.go:1073-1075
  timer* tmp = t[i];                // time.go:1076
  while (i > 0) {                   // time.go:1077
    int32_t p = (i - 1) / 4;        // time.go:1078  parent
    if (when >= t[p]->when) break;  // time.go:1079-1081
    t[i] = t[p];                    // time.go:1082
    i = p;                          // time.go:1083
  }
  if (tmp != t[i]) t[i] = tmp;  // time.go:1085-1087
  return i;                     // time.go:1088
}

// time.go:1093  Move the timer at i down the 4-ary heap t[0:n].
void siftdownTimer(timer** t, int32_t n, int32_t i) {
  if (i >= n) badTimer();                   // time.go:1095-1097
  int64_t when = t[i]->when;                // time.go:1098
  if (when <= 0) badTimer();                // time.go:1099-1101
  timer* tmp = t[i];                        // time.go:1102
  for (;;) {                                // time.go:1103
    int32_t c = i * 4 + 1;                  // time.go:1104  left child
    int32_t c3 = c + 2;                     // time.go:1105  mid child
    if (c >= n) break;                      // time.go:1106-1108
    int64_t w = t[c]->when;                 // time.go:1109
    if (c + 1 < n && t[c + 1]->when < w) {  // time.go:1110
      w = t[c + 1]->when;                   // time.go:1111
      c++;                                  // time.go:1112
    }
    if (c3 < n) {                                // time.go:1114
      int64_t w3 = t[c3]->when;                  // time.go:1115
      if (c3 + 1 < n && t[c3 + 1]->when < w3) {  // time.go:1116
        w3 = t[c3 + 1]->when;                    // time.go:1117
        c3++;                                    // time.go:1118
      }
      if (w3 < w) {  // time.go:1120
        w = w3;      // time.go:1121
        c = c3;      // time.go:1122
      }
    }
    if (w >= when) break;  // time.go:1125-1127
    t[i] = t[c];           // time.go:1128
    i = c;                 // time.go:1129
  }
  if (tmp != t[i]) t[i] = tmp;  // time.go:1131-1133
}

// time.go:1140
void badTimer() { throw_("timer data corruption"); }  // time.go:1141

// Not in Go: the timers still pending in every P's heap, for tests.
int32_t ntimers() {
  int32_t n = 0;
  for (int32_t i = 0; i < gomaxprocs; i++)
    n += static_cast<int32_t>(allp[i]->numTimers.load() - allp[i]->deletedTimers.load());
  return n;
}

}  // namespace runtime
