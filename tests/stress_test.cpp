// `make stress`: what takes too long or too much memory for `make test`.
// Not run by make test (its filter leaves Stress.* out); CI runs both.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "gotest.h"
#include "sync/waitgroup.h"

namespace {
// A field of /proc/self/status, in KiB.
long status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
  return -1;
}
}  // namespace

// A million goroutines parked at once, on a kernel's default limits: Go
// holds them at about 2.7 KB each with its 2 KiB growable stacks; ours
// cost a page of stack (the g shares it) and the page tables that map it.
TEST(Stress, MillionParkedGoroutines) {
  constexpr int kParked = 1000000;
  std::atomic<int> started{0};
  long rss0 = status_kib("VmRSS:"), pte0 = status_kib("VmPTE:");
  long rss1 = 0, pte1 = 0;
  int maps = 0;
  int32_t left = gotest::go(
      [&] {
        std::vector<runtime::g*> gs(kParked);
        sync_::WaitGroup done;
        done.Add(kParked);
        for (int i = 0; i < kParked; i++)
          gs[i] = gotest::spawn([&] {
            started++;
            gotest::park();
            done.Done();
          });
        gotest::until([&] { return started.load() == kParked; });
        rss1 = status_kib("VmRSS:");
        pte1 = status_kib("VmPTE:");
        std::ifstream in("/proc/self/maps");
        for (std::string line; std::getline(in, line);) maps++;
        for (runtime::g* gp : gs) {
          gotest::until([gp] { return gp->atomicstatus.load() == runtime::Gwaiting; });
          runtime::goready(gp);
        }
        done.Wait();
      },
      2);
  double per = (rss1 - rss0 + pte1 - pte0) * 1024.0 / kParked;
  std::printf(
      "stress: %d goroutines parked at once: %ld MiB resident (+%ld MiB page tables), %d "
      "mappings; %.0f bytes per goroutine\n",
      kParked, (rss1 - rss0) / 1024, (pte1 - pte0) / 1024, maps, per);
  EXPECT_EQ(left, 0);
  EXPECT_EQ(started.load(), kParked);
  EXPECT_LT(maps, 10000);
  // The page is the floor for a fixed stack; the g shares it.  The rest is
  // page tables and the std::function each test goroutine carries.
  EXPECT_LT(per, 6 * 1024) << "bytes per parked goroutine";
}
