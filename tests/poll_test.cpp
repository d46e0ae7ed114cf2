// internal/poll's fdMutex, word by word: the state transitions that make
// reads and writes exclusive, count references, and let the last one out of
// a closed FD destroy it (fd_mutex.go).
#include <gtest/gtest.h>

#include <atomic>

#include "gotest.h"
#include "internal/poll/fd.h"
#include "sync/waitgroup.h"

namespace poll = internal::poll;
using runtime::waitReason;

TEST(FdMutex, IncrefSucceedsUntilClosedThenFails) {
  poll::fdMutex mu;
  EXPECT_TRUE(mu.incref());
  EXPECT_TRUE(mu.increfAndClose());
  EXPECT_FALSE(mu.incref()) << "no new reference once closed";
  EXPECT_FALSE(mu.increfAndClose()) << "a second close fails";
  EXPECT_FALSE(mu.rwlock(true));
  EXPECT_FALSE(mu.rwlock(false));
}

TEST(FdMutex, OnlyTheLastReferenceOfAClosedMutexDestroys) {
  poll::fdMutex mu;
  ASSERT_TRUE(mu.incref());          // an operation in progress
  ASSERT_TRUE(mu.increfAndClose());  // Close's own reference
  EXPECT_FALSE(mu.decref()) << "Close drops its reference; the operation still holds one";
  EXPECT_TRUE(mu.decref()) << "the operation's is the last: destroy";
}

TEST(FdMutex, ReleasingTheLastReferenceOfAnOpenMutexDoesNotDestroy) {
  poll::fdMutex mu;
  ASSERT_TRUE(mu.incref());
  EXPECT_FALSE(mu.decref());
}

TEST(FdMutex, ReadAndWriteLocksAreIndependent) {
  poll::fdMutex mu;
  ASSERT_TRUE(mu.rwlock(true));
  ASSERT_TRUE(mu.rwlock(false)) << "a writer is not held up by a reader";
  EXPECT_FALSE(mu.rwunlock(false));
  EXPECT_FALSE(mu.rwunlock(true));
}

TEST(FdMutex, UnlockOfAClosedMutexHeldOnlyByTheLockerDestroys) {
  poll::fdMutex mu;
  ASSERT_TRUE(mu.rwlock(true));
  ASSERT_TRUE(mu.increfAndClose());
  EXPECT_FALSE(mu.decref());       // Close's reference
  EXPECT_TRUE(mu.rwunlock(true));  // the reader's: the last
}

TEST(FdMutexDeathTest, DecrefWithoutAReferenceThrows) {
  EXPECT_EXIT(
      {
        poll::fdMutex mu;
        mu.decref();
      },
      testing::ExitedWithCode(2), "fatal error: inconsistent poll.fdMutex");
}

TEST(FdMutexDeathTest, UnlockWithoutTheLockThrows) {
  EXPECT_EXIT(
      {
        poll::fdMutex mu;
        mu.incref();
        mu.rwunlock(false);
      },
      testing::ExitedWithCode(2), "fatal error: inconsistent poll.fdMutex");
}

// A second reader sleeps on rsema (waitReason Semacquire) until the first
// unlocks; the first unlock hands the lock on.
TEST(FdMutex, SecondReaderSleepsOnTheSemaphoreUntilTheFirstUnlocks) {
  std::atomic<int> order{0}, second_saw{-1};
  gotest::go([&] {
    poll::fdMutex mu;
    ASSERT_TRUE(mu.rwlock(true));
    sync_::WaitGroup wg;
    wg.Add(1);
    gotest::spawn([&] {
      EXPECT_TRUE(mu.rwlock(true));
      second_saw = order.load();
      mu.rwunlock(true);
      wg.Done();
    });
    gotest::until([] { return gotest::parked(waitReason::Semacquire) == 1; });
    order = 1;  // still holding the lock: the second reader must not have it
    mu.rwunlock(true);
    wg.Wait();
  });
  EXPECT_EQ(second_saw.load(), 1) << "the second reader ran before the first unlocked";
}

// Close wakes every goroutine waiting for a lock; each then fails.
TEST(FdMutex, CloseWakesEveryWaiterAndTheirLocksFail) {
  std::atomic<int> failed{0};
  gotest::go([&] {
    poll::fdMutex mu;
    ASSERT_TRUE(mu.rwlock(true));
    ASSERT_TRUE(mu.rwlock(false));
    sync_::WaitGroup wg;
    wg.Add(4);
    for (int i = 0; i < 4; i++)
      gotest::spawn([&, i] {
        if (!mu.rwlock(i % 2 == 0)) failed++;
        wg.Done();
      });
    gotest::until([] { return gotest::parked(waitReason::Semacquire) == 4; });
    ASSERT_TRUE(mu.increfAndClose());
    wg.Wait();
  });
  EXPECT_EQ(failed.load(), 4);
}
