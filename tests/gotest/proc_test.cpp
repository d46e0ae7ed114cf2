// Go 1.19.8's runtime/proc_test.go, ported (issue 21 begins here): the
// local run queue's tests, with export_test.go's hooks as test-only entry
// points of ours that do what Go's do.  Go's hooks throw on a wrong queue;
// ours return Go's message instead ("" when all is well), so that gtest
// reports it and the rest of the suite runs on.
//
// Still to port from this file: TestStealOrder, TestNetpollBreak,
// TestGoroutineParallelism(2), TestYieldProgress, TestNumGoroutine,
// TestPingPongHog, TestTimerFairness(2), TestSchedLocalQueueEmpty.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "../gotest.h"

namespace {

namespace rt = runtime;

constexpr int kRunq = 256;  // len(_p_.runq), runtime2.go:631

// export_test.go:86 RunSchedLocalQueueTest: for every length up to the
// ring's, put one g that many times, get it back that many times, and find
// the queue empty before and after.
std::string RunSchedLocalQueueTest() {
  auto pp = std::make_unique<rt::p>();        // export_test.go:87
  std::unique_ptr<rt::g[]> gs(new rt::g[kRunq]());  // export_test.go:88
  bool inherit;
  for (int i = 0; i < kRunq; i++) {                        // export_test.go:90
    if (rt::runqget(pp.get(), &inherit) != nullptr)        // export_test.go:91
      return "runq is not empty initially";                // export_test.go:92
    for (int j = 0; j < i; j++) rt::runqput(pp.get(), &gs[i], false);  // export_test.go:94-96
    for (int j = 0; j < i; j++)                                        // export_test.go:97
      if (rt::runqget(pp.get(), &inherit) != &gs[i])                   // export_test.go:98
        return "bad element at iter " + std::to_string(i) + "/" + std::to_string(j);  // export_test.go:99-100
    if (rt::runqget(pp.get(), &inherit) != nullptr)  // export_test.go:103
      return "runq is not empty afterwards";         // export_test.go:104
  }
  return "";
}

// export_test.go:109 RunSchedLocalQueueStealTest: for every length up to
// the ring's, fill p1, steal into p2 (runnext too), and find every g taken
// exactly once, and half (rounded either way) stolen.
std::string RunSchedLocalQueueStealTest() {
  auto p1 = std::make_unique<rt::p>();              // export_test.go:110
  auto p2 = std::make_unique<rt::p>();              // export_test.go:111
  std::unique_ptr<rt::g[]> gs(new rt::g[kRunq]());  // export_test.go:112
  bool inherit;
  for (int i = 0; i < kRunq; i++) {  // export_test.go:114
    for (int j = 0; j < i; j++) {    // export_test.go:115
      gs[j].sig = 0;                                 // export_test.go:116
      rt::runqput(p1.get(), &gs[j], false);          // export_test.go:117
    }
    rt::g* gp = rt::runqsteal(p2.get(), p1.get(), true);  // export_test.go:119
    int s = 0;                                            // export_test.go:120
    if (gp != nullptr) {                                  // export_test.go:121
      s++;                                                // export_test.go:122
      gp->sig++;                                          // export_test.go:123
    }
    while ((gp = rt::runqget(p2.get(), &inherit)) != nullptr) {  // export_test.go:125-129
      s++;                                                       // export_test.go:130
      gp->sig++;                                                 // export_test.go:131
    }
    while ((gp = rt::runqget(p1.get(), &inherit)) != nullptr) gp->sig++;  // export_test.go:133-139
    for (int j = 0; j < i; j++)  // export_test.go:140
      if (gs[j].sig != 1)        // export_test.go:141
        return "bad element " + std::to_string(j) + "(" + std::to_string(gs[j].sig) +
               ") at iter " + std::to_string(i);  // export_test.go:142-143
    if (s != i / 2 && s != i / 2 + 1)             // export_test.go:146
      return "bad steal " + std::to_string(s) + ", want " + std::to_string(i / 2) + " or " +
             std::to_string(i / 2 + 1) + ", iter " + std::to_string(i);  // export_test.go:147-148
  }
  return "";
}

}  // namespace

// proc_test.go:617 TestSchedLocalQueue
TEST(ProcTest, TestSchedLocalQueue) { EXPECT_EQ(RunSchedLocalQueueTest(), ""); }

// proc_test.go:621 TestSchedLocalQueueSteal
TEST(ProcTest, TestSchedLocalQueueSteal) { EXPECT_EQ(RunSchedLocalQueueStealTest(), ""); }
