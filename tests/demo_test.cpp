// `make run`'s demo, run as a user would run it, with the trace on: every
// step the demo promises shows up, and it exits 0.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>

#include "testutil.h"

// netpollBreak's write and the blocked poller's read, as the trace tells
// them: the break pipe's byte, or (NETPOLL_GO=1.23) the eventfd's counter.
#if NETPOLL_GO >= 123
const char* const kBreakWritten = "netpollBreak: 8 bytes written to the eventfd";
const char* const kBreakDrained = "eventfd drained, 8 bytes";
const char* const kBreakWrittenAt = "go1.23 netpoll_epoll.go  netpollBreak: 8 bytes written";
const char* const kBreakDrainedAt = "go1.23 netpoll_epoll.go  netpoll: eventfd drained";
#else
const char* const kBreakWritten = "netpollBreak: 1 byte written";
const char* const kBreakDrained = "break pipe drained, 1 byte";
const char* const kBreakWrittenAt = "netpoll_epoll.go:85  netpollBreak: 1 byte written";
const char* const kBreakDrainedAt = "netpoll_epoll.go:156  netpoll: break pipe drained";
#endif

TEST(Demo, TracedRunShowsParkWakeBreakAndTimeout) {
  std::string demo = testutil::build_dir() + "/demo";
  ASSERT_TRUE(testutil::built(demo));
  int st = -1;
  std::string out =
      testutil::output_of("NETPOLLTRACE=1 NETPOLL_PROCS=2 timeout 60 " + demo + " 2>&1", &st);
  EXPECT_EQ(st, 0) << out;
  for (const char* want :
       {"netpollinit: epfd ", "epollwait blocks, timeout -1 ms",
        "netpoll: epollwait (blocking) returned", "ready, events ", "rg: nil -> pdWait",
        "-> pdReady", "pdWait -> G", kBreakWritten, kBreakDrained, "the read deadline expired",
        "read returned \"i/o timeout\"", "every echo matched", "goroutines still alive: 0"})
    EXPECT_NE(out.find(want), std::string::npos) << "missing: " << want;
  // Each line says where it ran: the M, its P, the goroutine.  The break is
  // written by a goroutine (arming a deadline) on an M with a P; the poller
  // that drains it blocked in netpoll without a P, as findRunnable gives
  // its P back before it blocks (releasep, proc.go:2742).
  EXPECT_TRUE(std::regex_search(
      out, std::regex(std::string("M[0-9]+ +P[0-9]+ +G[0-9]+ +") + kBreakWrittenAt)))
      << out;
  EXPECT_TRUE(
      std::regex_search(out, std::regex(std::string("M[0-9]+ +P- +G- +") + kBreakDrainedAt)))
      << out;
}

// The demo's last line: netpollWaiters once every goroutine has ended.
#if NETPOLL_GO >= 122
TEST(Demo, EndsWithNetpollWaitersAtZero) {
#else
TEST(Demo, EndsWithNetpollWaitersCountingItsNetpollWakeUps) {
#endif
  std::string demo = testutil::build_dir() + "/demo";
  int st = -1;
  std::string out = testutil::output_of("NETPOLL_PROCS=1 timeout 60 " + demo + " 2>&1", &st);
  ASSERT_EQ(st, 0) << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex("still alive: 0; netpollWaiters=([0-9]+) ")))
      << out;
#if NETPOLL_GO >= 122
  EXPECT_EQ(m[1], "0") << "Go 1.22 counts exactly: no one is parked" << out;
#else
  EXPECT_GT(std::stoi(m[1]), 0) << "Go 1.19 never subtracts a netpoll wake-up" << out;
#endif
}

TEST(Demo, OneProcRunSucceeds) {
  std::string demo = testutil::build_dir() + "/demo";
  ASSERT_TRUE(testutil::built(demo));
  int st = -1;
  std::string out = testutil::output_of("NETPOLL_PROCS=1 timeout 60 " + demo + " 2>&1", &st);
  EXPECT_EQ(st, 0) << out;
  EXPECT_NE(out.find("read returned \"i/o timeout\""), std::string::npos) << out;
}

// valgrind's memcheck follows the program onto every goroutine stack, once
// the runtime has told it where they are (VALGRIND_STACK_REGISTER in malg):
// not one error.  (A sanitizer build cannot run under valgrind: make test
// leaves this test out of those.)
TEST(Demo, RunsCleanUnderValgrindMemcheck) {
  if (system("command -v valgrind >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "valgrind is not installed (apt-get install valgrind)";
  std::string demo = testutil::build_dir() + "/demo";
  int st = -1;
  std::string out = testutil::output_of(
      "NETPOLL_PROCS=2 timeout 300 valgrind --tool=memcheck --error-exitcode=99 " + demo + " 2>&1",
      &st);
  EXPECT_EQ(st, 0) << out;
  EXPECT_NE(out.find("ERROR SUMMARY: 0 errors from 0 contexts"), std::string::npos) << out;
  EXPECT_NE(out.find("read returned \"i/o timeout\""), std::string::npos) << out;
}
