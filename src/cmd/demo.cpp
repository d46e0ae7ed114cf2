// demo.cpp - `make run`: goroutines on the rebuilt netpoller; the twin of
// tests/go/echo.go, which does the same on Go 1.19's own runtime.
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
//   NETPOLLTRACE=1 build/demo     narrates every step in Go's names
//   NETPOLL_PROCS=1 build/demo    one M: the easiest to step in gdb
//   build/demo -serve ADDR        only an echo server on ADDR (127.0.0.1:0
//                                 picks a port), printed first, as
//                                 echo.go -serve does; kill -QUIT prints
//                                 every goroutine, as Go's does
#include <dirent.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "net/net.h"
#include "os/file.h"
#include "runtime/netpoll.h"
#include "sync/waitgroup.h"

namespace {

constexpr int kClients = 4;
constexpr int kMessages = 3;

sync_::WaitGroup servers;  // the listener and its echo goroutines

// As fmt.Printf to os.Stdout: formatted here, written by os.File.Write,
// which ends the process by SIGPIPE if standard output's reader is gone.
void say(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void say(const char* fmt, ...) {
  char buf[256];
  runtime::g* gp = runtime::getg();
  int n = std::snprintf(buf, sizeof buf, "[G%lld] ", gp ? static_cast<long long>(gp->goid) : 0LL);
  va_list ap;
  va_start(ap, fmt);
  n += std::vsnprintf(buf + n, sizeof buf - static_cast<size_t>(n) - 1, fmt, ap);
  va_end(ap);
  if (n > static_cast<int>(sizeof buf) - 2) n = sizeof buf - 2;
  buf[n++] = '\n';
  os::Stdout->Write(buf, static_cast<size_t>(n));
}

// One connection: read what comes, write it back, until the client closes.
void echo(net::TCPConn* c) {
  char buf[512];
  for (;;) {
    auto [n, err] = c->Read(buf, sizeof buf);
    if (err != 0) break;  // EOF_ when the client closes
    if (c->Write(buf, static_cast<size_t>(n)).err != 0) break;
  }
  c->Close();
  net::Free(c);
  servers.Done();
}

// The accept loop, a goroutine per connection, backing off on a temporary
// error (a full descriptor table) as net/http's server does; returns the
// error that ended it (the listener closed).
int serve(net::TCPListener* ln) {
  int64_t tempDelay = 0;
  for (;;) {
    net::TCPConn* c;
    int err = ln->Accept(&c);
    if (err != 0) {
      if (net::ServeBackoff(err, &tempDelay)) continue;
      return err;
    }
    tempDelay = 0;
    servers.Add(1);
    runtime::newproc([](void* c) { echo(static_cast<net::TCPConn*>(c)); }, c);  // go echo(c)
  }
}

void listener(void* arg) {
  auto* ln = static_cast<net::TCPListener*>(arg);
  int err = serve(ln);
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

// Is some other thread of ours asleep inside epoll_wait (epoll_pwait, with
// NETPOLL_EPOLL=pwait) right now?  The
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
    long wait = runtime::netpollPwait ? SYS_epoll_pwait : SYS_epoll_wait;  // NETPOLL_EPOLL
    if (nr == wait && rp && rp[1] == ' ' && rp[2] == 'S') found = true;
  }
  closedir(d);
  return found && runtime::sched.lastpoll.load() == 0;
}

void deadline_read(int port, int nprocs) {
  net::netFD* c;
  if (net::Dial(port, &c) != 0) return;
  // Let the other M become the poller, blocked in netpoll with no timer:
  // then our deadline is earlier than its sleep, and it must be broken out.
  // We wait on a WaitGroup, and a goroutine watches, without parking, so
  // that its M stays busy while the other, with nothing to do, polls; once
  // it sees that M asleep in epoll_wait it lets us go, and we run on an M
  // that is not the poller.  (Spinning in Gosched ourselves would give our
  // goroutine to the other M in turn, and it would never poll.)
  if (nprocs > 1) {
    static sync_::WaitGroup polling;
    polling.Add(1);
    runtime::newproc(
        [](void*) {
          while (!poller_asleep()) runtime::osyield();
          polling.Done();
        },
        nullptr);
    polling.Wait();
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
  const char* serve;  // -serve ADDR: only the server
};

// The port of "127.0.0.1:8080", ":8080" or "8080"; -1 if there is none.
int portOf(const char* addr) {
  const char* colon = std::strrchr(addr, ':');
  const char* digits = colon != nullptr ? colon + 1 : addr;
  char* end;
  long port = std::strtol(digits, &end, 10);
  return *digits != 0 && *end == 0 && port >= 0 && port < 65536 ? static_cast<int>(port) : -1;
}

// main.main: the main goroutine (runtime.main calls it).
void main(void* arg) {
  auto* ma = static_cast<MainArgs*>(arg);
  net::netFD* fd;
  int port = ma->serve != nullptr ? portOf(ma->serve) : 0;
  if (port < 0) {
    say("-serve %s: not an address with a port", ma->serve);
    return;
  }
  if (int err = net::Listen(port, &fd)) {
    say("listen: %s", net::ErrString(err));
    return;
  }
  net::TCPListener ln{fd};
  port = net::Port(fd);
  if (ma->serve != nullptr) {  // as echo.go -serve: the address, then serve
    char addr[32];
    int n = std::snprintf(addr, sizeof addr, "127.0.0.1:%d\n", port);
    os::Stdout->Write(addr, static_cast<size_t>(n));
    serve(&ln);
    return;
  }
#if NETPOLL_GO >= 123
  say("main: listening on 127.0.0.1:%d (fd %d), epoll fd %d, eventfd %lu", port, fd->pfd.Sysfd,
      runtime::epfd, static_cast<unsigned long>(runtime::netpollEventFd));
#else
  say("main: listening on 127.0.0.1:%d (fd %d), epoll fd %d, break pipe %lu/%lu", port,
      fd->pfd.Sysfd, runtime::epfd, static_cast<unsigned long>(runtime::netpollBreakRd),
      static_cast<unsigned long>(runtime::netpollBreakWr));
#endif
  servers.Add(1);
  runtime::newproc(listener, &ln);

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

  fd->Close();  // wakes the listener's Accept with ErrNetClosing
  servers.Wait();
  net::Free(fd);
  ma->ok = ok && timeout_ok;
}

int32_t runmain(MainArgs* ma) { return runtime::run(main, ma, ma->nprocs); }

}  // namespace

// The release whose netpoller this build is (make NETPOLL_GO=...).
constexpr const char* kRelease = NETPOLL_GO == 119   ? "Go 1.19.8's"
                                 : NETPOLL_GO == 121 ? "Go 1.21's (on 1.19.8)"
                                 : NETPOLL_GO == 122 ? "Go 1.22's (on 1.19.8)"
                                                     : "Go 1.23's (on 1.19.8)";

int main(int argc, char** argv) {
  const char* env = std::getenv("NETPOLL_PROCS");
  MainArgs ma{env ? std::atoi(env) : 2, false, nullptr};
  if (ma.nprocs <= 0) ma.nprocs = 1;
  if (argc == 3 && std::strcmp(argv[1], "-serve") == 0) {
    ma.serve = argv[2];
    return runmain(&ma) == 0 ? 0 : 1;  // serves until killed
  }
  if (argc != 1) {
    std::fprintf(stderr, "usage: %s [-serve ADDR]\n", argv[0]);
    return 2;
  }
  std::printf("netpoll-asm demo: %d M%s, %s netpoller rebuilt%s\n", ma.nprocs,
              ma.nprocs == 1 ? "" : "s", kRelease,
              runtime::netpolltrace ? " (NETPOLLTRACE=1: narration on stderr)" : "");
  std::fflush(stdout);
  int32_t left = runmain(&ma);
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
