// The suite's entry point: GoogleTest, plus
//  - one closing line that any CI can read, "N passed, N failed, N skipped",
//    alone on a line;
//  - a watchdog: a test still running after NETPOLL_TEST_TIMEOUT seconds
//    (default 120) is named on stdout and the run ends, rather than hanging
//    CI.  A broken stub can make a wait block forever; that must fail, not
//    hang.
//
// The run lives in a process group of its own, so that ending it ends
// everything it started: death-test children, gdb and its inferiors, strace,
// the demo.  main forks at once: the parent stays in the caller's group
// (so make and a terminal's Ctrl-C still reach it), forwards the signals that
// end a run to the child's group, and when the child is gone kills whatever
// of that group is left.  The child makes the group and runs the tests.
// Under a debugger none of this: the tests run in the process being
// debugged, and a hang ends that process alone.
//
// A death test's child is this binary again (the "threadsafe" style) with
// --gtest_internal_run_death_test; GoogleTest sends no test events there,
// so its watchdog starts the clock at once, naming the test from the
// --gtest_filter it was given.  If it hangs, it kills the whole group,
// its parent suite included: the suite has failed either way.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include "testutil.h"

namespace {

std::atomic<long> g_started{0};  // steady-clock seconds when the current test began; 0: none
std::string g_current;           // written before g_started is set

long now_s() {
  using namespace std::chrono;
  return duration_cast<seconds>(steady_clock::now().time_since_epoch()).count() + 1;
}

class Tally : public testing::EmptyTestEventListener {
  void OnTestStart(const testing::TestInfo& t) override {
    g_current = std::string(t.test_suite_name()) + "." + t.name();
    g_started = now_s();
  }
  void OnTestEnd(const testing::TestInfo&) override { g_started = 0; }
  void OnTestProgramEnd(const testing::UnitTest& u) override {
    std::printf("runtime_test: %d passed, %d failed, %d skipped\n", u.successful_test_count(),
                u.failed_test_count(), u.skipped_test_count());
  }
};

void watchdog(long limit) {
  for (;;) {
    std::this_thread::sleep_for(std::chrono::seconds(1));  // a clock, not a synchronisation
    long t = g_started;
    if (t != 0 && now_s() - t > limit) {
      // What GoogleTest has buffered, if no one holds stdout; never every
      // stream (fflush(nullptr)): a test blocked in fread on a popen'd
      // pipe holds that stream's lock for as long as it hangs.
      if (ftrylockfile(stdout) == 0) {
        fflush_unlocked(stdout);
        funlockfile(stdout);
      }
      // stdout, by write(2): a death test's stderr is GoogleTest's, read
      // only if the child ends well.
      char msg[512];
      int n = std::snprintf(msg, sizeof msg,
                            "\nwatchdog: %s still running after %ld s; ending its process group\n"
                            "runtime_test: 0 passed, 1 failed\n",
                            g_current.c_str(), limit);
      if (write(STDOUT_FILENO, msg, std::min<size_t>(n, sizeof msg - 1)) < 0) {
      }
      // The run's own group: this process, a death test's parent or
      // children, gdb, ...  Not a group this run did not make (a debugger's).
      const char* grp = std::getenv("NETPOLL_TEST_PGRP");
      if (grp != nullptr && std::atol(grp) == getpgrp()) kill(0, SIGKILL);
      _exit(1);
    }
  }
}

pid_t g_child;

void forward(int sig) { kill(-g_child, sig); }

// The parent: wait for the child, then end what it left behind.
int supervise(pid_t child) {
  g_child = child;
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) signal(sig, forward);
  int st;
  while (waitpid(child, &st, 0) < 0 && errno == EINTR) {
  }
  kill(-child, SIGKILL);  // stragglers; the group outlives its leader
  if (WIFSIGNALED(st)) {
    // GoogleTest printed nothing after the test that died: say so.
    std::printf("\nruntime_test: the run died of %s\nruntime_test: 0 passed, 1 failed\n",
                strsignal(WTERMSIG(st)));
    return 128 + WTERMSIG(st);
  }
  return WEXITSTATUS(st);
}

// Under a debugger (gdb build/tests/runtime_test) the tests run in this
// process, where the reader is: no fork, no group of our own.
bool traced() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("TracerPid:", 0) == 0) return std::atol(line.c_str() + 10) != 0;
  return false;
}

// "--gtest_filter=Suite.Name" as GoogleTest hands it to a death test's child.
std::string filter_arg(int argc, char** argv) {
  for (int i = 1; i < argc; i++)
    if (std::strncmp(argv[i], "--gtest_filter=", 15) == 0) return argv[i] + 15;
  return "?";
}

}  // namespace

int main(int argc, char** argv) {
  // A helper (testutil.h's TEST_HELPER): a program of its own, for a test
  // that needs one; no tests, no supervisor.
  if (argc == 2 && std::strncmp(argv[1], "--helper=", 9) == 0) {
    auto it = testutil::helpers().find(argv[1] + 9);
    if (it == testutil::helpers().end()) {
      std::fprintf(stderr, "runtime_test: no helper %s\n", argv[1] + 9);
      return 2;
    }
    return it->second();
  }
  bool death_child = false;
  for (int i = 1; i < argc; i++)
    if (std::strncmp(argv[i], "--gtest_internal_run_death_test", 31) == 0) death_child = true;
  // Listing tests starts nothing; neither does a death test's child, which
  // is already inside its suite's group.
  bool listing = false;
  for (int i = 1; i < argc; i++)
    if (std::strcmp(argv[i], "--gtest_list_tests") == 0) listing = true;
  if (!death_child && !listing && !traced()) {
    std::fflush(nullptr);
    pid_t child = fork();
    if (child < 0) {
      std::perror("runtime_test: fork");
      return 1;
    }
    if (child > 0) {
      setpgid(child, child);  // also in the child: whichever runs first
      return supervise(child);
    }
    setpgid(0, 0);
    setenv("NETPOLL_TEST_PGRP", std::to_string(getpgrp()).c_str(), 1);
  }
  // Death tests re-run this binary rather than fork a process that has
  // other threads (the watchdog, Ms left from a run): the "threadsafe" style.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // Read before InitGoogleTest, which takes the --gtest_ flags out of argv
  // (read after it, a hung child was named "?").
  std::string filter = filter_arg(argc, argv);
  testing::InitGoogleTest(&argc, argv);
  testing::UnitTest::GetInstance()->listeners().Append(new Tally);
  if (death_child) {
    g_current = filter + " (a death test's child)";
    g_started = now_s();
  }
  const char* limit = std::getenv("NETPOLL_TEST_TIMEOUT");
  std::thread(watchdog, limit ? std::atol(limit) : 120).detach();
  return RUN_ALL_TESTS();
}
