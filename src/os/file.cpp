// file.cpp - twin of the parts of Go 1.19.8's os package that write to an
// open descriptor: os/file.go's Stdout, Stderr and File.Write, os/
// file_posix.go's File.write, os/file_unix.go's NewFile, newFile and
// epipecheck.  See include/os/file.h.  Opening, reading, closing and the
// rest of os are not rebuilt; neither is the finalizer that closes a
// forgotten File (there is no garbage collector to run it).
#include "os/file.h"

#include <fcntl.h>

#include <cerrno>

#include "runtime/signal_unix.h"

namespace os {

namespace {

// os/file_unix.go:112-117  What newFile is told of the descriptor.
enum newFileKind {
  kindNewFile,   // os/file_unix.go:113
  kindOpenFile,  // os/file_unix.go:114
  kindPipe,      // os/file_unix.go:115
  kindNonBlock,  // os/file_unix.go:116
};

}  // namespace

// os/file_unix.go:122  (kind is a newFileKind; pipe2_unix.cpp passes kindPipe)
File* newFile(uintptr_t fd, const char* name, int kind_) {
  auto kind = static_cast<newFileKind>(kind_);
  int fdi = static_cast<int>(fd);  // os/file_unix.go:123
  if (fdi < 0) {                   // os/file_unix.go:124
    return nullptr;                // os/file_unix.go:125
  }
  File* f = new File;                // os/file_unix.go:127
  f->pfd.Sysfd = fdi;                // os/file_unix.go:129
  f->pfd.IsStream = true;            // os/file_unix.go:130
  f->pfd.ZeroReadIsEOF = true;       // os/file_unix.go:131
  f->name = name;                    // os/file_unix.go:133
  f->stdoutOrErr = fdi == 1 || fdi == 2;  // os/file_unix.go:134
  bool pollable = kind == kindOpenFile || kind == kindPipe || kind == kindNonBlock;  // os/file_unix.go:137
  // os/file_unix.go:142-169 left out: the BSDs' and macOS's regular files.
  if (int err = f->pfd.Init("file", pollable); err != 0) {  // os/file_unix.go:171
    // An error here means the poller could not
    // take it (a regular file, say); the descriptor stays blocking.
  } else if (pollable) {                                          // os/file_unix.go:178
    if (::fcntl(fdi, F_SETFL, ::fcntl(fdi, F_GETFL) | O_NONBLOCK) == 0) {  // os/file_unix.go:181  SetNonblock
      f->nonblock = true;                                        // os/file_unix.go:182
    }
  }
  // os/file_unix.go:186 left out: the finalizer.
  return f;  // os/file_unix.go:187
}

namespace {

// os/file_unix.go:193  A write to stdout or stderr found its reader gone:
// die of SIGPIPE.  (The signal itself came and was ignored.)
void epipecheck(File* file, int e) {
  if (e == -EPIPE && file->stdoutOrErr) {  // os/file_unix.go:194
    runtime::os_sigpipe();                  // os/file_unix.go:195  sigpipe()
  }
}

}  // namespace

// os/file_unix.go:101  A File for an open descriptor; on the poller if the
// descriptor is non-blocking already (a pipe a parent made so).
File* NewFile(uintptr_t fd, const char* name) {
  newFileKind kind = kindNewFile;  // os/file_unix.go:102
  int fl = ::fcntl(static_cast<int>(fd), F_GETFL);
  if (fl >= 0 && (fl & O_NONBLOCK) != 0) {  // os/file_unix.go:103  unix.IsNonblock
    kind = kindNonBlock;                    // os/file_unix.go:104
  }
  return newFile(fd, name, kind);  // os/file_unix.go:106
}

File* const Stdin = NewFile(0, "/dev/stdin");    // os/file.go:66
File* const Stdout = NewFile(1, "/dev/stdout");  // os/file.go:67
File* const Stderr = NewFile(2, "/dev/stderr");  // os/file.go:68

// os/file.go:172  Write all n bytes of b; the count written, and an error
// if it is not all of them.
internal::poll::Result File::Write(const void* b, size_t n) {
  // os/file.go:173-175 left out: checkValid, for a nil *File, on which
  // C++ cannot call a method at all.
  auto [nn, e] = write(b, n);  // os/file.go:176
  if (nn < 0) {                // os/file.go:177
    nn = 0;                    // os/file.go:178
  }
  int err = 0;
  if (static_cast<size_t>(nn) != n) {        // os/file.go:180
    err = internal::poll::ErrShortWrite;     // os/file.go:181
  }
  epipecheck(this, e);  // os/file.go:184
  if (e != 0) {         // os/file.go:186
    err = e;            // os/file.go:187  Go wraps it in a PathError
  }
  return {nn, err};  // os/file.go:190
}

// os/file_posix.go:21  Close the File: 0, or an error (ErrFileClosing if
// it was closed already).
int File::Close() {
  // os/file_posix.go:22-24 left out: a nil *File (checkValid's case).
  return close();  // os/file_posix.go:25
}

// os/file_posix.go:47
internal::poll::Result File::write(const void* b, size_t n) {
  return pfd.Write(b, n);  // os/file_posix.go:48
}

// os/file_unix.go:243
int File::close() {
  // os/file_unix.go:244-250 left out: a nil *file, and directories.
  int err = pfd.Close();  // os/file_unix.go:252
  // os/file_unix.go:253-257: Go wraps it in a PathError (and
  // poll.ErrFileClosing as os.ErrClosed); ours returns poll's.
  return err;  // os/file_unix.go:261
}

void Free(File* f) { delete f; }

}  // namespace os
