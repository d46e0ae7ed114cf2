// netpoll.cpp against Go's netpoll.go: the pollDesc semaphores rg/wg
// through every transition, deadlines and their timers, close.
#include "runtime/netpoll.h"

#include <fcntl.h>

#include <atomic>
#include <thread>

#include "gotest.h"
#include "testutil.h"

namespace rt = runtime;

namespace {

class PollDesc : public testing::Test {
 protected:
  void SetUp() override {
    rt::netpollGenericInit();
    int32_t err;
    pd = rt::poll_runtime_pollOpen(static_cast<uintptr_t>(pipe.a.get()), &err);
    ASSERT_NE(pd, nullptr);
  }
  void TearDown() override {
    if (!pd->closing) rt::poll_runtime_pollUnblock(pd);
    rt::poll_runtime_pollClose(pd);
  }
  testutil::Pair pipe = testutil::make_pipe(O_NONBLOCK);
  rt::pollDesc* pd = nullptr;
};

}  // namespace

// --- netpoll.go:536 netpollunblock and :499 netpollblock, no goroutine ---

TEST_F(PollDesc, IoReadyMovesNilToPdReadyWithNoOneToWake) {
  EXPECT_EQ(rt::netpollunblock(pd, 'r', true), nullptr);
  EXPECT_EQ(pd->rg.load(), rt::pdReady);
}

TEST_F(PollDesc, BlockConsumesPdReadyWithoutParking) {
  pd->rg.store(rt::pdReady);
  // Called outside any goroutine: it could not park, so it must not try.
  EXPECT_TRUE(rt::netpollblock(pd, 'r', false));
  EXPECT_EQ(pd->rg.load(), 0u) << "the notification is consumed";
}

TEST_F(PollDesc, UnblockWithoutIoReadyLeavesNilAlone) {
  EXPECT_EQ(rt::netpollunblock(pd, 'r', false), nullptr);
  EXPECT_EQ(pd->rg.load(), 0u) << "a timeout or close with no waiter sets nothing";
}

TEST_F(PollDesc, UnblockWithoutIoReadyLeavesPdReadyAlone) {
  pd->rg.store(rt::pdReady);
  EXPECT_EQ(rt::netpollunblock(pd, 'r', false), nullptr);
  EXPECT_EQ(pd->rg.load(), rt::pdReady);
}

TEST_F(PollDesc, WriteSemaphoreIsIndependentOfRead) {
  rt::netpollunblock(pd, 'w', true);
  EXPECT_EQ(pd->wg.load(), rt::pdReady);
  EXPECT_EQ(pd->rg.load(), 0u);
}

TEST_F(PollDesc, ResetForgetsAnOldNotification) {
  pd->rg.store(rt::pdReady);
  EXPECT_EQ(rt::poll_runtime_pollReset(pd, 'r'), rt::pollNoError);
  EXPECT_EQ(pd->rg.load(), 0u);
}

TEST_F(PollDesc, DoubleWaitThrows) {
  // A semaphore holding a g (anything above pdWait) means a goroutine is
  // already parked on it.
  pd->rg.store(0x1000);
  EXPECT_EXIT(rt::netpollblock(pd, 'r', false), testing::ExitedWithCode(2),
              "fatal error: runtime: double wait");
  pd->rg.store(0);
}

TEST_F(PollDesc, CommitFailsWhenANotificationReplacedPdWait) {
  // netpollblockcommit runs on g0 after the g is saved; if netpoll got
  // there first, pdWait is already pdReady and the g must not park.
  pd->rg.store(rt::pdReady);
  EXPECT_FALSE(rt::netpollblockcommit(reinterpret_cast<rt::g*>(0x1000), &pd->rg));
  EXPECT_EQ(pd->rg.load(), rt::pdReady);
  pd->rg.store(rt::pdWait);
  uint32_t waiters = rt::netpollWaiters.load();
  EXPECT_TRUE(rt::netpollblockcommit(reinterpret_cast<rt::g*>(0x1000), &pd->rg));
  EXPECT_EQ(pd->rg.load(), 0x1000u);
  EXPECT_EQ(rt::netpollWaiters.load(), waiters + 1);
  rt::netpollWaiters.fetch_sub(1);
  pd->rg.store(0);
}

// --- the whole cycle with a real goroutine ---

TEST_F(PollDesc, NilToPdWaitToGToPdReadyToConsumed) {
  // nil -> pdWait (netpollblock) -> G (commit) -> pdReady (netpoll's
  // netpollunblock) -> nil (the woken netpollblock's swap), watched from
  // outside the scheduler.
  std::atomic<bool> done{false};
  std::atomic<rt::g*> waiter{nullptr};
  std::thread runner([&] {
    gotest::go(
        [&] {
          waiter = rt::getg();
          EXPECT_TRUE(rt::netpollblock(pd, 'r', false));
          done = true;
        },
        1);
  });
  while (waiter.load() == nullptr || pd->rg.load() != reinterpret_cast<uintptr_t>(waiter.load()))
    sched_yield();
  EXPECT_EQ(waiter.load()->atomicstatus.load(), rt::Gwaiting);
  EXPECT_EQ(waiter.load()->waitreason.load(), rt::waitReason::IOWait);
  EXPECT_FALSE(done.load());
  ASSERT_EQ(::write(pipe.b, "x", 1), 1);  // the M polling now finds fd ready
  runner.join();
  EXPECT_TRUE(done.load());
  EXPECT_EQ(pd->rg.load(), 0u) << "consumed by the woken goroutine";
}

namespace {
// A commit that first delivers the notification itself: the ready event
// lands after the CAS to pdWait and before the park commits, the window
// netpollblock's comments warn about (netpoll.go:528).
rt::pollDesc* g_pd;
bool notify_then_commit(rt::g* gp, void* gpp) {
  rt::gList l;
  rt::netpollready(&l, g_pd, 'r');  // pdWait -> pdReady, nobody to wake yet
  EXPECT_TRUE(l.empty());
  return rt::netpollblockcommit(gp, gpp);
}
}  // namespace

TEST_F(PollDesc, NotificationBetweenPdWaitAndParkIsNotLost) {
  g_pd = pd;
  bool result = false;
  int32_t left = gotest::go(
      [&] {
        // netpollblock's steps, with our commit in gopark's place.
        uintptr_t expected = 0;
        ASSERT_TRUE(pd->rg.compare_exchange_strong(expected, rt::pdWait));
        rt::gopark(notify_then_commit, &pd->rg, rt::waitReason::IOWait, rt::traceEvGoBlockNet, 5);
        // The commit failed, so gopark returned at once, with no goready.
        result = pd->rg.exchange(0) == rt::pdReady;
      },
      1);
  EXPECT_TRUE(result) << "netpollblock would report the I/O ready";
  EXPECT_EQ(left, 0);
}

// --- deadlines: netpoll.go:326 pollSetDeadline, :565 netpolldeadlineimpl ---

TEST_F(PollDesc, ExpiredReadDeadlineWakesTheParkedGoroutineWithTimeout) {
  int32_t got = -1;
  gotest::go([&] {
    rt::poll_runtime_pollSetDeadline(pd, 20 * 1000 * 1000, 'r');  // 20 ms from now
    got = rt::poll_runtime_pollWait(pd, 'r');
  });
  EXPECT_EQ(got, rt::pollErrTimeout);
  EXPECT_TRUE(rt::expiredReadDeadline(pd->info()));
  EXPECT_FALSE(rt::expiredWriteDeadline(pd->info()));
}

TEST_F(PollDesc, DeadlineInThePastFailsTheWaitAtOnce) {
  int32_t got = -1;
  gotest::go([&] {
    rt::poll_runtime_pollSetDeadline(pd, -1, 'r');
    got = rt::poll_runtime_pollWait(pd, 'r');
  });
  EXPECT_EQ(got, rt::pollErrTimeout);
  EXPECT_EQ(pd->rt.f, nullptr) << "no timer for a deadline already past";
}

TEST_F(PollDesc, EqualReadAndWriteDeadlinesShareOneTimer) {
  gotest::go([&] {
    rt::poll_runtime_pollSetDeadline(pd, int64_t{3600} * 1000000000, 'r' + 'w');
    EXPECT_EQ(pd->rt.f, &rt::netpollDeadline) << "the combined callback";
    EXPECT_EQ(pd->wt.f, nullptr);
    rt::poll_runtime_pollSetDeadline(pd, 0, 'r' + 'w');  // clear both
    EXPECT_EQ(pd->rt.f, nullptr);
  });
}

TEST_F(PollDesc, ClearingTheDeadlineRemovesItsTimer) {
  int32_t before = rt::ntimers();
  gotest::go([&] {
    rt::poll_runtime_pollSetDeadline(pd, int64_t{3600} * 1000000000, 'r');
    EXPECT_EQ(rt::ntimers(), before + 1);
    rt::poll_runtime_pollSetDeadline(pd, 0, 'r');
    EXPECT_EQ(rt::ntimers(), before);
  });
}

TEST_F(PollDesc, StaleTimerDoesNothing) {
  gotest::go([&] {
    rt::poll_runtime_pollSetDeadline(pd, int64_t{3600} * 1000000000, 'r');
    uintptr_t old = pd->rt.seq;
    rt::poll_runtime_pollSetDeadline(pd, int64_t{7200} * 1000000000, 'r');  // rseq++
    ASSERT_NE(pd->rseq, old);
    int64_t rd = pd->rd;
    rt::netpollReadDeadline(pd, old);  // the old timer firing late
    EXPECT_EQ(pd->rd, rd) << "deadline untouched";
    EXPECT_FALSE(rt::expiredReadDeadline(pd->info()));
    rt::poll_runtime_pollSetDeadline(pd, 0, 'r');
  });
}

TEST_F(PollDesc, CurrentTimerExpiresTheDeadline) {
  gotest::go([&] {
    rt::poll_runtime_pollSetDeadline(pd, int64_t{3600} * 1000000000, 'r');
    rt::netpollReadDeadline(pd, pd->rseq);  // as if it fired now
    EXPECT_EQ(pd->rd, -1);
    EXPECT_TRUE(rt::expiredReadDeadline(pd->info()));
    EXPECT_EQ(rt::netpollcheckerr(pd, 'r'), rt::pollErrTimeout);
    rt::poll_runtime_pollSetDeadline(pd, 0, 'r');
    EXPECT_EQ(rt::netpollcheckerr(pd, 'r'), rt::pollNoError) << "reset clears the expiry";
  });
}

// --- close: netpoll.go:408 pollUnblock ---

TEST_F(PollDesc, UnblockWakesBothWaitersWithClosing) {
  std::atomic<int32_t> r{-1}, w{-1};
  // The reader waits on the fixture's empty pipe; the writer on a second
  // pipe, filled so that it really waits.
  auto full = testutil::make_pipe(O_NONBLOCK);
  static char junk[65536];
  while (::write(full.b, junk, sizeof junk) > 0) {
  }
  int32_t err;
  rt::pollDesc* wpd = rt::poll_runtime_pollOpen(static_cast<uintptr_t>(full.b.get()), &err);
  ASSERT_NE(wpd, nullptr);
  gotest::go([&] {
    gotest::spawn([&] { r = rt::poll_runtime_pollWait(pd, 'r'); });
    gotest::spawn([&] {
      rt::poll_runtime_pollReset(wpd, 'w');
      w = rt::poll_runtime_pollWait(wpd, 'w');
    });
    while (gotest::parked_on_io() < 2) rt::Gosched();
    rt::poll_runtime_pollUnblock(pd);
    rt::poll_runtime_pollUnblock(wpd);
    while (r < 0 || w < 0) rt::Gosched();
  });
  EXPECT_EQ(r.load(), rt::pollErrClosing);
  EXPECT_EQ(w.load(), rt::pollErrClosing);
  rt::poll_runtime_pollClose(wpd);
}

TEST_F(PollDesc, CloseWithoutUnblockThrows) {
  EXPECT_EXIT(rt::poll_runtime_pollClose(pd), testing::ExitedWithCode(2),
              "close polldesc w/o unblock");
}

TEST_F(PollDesc, SecondUnblockThrows) {
  rt::poll_runtime_pollUnblock(pd);
  EXPECT_EXIT(rt::poll_runtime_pollUnblock(pd), testing::ExitedWithCode(2),
              "unblock on closing polldesc");
}

TEST(PollCache, ReusesAFreedPollDescAndBumpsItsSeq) {
  rt::netpollGenericInit();
  auto p = testutil::make_pipe(O_NONBLOCK);
  int32_t err;
  rt::pollDesc* a = rt::poll_runtime_pollOpen(static_cast<uintptr_t>(p.a.get()), &err);
  uintptr_t rseq = a->rseq;
  rt::poll_runtime_pollUnblock(a);
  rt::poll_runtime_pollClose(a);
  rt::pollDesc* b = rt::poll_runtime_pollOpen(static_cast<uintptr_t>(p.a.get()), &err);
  EXPECT_EQ(a, b) << "the free list is a stack";
  EXPECT_GT(b->rseq, rseq) << "so timers armed for its last life are stale";
  EXPECT_FALSE(b->closing);
  rt::poll_runtime_pollUnblock(b);
  rt::poll_runtime_pollClose(b);
}

// netpoll.go:265-270 and 617-638: every freed pollDesc goes on the free
// list, and alloc takes from the list before it carves anything new; a
// freed one left off the list would never be used again.
TEST(PollCache, EveryFreedPollDescIsReusedBeforeAnyOther) {
  rt::netpollGenericInit();
  constexpr int kN = 6;
  std::vector<testutil::Pair> p;
  for (int i = 0; i < kN; i++) p.push_back(testutil::make_pipe(O_NONBLOCK));
  int32_t err = 0;
  std::set<rt::pollDesc*> freed, reused;
  std::vector<rt::pollDesc*> open;
  for (int i = 0; i < kN; i++) {
    open.push_back(rt::poll_runtime_pollOpen(static_cast<uintptr_t>(p[i].a.get()), &err));
    ASSERT_EQ(err, 0);
  }
  // Close them in an order unlike the one they came in.
  for (int i : {3, 0, 5, 1, 4, 2}) {
    freed.insert(open[i]);
    rt::poll_runtime_pollUnblock(open[i]);
    rt::poll_runtime_pollClose(open[i]);
  }
  ASSERT_EQ(freed.size(), static_cast<size_t>(kN));
  open.clear();
  for (int i = 0; i < kN; i++) {
    open.push_back(rt::poll_runtime_pollOpen(static_cast<uintptr_t>(p[i].a.get()), &err));
    ASSERT_EQ(err, 0);
    reused.insert(open.back());
  }
  EXPECT_EQ(reused, freed) << "a freed pollDesc was lost from the free list";
  for (rt::pollDesc* pd : open) {
    rt::poll_runtime_pollUnblock(pd);
    rt::poll_runtime_pollClose(pd);
  }
}

TEST(PollOpen, RegularFileFailsWithEPERMAndGivesThePollDescBack) {
  rt::netpollGenericInit();
  char path[] = "/tmp/netpoll-asm-XXXXXX";
  testutil::Fd f(mkstemp(path));
  unlink(path);
  int32_t err = 0;
  EXPECT_EQ(rt::poll_runtime_pollOpen(static_cast<uintptr_t>(f.get()), &err), nullptr);
  EXPECT_EQ(err, EPERM);
}
