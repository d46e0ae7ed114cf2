// net.h - a small net package for the demo and the tests: TCP on loopback,
// over internal/poll (include/internal/poll/fd.h).  netFD and its methods
// are twins of Go 1.19.8's net/fd_posix.go and net/fd_unix.go
// (src/net/fd_posix.cpp, src/net/fd_unix.cpp), conn of net/net.go's and
// TCPConn and TCPListener of net/tcpsock.go's and net/tcpsock_posix.go's
// (src/net/net.cpp, src/net/tcpsock.cpp); Listen, Dial, Serve and Free
// (src/net/net.cpp) are ours, the few lines a TCP client and server need
// where Go's net spreads the same over dozens of files.  Call these from
// goroutines only.
//
// Results and errors are internal/poll's: `auto [n, err] = c->Read(p, len)`,
// err 0 for nil, a negative errno, or one of poll's named errors; EOF_ at
// the end of a stream.  Deadlines are times on runtime::nanotime's clock,
// 0 for none.
//
// A netFD is Go's heap object; here its owner frees it with Free once it is
// closed and no goroutine uses it any more (Go's garbage collector does that
// for Go).  Close, Read, SetReadDeadline on a closed netFD are fine: they
// return ErrNetClosing.  Using it after Free is using freed memory.
#pragma once

#include "internal/poll/fd.h"
#include "sync/waitgroup.h"

namespace net {

using internal::poll::EOF_;
using internal::poll::ErrDeadlineExceeded;
using internal::poll::ErrNetClosing;
using internal::poll::ErrNotPollable;
using internal::poll::Result;

// net/fd_posix.go:17  A network connection or listener.
struct netFD {
  internal::poll::FD pfd;    // net/fd_posix.go:18
  int family = 0;            // net/fd_posix.go:21
  int sotype = 0;            // net/fd_posix.go:22
  bool isConnected = false;  // net/fd_posix.go:23
  const char* net = "tcp";   // net/fd_posix.go:24

  // net/fd_unix.go
  int init();
  int connect(const void* ra, unsigned ralen);
  int accept(netFD** out);
  // net/fd_posix.go
  int Close();
  Result Read(void* p, size_t n);
  Result Write(const void* p, size_t n);
  int SetDeadline(int64_t t);
  int SetReadDeadline(int64_t t);
  int SetWriteDeadline(int64_t t);
};

// net/fd_unix.go:26
netFD* newFD(int sysfd, int family, int sotype, const char* net);

// net/net.go:170  What net.Conn's methods run on: the netFD.  Go's Read,
// Write and Close also wrap an error in an OpError; ours return the
// netFD's.  A TCPConn (net/tcpsock.go:112) is one, as Go embeds it.
struct conn {
  netFD* fd;  // net/net.go:171
  bool ok() const;
  Result Read(void* b, size_t n);
  Result Write(const void* b, size_t n);
  int Close();
};
struct TCPConn : conn {};
TCPConn* newTCPConn(netFD* fd);  // net/tcpsock.go:220

// net/tcpsock.go:252  A listener, as Go's net.Listen("tcp", ...) returns it.
struct TCPListener {
  netFD* fd;  // net/tcpsock.go:253
  bool ok() const;
  int Accept(TCPConn** c);  // the next connection, on the poller, with TCP_NODELAY
  int accept(TCPConn** c);
};

int Listen(int port, netFD** out);   // 127.0.0.1:port; port 0 picks one
int Dial(int port, netFD** out);     // connect to 127.0.0.1:port
int Port(netFD* fd);                 // the local port
int Accept(netFD* ln, netFD** out);  // the next connection on ln
// Accept connections on ln and run handle(c) in a new goroutine for each,
// until ln is closed; returns the error that ended it.  A temporary error
// (a full descriptor table) is retried after a pause that doubles from 5 ms
// to 1 s, as Go's net/http Server does, instead of spinning.  With conns,
// conns->Add(1) comes before each goroutine starts (handle calls Done), as
// Go's server tracks a connection before `go c.serve`.
int Serve(netFD* ln, void (*handle)(netFD* c), sync_::WaitGroup* conns = nullptr);
// net/http/server.go's back-off, for an accept loop: after an Accept
// error err, whether to try again (a temporary error: a full descriptor
// table), having slept *tempDelay, which doubles from 5 ms to 1 s (0 for
// none yet).  Logs as net/http does.
bool ServeBackoff(int err, int64_t* tempDelay);
// What Go's garbage collector does: release a netFD (a TCPConn) nobody uses.
void Free(netFD* fd);
void Free(TCPConn* c);
// The error's text.
const char* ErrString(int err);

}  // namespace net
