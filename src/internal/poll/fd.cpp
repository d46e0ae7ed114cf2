// fd.cpp - twin of Go 1.19.8's internal/poll/fd.go: the package's errors.
// Go's are values with Error() methods; ours are ints (include/internal/
// poll/fd.h), and ErrorString is their Error().
#include "internal/poll/fd.h"

#include <cstring>

namespace internal::poll {

// internal/poll/fd.go:24 (errNetClosing.Error), internal/poll/fd.go:60
// (DeadlineExceededError.Error) and the texts of the errors.New values,
// internal/poll/fd.go:35, :39 and :66.
const char* ErrorString(int err) {
  switch (err) {
    case 0: return "<nil>";
    case ErrNetClosing: return "use of closed network connection";
    case ErrFileClosing: return "use of closed file";
    case ErrNoDeadline: return "file type does not support deadline";
    case ErrDeadlineExceeded: return "i/o timeout";
    case ErrNotPollable: return "not pollable";
    case EOF_: return "EOF";
    case ErrUnexpectedEOF: return "unexpected EOF";
    case ErrShortWrite: return "short write";
  }
  // A syscall.Errno: its text, as Go's Errno.Error gives it.
  return err < 0 ? std::strerror(-err) : "unknown error";
}

}  // namespace internal::poll
