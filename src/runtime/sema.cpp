// sema.cpp - twin of Go 1.19.8's runtime/sema.go: the semaphores that
// internal/poll's fdMutex and Close, and sync.WaitGroup, sleep on.  A
// semaphore is a uint32 count anywhere in memory; semacquire takes one unit
// or parks the goroutine until semrelease adds one.  Functions are in Go's
// order.
//
// What differs from Go, and where: the waiters for each distinct address
// hang off a plain list per semaRoot, where Go keeps them in a treap (a
// balanced tree ordered by address) so that thousands of distinct
// addresses in one root are found in O(log n); the nodes and the per-address
// queues (waitlink, waittail) are Go's.  Sudogs live in the waiter's frame
// (runtime2.h).  No block or mutex profiling.
#include "runtime/runtime.h"

namespace runtime {

namespace {

// sema.go:40  The waiters on the addresses that hash to this root.
struct semaRoot {
  mutex lock;                      // sema.go:41
  sudog* treap = nullptr;          // sema.go:42  Go's tree; here a list through next
  std::atomic<uint32_t> nwait{0};  // sema.go:43  read without the lock
};

constexpr uintptr_t semTabSize = 251;  // sema.go:49  a prime

// sema.go:51  Go pads each root to a cache line; ours are not padded.
semaRoot semtable[semTabSize];

// sema.go:56
semaRoot* rootFor(std::atomic<uint32_t>* addr) {
  return &semtable[(reinterpret_cast<uintptr_t>(addr) >> 3) % semTabSize];  // sema.go:57
}

// Defined below, in sema.go's order.
void semacquire1(std::atomic<uint32_t>* addr, bool lifo);
bool cansemacquire(std::atomic<uint32_t>* addr);
void queue(semaRoot* root, std::atomic<uint32_t>* addr, sudog* s, bool lifo);
sudog* dequeue(semaRoot* root, std::atomic<uint32_t>* addr);

}  // namespace

void semrelease1(std::atomic<uint32_t>* addr, bool handoff);

// sema.go:61  sync's runtime_Semacquire.
void sync_runtime_Semacquire(std::atomic<uint32_t>* addr) {
  semacquire1(addr, false);  // sema.go:62
}

// sema.go:66  internal/poll's.
void poll_runtime_Semacquire(std::atomic<uint32_t>* addr) {
  semacquire1(addr, false);  // sema.go:67
}

// sema.go:71  sync's runtime_Semrelease.
void sync_runtime_Semrelease(std::atomic<uint32_t>* addr, bool handoff) {
  semrelease1(addr, handoff);  // sema.go:72
}

// sema.go:81  internal/poll's.
void poll_runtime_Semrelease(std::atomic<uint32_t>* addr) {
  semrelease1(addr, false);  // sema.go:82  Go's semrelease(addr)
}

namespace {

// sema.go:104  Take one unit of *addr, parking until there is one.
// lifo puts a returning waiter first in line (sync.Mutex uses it).
void semacquire1(std::atomic<uint32_t>* addr, bool lifo) {
  g* gp = getg();                                              // sema.go:105
  if (gp == nullptr) throw_("semacquire not on the G stack");  // sema.go:106-108

  if (cansemacquire(addr)) return;  // sema.go:111-113  the easy case

  // Harder: count ourselves as a waiter, try once more,
  // queue, sleep.
  sudog s{};                       // sema.go:121  Go's acquireSudog
  semaRoot* root = rootFor(addr);  // sema.go:122
  s.ticket = 0;                    // sema.go:126
  for (;;) {                       // sema.go:137
    lock(&root->lock);             // sema.go:138
    root->nwait.fetch_add(1);      // sema.go:140  so that semrelease looks
    if (cansemacquire(addr)) {     // sema.go:142  a release came in between
      root->nwait.fetch_sub(1);    // sema.go:143
      unlock(&root->lock);         // sema.go:144
      break;                       // sema.go:145
    }
    queue(root, addr, &s, lifo);                        // sema.go:149
    goparkunlock(&root->lock, waitReason::Semacquire, traceEvGoBlockSync, 4);  // sema.go:150  4+skipframes, 0
    if (s.ticket != 0 || cansemacquire(addr)) break;    // sema.go:151-153
  }
  // sema.go:158 left out: releaseSudog; s is in this frame.
}

}  // namespace

// sema.go:165  Add one unit to *addr and wake one waiter, if any.  With
// handoff, the unit goes straight to the woken waiter (its ticket).
void semrelease1(std::atomic<uint32_t>* addr, bool handoff) {
  semaRoot* root = rootFor(addr);  // sema.go:166
  addr->fetch_add(1);              // sema.go:167

  // sema.go:172-174  The easy case: nobody waits.  This check must come
  // after the add, to pair with semacquire1's add to nwait before its
  // last cansemacquire.
  if (root->nwait.load() == 0) return;

  lock(&root->lock);              // sema.go:177
  if (root->nwait.load() == 0) {  // sema.go:178  the count was taken already
    unlock(&root->lock);          // sema.go:181
    return;                       // sema.go:182
  }
  sudog* s = dequeue(root, addr);              // sema.go:184
  if (s != nullptr) root->nwait.fetch_sub(1);  // sema.go:185-187
  unlock(&root->lock);                         // sema.go:188
  if (s != nullptr) {                          // sema.go:189  ready it outside the lock
    if (s->ticket != 0) throw_("corrupted semaphore ticket");  // sema.go:194-196
    if (handoff && cansemacquire(addr)) s->ticket = 1;         // sema.go:197-199
    goready(s->gp, 5);                                         // sema.go:200  readyWithTime(s, 5+skipframes)
    // sema.go:201-219 left out: after a handoff Go yields the P to the
    // woken waiter (goyield); only sync.Mutex hands off.
  }
}

namespace {

// sema.go:223  Take one unit if there is one.
bool cansemacquire(std::atomic<uint32_t>* addr) {
  for (;;) {                                                   // sema.go:224
    uint32_t v = addr->load();                                 // sema.go:225
    if (v == 0) return false;                                  // sema.go:226-228
    if (addr->compare_exchange_strong(v, v - 1)) return true;  // sema.go:229-231
  }
}

// sema.go:236  Add s to the waiters for addr; root.lock held.  A second
// waiter on an address joins the first one's queue.
void queue(semaRoot* root, std::atomic<uint32_t>* addr, sudog* s, bool lifo) {
  s->gp = getg();     // sema.go:237
  s->elem = addr;     // sema.go:238
  s->next = nullptr;  // sema.go:239
  s->prev = nullptr;  // sema.go:240

  sudog** pt = &root->treap;                     // sema.go:243
  for (sudog* t = *pt; t != nullptr; t = *pt) {  // sema.go:244
    if (t->elem == addr) {                       // sema.go:245
      if (lifo) {                                // sema.go:247
        // sema.go:249-269  s takes t's place at the head of the queue.
        *pt = s;
        s->ticket = t->ticket;
        s->next = t->next;
        s->waitlink = t;
        s->waittail = t->waittail;
        if (s->waittail == nullptr) s->waittail = t;
        t->next = nullptr;
        t->waittail = nullptr;
      } else {
        // sema.go:273-279  s goes to the back of t's queue.
        if (t->waittail == nullptr)
          t->waitlink = s;
        else
          t->waittail->waitlink = s;
        t->waittail = s;
        s->waitlink = nullptr;
      }
      return;  // sema.go:281
    }
    pt = &t->next;  // sema.go:283-288  Go descends by address; we walk on
  }
  // sema.go:302-316  A new address.  Go inserts it as a treap leaf with a
  // random priority and rotates it up; we put it at the end of the list.
  s->ticket = 0;
  s->waitlink = nullptr;
  s->waittail = nullptr;
  *pt = s;
}

// sema.go:323  Take the first waiter for addr off the list, or nullptr;
// root.lock held.
sudog* dequeue(semaRoot* root, std::atomic<uint32_t>* addr) {
  sudog** ps = &root->treap;       // sema.go:324
  sudog* s = *ps;                  // sema.go:325
  for (; s != nullptr; s = *ps) {  // sema.go:326
    if (s->elem == addr) break;    // sema.go:327-329  found
    ps = &s->next;                 // sema.go:330-334
  }
  if (s == nullptr) return nullptr;            // sema.go:336  Go returns nil, 0 here
  if (sudog* t = s->waitlink; t != nullptr) {  // sema.go:343
    // sema.go:345-363  The next waiter on addr takes s's place.
    *ps = t;
    t->ticket = s->ticket;
    t->next = s->next;
    t->waittail = t->waitlink != nullptr ? s->waittail : nullptr;
    s->waitlink = nullptr;
    s->waittail = nullptr;
  } else {
    // sema.go:366-382  Go rotates s down to a leaf and cuts it off; in a
    // list it is simply unlinked.
    *ps = s->next;
  }
  s->elem = nullptr;  // sema.go:385
  s->next = nullptr;  // sema.go:386
  s->prev = nullptr;  // sema.go:387
  s->ticket = 0;      // sema.go:388
  return s;           // sema.go:389
}

}  // namespace

}  // namespace runtime
