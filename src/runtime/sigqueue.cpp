// sigqueue.cpp - the part of Go 1.19.8's runtime/sigqueue.go that the
// signal handler consults: whether os/signal wants a signal (sigsend), and
// whether the program ignores it (signal_ignored).  There is no os/signal
// here, so no signal is ever wanted and sigsend always declines: the
// handler then does what sigtable says.  The queue, the note and the
// goroutine that reads them are left out.
#include <atomic>

#include "runtime/runtime.h"
#include "runtime/signal_unix.h"

namespace runtime {

namespace {

// sigqueue.go:51  What os/signal asked for (wanted: never, here) and
// what the program ignores (ignored: signals it inherited as SIG_IGN).
struct {
  std::atomic<uint32_t> wanted[(NSIG_ + 31) / 32];   // sigqueue.go:54
  std::atomic<uint32_t> ignored[(NSIG_ + 31) / 32];  // sigqueue.go:55
} sig;

}  // namespace

// sigqueue.go:71  Hand s to os/signal, if it wants s; reports whether it
// did.  Runs in the signal handler.
bool sigsend(uint32_t s) {
  uint32_t bit = uint32_t{1} << (s & 31);                      // sigqueue.go:72
  if (s >= 32 * (sizeof sig.wanted / sizeof sig.wanted[0])) {  // sigqueue.go:73
    return false;                                              // sigqueue.go:74
  }
  if (uint32_t w = sig.wanted[s / 32].load(); (w & bit) == 0) {  // sigqueue.go:80
    return false;                                                 // sigqueue.go:82
  }
  // sigqueue.go:86-95 and on left out: the queue to os/signal, which nothing
  // here reads, so that nothing ever sets wanted.
  return true;
}

// sigqueue.go:263  s was ignored when the program started: so it stays.
void sigInitIgnored(uint32_t s) {
  uint32_t i = sig.ignored[s / 32].load();  // sigqueue.go:264
  i |= uint32_t{1} << (s & 31);             // sigqueue.go:265
  sig.ignored[s / 32].store(i);             // sigqueue.go:266
}

// sigqueue.go:272  Whether the program ignores s.
bool signal_ignored(uint32_t s) {
  uint32_t i = sig.ignored[s / 32].load();   // sigqueue.go:273
  return (i & (uint32_t{1} << (s & 31))) != 0;  // sigqueue.go:274
}

}  // namespace runtime
