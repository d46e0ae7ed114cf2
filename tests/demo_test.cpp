// `make run`'s demo, run as a user would run it, with the trace on: every
// step the demo promises shows up, and it exits 0.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
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
       {"netpollinit: epfd=", "netpoll(delay=-1) waitms=-1",
        "epollwait(epfd=", "events=", "netpollunblock(fd ", ": G", "parked (pdWait -> G",
        "netpollBreak: wrote 1 byte", "drained (1 byte)", "read returned \"i/o timeout\"",
        "every echo matched", "goroutines still alive: 0"})
    EXPECT_NE(out.find(want), std::string::npos) << "missing: " << want;
}

TEST(Demo, OneProcRunSucceeds) {
  std::string demo = testutil::build_dir() + "/demo";
  if (access(demo.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << demo;
  int st = -1;
  std::string out = run("NETPOLL_PROCS=1 timeout 60 " + demo + " 2>&1", &st);
  EXPECT_EQ(st, 0) << out;
  EXPECT_NE(out.find("read returned \"i/o timeout\""), std::string::npos) << out;
}
