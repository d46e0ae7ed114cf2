// net.cpp - see include/net/net.h.  Go's internal/poll/fd_unix.go,
// fd_poll_runtime.go and net/sock_posix.go, reduced to TCP on loopback.
#include "net/net.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "runtime/netpoll.h"

namespace net {

namespace rt = runtime;

const char* ErrString(int err) {
  switch (err) {
    case ErrNetClosing: return "use of closed network connection";
    case ErrDeadlineExceeded: return "i/o timeout";
    case ErrNotPollable: return "not pollable";
  }
  return err < 0 ? strerrorname_np(-err) : "ok";
}

namespace {

// internal/poll/fd_poll_runtime.go  convertErr: a poll error code as an error.
int convertErr(int32_t res) {
  switch (res) {
    case rt::pollNoError: return 0;
    case rt::pollErrClosing: return ErrNetClosing;
    case rt::pollErrTimeout: return ErrDeadlineExceeded;
    case rt::pollErrNotPollable: return ErrNotPollable;
  }
  rt::throw_("unreachable: bad poll error code");
}

// internal/poll/fd_poll_runtime.go  Make the runtime poller ready, once.
void serverInit() { rt::poll_runtime_pollServerInit(); }

// internal/poll/fd_poll_runtime.go  pollDesc.init: register with the poller.
int init(int sysfd, FD** out) {
  serverInit();
  int32_t errno_;
  rt::pollDesc* pd = rt::poll_runtime_pollOpen(static_cast<uintptr_t>(sysfd), &errno_);
  if (pd == nullptr) {
    ::close(sysfd);
    return -errno_;
  }
  FD* fd = new FD;
  fd->sysfd = sysfd;
  fd->pd = pd;
  *out = fd;
  return 0;
}

// fdMutex's incref and decref, simplified.
bool incref(FD* fd) {
  if (fd->closing.load()) return false;
  fd->refs.fetch_add(1);
  if (fd->closing.load()) {  // raced with Close: back out
    fd->refs.fetch_sub(1);
    return false;
  }
  return true;
}
void decref(FD* fd) {
  if (fd->refs.fetch_sub(1) == 1) {  // the last one out really closes (fd_unix.go destroy)
    rt::poll_runtime_pollClose(fd->pd);
    ::close(fd->sysfd);
    delete fd;
  }
}

int waitRead(FD* fd) { return convertErr(rt::poll_runtime_pollWait(fd->pd, 'r')); }
int waitWrite(FD* fd) { return convertErr(rt::poll_runtime_pollWait(fd->pd, 'w')); }

sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

}  // namespace

int Listen(int port, FD** out) {
  int s = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s < 0) return -errno;
  int one = 1;
  ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a = loopback(port);
  if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 || ::listen(s, 4096) < 0) {
    int e = -errno;
    ::close(s);
    return e;
  }
  return init(s, out);
}

int Port(FD* fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ::getsockname(fd->sysfd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

// internal/poll/fd_unix.go  Accept: try; on EAGAIN park until the
// listener is readable; try again.
int Accept(FD* ln, FD** out) {
  if (!incref(ln)) return ErrNetClosing;
  int err = convertErr(rt::poll_runtime_pollReset(ln->pd, 'r'));  // fd_unix.go prepareRead
  while (err == 0) {
    int s = ::accept4(ln->sysfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (s >= 0) {
      int one = 1;
      ::setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // as Go's net does
      err = init(s, out);
      break;
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno != EAGAIN) {
      err = -errno;
      break;
    }
    err = waitRead(ln);
  }
  decref(ln);
  return err;
}

// net/fd_unix.go connect: a non-blocking connect, then wait until the
// socket is writable and ask it how the connect went.
int Dial(int port, FD** out) {
  int s = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s < 0) return -errno;
  FD* fd;
  if (int err = init(s, &fd)) return err;
  sockaddr_in a = loopback(port);
  int err = 0;
  if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) {
    if (errno != EINPROGRESS && errno != EINTR) {
      err = -errno;
    } else {
      for (;;) {
        if ((err = waitWrite(fd)) != 0) break;
        int soerr = 0;
        socklen_t len = sizeof soerr;
        ::getsockopt(s, SOL_SOCKET, SO_ERROR, &soerr, &len);
        if (soerr == EINPROGRESS || soerr == EALREADY || soerr == EINTR) continue;
        err = -soerr;
        break;
      }
    }
  }
  if (err != 0) {
    Close(fd);
    return err;
  }
  int one = 1;
  ::setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // as Go's net does
  *out = fd;
  return 0;
}

// internal/poll/fd_unix.go  Read.
ssize_t Read(FD* fd, void* p, size_t n) {
  if (!incref(fd)) return ErrNetClosing;
  ssize_t r = convertErr(rt::poll_runtime_pollReset(fd->pd, 'r'));  // fd_unix.go prepareRead
  while (r == 0 && n > 0) {
    ssize_t got = ::read(fd->sysfd, p, n);
    if (got >= 0) {
      r = got;  // 0 is end of file (fd_unix.go eofError)
      break;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) {
      r = -errno;
      break;
    }
    r = waitRead(fd);
  }
  decref(fd);
  return r;
}

// internal/poll/fd_unix.go  Write: all of p, parking whenever the
// socket's buffer is full.
ssize_t Write(FD* fd, const void* p, size_t n) {
  if (!incref(fd)) return ErrNetClosing;
  ssize_t err = convertErr(rt::poll_runtime_pollReset(fd->pd, 'w'));  // fd_unix.go prepareWrite
  size_t nn = 0;
  while (err == 0 && nn < n) {
    ssize_t w = ::send(fd->sysfd, static_cast<const char*>(p) + nn, n - nn, MSG_NOSIGNAL);
    if (w > 0) {
      nn += static_cast<size_t>(w);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EAGAIN) {
      err = waitWrite(fd);
      continue;
    }
    err = w < 0 ? -errno : -EIO;
  }
  decref(fd);
  return err ? err : static_cast<ssize_t>(nn);
}

// internal/poll/fd_unix.go  Close: unblock any waiter (pd.evict), and
// drop the open reference; the last reference closes the descriptor.
int Close(FD* fd) {
  if (fd->closing.exchange(true)) return ErrNetClosing;  // fd_mutex.go increfAndClose
  rt::poll_runtime_pollUnblock(fd->pd);                  // fd_unix.go pd.evict
  decref(fd);
  return 0;
}

// internal/poll/fd_poll_runtime.go  setDeadlineImpl.
int SetReadDeadline(FD* fd, int64_t ns) {
  if (!incref(fd)) return ErrNetClosing;
  rt::poll_runtime_pollSetDeadline(fd->pd, ns < 0 ? -1 : ns, 'r');
  decref(fd);
  return 0;
}

}  // namespace net
