// sock_cloexec.cpp - twin of Go 1.19.8's internal/poll/sock_cloexec.go.
#include <sys/socket.h>

#include <cerrno>

#include "internal/poll/fd.h"
#include "internal/poll/hook.h"

namespace internal::poll {

// internal/poll/sock_cloexec.go:16  accept4, so that the new descriptor is
// non-blocking and close-on-exec from its first instant.
FD::AcceptResult accept(int s) {
  int ns = Accept4Func(s, SOCK_NONBLOCK | SOCK_CLOEXEC);  // internal/poll/sock_cloexec.go:17
  if (ns >= 0) return {ns, "", 0};  // internal/poll/sock_cloexec.go:24  err == nil
  // internal/poll/sock_cloexec.go:27-50 left out: the fallback to accept
  // when the kernel has no accept4 (before 2.6.28); Go 1.19 needs 2.6.32.
  return {-1, "accept4", ns};  // internal/poll/sock_cloexec.go:26  err is ns's -errno
}

}  // namespace internal::poll
