// The ABI promises every stub keeps: the System V callee-saved registers
// (rbx, rbp, r12-r15) come back as they went in, and libc's errno is never
// touched, on the success path and on the error path alike.
#include <fcntl.h>
#include <signal.h>
#include <linux/futex.h>
#include <sys/epoll.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "testutil.h"

namespace rt = runtime;

extern "C" int64_t abi_call(const void* fn, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                            uint64_t e, uint64_t f, uint32_t* clobbered);

namespace {

// Objects the calls point at.
rt::epollevent g_ev{rt::EPOLLIN_, {}};
rt::epollevent g_evs[4];
char g_buf[8];
int32_t g_rw[2];
uint32_t g_word;
rt::sigactiont g_sa;
rt::sigset g_mask;
rt::stackt g_st;

uint64_t u(int64_t v) { return static_cast<uint64_t>(v); }
uint64_t p(const void* v) { return reinterpret_cast<uint64_t>(v); }

struct Args {
  uint64_t a[4];
};

struct AbiCase {
  const char* name;
  const void* fn;
  // Arguments for a call that succeeds (made fresh each time, since some
  // calls consume what they act on) and for one that fails.
  Args (*ok)(int ep, int rd, int wr);
  Args bad;
};
void PrintTo(const AbiCase& c, std::ostream* os) { *os << c.name; }

template <class F>
const void* f(F fn) {
  return reinterpret_cast<const void*>(fn);
}

const AbiCase kCases[] = {
    {"epollcreate", f(rt::epollcreate), [](int, int, int) { return Args{{1}}; }, {{u(-1)}}},
    {"epollcreate1", f(rt::epollcreate1), [](int, int, int) { return Args{{0}}; }, {{1}}},
    {"epollctl",
     f(rt::epollctl),
     [](int ep, int rd, int) {
       return Args{{u(ep), 1, u(rd), p(&g_ev)}};
     },
     {{u(-1), 1, 0, p(&g_ev)}}},
    {"epollwait",
     f(rt::epollwait),
     [](int ep, int, int) {
       return Args{{u(ep), p(g_evs), 4, 0}};
     },
     {{u(-1), p(g_evs), 4, 0}}},
    {"epollpwait",
     f(rt::epollpwait),
     [](int ep, int, int) {
       return Args{{u(ep), p(g_evs), 4, 0}};
     },
     {{u(-1), p(g_evs), 4, 0}}},
    {"pipe2",
     f(rt::pipe2),
     [](int, int, int) {
       return Args{{0, p(g_rw)}};
     },
     {{u(-1), p(g_rw)}}},
    {"read",
     f(rt::read),
     [](int, int rd, int) {
       return Args{{u(rd), p(g_buf), 1}};
     },
     {{u(-1), p(g_buf), 1}}},
    {"write1",
     f(rt::write1),
     [](int, int, int wr) {
       return Args{{u(wr), p(g_buf), 1}};
     },
     {{u(-1), p(g_buf), 1}}},
    {"closefd",
     f(rt::closefd),
     [](int, int, int) { return Args{{u(testutil::open_null())}}; },
     {{u(-1)}}},
    {"open",
     f(rt::open),
     [](int, int, int) {
       return Args{{p("/dev/null"), O_RDONLY | O_CLOEXEC}};
     },
     {{p("/nonexistent/netpoll-asm"), O_RDONLY}}},
    {"closeonexec", f(rt::closeonexec), [](int, int rd, int) { return Args{{u(rd)}}; }, {{u(-1)}}},
    {"eventfd2",
     f(rt::eventfd2),
     [](int, int, int) {
       return Args{{0, u(rt::EFD_CLOEXEC_ | rt::EFD_NONBLOCK_)}};
     },
     {{0, u(-1)}}},  // unknown flags: EINVAL
    {"futex",
     f(rt::futex),
     [](int, int, int) {
       return Args{{p(&g_word), FUTEX_WAKE_PRIVATE, 1}};
     },
     {{p(&g_word), 99, 1}}},
    {"rt_sigaction",  // the handler of SIGUSR2, read; SIGKILL's may not be set
     f(rt::rt_sigaction),
     [](int, int, int) {
       return Args{{SIGUSR2, 0, p(&g_sa), 8}};
     },
     {{SIGKILL, p(&g_sa), 0, 8}}},
    {"tgkill",  // signal 0 to this thread: the checks, no signal
     f(rt::tgkill),
     [](int, int, int) {
       return Args{{u(::getpid()), u(testutil::gettid_()), 0}};
     },
     {{u(-1), u(-1), 0}}},
    {"raise", f(rt::raise), [](int, int, int) { return Args{{0}}; }, {{999}}},
    {"raiseproc", f(rt::raiseproc), [](int, int, int) { return Args{{0}}; }, {{999}}},
};

// Stubs that cannot fail, or that crash on purpose when they do (as Go's):
// the success path only.
const AbiCase kSucceedOnly[] = {
    {"gettid", f(rt::gettid), [](int, int, int) { return Args{{}}; }, {}},
    {"getpid", f(rt::getpid), [](int, int, int) { return Args{{}}; }, {}},
    {"rtsigprocmask",  // this thread's mask, read
     f(rt::rtsigprocmask),
     [](int, int, int) {
       return Args{{SIG_BLOCK, 0, p(&g_mask), 8}};
     },
     {}},
    {"sigaltstack",  // this thread's alternate stack, read
     f(rt::sigaltstack),
     [](int, int, int) {
       return Args{{0, p(&g_st)}};
     },
     {}},
};

class Abi : public testing::TestWithParam<AbiCase> {
 protected:
  // An epoll set and a pipe with a byte waiting, new for every test.
  testutil::Fd ep{::epoll_create1(EPOLL_CLOEXEC)};
  testutil::Pair pipe = testutil::make_pipe(O_NONBLOCK);
  void SetUp() override { ASSERT_EQ(::write(pipe.b, "x", 1), 1); }
};

}  // namespace

TEST_P(Abi, CalleeSavedRegistersSurviveSuccess) {
  const AbiCase& c = GetParam();
  Args a = c.ok(ep, pipe.a, pipe.b);
  uint32_t clobbered = 0xffffffff;
  int64_t r = abi_call(c.fn, a.a[0], a.a[1], a.a[2], a.a[3], 0, 0, &clobbered);
  EXPECT_GE(static_cast<int32_t>(r), 0) << "this call was meant to succeed";
  EXPECT_EQ(clobbered, 0u) << "changed registers: 1 rbx 2 rbp 4 r12 8 r13 16 r14 32 r15";
  if (c.fn == f(rt::pipe2)) ::close(g_rw[0]), ::close(g_rw[1]);
  if (c.fn == f(rt::epollcreate) || c.fn == f(rt::epollcreate1) || c.fn == f(rt::open) ||
      c.fn == f(rt::eventfd2))
    ::close(static_cast<int>(r));
}

TEST_P(Abi, CalleeSavedRegistersSurviveError) {
  const AbiCase& c = GetParam();
  uint32_t clobbered = 0xffffffff;
  int64_t r = abi_call(c.fn, c.bad.a[0], c.bad.a[1], c.bad.a[2], c.bad.a[3], 0, 0, &clobbered);
  EXPECT_LT(static_cast<int32_t>(r), 0) << "this call was meant to fail";
  EXPECT_EQ(clobbered, 0u) << "changed registers: 1 rbx 2 rbp 4 r12 8 r13 16 r14 32 r15";
}

TEST_P(Abi, ErrnoIsLeftAsItWasOnError) {
  const AbiCase& c = GetParam();
  uint32_t clobbered;
  errno = 31337;
  int64_t r = abi_call(c.fn, c.bad.a[0], c.bad.a[1], c.bad.a[2], c.bad.a[3], 0, 0, &clobbered);
  EXPECT_LT(static_cast<int32_t>(r), 0);
  EXPECT_EQ(errno, 31337);
}

TEST_P(Abi, ErrnoIsLeftAsItWasOnSuccess) {
  const AbiCase& c = GetParam();
  Args a = c.ok(ep, pipe.a, pipe.b);
  uint32_t clobbered;
  errno = 31337;
  int64_t r = abi_call(c.fn, a.a[0], a.a[1], a.a[2], a.a[3], 0, 0, &clobbered);
  EXPECT_EQ(errno, 31337);
  if (c.fn == f(rt::pipe2)) ::close(g_rw[0]), ::close(g_rw[1]);
  if (c.fn == f(rt::epollcreate) || c.fn == f(rt::epollcreate1) || c.fn == f(rt::open) ||
      c.fn == f(rt::eventfd2))
    ::close(static_cast<int>(r));
}

INSTANTIATE_TEST_SUITE_P(Stubs, Abi, testing::ValuesIn(kCases),
                         [](const auto& i) { return std::string(i.param.name); });

class AbiSucceedOnly : public testing::TestWithParam<AbiCase> {};

TEST_P(AbiSucceedOnly, CalleeSavedRegistersAndErrnoSurviveSuccess) {
  const AbiCase& c = GetParam();
  Args a = c.ok(-1, -1, -1);
  uint32_t clobbered = 0xffffffff;
  errno = 31337;
  int64_t r = abi_call(c.fn, a.a[0], a.a[1], a.a[2], a.a[3], 0, 0, &clobbered);
  EXPECT_GE(static_cast<int32_t>(r), 0) << "this call was meant to succeed";
  EXPECT_EQ(clobbered, 0u) << "changed registers: 1 rbx 2 rbp 4 r12 8 r13 16 r14 32 r15";
  EXPECT_EQ(errno, 31337);
}
INSTANTIATE_TEST_SUITE_P(Stubs, AbiSucceedOnly, testing::ValuesIn(kSucceedOnly),
                         [](const auto& i) { return std::string(i.param.name); });

// gettid and getpid are the kernel's answers, the same as libc's.
TEST(Abi, GettidAndGetpidAreTheKernelsAnswers) {
  EXPECT_EQ(static_cast<int>(rt::gettid()), testutil::gettid_());
  EXPECT_EQ(rt::getpid(), static_cast<int64_t>(::getpid()));
}

// The stubs whose results are not an int32: checked on their own.
TEST(Abi, Nanotime1KeepsCalleeSavedRegistersAndErrno) {
  uint32_t clobbered = 0xffffffff;
  errno = 31337;
  int64_t t = abi_call(f(rt::nanotime1), 0, 0, 0, 0, 0, 0, &clobbered);
  EXPECT_GT(t, 0);
  EXPECT_EQ(clobbered, 0u);
  EXPECT_EQ(errno, 31337);
}

TEST(Abi, UsleepKeepsCalleeSavedRegistersAndErrno) {
  uint32_t clobbered = 0xffffffff;
  errno = 31337;
  abi_call(f(rt::usleep), 1, 0, 0, 0, 0, 0, &clobbered);
  EXPECT_EQ(clobbered, 0u);
  EXPECT_EQ(errno, 31337);
}

TEST(Abi, MadviseKeepsCalleeSavedRegistersAndErrnoOnSuccessAndError) {
  void* m = ::mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  for (uint64_t advice : {uint64_t{MADV_NORMAL}, uint64_t{9999} /* EINVAL */}) {
    uint32_t clobbered = 0xffffffff;
    errno = 31337;
    int64_t r = abi_call(f(rt::madvise), p(m), 4096, advice, 0, 0, 0, &clobbered);
    EXPECT_EQ(clobbered, 0u);
    EXPECT_EQ(errno, 31337);
    EXPECT_EQ(static_cast<int32_t>(r), advice == MADV_NORMAL ? 0 : -EINVAL);
  }
  ::munmap(m, 4096);
}

TEST(Abi, SysMmapKeepsCalleeSavedRegistersAndErrnoOnSuccessAndError) {
  for (uint64_t flags : {MAP_PRIVATE | MAP_ANONYMOUS, MAP_ANONYMOUS /* EINVAL */}) {
    uint32_t clobbered = 0xffffffff;
    errno = 31337;
    int64_t p = abi_call(f(rt::sysMmap), 0, 4096, PROT_READ, flags, u(-1), 0, &clobbered);
    EXPECT_EQ(clobbered, 0u);
    EXPECT_EQ(errno, 31337);
    EXPECT_EQ(p != 0, (flags & MAP_PRIVATE) != 0);
    if (p) rt::sysMunmap(reinterpret_cast<void*>(p), 4096);
  }
}

// --- Go's MOVL: an int32 argument's upper half is cleared by the stub ---
//
// tests/abi_check.asm's poison_call fills the upper half of each int32
// argument register with 0xdeadbeef before the call.  Where the kernel reads
// the argument as 64 bits (read's and write's count, mmap's offset), a stub
// that passed the register through would ask for 0xdeadbeef00000004 bytes or
// an offset near 2^64.  Go's MOVL clears it; so must ours.  (The kernel's own
// view of every register is checked in tests/syscall_trace_test.cpp.)

extern "C" int64_t poison_call(const void* fn, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                               uint64_t e, uint64_t f, uint32_t int32s);

TEST(ZeroExtension, ReadOfFourStopsBeforeTheCanaryWhenNsUpperHalfIsPoisoned) {
  testutil::Pair pp = testutil::make_pipe(O_NONBLOCK);
  ASSERT_EQ(::write(pp.b, "abcdefgh", 8), 8);
  char buf[8];
  std::memcpy(buf, "....CANA", 8);  // 4 bytes to read into, then the canary
  int64_t r = poison_call(f(rt::read), u(pp.a), p(buf), 4, 0, 0, 0, 1 | 4 /* fd, n */);
  EXPECT_EQ(static_cast<int32_t>(r), 4) << "read(fd, buf, 4) must read 4 bytes";
  EXPECT_EQ(std::string(buf, 8), "abcdCANA") << "the canary after the 4 bytes was overwritten";
}

TEST(ZeroExtension, Write1OfFourWritesFourWhenNsUpperHalfIsPoisoned) {
  testutil::Pair pp = testutil::make_pipe(O_NONBLOCK);
  int64_t r = poison_call(f(rt::write1), u(pp.b), p("abcdefgh"), 4, 0, 0, 0, 4 /* n */);
  EXPECT_EQ(static_cast<int32_t>(r), 4);
  char got[16];
  EXPECT_EQ(::read(pp.a, got, sizeof got), 4) << "the pipe must hold exactly the 4 bytes asked for";
}

TEST(ZeroExtension, SysMmapMapsTheOffsetItWasGivenWhenItsInt32sArePoisoned) {
  testutil::Fd mem(::memfd_create("zeroext", MFD_CLOEXEC));
  ASSERT_GE(mem.get(), 0);
  ASSERT_EQ(::ftruncate(mem, 2 * 4096), 0);
  // A raw call returns the struct's first word, p, in rax.
  int64_t addr = poison_call(f(rt::sysMmap), 0, 4096, PROT_READ, MAP_SHARED, u(mem.get()), 4096,
                             4 | 8 | 16 | 32 /* prot, flags, fd, off */);
  ASSERT_NE(addr, 0) << "sysMmap failed";
  // The kernel says which file offset it mapped, in /proc/self/maps.
  std::ifstream maps("/proc/self/maps");
  std::string line, want = [&] {
    char b[32];
    std::snprintf(b, sizeof b, "%lx-", static_cast<unsigned long>(addr));
    return std::string(b);
  }();
  unsigned long long off = ~0ULL;
  while (std::getline(maps, line))
    if (line.rfind(want, 0) == 0) {
      char perms[8];
      std::sscanf(line.c_str(), "%*x-%*x %7s %llx", perms, &off);
    }
  rt::sysMunmap(reinterpret_cast<void*>(addr), 4096);
  EXPECT_EQ(off, 4096u) << "the kernel mapped the file at offset 0x" << std::hex << off;
}
