// The netpoller's fixes after Go 1.19 (notes/after_go1.19.md), run: each
// test shows Go 1.19.8's behaviour in the default build and the fix in a
// build of the release that made it (make test NETPOLL_GO=1.21 ...), and
// prints what it saw, for the note.
//
//   StaleEvent.*  golang/go#59545, fixed in Go 1.21: an event for a closed
//                 descriptor reaching the pollDesc a new one got.
//   Waiters.*     golang/go#33624 and #61454, fixed in Go 1.22: netpollWaiters
//                 grows with each netpoll wake-up.
// (Go 1.23's eventfd is checked where the break pipe is: netpoll_epoll_test,
// conformance_test, gdb_test, demo_test.)
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "gotest.h"
#include "runtime/netpoll.h"
#include "testutil.h"

namespace rt = runtime;

namespace {

const char* sem(uintptr_t v) {
  return v == 0 ? "nil" : v == rt::pdReady ? "pdReady" : v == rt::pdWait ? "pdWait" : "a G";
}

// --- golang/go#59545 ---
//
// netpoll collects a batch of events, then handles them one by one.  In
// between (netpollTestHookAfterWait), descriptor A is closed as
// internal/poll closes it (pollUnblock, pollClose, close) and descriptor B
// is opened: the pollDesc cache hands B the pollDesc A just gave back.  The
// batch still holds A's event, and its epoll datum names that pollDesc.

struct Reuse {
  rt::pollDesc* pdA = nullptr;
  int fdA = -1;
  int fdB = -1;
  rt::pollDesc* pdB = nullptr;
};
Reuse* g_reuse;

void close_a_open_b() {
  rt::netpollTestHookAfterWait = nullptr;  // once
  Reuse* r = g_reuse;
  rt::poll_runtime_pollUnblock(r->pdA);
  rt::poll_runtime_pollClose(r->pdA);
  ::close(r->fdA);
  int32_t err = 0;
  r->pdB = rt::poll_runtime_pollOpen(static_cast<uintptr_t>(r->fdB), &err);
}

class StaleEvent : public testing::Test {
 protected:
  void SetUp() override {
    rt::netpollGenericInit();
    testutil::drain_breaks();
    rt::netpoll(0);  // nothing of an earlier test's left in the ready list
  }
  void TearDown() override {
    rt::netpollTestHookAfterWait = nullptr;
    if (r.pdB) {
      rt::poll_runtime_pollUnblock(r.pdB);
      rt::poll_runtime_pollClose(r.pdB);
    }
  }
  rt::pollDesc* open(int fd) {
    int32_t err = 0;
    rt::pollDesc* pd = rt::poll_runtime_pollOpen(static_cast<uintptr_t>(fd), &err);
    EXPECT_NE(pd, nullptr) << "errno " << err;
    return pd;
  }
  // Close A and open B inside netpoll's next batch; B must get A's pollDesc.
  void reuse_inside_netpoll() {
    g_reuse = &r;
    rt::netpollTestHookAfterWait = close_a_open_b;
    rt::netpoll(0);
    ASSERT_EQ(rt::netpollTestHookAfterWait, nullptr) << "netpoll collected no event";
    ASSERT_EQ(r.pdB, r.pdA) << "the cache gave B another pollDesc: nothing to show";
  }
  std::string state(rt::pollDesc* pd) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "rg=%s wg=%s eventErr=%s", sem(pd->rg.load()),
                  sem(pd->wg.load()), rt::eventErr(pd->info()) ? "true" : "false");
    return buf;
  }
  Reuse r;
  testutil::Pair b = testutil::make_pipe(O_NONBLOCK);  // B: an empty pipe's read end
};

}  // namespace

// A: a pipe's write end, the pipe full and its reader gone, so that epoll
// reports EPOLLERR alone (a full pipe is not writable) -- the stale
// EPOLLERR of #59545, where it came from a closed tun device and made a
// new fifo fail with "not pollable".
#if NETPOLL_GO >= 121
TEST_F(StaleEvent, ErrorForAClosedDescriptorIsDroppedNotGivenToTheOneReusingItsPollDesc) {
#else
TEST_F(StaleEvent, ErrorForAClosedDescriptorMakesTheOneReusingItsPollDescNotPollable) {
#endif
  testutil::Pair a = testutil::make_pipe(O_NONBLOCK);
  r.fdB = b.a.get();
  r.fdA = a.b.release();
  r.pdA = open(r.fdA);
  rt::netpoll(0);  // the write end's first edge: writable
  ASSERT_EQ(rt::poll_runtime_pollReset(r.pdA, 'w'), rt::pollNoError);
  static char junk[65536];
  while (::write(r.fdA, junk, sizeof junk) > 0) {
  }
  a.a.reset();  // the reader goes: EPOLLERR alone, the pipe being full
  uintptr_t seq = 0;
#if NETPOLL_GO >= 121
  seq = r.pdA->fdseq.load();
#endif
  reuse_inside_netpoll();
  int32_t err = rt::netpollcheckerr(r.pdB, 'r');
  std::printf(
      "golang/go#59545, NETPOLL_GO=%d.%d: fd %d (a full pipe's write end, its reader gone: "
      "EPOLLERR) closed while netpoll held its event; its pollDesc %p went to fd %d (an empty "
      "pipe's read end); netpoll then handled the event: fd %d %s; netpollcheckerr(fd %d, 'r') = "
      "%d%s\n",
      NETPOLL_GO / 100, NETPOLL_GO % 100, r.fdA, static_cast<void*>(r.pdB), r.fdB, r.fdB,
      state(r.pdB).c_str(), r.fdB, err,
      err == rt::pollErrNotPollable ? " (pollErrNotPollable: \"not pollable\")" : " (pollNoError)");
#if NETPOLL_GO >= 121
  // Go 1.21: the datum carried fdseq as it was; free bumped it; dropped.
  EXPECT_NE(r.pdB->fdseq.load(), seq);
  EXPECT_EQ(r.pdB->rg.load(), 0u);
  EXPECT_EQ(r.pdB->wg.load(), 0u);
  EXPECT_FALSE(rt::eventErr(r.pdB->info()));
  EXPECT_EQ(err, rt::pollNoError);
  // And B's own events still arrive.
  ASSERT_EQ(::write(b.b, "x", 1), 1);
  rt::netpoll(0);
  EXPECT_EQ(r.pdB->rg.load(), rt::pdReady) << "B's own EPOLLIN";
#else
  // Go 1.19: the bare pointer led the event to B, which now fails.
  (void)seq;
  EXPECT_TRUE(rt::eventErr(r.pdB->info()));
  EXPECT_EQ(r.pdB->rg.load(), rt::pdReady);
  EXPECT_EQ(r.pdB->wg.load(), rt::pdReady);
  EXPECT_EQ(err, rt::pollErrNotPollable);
  EXPECT_EQ(rt::poll_runtime_pollWait(r.pdB, 'r'), rt::pollErrNotPollable)
      << "what internal/poll's Read on B returns: ErrNotPollable";
#endif
}

// A: a pipe's read end with a byte in it: EPOLLIN.  B then looks readable
// though its pipe is empty: its reader returns from pollWait for nothing.
#if NETPOLL_GO >= 121
TEST_F(StaleEvent, ReadinessForAClosedDescriptorIsDroppedNotGivenToTheOneReusingItsPollDesc) {
#else
TEST_F(StaleEvent, ReadinessForAClosedDescriptorWakesTheOneReusingItsPollDesc) {
#endif
  testutil::Pair a = testutil::make_pipe(O_NONBLOCK);
  ASSERT_EQ(::write(a.b, "x", 1), 1);
  r.fdB = b.a.get();
  r.fdA = a.a.release();
  r.pdA = open(r.fdA);
  reuse_inside_netpoll();
  std::printf(
      "golang/go#59545, NETPOLL_GO=%d.%d: fd %d (a pipe's read end, a byte in it: EPOLLIN) "
      "closed while netpoll held its event; its pollDesc went to fd %d (an empty pipe's read "
      "end); netpoll then handled the event: fd %d %s\n",
      NETPOLL_GO / 100, NETPOLL_GO % 100, r.fdA, r.fdB, r.fdB, state(r.pdB).c_str());
#if NETPOLL_GO >= 121
  EXPECT_EQ(r.pdB->rg.load(), 0u) << "dropped: a reader of B would park, as it should";
#else
  EXPECT_EQ(r.pdB->rg.load(), rt::pdReady)
      << "a reader of B returns from pollWait at once, and its read gets EAGAIN";
  char c;
  EXPECT_EQ(::read(r.fdB, &c, 1), -1);
  EXPECT_EQ(errno, EAGAIN) << "B has nothing to read: the wake-up was for A";
#endif
}

// --- golang/go#33624, #61454: netpollWaiters ---
//
// Two goroutines on one M play ping-pong through two pipes, each parking in
// netpollblock until the other's byte arrives, so every wake-up comes from
// netpoll.  After each round, main compares netpollWaiters with the number
// of goroutines parked in netpollblock.

namespace {

void recv1(rt::pollDesc* pd, int fd) {  // as internal/poll's FD.Read does
  char c;
  ASSERT_EQ(rt::poll_runtime_pollReset(pd, 'r'), rt::pollNoError);
  while (::read(fd, &c, 1) < 0) ASSERT_EQ(rt::poll_runtime_pollWait(pd, 'r'), rt::pollNoError);
}

}  // namespace

#if NETPOLL_GO >= 122
TEST(Waiters, CountIsTheGoroutinesParkedInNetpollAndZeroWhenNoneAre) {
#else
TEST(Waiters, CountGrowsWithEveryNetpollWakeUp) {
#endif
  constexpr int kRounds = 50;
  std::vector<uint32_t> waiters;
  std::vector<int> parked;
  uint32_t before = rt::netpollWaiters.load();
  ASSERT_EQ(gotest::go(
                [&] {
                  rt::netpollGenericInit();
                  testutil::Pair ping = testutil::make_pipe(O_NONBLOCK);
                  testutil::Pair pong = testutil::make_pipe(O_NONBLOCK);
                  int32_t err;
                  rt::pollDesc* pi = rt::poll_runtime_pollOpen(ping.a.get(), &err);
                  rt::pollDesc* po = rt::poll_runtime_pollOpen(pong.a.get(), &err);
                  gotest::spawn([&] {
                    for (int i = 0; i < kRounds; i++) {
                      recv1(pi, ping.a);
                      ASSERT_EQ(::write(pong.b, "o", 1), 1);
                    }
                  });
                  for (int i = 0; i < kRounds; i++) {
                    ASSERT_EQ(::write(ping.b, "i", 1), 1);
                    recv1(po, pong.a);
                    waiters.push_back(rt::netpollWaiters.load());
                    parked.push_back(gotest::parked_on_io());
                  }
                  gotest::until([&] { return gotest::parked_on_io() == 0; });
                  for (rt::pollDesc* pd : {pi, po}) {
                    rt::poll_runtime_pollUnblock(pd);
                    rt::poll_runtime_pollClose(pd);
                  }
                },
                1),
            0);
  uint32_t after = rt::netpollWaiters.load();
  std::string rounds;
  for (int i : {0, 1, 2, kRounds / 2, kRounds - 1})
    rounds += " " + std::to_string(i + 1) + ":" + std::to_string(waiters[i]) + "/" +
              std::to_string(parked[i]);
  std::printf(
      "netpollWaiters, NETPOLL_GO=%d.%d: %u before; after round N, netpollWaiters/parked "
      "in netpollblock:%s; %u after, with none parked\n",
      NETPOLL_GO / 100, NETPOLL_GO % 100, before, rounds.c_str(), after);
  ASSERT_EQ(waiters.size(), static_cast<size_t>(kRounds));
#if NETPOLL_GO >= 122
  for (int i = 0; i < kRounds; i++) EXPECT_EQ(waiters[i], static_cast<uint32_t>(parked[i])) << i;
  EXPECT_EQ(after, 0u) << "exact, and no one is parked";
#else
  // Each round wakes main through netpoll, which never subtracts: at least
  // one more each round, whoever is parked.
  for (int i = 1; i < kRounds; i++) EXPECT_GT(waiters[i], waiters[i - 1]) << i;
  EXPECT_GE(after - before, static_cast<uint32_t>(kRounds));
  EXPECT_EQ(parked.back(), 0);
#endif
}
