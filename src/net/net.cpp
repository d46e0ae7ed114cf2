// net.cpp - see include/net/net.h.  Ours, not a twin: Go's net reaches the
// same few system calls through Listen's and Dial's resolver, context and
// address machinery; the lines that matter to the netpoller cite Go's.
#include "net/net.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>

#include "internal/poll/hook.h"
#include "os/file.h"
#include "runtime/runtime.h"

namespace net {

namespace {

sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// net/sock_cloexec.go:19  A socket that is non-blocking and close-on-exec
// from its first instant.
int sysSocket(int family, int sotype, int proto) {
  int s = ::socket(family, sotype | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);  // net/sock_cloexec.go:20
  return s < 0 ? -errno : s;  // net/sock_cloexec.go:22-24  Go's err, or s
}

// net/tcpsock_posix.go's newTCPConn sets TCP_NODELAY on every connection
// (tcpsockopt_posix.go's setNoDelay); so do we.
void setNoDelay(netFD* fd) {
  int one = 1;
  ::setsockopt(fd->pfd.Sysfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

}  // namespace

int Listen(int port, netFD** out) {
  int s = sysSocket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) return s;
  int one = 1;  // net/sockopt_linux.go's setDefaultListenerSockopts
  ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a = loopback(port);
  // Go's backlog is /proc/sys/net/core/somaxconn (sock_linux.go's
  // maxListenerBacklog); 4096 is its default.
  if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 || ::listen(s, 4096) < 0) {
    int e = -errno;
    internal::poll::CloseFunc(s);
    return e;
  }
  netFD* fd = newFD(s, AF_INET, SOCK_STREAM, "tcp");
  if (int err = fd->init()) {
    fd->Close();
    Free(fd);
    return err;
  }
  *out = fd;
  return 0;
}

int Dial(int port, netFD** out) {
  int s = sysSocket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) return s;
  netFD* fd = newFD(s, AF_INET, SOCK_STREAM, "tcp");
  sockaddr_in a = loopback(port);
  if (int err = fd->connect(&a, sizeof a)) {
    // Registered with the poller or not, Close closes it: an FD that was
    // never Init'ed has no pollDesc, and is blocking, so Close does not wait.
    if (!fd->pfd.pd.pollable()) fd->pfd.isBlocking = 1;
    fd->Close();
    Free(fd);
    return err;
  }
  fd->isConnected = true;
  setNoDelay(fd);
  *out = fd;
  return 0;
}

int Port(netFD* fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ::getsockname(fd->pfd.Sysfd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

int Accept(netFD* ln, netFD** out) {
  int err = ln->accept(out);
  if (err == 0) setNoDelay(*out);
  return err;
}

// net/http/server.go:3071-3088  The back-off of Go's HTTP server's accept
// loop: on a temporary error (syscall.Errno.Temporary: EINTR, EMFILE,
// ENFILE, or a timeout) it sleeps 5 ms, then twice as long each time in a
// row, up to 1 s, and tries again.  Retrying at once would spin, and with
// one M would starve the very goroutines whose Close frees a descriptor.
bool ServeBackoff(int err, int64_t* tempDelay) {
  bool temporary = err == -EINTR || err == -EMFILE || err == -ENFILE || err == -EAGAIN ||
                   err == -ETIMEDOUT;  // net/http/server.go:3077  ne.Temporary()
  if (!temporary) return false;
  if (*tempDelay == 0)             // net/http/server.go:3078
    *tempDelay = 5 * 1000 * 1000;  // net/http/server.go:3079  5 * time.Millisecond
  else
    *tempDelay *= 2;  // net/http/server.go:3081
  if (int64_t max = 1000 * 1000 * 1000; *tempDelay > max)
    *tempDelay = max;  // net/http/server.go:3083-3085
  char msg[160];
  int n = std::snprintf(msg, sizeof msg, "http: Accept error: %s; retrying in %lldms\n",
                        ErrString(err), static_cast<long long>(*tempDelay / 1000000));
  os::Stderr->Write(msg, static_cast<size_t>(n));  // net/http/server.go:3086  srv.logf
  runtime::timeSleep(*tempDelay);                  // net/http/server.go:3087
  // net/http/server.go:3088  and the caller's loop goes round again
  return true;
}

// net/http/server.go:3040  The accept loop of Go's HTTP server, with its
// back-off (ServeBackoff).
int Serve(netFD* ln, void (*handle)(netFD* c), sync_::WaitGroup* conns) {
  int64_t tempDelay = 0;  // net/http/server.go:3066  ns to sleep on accept failure
  for (;;) {              // net/http/server.go:3069
    netFD* rw;
    int err = Accept(ln, &rw);  // net/http/server.go:3070
    if (err != 0) {             // net/http/server.go:3071
      if (ServeBackoff(err, &tempDelay)) continue;  // net/http/server.go:3077-3088
      return err;                                   // net/http/server.go:3090
    }
    tempDelay = 0;  // net/http/server.go:3099
    if (conns) conns->Add(1);
    // net/http/server.go:3102  go c.serve(connCtx): a goroutine runs a C
    // function of one argument, so the handler and the connection travel
    // together.
    struct Call {
      void (*handle)(netFD*);
      netFD* c;
    };
    runtime::newproc(
        [](void* p) {
          Call call = *static_cast<Call*>(p);
          delete static_cast<Call*>(p);
          call.handle(call.c);
        },
        new Call{handle, rw});
  }
}

void Free(netFD* fd) { delete fd; }

void Free(TCPConn* c) {
  delete c->fd;
  delete c;
}

const char* ErrString(int err) { return internal::poll::ErrorString(err); }

}  // namespace net
