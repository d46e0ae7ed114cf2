// fd_unix.cpp - twin of Go 1.19.8's internal/poll/fd_unix.go: an FD's life
// (Init, destroy, Close) and the I/O the net package needs (Read, Write,
// Accept).  Each operation takes its lock from the fdMutex, tells the
// poller it is about to wait (prepare: forget an old readiness), then loops:
// try the system call; on EAGAIN park in the runtime until the descriptor
// is ready; try again.  Functions are in Go's order; the ones net does not
// use (Pread, ReadMsg, Seek, ...) are not rebuilt.
//
// The system calls themselves are package syscall's in Go, not the
// runtime's: ours are libc's (read, write), and the hooks' (hook_unix.cpp).
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "internal/poll/fd.h"
#include "internal/poll/hook.h"
#include "runtime/runtime.h"

namespace internal::poll {

namespace {

// syscall.Read and syscall.Write: (n, nil), or (-1, errno).
Result sysRead(int fd, void* p, size_t n) {
  ssize_t r = ::read(fd, p, n);
  return r < 0 ? Result{-1, -errno} : Result{static_cast<int>(r), 0};
}
Result sysWrite(int fd, void* p, size_t n) {
  ssize_t r = ::write(fd, p, n);
  return r < 0 ? Result{-1, -errno} : Result{static_cast<int>(r), 0};
}

// internal/poll/fd_unix.go:792  Retry while the call was interrupted.
Result ignoringEINTRIO(Result (*fn)(int, void*, size_t), int fd, void* p, size_t n) {
  for (;;) {                        // internal/poll/fd_unix.go:793
    Result r = fn(fd, p, n);        // internal/poll/fd_unix.go:794
    if (r.err != -EINTR) return r;  // internal/poll/fd_unix.go:795-797
  }
}

constexpr size_t maxRW = size_t{1} << 30;  // internal/poll/fd_unix.go:140

}  // namespace

// internal/poll/fd_unix.go:54  Register Sysfd with the poller.  net is a
// network name ("tcp"), or "file".
int FD::Init(const char* net, bool pollable) {
  if (std::strcmp(net, "file") == 0)  // internal/poll/fd_unix.go:56
    isFile = true;                    // internal/poll/fd_unix.go:57
  if (!pollable) {                    // internal/poll/fd_unix.go:59
    isBlocking = 1;                   // internal/poll/fd_unix.go:60
    return 0;                         // internal/poll/fd_unix.go:61
  }
  int err = pd.init(this);       // internal/poll/fd_unix.go:63
  if (err != 0) isBlocking = 1;  // internal/poll/fd_unix.go:64-68  no poller: blocking mode
  return err;                    // internal/poll/fd_unix.go:69
}

// internal/poll/fd_unix.go:74  The last reference is gone: unregister and
// close the descriptor, and let Close return.
int FD::destroy() {
  pd.close();                  // internal/poll/fd_unix.go:77  before the close, as epoll wants
  int err = CloseFunc(Sysfd);  // internal/poll/fd_unix.go:84  no EINTR retry: Linux closed it
  Sysfd = -1;                  // internal/poll/fd_unix.go:86
  runtime::poll_runtime_Semrelease(&csema);  // internal/poll/fd_unix.go:87
  return err;                                // internal/poll/fd_unix.go:88
}

// internal/poll/fd_unix.go:93  Close: mark closed, wake everyone parked on
// the descriptor, drop our reference, and wait until the last one out has
// closed it.  A second Close gets ErrNetClosing.
int FD::Close() {
  if (!fdmu.increfAndClose())
    return isFile ? ErrFileClosing : ErrNetClosing;  // internal/poll/fd_unix.go:94-96
  pd.evict();           // internal/poll/fd_unix.go:103  parked readers and writers see "closing"
  int err = decref();   // internal/poll/fd_unix.go:107
  if (isBlocking == 0)  // internal/poll/fd_unix.go:115
    runtime::poll_runtime_Semacquire(&csema);  // internal/poll/fd_unix.go:116
  return err;                                  // internal/poll/fd_unix.go:119
}

// internal/poll/fd_unix.go:143  Read into p: at least one byte, or EOF, or
// an error; parks while nothing is there.
Result FD::Read(void* p, size_t n) {
  if (int err = readLock()) return {0, err};  // internal/poll/fd_unix.go:144-146
  struct Unlock {                             // internal/poll/fd_unix.go:147  defer fd.readUnlock()
    FD* fd;
    ~Unlock() { fd->readUnlock(); }
  } unlock{this};
  if (n == 0) return {0, 0};  // internal/poll/fd_unix.go:148-155  a zero-byte read is no EOF
  if (int err = pd.prepareRead(isFile)) return {0, err};     // internal/poll/fd_unix.go:156-158
  if (IsStream && n > maxRW) n = maxRW;                      // internal/poll/fd_unix.go:159-161
  for (;;) {                                                 // internal/poll/fd_unix.go:162
    auto [nr, err] = ignoringEINTRIO(sysRead, Sysfd, p, n);  // internal/poll/fd_unix.go:163
    if (err != 0) {                                          // internal/poll/fd_unix.go:164
      nr = 0;                                                // internal/poll/fd_unix.go:165
      if (err == -EAGAIN && pd.pollable()) {                 // internal/poll/fd_unix.go:166
        if ((err = pd.waitRead(isFile)) == 0) continue;      // internal/poll/fd_unix.go:167-169
      }
    }
    err = eofError(nr, err);  // internal/poll/fd_unix.go:172
    return {nr, err};         // internal/poll/fd_unix.go:173
  }
}

// internal/poll/fd_unix.go:369  Write all of p, parking whenever the
// socket's buffer is full.
Result FD::Write(const void* p, size_t n) {
  if (int err = writeLock()) return {0, err};  // internal/poll/fd_unix.go:370-372
  struct Unlock {  // internal/poll/fd_unix.go:373  defer fd.writeUnlock()
    FD* fd;
    ~Unlock() { fd->writeUnlock(); }
  } unlock{this};
  if (int err = pd.prepareWrite(isFile)) return {0, err};  // internal/poll/fd_unix.go:374-376
  auto* b = static_cast<char*>(const_cast<void*>(p));
  size_t nn = 0;                                         // internal/poll/fd_unix.go:377
  for (;;) {                                             // internal/poll/fd_unix.go:378
    size_t max = n;                                      // internal/poll/fd_unix.go:379
    if (IsStream && max - nn > maxRW) max = nn + maxRW;  // internal/poll/fd_unix.go:380-382
    auto [nw, err] =
        ignoringEINTRIO(sysWrite, Sysfd, b + nn, max - nn);  // internal/poll/fd_unix.go:383
    if (nw > 0) nn += static_cast<size_t>(nw);               // internal/poll/fd_unix.go:384-386
    if (nn == n) return {static_cast<int>(nn), err};         // internal/poll/fd_unix.go:387-389
    if (err == -EAGAIN && pd.pollable()) {                   // internal/poll/fd_unix.go:390
      if ((err = pd.waitWrite(isFile)) == 0) continue;       // internal/poll/fd_unix.go:391-393
    }
    if (err != 0) return {static_cast<int>(nn), err};  // internal/poll/fd_unix.go:395-397
    if (nw == 0)
      return {static_cast<int>(nn), ErrUnexpectedEOF};  // internal/poll/fd_unix.go:398-400
  }
}

// internal/poll/fd_unix.go:595  Accept a connection: a new non-blocking,
// close-on-exec descriptor, parking while none is pending.
FD::AcceptResult FD::Accept() {
  if (int err = readLock()) return {-1, "", err};  // internal/poll/fd_unix.go:596-598
  struct Unlock {  // internal/poll/fd_unix.go:599  defer fd.readUnlock()
    FD* fd;
    ~Unlock() { fd->readUnlock(); }
  } unlock{this};
  if (int err = pd.prepareRead(isFile)) return {-1, "", err};  // internal/poll/fd_unix.go:601-603
  for (;;) {                                                   // internal/poll/fd_unix.go:604
    AcceptResult r = accept(Sysfd);                            // internal/poll/fd_unix.go:605
    if (r.err == 0) return r;                                  // internal/poll/fd_unix.go:606-608
    switch (r.err) {                                           // internal/poll/fd_unix.go:609
      case -EINTR: continue;                                   // internal/poll/fd_unix.go:610-611
      case -EAGAIN:                                            // internal/poll/fd_unix.go:612
        if (pd.pollable()) {                                   // internal/poll/fd_unix.go:613
          if ((r.err = pd.waitRead(isFile)) == 0) continue;    // internal/poll/fd_unix.go:614-616
        }
        break;
      case -ECONNABORTED: continue;  // internal/poll/fd_unix.go:618-622  closed while queued: next
    }
    return {-1, r.errcall, r.err};  // internal/poll/fd_unix.go:624
  }
}

// internal/poll/fd_unix.go:740  Wait until fd is writable (a connect has
// finished).
int FD::WaitWrite() { return pd.waitWrite(isFile); }  // internal/poll/fd_unix.go:741

}  // namespace internal::poll
