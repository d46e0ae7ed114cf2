// Differential: seeded random sequences of create/ctl/wait over sockets and
// pipes, run once through our stubs and once through glibc's wrappers
// (whose -1/errno is mapped to -errno), must give the same transcript.
//
//   NETPOLL_SEED=N    replay only seed N (a failure prints its seed)
//   NETPOLL_SEEDS=K   run seeds 1..K (default 300)
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <set>
#include <sstream>
#include <vector>

#include "gotest.h"
#include "testutil.h"

namespace rt = runtime;

namespace {

struct Api {
  const char* name;
  int32_t (*create)(int32_t);
  int32_t (*create1)(int32_t);
  int32_t (*ctl)(int32_t, int32_t, int32_t, rt::epollevent*);
  int32_t (*wait)(int32_t, rt::epollevent*, int32_t, int32_t);
  int32_t (*pwait)(int32_t, rt::epollevent*, int32_t, int32_t);
};

int32_t neg_errno(int r) { return r < 0 ? -errno : r; }
epoll_event* cast(rt::epollevent* e) { return reinterpret_cast<epoll_event*>(e); }

const Api kOurs{"stubs",      rt::epollcreate, rt::epollcreate1,
                rt::epollctl, rt::epollwait,   rt::epollpwait};
const Api kLibc{
    "glibc",
    [](int32_t s) { return neg_errno(::epoll_create(s)); },
    [](int32_t f) { return neg_errno(::epoll_create1(f)); },
    [](int32_t ep, int32_t op, int32_t fd, rt::epollevent* e) {
      return neg_errno(::epoll_ctl(ep, op, fd, cast(e)));
    },
    [](int32_t ep, rt::epollevent* e, int32_t n, int32_t t) {
      return neg_errno(::epoll_wait(ep, cast(e), n, t));
    },
    [](int32_t ep, rt::epollevent* e, int32_t n, int32_t t) {
      return neg_errno(::epoll_pwait(ep, cast(e), n, t, nullptr));
    },
};

// Runs one seeded sequence through api and returns its transcript.  The
// world (4 socket pairs, 3 pipes) is made with libc, identically each time;
// only the epoll calls differ between the two runs.
std::vector<std::string> run(const Api& api, uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
  std::vector<int> fds;  // slots: the world's descriptors, then epoll sets
  std::set<int> mine;    // every descriptor this run opened and has not closed
  for (int i = 0; i < 4; i++) {
    int s[2];
    ::socketpair(AF_UNIX, (i % 2 ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK, 0, s);
    fds.insert(fds.end(), {s[0], s[1]});
  }
  for (int i = 0; i < 3; i++) {
    int p[2];
    ::pipe2(p, O_NONBLOCK);
    fds.insert(fds.end(), {p[0], p[1]});
  }
  mine.insert(fds.begin(), fds.end());
  const size_t world = fds.size();
  const int kNeverOpen = 100000;  // above any RLIMIT_NOFILE here: always EBADF

  // Mostly real descriptors, sometimes -1 or one never opened.
  auto any_fd = [&] {
    int r = pick(20);
    if (r == 0) return -1;
    if (r == 1) return kNeverOpen;
    return fds[pick(static_cast<int>(fds.size()))];
  };
  // Mostly an epoll set, when there is one.
  auto an_epfd = [&] {
    if (fds.size() > world && pick(8) != 0)
      return fds[world + pick(static_cast<int>(fds.size() - world))];
    return any_fd();
  };
  const uint32_t kBits[] = {EPOLLIN, EPOLLOUT,     EPOLLRDHUP, EPOLLPRI,
                            EPOLLET, EPOLLONESHOT, EPOLLERR,   EPOLLHUP};

  std::vector<std::string> log;
  std::ostringstream line;
  for (int step = 0; step < 60; step++) {
    line.str("");
    switch (pick(10)) {
      case 0: {  // create
        int32_t r;
        if (pick(2)) {
          int32_t size = std::vector<int32_t>{-1, 0, 1, 64}[pick(4)];
          r = api.create(size);
          line << "epollcreate(" << size << ")";
        } else {
          int32_t flags = std::vector<int32_t>{0, EPOLL_CLOEXEC, 1, O_NONBLOCK}[pick(4)];
          r = api.create1(flags);
          line << "epollcreate1(" << flags << ")";
        }
        line << " = " << (r >= 0 ? "fd" : testutil::errname(r));
        if (r >= 0) fds.push_back(r), mine.insert(r);
        break;
      }
      case 1:
      case 2:
      case 3: {  // ctl
        int32_t ep = an_epfd(), fd = any_fd();
        int32_t op = pick(10) == 0 ? std::vector<int32_t>{0, 4}[pick(2)] : 1 + pick(3);
        rt::epollevent ev{0, {}};
        for (uint32_t b : kBits)
          if (pick(3) == 0) ev.events |= b;
        uint64_t data = rng();
        std::memcpy(ev.data, &data, 8);
        int32_t r = api.ctl(ep, op, fd, &ev);
        line << "epollctl(ep, " << op << ", fd, events=" << std::hex << ev.events << std::dec
             << ") = " << (r == 0 ? "0" : testutil::errname(r));
        break;
      }
      case 4:
      case 5:
      case 6: {  // wait
        int32_t ep = an_epfd();
        int32_t nev = std::vector<int32_t>{-1, 0, 1, 2, 8, 64}[pick(6)];
        rt::epollevent evs[64]{};
        bool p = pick(2);
        int32_t r = (p ? api.pwait : api.wait)(ep, evs, nev, 0);
        line << (p ? "epollpwait" : "epollwait") << "(ep, " << nev << ", 0) = ";
        if (r < 0) {
          line << testutil::errname(r);
        } else {
          std::vector<std::pair<uint64_t, uint32_t>> got;
          for (int i = 0; i < r; i++) {
            uint64_t d;
            std::memcpy(&d, evs[i].data, 8);
            got.emplace_back(d, evs[i].events);
          }
          std::sort(got.begin(), got.end());  // compare as sets
          line << r;
          for (auto [d, e] : got) line << " {" << std::hex << e << " " << d << std::dec << "}";
        }
        break;
      }
      case 7: {  // make something ready: write to a world descriptor
        int fd = fds[pick(static_cast<int>(world))];
        line << "write(fd) = " << (::write(fd, "ping", 1 + pick(4)) >= 0 ? "ok" : "err");
        break;
      }
      case 8: {  // consume something
        int fd = fds[pick(static_cast<int>(world))];
        char buf[8];
        line << "read(fd) = " << (::read(fd, buf, sizeof buf) >= 0 ? "ok" : "err");
        break;
      }
      case 9: {  // hang up or close
        int slot = pick(static_cast<int>(fds.size())), fd = fds[slot];
        if (slot < 8 && pick(2)) {  // slots 0-7 are the sockets
          line << "shutdown(fd) = " << ::shutdown(fd, SHUT_WR);
        } else if (mine.erase(fd)) {
          ::close(fd);
          line << "close(fd)";
        } else {
          line << "close(fd): already closed";
        }
        break;
      }
    }
    log.push_back(line.str());
  }
  for (int fd : mine) ::close(fd);
  return log;
}

std::vector<uint32_t> seeds() {
  if (const char* one = std::getenv("NETPOLL_SEED"))
    return {static_cast<uint32_t>(std::atoll(one))};
  const char* k = std::getenv("NETPOLL_SEEDS");
  std::vector<uint32_t> v(k ? std::atoi(k) : 300);
  for (size_t i = 0; i < v.size(); i++) v[i] = static_cast<uint32_t>(i + 1);
  return v;
}

}  // namespace

// The sequences run on a goroutine: a write to a peer that has closed
// raises SIGPIPE, which the runtime catches and ignores on an M (Go's
// sigtable), so the write fails with EPIPE.  On a thread with no M the
// signal would end the process, as it does a C program's, and as it does
// a Go program's non-Go thread.
TEST(Differential, RandomSequencesMatchGlibcWrappers) {
  gotest::go(
      [] {
        for (uint32_t seed : seeds()) {
          auto ours = run(kOurs, seed);
          auto libc = run(kLibc, seed);
          ASSERT_EQ(ours.size(), libc.size());
          for (size_t i = 0; i < ours.size(); i++)
            ASSERT_EQ(ours[i], libc[i]) << "seed " << seed << ", step " << i
                                        << " (replay: NETPOLL_SEED=" << seed << ")";
        }
      },
      1);
}

TEST(Differential, TranscriptsAreNotTrivial) {
  // A guard on the test itself: the sequences must reach successes, errors
  // and delivered events, or "equal" would prove little.
  std::string all;
  gotest::go(
      [&] {
        for (uint32_t seed = 1; seed <= 20; seed++)
          for (auto& l : run(kOurs, seed)) all += l + "\n";
      },
      1);
  for (const char* want : {"= fd", "= 0\n", "EEXIST", "ENOENT", "EBADF", "EINVAL", " {"})
    EXPECT_NE(all.find(want), std::string::npos) << "no transcript line contains " << want;
}
