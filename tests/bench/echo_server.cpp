// echo_server - the benchmark's server on our runtime: a goroutine per
// connection, as Go's net/http or tests/go/echo.go -serve would have it.
// Prints its port, then serves until killed.
#include <sys/resource.h>

#include <cstdio>

#include "net/net.h"
#include "runtime/runtime.h"

namespace {

void echo(net::netFD* c) {
  char buf[512];
  for (;;) {
    auto [n, err] = c->Read(buf, sizeof buf);
    if (err != 0 || c->Write(buf, static_cast<size_t>(n)).err != 0) break;
  }
  c->Close();
  net::Free(c);
}

void serve(void*) {
  net::netFD* ln;
  if (net::Listen(0, &ln) != 0) return;
  std::printf("%d\n", net::Port(ln));
  std::fflush(stdout);
  net::Serve(ln, echo);  // backs off while the descriptor table is full
}

}  // namespace

int main() {
  rlimit rl;  // as many connections as the hard limit allows
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  return runtime::run(serve, nullptr) == 0 ? 0 : 1;
}
