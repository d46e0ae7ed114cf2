// waitgroup.cpp - twin of Go 1.19.8's sync/waitgroup.go, without its race
// detector annotations.  Go's panics for misuse end the program here (a
// panic nobody recovers does the same in Go).
#include "sync/waitgroup.h"

#include "runtime/runtime.h"

namespace sync_ {

// sync/waitgroup.go:62  Add delta to the counter; when it reaches zero,
// release every waiter.
void WaitGroup::Add(int delta) {
  uint64_t state = state_.fetch_add(static_cast<uint64_t>(delta) << 32) +
                   (static_cast<uint64_t>(delta) << 32);           // sync/waitgroup.go:73
  int32_t v = static_cast<int32_t>(state >> 32);                   // sync/waitgroup.go:74
  uint32_t w = static_cast<uint32_t>(state);                       // sync/waitgroup.go:75
  if (v < 0) runtime::throw_("sync: negative WaitGroup counter");  // sync/waitgroup.go:82-84
  if (w != 0 && delta > 0 && v == delta)                           // sync/waitgroup.go:85
    runtime::throw_(
        "sync: WaitGroup misuse: Add called concurrently with Wait");  // sync/waitgroup.go:86
  if (v > 0 || w == 0) return;                                         // sync/waitgroup.go:88-90
  // The counter is 0 and there are waiters: no Add may now race with us,
  // and no Wait can start; only the releases remain.
  if (state_.load() != state)  // sync/waitgroup.go:96
    runtime::throw_(
        "sync: WaitGroup misuse: Add called concurrently with Wait");  // sync/waitgroup.go:97
  state_.store(0);                                    // sync/waitgroup.go:100  reset the waiters
  for (; w != 0; w--)                                 // sync/waitgroup.go:101
    runtime::sync_runtime_Semrelease(&sema_, false);  // sync/waitgroup.go:102
}

// sync/waitgroup.go:107
void WaitGroup::Done() { Add(-1); }  // sync/waitgroup.go:108

// sync/waitgroup.go:112  Park until the counter is zero.
void WaitGroup::Wait() {
  for (;;) {                                        // sync/waitgroup.go:118
    uint64_t state = state_.load();                 // sync/waitgroup.go:119
    int32_t v = static_cast<int32_t>(state >> 32);  // sync/waitgroup.go:120
    if (v == 0) return;  // sync/waitgroup.go:122-129  nothing to wait for
    if (state_.compare_exchange_strong(state,
                                       state + 1)) {  // sync/waitgroup.go:131  one more waiter
      runtime::sync_runtime_Semacquire(&sema_);       // sync/waitgroup.go:139  runtime_Semacquire
      if (state_.load() != 0)                         // sync/waitgroup.go:140
        runtime::throw_(
            "sync: WaitGroup is reused before previous Wait has returned");  // sync/waitgroup.go:141
      return;  // sync/waitgroup.go:147
    }
  }
}

}  // namespace sync_
