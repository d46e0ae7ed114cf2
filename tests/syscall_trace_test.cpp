// Each stub, called in a ptraced child between two marks, issues exactly
// its own system call, once, with the arguments in the kernel's registers
// (rdi, rsi, rdx, r10, r8, r9) -- seen from outside, in orig_rax and the
// argument registers, not by reading our source.
#include <fcntl.h>
#include <linux/futex.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <cstring>
#include <ctime>

#include "runtime/runtime.h"
#include "testutil.h"
#include "tools/syscall_tracer.h"

namespace rt = runtime;

namespace {

// Written by the traced child, read by the test: what the stub returned and
// which argument values the kernel should have seen.
struct Shared {
  int64_t stub_ret;
  int nargs;
  uint64_t args[6];
  bool wide[6];  // compare all 64 bits (pointers, uintptr) or just the int32
};

struct Case {
  const char* name;
  long nr;
  void (*body)(Shared*);
  bool go_drops_errno = false;  // closefd: the stub answers -1 where the kernel said -errno
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

void expect(Shared* s, std::initializer_list<std::pair<uint64_t, bool>> args) {
  s->nargs = 0;
  for (auto [v, wide] : args) {
    s->args[s->nargs] = v;
    s->wide[s->nargs++] = wide;
  }
}
uint64_t p64(const void* p) { return reinterpret_cast<uint64_t>(p); }
uint64_t i32(int32_t v) { return static_cast<uint32_t>(v); }
constexpr bool W = true, N = false;

// A pipe with one byte waiting, registered level-triggered in a new epoll
// set, so the wait stubs return at once even with timeout -1.
int ready_epoll() {
  int p[2];
  ::pipe2(p, O_NONBLOCK);
  ::write(p[1], "x", 1);
  int ep = ::epoll_create1(0);
  rt::epollevent ev{rt::EPOLLIN_, {}};
  ::epoll_ctl(ep, EPOLL_CTL_ADD, p[0], reinterpret_cast<epoll_event*>(&ev));
  return ep;
}

const Case kCases[] = {
    {"epollcreate", SYS_epoll_create,
     [](Shared* s) {
       tracer::mark();
       s->stub_ret = rt::epollcreate(7);
       tracer::mark();
       expect(s, {{i32(7), N}});
     }},
    {"epollcreate1", SYS_epoll_create1,
     [](Shared* s) {
       tracer::mark();
       s->stub_ret = rt::epollcreate1(rt::EPOLL_CLOEXEC_);
       tracer::mark();
       expect(s, {{i32(rt::EPOLL_CLOEXEC_), N}});
     }},
    {"epollctl", SYS_epoll_ctl,
     [](Shared* s) {
       int ep = ::epoll_create1(0), p[2];
       ::pipe2(p, 0);
       static rt::epollevent ev{rt::EPOLLIN_ | rt::EPOLLET_, {}};
       tracer::mark();
       s->stub_ret = rt::epollctl(ep, rt::EPOLL_CTL_ADD_, p[0], &ev);
       tracer::mark();
       expect(s, {{i32(ep), N}, {i32(rt::EPOLL_CTL_ADD_), N}, {i32(p[0]), N}, {p64(&ev), W}});
     }},
    {"epollwait", SYS_epoll_wait,
     [](Shared* s) {
       int ep = ready_epoll();
       static rt::epollevent evs[128];
       tracer::mark();
       s->stub_ret = rt::epollwait(ep, evs, 128, -1);
       tracer::mark();
       expect(s, {{i32(ep), N}, {p64(evs), W}, {i32(128), N}, {i32(-1), N}});
     }},
    {"epollpwait", SYS_epoll_pwait,
     [](Shared* s) {
       int ep = ready_epoll();
       static rt::epollevent evs[128];
       tracer::mark();
       s->stub_ret = rt::epollpwait(ep, evs, 128, -1);
       tracer::mark();
       // The fifth argument, the sigmask, must be NULL in all 64 bits.
       expect(s, {{i32(ep), N}, {p64(evs), W}, {i32(128), N}, {i32(-1), N}, {0, W}});
     }},
    {"pipe2", SYS_pipe2,
     [](Shared* s) {
       static int32_t rw[2];
       tracer::mark();
       s->stub_ret = rt::pipe2(rt::O_NONBLOCK_ | rt::O_CLOEXEC_, rw);
       tracer::mark();
       // The kernel takes the array first and the flags second.
       expect(s, {{p64(rw), W}, {i32(rt::O_NONBLOCK_ | rt::O_CLOEXEC_), N}});
     }},
    {"read", SYS_read,
     [](Shared* s) {
       int p[2];
       ::pipe2(p, 0);
       ::write(p[1], "abc", 3);
       static char buf[16];
       tracer::mark();
       s->stub_ret = rt::read(p[0], buf, sizeof buf);
       tracer::mark();
       expect(s, {{i32(p[0]), N}, {p64(buf), W}, {i32(16), N}});
     }},
    {"write1", SYS_write,
     [](Shared* s) {
       int p[2];
       ::pipe2(p, 0);
       static const char msg[] = "hello";
       tracer::mark();
       s->stub_ret = rt::write1(static_cast<uintptr_t>(p[1]), msg, 5);
       tracer::mark();
       expect(s, {{static_cast<uint64_t>(p[1]), W}, {p64(msg), W}, {i32(5), N}});
     }},
    {"closefd", SYS_close,
     [](Shared* s) {
       int fd = testutil::closed_fd();
       tracer::mark();
       s->stub_ret = rt::closefd(fd);
       tracer::mark();
       expect(s, {{i32(fd), N}});
     },
     true},
    {"open", SYS_openat,
     [](Shared* s) {
       static const char path[] = "/dev/null";
       tracer::mark();
       s->stub_ret = rt::open(path, O_RDONLY | O_CLOEXEC, 0644);
       tracer::mark();
       // openat(AT_FDCWD, ...): Go's MOVL $AT_FDCWD leaves 0x00000000ffffff9c in rdi.
       expect(s, {{0xffffff9c, W}, {p64(path), W}, {i32(O_RDONLY | O_CLOEXEC), N}, {0644, N}});
     }},
    {"openFails", SYS_openat,
     [](Shared* s) {
       static const char path[] = "/nonexistent/netpoll-asm";
       tracer::mark();
       s->stub_ret = rt::open(path, O_RDONLY, 0);
       tracer::mark();
       expect(s, {{0xffffff9c, W}, {p64(path), W}, {i32(O_RDONLY), N}, {0, N}});
     },
     true},
    {"eventfd2", SYS_eventfd2,
     [](Shared* s) {
       tracer::mark();
       s->stub_ret = rt::eventfd2(0, rt::EFD_CLOEXEC_ | rt::EFD_NONBLOCK_);
       tracer::mark();
       expect(s, {{0, N}, {i32(rt::EFD_CLOEXEC_ | rt::EFD_NONBLOCK_), N}});
     }},
    {"closeonexec", SYS_fcntl,
     [](Shared* s) {
       int fd = testutil::open_null();
       tracer::mark();
       rt::closeonexec(fd);
       tracer::mark();
       s->stub_ret = 0;  // void: the kernel's 0 is the only answer to check
       expect(s, {{i32(fd), N}, {F_SETFD, W}, {FD_CLOEXEC, W}});
     }},
    {"nanotime1", SYS_clock_gettime,
     [](Shared* s) {
       rt::vdsoClockgettimeSym = 0;  // as with no vDSO (or NETPOLL_VDSO=0): the syscall path
       tracer::mark();
       s->stub_ret = rt::nanotime1();
       tracer::mark();
       s->stub_ret = 0;  // the kernel's answer is 0; the stub's is the time
       expect(s, {{i32(CLOCK_MONOTONIC), N}});
     }},
    {"sysMmap", SYS_mmap,
     [](Shared* s) {
       tracer::mark();
       rt::mmapResult r = rt::sysMmap(nullptr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
       tracer::mark();
       s->stub_ret = reinterpret_cast<int64_t>(r.p);
       expect(s, {{0, W},
                  {4096, W},
                  {i32(PROT_READ), N},
                  {i32(MAP_PRIVATE | MAP_ANONYMOUS), N},
                  {i32(-1), N},
                  {0, N}});
     }},
    {"sysMunmap", SYS_munmap,
     [](Shared* s) {
       void* p = ::mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
       tracer::mark();
       rt::sysMunmap(p, 4096);
       tracer::mark();
       s->stub_ret = 0;  // void; the kernel said 0
       expect(s, {{p64(p), W}, {4096, W}});
     }},
    {"futex", SYS_futex,
     [](Shared* s) {
       static uint32_t word, word2;
       static timespec ts{1, 2};
       tracer::mark();
       s->stub_ret = rt::futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, &ts, &word2, 0x5a5a);
       tracer::mark();
       expect(s, {{p64(&word), W},
                  {i32(FUTEX_WAKE | FUTEX_PRIVATE_FLAG), N},
                  {i32(1), N},
                  {p64(&ts), W},
                  {p64(&word2), W},
                  {i32(0x5a5a), N}});
     }},
};

class SyscallTrace : public testing::TestWithParam<Case> {};

}  // namespace

TEST_P(SyscallTrace, IssuesExactlyItsNumberWithArgumentsInKernelRegisters) {
  const Case& c = GetParam();
  auto* shared = static_cast<Shared*>(
      mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(shared, MAP_FAILED);
  std::vector<std::vector<tracer::Call>> segs;
  std::string why;
  // The forked child has a copy of this frame, so it may follow the pointer.
  struct Ctx {
    const Case* c;
    Shared* s;
  } ctx{&c, shared};
  auto body = [](void* a) {
    auto* x = static_cast<Ctx*>(a);
    x->c->body(x->s);
  };
  if (!tracer::run(body, &ctx, &segs, &why)) {
    munmap(shared, sizeof(Shared));
    GTEST_SKIP() << why;
  }
  ASSERT_EQ(segs.size(), 2u) << "the body marks twice";
  const auto& calls = segs[0];
  ASSERT_EQ(calls.size(), 1u) << "exactly one system call between the marks";
  EXPECT_EQ(calls[0].nr, static_cast<uint64_t>(c.nr));
  static const char* reg[] = {"rdi", "rsi", "rdx", "r10", "r8", "r9"};
  for (int i = 0; i < shared->nargs; i++) {
    uint64_t got = shared->wide[i] ? calls[0].args[i] : static_cast<uint32_t>(calls[0].args[i]);
    EXPECT_EQ(got, shared->args[i]) << "argument " << i << " (" << reg[i] << ")";
  }
  if (c.go_drops_errno) {
    EXPECT_LT(calls[0].ret, 0) << "the kernel reported an error";
    EXPECT_EQ(shared->stub_ret, -1) << "and the stub folded it to -1, as Go's does";
  } else {
    EXPECT_EQ(shared->stub_ret, calls[0].ret) << "the stub returns the kernel's rax unchanged";
  }
  munmap(shared, sizeof(Shared));
}

INSTANTIATE_TEST_SUITE_P(Stubs, SyscallTrace, testing::ValuesIn(kCases),
                         [](const auto& i) { return std::string(i.param.name); });

// --- The upper halves: Go's MOVL, seen by the kernel ---
//
// Each stub is called through tests/abi_check.asm's poison_call, which fills
// the upper 32 bits of every int32 argument register with 0xdeadbeef (as a
// System V caller may leave anything there).  Go's stub loads those
// arguments with MOVL, which clears the upper half; ours must too, so the
// kernel sees, in all 64 bits, the zero-extended value.  The 64-bit
// arguments (pointers, uintptrs: Go's MOVQ) arrive as they were given.

extern "C" int64_t poison_call(const void* fn, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                               uint64_t e, uint64_t f, uint32_t int32s);

namespace {

struct PoisonCase {
  const char* name;
  const void* fn;
  long nr;
  uint32_t int32s;  // the arguments Go loads with MOVL (bit i: argument i)
  // Runs in the traced child before the call: the arguments to pass, in
  // System V order, and what the kernel must see (rdi, rsi, rdx, r10, r8, r9).
  void (*make)(uint64_t in[6], uint64_t want[6], int* nwant);
};
void PrintTo(const PoisonCase& c, std::ostream* os) { *os << c.name; }

template <class F>
const void* fnp(F f) {
  return reinterpret_cast<const void*>(f);
}
void same(uint64_t in[6], uint64_t want[6], int* nwant, std::initializer_list<uint64_t> v) {
  int i = 0;
  for (uint64_t x : v) in[i] = want[i] = x, i++;
  *nwant = i;
}

const PoisonCase kPoisonCases[] = {
    {"exit", fnp(rt::exit), SYS_exit_group, 1,
     [](uint64_t in[6], uint64_t w[6], int* n) { same(in, w, n, {0}); }},
    {"closefd", fnp(rt::closefd), SYS_close, 1,
     [](uint64_t in[6], uint64_t w[6], int* n) { same(in, w, n, {i32(testutil::closed_fd())}); }},
    {"write1", fnp(rt::write1), SYS_write, 4,
     [](uint64_t in[6], uint64_t w[6], int* n) {
       int p[2];
       ::pipe2(p, 0);
       static const char msg[] = "x";
       same(in, w, n, {static_cast<uint64_t>(p[1]), p64(msg), 1});
     }},
    {"read", fnp(rt::read), SYS_read, 1 | 4,
     [](uint64_t in[6], uint64_t w[6], int* n) {
       int p[2];
       ::pipe2(p, 0);
       ::write(p[1], "x", 1);
       static char buf[1];
       same(in, w, n, {i32(p[0]), p64(buf), 1});
     }},
    {"pipe2", fnp(rt::pipe2), SYS_pipe2, 1,
     [](uint64_t in[6], uint64_t w[6], int* n) {
       static int32_t rw[2];
       in[0] = i32(rt::O_CLOEXEC_), in[1] = p64(rw);
       w[0] = p64(rw), w[1] = i32(rt::O_CLOEXEC_);  // the kernel takes them the other way round
       *n = 2;
     }},
    {"nanotime1", fnp(rt::nanotime1), SYS_clock_gettime, 0x3f,  // no arguments: all poisoned
     [](uint64_t in[6], uint64_t w[6], int* n) {
       rt::vdsoClockgettimeSym = 0;  // the syscall path
       same(in, w, n, {0, 0, 0, 0, 0, 0});
       w[0] = CLOCK_MONOTONIC;  // MOVL $1, DI: a whole register
       *n = 1;
     }},
    {"open", fnp(rt::open), SYS_openat, 2 | 4,  // mode and perm: MOVL
     [](uint64_t in[6], uint64_t w[6], int* n) {
       static const char path[] = "/dev/null";
       in[0] = p64(path), in[1] = i32(O_RDONLY), in[2] = 0644;
       w[0] = 0xffffff9c, w[1] = p64(path), w[2] = i32(O_RDONLY), w[3] = 0644;
       *n = 4;
     }},
    {"sysMmap", fnp(rt::sysMmap), SYS_mmap, 4 | 8 | 16 | 32,
     [](uint64_t in[6], uint64_t w[6], int* n) {
       same(in, w, n, {0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, i32(-1), 0});
     }},
    {"futex", fnp(rt::futex), SYS_futex, 2 | 4 | 32,
     [](uint64_t in[6], uint64_t w[6], int* n) {
       static uint32_t word, word2;
       static timespec ts{1, 2};
       same(in, w, n,
            {p64(&word), FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, p64(&ts), p64(&word2), 0x5a5a});
     }},
    {"epollcreate", fnp(rt::epollcreate), SYS_epoll_create, 1,
     [](uint64_t in[6], uint64_t w[6], int* n) { same(in, w, n, {7}); }},
    {"epollcreate1", fnp(rt::epollcreate1), SYS_epoll_create1, 1,
     [](uint64_t in[6], uint64_t w[6], int* n) { same(in, w, n, {i32(rt::EPOLL_CLOEXEC_)}); }},
    {"epollctl", fnp(rt::epollctl), SYS_epoll_ctl, 1 | 2 | 4,
     [](uint64_t in[6], uint64_t w[6], int* n) {
       int ep = ::epoll_create1(0), p[2];
       ::pipe2(p, 0);
       static rt::epollevent ev{rt::EPOLLIN_, {}};
       same(in, w, n, {i32(ep), i32(rt::EPOLL_CTL_ADD_), i32(p[0]), p64(&ev)});
     }},
    {"epollwait", fnp(rt::epollwait), SYS_epoll_wait, 1 | 4 | 8,
     [](uint64_t in[6], uint64_t w[6], int* n) {
       static rt::epollevent evs[128];
       same(in, w, n, {i32(ready_epoll()), p64(evs), 128, i32(-1)});
     }},
    {"epollpwait", fnp(rt::epollpwait), SYS_epoll_pwait, 1 | 4 | 8 | 16,  // r8 too: Go's MOVQ $0
     [](uint64_t in[6], uint64_t w[6], int* n) {
       static rt::epollevent evs[128];
       same(in, w, n, {i32(ready_epoll()), p64(evs), 128, i32(-1), 0});
     }},
    {"eventfd2", fnp(rt::eventfd2), SYS_eventfd2, 1 | 2,  // go1.23's Eventfd: two int32s
     [](uint64_t in[6], uint64_t w[6], int* n) {
       same(in, w, n, {0, i32(rt::EFD_CLOEXEC_ | rt::EFD_NONBLOCK_)});
     }},
    {"closeonexec", fnp(rt::closeonexec), SYS_fcntl, 1 | 2 | 4,  // rsi, rdx: the stub's own MOVQs
     [](uint64_t in[6], uint64_t w[6], int* n) {
       same(in, w, n, {i32(testutil::open_null()), 0, 0});
       w[1] = F_SETFD, w[2] = FD_CLOEXEC;
     }},
    {"rtsigprocmask", fnp(rt::rtsigprocmask), SYS_rt_sigprocmask, 1 | 8,  // how, size: MOVL
     [](uint64_t in[6], uint64_t w[6], int* n) {
       static rt::sigset old;
       same(in, w, n, {i32(SIG_BLOCK), 0, p64(&old), 8});  // size goes from rcx to r10
     }},
    {"rt_sigaction", fnp(rt::rt_sigaction), SYS_rt_sigaction, 0,  // all MOVQ
     [](uint64_t in[6], uint64_t w[6], int* n) {
       static rt::sigactiont old;
       same(in, w, n, {SIGUSR2, 0, p64(&old), 8});
     }},
    {"tgkill", fnp(rt::tgkill), SYS_tgkill, 0,
     [](uint64_t in[6], uint64_t w[6], int* n) {
       same(in, w, n, {static_cast<uint64_t>(::getpid()), static_cast<uint64_t>(::getpid()), 0});
     }},
};

class ZeroExtension : public testing::TestWithParam<PoisonCase> {};

}  // namespace

TEST_P(ZeroExtension, KernelSeesInt32ArgumentsZeroExtendedAsGosMovl) {
  const PoisonCase& c = GetParam();
  struct Seen {
    uint64_t want[6];
    int nwant;
  };
  auto* seen = static_cast<Seen*>(
      mmap(nullptr, sizeof(Seen), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(seen, MAP_FAILED);
  struct Ctx {
    const PoisonCase* c;
    Seen* s;
  } ctx{&c, seen};
  std::vector<std::vector<tracer::Call>> segs;
  std::string why;
  bool ok = tracer::run(
      [](void* a) {
        auto* x = static_cast<Ctx*>(a);
        uint64_t in[6] = {};
        x->c->make(in, x->s->want, &x->s->nwant);
        tracer::mark();
        poison_call(x->c->fn, in[0], in[1], in[2], in[3], in[4], in[5], x->c->int32s);
        tracer::mark();  // exit never comes back to here
      },
      &ctx, &segs, &why);
  if (!ok) {
    munmap(seen, sizeof(Seen));
    GTEST_SKIP() << why;
  }
  ASSERT_GE(segs.size(), 1u);
  ASSERT_GE(segs[0].size(), 1u) << "no system call after the mark";
  const tracer::Call& k = segs[0][0];
  EXPECT_EQ(k.nr, static_cast<uint64_t>(c.nr));
  static const char* reg[] = {"rdi", "rsi", "rdx", "r10", "r8", "r9"};
  for (int i = 0; i < seen->nwant; i++)
    EXPECT_EQ(k.args[i], seen->want[i])
        << std::hex << "argument " << i << " (" << reg[i] << "): the kernel saw 0x" << k.args[i]
        << ", Go's stub would give it 0x" << seen->want[i];
  munmap(seen, sizeof(Seen));
}

INSTANTIATE_TEST_SUITE_P(Stubs, ZeroExtension, testing::ValuesIn(kPoisonCases),
                         [](const auto& i) { return std::string(i.param.name); });
