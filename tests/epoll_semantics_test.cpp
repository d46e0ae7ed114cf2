// What epoll delivers, seen through the stubs: the kernel behaviour that
// Go's netpoller is built on (edge triggering, hang-ups, the 8 data bytes,
// and how a full events array drains).
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <cstring>
#include <set>
#include <vector>

#include "testutil.h"

using testutil::Fd;
namespace rt = runtime;

namespace {

class Epoll : public testing::Test {
 protected:
  void add(int fd, uint32_t events, uint64_t data = 0) {
    rt::epollevent ev{events, {}};
    std::memcpy(ev.data, &data, 8);
    ASSERT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, fd, &ev), 0);
  }
  // One non-blocking poll; returns the events for the single ready fd, or 0.
  uint32_t poll_one() {
    rt::epollevent ev[4]{};
    int32_t n = rt::epollwait(ep, ev, 4, 0);
    EXPECT_GE(n, 0);
    EXPECT_LE(n, 1);
    return n == 1 ? ev[0].events : 0;
  }
  Fd ep{rt::epollcreate1(rt::EPOLL_CLOEXEC_)};
};

}  // namespace

TEST_F(Epoll, LevelTriggeredReportsAgainWhileDataIsUnread) {
  auto p = testutil::make_pipe(O_NONBLOCK);
  add(p.a, rt::EPOLLIN_);
  ASSERT_EQ(::write(p.b, "x", 1), 1);
  EXPECT_EQ(poll_one(), rt::EPOLLIN_);
  EXPECT_EQ(poll_one(), rt::EPOLLIN_);
}

TEST_F(Epoll, EdgeTriggeredReportsOnceUntilNewDataArrives) {
  auto p = testutil::make_pipe(O_NONBLOCK);
  add(p.a, rt::EPOLLIN_ | rt::EPOLLET_);
  ASSERT_EQ(::write(p.b, "x", 1), 1);
  EXPECT_EQ(poll_one(), rt::EPOLLIN_);
  EXPECT_EQ(poll_one(), 0u) << "the unread byte alone must not report again";
  ASSERT_EQ(::write(p.b, "y", 1), 1);
  EXPECT_EQ(poll_one(), rt::EPOLLIN_);
}

TEST_F(Epoll, OneshotDisarmsUntilModRearms) {
  auto p = testutil::make_pipe(O_NONBLOCK);
  add(p.a, rt::EPOLLIN_ | EPOLLONESHOT);
  ASSERT_EQ(::write(p.b, "x", 1), 1);
  EXPECT_EQ(poll_one(), rt::EPOLLIN_);
  ASSERT_EQ(::write(p.b, "y", 1), 1);
  EXPECT_EQ(poll_one(), 0u);
  rt::epollevent ev{rt::EPOLLIN_ | EPOLLONESHOT, {}};
  ASSERT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_MOD_, p.a, &ev), 0);
  EXPECT_EQ(poll_one(), rt::EPOLLIN_);
}

TEST_F(Epoll, PeerShutdownOfWritingReportsRdhup) {
  auto s = testutil::make_socketpair();
  add(s.a, rt::EPOLLIN_ | rt::EPOLLRDHUP_);
  ASSERT_EQ(::shutdown(s.b, SHUT_WR), 0);
  EXPECT_EQ(poll_one(), rt::EPOLLIN_ | rt::EPOLLRDHUP_);
}

TEST_F(Epoll, RdhupIsNotReportedUnlessAskedFor) {
  auto s = testutil::make_socketpair();
  add(s.a, rt::EPOLLIN_);
  ASSERT_EQ(::shutdown(s.b, SHUT_WR), 0);
  EXPECT_EQ(poll_one(), rt::EPOLLIN_);
}

TEST_F(Epoll, PeerCloseReportsHupEvenWhenNotAskedFor) {
  auto s = testutil::make_socketpair();
  add(s.a, 0);  // EPOLLHUP and EPOLLERR are always reported
  s.b.reset();
  EXPECT_EQ(poll_one() & rt::EPOLLHUP_, rt::EPOLLHUP_);
}

TEST_F(Epoll, ClosedWriterReportsHupOnReadEnd) {
  auto p = testutil::make_pipe(O_NONBLOCK);
  add(p.a, rt::EPOLLIN_);
  p.b.reset();
  EXPECT_EQ(poll_one(), rt::EPOLLHUP_);
}

TEST_F(Epoll, ClosedReaderReportsErrOnWriteEnd) {
  auto p = testutil::make_pipe(O_NONBLOCK);
  add(p.b, rt::EPOLLOUT_);
  p.a.reset();
  EXPECT_EQ(poll_one(), rt::EPOLLOUT_ | rt::EPOLLERR_);
}

TEST_F(Epoll, ClosedReaderReportsErrAloneWhenOutIsNotAsked) {
  // The case Go singles out: events == EPOLLERR exactly sets the pollDesc's
  // event error (netpoll_epoll.go:171).
  auto p = testutil::make_pipe(O_NONBLOCK);
  add(p.b, rt::EPOLLIN_);
  p.a.reset();
  EXPECT_EQ(poll_one(), rt::EPOLLERR_);
}

TEST_F(Epoll, DataBytesRoundTripUntouched) {
  auto p = testutil::make_pipe(O_NONBLOCK);
  const uint8_t pattern[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
  rt::epollevent ev{rt::EPOLLIN_, {}};
  std::memcpy(ev.data, pattern, 8);
  ASSERT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, p.a, &ev), 0);
  ASSERT_EQ(::write(p.b, "x", 1), 1);
  rt::epollevent out[2];
  std::memset(out, 0xee, sizeof out);
  ASSERT_EQ(rt::epollwait(ep, out, 2, 0), 1);
  EXPECT_EQ(std::memcmp(out[0].data, pattern, 8), 0);
  uint8_t untouched[sizeof(rt::epollevent)];
  std::memset(untouched, 0xee, sizeof untouched);
  EXPECT_EQ(std::memcmp(&out[1], untouched, sizeof untouched), 0)
      << "the kernel wrote past the one event it reported";
}

TEST_F(Epoll, PointerInDataComesBackAsTheSamePointer) {
  auto p = testutil::make_pipe(O_NONBLOCK);
  int anchor = 0;
  rt::epollevent ev{rt::EPOLLIN_, {}};
  rt::epolldata_set(&ev, &anchor);
  ASSERT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, p.a, &ev), 0);
  ASSERT_EQ(::write(p.b, "x", 1), 1);
  rt::epollevent out[1];
  ASSERT_EQ(rt::epollwait(ep, out, 1, 0), 1);
  EXPECT_EQ(rt::epolldata_get(&out[0]), &anchor);
}

TEST_F(Epoll, EventsLayoutMatchesTheKernelsEpollEvent) {
  static_assert(sizeof(rt::epollevent) == sizeof(::epoll_event));
  auto p = testutil::make_pipe(O_NONBLOCK);
  add(p.a, rt::EPOLLIN_, 0x1122334455667788ULL);
  ASSERT_EQ(::write(p.b, "x", 1), 1);
  rt::epollevent out[1];
  ASSERT_EQ(rt::epollwait(ep, out, 1, 0), 1);
  ::epoll_event libc_ev;  // read the same 12 bytes through glibc's declaration
  std::memcpy(&libc_ev, out, sizeof libc_ev);
  EXPECT_EQ(libc_ev.events, EPOLLIN);
  EXPECT_EQ(libc_ev.data.u64, 0x1122334455667788ULL);
}

TEST_F(Epoll, TwoHundredReadyDrainAs128Then72WhenNevIs128) {
  constexpr int kFds = 200;
  std::vector<testutil::Pair> pipes;
  for (int i = 0; i < kFds; i++) {
    pipes.push_back(testutil::make_pipe(O_NONBLOCK));
    add(pipes[i].a, rt::EPOLLIN_ | rt::EPOLLET_, i);
    ASSERT_EQ(::write(pipes[i].b, "x", 1), 1);
  }
  std::set<uint64_t> seen;
  std::vector<int32_t> batches;
  rt::epollevent evs[128];
  for (int32_t n; (n = rt::epollwait(ep, evs, 128, 0)) > 0;) {
    batches.push_back(n);
    for (int i = 0; i < n; i++) {
      uint64_t d;
      std::memcpy(&d, evs[i].data, 8);
      seen.insert(d);
    }
  }
  EXPECT_EQ(batches, (std::vector<int32_t>{128, 72}));
  EXPECT_EQ(seen.size(), static_cast<size_t>(kFds)) << "every descriptor exactly once";
}
