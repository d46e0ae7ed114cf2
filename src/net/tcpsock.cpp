// tcpsock.cpp - twin of the parts of Go 1.19.8's net/net.go, net/tcpsock.go
// and net/tcpsock_posix.go that a TCP server's accept loop and its
// connections run through: conn's Read, Write and Close, TCPConn, and
// TCPListener's Accept.  So a stack in one of them names the frames a Go
// server's does (net.(*conn).Read, net.(*TCPListener).Accept).  Go's
// OpError wrapping, addresses and keep-alive are left out.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

#include "net/net.h"

namespace net {

// net/net.go:174  (Go's also takes a nil *conn, on which C++ cannot call
// a method at all.)
bool conn::ok() const { return fd != nullptr; }

// net/net.go:179
Result conn::Read(void* b, size_t n) {
  if (!ok()) {          // net/net.go:180
    return {0, -EINVAL};  // net/net.go:181
  }
  return fd->Read(b, n);  // net/net.go:183  (Go wraps err in an OpError, net/net.go:184-186)
}

// net/net.go:191
Result conn::Write(const void* b, size_t n) {
  if (!ok()) {          // net/net.go:192
    return {0, -EINVAL};  // net/net.go:193
  }
  return fd->Write(b, n);  // net/net.go:195
}

// net/net.go:203
int conn::Close() {
  if (!ok()) {       // net/net.go:204
    return -EINVAL;  // net/net.go:205
  }
  return fd->Close();  // net/net.go:207
}

// net/tcpsock.go:220  A TCPConn on fd, with Nagle's algorithm off.
TCPConn* newTCPConn(netFD* fd) {
  auto* c = new TCPConn;  // net/tcpsock.go:221
  c->fd = fd;
  int one = 1;
  ::setsockopt(fd->pfd.Sysfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // net/tcpsock.go:222  setNoDelay
  return c;                                                                  // net/tcpsock.go:223
}

// net/tcpsock.go:284  The next connection.
int TCPListener::Accept(TCPConn** c) {
  if (!ok()) {       // net/tcpsock.go:285
    return -EINVAL;  // net/tcpsock.go:286
  }
  int err = accept(c);  // net/tcpsock.go:288
  if (err != 0) {       // net/tcpsock.go:289
    return err;         // net/tcpsock.go:290  (in an OpError)
  }
  return 0;  // net/tcpsock.go:292
}

// net/tcpsock_posix.go:139
bool TCPListener::ok() const { return fd != nullptr; }

// net/tcpsock_posix.go:141
int TCPListener::accept(TCPConn** c) {
  netFD* nfd;
  int err = fd->accept(&nfd);  // net/tcpsock_posix.go:142
  if (err != 0) {              // net/tcpsock_posix.go:143
    return err;                // net/tcpsock_posix.go:144
  }
  *c = newTCPConn(nfd);  // net/tcpsock_posix.go:146
  // net/tcpsock_posix.go:147-155 left out: TCP keep-alive.
  return 0;  // net/tcpsock_posix.go:155
}

}  // namespace net
