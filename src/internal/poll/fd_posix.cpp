// fd_posix.cpp - twin of the part of Go 1.19.8's internal/poll/fd_posix.go
// that the net layer uses.
#include "internal/poll/fd.h"

namespace internal::poll {

// internal/poll/fd_posix.go:16  A read of nothing, without error, on a
// stream is the end of the stream.
int FD::eofError(int n, int err) const {
  if (n == 0 && err == 0 && ZeroReadIsEOF) return EOF_;  // internal/poll/fd_posix.go:17-19
  return err;                                            // internal/poll/fd_posix.go:20
}

}  // namespace internal::poll
