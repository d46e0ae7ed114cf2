// pipe2_unix.cpp - twin of Go 1.19.8's os/pipe2_unix.go: os.Pipe.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "os/file.h"

namespace os {

// os/pipe2_unix.go:13  Both ends are on the poller (kindPipe): a Read or
// Write that must wait parks its goroutine.
int Pipe(File** r, File** w) {
  int p[2];                          // os/pipe2_unix.go:14
  if (::pipe2(p, O_CLOEXEC) != 0) {  // os/pipe2_unix.go:16-17
    return -errno;                   // os/pipe2_unix.go:18  NewSyscallError("pipe2", e)
  }
  *r = newFile(static_cast<uintptr_t>(p[0]), "|0", 2 /* kindPipe */);  // os/pipe2_unix.go:21
  *w = newFile(static_cast<uintptr_t>(p[1]), "|1", 2 /* kindPipe */);
  return 0;
}

}  // namespace os
