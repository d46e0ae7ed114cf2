// netpoll_epoll.cpp - twin of Go 1.19.8's runtime/netpoll_epoll.go: the
// Linux half of the netpoller, on epoll.  Every descriptor is registered
// once, edge-triggered, for both directions, with its pollDesc's address
// in the event's 8 data bytes; netpoll turns the events epoll reports
// into goroutines to run.  A non-blocking pipe (the break pipe) lets
// another thread interrupt a blocked netpoll.  Functions are in Go's order.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "runtime/netpoll.h"

#ifdef __SANITIZE_THREAD__
#include <sanitizer/tsan_interface.h>
#endif

namespace runtime {

int32_t epfd = -1;  // netpoll_epoll.go:25  epoll descriptor
#if NETPOLL_GO >= 123
// go1.23 netpoll_epoll.go (golang/go#65443, CL 560615): one eventfd where
// 1.19 has the two ends of the break pipe.
uintptr_t netpollEventFd;
#else
uintptr_t netpollBreakRd, netpollBreakWr;  // netpoll_epoll.go:27  for netpollBreak
#endif
std::atomic<uint32_t> netpollWakeSig;  // netpoll_epoll.go:29  avoids duplicate breaks
void (*netpollTestHookAfterWait)();    // ours, for StaleEvent.* (netpoll.h)
// Not in Go: which stub netpoll calls, chosen by NETPOLL_EPOLL as the
// program starts (netpollinit stays Go's).  false: epollwait, epoll_wait
// (232), this project's default; true (pwait): epollpwait, epoll_pwait
// (281) with a NULL mask, the very call Go 1.19's runtime·epollwait makes
// (SYS_epoll_pwait).  Any other value is said once, and 232 kept.
bool netpollPwait = [] {
  const char* v = std::getenv("NETPOLL_EPOLL");
  if (v == nullptr || *v == 0 || std::strcmp(v, "wait") == 0) return false;
  if (std::strcmp(v, "pwait") == 0) return true;
  print("netpoll: NETPOLL_EPOLL=%s is not wait or pwait; epoll_wait (232) it is\n", v);
  return false;
}();

// netpoll_epoll.go:32  Make the epoll set and the break pipe; once.
void netpollinit() {
  epfd = epollcreate1(EPOLL_CLOEXEC_);  // netpoll_epoll.go:33
  if (epfd < 0) {                       // netpoll_epoll.go:34
    // netpoll_epoll.go:35  Kernels before 2.6.27 have no epoll_create1.
    epfd = epollcreate(1024);
    if (epfd < 0) {                                           // netpoll_epoll.go:36
      print("runtime: epollcreate failed with %d\n", -epfd);  // netpoll_epoll.go:37
      throw_("runtime: netpollinit failed");                  // netpoll_epoll.go:38
    }
    closeonexec(epfd);  // netpoll_epoll.go:40
  }
#if NETPOLL_GO >= 123
  // go1.23 netpoll_epoll.go, netpollinit: an eventfd, non-blocking and
  // closed on exec, registered for input as the pipe's read end was.
  int32_t efd = eventfd2(0, EFD_CLOEXEC_ | EFD_NONBLOCK_);
  if (efd < 0) {
    // The errno, as later releases print it (go1.23's text prints the
    // negation of its unsigned errno, a number near 2^64).
    print("runtime: eventfd failed with %d\n", -efd);
    throw_("runtime: eventfd failed");
  }
  epollevent ev{};
  ev.events = EPOLLIN_;
  epolldata_set(&ev, &netpollEventFd);
  int32_t errno_ = epollctl(epfd, EPOLL_CTL_ADD_, efd, &ev);
  if (errno_ != 0) {
    print("runtime: epollctl failed with %d\n", -errno_);
    throw_("runtime: epollctl failed");
  }
  netpollEventFd = static_cast<uintptr_t>(efd);
  if (netpolltrace)
    tracef("go1.23 netpoll_epoll.go", 0, "netpollinit", -1, "epfd %d, eventfd %d", epfd, efd);
#else
  int32_t r, w;
  int32_t errno_ = nonblockingPipe(&r, &w);            // netpoll_epoll.go:42
  if (errno_ != 0) {                                   // netpoll_epoll.go:43
    print("runtime: pipe failed with %d\n", -errno_);  // netpoll_epoll.go:44
    throw_("runtime: pipe failed");                    // netpoll_epoll.go:45
  }
  epollevent ev{};       // netpoll_epoll.go:47
  ev.events = EPOLLIN_;  // netpoll_epoll.go:48
  // netpoll_epoll.go:50  The break fd's datum is the address of
  // netpollBreakRd, which no pollDesc can have: that is how netpoll tells
  // the pipe from a real descriptor.
  epolldata_set(&ev, &netpollBreakRd);
  errno_ = epollctl(epfd, EPOLL_CTL_ADD_, r, &ev);         // netpoll_epoll.go:51
  if (errno_ != 0) {                                       // netpoll_epoll.go:52
    print("runtime: epollctl failed with %d\n", -errno_);  // netpoll_epoll.go:53
    throw_("runtime: epollctl failed");                    // netpoll_epoll.go:54
  }
  netpollBreakRd = static_cast<uintptr_t>(r);  // netpoll_epoll.go:56
  netpollBreakWr = static_cast<uintptr_t>(w);  // netpoll_epoll.go:57
  if (netpolltrace)
    tracef("netpoll_epoll.go", 57, "netpollinit", -1, "epfd %d, break pipe r=%d w=%d", epfd, r, w);
#endif
}

// netpoll_epoll.go:60
bool netpollIsPollDescriptor(uintptr_t fd) {
#if NETPOLL_GO >= 123
  return fd == static_cast<uintptr_t>(epfd) || fd == netpollEventFd;  // go1.23
#else
  return fd == static_cast<uintptr_t>(epfd) || fd == netpollBreakRd ||
         fd == netpollBreakWr;                   // netpoll_epoll.go:61
#endif
}

// netpoll_epoll.go:64  Register fd: readable, writable, peer hang-up,
// edge-triggered.  Returns 0 or a positive errno.
int32_t netpollopen(uintptr_t fd, pollDesc* pd) {
  epollevent ev{};                                            // netpoll_epoll.go:65
  ev.events = EPOLLIN_ | EPOLLOUT_ | EPOLLRDHUP_ | EPOLLET_;  // netpoll_epoll.go:66
#if NETPOLL_GO >= 121
  // go1.21 netpoll_epoll.go, netpollopen (golang/go#59545): the pointer
  // and the pollDesc's fdseq, packed, where 1.19 stores the bare pointer.
  epolldata_set64(&ev, taggedPointerPack(pd, pd->fdseq.load()));
#else
  epolldata_set(&ev, pd);                        // netpoll_epoll.go:67
#endif
  if (netpolltrace)
    tracef("netpoll_epoll.go", 68, "netpollopen", static_cast<intptr_t>(fd),
           "fd %lu: epollctl ADD, IN|OUT|RDHUP|ET", static_cast<unsigned long>(fd));
  return -epollctl(epfd, EPOLL_CTL_ADD_, static_cast<int32_t>(fd), &ev);  // netpoll_epoll.go:68
}

// netpoll_epoll.go:71  Unregister fd.  The event is unused by DEL, but
// kernels before 2.6.9 insisted on one.
int32_t netpollclose(uintptr_t fd) {
  epollevent ev{};  // netpoll_epoll.go:72
  if (netpolltrace)
    tracef("netpoll_epoll.go", 73, "netpollclose", static_cast<intptr_t>(fd), "fd %lu: epollctl DEL",
           static_cast<unsigned long>(fd));
  return -epollctl(epfd, EPOLL_CTL_DEL_, static_cast<int32_t>(fd), &ev);  // netpoll_epoll.go:73
}

// netpoll_epoll.go:76  Only for level-triggered pollers; epoll is not one.
void netpollarm(pollDesc*, int32_t) { throw_("runtime: unused"); }  // netpoll_epoll.go:77

// netpoll_epoll.go:81  Wake a netpoll blocked in epollwait by writing one
// byte to the break pipe.  netpollWakeSig makes a second break, before the
// poller has drained the first, a no-op.
void netpollBreak() {
  uint32_t expected = 0;
  if (netpollWakeSig.compare_exchange_strong(expected, 1)) {  // netpoll_epoll.go:82
#if NETPOLL_GO >= 123
    // go1.23 netpoll_epoll.go, netpollBreak: an 8-byte 1 added to the
    // eventfd's counter, where 1.19 writes a byte to the pipe.
    for (;;) {
      uint64_t one = 1;
      int32_t n = write(netpollEventFd, &one, sizeof one);
      if (n == sizeof one) {
        if (netpolltrace)
          tracef("go1.23 netpoll_epoll.go", 0, "netpollBreak", -1,
                 "8 bytes written to the eventfd (fd %lu)",
                 static_cast<unsigned long>(netpollEventFd));
        break;
      }
      if (n == -EINTR_) continue;
      if (n == -EAGAIN_) return;
      print("runtime: netpollBreak write failed with %d\n", -n);
      throw_("runtime: netpollBreak write failed");
    }
#else
    for (;;) {                                   // netpoll_epoll.go:83
      char b = 0;                                // netpoll_epoll.go:84
      int32_t n = write(netpollBreakWr, &b, 1);  // netpoll_epoll.go:85
      if (n == 1) {                              // netpoll_epoll.go:86
        if (netpolltrace)
          tracef("netpoll_epoll.go", 85, "netpollBreak", -1,
                 "1 byte written to the break pipe (fd %lu)",
                 static_cast<unsigned long>(netpollBreakWr));
        break;  // netpoll_epoll.go:87
      }
      if (n == -EINTR_) continue;  // netpoll_epoll.go:89-91
      if (n == -EAGAIN_) return;   // netpoll_epoll.go:92-94  pipe full: a wake-up is pending anyway
      print("runtime: netpollBreak write failed with %d\n", -n);  // netpoll_epoll.go:95
      throw_("runtime: netpollBreak write failed");               // netpoll_epoll.go:96
    }
#endif
  }
}

// netpoll_epoll.go:110-123  The timeout epollwait gets for a delay in ns:
// -1 blocks, 0 polls, anything under a millisecond rounds up to 1 ms (a
// 0 would spin), and the longest wait is capped at 1e9 ms, about 11.5 days.
int32_t netpollWaitms(int64_t delay) {
  int32_t waitms;                                    // netpoll_epoll.go:110
  if (delay < 0)                                     // netpoll_epoll.go:111
    waitms = -1;                                     // netpoll_epoll.go:112
  else if (delay == 0)                               // netpoll_epoll.go:113
    waitms = 0;                                      // netpoll_epoll.go:114
  else if (delay < 1000000)                          // netpoll_epoll.go:115
    waitms = 1;                                      // netpoll_epoll.go:116
  else if (delay < 1000000000000000)                 // netpoll_epoll.go:117
    waitms = static_cast<int32_t>(delay / 1000000);  // netpoll_epoll.go:118
  else                                               // netpoll_epoll.go:119
    waitms = 1000000000;                             // netpoll_epoll.go:122
  return waitms;
}

// netpoll_epoll.go:162-168  Which semaphores an event wakes: hang-ups and
// errors wake both, so the reader and the writer each find out.
int32_t netpollMode(uint32_t events) {
  int32_t mode = 0;  // netpoll_epoll.go:162
  if (events & (EPOLLIN_ | EPOLLRDHUP_ | EPOLLHUP_ | EPOLLERR_))
    mode += 'r';                                                  // netpoll_epoll.go:163-165
  if (events & (EPOLLOUT_ | EPOLLHUP_ | EPOLLERR_)) mode += 'w';  // netpoll_epoll.go:166-168
  return mode;
}

namespace {
const char* evname(uint32_t e, char* buf, size_t n) {
  buf[0] = 0;
  const struct {
    uint32_t bit;
    const char* name;
  } names[] = {{EPOLLIN_, "IN"},
               {EPOLLOUT_, "OUT"},
               {EPOLLRDHUP_, "RDHUP"},
               {EPOLLHUP_, "HUP"},
               {EPOLLERR_, "ERR"}};
  size_t len = 0;
  for (auto& x : names)
    if (e & x.bit) len += snprintf(buf + len, n - len, "%s%s", len ? "|" : "", x.name);
  return buf;
}
const char* modestr(int32_t mode) {
  return mode == 'r' ? "'r'" : mode == 'w' ? "'w'" : mode == 'r' + 'w' ? "'r'+'w'" : "0";
}
}  // namespace

// netpoll_epoll.go:106  Poll: block forever (delay < 0), not at all
// (delay == 0), or up to delay ns; return the goroutines that became
// runnable.
#if NETPOLL_GO >= 122
gList netpoll(int64_t delay, int32_t* deltap) {
  int32_t delta = 0;  // go1.22 netpoll_epoll.go, netpoll: the change in waiters
#else
gList netpoll(int64_t delay) {
#endif
  if (epfd == -1) return gList{};         // netpoll_epoll.go:107-109
  int32_t waitms = netpollWaitms(delay);  // netpoll_epoll.go:110-123
  epollevent events[128];                 // netpoll_epoll.go:124
  if (netpolltrace) {
    traceNetpoll(true, delay);
    if (waitms != 0)
      tracef("netpoll_epoll.go", 126, "netpoll", -1, "delay %lld ns: epollwait blocks, timeout %d ms",
             static_cast<long long>(delay), waitms);
  }
retry:                                                   // netpoll_epoll.go:125
  int32_t n = netpollPwait ? epollpwait(epfd, &events[0], 128, waitms)  // netpoll_epoll.go:126
                           : epollwait(epfd, &events[0], 128, waitms);
  if (netpolltrace && (n != 0 || waitms != 0))
    tracef("netpoll_epoll.go", 126, "netpoll", -1, "epollwait (%s) returned %d",
           waitms == 0 ? "not blocking" : "blocking", n);
  if (n < 0) {                                                          // netpoll_epoll.go:127
    if (n != -EINTR_) {                                                 // netpoll_epoll.go:128
      print("runtime: epollwait on fd %d failed with %d\n", epfd, -n);  // netpoll_epoll.go:129
      throw_("runtime: netpoll failed");                                // netpoll_epoll.go:130
    }
    // netpoll_epoll.go:134-135  A timed sleep cut short by a signal
    // returns, so the caller recomputes how long to sleep; an unbounded one
    // simply waits again.
    if (waitms > 0) {
      if (netpolltrace) traceNetpoll(false, 0);
      return gList{};
    }
    goto retry;  // netpoll_epoll.go:137
  }
  // Ours: where golang/go#59545's race is, the events in hand and not yet
  // handled, a test may close a descriptor and reuse its pollDesc.
  if (netpollTestHookAfterWait != nullptr && n > 0) netpollTestHookAfterWait();
  gList toRun;                       // netpoll_epoll.go:139
  for (int32_t i = 0; i < n; i++) {  // netpoll_epoll.go:140
    epollevent* ev = &events[i];     // netpoll_epoll.go:141
    if (ev->events == 0) continue;   // netpoll_epoll.go:142-144

#if NETPOLL_GO >= 123
    // go1.23 netpoll_epoll.go, netpoll: the eventfd; a blocking poll reads
    // its 8-byte counter, which resets it (no EFD_SEMAPHORE).
    if (epolldata_get(ev) == &netpollEventFd) {
      if (ev->events != EPOLLIN_) {
        print("runtime: netpoll: eventfd ready for %u\n", ev->events);
        throw_("runtime: netpoll: eventfd ready for something unexpected");
      }
      if (delay != 0) {
        uint64_t one;
        int32_t got = read(static_cast<int32_t>(netpollEventFd), &one, sizeof one);
        netpollWakeSig.store(0);
        if (netpolltrace)
          tracef("go1.23 netpoll_epoll.go", 0, "netpoll", -1, "eventfd drained, %d bytes", got);
      }
      continue;
    }
#else
    if (epolldata_get(ev) == &netpollBreakRd) {                          // netpoll_epoll.go:146
      if (ev->events != EPOLLIN_) {                                      // netpoll_epoll.go:147
        print("runtime: netpoll: break fd ready for %u\n", ev->events);  // netpoll_epoll.go:148
        throw_(
            "runtime: netpoll: break fd ready for something unexpected");  // netpoll_epoll.go:149
      }
      if (delay != 0) {  // netpoll_epoll.go:151
        // A non-blocking poll may see the byte
        // meant for a blocked one: only a blocking poll drains it.
        char tmp[16];  // netpoll_epoll.go:155
        int32_t got =
            read(static_cast<int32_t>(netpollBreakRd), tmp, sizeof tmp);  // netpoll_epoll.go:156
        netpollWakeSig.store(0);                                          // netpoll_epoll.go:157
        if (netpolltrace)
          tracef("netpoll_epoll.go", 156, "netpoll", -1, "break pipe drained, %d byte%s", got,
                 got == 1 ? "" : "s");
      }
      continue;  // netpoll_epoll.go:159
    }
#endif

    int32_t mode = netpollMode(ev->events);  // netpoll_epoll.go:162-168
    if (mode != 0) {                         // netpoll_epoll.go:169
#if NETPOLL_GO >= 121
      // go1.21 netpoll_epoll.go, netpoll (golang/go#59545): unpack the
      // pointer and its tag; an event whose tag is not the pollDesc's
      // fdseq now was meant for the descriptor it served before: dropped.
      taggedPointer tp = epolldata_get64(ev);
      auto* pd = static_cast<pollDesc*>(taggedPointerPointer(tp));
      uintptr_t tag = taggedPointerTag(tp);
      if (pd->fdseq.load() != tag) {
        if (netpolltrace)
          tracef("go1.21 netpoll_epoll.go", 0, "netpoll", static_cast<intptr_t>(pd->fd),
                 "a stale event (tag %lu, fdseq now %lu): dropped",
                 static_cast<unsigned long>(tag), static_cast<unsigned long>(pd->fdseq.load()));
        continue;
      }
#else
      auto* pd = static_cast<pollDesc*>(epolldata_get(ev));  // netpoll_epoll.go:170
#endif
#ifdef __SANITIZE_THREAD__
      __tsan_acquire(pd);  // pairs with the release before netpollopen
#endif
      if (netpolltrace) {
        char buf[64];
        tracef("netpoll_epoll.go", 172, "netpoll", static_cast<intptr_t>(pd->fd),
               "fd %lu ready, events %s: netpollready(%s)",
               static_cast<unsigned long>(pd->fd), evname(ev->events, buf, sizeof buf),
               modestr(mode));
      }
#if NETPOLL_GO >= 122
      pd->setEventErr(ev->events == EPOLLERR_, tag);  // go1.21: only for this descriptor
      delta += netpollready(&toRun, pd, mode);        // go1.22: count the waiters woken
#elif NETPOLL_GO >= 121
      pd->setEventErr(ev->events == EPOLLERR_, tag);         // go1.21: only for this descriptor
      netpollready(&toRun, pd, mode);
#else
    // netpoll_epoll.go:171  Only a bare EPOLLERR marks the descriptor as
    // failed; with IN or HUP beside it, the read will report the error.
    pd->setEventErr(ev->events == EPOLLERR_);
    netpollready(&toRun, pd, mode);  // netpoll_epoll.go:172
#endif
    }
  }
  if (netpolltrace && toRun.empty()) traceNetpoll(false, 0);
#if NETPOLL_GO >= 122
  if (deltap != nullptr) *deltap = delta;  // go1.22: returned beside the list
#endif
  return toRun;  // netpoll_epoll.go:175
}

}  // namespace runtime
