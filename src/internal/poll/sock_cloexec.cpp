// sock_cloexec.cpp - twin of Go 1.19.8's internal/poll/sock_cloexec.go.
#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>

#include "internal/poll/fd.h"
#include "internal/poll/hook.h"

namespace internal::poll {

// internal/poll/sock_cloexec.go:16  accept4, so that the new descriptor is
// non-blocking and close-on-exec from its first instant.  Where accept4
// is missing (ENOSYS; a kernel before 2.6.28), or refused the way some
// kernels and sandboxes refuse an unknown call (EINVAL, EACCES, EFAULT),
// plain accept, then close-on-exec and non-blocking by hand.
FD::AcceptResult accept(int s) {
  int ns = Accept4Func(s, SOCK_NONBLOCK | SOCK_CLOEXEC);  // internal/poll/sock_cloexec.go:17
  int err = ns < 0 ? ns : 0;                              // Go's err: the -errno, or nil
  switch (err) {                                          // internal/poll/sock_cloexec.go:22
    case 0:                                               // internal/poll/sock_cloexec.go:23
      return {ns, "", 0};                                 // internal/poll/sock_cloexec.go:24
    default:                                              // internal/poll/sock_cloexec.go:25
      return {-1, "accept4", err};                        // internal/poll/sock_cloexec.go:26
    case -ENOSYS:                                         // internal/poll/sock_cloexec.go:27  syscall missing
    case -EINVAL:                                         // internal/poll/sock_cloexec.go:28
    case -EACCES:                                         // internal/poll/sock_cloexec.go:29
    case -EFAULT:                                         // internal/poll/sock_cloexec.go:30
      break;
  }
  ns = AcceptFunc(s);         // internal/poll/sock_cloexec.go:38
  err = ns < 0 ? ns : 0;
  if (err == 0) {                      // internal/poll/sock_cloexec.go:39
    ::fcntl(ns, F_SETFD, FD_CLOEXEC);  // internal/poll/sock_cloexec.go:40  syscall.CloseOnExec
  }
  if (err != 0) {                 // internal/poll/sock_cloexec.go:42
    return {-1, "accept", err};   // internal/poll/sock_cloexec.go:43
  }
  if (::fcntl(ns, F_SETFL, ::fcntl(ns, F_GETFL) | O_NONBLOCK) < 0) {  // internal/poll/sock_cloexec.go:45
    int err = -errno;
    CloseFunc(ns);                      // internal/poll/sock_cloexec.go:46
    return {-1, "setnonblock", err};    // internal/poll/sock_cloexec.go:47
  }
  return {ns, "", 0};  // internal/poll/sock_cloexec.go:49
}

}  // namespace internal::poll
