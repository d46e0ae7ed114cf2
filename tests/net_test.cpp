// The net layer on the runtime, end to end: goroutines that read an empty
// socket park on its pollDesc and are woken by netpoll; deadlines, closes,
// resets and a full descriptor table come back as errors, not crashes.
#include "net/net.h"

#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <atomic>
#include <cstring>
#include <string>
#include <vector>

#include "gotest.h"
#include "net/waitgroup.h"
#include "runtime/netpoll.h"
#include "testutil.h"

namespace {

// Raise the soft descriptor limit to the hard one for tests with many
// connections (CI may start us at 1024).
void raise_nofile(rlim_t want) {
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur < want) {
    rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

void echo(net::FD* c, net::WaitGroup* wg) {
  char buf[512];
  ssize_t n;
  while ((n = net::Read(c, buf, sizeof buf)) > 0) net::Write(c, buf, static_cast<size_t>(n));
  net::Close(c);
  wg->Done();
}

}  // namespace

TEST(Net, ThousandGoroutinesEchoAndNoneIsLeftParked) {
  constexpr int kConns = 1000;
  raise_nofile(4 * kConns + 64);
  std::atomic<int> ok{0};
  int32_t left = gotest::go([&] {
    net::FD* ln;
    ASSERT_EQ(net::Listen(0, &ln), 0);
    int port = net::Port(ln);
    net::WaitGroup handlers, clients;
    handlers.Add(1);
    gotest::spawn([&] {
      net::FD* c;
      while (net::Accept(ln, &c) == 0) {
        handlers.Add(1);
        gotest::spawn([c, &handlers] { echo(c, &handlers); });
      }
      handlers.Done();
    });
    clients.Add(kConns);
    for (int i = 0; i < kConns; i++) {
      gotest::spawn([&, i] {
        net::FD* c;
        if (net::Dial(port, &c) == 0) {
          std::string msg = "message " + std::to_string(i);
          char got[64] = {};
          net::Write(c, msg.data(), msg.size());
          size_t n = 0;
          while (n < msg.size()) {
            ssize_t r = net::Read(c, got + n, msg.size() - n);
            if (r <= 0) break;
            n += static_cast<size_t>(r);
          }
          if (msg == std::string(got, n)) ok++;
          net::Close(c);
        }
        clients.Done();
      });
    }
    clients.Wait();
    net::Close(ln);
    handlers.Wait();
  });
  EXPECT_EQ(ok.load(), kConns) << "every echo came back whole";
  EXPECT_EQ(left, 0) << "goroutines still alive after main returned";
  EXPECT_EQ(gotest::parked_on_io(), 0) << "goroutines still parked in netpollblock";
}

TEST(Net, ReadDeadlineWakesTheReaderWithTimeout) {
  ssize_t got = 0;
  gotest::go([&] {
    net::FD *ln, *c;
    ASSERT_EQ(net::Listen(0, &ln), 0);
    ASSERT_EQ(net::Dial(net::Port(ln), &c), 0);
    net::SetReadDeadline(c, 30 * 1000 * 1000);
    char b;
    got = net::Read(c, &b, 1);  // nobody writes
    net::Close(c);
    net::Close(ln);
  });
  EXPECT_EQ(got, net::ErrDeadlineExceeded);
}

TEST(Net, CloseWakesAParkedReaderWithNetClosing) {
  std::atomic<ssize_t> got{0};
  gotest::go([&] {
    net::FD *ln, *c;
    ASSERT_EQ(net::Listen(0, &ln), 0);
    ASSERT_EQ(net::Dial(net::Port(ln), &c), 0);
    net::WaitGroup wg;
    wg.Add(1);
    gotest::spawn([&] {
      char b;
      got = net::Read(c, &b, 1);
      wg.Done();
    });
    while (gotest::parked_on_io() == 0) runtime::Gosched();
    net::Close(c);
    wg.Wait();
    net::Close(ln);
  });
  EXPECT_EQ(got.load(), net::ErrNetClosing);
}

TEST(Net, PeerResetWakesTheReaderWithECONNRESET) {
  std::atomic<ssize_t> got{0};
  gotest::go([&] {
    net::FD *ln, *c, *s;
    ASSERT_EQ(net::Listen(0, &ln), 0);
    ASSERT_EQ(net::Dial(net::Port(ln), &c), 0);
    ASSERT_EQ(net::Accept(ln, &s), 0);
    net::WaitGroup wg;
    wg.Add(1);
    gotest::spawn([&] {
      char b;
      got = net::Read(s, &b, 1);
      wg.Done();
    });
    while (gotest::parked_on_io() == 0) runtime::Gosched();
    linger lg{1, 0};  // close with linger 0: the kernel sends RST
    ::setsockopt(c->sysfd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    net::Close(c);
    wg.Wait();
    net::Close(s);
    net::Close(ln);
  });
  EXPECT_EQ(got.load(), -ECONNRESET);
}

TEST(Net, PeerCloseGivesEndOfFile) {
  ssize_t got = -1;
  gotest::go([&] {
    net::FD *ln, *c, *s;
    ASSERT_EQ(net::Listen(0, &ln), 0);
    ASSERT_EQ(net::Dial(net::Port(ln), &c), 0);
    ASSERT_EQ(net::Accept(ln, &s), 0);
    net::Close(c);
    char b;
    got = net::Read(s, &b, 1);
    net::Close(s);
    net::Close(ln);
  });
  EXPECT_EQ(got, 0);
}

TEST(Net, DialToAClosedPortFailsWithECONNREFUSED) {
  int err = 0;
  gotest::go([&] {
    net::FD* ln;
    ASSERT_EQ(net::Listen(0, &ln), 0);
    int port = net::Port(ln);
    net::Close(ln);  // nobody listens there now
    net::FD* c;
    err = net::Dial(port, &c);
  });
  EXPECT_EQ(err, -ECONNREFUSED);
}

TEST(Net, FullDescriptorTableGivesEMFILEFromAcceptAndDial) {
  // In a child, so the lowered limit and the run stay there.
  pid_t pid = fork();
  if (pid == 0) {
    int accept_err = 0, dial_err = 0;
    gotest::go(
        [&] {
          net::FD *ln, *c;
          if (net::Listen(0, &ln) != 0 || net::Dial(net::Port(ln), &c) != 0) _exit(10);
          // Every slot up to the highest open descriptor is now the limit.
          int highest = testutil::open_null();
          ::close(highest);
          rlimit rl{static_cast<rlim_t>(highest), static_cast<rlim_t>(highest)};
          getrlimit(RLIMIT_NOFILE, &rl);
          rl.rlim_cur = static_cast<rlim_t>(highest);
          setrlimit(RLIMIT_NOFILE, &rl);
          net::FD* s;
          accept_err = net::Accept(ln, &s);  // the connection is queued: accept4 runs
          net::FD* d;
          dial_err = net::Dial(net::Port(ln), &d);
        },
        1);
    _exit(accept_err == -EMFILE && dial_err == -EMFILE ? 0 : 1);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  ASSERT_TRUE(WIFEXITED(st)) << "the child crashed (signal " << WTERMSIG(st) << ")";
  EXPECT_EQ(WEXITSTATUS(st), 0) << "expected -EMFILE from both Accept and Dial";
}
