// netpoll.h - the netpoller's types and functions: netpoll.go's pollDesc and
// poll_runtime_* (src/runtime/netpoll.cpp), netpoll_epoll.go's half
// (src/runtime/netpoll_epoll.cpp), nbpipe_pipe2.go (src/runtime/nbpipe_pipe2.cpp).
#pragma once

#include <atomic>
#include <cstdint>

#include "runtime/runtime.h"

// NETPOLL_GO (`make NETPOLL_GO=1.21 ...`): the netpoller of a later Go
// release instead of 1.19.8's, each adding its change to the ones before.
// The 1.19.8 code stays as it is; each later change is a block fenced by
// `#if NETPOLL_GO >= 121` (and so on) that names the release, the file and
// the public issue and CL; notes/after_go1.19.md lists them.
//   119  Go 1.19.8, the default, cited throughout.
//   121  Go 1.21: tagged pollDesc pointers in the epoll datum
//        (golang/go#59545): a stale event no longer reaches a reused pollDesc.
//   122  Go 1.22: netpollWaiters kept exact (golang/go#61454, CL 511455).
//   123  Go 1.23: an eventfd for netpollBreak (golang/go#65443, CL 560615).
#ifndef NETPOLL_GO
#define NETPOLL_GO 119
#endif

namespace runtime {

// Which of them this build is, for gdb (src/runtime/runtime-gdb.py).
extern const int netpollGoVersion;

// netpoll.go:41-46  What poll_runtime_pollWait and pollReset return.
enum : int32_t {
  pollNoError = 0,         // no error
  pollErrClosing = 1,      // descriptor is closed
  pollErrTimeout = 2,      // I/O timeout
  pollErrNotPollable = 3,  // general error polling descriptor
};

// netpoll.go:61-64  The two non-g values of rg and wg.
constexpr uintptr_t pdReady = 1;
constexpr uintptr_t pdWait = 2;

constexpr uintptr_t pollBlockSize = 4 * 1024;  // netpoll.go:66

// netpoll.go:115-122  The bits netpollcheckerr reads without the lock.
using pollInfo = uint32_t;
enum : uint32_t {
  pollClosing = 1 << 0,
  pollEventErr = 1 << 1,
  pollExpiredReadDeadline = 1 << 2,
  pollExpiredWriteDeadline = 1 << 3,
};
#if NETPOLL_GO >= 121
// go1.21 netpoll.go, pollInfo (golang/go#59545): the low 20 bits of fdseq
// ride in the info word, so that setEventErr can tell a stale event.
enum : uint32_t {
  pollFDSeq = 4,       // where they start
  pollFDSeqBits = 20,  // how many
  pollFDSeqMask = (uint32_t{1} << pollFDSeqBits) - 1,
};

// go1.21 tagptr_64bit.go: a pointer and a tag packed in 64 bits.  An amd64
// user address has 48 significant bits and a pollDesc is 8-aligned, which
// leaves 64 - 48 + 3 = 19 bits for the tag.
using taggedPointer = uint64_t;
constexpr int addrBits = 48;
constexpr int tagBits = 64 - addrBits + 3;
inline taggedPointer taggedPointerPack(const void* ptr, uintptr_t tag) {
  return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(ptr)) << (64 - addrBits) |
         (tag & ((uint64_t{1} << tagBits) - 1));
}
inline void* taggedPointerPointer(taggedPointer tp) {  // Go's tp.pointer()
  return reinterpret_cast<void*>(static_cast<uintptr_t>(static_cast<int64_t>(tp) >> tagBits << 3));
}
inline uintptr_t taggedPointerTag(taggedPointer tp) {  // Go's tp.tag()
  return static_cast<uintptr_t>(tp & ((uint64_t{1} << tagBits) - 1));
}
#endif

// netpoll.go:73  The runtime's record of one descriptor.  rg and wg are two
// binary semaphores, for a reader and a writer: nil (0), pdReady, pdWait,
// or the address of the g parked on it.  Allocated in blocks that are never
// freed (pollCache), because epoll may report a descriptor after it was
// closed and its pollDesc reused: the memory must stay a pollDesc.
struct pollDesc {
  pollDesc* link;  // netpoll.go:74  in pollcache
  uintptr_t fd;    // netpoll.go:75
#if NETPOLL_GO >= 121
  // go1.21 netpoll.go, pollDesc.fdseq (golang/go#59545): bumped each time
  // the pollDesc is freed, and packed into the epoll datum beside the
  // pointer; an event whose tag is not the current fdseq is for an earlier
  // descriptor, and netpoll drops it.
  std::atomic<uintptr_t> fdseq;
#endif
  std::atomic<uint32_t> atomicInfo;  // netpoll.go:92  pollInfo bits
  std::atomic<uintptr_t> rg;         // netpoll.go:96
  std::atomic<uintptr_t> wg;         // netpoll.go:97
  mutex lock;                        // netpoll.go:99  protects what follows
  bool closing;                      // netpoll.go:100
  uint32_t user;                     // netpoll.go:101
  uintptr_t rseq;                    // netpoll.go:102  protects from stale read timers
  timer rt;                          // netpoll.go:103  read deadline timer
  int64_t rd;                        // netpoll.go:104  read deadline; -1: expired
  uintptr_t wseq;                    // netpoll.go:105
  timer wt;                          // netpoll.go:106
  int64_t wd;                        // netpoll.go:107
  pollDesc* self;                    // netpoll.go:108

  pollInfo info() const { return atomicInfo.load(); }  // netpoll.go:130-131
  void publishInfo();
#if NETPOLL_GO >= 121
  void setEventErr(bool b, uintptr_t seq);  // go1.21: only if seq is current (or 0)
#else
  void setEventErr(bool b);
#endif
  // netpoll.go:646-650  Go boxes pd as an interface without allocating by
  // pointing the interface's data word at pd.self; a C++ timer argument is
  // a plain pointer, so self itself is the argument.  For the same reason
  // netpoll.go:653-655 is left out: pdEface and pdType exist only to give
  // that interface its type word.
  void* makeArg() { return self; }
};

// Go's pollInfo methods, as functions.
inline bool closing(pollInfo i) { return i & pollClosing; }    // netpoll.go:124
inline bool eventErr(pollInfo i) { return i & pollEventErr; }  // netpoll.go:125
inline bool expiredReadDeadline(pollInfo i) {                  // netpoll.go:126
  return i & pollExpiredReadDeadline;
}
inline bool expiredWriteDeadline(pollInfo i) {  // netpoll.go:127
  return i & pollExpiredWriteDeadline;
}

// netpoll.go:168
struct pollCache {
  mutex lock;                 // netpoll.go:169
  pollDesc* first = nullptr;  // netpoll.go:170
  pollDesc* alloc();
  void free(pollDesc* pd);
};

extern pollCache pollcache;
extern std::atomic<uint32_t> netpollWaiters;  // netpoll.go:183

// --- netpoll.go (src/runtime/netpoll.cpp) ---
void poll_runtime_pollServerInit();
void netpollGenericInit();
bool netpollinited();
bool poll_runtime_isPollServerDescriptor(uintptr_t fd);
// Go returns (*pollDesc, errno); ours returns the pollDesc and stores errno.
pollDesc* poll_runtime_pollOpen(uintptr_t fd, int32_t* errno_);
void poll_runtime_pollClose(pollDesc* pd);
int32_t poll_runtime_pollReset(pollDesc* pd, int32_t mode);
int32_t poll_runtime_pollWait(pollDesc* pd, int32_t mode);
void poll_runtime_pollWaitCanceled(pollDesc* pd, int32_t mode);
void poll_runtime_pollSetDeadline(pollDesc* pd, int64_t d, int32_t mode);
void poll_runtime_pollUnblock(pollDesc* pd);
#if NETPOLL_GO >= 122
// go1.22 netpoll.go (golang/go#61454, CL 511455): netpollready and
// netpollunblock report the change in waiters, which their callers pass
// on to netpollAdjustWaiters.  (A test may pass no delta, and drop it.)
int32_t netpollready(gList* toRun, pollDesc* pd, int32_t mode);
g* netpollunblock(pollDesc* pd, int32_t mode, bool ioready, int32_t* delta = nullptr);
void netpollAdjustWaiters(int32_t delta);
#else
void netpollready(gList* toRun, pollDesc* pd, int32_t mode);
g* netpollunblock(pollDesc* pd, int32_t mode, bool ioready);
#endif
int32_t netpollcheckerr(pollDesc* pd, int32_t mode);
bool netpollblockcommit(g* gp, void* gpp);
void netpollgoready(g* gp, int traceskip);
bool netpollblock(pollDesc* pd, int32_t mode, bool waitio);
void netpolldeadlineimpl(pollDesc* pd, uintptr_t seq, bool read, bool write);
void netpollDeadline(void* arg, uintptr_t seq);
void netpollReadDeadline(void* arg, uintptr_t seq);
void netpollWriteDeadline(void* arg, uintptr_t seq);

// --- netpoll_epoll.go (src/runtime/netpoll_epoll.cpp) ---
extern int32_t epfd;  // netpoll_epoll.go:25
#if NETPOLL_GO >= 123
extern uintptr_t netpollEventFd;  // go1.23 netpoll_epoll.go: the eventfd for netpollBreak
#else
extern uintptr_t netpollBreakRd, netpollBreakWr;  // netpoll_epoll.go:27
#endif
extern std::atomic<uint32_t> netpollWakeSig;  // netpoll_epoll.go:29
extern bool netpollPwait;  // Not in Go: NETPOLL_EPOLL=pwait, netpoll calls epollpwait (281)
void netpollinit();
bool netpollIsPollDescriptor(uintptr_t fd);
int32_t netpollopen(uintptr_t fd, pollDesc* pd);
int32_t netpollclose(uintptr_t fd);
void netpollarm(pollDesc* pd, int32_t mode);
void netpollBreak();
#if NETPOLL_GO >= 122
// go1.22 netpoll_epoll.go: netpoll returns (gList, int32), the goroutines
// and the change in waiters; ours returns the list and stores the change.
gList netpoll(int64_t delay, int32_t* delta = nullptr);
#else
gList netpoll(int64_t delay);
#endif
// Ours, for one test (StaleEvent.*): called by netpoll between epollwait's
// return and the handling of its events, where golang/go#59545's race is.
extern void (*netpollTestHookAfterWait)();
// The two tables inside netpoll, exposed so tests can check every row:
// delay (ns) -> epollwait's timeout (ms), and events -> mode.
int32_t netpollWaitms(int64_t delay);
int32_t netpollMode(uint32_t events);

// --- nbpipe_pipe2.go (src/runtime/nbpipe_pipe2.cpp) ---
// Go returns (r, w, errno).
int32_t nonblockingPipe(int32_t* r, int32_t* w);

}  // namespace runtime
