// waitgroup.h - Go 1.19.8's sync.WaitGroup (sync/waitgroup.go), rebuilt in
// src/sync/waitgroup.cpp: a counter and a count of waiters in one 64-bit
// word, and a runtime semaphore the waiters sleep on.  Wait returns once
// Done has brought the counter to zero; the last Done releases one unit of
// the semaphore per waiter and touches the WaitGroup no more after that,
// so a WaitGroup may live on the waiting goroutine's stack.
#pragma once

#include <atomic>
#include <cstdint>

namespace sync_ {

class WaitGroup {  // sync/waitgroup.go:23
 public:
  void Add(int delta);
  void Done();
  void Wait();

 private:
  // sync/waitgroup.go:32-33  Go keeps both in three 32-bit words so that the
  // 64-bit one is aligned even on 32-bit machines (its state method);
  // here they are two fields.  High 32 bits: the counter; low: waiters.
  std::atomic<uint64_t> state_{0};
  std::atomic<uint32_t> sema_{0};
};

}  // namespace sync_
