// demo.cpp - `make run`: goroutines on the rebuilt netpoller.
//
// A listener goroutine accepts loopback connections and starts an echo
// goroutine for each; a handful of client goroutines each dial, send a few
// messages and read the echoes back.  Every Read and Accept that finds
// nothing parks its goroutine on the pollDesc (netpollblock) until netpoll
// reports the descriptor ready (netpollready -> netpollunblock).  Last, one
// read gets a deadline, armed while the other M is blocked in netpoll: the
// timer is earlier than that M's sleep, so it is woken through the break
// pipe (wakeNetPoller -> netpollBreak), and the read fails with a timeout.
//
//   NETPOLLTRACE=1 build/demo   narrates every step in Go's names
//   NETPOLL_PROCS=1 build/demo  one M: the easiest to step in gdb
#include <dirent.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "net/net.h"
#include "runtime/netpoll.h"
#include "sync/waitgroup.h"

namespace {

constexpr int kClients = 4;
constexpr int kMessages = 3;

sync_::WaitGroup servers;  // the listener and its echo goroutines

void say(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void say(const char* fmt, ...) {
  runtime::g* gp = runtime::getg();
  std::printf("[G%lld] ", gp ? static_cast<long long>(gp->goid) : 0LL);
  va_list ap;
  va_start(ap, fmt);
  std::vprintf(fmt, ap);
  va_end(ap);
  std::printf("\n");
  std::fflush(stdout);
}

// One connection: read what comes, write it back, until the client closes.
void echo(net::netFD* c) {
  say("echo: serving fd %d", c->pfd.Sysfd);
  char buf[256];
  for (;;) {
    auto [n, err] = c->Read(buf, sizeof buf);
    if (err != 0) break;  // EOF_ when the client closes
    if (c->Write(buf, static_cast<size_t>(n)).err != 0) break;
  }
  c->Close();
  net::Free(c);
  servers.Done();
}

void listener(void* arg) {
  auto* ln = static_cast<net::netFD*>(arg);
  int err = net::Serve(ln, echo, &servers);  // a goroutine per connection
  say("listener: accept: %s; stopping", net::ErrString(err));
  servers.Done();
}

struct Client {
  int id, port;
  sync_::WaitGroup* wg;
  bool ok;
};

void client(void* arg) {
  auto* cl = static_cast<Client*>(arg);
  net::netFD* c;
  if (int err = net::Dial(cl->port, &c)) {
    say("client %d: dial: %s", cl->id, net::ErrString(err));
    cl->wg->Done();
    return;
  }
  cl->ok = true;
  for (int i = 0; i < kMessages; i++) {
    char msg[64], got[64];
    int len = std::snprintf(msg, sizeof msg, "hello %d from client %d", i, cl->id);
    c->Write(msg, static_cast<size_t>(len));
    int n = 0;
    while (n < len) {
      auto [r, err] = c->Read(got + n, static_cast<size_t>(len - n));
      if (err != 0) break;
      n += r;
    }
    bool same = n == len && std::memcmp(msg, got, static_cast<size_t>(len)) == 0;
    cl->ok = cl->ok && same;
    say("client %d: sent \"%s\", echo %s", cl->id, msg, same ? "matches" : "DIFFERS");
  }
  c->Close();
  net::Free(c);
  cl->wg->Done();
}

bool timeout_ok = false;

// Is some other thread of ours asleep inside epoll_wait right now?  The
// kernel says, in /proc/self/task/TID/syscall (the number it is in) and
// .../stat (S: sleeping).  Only then is a deadline we set certain to be
// earlier than that M's sleep, so that it has to be broken out.
bool poller_asleep() {
  DIR* d = opendir("/proc/self/task");
  if (!d) return false;
  bool found = false;
  long self = syscall(SYS_gettid);
  while (dirent* e = readdir(d)) {
    long tid = std::atol(e->d_name);
    if (tid <= 0 || tid == self) continue;
    char path[64], stat[512] = {};
    std::snprintf(path, sizeof path, "/proc/self/task/%ld/syscall", tid);
    FILE* f = std::fopen(path, "r");
    long nr = -1;
    if (f) {
      if (std::fscanf(f, "%ld", &nr) != 1) nr = -1;
      std::fclose(f);
    }
    std::snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tid);
    if ((f = std::fopen(path, "r"))) {
      size_t n = std::fread(stat, 1, sizeof stat - 1, f);
      stat[n] = 0;
      std::fclose(f);
    }
    const char* rp = std::strrchr(stat, ')');
    if (nr == SYS_epoll_wait && rp && rp[1] == ' ' && rp[2] == 'S') found = true;
  }
  closedir(d);
  return found && runtime::sched.lastpoll.load() == 0;
}

void deadline_read(int port, int nprocs) {
  net::netFD* c;
  if (net::Dial(port, &c) != 0) return;
  // Let the other M become the poller, blocked in netpoll with no timer:
  // then our deadline is earlier than its sleep, and it must be broken out.
  // We park (so that this M, too, has nothing to do), and a plain thread,
  // outside the scheduler, readies us once it sees a poller asleep in
  // epoll_wait.  (Spinning in Gosched instead would keep our own M busy
  // and never let it poll.)
  if (nprocs > 1) {
    static std::atomic<runtime::g*> self{nullptr};
    self = nullptr;
    std::thread watcher([] {
      while (self.load() == nullptr || !poller_asleep()) sched_yield();
      runtime::goready(self.load());
    });
    runtime::gopark(
        [](runtime::g* gp, void*) {
          self.store(gp);
          return true;
        },
        nullptr, runtime::waitReason::zero);
    watcher.join();
  }
  say("deadline: setting a 50 ms read deadline on fd %d while %s", c->pfd.Sysfd,
      nprocs > 1 ? "another M is blocked in netpoll" : "no other M runs (NETPOLL_PROCS=1)");
  int64_t t0 = runtime::nanotime();
  c->SetReadDeadline(t0 + 50 * 1000 * 1000);
  char buf[16];
  auto [n, err] = c->Read(buf, sizeof buf);  // the server never writes: parks
  int64_t ms = (runtime::nanotime() - t0) / 1000000;
  timeout_ok = err == net::ErrDeadlineExceeded;
  say("deadline: read returned \"%s\" after %lld ms", err != 0 ? net::ErrString(err) : "data",
      static_cast<long long>(ms));
  (void)n;
  c->Close();
  net::Free(c);
}

struct MainArgs {
  int nprocs;
  bool ok;
};

void main_goroutine(void* arg) {
  auto* ma = static_cast<MainArgs*>(arg);
  net::netFD* ln;
  if (int err = net::Listen(0, &ln)) {
    say("listen: %s", net::ErrString(err));
    return;
  }
  int port = net::Port(ln);
#if NETPOLL_GO >= 123
  say("main: listening on 127.0.0.1:%d (fd %d), epoll fd %d, eventfd %lu", port, ln->pfd.Sysfd,
      runtime::epfd, static_cast<unsigned long>(runtime::netpollEventFd));
#else
  say("main: listening on 127.0.0.1:%d (fd %d), epoll fd %d, break pipe %lu/%lu", port,
      ln->pfd.Sysfd, runtime::epfd, static_cast<unsigned long>(runtime::netpollBreakRd),
      static_cast<unsigned long>(runtime::netpollBreakWr));
#endif
  servers.Add(1);
  runtime::newproc(listener, ln);

  sync_::WaitGroup clients;
  Client cl[kClients];
  clients.Add(kClients);
  for (int i = 0; i < kClients; i++) {
    cl[i] = Client{i, port, &clients, false};
    runtime::newproc(client, &cl[i]);
  }
  clients.Wait();
  bool ok = true;
  for (auto& c : cl) ok = ok && c.ok;
  say("main: %d clients done, every echo %s", kClients, ok ? "matched" : "did NOT match");

  deadline_read(port, ma->nprocs);

  ln->Close();  // wakes the listener's Accept with ErrNetClosing
  servers.Wait();
  net::Free(ln);
  ma->ok = ok && timeout_ok;
}

}  // namespace

// The release whose netpoller this build is (make NETPOLL_GO=...).
constexpr const char* kRelease = NETPOLL_GO == 119   ? "Go 1.19.8's"
                                 : NETPOLL_GO == 121 ? "Go 1.21's (on 1.19.8)"
                                 : NETPOLL_GO == 122 ? "Go 1.22's (on 1.19.8)"
                                                     : "Go 1.23's (on 1.19.8)";

int main() {
  const char* env = std::getenv("NETPOLL_PROCS");
  MainArgs ma{env ? std::atoi(env) : 2, false};
  if (ma.nprocs <= 0) ma.nprocs = 1;
  std::printf("netpoll-asm demo: %d M%s, %s netpoller rebuilt%s\n", ma.nprocs,
              ma.nprocs == 1 ? "" : "s", kRelease,
              runtime::netpolltrace ? " (NETPOLLTRACE=1: narration on stderr)" : "");
  int32_t left = runtime::run(main_goroutine, &ma, ma.nprocs);
#if NETPOLL_GO >= 122
  std::printf(
      "main returned; goroutines still alive: %d; netpollWaiters=%u (Go 1.22 "
      "subtracts every waiter it wakes, golang/go#61454)\n",
      left, runtime::netpollWaiters.load());
#else
  std::printf(
      "main returned; goroutines still alive: %d; netpollWaiters=%u (Go 1.19 never "
      "subtracts those woken by netpoll, golang/go#33624)\n",
      left, runtime::netpollWaiters.load());
#endif
  return ma.ok && left == 0 ? 0 : 1;
}
