// echo_server - the benchmark's server on our runtime: a goroutine per
// connection, as Go's net/http or tests/go/echo.go -serve would have it.
// Prints its port, then serves until killed.
#include <sys/resource.h>

#include <cstdio>

#include "net/net.h"
#include "runtime/runtime.h"

namespace {

void echo(void* arg) {
  auto* c = static_cast<net::FD*>(arg);
  char buf[512];
  ssize_t n;
  while ((n = net::Read(c, buf, sizeof buf)) > 0)
    if (net::Write(c, buf, static_cast<size_t>(n)) < 0) break;
  net::Close(c);
}

void serve(void*) {
  net::FD* ln;
  if (net::Listen(0, &ln) != 0) return;
  std::printf("%d\n", net::Port(ln));
  std::fflush(stdout);
  for (;;) {
    net::FD* c;
    int err = net::Accept(ln, &c);
    if (err == net::ErrNetClosing) return;
    if (err == 0) runtime::newproc(echo, c);  // other errors (EMFILE): try again
  }
}

}  // namespace

int main() {
  rlimit rl;  // as many connections as the hard limit allows
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  return runtime::run(serve, nullptr) == 0 ? 0 : 1;
}
