// waitgroup.h - Go's sync.WaitGroup, for the demo and tests: one goroutine
// waits (parks, through gopark) until a count of others have called Done.
// Go builds it on the runtime's semaphores (sema.go); this is the same
// idea in a few lines, on gopark's commit function.
#pragma once

#include <atomic>

#include "runtime/runtime.h"

namespace net {

class WaitGroup {
 public:
  void Add(int n) { n_.fetch_add(n); }
  void Done() {
    if (n_.fetch_sub(1) == 1) {
      runtime::g* w = waiter_.exchange(nullptr);
      if (w) runtime::goready(w);
    }
  }
  // Parks the calling goroutine until the count reaches zero.
  void Wait() {
    if (n_.load() == 0) return;
    runtime::gopark(commit, this, runtime::waitReason::zero);
  }

 private:
  // Runs on g0 after the waiter is parked: publish it, unless the count
  // already reached zero (then take it back and keep running).
  static bool commit(runtime::g* gp, void* arg) {
    auto* wg = static_cast<WaitGroup*>(arg);
    wg->waiter_.store(gp);
    if (wg->n_.load() == 0) {
      runtime::g* expected = gp;
      if (wg->waiter_.compare_exchange_strong(expected, nullptr)) return false;
    }
    return true;  // parked; Done will ready it
  }
  std::atomic<int> n_{0};
  std::atomic<runtime::g*> waiter_{nullptr};
};

}  // namespace net
