// The suite's own harness (tests/main.cpp): a test that hangs must end the
// run and everything the run started, naming itself where it can be read.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "testutil.h"

// Not part of the suite (DISABLED_): the hang the test below starts on
// purpose.  Its death test's child writes its pid where the test below can
// find it, then waits for a signal that never comes.
TEST(HarnessDeathTest, DISABLED_ChildThatNeverEnds) {
  EXPECT_DEATH(
      {
        if (const char* f = std::getenv("NETPOLL_HANG_PIDFILE")) {
          std::ofstream(f) << getpid() << "\n";
        }
        for (;;) pause();
      },
      "");
}

// Not part of the suite either: a test that reads, through popen, from a
// command that never ends (its pid in NETPOLL_HANG_PIDFILE).
TEST(Harness, DISABLED_ReadsAPipeThatNeverEnds) {
  std::string cmd = "echo $$ > \"$NETPOLL_HANG_PIDFILE\"; exec sleep 100000";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[64];
  while (fread(buf, 1, sizeof buf, p) > 0) {
  }
  pclose(p);
}

namespace {

// 'R', 'S', ... from /proc/PID/stat; 0 once the process is gone.
char state_of(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string s;
  if (!std::getline(in, s)) return 0;
  size_t paren = s.rfind(')');
  return paren + 2 < s.size() ? s[paren + 2] : 0;
}

}  // namespace

namespace {

struct Hang {
  std::string out;
  int status = 0;
  long pid = 0;  // the process the hanging test wrote to NETPOLL_HANG_PIDFILE
};

// runtime_test on one of the DISABLED_ hangs above, with a 2 s watchdog.
Hang run_hang(const std::string& test) {
  char pidfile[] = "/tmp/netpoll-hang-XXXXXX";
  close(mkstemp(pidfile));
  std::string cmd = "NETPOLL_TEST_TIMEOUT=2 NETPOLL_HANG_PIDFILE=" + std::string(pidfile) + " " +
                    testutil::build_dir() +
                    "/tests/runtime_test --gtest_also_run_disabled_tests --gtest_filter=" + test +
                    " 2>/dev/null";
  Hang h;
  h.out = testutil::output_of(cmd, &h.status);
  std::ifstream(pidfile) >> h.pid;
  unlink(pidfile);
  return h;
}

// SIGKILL has been sent by the time the run returns; a killed process
// becomes a zombie or vanishes within moments.  Wait for that (a bounded
// wait for a state, not a guess at a time).
bool ended(long pid) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  char s = state_of(pid);
  while (s != 0 && s != 'Z' && s != 'X' && std::chrono::steady_clock::now() < until) {
    std::this_thread::yield();
    s = state_of(pid);
  }
  if (s == 0 || s == 'Z' || s == 'X') return true;
  kill(static_cast<pid_t>(pid), SIGKILL);
  return false;
}

}  // namespace

// A death test's child gets no test events from GoogleTest, so once its
// watchdog never started and a hung child spun on after the suite had
// ended.  Now the run ends the whole process group and says which test hung,
// on stdout.
TEST(Harness, AHungDeathTestChildEndsWithItsRunAndIsNamedOnStdout) {
  Hang h = run_hang("HarnessDeathTest.DISABLED_ChildThatNeverEnds");
  EXPECT_NE(h.status, 0) << h.out;
  EXPECT_NE(h.out.find("watchdog: HarnessDeathTest.DISABLED_ChildThatNeverEnds"), std::string::npos)
      << h.out;
  ASSERT_GT(h.pid, 0) << "the death test's child never started\n" << h.out;
  EXPECT_TRUE(ended(h.pid)) << "the hung child " << h.pid << " is still running";
}

// A test hung in fread on a popen'd pipe holds that stream's lock.  Once
// the watchdog flushed every stream and so waited for that lock forever:
// the run hung where it should have ended.
TEST(Harness, AHangReadingAPipeEndsTheRunAndWhatItStarted) {
  Hang h = run_hang("Harness.DISABLED_ReadsAPipeThatNeverEnds");
  EXPECT_NE(h.status, 0) << h.out;
  EXPECT_NE(h.out.find("watchdog: Harness.DISABLED_ReadsAPipeThatNeverEnds"), std::string::npos)
      << h.out;
  ASSERT_GT(h.pid, 0) << "the command never started\n" << h.out;
  EXPECT_TRUE(ended(h.pid)) << "the command " << h.pid << " is still running";
}

// gdb build/tests/runtime_test: the tests must run in the process gdb
// debugs, not in a child it forked and gdb let go of.
TEST(Harness, UnderADebuggerTheTestsRunInTheProcessBeingDebugged) {
  if (system("command -v gdb >/dev/null 2>&1") != 0) GTEST_SKIP() << "gdb is not installed";
  std::string cmd = "ASAN_OPTIONS=detect_leaks=0 gdb -batch -nx -ex run --args " +
                    testutil::build_dir() +
                    "/tests/runtime_test --gtest_filter=Usleep.* </dev/null 2>&1";
  std::string out = testutil::output_of(cmd);
  if (out.find("ptrace: Operation not permitted") != std::string::npos)
    GTEST_SKIP() << "this machine forbids ptrace";
  EXPECT_NE(out.find("runtime_test: 1 passed, 0 failed"), std::string::npos) << out;
  EXPECT_EQ(out.find("Detaching after fork"), std::string::npos) << out;
}
