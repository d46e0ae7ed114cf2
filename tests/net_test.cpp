// The layers above the runtime, end to end: internal/poll's FD and fdMutex,
// sync.WaitGroup and the small net package.  Goroutines that read an empty
// socket park on its pollDesc and are woken by netpoll; two goroutines on
// one FD, Close racing every operation, deadlines, resets, a full
// descriptor table come back as Go gives them, not as crashes or hangs.
#include "net/net.h"

#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "gotest.h"
#include "internal/poll/hook.h"
#include "runtime/netpoll.h"
#include "sync/waitgroup.h"
#include "testutil.h"

namespace poll = internal::poll;
using runtime::waitReason;

namespace {

sync_::WaitGroup* g_handlers;
void echo(net::netFD* c) {
  char buf[512];
  for (;;) {
    auto [n, err] = c->Read(buf, sizeof buf);
    if (err != 0 || c->Write(buf, static_cast<size_t>(n)).err != 0) break;
  }
  c->Close();
  net::Free(c);
  if (g_handlers) g_handlers->Done();
}

// A listener, a client connection to it and the server's end of it.
struct Pair {
  net::netFD *ln = nullptr, *c = nullptr, *s = nullptr;
  explicit Pair(bool accept = true) {
    EXPECT_EQ(net::Listen(0, &ln), 0);
    EXPECT_EQ(net::Dial(net::Port(ln), &c), 0);
    if (accept) {
      EXPECT_EQ(net::Accept(ln, &s), 0);
    }
  }
  ~Pair() {
    for (net::netFD* fd : {s, c, ln}) {
      if (fd == nullptr) continue;
      fd->Close();
      net::Free(fd);
    }
  }
};

// Fill c's send buffer (and the peer's receive buffer) until a write would
// have to wait.
void fill(net::netFD* c) {
  int small = 4096;
  ::setsockopt(c->pfd.Sysfd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  static char junk[65536];
  while (::send(c->pfd.Sysfd, junk, sizeof junk, MSG_DONTWAIT) > 0) {
  }
}

}  // namespace

TEST(Net, ThousandGoroutinesEchoAndNoneIsLeftParked) {
  constexpr int kConns = 1000;
  testutil::raise_nofile(4 * kConns + 64);
  std::atomic<int> ok{0};
  int32_t left = gotest::go([&] {
    net::netFD* ln;
    ASSERT_EQ(net::Listen(0, &ln), 0);
    int port = net::Port(ln);
    sync_::WaitGroup handlers, clients;
    g_handlers = &handlers;
    handlers.Add(1);
    gotest::spawn([&] {
      net::Serve(ln, echo, &handlers);
      handlers.Done();
    });
    clients.Add(kConns);
    for (int i = 0; i < kConns; i++) {
      gotest::spawn([&, i] {
        net::netFD* c;
        if (net::Dial(port, &c) == 0) {
          std::string msg = "message " + std::to_string(i);
          char got[64] = {};
          c->Write(msg.data(), msg.size());
          size_t n = 0;
          while (n < msg.size()) {
            auto [r, err] = c->Read(got + n, msg.size() - n);
            if (err != 0) break;
            n += static_cast<size_t>(r);
          }
          if (msg == std::string(got, n)) ok++;
          c->Close();
          net::Free(c);
        }
        clients.Done();
      });
    }
    clients.Wait();
    ln->Close();
    handlers.Wait();
    net::Free(ln);
    g_handlers = nullptr;
  });
  EXPECT_EQ(ok.load(), kConns) << "every echo came back whole";
  EXPECT_EQ(left, 0) << "goroutines still alive after main returned";
  EXPECT_EQ(gotest::parked_on_io(), 0) << "goroutines still parked in netpollblock";
}

TEST(Net, ReadDeadlineWakesTheReaderWithTimeout) {
  int got = 0;
  gotest::go([&] {
    Pair p(false);
    p.c->SetReadDeadline(runtime::nanotime() + 30 * 1000 * 1000);
    char b;
    got = p.c->Read(&b, 1).err;  // nobody writes
  });
  EXPECT_EQ(got, net::ErrDeadlineExceeded);
}

// A writer that finds the socket's buffer full must park until EPOLLOUT,
// not hand EAGAIN back to its caller: the whole of a large write arrives.
TEST(Net, WriteOfMoreThanTheBuffersHoldParksUntilThePeerReads) {
  constexpr size_t kBytes = 4 << 20;
  std::atomic<size_t> wrote{0}, read{0};
  std::atomic<int> write_err{1};
  gotest::go([&] {
    Pair p;
    sync_::WaitGroup wg;
    wg.Add(1);
    gotest::spawn([&] {
      std::vector<char> big(kBytes, 'x');
      auto [n, err] = p.c->Write(big.data(), big.size());
      wrote = static_cast<size_t>(n);
      write_err = err;
      wg.Done();
    });
    gotest::until([] { return gotest::parked_on_io() == 1; });  // the writer waits for space
    char buf[65536];
    while (read < kBytes) {
      auto [n, err] = p.s->Read(buf, sizeof buf);
      if (err != 0) break;
      read += static_cast<size_t>(n);
    }
    wg.Wait();
  });
  EXPECT_EQ(write_err.load(), 0);
  EXPECT_EQ(wrote.load(), kBytes);
  EXPECT_EQ(read.load(), kBytes);
}

// netpollcheckerr's write half: a writer parked on a full buffer is woken
// by its write deadline with a timeout.
TEST(Net, WriteDeadlineWakesAWriterParkedOnAFullBuffer) {
  std::atomic<int> got{0};
  gotest::go([&] {
    Pair p;
    fill(p.c);
    p.c->SetWriteDeadline(runtime::nanotime() + 30 * 1000 * 1000);
    char b[4096] = {};
    got = p.c->Write(b, sizeof b).err;
  });
  EXPECT_EQ(got.load(), net::ErrDeadlineExceeded);
}

// netpoll.go:392-404: a deadline set in the past by another goroutine
// wakes the writer already parked on a full buffer, at once.
TEST(Net, PastWriteDeadlineSetByAnotherWakesAParkedWriter) {
  std::atomic<int> got{0};
  gotest::go([&] {
    Pair p;
    fill(p.c);
    sync_::WaitGroup wg;
    wg.Add(1);
    gotest::spawn([&] {
      char b[4096] = {};
      got = p.c->Write(b, sizeof b).err;
      wg.Done();
    });
    gotest::until([] { return gotest::parked_on_io() == 1; });
    p.c->SetWriteDeadline(runtime::nanotime() - 1);
    wg.Wait();
  });
  EXPECT_EQ(got.load(), net::ErrDeadlineExceeded);
}

// A Write whose write deadline has passed fails at once, having written
// nothing (prepareWrite checks the write side only: fd_poll_runtime.go's
// prepareWrite, netpoll.go's netpollcheckerr with 'w'); a read deadline that
// has passed does not fail a Write.
TEST(Net, AWriteAfterItsWriteDeadlineFailsAtOnceAndAReadDeadlineLeavesWritesAlone) {
  net::Result late{-2, -2}, unhurt{-2, -2};
  int arrived = -1;
  gotest::go([&] {
    Pair p;
    p.c->SetWriteDeadline(runtime::nanotime() - 1);
    late = p.c->Write("x", 1);
    char b[8];
    arrived = ::recv(p.s->pfd.Sysfd, b, sizeof b, MSG_DONTWAIT);  // nothing was sent
    p.c->SetWriteDeadline(0);
    p.c->SetReadDeadline(runtime::nanotime() - 1);
    unhurt = p.c->Write("y", 1);
  });
  EXPECT_EQ(late.err, net::ErrDeadlineExceeded);
  EXPECT_EQ(late.n, 0);
  EXPECT_EQ(arrived, -1) << "the expired Write sent a byte";
  EXPECT_EQ(unhurt.err, 0);
  EXPECT_EQ(unhurt.n, 1);
}

// A Write prepares only its own side: poll_runtime_pollReset(pd, 'w')
// resets wg, and a read readiness netpoll left in rg (pdReady, nobody
// parked) is still there for the next Read.
TEST(Net, AWriteLeavesAPendingReadReadinessAlone) {
  uintptr_t before = 0, after = 0;
  gotest::go(
      [&] {
        Pair p;
        ASSERT_EQ(::send(p.c->pfd.Sysfd, "x", 1, 0), 1);
        runtime::pollDesc* pd = p.s->pfd.pd.runtimeCtx;
        gotest::until([&] {
          runtime::gList woken = runtime::netpoll(0);  // nobody waits: it only marks rg
          EXPECT_TRUE(woken.empty());
          return pd->rg.load() == runtime::pdReady;
        });
        before = pd->rg.load();
        EXPECT_EQ(p.s->Write("y", 1).n, 1);
        after = pd->rg.load();
      },
      1);
  EXPECT_EQ(before, runtime::pdReady);
  EXPECT_EQ(after, runtime::pdReady) << "the Write reset the read side's readiness";
}

TEST(Net, CloseWakesAParkedReaderWithNetClosing) {
  std::atomic<int> got{0};
  gotest::go([&] {
    Pair p(false);
    sync_::WaitGroup wg;
    wg.Add(1);
    gotest::spawn([&] {
      char b;
      got = p.c->Read(&b, 1).err;
      wg.Done();
    });
    gotest::until([] { return gotest::parked_on_io() == 1; });
    p.c->Close();
    wg.Wait();
  });
  EXPECT_EQ(got.load(), net::ErrNetClosing);
}

// Two goroutines reading one silent connection: the first parks on the
// pollDesc, the second on the fdMutex's read semaphore.  Close wakes both,
// and both see "use of closed network connection".
TEST(Net, TwoReadersOfOneConnBothGetNetClosingOnClose) {
  std::atomic<int> errs[2] = {{0}, {0}};
  std::atomic<int> io{-1}, sema{-1};
  gotest::go([&] {
    Pair p(false);
    sync_::WaitGroup wg;
    wg.Add(2);
    for (int i = 0; i < 2; i++)
      gotest::spawn([&, i] {
        char b;
        errs[i] = p.c->Read(&b, 1).err;
        wg.Done();
      });
    gotest::until([] {
      return gotest::parked(waitReason::IOWait) == 1 && gotest::parked(waitReason::Semacquire) == 1;
    });
    io = gotest::parked(waitReason::IOWait);
    sema = gotest::parked(waitReason::Semacquire);
    p.c->Close();
    wg.Wait();
  });
  EXPECT_EQ(io.load(), 1) << "one reader waits for data";
  EXPECT_EQ(sema.load(), 1) << "the other waits for the read lock";
  EXPECT_EQ(errs[0].load(), net::ErrNetClosing);
  EXPECT_EQ(errs[1].load(), net::ErrNetClosing);
}

// The same for Accept, a read on a listener.
TEST(Net, TwoAcceptersOfOneListenerBothGetNetClosingOnClose) {
  std::atomic<int> errs[2] = {{0}, {0}};
  gotest::go([&] {
    net::netFD* ln;
    ASSERT_EQ(net::Listen(0, &ln), 0);
    sync_::WaitGroup wg;
    wg.Add(2);
    for (int i = 0; i < 2; i++)
      gotest::spawn([&, i] {
        net::netFD* c;
        errs[i] = net::Accept(ln, &c);
        wg.Done();
      });
    gotest::until(
        [] { return gotest::parked_on_io() + gotest::parked(waitReason::Semacquire) == 2; });
    ln->Close();
    wg.Wait();
    net::Free(ln);
  });
  EXPECT_EQ(errs[0].load(), net::ErrNetClosing);
  EXPECT_EQ(errs[1].load(), net::ErrNetClosing);
}

// Two readers, data arrives: the read lock passes from one to the other,
// each gets its byte.
TEST(Net, TwoReadersEachGetOneByteInTurn) {
  std::atomic<int> got{0};
  gotest::go([&] {
    Pair p;
    sync_::WaitGroup wg;
    wg.Add(2);
    for (int i = 0; i < 2; i++)
      gotest::spawn([&] {
        char b;
        if (p.c->Read(&b, 1).n == 1) got++;
        wg.Done();
      });
    gotest::until([] { return gotest::parked_on_io() == 1; });
    p.s->Write("a", 1);
    gotest::until(
        [] { return gotest::parked_on_io() == 1 && gotest::parked(waitReason::Semacquire) == 0; });
    p.s->Write("b", 1);
    wg.Wait();
  });
  EXPECT_EQ(got.load(), 2);
}

// After Close, every operation finds the FD closed (not freed).
TEST(Net, EveryOperationAfterCloseGivesNetClosing) {
  int close2 = 0, read = 0, write = 0, deadline = 0, accept = 0;
  gotest::go([&] {
    Pair p;
    ASSERT_EQ(p.c->Close(), 0);
    close2 = p.c->Close();
    char b = 0;
    read = p.c->Read(&b, 1).err;
    write = p.c->Write(&b, 1).err;
    deadline = p.c->SetReadDeadline(runtime::nanotime() + 1000000);
    ASSERT_EQ(p.ln->Close(), 0);
    net::netFD* x;
    accept = net::Accept(p.ln, &x);
  });
  EXPECT_EQ(close2, net::ErrNetClosing);
  EXPECT_EQ(read, net::ErrNetClosing);
  EXPECT_EQ(write, net::ErrNetClosing);
  EXPECT_EQ(deadline, net::ErrNetClosing);
  EXPECT_EQ(accept, net::ErrNetClosing);
}

// Close racing Read is how a Go program cancels a read.  Whatever the
// interleaving (the reader not started yet, parked, or in between), the
// read ends with ErrNetClosing, the descriptor is closed exactly once, and
// Close returns only once it has been (the last operation out closes it).
TEST(Net, CloseRacingReadsAndDeadlinesClosesTheDescriptorExactlyOnce) {
  static std::atomic<int> closes{0};
  closes = 0;
  auto saved = poll::CloseFunc;
  poll::CloseFunc = [](int fd) {
    closes++;
    return ::close(fd) < 0 ? -errno : 0;
  };
  constexpr int kRounds = 200;
  std::atomic<int> bad{0}, returned_open{0};
  gotest::go(
      [&] {
        net::netFD* ln;
        ASSERT_EQ(net::Listen(0, &ln), 0);
        for (int r = 0; r < kRounds; r++) {
          net::netFD* c;
          ASSERT_EQ(net::Dial(net::Port(ln), &c), 0);
          sync_::WaitGroup wg;
          wg.Add(3);
          gotest::spawn([&] {
            char b;
            if (c->Read(&b, 1).err != net::ErrNetClosing) bad++;
            wg.Done();
          });
          gotest::spawn([&] {
            for (int i = 0; i < 20; i++) {
              int err = c->SetReadDeadline(runtime::nanotime() + 1000000000);
              if (err != 0 && err != net::ErrNetClosing) bad++;
            }
            wg.Done();
          });
          gotest::spawn([&] {
            if (r % 2) runtime::Gosched();
            if (c->Close() != 0) bad++;
            if (c->pfd.Sysfd != -1) returned_open++;  // destroy has not run
            wg.Done();
          });
          wg.Wait();
          net::Free(c);
        }
        ln->Close();
        net::Free(ln);
      },
      2);
  poll::CloseFunc = saved;
  EXPECT_EQ(bad.load(), 0) << "an operation saw something other than ErrNetClosing";
  EXPECT_EQ(returned_open.load(), 0) << "Close returned before the descriptor was closed";
  // Each connection's descriptor and the listener's; the accepted halves
  // were never accepted.
  EXPECT_EQ(closes.load(), kRounds + 1) << "each descriptor closed exactly once";
}

// And the failed Read gives n = 0 with its error, as Go's FD.Read sets n
// (internal/poll/fd_unix.go:165), never the system call's -1.
TEST(Net, PeerResetWakesTheReaderWithECONNRESETAndNoBytes) {
  std::atomic<int> got{0}, n{-2};
  gotest::go([&] {
    Pair p;
    sync_::WaitGroup wg;
    wg.Add(1);
    gotest::spawn([&] {
      char b;
      auto r = p.s->Read(&b, 1);
      got = r.err;
      n = r.n;
      wg.Done();
    });
    gotest::until([] { return gotest::parked_on_io() == 1; });
    linger lg{1, 0};  // close with linger 0: the kernel sends RST
    ::setsockopt(p.c->pfd.Sysfd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    p.c->Close();
    wg.Wait();
  });
  EXPECT_EQ(got.load(), -ECONNRESET);
  EXPECT_EQ(n.load(), 0);
}

TEST(Net, PeerCloseGivesEndOfFile) {
  int got = 0;
  gotest::go([&] {
    Pair p;
    p.c->Close();
    char b;
    got = p.s->Read(&b, 1).err;
  });
  EXPECT_EQ(got, net::EOF_);
}

TEST(Net, DialToAClosedPortFailsWithECONNREFUSED) {
  int err = 0;
  gotest::go([&] {
    net::netFD* ln;
    ASSERT_EQ(net::Listen(0, &ln), 0);
    int port = net::Port(ln);
    ln->Close();  // nobody listens there now
    net::Free(ln);
    net::netFD* c;
    err = net::Dial(port, &c);
  });
  EXPECT_EQ(err, -ECONNREFUSED);
}

// A deadline so far ahead that now + it overflows: Go wraps and then takes
// the largest deadline there is (netpoll.go:336-340); in C++ the addition
// must not overflow at all (UndefinedBehaviorSanitizer checks).
TEST(Net, FarFutureDeadlineIsNoTimeout) {
  int err = -1;
  int64_t rd = 0;
  gotest::go([&] {
    Pair p;
    runtime::poll_runtime_pollSetDeadline(p.c->pfd.pd.runtimeCtx, INT64_MAX, 'r');
    rd = p.c->pfd.pd.runtimeCtx->rd;
    p.c->SetReadDeadline(INT64_MAX);
    gotest::spawn([&] { p.s->Write("x", 1); });
    char b;
    err = p.c->Read(&b, 1).err;
  });
  EXPECT_EQ(rd, INT64_MAX);
  EXPECT_EQ(err, 0) << "the data came; no timeout";
}

TEST(Net, FullDescriptorTableGivesEMFILEFromAcceptAndDial) {
  // In a child process (gtest re-runs this binary for it), so the lowered
  // limit and the run stay there.
  auto child = [] {
    int accept_err = 0, dial_err = 0;
    gotest::go(
        [&] {
          net::netFD *ln, *c;
          if (net::Listen(0, &ln) != 0 || net::Dial(net::Port(ln), &c) != 0) _exit(10);
          // Every slot up to the highest open descriptor is now the limit.
          int highest = testutil::open_null();
          ::close(highest);
          rlimit rl{};
          getrlimit(RLIMIT_NOFILE, &rl);
          rl.rlim_cur = static_cast<rlim_t>(highest);
          setrlimit(RLIMIT_NOFILE, &rl);
          net::netFD* s;
          accept_err = net::Accept(ln, &s);  // the connection is queued: accept4 runs
          net::netFD* d;
          dial_err = net::Dial(net::Port(ln), &d);
        },
        1);
    if (accept_err != -EMFILE || dial_err != -EMFILE)
      std::fprintf(stderr, "Accept gave %d, Dial gave %d; expected -EMFILE from both\n", accept_err,
                   dial_err);
    _exit(accept_err == -EMFILE && dial_err == -EMFILE ? 0 : 1);
  };
  EXPECT_EXIT(child(), testing::ExitedWithCode(0), "");
}

// At the descriptor limit, Serve must pause (net/http's back-off), not
// retry at once: on one M a retry loop would never let the goroutine run
// that frees a descriptor.  Here accept4 fails with EMFILE until that
// goroutine has run; with the back-off it runs during the first pause.
TEST(Net, ServeBacksOffOnEMFILESoOtherGoroutinesRunOnOneM) {
  static std::atomic<bool> full{true};
  static std::atomic<int> attempts{0};
  auto child = [] {
    alarm(20);  // a retry loop on one M never ends: fail, do not hang
    poll::Accept4Func = [](int s, int flags) {
      attempts++;
      if (full) return -EMFILE;
      int ns = ::accept4(s, nullptr, nullptr, flags);
      return ns < 0 ? -errno : ns;
    };
    bool served = false;
    gotest::go(
        [&] {
          net::netFD *ln, *c;
          if (net::Listen(0, &ln) != 0 || net::Dial(net::Port(ln), &c) != 0) _exit(10);
          sync_::WaitGroup conns;
          g_handlers = &conns;
          gotest::spawn([&] { net::Serve(ln, echo, &conns); });
          // Runs only if Serve lets go of the M.
          gotest::spawn([&] { full = false; });
          c->Write("ping", 4);
          char got[4];
          served = c->Read(got, 4).n == 4;
          c->Close();
          ln->Close();
          conns.Wait();
        },
        1);
    // One failed attempt, the pause, then the accept that works.
    std::fprintf(stderr, "served=%d after %d accept attempts\n", served, attempts.load());
    _exit(served && attempts.load() <= 3 ? 0 : 1);
  };
  // Killed by the alarm means Serve kept the only M.
  EXPECT_EXIT(child(), testing::ExitedWithCode(0), "");
}

// internal/poll/sock_cloexec.go:22-49: where accept4 is missing (ENOSYS) or
// refused the way some kernels and sandboxes refuse a call they do not
// know (EINVAL, EACCES, EFAULT), Accept falls back to accept and makes the
// new descriptor close-on-exec and non-blocking itself; another error is
// accept4's, returned.
class Accept4Refused : public testing::TestWithParam<int> {};

TEST_P(Accept4Refused, AcceptFallsBackToAcceptAndSetsTheFlagsItself) {
  static int refusal;
  refusal = GetParam();
  auto saved = poll::Accept4Func;
  poll::Accept4Func = [](int, int) { return -refusal; };
  int flags = -1, fdflags = -1, err = -1;
  gotest::go(
      [&] {
        net::netFD *ln, *c, *s;
        ASSERT_EQ(net::Listen(0, &ln), 0);
        ASSERT_EQ(net::Dial(net::Port(ln), &c), 0);
        err = net::Accept(ln, &s);
        if (err == 0) {
          flags = ::fcntl(s->pfd.Sysfd, F_GETFL);
          fdflags = ::fcntl(s->pfd.Sysfd, F_GETFD);
          s->Close();
          net::Free(s);
        }
        c->Close();
        net::Free(c);
        ln->Close();
        net::Free(ln);
      },
      1);
  poll::Accept4Func = saved;
  ASSERT_EQ(err, 0) << "accept4 refused with " << testutil::errname(GetParam());
  EXPECT_NE(flags & O_NONBLOCK, 0);
  EXPECT_NE(fdflags & FD_CLOEXEC, 0);
}
INSTANTIATE_TEST_SUITE_P(Net, Accept4Refused, testing::Values(ENOSYS, EINVAL, EACCES, EFAULT),
                         [](const auto& info) { return testutil::errname(info.param); });

TEST(Net, AnyOtherAccept4ErrorIsReturned) {
  auto saved = poll::Accept4Func;
  poll::Accept4Func = [](int, int) { return -EPERM; };  // (ECONNABORTED would be retried)
  int err = 0;
  gotest::go(
      [&] {
        net::netFD *ln, *c, *s;
        ASSERT_EQ(net::Listen(0, &ln), 0);
        ASSERT_EQ(net::Dial(net::Port(ln), &c), 0);
        err = net::Accept(ln, &s);
        c->Close();
        net::Free(c);
        ln->Close();
        net::Free(ln);
      },
      1);
  poll::Accept4Func = saved;
  EXPECT_EQ(err, -EPERM);
}

// Closing a descriptor with a read deadline pending takes its timer away
// (poll_runtime_pollUnblock's deltimer, netpoll.go:419-422): the P's
// live timers, those in its heap less those marked deleted, go back to
// what they were.
TEST(Net, CloseRemovesAPendingReadDeadlinesTimer) {
  uint32_t before = 0, armed = 0, closed = 0;
  auto live = [] {
    runtime::p* pp = runtime::allp[0];
    return pp->numTimers.load() - pp->deletedTimers.load();
  };
  gotest::go(
      [&] {
        Pair p;
        before = live();
        p.s->SetReadDeadline(runtime::nanotime() + int64_t{3600} * 1000000000);
        armed = live();
        p.s->Close();
        closed = live();
      },
      1);
  EXPECT_EQ(armed, before + 1);
  EXPECT_EQ(closed, before);
}

// SetDeadline(t) when the read deadline is already t: only the combination
// changes (netpoll.go:349, combo != combo0 at :364), and the one timer must
// then serve the write side too.  Go's deadlines are durations from now,
// so the same t gives the same rd only where it saturates, at the far
// future (INT64_MAX): there the read timer becomes netpollDeadline, for
// both sides, and no write timer is armed beside it.
TEST(Net, SetDeadlineToTheReadDeadlineStillArmsTheWriteSide) {
  void (*rtf)(void*, uintptr_t) = nullptr, (*wtf)(void*, uintptr_t) = nullptr;
  int64_t rd = 0, wd = 0;
  gotest::go([&] {
    Pair p;
    p.c->SetReadDeadline(INT64_MAX);
    p.c->SetDeadline(INT64_MAX);
    runtime::pollDesc* pd = p.c->pfd.pd.runtimeCtx;
    lock(&pd->lock);
    rtf = pd->rt.f, wtf = pd->wt.f, rd = pd->rd, wd = pd->wd;
    unlock(&pd->lock);
  });
  EXPECT_EQ(rd, INT64_MAX);
  EXPECT_EQ(wd, INT64_MAX);
  EXPECT_EQ(rtf, &runtime::netpollDeadline) << "the read timer does not serve the write side";
  EXPECT_EQ(wtf, nullptr);
}
