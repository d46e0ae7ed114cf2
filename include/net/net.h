// net.h - a small net package for the demo and the tests: TCP on loopback,
// in the manner of Go's net and internal/poll packages.  Not a twin of any
// one Go file: it is the caller the runtime's netpoller exists for.  Every
// operation tries the system call first; on EAGAIN it parks the goroutine
// in poll_runtime_pollWait and tries again when woken (internal/poll's
// fd_unix.go).  Call these from goroutines only.
//
// The sockets themselves are made and used with libc's wrappers: in Go this
// layer goes through the syscall package, not the runtime's stubs.
//
// Errors are returned as negative numbers: -errno from the kernel, or one
// of internal/poll's own errors below.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>

namespace runtime {
struct pollDesc;
}

namespace net {

enum : int {
  ErrNetClosing = -10001,        // internal/poll/fd.go  "use of closed network connection"
  ErrDeadlineExceeded = -10002,  // internal/poll/fd.go  "i/o timeout"
  ErrNotPollable = -10003,       // internal/poll/fd.go  "not pollable"
};
const char* ErrString(int err);

// internal/poll/fd_unix.go  A descriptor with its pollDesc.  refs and
// closing stand in for Go's fdMutex: a Close while a Read is parked wakes
// the reader, and the descriptor is really closed by whoever leaves last.
struct FD {
  int sysfd;
  runtime::pollDesc* pd;
  std::atomic<int32_t> refs{1};  // 1: open; +1 for each operation in progress
  std::atomic<bool> closing{false};
};

int Listen(int port, FD** out);  // 127.0.0.1:port; port 0 picks one
int Port(FD* fd);                // the local port
int Accept(FD* ln, FD** out);
int Dial(int port, FD** out);  // connect to 127.0.0.1:port
ssize_t Read(FD* fd, void* p, size_t n);
ssize_t Write(FD* fd, const void* p, size_t n);  // all of p, or an error
int Close(FD* fd);
// Go's SetReadDeadline with a duration: ns > 0 from now, 0 none, < 0
// already expired.
int SetReadDeadline(FD* fd, int64_t ns);

}  // namespace net
