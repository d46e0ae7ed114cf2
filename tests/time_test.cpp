// time.go's contracts that hold whatever the heap looks like, and
// time_nofake.go: the clock and the runtime's write.
#include <gtest/gtest.h>

#include <string>

#include "runtime/runtime.h"
#include "testutil.h"

namespace rt = runtime;

// time.go:442-444
TEST(TimeDeathTest, ModtimerWithANegativePeriodThrows) {
  EXPECT_EXIT(
      {
        rt::timer t;
        rt::modtimer(
            &t, rt::nanotime() + 1000000000, -1, [](void*, uintptr_t) {}, nullptr, 0);
      },
      testing::ExitedWithCode(2), "fatal error: timer period must be non-negative");
}

// time.go:439-441
TEST(TimeDeathTest, ModtimerWhenNotPositiveThrows) {
  EXPECT_EXIT(
      {
        rt::timer t;
        rt::modtimer(
            &t, 0, 0, [](void*, uintptr_t) {}, nullptr, 0);
      },
      testing::ExitedWithCode(2), "fatal error: timer when must be positive");
}

namespace {
std::string g_captured;
int32_t capture(uintptr_t fd, const void* p, int32_t n) {
  g_captured += "[" + std::to_string(fd) + "]" + std::string(static_cast<const char*>(p), n);
  return n;
}
}  // namespace

// time_nofake.go:28-29: with the hook set, nothing reaches the kernel.
TEST(TimeNofake, WriteGoesToOverrideWriteWhenItIsSet) {
  g_captured.clear();
  rt::overrideWrite = capture;
  rt::print("runtime: %s %d\n", "print reaches write", 42);
  int32_t n = rt::write(7, "xyz", 3);
  rt::overrideWrite = nullptr;
  EXPECT_EQ(n, 3);
  EXPECT_EQ(g_captured, "[2]runtime: print reaches write 42\n[7]xyz");
}

// time_nofake.go:31: without it, write is write1.
TEST(TimeNofake, WriteWithoutTheHookIsWrite1) {
  ASSERT_EQ(rt::overrideWrite, nullptr);
  testutil::Pair p = testutil::make_pipe();
  EXPECT_EQ(rt::write(static_cast<uintptr_t>(p.b.get()), "ab", 2), 2);
  char buf[4];
  EXPECT_EQ(::read(p.a, buf, sizeof buf), 2);
  EXPECT_EQ(rt::write(static_cast<uintptr_t>(testutil::closed_fd()), "ab", 2), -EBADF);
}

// time_nofake.go:19: nanotime is nanotime1, the monotonic clock.
TEST(TimeNofake, NanotimeIsTheMonotonicClock) {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  int64_t before = ts.tv_sec * 1000000000LL + ts.tv_nsec;
  int64_t ours = rt::nanotime();
  clock_gettime(CLOCK_MONOTONIC, &ts);
  int64_t after = ts.tv_sec * 1000000000LL + ts.tv_nsec;
  EXPECT_LE(before, ours);
  EXPECT_LE(ours, after);
}
