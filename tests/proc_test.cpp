// proc.cpp and asm_amd64.asm: goroutines, Ms, gopark/goready, the context
// switch, and wakeNetPoller.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <xmmintrin.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gotest.h"
#include "runtime/netpoll.h"
#include "sync/waitgroup.h"
#include "testutil.h"

namespace rt = runtime;

TEST(Proc, OneProcRunsEveryGoroutineOnTheCallingThread) {
  int caller = testutil::gettid_();
  std::set<int> tids;
  rt::mutex mu;
  gotest::go(
      [&] {
        std::atomic<int> done{0};
        for (int i = 0; i < 10; i++)
          gotest::spawn([&] {
            rt::lock(&mu);
            tids.insert(testutil::gettid_());
            rt::unlock(&mu);
            done++;
          });
        while (done < 10) rt::Gosched();
      },
      1);
  EXPECT_EQ(tids, std::set<int>{caller});
}

TEST(Proc, TwoProcsRunTwoGoroutinesAtOnce) {
  // Each goroutine spins, never yielding, until it has seen the other
  // running: only two Ms in parallel can get both through.  The spin is
  // bounded so that a failure fails rather than hangs.
  std::atomic<int> running{0};
  std::atomic<bool> both{false};
  auto spinner = [&] {
    running++;
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (running < 2 && std::chrono::steady_clock::now() < until) {
    }
    if (running >= 2) both = true;
  };
  gotest::go(
      [&] {
        std::atomic<int> done{0};
        gotest::spawn([&] { spinner(), done++; });
        spinner();
        while (done < 1) rt::Gosched();
      },
      2);
  EXPECT_TRUE(both.load());
}

TEST(Proc, GoparkWithRefusingCommitResumesAtOnce) {
  bool resumed = false;
  int32_t left = gotest::go([&] {
    rt::gopark([](rt::g*, void*) { return false; }, nullptr, rt::waitReason::zero);
    resumed = true;
  });
  EXPECT_TRUE(resumed);
  EXPECT_EQ(left, 0);
}

TEST(Proc, GoreadyFromAnotherThreadWakesAParkedGoroutine) {
  std::atomic<rt::g*> parked{nullptr};
  std::atomic<bool> woke{false};
  std::thread runner([&] {
    gotest::go([&] {
      rt::gopark(
          [](rt::g* gp, void* p) {
            static_cast<std::atomic<rt::g*>*>(p)->store(gp);
            return true;
          },
          &parked, rt::waitReason::zero);
      woke = true;
    });
  });
  while (parked.load() == nullptr) sched_yield();
  EXPECT_FALSE(woke.load());
  rt::goready(parked.load());
  runner.join();
  EXPECT_TRUE(woke.load());
}

TEST(Proc, MainReturningLeavesTheRestCounted) {
  std::atomic<rt::g*> parked{nullptr};
  std::atomic<bool> finished{false};
  int32_t left = gotest::go([&] {
    gotest::spawn([&] {
      rt::gopark(
          [](rt::g* gp, void* p) {
            static_cast<std::atomic<rt::g*>*>(p)->store(gp);
            return true;
          },
          &parked, rt::waitReason::zero);
      finished = true;
    });
    while (parked.load() == nullptr) rt::Gosched();
  });
  EXPECT_EQ(left, 1) << "the parked goroutine outlives main";
  // The next run can still wake it: its stack and state were kept.
  left = gotest::go([&] {
    rt::goready(parked.load());
    while (!finished) rt::Gosched();
  });
  EXPECT_TRUE(finished.load());
  EXPECT_EQ(left, 0);
}

TEST(Proc, ContextSwitchKeepsEachGoroutinesMxcsr) {
  // MXCSR's rounding mode is callee-saved under System V: a goroutine that
  // set it must find it unchanged after another goroutine ran with another.
  unsigned seen_a = 0, seen_b = 0;
  gotest::go(
      [&] {
        std::atomic<int> step{0};
        gotest::spawn([&] {
          _mm_setcsr((_mm_getcsr() & ~0x6000u) | 0x4000u);  // round up
          step = 1;
          while (step < 2) rt::Gosched();
          seen_b = _mm_getcsr() & 0x6000u;
          step = 3;
        });
        _mm_setcsr((_mm_getcsr() & ~0x6000u) | 0x2000u);  // round down
        while (step < 1) rt::Gosched();
        step = 2;
        while (step < 3) rt::Gosched();
        seen_a = _mm_getcsr() & 0x6000u;
        _mm_setcsr(_mm_getcsr() & ~0x6000u);
      },
      1);
  EXPECT_EQ(seen_a, 0x2000u);
  EXPECT_EQ(seen_b, 0x4000u);
}

namespace {
__attribute__((noinline)) float sum_aligned() {
  // At -O0, __m128 locals live on the stack and are moved with movaps,
  // which faults on an address that is not 16-byte aligned.
  __m128 a = _mm_set1_ps(1.0f), b = _mm_set1_ps(2.0f);
  __m128 c = _mm_add_ps(a, b);
  float out[4];
  _mm_storeu_ps(out, c);
  return out[0];
}
int deep(int n) { return n == 0 ? 0 : 1 + deep(n - 1) + (n & 1); }
}  // namespace

TEST(ProcDeathTest, NewStackIsAlignedForSseCode) {
  EXPECT_EXIT(
      {
        float v = 0;
        gotest::go([&] { v = sum_aligned(); }, 1);
        _exit(v == 3.0f ? 0 : 1);
      },
      testing::ExitedWithCode(0), "");
}

// Go's prologue check, ours at every function's entry (src/runtime/
// stack.cpp): a goroutine that recurses past its stack dies with Go's
// message, not a fault in its neighbour's memory.
TEST(ProcDeathTest, StackOverflowIsCaughtWithGosMessage) {
  EXPECT_EXIT(gotest::go([] { deep(1 << 30); }, 1), testing::ExitedWithCode(2),
              "runtime: goroutine stack exceeds [0-9]+-byte limit\n"
              "runtime: sp=0x[0-9a-f]+ stack=\\[0x[0-9a-f]+, 0x[0-9a-f]+\\]\n"
              "fatal error: stack overflow");
}

// A stack per mapping (two, with a guard page) stops at about 32,700
// goroutines: the kernel allows a process 65,530 mappings.  Stacks come
// from spans, so 70,000 parked goroutines take a few hundred mappings.
// (Not under ThreadSanitizer, which maps memory for each goroutine's fiber
// and allows 8,128 of them: the Makefile leaves it out of that suite.)
TEST(Proc, SeventyThousandParkedGoroutinesTakeAFewHundredMappings) {
  constexpr int kParked = 70000;
  std::atomic<int> started{0};
  int maps = 0;
  int32_t left = gotest::go(
      [&] {
        std::vector<runtime::g*> gs;
        gs.reserve(kParked);
        sync_::WaitGroup done;
        done.Add(kParked);
        for (int i = 0; i < kParked; i++)
          gs.push_back(gotest::spawn([&] {
            started++;
            gotest::park();
            done.Done();
          }));
        gotest::until([&] { return started.load() == kParked; });
        std::ifstream in("/proc/self/maps");
        for (std::string line; std::getline(in, line);) maps++;
        for (runtime::g* gp : gs) {
          gotest::until([gp] { return gp->atomicstatus.load() == runtime::Gwaiting; });
          runtime::goready(gp);
        }
        done.Wait();
      },
      2);
  EXPECT_EQ(left, 0);
  EXPECT_LT(maps, 2000) << "mappings while " << kParked << " goroutines were parked";
}

// ThreadSanitizer follows each goroutine as a fiber.  A g that is reused
// must start with a fresh one, or its fiber keeps the frames of every life
// before it and TSan gives up after about 32,800 (run under TSan in CI).
TEST(Proc, FortyThousandLifetimesOfOneGoroutineSlot) {
  int n = 0;
  gotest::go(
      [&] {
        for (int i = 0; i < 40000; i++) {
          std::atomic<bool> ran{false};
          gotest::spawn([&] { ran = true; });
          gotest::until([&] { return ran.load() && runtime::sched.ngsys.load() == 0; });
          n++;
        }
      },
      1);
  EXPECT_EQ(n, 40000);
}

// --- proc.go:3078 wakeNetPoller ---

class WakeNetPoller : public testing::Test {
 protected:
  void SetUp() override {
    rt::netpollGenericInit();
    char buf[64];
    while (rt::read(static_cast<int32_t>(rt::netpollBreakRd), buf, sizeof buf) > 0) {
    }
    rt::netpollWakeSig.store(0);
    saved_lastpoll = rt::sched.lastpoll.load();
  }
  void TearDown() override {
    rt::sched.lastpoll.store(saved_lastpoll);
    rt::sched.pollUntil.store(0);
  }
  int64_t saved_lastpoll;
};

TEST_F(WakeNetPoller, EarlierTimerBreaksTheBlockedPoller) {
  std::atomic<int> tid{0};
  std::thread poller([&] {
    tid = testutil::gettid_();
    rt::sched.pollUntil.store(0);
    rt::sched.lastpoll.store(0);  // as findRunnable marks its poller
    rt::netpoll(-1);
  });
  while (tid == 0) sched_yield();
  ASSERT_TRUE(testutil::wait_until_in_syscall(tid, SYS_epoll_wait));
  rt::wakeNetPoller(rt::nanotime() + 1000000);
  poller.join();  // returns only if the break pipe was written
  SUCCEED();
}

TEST_F(WakeNetPoller, LaterTimerLeavesThePollerAsleep) {
  int64_t now = rt::nanotime();
  rt::sched.lastpoll.store(0);
  rt::sched.pollUntil.store(now + 1000000);  // the poller wakes in 1 ms anyway
  rt::wakeNetPoller(now + 5000000);
  EXPECT_EQ(rt::netpollWakeSig.load(), 0u) << "no break needed";
  int n = -1;
  ioctl(static_cast<int>(rt::netpollBreakRd), FIONREAD, &n);
  EXPECT_EQ(n, 0);
}
