// file.h - the part of Go 1.19.8's os package a program writes its output
// with: the File of an already-open descriptor (NewFile) or of a pipe
// (Pipe), os.Stdout and os.Stderr, File.Write and File.Close
// (src/os/file.cpp, src/os/pipe2_unix.cpp).
//
// It is here for what Write does when its reader has gone: a write to a
// pipe or socket with no reader raises SIGPIPE, which the runtime catches
// and ignores (src/runtime/signal_unix.cpp), so the write returns EPIPE;
// and when the File is standard output or standard error, epipecheck then
// ends the process by SIGPIPE, as `prog | head` expects of any Unix
// program.  A write to any other descriptor just returns EPIPE.
//
// Results are internal/poll's: `auto [n, err] = os::Stdout->Write(p, len)`.
// Call these from goroutines: a File that is non-blocking lives on the
// netpoller, and its Write may park.
#pragma once

#include <cstddef>
#include <cstdint>

#include "internal/poll/fd.h"

namespace os {

// os/types.go:16 File, with os/file_unix.go:54's file in it.
struct File {
  internal::poll::FD pfd;   // os/file_unix.go:55
  const char* name;         // os/file_unix.go:56
  bool nonblock = false;    // os/file_unix.go:58  we set it non-blocking
  bool stdoutOrErr = false;  // os/file_unix.go:59  fd 1 or 2

  internal::poll::Result Write(const void* b, size_t n);
  internal::poll::Result write(const void* b, size_t n);
  int Close();
  int close();
};

// os/file_unix.go:101  A File for fd, which is open already.
File* NewFile(uintptr_t fd, const char* name);
// os/file_unix.go:122  What NewFile and Pipe make a File with; kind is
// os/file_unix.go:112's newFileKind (0 kindNewFile, 1 kindOpenFile,
// 2 kindPipe, 3 kindNonBlock).
File* newFile(uintptr_t fd, const char* name, int kind);
// os/pipe2_unix.go:13  A pipe: *r reads what *w writes.  0 or an errno.
int Pipe(File** r, File** w);
// What Go's garbage collector does: release a File nobody uses (closed).
void Free(File* f);

// os/file.go:66-68
extern File* const Stdin;
extern File* const Stdout;
extern File* const Stderr;

}  // namespace os
