// hook.h - internal/poll's hooks (hook_unix.go, hook_cloexec.go), defined
// in src/internal/poll/hook_unix.cpp: the close, accept and accept4
// system calls, replaceable by tests.  Each returns its result or -errno.
#pragma once

namespace internal::poll {

extern int (*CloseFunc)(int fd);
extern int (*AcceptFunc)(int s);
extern int (*Accept4Func)(int s, int flags);

}  // namespace internal::poll
