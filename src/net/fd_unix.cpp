// fd_unix.cpp - twin of the part of Go 1.19.8's net/fd_unix.go that TCP on
// loopback uses: making a netFD, connecting, accepting.
#include <sys/socket.h>

#include <cerrno>

#include "internal/poll/hook.h"
#include "net/net.h"

namespace net {

// net/fd_unix.go:26  A netFD for sysfd, not yet registered with the poller.
netFD* newFD(int sysfd, int family, int sotype, const char* net) {
  auto* ret = new netFD;                                                // net/fd_unix.go:27
  ret->pfd.Sysfd = sysfd;                                               // net/fd_unix.go:29
  ret->pfd.IsStream = sotype == SOCK_STREAM;                            // net/fd_unix.go:30
  ret->pfd.ZeroReadIsEOF = sotype != SOCK_DGRAM && sotype != SOCK_RAW;  // net/fd_unix.go:31
  ret->family = family;                                                 // net/fd_unix.go:33
  ret->sotype = sotype;                                                 // net/fd_unix.go:34
  ret->net = net;                                                       // net/fd_unix.go:35
  return ret;                                                           // net/fd_unix.go:37
}

// net/fd_unix.go:40
int netFD::init() { return pfd.Init(net, true); }  // net/fd_unix.go:41

// net/fd_unix.go:55  Connect to ra without blocking: start the connect, then
// park until the socket is writable and ask it how the connect went.  (Go's
// context, which can cut a dial short, is left out.)
int netFD::connect(const void* ra, unsigned ralen) {
  int err = ::connect(pfd.Sysfd, static_cast<const sockaddr*>(ra), ralen) < 0 ? errno : 0;
  switch (err) {       // net/fd_unix.go:59
    case EINPROGRESS:  // net/fd_unix.go:60  under way: wait below
    case EALREADY:
    case EINTR: break;
    case 0:                                    // net/fd_unix.go:61  connected at once
    case EISCONN: return pfd.Init(net, true);  // net/fd_unix.go:67-71
    default: return -err;  // net/fd_unix.go:83  os.NewSyscallError("connect", err)
  }
  if (int e = pfd.Init(net, true)) return e;  // net/fd_unix.go:85-87
  for (;;) {                                  // net/fd_unix.go:132
    // Another connect would not tell us more; once the poller says the
    // socket is writable, SO_ERROR does.
    if (int e = pfd.WaitWrite()) return e;  // net/fd_unix.go:141-148
    int nerr = 0;
    socklen_t len = sizeof nerr;
    if (::getsockopt(pfd.Sysfd, SOL_SOCKET, SO_ERROR, &nerr, &len) < 0)  // net/fd_unix.go:149
      return -errno;  // net/fd_unix.go:151  Go wraps err as getsockopt's
    switch (nerr) {   // net/fd_unix.go:153
      case EINPROGRESS:
      case EALREADY:
      case EINTR:  // net/fd_unix.go:154  not yet: wait again
        break;
      case EISCONN: return 0;  // net/fd_unix.go:155-156
      case 0: {                // net/fd_unix.go:157
        // net/fd_unix.go:161-163  The poller can wake us spuriously; only a
        // peer name proves the connection.
        sockaddr_storage sa;
        socklen_t salen = sizeof sa;
        if (::getpeername(pfd.Sysfd, reinterpret_cast<sockaddr*>(&sa), &salen) == 0) return 0;
        break;
      }
      default: return -nerr;  // net/fd_unix.go:164-165
    }
  }
}

// net/fd_unix.go:171  The next connection on this listener, as a netFD
// registered with the poller.
int netFD::accept(netFD** out) {
  auto [d, errcall, err] = pfd.Accept();         // net/fd_unix.go:172
  (void)errcall;                                 // net/fd_unix.go:174-176  Go wraps err with it
  if (err != 0) return err;                      // net/fd_unix.go:177
  netFD* netfd = newFD(d, family, sotype, net);  // net/fd_unix.go:180
  if ((err = netfd->init()) != 0) {              // net/fd_unix.go:184
    netfd->Close();                              // net/fd_unix.go:185
    Free(netfd);
    return err;  // net/fd_unix.go:186
  }
  *out = netfd;  // net/fd_unix.go:190
  return 0;
}

}  // namespace net
