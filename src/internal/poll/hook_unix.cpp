// hook_unix.cpp - twin of Go 1.19.8's internal/poll/hook_unix.go and
// hook_cloexec.go: the system calls internal/poll makes through variables,
// so that tests can put something else in their place (Go's own net tests
// inject failures this way; ours count closes and fake a full fd table).
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "internal/poll/hook.h"

namespace internal::poll {

// internal/poll/hook_unix.go:12  syscall.Close: 0 or -errno.
int (*CloseFunc)(int fd) = [](int fd) { return ::close(fd) < 0 ? -errno : 0; };

// internal/poll/hook_unix.go:15  syscall.Accept: the new descriptor or -errno.
int (*AcceptFunc)(int s) = [](int s) {
  int ns = ::accept(s, nullptr, nullptr);
  return ns < 0 ? -errno : ns;
};

// internal/poll/hook_cloexec.go:12  syscall.Accept4: the new descriptor or -errno.
int (*Accept4Func)(int s, int flags) = [](int s, int flags) {
  int ns = ::accept4(s, nullptr, nullptr, flags);
  return ns < 0 ? -errno : ns;
};

}  // namespace internal::poll
