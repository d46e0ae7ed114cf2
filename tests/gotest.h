// Running test code as goroutines: go() starts the main goroutine on the
// scheduler and returns when it returns, with the number of goroutines
// still alive then (0 when everything finished).
#pragma once

#include <functional>

#include "runtime/runtime.h"

namespace gotest {

inline int32_t go(std::function<void()> main_fn, int32_t nprocs = 0) {
  return runtime::run([](void* f) { (*static_cast<std::function<void()>*>(f))(); }, &main_fn,
                      nprocs);
}

// Start a goroutine running fn; fn is copied onto the heap and freed when it ends.
inline runtime::g* spawn(std::function<void()> fn) {
  auto* f = new std::function<void()>(std::move(fn));
  return runtime::newproc(
      [](void* p) {
        auto* fp = static_cast<std::function<void()>*>(p);
        (*fp)();
        delete fp;
      },
      f);
}

// Park the calling goroutine until another readies it (Go's gopark with no
// commit condition): for tests that need a goroutine to wait on a state.
inline void park() {
  runtime::gopark([](runtime::g*, void*) { return true; }, nullptr, runtime::waitReason::zero,
                  runtime::traceEvGoBlock, 1);
}

// Count the goroutines, other than the caller, that are parked for this
// reason: IOWait in netpollblock, Semacquire on a semaphore (fdMutex,
// WaitGroup, Close), Sleep in timeSleep.
inline int parked(runtime::waitReason why) {
  int n = 0;
  for (runtime::g* gp = runtime::allgs(); gp; gp = __atomic_load_n(&gp->alllink, __ATOMIC_ACQUIRE))
    if (gp->atomicstatus.load() == runtime::Gwaiting && gp->waitreason == why) n++;
  return n;
}
inline int parked_on_io() { return parked(runtime::waitReason::IOWait); }

// Let other goroutines run until cond() holds.  Not a sleep: every round
// gives the scheduler to whoever is runnable, and cond reads the state the
// test waits for.
template <class F>
void until(F cond) {
  while (!cond()) runtime::Gosched();
}

}  // namespace gotest
