// sync.WaitGroup (sync/waitgroup.go) on the runtime's semaphores.
#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "gotest.h"
#include "net/net.h"
#include "sync/waitgroup.h"
#include "testutil.h"

TEST(WaitGroup, WaitReturnsOnlyAfterTheLastDone) {
  std::atomic<int> done{0};
  int seen = -1;
  gotest::go([&] {
    sync_::WaitGroup wg;
    wg.Add(10);
    for (int i = 0; i < 10; i++)
      gotest::spawn([&] {
        runtime::Gosched();
        done++;
        wg.Done();
      });
    wg.Wait();
    seen = done.load();
  });
  EXPECT_EQ(seen, 10);
}

TEST(WaitGroup, WaitWithNothingToWaitForReturnsAtOnce) {
  bool back = false;
  gotest::go([&] {
    sync_::WaitGroup wg;
    wg.Wait();
    back = true;
  });
  EXPECT_TRUE(back);
}

TEST(WaitGroupDeathTest, NegativeCounterPanics) {
  EXPECT_EXIT(
      {
        sync_::WaitGroup wg;
        wg.Done();
      },
      testing::ExitedWithCode(2), "fatal error: sync: negative WaitGroup counter");
}

// The last Done may race with the waiter's Wait; once Wait returns, the
// waiter frees the WaitGroup, and Done must not touch it after that.  (The
// WaitGroup this project had before sync.WaitGroup's twin did, between its
// decrement and its hand-off; under AddressSanitizer that was a
// heap-use-after-free within a few thousand rounds.)
TEST(WaitGroup, DoneNeverTouchesAWaitGroupThatWaitHasLetGo) {
  int rounds = 0;
  gotest::go(
      [&] {
        for (int i = 0; i < 50000; i++) {
          auto* wg = new sync_::WaitGroup;
          wg->Add(1);
          runtime::newproc([](void* p) { static_cast<sync_::WaitGroup*>(p)->Done(); }, wg);
          wg->Wait();
          delete wg;
          rounds++;
        }
      },
      2);
  EXPECT_EQ(rounds, 50000);
}

// The WaitGroup lives on the waiter's stack, and the waiter returns (its
// frame is gone) the moment Wait can: the last Done must not touch the
// WaitGroup after it lets Wait return.  A storm of 2,000 goroutines, each
// parked on a read whose deadline expires, each calling Done as it wakes,
// on several Ms, again and again.
TEST(WaitGroup, DeadlineStormWithTheWaitGroupOnTheWaitersStack) {
  constexpr int kReaders = 2000, kRounds = 5;
  testutil::raise_nofile(kReaders + 64);
  std::atomic<int> timeouts{0};
  int32_t left = gotest::go(
      [&] {
        for (int r = 0; r < kRounds; r++) {
          // A listener per round: the connections are never accepted, and
          // its queue goes with it.
          net::netFD* ln;
          ASSERT_EQ(net::Listen(0, &ln), 0);
          int port = net::Port(ln);
          std::vector<net::netFD*> conns(kReaders);
          for (auto& c : conns) ASSERT_EQ(net::Dial(port, &c), 0);
          {
            sync_::WaitGroup wg;  // on this goroutine's stack
            wg.Add(kReaders);
            int64_t deadline = runtime::nanotime() + 5 * 1000 * 1000;
            for (net::netFD* c : conns)
              gotest::spawn([c, deadline, &wg, &timeouts] {
                c->SetReadDeadline(deadline);
                char b;
                if (c->Read(&b, 1).err == net::ErrDeadlineExceeded) timeouts++;
                wg.Done();
              });
            wg.Wait();
          }
          for (net::netFD* c : conns) c->Close(), net::Free(c);
          ln->Close();
          net::Free(ln);
        }
      },
      4);
  EXPECT_EQ(timeouts.load(), kReaders * kRounds);
  EXPECT_EQ(left, 0);
}

// The semaphore fdMutex and WaitGroup sleep on: four goroutines parked on
// one address, in turn, are woken one per release in the order they came
// (sema.go's queue appends at the wait list's tail, dequeue takes its
// head).  A queue that let the third waiter replace the second, on
// enqueue or on dequeue, once passed the whole suite: the second was never
// woken.
TEST(Sema, FourWaitersOnOneAddressAreAllWokenInTheOrderTheyCame) {
  std::atomic<uint32_t> sema{0};
  std::vector<int> woken;
  int32_t left = gotest::go(
      [&] {
        for (int i = 0; i < 4; i++) {
          gotest::spawn([&, i] {
            runtime::sync_runtime_Semacquire(&sema);
            woken.push_back(i);
          });
          // The i-th waiter parks before the next one is made.
          gotest::until([&] { return gotest::parked(runtime::waitReason::Semacquire) == i + 1; });
        }
        for (int i = 0; i < 4; i++) {
          runtime::sync_runtime_Semrelease(&sema, false);
          gotest::until([&] { return woken.size() == static_cast<size_t>(i + 1); });
        }
      },
      1);
  EXPECT_EQ(left, 0);
  EXPECT_EQ(woken, (std::vector<int>{0, 1, 2, 3}));
}
