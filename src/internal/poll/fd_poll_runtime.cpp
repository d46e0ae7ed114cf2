// fd_poll_runtime.cpp - twin of Go 1.19.8's internal/poll/fd_poll_runtime.go:
// the FD's glue to the runtime's netpoller (src/runtime/netpoll.cpp).  Go
// reaches the runtime's poll_runtime_* functions through linkname; ours are
// plain calls.  Functions are in Go's order.
#include "internal/poll/fd.h"
#include "runtime/netpoll.h"

namespace internal::poll {

namespace rt = runtime;

// internal/poll/fd_poll_runtime.go:38  Register fd with the poller.
int pollDesc::init(FD* fd) {
  // internal/poll/fd_poll_runtime.go:39  Go's serverInit.Do(runtime_pollServerInit):
  // the runtime's netpollGenericInit is once-only itself.
  rt::poll_runtime_pollServerInit();
  int32_t errno_;
  rt::pollDesc* ctx = rt::poll_runtime_pollOpen(static_cast<uintptr_t>(fd->Sysfd),
                                                &errno_);  // internal/poll/fd_poll_runtime.go:40
  if (errno_ != 0) return -errno_;                         // internal/poll/fd_poll_runtime.go:41-43
  runtimeCtx = ctx;                                        // internal/poll/fd_poll_runtime.go:44
  return 0;                                                // internal/poll/fd_poll_runtime.go:45
}

// internal/poll/fd_poll_runtime.go:48
void pollDesc::close() {
  if (runtimeCtx == nullptr) return;       // internal/poll/fd_poll_runtime.go:49-51
  rt::poll_runtime_pollClose(runtimeCtx);  // internal/poll/fd_poll_runtime.go:52
  runtimeCtx = nullptr;                    // internal/poll/fd_poll_runtime.go:53
}

// internal/poll/fd_poll_runtime.go:57  Unblock every goroutine waiting on
// the descriptor: they will see it closing.
void pollDesc::evict() {
  if (runtimeCtx == nullptr) return;         // internal/poll/fd_poll_runtime.go:58-60
  rt::poll_runtime_pollUnblock(runtimeCtx);  // internal/poll/fd_poll_runtime.go:61
}

// internal/poll/fd_poll_runtime.go:64
int pollDesc::prepare(int mode, bool isFile) {
  if (runtimeCtx == nullptr) return 0;  // internal/poll/fd_poll_runtime.go:65-67
  int32_t res =
      rt::poll_runtime_pollReset(runtimeCtx, mode);  // internal/poll/fd_poll_runtime.go:68
  return convertErr(res, isFile);                    // internal/poll/fd_poll_runtime.go:69
}

// internal/poll/fd_poll_runtime.go:72
int pollDesc::prepareRead(bool isFile) {
  return prepare('r', isFile);  // internal/poll/fd_poll_runtime.go:73
}

// internal/poll/fd_poll_runtime.go:76
int pollDesc::prepareWrite(bool isFile) {
  return prepare('w', isFile);  // internal/poll/fd_poll_runtime.go:77
}

// internal/poll/fd_poll_runtime.go:80  Park until the descriptor is ready.
int pollDesc::wait(int mode, bool isFile) {
  // internal/poll/fd_poll_runtime.go:81-83  Go: "waiting for unsupported
  // file type"; an FD that is not pollable never waits here.
  if (runtimeCtx == nullptr) return ErrNotPollable;
  int32_t res = rt::poll_runtime_pollWait(runtimeCtx, mode);  // internal/poll/fd_poll_runtime.go:84
  return convertErr(res, isFile);                             // internal/poll/fd_poll_runtime.go:85
}

// internal/poll/fd_poll_runtime.go:88
int pollDesc::waitRead(bool isFile) {
  return wait('r', isFile);  // internal/poll/fd_poll_runtime.go:89
}

// internal/poll/fd_poll_runtime.go:92
int pollDesc::waitWrite(bool isFile) {
  return wait('w', isFile);  // internal/poll/fd_poll_runtime.go:93
}

// internal/poll/fd_poll_runtime.go:96
void pollDesc::waitCanceled(int mode) {
  if (runtimeCtx == nullptr) return;                    // internal/poll/fd_poll_runtime.go:97-99
  rt::poll_runtime_pollWaitCanceled(runtimeCtx, mode);  // internal/poll/fd_poll_runtime.go:100
}

// internal/poll/fd_poll_runtime.go:103
bool pollDesc::pollable() const {
  return runtimeCtx != nullptr;  // internal/poll/fd_poll_runtime.go:104
}

// internal/poll/fd_poll_runtime.go:116  The runtime's poll error codes
// (netpoll.go:41-46) as errors.
int convertErr(int res, bool isFile) {
  switch (res) {                     // internal/poll/fd_poll_runtime.go:117
    case rt::pollNoError: return 0;  // internal/poll/fd_poll_runtime.go:118-119
    case rt::pollErrClosing:
      return isFile ? ErrFileClosing
                    : ErrNetClosing;  // internal/poll/fd_poll_runtime.go:121  errClosing
    case rt::pollErrTimeout: return ErrDeadlineExceeded;  // internal/poll/fd_poll_runtime.go:123
    case rt::pollErrNotPollable: return ErrNotPollable;  // internal/poll/fd_poll_runtime.go:124-125
  }
  rt::print("unreachable: %d\n", res);  // internal/poll/fd_poll_runtime.go:127
  rt::throw_("unreachable");            // internal/poll/fd_poll_runtime.go:128  Go panics
}

// internal/poll/fd_poll_runtime.go:132
int FD::SetDeadline(int64_t t) {
  return setDeadlineImpl(this, t, 'r' + 'w');  // internal/poll/fd_poll_runtime.go:133
}

// internal/poll/fd_poll_runtime.go:137
int FD::SetReadDeadline(int64_t t) {
  return setDeadlineImpl(this, t, 'r');  // internal/poll/fd_poll_runtime.go:138
}

// internal/poll/fd_poll_runtime.go:142
int FD::SetWriteDeadline(int64_t t) {
  return setDeadlineImpl(this, t, 'w');  // internal/poll/fd_poll_runtime.go:143
}

// internal/poll/fd_poll_runtime.go:146  t is a time on nanotime's clock, 0
// for none; the runtime takes a duration from now.
int setDeadlineImpl(FD* fd, int64_t t, int mode) {
  int64_t d{};   // internal/poll/fd_poll_runtime.go:147
  if (t != 0) {  // internal/poll/fd_poll_runtime.go:148  !t.IsZero()
    // internal/poll/fd_poll_runtime.go:149  time.Until(t), which saturates
    // rather than overflow; so does ours.
    if (__builtin_sub_overflow(t, rt::nanotime(), &d)) d = t < 0 ? INT64_MIN : INT64_MAX;
    if (d == 0) d = -1;  // internal/poll/fd_poll_runtime.go:150-152  now is not "none"
  }
  if (int err = fd->incref()) return err;  // internal/poll/fd_poll_runtime.go:154-156
  int err = 0;
  if (fd->pd.runtimeCtx == nullptr)  // internal/poll/fd_poll_runtime.go:158
    err = ErrNoDeadline;             // internal/poll/fd_poll_runtime.go:159
  else
    rt::poll_runtime_pollSetDeadline(fd->pd.runtimeCtx, d,
                                     mode);  // internal/poll/fd_poll_runtime.go:161
  fd->decref();                              // internal/poll/fd_poll_runtime.go:157  Go's defer
  return err;
}

// internal/poll/fd_poll_runtime.go:167
bool IsPollDescriptor(uintptr_t fd) {
  return rt::poll_runtime_isPollServerDescriptor(fd);  // internal/poll/fd_poll_runtime.go:168
}

}  // namespace internal::poll
