// lock_futex.cpp - twin of Go 1.19.8's runtime/lock_futex.go (and the
// futex helpers of os_linux.go): the runtime's own mutex and note, built
// on the futex stub, so that an M waiting for a lock or for work sleeps in
// the kernel without libc's pthread primitives.
#include "runtime/runtime.h"

namespace runtime {

namespace {
constexpr uint32_t mutex_unlocked = 0;            // lock_futex.go:26
constexpr uint32_t mutex_locked = 1;              // lock_futex.go:27
constexpr uint32_t mutex_sleeping = 2;            // lock_futex.go:28
constexpr int active_spin = 4;                    // lock_futex.go:30
constexpr uint32_t active_spin_cnt = 30;          // lock_futex.go:31
constexpr int passive_spin = 1;                   // lock_futex.go:32
constexpr int32_t FUTEX_WAIT_PRIVATE_ = 0 | 128;  // os_linux.go:50
constexpr int32_t FUTEX_WAKE_PRIVATE_ = 1 | 128;  // os_linux.go:51
}  // namespace

// asm_amd64.asm: PAUSE, cycles times.
extern "C" void procyield(uint32_t cycles);

// os_linux.go:62  Sleeps while *addr == val, at most ns (forever if < 0).
// Spurious wake-ups are allowed: every caller loops.
void futexsleep(std::atomic<uint32_t>* addr, uint32_t val, int64_t ns) {
  if (ns < 0) {                                                  // os_linux.go:68
    futex(addr, FUTEX_WAIT_PRIVATE_, val, nullptr, nullptr, 0);  // os_linux.go:69
    return;                                                      // os_linux.go:70
  }
  struct {
    int64_t tv_sec, tv_nsec;
  } ts{ns / 1000000000, ns % 1000000000};                  // os_linux.go:73-74
  futex(addr, FUTEX_WAIT_PRIVATE_, val, &ts, nullptr, 0);  // os_linux.go:75
}

// os_linux.go:81  Wakes at most cnt sleepers on addr.
void futexwakeup(std::atomic<uint32_t>* addr, uint32_t cnt) {
  int32_t ret = futex(addr, FUTEX_WAKE_PRIVATE_, cnt, nullptr, nullptr, 0);   // os_linux.go:82
  if (ret >= 0) return;                                                       // os_linux.go:83-85
  print("futexwakeup addr=%p returned %d\n", static_cast<void*>(addr), ret);  // os_linux.go:91
  throw_("futexwakeup");  // Go stores to 0x1006 to crash (os_linux.go:94)
}

// lock_futex.go:51  Go's lock2: grab the key; if it was held, spin, then
// yield, then sleep in the kernel until unlock wakes us.  The exchanges and
// CASes on key are what order the critical sections: acquire here, release
// in unlock.  (Go also counts m.locks, to forbid preemption; we have none.)
void lock(mutex* l) {
  uint32_t v = l->key.exchange(mutex_locked, std::memory_order_acquire);  // lock_futex.go:60
  if (v == mutex_unlocked) return;                                        // lock_futex.go:61-63
  // lock_futex.go:72  wait is what to store when we win by CAS: if someone
  // may be asleep (v was sleeping), the key must go back to sleeping, or
  // their wake-up would be lost.
  uint32_t wait = v;
  auto try_cas = [&] {
    while (l->key.load(std::memory_order_relaxed) == mutex_unlocked) {  // lock_futex.go:83
      uint32_t expected = mutex_unlocked;
      if (l->key.compare_exchange_strong(expected, wait, std::memory_order_acquire))
        return true;  // lock_futex.go:84-86
    }
    return false;
  };
  for (;;) {                                 // lock_futex.go:80
    for (int i = 0; i < active_spin; i++) {  // lock_futex.go:82  (Go spins only if ncpu > 1)
      if (try_cas()) return;       // lock_futex.go:83-87  while l.key == mutex_unlocked, CAS
      procyield(active_spin_cnt);  // lock_futex.go:88
    }
    for (int i = 0; i < passive_spin; i++) {  // lock_futex.go:92
      if (try_cas()) return;                  // lock_futex.go:93-97  the same l.key CAS loop
      osyield();                              // lock_futex.go:98
    }
    v = l->key.exchange(mutex_sleeping, std::memory_order_acquire);  // lock_futex.go:102
    if (v == mutex_unlocked) return;                                 // lock_futex.go:103-105
    wait = mutex_sleeping;                                           // lock_futex.go:106
    futexsleep(&l->key, mutex_sleeping, -1);                         // lock_futex.go:107
  }
}

// lock_futex.go:115
void unlock(mutex* l) {
  uint32_t v = l->key.exchange(mutex_unlocked, std::memory_order_release);  // lock_futex.go:116
  if (v == mutex_unlocked) throw_("unlock of unlocked lock");               // lock_futex.go:117-119
  if (v == mutex_sleeping) futexwakeup(&l->key, 1);                         // lock_futex.go:120-122
}

// lock_futex.go:135
void noteclear(note* n) { n->key.store(0, std::memory_order_relaxed); }

// lock_futex.go:139  Wake the one M sleeping on n (or let it not sleep).
void notewakeup(note* n) {
  uint32_t old = n->key.exchange(1, std::memory_order_release);  // lock_futex.go:140
  if (old != 0) {                                                // lock_futex.go:141
    print("notewakeup - double wakeup (%u)\n", old);             // lock_futex.go:142
    throw_("notewakeup - double wakeup");                        // lock_futex.go:143
  }
  futexwakeup(&n->key, 1);  // lock_futex.go:145
}

// lock_futex.go:148  Sleep until notewakeup.  Only an M's own stack (g0)
// may sleep: a goroutine would block its whole M.
void notesleep(note* n) {
  if (getg() != nullptr) throw_("notesleep not on g0");  // lock_futex.go:150-152
  m* mp = getm();  // nullptr on a test's thread, which has no M (not in Go)
  while (n->key.load(std::memory_order_acquire) == 0) {  // lock_futex.go:158
    if (mp) mp->blocked.store(true);                     // lock_futex.go:159
    futexsleep(&n->key, 0, -1);                          // lock_futex.go:160
    if (mp) mp->blocked.store(false);                    // lock_futex.go:164
  }
}

// lock_futex.go:219 (with notetsleep_internal, :173)  Sleep until
// notewakeup or ns nanoseconds; reports whether it was woken.
bool notetsleep(note* n, int64_t ns) {
  if (ns < 0) {  // lock_futex.go:176
    notesleep(n);
    return true;
  }
  if (n->key.load(std::memory_order_acquire) != 0) return true;  // lock_futex.go:192-194
  int64_t deadline = nanotime() + ns;                            // lock_futex.go:196
  for (;;) {                                                     // lock_futex.go:197
    m* mp = getm();  // nullptr on a test's thread, which has no M (not in Go)
    if (mp) mp->blocked.store(true);                             // lock_futex.go:201
    futexsleep(&n->key, 0, ns);                                  // lock_futex.go:202
    if (mp) mp->blocked.store(false);                            // lock_futex.go:206
    if (n->key.load(std::memory_order_acquire) != 0) break;      // lock_futex.go:207-209
    int64_t now = nanotime();                                    // lock_futex.go:210
    if (now >= deadline) break;                                  // lock_futex.go:211-213
    ns = deadline - now;                                         // lock_futex.go:214
  }
  return n->key.load(std::memory_order_acquire) != 0;  // lock_futex.go:216
}

}  // namespace runtime
