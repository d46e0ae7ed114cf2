// The suite's entry point: GoogleTest, plus
//  - one closing line that any CI can read, "N passed, N failed, N skipped",
//    alone on a line;
//  - a watchdog: a test still running after NETPOLL_TEST_TIMEOUT seconds
//    (default 120) is named and the run ends, rather than hanging CI.  A
//    broken stub can make a wait block forever; that must fail, not hang.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

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
      std::fprintf(stderr, "\nwatchdog: %s still running after %ld s; giving up\n",
                   g_current.c_str(), limit);
      std::printf("runtime_test: 0 passed, 1 failed\n");
      std::fflush(nullptr);
      _exit(1);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Death tests re-run this binary rather than fork a process that has
  // other threads (the watchdog, Ms left from a run): the "threadsafe" style.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  testing::InitGoogleTest(&argc, argv);
  testing::UnitTest::GetInstance()->listeners().Append(new Tally);
  const char* limit = std::getenv("NETPOLL_TEST_TIMEOUT");
  std::thread(watchdog, limit ? std::atol(limit) : 120).detach();
  return RUN_ALL_TESTS();
}
