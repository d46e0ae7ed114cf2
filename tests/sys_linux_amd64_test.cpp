// Each stub's success and each of its documented errors, checked as the
// raw kernel answer the stub returns (-errno), one behaviour per test.
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "gotest.h"
#include "testutil.h"
#include "tools/goref.h"

using namespace std::chrono;
using testutil::Fd;

namespace rt = runtime;

namespace {

int fd_flags(int fd) { return ::fcntl(fd, F_GETFD); }
int fl_flags(int fd) { return ::fcntl(fd, F_GETFL); }

// An address the kernel cannot read or write: the guard page of mmap.
void* unmapped() { return reinterpret_cast<void*>(8); }

// Runs fn in a child with RLIMIT_NOFILE lowered to just the descriptors in
// use, and returns what fn returned (as the child's exit status + 128).
template <class F>
int with_full_fd_table(F fn) {
  pid_t pid = fork();
  if (pid == 0) {
    int highest = testutil::open_null();  // the lowest free slot
    rlimit rl{static_cast<rlim_t>(highest), static_cast<rlim_t>(highest)};
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) _exit(1);
    ::close(highest);
    // Now exactly `highest` is free and the limit is highest: no slot left.
    _exit(static_cast<uint8_t>(fn() + 128));
  }
  int st;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) - 128 : -1000;
}

}  // namespace

// --- epollcreate (213) ---

TEST(EpollCreate, PositiveSizeReturnsNewEpollFd) {
  Fd ep(rt::epollcreate(1024));
  ASSERT_GE(ep.get(), 0);
  epoll_event ev{};
  EXPECT_EQ(::epoll_wait(ep, &ev, 1, 0), 0) << "not an epoll descriptor";
}

TEST(EpollCreate, SizeZeroFailsWithEINVAL) { EXPECT_EQ(rt::epollcreate(0), -EINVAL); }

TEST(EpollCreate, NegativeSizeFailsWithEINVAL) { EXPECT_EQ(rt::epollcreate(-1), -EINVAL); }

TEST(EpollCreate, DoesNotSetCloseOnExec) {
  Fd ep(rt::epollcreate(1));
  ASSERT_GE(ep.get(), 0);
  EXPECT_EQ(fd_flags(ep) & FD_CLOEXEC, 0);
}

TEST(EpollCreate, FullFdTableFailsWithEMFILE) {
  EXPECT_EQ(with_full_fd_table([] { return rt::epollcreate(1); }), -EMFILE);
}

// --- epollcreate1 (291) ---

TEST(EpollCreate1, ZeroFlagsReturnsFdWithoutCloseOnExec) {
  Fd ep(rt::epollcreate1(0));
  ASSERT_GE(ep.get(), 0);
  EXPECT_EQ(fd_flags(ep) & FD_CLOEXEC, 0);
}

TEST(EpollCreate1, EpollCloexecSetsFdCloexec) {
  Fd ep(rt::epollcreate1(rt::EPOLL_CLOEXEC_));
  ASSERT_GE(ep.get(), 0);
  EXPECT_EQ(fd_flags(ep) & FD_CLOEXEC, FD_CLOEXEC);
}

TEST(EpollCreate1, UnknownFlagFailsWithEINVAL) { EXPECT_EQ(rt::epollcreate1(1), -EINVAL); }

TEST(EpollCreate1, NonblockFlagFailsWithEINVAL) {
  EXPECT_EQ(rt::epollcreate1(O_NONBLOCK), -EINVAL);
}

TEST(EpollCreate1, FullFdTableFailsWithEMFILE) {
  EXPECT_EQ(with_full_fd_table([] { return rt::epollcreate1(rt::EPOLL_CLOEXEC_); }), -EMFILE);
}

// --- epollctl (233) ---

class EpollCtl : public testing::Test {
 protected:
  Fd ep{rt::epollcreate1(rt::EPOLL_CLOEXEC_)};
  testutil::Pair p = testutil::make_pipe(O_NONBLOCK);
  rt::epollevent ev{rt::EPOLLIN_, {}};
};

TEST_F(EpollCtl, AddReturnsZero) { EXPECT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, p.a, &ev), 0); }

TEST_F(EpollCtl, AddingSameFdTwiceFailsWithEEXIST) {
  ASSERT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, p.a, &ev), 0);
  EXPECT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, p.a, &ev), -EEXIST);
}

TEST_F(EpollCtl, ModOfRegisteredFdReturnsZero) {
  ASSERT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, p.a, &ev), 0);
  ev.events = rt::EPOLLIN_ | rt::EPOLLET_;
  EXPECT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_MOD_, p.a, &ev), 0);
}

TEST_F(EpollCtl, DelOfRegisteredFdReturnsZero) {
  ASSERT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, p.a, &ev), 0);
  EXPECT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_DEL_, p.a, &ev), 0);
}

TEST_F(EpollCtl, DelAcceptsNullEvent) {
  // Go passes a zeroed event to DEL (netpoll_epoll.go:72) for kernels
  // before 2.6.9, which demanded one; today NULL is allowed.
  ASSERT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, p.a, &ev), 0);
  EXPECT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_DEL_, p.a, nullptr), 0);
}

TEST_F(EpollCtl, DelOfUnregisteredFdFailsWithENOENT) {
  EXPECT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_DEL_, p.a, &ev), -ENOENT);
}

TEST_F(EpollCtl, ModOfUnregisteredFdFailsWithENOENT) {
  EXPECT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_MOD_, p.a, &ev), -ENOENT);
}

TEST_F(EpollCtl, UnknownOpFailsWithEINVAL) {
  EXPECT_EQ(rt::epollctl(ep, 0, p.a, &ev), -EINVAL);
  EXPECT_EQ(rt::epollctl(ep, 4, p.a, &ev), -EINVAL);
}

TEST_F(EpollCtl, EpfdEqualToFdFailsWithEINVAL) {
  EXPECT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, ep, &ev), -EINVAL);
}

TEST_F(EpollCtl, NonEpollEpfdFailsWithEINVAL) {
  EXPECT_EQ(rt::epollctl(p.b, rt::EPOLL_CTL_ADD_, p.a, &ev), -EINVAL);
}

TEST_F(EpollCtl, ClosedEpfdFailsWithEBADF) {
  EXPECT_EQ(rt::epollctl(testutil::closed_fd(), rt::EPOLL_CTL_ADD_, p.a, &ev), -EBADF);
}

TEST_F(EpollCtl, ClosedFdFailsWithEBADF) {
  EXPECT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, testutil::closed_fd(), &ev), -EBADF);
}

TEST_F(EpollCtl, NegativeFdFailsWithEBADF) {
  EXPECT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, -1, &ev), -EBADF);
}

TEST_F(EpollCtl, NegativeEpfdFailsWithEBADF) {
  EXPECT_EQ(rt::epollctl(-1, rt::EPOLL_CTL_ADD_, p.a, &ev), -EBADF);
}

TEST_F(EpollCtl, RegularFileFailsWithEPERM) {
  char path[] = "/tmp/netpoll-asm-XXXXXX";
  Fd f(mkstemp(path));
  ASSERT_GE(f.get(), 0);
  unlink(path);
  EXPECT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, f, &ev), -EPERM);
}

TEST_F(EpollCtl, EpollCycleFailsWithELOOP) {
  Fd ep2(rt::epollcreate1(0));
  ASSERT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, ep2, &ev), 0);
  EXPECT_EQ(rt::epollctl(ep2, rt::EPOLL_CTL_ADD_, ep, &ev), -ELOOP);
}

TEST_F(EpollCtl, UnreadableEventFailsWithEFAULT) {
  EXPECT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, p.a, static_cast<rt::epollevent*>(unmapped())),
            -EFAULT);
}

TEST_F(EpollCtl, ExclusiveWithModFailsWithEINVAL) {
  ev.events = rt::EPOLLIN_ | EPOLLEXCLUSIVE;
  ASSERT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, p.a, &ev), 0);
  EXPECT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_MOD_, p.a, &ev), -EINVAL);
}

// --- epollwait (232) and epollpwait (281): the same contract ---

struct WaitStub {
  const char* name;
  int32_t (*fn)(int32_t, rt::epollevent*, int32_t, int32_t);
  long nr;
};
void PrintTo(const WaitStub& c, std::ostream* os) { *os << c.name; }

class EpollWait : public testing::TestWithParam<WaitStub> {
 protected:
  int32_t wait(int32_t epfd, rt::epollevent* ev, int32_t nev, int32_t timeout) {
    return GetParam().fn(epfd, ev, nev, timeout);
  }
  Fd ep{rt::epollcreate1(rt::EPOLL_CLOEXEC_)};
  rt::epollevent evs[8]{};
};

TEST_P(EpollWait, EmptySetWithZeroTimeoutReturnsZero) { EXPECT_EQ(wait(ep, evs, 8, 0), 0); }

TEST_P(EpollWait, ReadyFdReturnsOneEvent) {
  auto p = testutil::make_pipe(O_NONBLOCK);
  rt::epollevent ev{rt::EPOLLIN_, {}};
  ASSERT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, p.a, &ev), 0);
  ASSERT_EQ(::write(p.b, "x", 1), 1);
  ASSERT_EQ(wait(ep, evs, 8, 0), 1);
  EXPECT_EQ(evs[0].events, rt::EPOLLIN_);
}

TEST_P(EpollWait, TimeoutElapsesBeforeReturningZero) {
  auto t0 = steady_clock::now();
  EXPECT_EQ(wait(ep, evs, 8, 50), 0);
  EXPECT_GE(steady_clock::now() - t0, milliseconds(45));  // a lower bound only
}

TEST_P(EpollWait, ZeroMaxEventsFailsWithEINVAL) { EXPECT_EQ(wait(ep, evs, 0, 0), -EINVAL); }

TEST_P(EpollWait, NegativeMaxEventsFailsWithEINVAL) { EXPECT_EQ(wait(ep, evs, -1, 0), -EINVAL); }

TEST_P(EpollWait, NonEpollFdFailsWithEINVAL) {
  auto p = testutil::make_pipe();
  EXPECT_EQ(wait(p.a, evs, 8, 0), -EINVAL);
}

TEST_P(EpollWait, ClosedFdFailsWithEBADF) {
  EXPECT_EQ(wait(testutil::closed_fd(), evs, 8, 0), -EBADF);
}

TEST_P(EpollWait, NegativeFdFailsWithEBADF) { EXPECT_EQ(wait(-1, evs, 8, 0), -EBADF); }

TEST_P(EpollWait, UnwritableEventsFailWithEFAULT) {
  auto p = testutil::make_pipe(O_NONBLOCK);
  rt::epollevent ev{rt::EPOLLIN_, {}};
  ASSERT_EQ(rt::epollctl(ep, rt::EPOLL_CTL_ADD_, p.a, &ev), 0);
  ASSERT_EQ(::write(p.b, "x", 1), 1);  // an event to copy out, to a bad address
  EXPECT_EQ(wait(ep, static_cast<rt::epollevent*>(unmapped()), 8, 0), -EFAULT);
}

TEST_P(EpollWait, KernelAddressFailsWithEFAULTEvenWhenNothingIsReady) {
  auto* kernel = reinterpret_cast<rt::epollevent*>(0xffff800000000000ULL);
  EXPECT_EQ(wait(ep, kernel, 8, 0), -EFAULT);
}

namespace {
void on_signal(int) {}

// Blocks in the stub with a long timeout; once the kernel shows this thread
// asleep in the stub's own syscall, another thread sends it SIGUSR1.
int32_t wait_and_get_signalled(const WaitStub& s, int epfd, int sa_flags) {
  struct sigaction sa {
  }, old{};
  sa.sa_handler = on_signal;
  sa.sa_flags = sa_flags;
  sigaction(SIGUSR1, &sa, &old);
  int tid = testutil::gettid_();
  pid_t pid = getpid();
  std::thread killer([&] {
    if (testutil::wait_until_in_syscall(tid, s.nr)) syscall(SYS_tgkill, pid, tid, SIGUSR1);
  });
  rt::epollevent ev[1];
  int32_t r = s.fn(epfd, ev, 1, 20000);
  killer.join();
  sigaction(SIGUSR1, &old, nullptr);
  return r;
}
}  // namespace

TEST_P(EpollWait, SignalWithoutSaRestartFailsWithEINTR) {
  EXPECT_EQ(wait_and_get_signalled(GetParam(), ep, 0), -EINTR);
}

TEST_P(EpollWait, SignalWithSaRestartStillFailsWithEINTR) {
  // signal(7): epoll_wait is never restarted, whatever SA_RESTART says.
  // That is why Go, whose handlers all use SA_RESTART, still checks for
  // EINTR at netpoll_epoll.go:128.
  EXPECT_EQ(wait_and_get_signalled(GetParam(), ep, SA_RESTART), -EINTR);
}

INSTANTIATE_TEST_SUITE_P(Stubs, EpollWait,
                         testing::Values(WaitStub{"epollwait", rt::epollwait, SYS_epoll_wait},
                                         WaitStub{"epollpwait", rt::epollpwait, SYS_epoll_pwait}),
                         [](const auto& i) { return std::string(i.param.name); });

TEST(EpollPwait, LeavesSignalMaskUnchanged) {
  // A NULL sigmask means "do not touch the mask": a blocked signal stays
  // blocked across the call.
  sigset_t block, before, after;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &block, &before);
  Fd ep(rt::epollcreate1(0));
  rt::epollevent ev[1];
  EXPECT_EQ(rt::epollpwait(ep, ev, 1, 0), 0);
  pthread_sigmask(SIG_SETMASK, nullptr, &after);
  EXPECT_TRUE(sigismember(&after, SIGUSR2));
  pthread_sigmask(SIG_SETMASK, &before, nullptr);
}

// --- pipe2 (293), Go's nonblockingPipe ---

TEST(Pipe2, ReturnsZeroAndTwoDescriptorsThatCarryBytes) {
  int32_t rw[2] = {-1, -1};
  ASSERT_EQ(rt::pipe2(0, rw), 0);
  Fd r(rw[0]), w(rw[1]);
  ASSERT_EQ(::write(w, "go", 2), 2);
  char buf[2];
  ASSERT_EQ(::read(r, buf, 2), 2);
  EXPECT_EQ(std::string(buf, 2), "go");
}

TEST(Pipe2, NonblockAndCloexecTakeOnBothEnds) {
  int32_t rw[2];
  ASSERT_EQ(rt::pipe2(rt::O_NONBLOCK_ | rt::O_CLOEXEC_, rw), 0);
  Fd r(rw[0]), w(rw[1]);
  for (int fd : {rw[0], rw[1]}) {
    EXPECT_EQ(fl_flags(fd) & O_NONBLOCK, O_NONBLOCK);
    EXPECT_EQ(fd_flags(fd) & FD_CLOEXEC, FD_CLOEXEC);
  }
}

TEST(Pipe2, ZeroFlagsLeaveBothEndsBlockingAndInherited) {
  int32_t rw[2];
  ASSERT_EQ(rt::pipe2(0, rw), 0);
  Fd r(rw[0]), w(rw[1]);
  for (int fd : {rw[0], rw[1]}) {
    EXPECT_EQ(fl_flags(fd) & O_NONBLOCK, 0);
    EXPECT_EQ(fd_flags(fd) & FD_CLOEXEC, 0);
  }
}

TEST(Pipe2, UnknownFlagFailsWithEINVAL) {
  int32_t rw[2];
  EXPECT_EQ(rt::pipe2(O_RDWR, rw), -EINVAL);
}

TEST(Pipe2, UnwritableResultFailsWithEFAULT) {
  EXPECT_EQ(rt::pipe2(0, static_cast<int32_t*>(unmapped())), -EFAULT);
}

TEST(Pipe2, FullFdTableFailsWithEMFILE) {
  EXPECT_EQ(with_full_fd_table([] {
              int32_t rw[2];
              return rt::pipe2(0, rw);
            }),
            -EMFILE);
}

// --- read (0) and write1 (1) ---

TEST(Read, ReturnsBytesWritten) {
  auto p = testutil::make_pipe();
  ASSERT_EQ(::write(p.b, "abc", 3), 3);
  char buf[8];
  ASSERT_EQ(rt::read(p.a, buf, sizeof buf), 3);
  EXPECT_EQ(std::string(buf, 3), "abc");
}

TEST(Read, EmptyNonblockingPipeFailsWithEAGAIN) {
  auto p = testutil::make_pipe(O_NONBLOCK);
  char buf[1];
  EXPECT_EQ(rt::read(p.a, buf, 1), -EAGAIN);
}

TEST(Read, ClosedWriterGivesZeroAtEndOfFile) {
  auto p = testutil::make_pipe();
  p.b.reset();
  char buf[1];
  EXPECT_EQ(rt::read(p.a, buf, 1), 0);
}

TEST(Read, ClosedFdFailsWithEBADF) {
  char buf[1];
  EXPECT_EQ(rt::read(testutil::closed_fd(), buf, 1), -EBADF);
}

TEST(Read, UnwritableBufferFailsWithEFAULT) {
  auto p = testutil::make_pipe();
  ASSERT_EQ(::write(p.b, "x", 1), 1);
  EXPECT_EQ(rt::read(p.a, unmapped(), 1), -EFAULT);
}

TEST(Write1, ReturnsBytesWritten) {
  auto p = testutil::make_pipe();
  ASSERT_EQ(rt::write1(p.b.get(), "hello", 5), 5);
  char buf[5];
  ASSERT_EQ(::read(p.a, buf, 5), 5);
  EXPECT_EQ(std::string(buf, 5), "hello");
}

TEST(Write1, FullNonblockingPipeFailsWithEAGAIN) {
  auto p = testutil::make_pipe(O_NONBLOCK);
  static char chunk[65536];
  while (rt::write1(p.b.get(), chunk, sizeof chunk) > 0) {
  }
  EXPECT_EQ(rt::write1(p.b.get(), chunk, 1), -EAGAIN);
}

// On a goroutine, whose M takes the SIGPIPE the write raises and ignores
// it (signal_unix.go's sighandler, for a SigNotify signal nobody asked for).
TEST(Write1, ClosedReaderFailsWithEPIPE) {
  auto p = testutil::make_pipe();
  p.a.reset();
  int32_t r = 0;
  gotest::go([&] { r = rt::write1(p.b.get(), "x", 1); }, 1);
  EXPECT_EQ(r, -EPIPE);
}

TEST(Write1, ClosedFdFailsWithEBADF) {
  EXPECT_EQ(rt::write1(static_cast<uintptr_t>(testutil::closed_fd()), "x", 1), -EBADF);
}

// --- closefd (3) and closeonexec (fcntl, 72) ---

TEST(Closefd, OpenFdReturnsZeroAndIsClosed) {
  int fd = testutil::open_null();
  ASSERT_EQ(rt::closefd(fd), 0);
  EXPECT_EQ(::fcntl(fd, F_GETFD), -1);
  EXPECT_EQ(errno, EBADF);
}

TEST(Closefd, ClosedFdReturnsMinusOneNotMinusEBADF) {
  // Go's stub folds every error into -1 (sys_linux_amd64.s:92-94).
  EXPECT_EQ(rt::closefd(testutil::closed_fd()), -1);
}

TEST(Closeonexec, SetsFdCloexec) {
  Fd fd(testutil::open_null());
  ASSERT_EQ(fd_flags(fd) & FD_CLOEXEC, 0);
  rt::closeonexec(fd);
  EXPECT_EQ(fd_flags(fd) & FD_CLOEXEC, FD_CLOEXEC);
}

TEST(Closeonexec, KeepsOtherDescriptorFlagsAndStatusFlags) {
  auto p = testutil::make_pipe(O_NONBLOCK);
  rt::closeonexec(p.a);
  EXPECT_EQ(fl_flags(p.a) & O_NONBLOCK, O_NONBLOCK);
}

TEST(Closeonexec, ClosedFdIsIgnoredAsInGo) {
  int before = errno = 4242;
  rt::closeonexec(testutil::closed_fd());  // kernel says EBADF; Go drops it
  EXPECT_EQ(errno, before);
}

// --- eventfd2 (290): go1.23's netpollBreak (NETPOLL_GO=1.23) ---

TEST(Eventfd2, MakesANonblockingCloseOnExecEventfdCountingFromInitval) {
  Fd fd(rt::eventfd2(3, rt::EFD_CLOEXEC_ | rt::EFD_NONBLOCK_));
  ASSERT_GE(fd.get(), 0);
  char link[64] = {};
  ASSERT_GT(
      ::readlink(("/proc/self/fd/" + std::to_string(fd.get())).c_str(), link, sizeof link - 1), 0);
  EXPECT_STREQ(link, "anon_inode:[eventfd]");
  EXPECT_EQ(fd_flags(fd) & FD_CLOEXEC, FD_CLOEXEC);
  EXPECT_EQ(fl_flags(fd) & O_NONBLOCK, O_NONBLOCK);
  uint64_t n = 0;
  ASSERT_EQ(::read(fd, &n, sizeof n), 8);
  EXPECT_EQ(n, 3u) << "initval";
  EXPECT_EQ(::read(fd, &n, sizeof n), -1) << "a read resets it; the next one would block";
  EXPECT_EQ(errno, EAGAIN);
}

TEST(Eventfd2, UnknownFlagsFailWithMinusEINVAL) { EXPECT_EQ(rt::eventfd2(0, 0x7fffffff), -EINVAL); }

// --- futex (202) ---

TEST(Futex, WaitOnChangedValueFailsWithEAGAIN) {
  uint32_t word = 1;
  EXPECT_EQ(rt::futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, nullptr, nullptr, 0), -EAGAIN);
}

TEST(Futex, WaitWithTimeoutFailsWithETIMEDOUT) {
  uint32_t word = 0;
  timespec ts{0, 20 * 1000 * 1000};
  auto t0 = steady_clock::now();
  EXPECT_EQ(rt::futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &ts, nullptr, 0), -ETIMEDOUT);
  EXPECT_GE(steady_clock::now() - t0, milliseconds(15));
}

TEST(Futex, WakeWithNoWaitersReturnsZero) {
  uint32_t word = 0;
  EXPECT_EQ(rt::futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, nullptr, nullptr, 0), 0);
}

TEST(Futex, WakeReleasesAThreadSleepingInWait) {
  uint32_t word = 0;
  std::atomic<int32_t> waited{1};
  std::thread sleeper(
      [&] { waited = rt::futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, nullptr, nullptr, 0); });
  // Wake until the kernel reports it woke someone: that is the sleeper.
  int32_t woken = 0;
  while ((woken = rt::futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, nullptr, nullptr, 0)) == 0)
    sched_yield();
  sleeper.join();
  EXPECT_EQ(woken, 1);
  EXPECT_EQ(waited.load(), 0);
}

TEST(Futex, UnreadableAddressFailsWithEFAULT) {
  EXPECT_EQ(rt::futex(unmapped(), FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, nullptr, nullptr, 0),
            -EFAULT);
}

// --- nanotime1 (clock_gettime, 228), sysMmap (9), sysMunmap (11) ---

TEST(Nanotime1, LiesBetweenTwoReadingsOfClockMonotonic) {
  timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  int64_t t = rt::nanotime1();
  clock_gettime(CLOCK_MONOTONIC, &b);
  EXPECT_GE(t, a.tv_sec * 1000000000LL + a.tv_nsec);
  EXPECT_LE(t, b.tv_sec * 1000000000LL + b.tv_nsec);
}

// usleep (sys_linux_amd64.s:125-140) splits usec into the seconds and
// nanoseconds of a timespec; nanosleep sleeps at least that long, so the
// monotonic clock moves at least that far.  1.5 s tests both halves.
TEST(Usleep, SleepsAtLeastTheSecondsAndMicrosecondsAsked) {
  for (uint32_t usec : {20000u, 1500000u}) {
    timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    rt::usleep(usec);
    clock_gettime(CLOCK_MONOTONIC, &b);
    int64_t slept = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
    EXPECT_GE(slept, int64_t{usec} * 1000) << "usleep(" << usec << ")";
  }
}

TEST(SysMmap, ReturnsWritableMemoryAndNoError) {
  rt::mmapResult r =
      rt::sysMmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(r.p, nullptr);
  EXPECT_EQ(r.err, 0);
  static_cast<char*>(r.p)[8191] = 1;
  rt::sysMunmap(r.p, 8192);
}

TEST(SysMmap, FailureGivesNullAndPositiveErrno) {
  // Neither MAP_PRIVATE nor MAP_SHARED: the kernel says EINVAL.
  rt::mmapResult r = rt::sysMmap(nullptr, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0);
  EXPECT_EQ(r.p, nullptr);
  EXPECT_EQ(r.err, EINVAL);
}

TEST(SysMunmap, UnmapsTheRange) {
  rt::mmapResult r = rt::sysMmap(nullptr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(r.p, nullptr);
  rt::sysMunmap(r.p, 4096);
  EXPECT_EQ(::msync(r.p, 4096, MS_ASYNC), -1);
  EXPECT_EQ(errno, ENOMEM) << "msync on an unmapped range";
}

TEST(SysMunmapDeathTest, KernelRefusalCrashesAsInGo) {
  // A misaligned address is EINVAL; Go's stub then stores to 0xf1.
  EXPECT_DEATH(rt::sysMunmap(reinterpret_cast<void*>(1), 4096), "");
}

// --- The syscall numbers, from three tables ---
//
// Our table at the top of asm/sys_linux_amd64.asm against the kernel's own
// (asm/unistd_64.h, which glibc's <sys/syscall.h> includes), the SYS_*
// defines at the top of Go's sys_linux_amd64.s (the only table Go's runtime
// uses), golang.org/x/sys/unix's zsysnum_linux_amd64.go, vendored into
// GOROOT for the go command, and package syscall's zsysnum_linux_amd64.go.  Every number must agree
// with every table that has it; the one name Go's runtime does not define is epoll_wait, which it
// never issues (notes/sys_linux_amd64.md).

namespace {

std::map<std::string, long> table(const std::string& path, const std::string& pattern) {
  std::map<std::string, long> out;
  std::ifstream in(path);
  std::regex re(pattern);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, re)) continue;
    std::string name = m[1];
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out[name] = std::stol(m[2]);
  }
  return out;
}

}  // namespace

TEST(SyscallNumbers, OursAgreeWithTheKernelsGosRuntimeAndXSysUnix) {
  auto ours = table(PROJECT_ROOT "/asm/sys_linux_amd64.asm", R"(^SYS_(\w+)\s+equ\s+(\d+))");
  ASSERT_GE(ours.size(), 16u) << "could not read our table";
  auto kernel =
      table("/usr/include/x86_64-linux-gnu/asm/unistd_64.h", R"(^#define __NR_(\w+)\s+(\d+))");
  ASSERT_GT(kernel.size(), 300u) << "no asm/unistd_64.h (linux-libc-dev)";
  for (auto& [name, nr] : ours) {
    ASSERT_TRUE(kernel.count(name)) << name << " is not a syscall the kernel knows";
    EXPECT_EQ(nr, kernel[name]) << name;
  }
  std::string root = goref::goroot119();
  if (root.empty()) GTEST_SKIP() << "no Go 1.19 GOROOT here: checked against the kernel only";
  auto go = table(root + "/src/runtime/sys_linux_amd64.s", R"(^#define\s+SYS_(\w+)\s+(\d+))");
  auto xsys = table(root + "/src/cmd/vendor/golang.org/x/sys/unix/zsysnum_linux_amd64.go",
                    R"(^\s*SYS_([A-Z0-9_]+)\s*=\s*(\d+))");
  auto syscall =
      table(root + "/src/syscall/zsysnum_linux_amd64.go", R"(^\s*SYS_([A-Z0-9_]+)\s*=\s*(\d+))");
  ASSERT_GT(go.size(), 30u) << "could not read Go's runtime table";
  ASSERT_GT(xsys.size(), 300u) << "could not read x/sys/unix's table";
  ASSERT_GT(syscall.size(), 250u) << "could not read package syscall's table";
  std::vector<std::string> not_in_go;
  for (auto& [name, nr] : ours) {
    if (go.count(name))
      EXPECT_EQ(nr, go[name]) << name << " in Go's sys_linux_amd64.s";
    else
      not_in_go.push_back(name);
    ASSERT_TRUE(xsys.count(name)) << name;
    EXPECT_EQ(nr, xsys[name]) << name << " in x/sys/unix";
    ASSERT_TRUE(syscall.count(name)) << name;
    EXPECT_EQ(nr, syscall[name]) << name << " in package syscall";
  }
  // epoll_wait: the user's own (Go 1.19 issues epoll_pwait); eventfd2: Go
  // 1.23's netpollBreak (NETPOLL_GO=1.23), whose runtime reaches it through
  // package syscall, where the loop above found it.
  EXPECT_EQ(not_in_go, (std::vector<std::string>{"epoll_wait", "eventfd2"}))
      << "Go 1.19's runtime defines every number we use but epoll_wait and eventfd2";
}

TEST(SyscallNumbers, OurTableIsSortedByNumber) {
  std::ifstream in(PROJECT_ROOT "/asm/sys_linux_amd64.asm");
  std::regex re(R"(^SYS_(\w+)\s+equ\s+(\d+))");
  long prev = -1;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, re)) continue;
    long nr = std::stol(m[2]);
    EXPECT_GT(nr, prev) << "SYS_" << m[1] << " is out of order";
    prev = nr;
  }
}
