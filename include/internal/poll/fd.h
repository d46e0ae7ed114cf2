// fd.h - Go 1.19.8's internal/poll, the layer between the net package and
// the runtime's netpoller, rebuilt: fd.go's errors, fd_mutex.go's fdMutex,
// fd_unix.go's FD, and fd_poll_runtime.go's pollDesc (src/internal/poll/).
//
// An FD is one descriptor's lock, lifetime and poller registration.  Its
// fdMutex lets one reader and one writer in at a time (a second one
// sleeps on a semaphore), counts every operation in progress, and marks the
// FD closed.  That lock is what makes the runtime's "at most one goroutine
// waits per semaphore" (netpoll.go) hold, and what makes Close the way to
// cancel a Read: Close marks the FD, wakes everyone, and the last operation
// out closes the descriptor.
//
// Results: Go returns (n int, err error); ours return a Result you can
// unpack the same way, `auto [n, err] = fd->Read(p, len)`.  An error is an
// int: 0 is nil, a negative errno is a syscall.Errno, and the named values
// below are internal/poll's (and io's) own.  Deadlines are times on
// runtime::nanotime's clock, 0 meaning none (Go's zero time.Time).
//
// Memory: Go's garbage collector frees an FD when nothing refers to it.
// Here its owner does, after Close, once no goroutine can still be using
// it (net::Free); Close never frees, so an operation that starts after
// Close, or races it, finds the FD closed, not gone.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace runtime {
struct pollDesc;
}

namespace internal::poll {

enum : int {
  ErrNetClosing = -10001,        // internal/poll/fd.go:31  "use of closed network connection"
  ErrFileClosing = -10002,       // internal/poll/fd.go:35  "use of closed file"
  ErrNoDeadline = -10003,        // internal/poll/fd.go:39  "file type does not support deadline"
  ErrDeadlineExceeded = -10004,  // internal/poll/fd.go:51  "i/o timeout"
  ErrNotPollable = -10005,       // internal/poll/fd.go:66  "not pollable"
  EOF_ = -10006,                 // io.EOF  "EOF"
  ErrUnexpectedEOF = -10007,     // io.ErrUnexpectedEOF  "unexpected EOF"
  ErrShortWrite = -10008,        // io.ErrShortWrite  "short write"
};
// The error's text, as Go's Error() methods give it.
const char* ErrorString(int err);

struct Result {  // Go's (n int, err error)
  int n;
  int err;
};

// internal/poll/fd_mutex.go:12  The state word packs a closed bit, a read lock, a write
// lock and three 20-bit counts (references, waiting readers, waiting
// writers); rsema and wsema are the runtime semaphores the waiters sleep on.
struct fdMutex {
  std::atomic<uint64_t> state{0};  // internal/poll/fd_mutex.go:13
  std::atomic<uint32_t> rsema{0};  // internal/poll/fd_mutex.go:14
  std::atomic<uint32_t> wsema{0};  // internal/poll/fd_mutex.go:15

  bool incref();
  bool increfAndClose();
  bool decref();
  bool rwlock(bool read);
  bool rwunlock(bool read);
};

struct FD;

// internal/poll/fd_poll_runtime.go:32  The FD's handle on the runtime's pollDesc.
struct pollDesc {
  runtime::pollDesc* runtimeCtx = nullptr;  // internal/poll/fd_poll_runtime.go:33

  int init(FD* fd);
  void close();
  void evict();
  int prepare(int mode, bool isFile);
  int prepareRead(bool isFile);
  int prepareWrite(bool isFile);
  int wait(int mode, bool isFile);
  int waitRead(bool isFile);
  int waitWrite(bool isFile);
  void waitCanceled(int mode);
  bool pollable() const;
};

// internal/poll/fd_unix.go:18  A descriptor as the net package holds it.
struct FD {
  fdMutex fdmu;                    // internal/poll/fd_unix.go:20
  int Sysfd = -1;                  // internal/poll/fd_unix.go:23
  pollDesc pd;                     // internal/poll/fd_unix.go:26
  std::atomic<uint32_t> csema{0};  // internal/poll/fd_unix.go:32  released when really closed
  uint32_t isBlocking = 0;         // internal/poll/fd_unix.go:35
  bool IsStream = false;           // internal/poll/fd_unix.go:39
  bool ZeroReadIsEOF = false;      // internal/poll/fd_unix.go:43
  bool isFile = false;             // internal/poll/fd_unix.go:46

  // fd_unix.go
  int Init(const char* net, bool pollable);
  int destroy();
  int Close();
  Result Read(void* p, size_t n);
  Result Write(const void* p, size_t n);
  struct AcceptResult {  // Go's (int, syscall.Sockaddr, string, error)
    int fd;
    const char* errcall;  // the system call that failed, or ""
    int err;
  };
  AcceptResult Accept();
  int WaitWrite();
  // fd_mutex.go
  int incref();
  int decref();
  int readLock();
  void readUnlock();
  int writeLock();
  void writeUnlock();
  // fd_posix.go
  int eofError(int n, int err) const;
  // fd_poll_runtime.go
  int SetDeadline(int64_t t);
  int SetReadDeadline(int64_t t);
  int SetWriteDeadline(int64_t t);
};

// internal/poll/fd_poll_runtime.go:116  A runtime poll code (netpoll.go:41-46) as an error.
int convertErr(int res, bool isFile);
// internal/poll/fd_poll_runtime.go:146
int setDeadlineImpl(FD* fd, int64_t t, int mode);

// internal/poll/fd_poll_runtime.go:167  Whether fd is one of the poller's own.
bool IsPollDescriptor(uintptr_t fd);

// internal/poll/sock_cloexec.go:16  accept4 with SOCK_NONBLOCK|SOCK_CLOEXEC.
FD::AcceptResult accept(int s);

}  // namespace internal::poll
