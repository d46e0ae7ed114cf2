// `make run`'s demo, run as a user would run it, with the trace on: every
// step the demo promises shows up, and it exits 0.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>

#include "testutil.h"

namespace {
std::string run(const std::string& cmd, int* status) {
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char line[1024];
    while (fgets(line, sizeof line, p)) out += line;
    *status = pclose(p);
  }
  return out;
}
}  // namespace

TEST(Demo, TracedRunShowsParkWakeBreakAndTimeout) {
  std::string demo = testutil::build_dir() + "/demo";
  if (access(demo.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << demo;
  int st = -1;
  std::string out = run("NETPOLLTRACE=1 NETPOLL_PROCS=2 timeout 60 " + demo + " 2>&1", &st);
  EXPECT_EQ(st, 0) << out;
  for (const char* want :
       {"netpollinit: epfd ", "epollwait blocks, timeout -1 ms",
        "netpoll(blocking): epollwait returned", "ready, events ", "rg: nil -> pdWait",
        "-> pdReady", "pdWait -> G", "netpollBreak: 1 byte written", "break pipe drained, 1 byte",
        "the read deadline expired", "read returned \"i/o timeout\"", "every echo matched",
        "goroutines still alive: 0"})
    EXPECT_NE(out.find(want), std::string::npos) << "missing: " << want;
  // Each line says where it ran: the M, its P, the goroutine.  The break is
  // written by a goroutine (arming a deadline) on an M with a P; the poller
  // that drains it blocked in netpoll without a P, as findRunnable gives
  // its P back before it blocks (releasep, proc.go:2742).
  EXPECT_TRUE(std::regex_search(out, std::regex("M[0-9]+ +P[0-9]+ +G[0-9]+ +netpoll_epoll.go:85  "
                                                "netpollBreak: 1 byte written")))
      << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("M[0-9]+ +P- +G- +netpoll_epoll.go:156  "
                                                "netpoll: break pipe drained")))
      << out;
}

TEST(Demo, OneProcRunSucceeds) {
  std::string demo = testutil::build_dir() + "/demo";
  if (access(demo.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << demo;
  int st = -1;
  std::string out = run("NETPOLL_PROCS=1 timeout 60 " + demo + " 2>&1", &st);
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
  std::string out = run(
      "NETPOLL_PROCS=2 timeout 300 valgrind --tool=memcheck --error-exitcode=99 " + demo + " 2>&1",
      &st);
  EXPECT_EQ(st, 0) << out;
  EXPECT_NE(out.find("ERROR SUMMARY: 0 errors from 0 contexts"), std::string::npos) << out;
  EXPECT_NE(out.find("read returned \"i/o timeout\""), std::string::npos) << out;
}
