// time.go's contracts that hold whatever the heap looks like, and
// time_nofake.go: the clock and the runtime's write.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "gotest.h"
#include "runtime/runtime.h"
#include "testutil.h"

namespace rt = runtime;

// time.go:442-444
TEST(TimeDeathTest, ModtimerWithANegativePeriodThrows) {
  EXPECT_EXIT(gotest::go([] {
                rt::timer t;
                rt::modtimer(
                    &t, rt::nanotime() + 1000000000, -1, [](void*, uintptr_t) {}, nullptr, 0);
              }),
              testing::ExitedWithCode(2), "fatal error: timer period must be non-negative");
}

// time.go:439-441
TEST(TimeDeathTest, ModtimerWhenNotPositiveThrows) {
  EXPECT_EXIT(gotest::go([] {
                rt::timer t;
                rt::modtimer(
                    &t, 0, 0, [](void*, uintptr_t) {}, nullptr, 0);
              }),
              testing::ExitedWithCode(2), "fatal error: timer when must be positive");
}

namespace {
std::string g_captured;
int32_t capture(uintptr_t fd, const void* p, int32_t n) {
  g_captured += "[" + std::to_string(fd) + "]" + std::string(static_cast<const char*>(p), n);
  return n;
}
}  // namespace

// time_nofake.go:28-29: with the hook set, nothing reaches the kernel.
TEST(TimeNofake, WriteGoesToOverrideWriteWhenItIsSet) {
  g_captured.clear();
  rt::overrideWrite = capture;
  rt::print("runtime: %s %d\n", "print reaches write", 42);
  int32_t n = rt::write(7, "xyz", 3);
  rt::overrideWrite = nullptr;
  EXPECT_EQ(n, 3);
  EXPECT_EQ(g_captured, "[2]runtime: print reaches write 42\n[7]xyz");
}

// time_nofake.go:31: without it, write is write1.
TEST(TimeNofake, WriteWithoutTheHookIsWrite1) {
  ASSERT_EQ(rt::overrideWrite, nullptr);
  testutil::Pair p = testutil::make_pipe();
  EXPECT_EQ(rt::write(static_cast<uintptr_t>(p.b.get()), "ab", 2), 2);
  char buf[4];
  EXPECT_EQ(::read(p.a, buf, sizeof buf), 2);
  EXPECT_EQ(rt::write(static_cast<uintptr_t>(testutil::closed_fd()), "ab", 2), -EBADF);
}

// time_nofake.go:19: nanotime is nanotime1, the monotonic clock.
TEST(TimeNofake, NanotimeIsTheMonotonicClock) {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  int64_t before = ts.tv_sec * 1000000000LL + ts.tv_nsec;
  int64_t ours = rt::nanotime();
  clock_gettime(CLOCK_MONOTONIC, &ts);
  int64_t after = ts.tv_sec * 1000000000LL + ts.tv_nsec;
  EXPECT_LE(before, ours);
  EXPECT_LE(ours, after);
}

// --- the 4-ary heap (time.go:1067-1133) through addtimer and runtimer ---

namespace {
struct Fired {
  std::vector<int64_t>* order;
  int64_t when;
};
void record(void* arg, uintptr_t) {
  auto* f = static_cast<Fired*>(arg);
  f->order->push_back(f->when);
}
}  // namespace

// Two hundred timers, added in a shuffled order and all due, run in the
// order of their deadlines: runtimer always takes the heap's top, so any
// slip in siftupTimer or siftdownTimer shows as a timer out of turn.  Ten
// shuffles: a wrong heap can still give one order that happens to come out
// sorted.
TEST(Timers, TwoHundredShuffledTimersRunInDeadlineOrder) {
  constexpr int kTimers = 200, kShuffles = 10;
  for (int round = 0; round < kShuffles; round++) {
    std::vector<int64_t> order, whens;
    gotest::go(
        [&] {
          int64_t base = rt::nanotime() - 1000000;  // a millisecond ago: all due at once
          std::vector<int> k(kTimers);
          std::iota(k.begin(), k.end(), 0);
          std::shuffle(k.begin(), k.end(), std::mt19937(round));
          std::vector<rt::timer> ts(kTimers);
          std::vector<Fired> args(kTimers);
          for (int i = 0; i < kTimers; i++) {
            args[i] = {&order, base + 1000 * k[i]};
            whens.push_back(args[i].when);
            ts[i].when = args[i].when;
            ts[i].f = record;
            ts[i].arg = &args[i];
            rt::addtimer(&ts[i]);
          }
          gotest::until([&] { return order.size() == kTimers; });
        },
        1);
    std::sort(whens.begin(), whens.end());
    ASSERT_EQ(order.size(), whens.size());
    EXPECT_EQ(order, whens) << "shuffle " << round << ": the timers ran out of deadline order";
  }
}

// --- time.go:282 and 540-542: a new or earlier timer and the poller ---

// An M blocked in netpoll until an hour from now, as findRunnable leaves it
// (lastpoll 0, pollUntil its wake-up time), and the timers a test adds.
// Timers are set by goroutines, so each test runs in a run of one P, whose
// only M is busy with the test: nothing else polls while the test stands
// in for the poller.
class PollerAsleep : public testutil::PollerStateTest {
 protected:
  void in_run(std::function<void()> body) {
    gotest::go(
        [&] {
          int64_t lastpoll = rt::sched.lastpoll.load();
          hour = rt::nanotime() + 3600 * int64_t{1000000000};
          rt::sched.lastpoll.store(0);
          rt::sched.pollUntil.store(hour);
          body();
          for (rt::timer& t : ts)
            if (t.f != nullptr) rt::deltimer(&t);
          rt::p* pp = rt::getm()->p_.load();
          rt::lock(&pp->timersLock);
          rt::clearDeletedTimers(pp);
          rt::unlock(&pp->timersLock);
          testutil::drain_breaks();
          rt::sched.pollUntil.store(0);
          rt::sched.lastpoll.store(lastpoll);
        },
        1);
  }
  rt::timer* add(int64_t when) {
    rt::timer* t = &ts[n++];
    t->when = when;
    t->f = [](void*, uintptr_t) {};
    rt::addtimer(t);
    return t;
  }
  rt::timer ts[2];
  int n = 0;
  int64_t hour = 0;
};

// A timer due before the poller wakes: addtimer must break it out.
TEST_F(PollerAsleep, AddtimerBreaksItForATimerDueSooner) {
  in_run([&] {
    add(rt::nanotime() + 1000000);
    EXPECT_EQ(testutil::pending_breaks(), 1) << "the poller sleeps on past the new timer";
  });
}

TEST_F(PollerAsleep, AddtimerLeavesItAsleepForATimerDueLater) {
  in_run([&] {
    add(hour + 1000000000);
    EXPECT_EQ(testutil::pending_breaks(), 0) << "a later timer needs no break";
  });
}

// A timer moved from the hour to now: modtimer must break the poller out,
// so that the timer runs now and not in an hour.
TEST_F(PollerAsleep, ModtimerMovingATimerEarlierBreaksIt) {
  in_run([&] {
    rt::timer* t = add(hour);  // due when the poller wakes anyway: no break
    ASSERT_EQ(testutil::pending_breaks(), 0);
    rt::modtimer(t, rt::nanotime() + 1000000, 0, t->f, nullptr, 0);
    EXPECT_EQ(testutil::pending_breaks(), 1) << "the poller sleeps on to the old time";
  });
}

TEST_F(PollerAsleep, ModtimerMovingATimerLaterLeavesItAsleep) {
  in_run([&] {
    rt::timer* t = add(hour);
    rt::modtimer(t, hour + 1000000000, 0, t->f, nullptr, 0);
    EXPECT_EQ(testutil::pending_breaks(), 0) << "a later timer needs no break";
  });
}

// A sleep so long that now + it overflows int64 sleeps as Go's does: its
// timer is clamped to the far future (time.go:192-194, maxWhen), and the
// goroutine stays parked while others run; it does not return at once, as
// it would with a when that wrapped negative.  Then the test takes its
// timer away and wakes it, so that no goroutine outlives the run.
TEST(Timers, ASleepWhoseDeadlineOverflowsStaysAsleep) {
  std::atomic<bool> returned{false};
  bool asleep = false, removed = false;
  int32_t left = gotest::go(
      [&] {
        rt::g* sleeper = gotest::spawn([&] {
          rt::timeSleep(INT64_MAX);
          returned = true;
        });
        gotest::until([] { return gotest::parked(rt::waitReason::Sleep) == 1; });
        for (int i = 0; i < 1000 && !returned; i++) rt::Gosched();  // timers run between
        asleep = gotest::parked(rt::waitReason::Sleep) == 1 && !returned;
        removed = rt::deltimer(sleeper->timer);
        if (removed) rt::goready(sleeper);
        gotest::until([&] { return returned.load(); });
      },
      1);
  EXPECT_TRUE(asleep) << "the sleep returned, or was never asleep";
  EXPECT_TRUE(removed) << "its timer had fired";
  EXPECT_EQ(left, 0);
}
