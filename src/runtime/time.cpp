// time.cpp - the runtime timers of Go 1.19.8's runtime/time.go, simplified,
// as far as the netpoller's read and write deadlines need them.
//
// What Go does instead: each P keeps its own 4-ary heap of timers, each
// timer walks a state machine (timerWaiting, timerModifiedEarlier, ...) so
// that most operations need no lock, and deleted timers are removed lazily.
// Here there is one binary heap for the process under one lock, and a
// timer is either in the heap (index >= 0) or not.  What is kept is what
// the netpoller can see: a timer fires once at `when`, on an M that is
// looking for work (checkTimers), by calling f(arg, seq) outside any lock;
// adding an earlier timer wakes the M blocked in netpoll (wakeNetPoller);
// and the first timer starts the poller (doaddtimer).
#include <cstring>

#include "runtime/netpoll.h"
#include "runtime/runtime.h"

namespace runtime {

namespace {

mutex timersLock;
timer** heap = nullptr;  // min-heap on when, in memory from sysMmap
int32_t heaplen = 0, heapcap = 0;

bool less(int32_t i, int32_t j) { return heap[i]->when < heap[j]->when; }
void swap(int32_t i, int32_t j) {
  timer* t = heap[i];
  heap[i] = heap[j];
  heap[j] = t;
  heap[i]->index = i;
  heap[j]->index = j;
}
void siftupTimer(int32_t i) {  // time.go's siftupTimer, binary
  while (i > 0 && less(i, (i - 1) / 2)) {
    swap(i, (i - 1) / 2);
    i = (i - 1) / 2;
  }
}
void siftdownTimer(int32_t i) {  // time.go's siftdownTimer, binary
  for (;;) {
    int32_t c = 2 * i + 1;
    if (c >= heaplen) return;
    if (c + 1 < heaplen && less(c + 1, c)) c++;
    if (!less(c, i)) return;
    swap(i, c);
    i = c;
  }
}

// Go appends to a slice; without a heap allocator we double by hand.
void grow() {
  int32_t ncap = heapcap ? heapcap * 2 : 512;
  uintptr_t bytes = static_cast<uintptr_t>(ncap) * sizeof(timer*);
  mmapResult r =
      sysMmap(nullptr, bytes, 3 /* PROT_READ|WRITE */, 0x22 /* MAP_PRIVATE|ANON */, -1, 0);
  if (r.p == nullptr) throw_("runtime: cannot allocate timer heap");
  if (heap) {
    std::memcpy(r.p, heap, heaplen * sizeof(timer*));
    sysMunmap(heap, static_cast<uintptr_t>(heapcap) * sizeof(timer*));
  }
  heap = static_cast<timer**>(r.p);
  heapcap = ncap;
}

// time.go:289  Put t in the heap; timersLock held.
void doaddtimer(timer* t) {
  if (t->index >= 0) throw_("doaddtimer: timer already in heap");
  if (heaplen == heapcap) grow();
  int32_t i = heaplen;  // time.go:300  i := len(timers)
  t->index = i;
  heap[heaplen++] = t;  // time.go:301  timers = append(timers, t)
  siftupTimer(i);       // time.go:302
}

// Take t out of the heap; timersLock held.
void dodeltimer(timer* t) {
  int32_t i = t->index;
  int32_t last = --heaplen;
  if (i != last) {
    swap(i, last);
    siftdownTimer(i);
    siftupTimer(i);
  }
  t->index = -1;
}

// Take the first timer out of the heap (time.go's dodeltimer0, which the
// runner uses); timersLock held.
void dodeltimer0() { dodeltimer(heap[0]); }

}  // namespace

// time.go:256  Add a timer that fires at t->when.
void addtimer(timer* t) {
  if (t->when <= 0) throw_("timer when must be positive");         // time.go:260-262
  if (t->period < 0) throw_("timer period must be non-negative");  // time.go:263-265
  // time.go:292-294: timers rely on the network poller: it is what an M
  // sleeps in until the next timer is due.
  if (!netpollinited()) netpollGenericInit();
  int64_t when = t->when;  // time.go:271
  lock(&timersLock);       // time.go:277
  doaddtimer(t);           // time.go:279
  unlock(&timersLock);     // time.go:280
  wakeNetPoller(when);     // time.go:282
}

// time.go:313  Stop t; reports whether it was still pending.
bool deltimer(timer* t) {
  lock(&timersLock);
  bool pending = t->index >= 0;
  if (pending) dodeltimer(t);
  unlock(&timersLock);
  return pending;
}

// time.go:438  Change when (and f, arg, seq) of t, adding it if it is not
// pending; reports whether it was pending.  Go wakes the poller only when
// the timer moved earlier; so do we.
bool modtimer(timer* t, int64_t when, int64_t period, void (*f)(void*, uintptr_t), void* arg,
              uintptr_t seq) {
  if (when <= 0) throw_("timer when must be positive");         // time.go:439-441
  if (period < 0) throw_("timer period must be non-negative");  // time.go:442-444
  if (!netpollinited()) netpollGenericInit();
  lock(&timersLock);
  bool pending = t->index >= 0;
  int64_t old = t->when;
  t->period = period;  // time.go:498-501
  t->f = f;
  t->arg = arg;
  t->seq = seq;
  t->when = when;
  if (pending) {
    siftdownTimer(t->index);
    siftupTimer(t->index);
  } else {
    doaddtimer(t);  // time.go:507
  }
  unlock(&timersLock);
  if (!pending || when < old) wakeNetPoller(when);  // time.go:513, :541
  return pending;
}

// time.go:553
bool resettimer(timer* t, int64_t when) {
  return modtimer(t, when, t->period, t->f, t->arg, t->seq);
}

// proc.go:3279 with time.go's runtimer and runOneTimer (time.go:773, :840):
// run every timer due by now, each outside the lock, as Go runs them on the
// M's g0; return the when of the next pending timer, or 0 if none.
int64_t checkTimers(int64_t now) {
  lock(&timersLock);
  while (heaplen > 0 && heap[0]->when <= now) {
    timer* t = heap[0];
    auto f = t->f;           // time.go:849
    void* arg = t->arg;      // time.go:850
    uintptr_t seq = t->seq;  // time.go:851
    dodeltimer0();           // time.go:867  period 0: out of the heap
    unlock(&timersLock);     // time.go:882
    if (netpolltrace)
      tracef("timer fired: when=%lld seq=%lu\n", static_cast<long long>(t->when),
             static_cast<unsigned long>(seq));
    f(arg, seq);  // time.go:884
    lock(&timersLock);
  }
  int64_t next = heaplen > 0 ? heap[0]->when : 0;
  unlock(&timersLock);
  return next;
}

int64_t nextTimerWhen() {
  lock(&timersLock);
  int64_t next = heaplen > 0 ? heap[0]->when : 0;
  unlock(&timersLock);
  return next;
}

namespace {
// time.go:202  timeSleep's commit: arm the timer only once the g is
// parked, or a short sleep's timer could ready it before it sleeps.
bool resetForSleep(g*, void* ut) {
  auto* t = static_cast<timer*>(ut);  // time.go:203
  resettimer(t, t->nextwhen);         // time.go:204
  return true;                        // time.go:205
}

// time.go:248  The sleeping g's timer function.
void goroutineReady(void* arg, uintptr_t) {
  goready(static_cast<g*>(arg));  // time.go:249
}
}  // namespace

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
  gopark(resetForSleep, t, waitReason::Sleep);                    // time.go:195
}

int32_t ntimers() {
  lock(&timersLock);
  int32_t n = heaplen;
  unlock(&timersLock);
  return n;
}

}  // namespace runtime
