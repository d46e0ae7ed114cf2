// fd_posix.cpp - twin of the part of Go 1.19.8's net/fd_posix.go that TCP
// uses: a netFD's I/O is its poll.FD's.  (Go also wraps each error in an
// os.SyscallError naming the call, and keeps the netFD alive across the
// call with runtime.KeepAlive; neither is needed here.)
#include "net/net.h"

namespace net {

// net/fd_posix.go:35
int netFD::Close() { return pfd.Close(); }  // net/fd_posix.go:37

// net/fd_posix.go:54
Result netFD::Read(void* p, size_t n) { return pfd.Read(p, n); }  // net/fd_posix.go:55

// net/fd_posix.go:95
Result netFD::Write(const void* p, size_t n) { return pfd.Write(p, n); }  // net/fd_posix.go:96

// net/fd_posix.go:137
int netFD::SetDeadline(int64_t t) { return pfd.SetDeadline(t); }  // net/fd_posix.go:138
// net/fd_posix.go:141
int netFD::SetReadDeadline(int64_t t) { return pfd.SetReadDeadline(t); }  // net/fd_posix.go:142
// net/fd_posix.go:145
int netFD::SetWriteDeadline(int64_t t) { return pfd.SetWriteDeadline(t); }  // net/fd_posix.go:146

}  // namespace net
