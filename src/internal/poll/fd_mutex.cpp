// fd_mutex.cpp - twin of Go 1.19.8's internal/poll/fd_mutex.go: one 64-bit
// word that is a reference count, a read lock, a write lock and a closed
// flag at once, with semaphores for those waiting on a lock.
//
//   bit 0        closed: every later lock attempt fails
//   bit 1        read lock
//   bit 2        write lock
//   bits 3-22    references (read + write + misc), 20 bits
//   bits 23-42   goroutines waiting for the read lock
//   bits 43-62   goroutines waiting for the write lock
//
// Reads take rwlock(true), writes rwlock(false); anything else that needs
// the descriptor to stay open (setting a deadline) takes incref; Close
// takes increfAndClose.  Functions are in Go's order.
#include "internal/poll/fd.h"
#include "runtime/runtime.h"

namespace internal::poll {

namespace {
constexpr uint64_t mutexClosed = 1ull << 0;                 // internal/poll/fd_mutex.go:26
constexpr uint64_t mutexRLock = 1ull << 1;                  // internal/poll/fd_mutex.go:27
constexpr uint64_t mutexWLock = 1ull << 2;                  // internal/poll/fd_mutex.go:28
constexpr uint64_t mutexRef = 1ull << 3;                    // internal/poll/fd_mutex.go:29
constexpr uint64_t mutexRefMask = ((1ull << 20) - 1) << 3;  // internal/poll/fd_mutex.go:30
constexpr uint64_t mutexRWait = 1ull << 23;                 // internal/poll/fd_mutex.go:31
constexpr uint64_t mutexRMask = ((1ull << 20) - 1) << 23;   // internal/poll/fd_mutex.go:32
constexpr uint64_t mutexWWait = 1ull << 43;                 // internal/poll/fd_mutex.go:33
constexpr uint64_t mutexWMask = ((1ull << 20) - 1) << 43;   // internal/poll/fd_mutex.go:34

// internal/poll/fd_mutex.go:37  Go panics with this; a panic nobody
// recovers ends the program, as throw does here.
constexpr const char* overflowMsg =
    "too many concurrent operations on a single file or socket (max 1048575)";
}  // namespace

// internal/poll/fd_mutex.go:53  Add a reference, unless closed.
bool fdMutex::incref() {
  for (;;) {                              // internal/poll/fd_mutex.go:54
    uint64_t old = state.load();          // internal/poll/fd_mutex.go:55
    if (old & mutexClosed) return false;  // internal/poll/fd_mutex.go:56-58
    uint64_t new_ = old + mutexRef;       // internal/poll/fd_mutex.go:59
    if ((new_ & mutexRefMask) == 0)
      runtime::throw_(overflowMsg);                             // internal/poll/fd_mutex.go:60-62
    if (state.compare_exchange_strong(old, new_)) return true;  // internal/poll/fd_mutex.go:63-65
  }
}

// internal/poll/fd_mutex.go:71  Mark closed and take a reference; wake every
// goroutine waiting for a lock, so that each sees the flag.  False if the
// FD was closed already.
bool fdMutex::increfAndClose() {
  for (;;) {                                         // internal/poll/fd_mutex.go:72
    uint64_t old = state.load();                     // internal/poll/fd_mutex.go:73
    if (old & mutexClosed) return false;             // internal/poll/fd_mutex.go:74-76
    uint64_t new_ = (old | mutexClosed) + mutexRef;  // internal/poll/fd_mutex.go:78
    if ((new_ & mutexRefMask) == 0)
      runtime::throw_(overflowMsg);                  // internal/poll/fd_mutex.go:79-81
    new_ &= ~(mutexRMask | mutexWMask);              // internal/poll/fd_mutex.go:83
    if (state.compare_exchange_strong(old, new_)) {  // internal/poll/fd_mutex.go:84
      while (old & mutexRMask) {                     // internal/poll/fd_mutex.go:87
        old -= mutexRWait;                           // internal/poll/fd_mutex.go:88
        runtime::poll_runtime_Semrelease(&rsema);    // internal/poll/fd_mutex.go:89
      }
      while (old & mutexWMask) {                   // internal/poll/fd_mutex.go:91
        old -= mutexWWait;                         // internal/poll/fd_mutex.go:92
        runtime::poll_runtime_Semrelease(&wsema);  // internal/poll/fd_mutex.go:93
      }
      return true;  // internal/poll/fd_mutex.go:95
    }
  }
}

// internal/poll/fd_mutex.go:102  Drop a reference; true when it was the
// last one of a closed FD, which must then be destroyed.
bool fdMutex::decref() {
  for (;;) {                      // internal/poll/fd_mutex.go:103
    uint64_t old = state.load();  // internal/poll/fd_mutex.go:104
    if ((old & mutexRefMask) == 0)
      runtime::throw_("inconsistent poll.fdMutex");  // internal/poll/fd_mutex.go:105-107
    uint64_t new_ = old - mutexRef;                  // internal/poll/fd_mutex.go:108
    if (state.compare_exchange_strong(old, new_))    // internal/poll/fd_mutex.go:109
      return (new_ & (mutexClosed | mutexRefMask)) == mutexClosed;  // internal/poll/fd_mutex.go:110
  }
}

// internal/poll/fd_mutex.go:117  Take a reference and the read (or write)
// lock, sleeping on the semaphore while another holds it.  False once
// the FD is closed.
bool fdMutex::rwlock(bool read) {
  uint64_t mutexBit, mutexWait, mutexMask;  // internal/poll/fd_mutex.go:118
  std::atomic<uint32_t>* mutexSema;         // internal/poll/fd_mutex.go:119
  if (read) {                               // internal/poll/fd_mutex.go:120
    mutexBit = mutexRLock;                  // internal/poll/fd_mutex.go:121
    mutexWait = mutexRWait;                 // internal/poll/fd_mutex.go:122
    mutexMask = mutexRMask;                 // internal/poll/fd_mutex.go:123
    mutexSema = &rsema;                     // internal/poll/fd_mutex.go:124
  } else {
    mutexBit = mutexWLock;   // internal/poll/fd_mutex.go:126
    mutexWait = mutexWWait;  // internal/poll/fd_mutex.go:127
    mutexMask = mutexWMask;  // internal/poll/fd_mutex.go:128
    mutexSema = &wsema;      // internal/poll/fd_mutex.go:129
  }
  for (;;) {                               // internal/poll/fd_mutex.go:131
    uint64_t old = state.load();           // internal/poll/fd_mutex.go:132
    if (old & mutexClosed) return false;   // internal/poll/fd_mutex.go:133-135
    uint64_t new_;                         // internal/poll/fd_mutex.go:136
    if ((old & mutexBit) == 0) {           // internal/poll/fd_mutex.go:137  free: take it
      new_ = (old | mutexBit) + mutexRef;  // internal/poll/fd_mutex.go:139
      if ((new_ & mutexRefMask) == 0)
        runtime::throw_(overflowMsg);  // internal/poll/fd_mutex.go:140-142
    } else {                           // taken: wait for it
      new_ = old + mutexWait;          // internal/poll/fd_mutex.go:145
      if ((new_ & mutexMask) == 0)
        runtime::throw_(overflowMsg);  // internal/poll/fd_mutex.go:146-148
    }
    if (state.compare_exchange_strong(old, new_)) {  // internal/poll/fd_mutex.go:150
      if ((old & mutexBit) == 0) return true;        // internal/poll/fd_mutex.go:151-153
      runtime::poll_runtime_Semacquire(mutexSema);   // internal/poll/fd_mutex.go:154
      // Whoever woke us took our mutexWait off the count; try again from
      // the top.
    }
  }
}

// internal/poll/fd_mutex.go:162  Drop the lock and the reference, waking
// one waiter; true when it was the last reference of a closed FD.
bool fdMutex::rwunlock(bool read) {
  uint64_t mutexBit, mutexWait, mutexMask;  // internal/poll/fd_mutex.go:163
  std::atomic<uint32_t>* mutexSema;         // internal/poll/fd_mutex.go:164
  if (read) {                               // internal/poll/fd_mutex.go:165
    mutexBit = mutexRLock;                  // internal/poll/fd_mutex.go:166
    mutexWait = mutexRWait;                 // internal/poll/fd_mutex.go:167
    mutexMask = mutexRMask;                 // internal/poll/fd_mutex.go:168
    mutexSema = &rsema;                     // internal/poll/fd_mutex.go:169
  } else {
    mutexBit = mutexWLock;   // internal/poll/fd_mutex.go:171
    mutexWait = mutexWWait;  // internal/poll/fd_mutex.go:172
    mutexMask = mutexWMask;  // internal/poll/fd_mutex.go:173
    mutexSema = &wsema;      // internal/poll/fd_mutex.go:174
  }
  for (;;) {                                                 // internal/poll/fd_mutex.go:176
    uint64_t old = state.load();                             // internal/poll/fd_mutex.go:177
    if ((old & mutexBit) == 0 || (old & mutexRefMask) == 0)  // internal/poll/fd_mutex.go:178
      runtime::throw_("inconsistent poll.fdMutex");          // internal/poll/fd_mutex.go:179
    uint64_t new_ = (old & ~mutexBit) - mutexRef;            // internal/poll/fd_mutex.go:182
    if (old & mutexMask) new_ -= mutexWait;                  // internal/poll/fd_mutex.go:183-185
    if (state.compare_exchange_strong(old, new_)) {          // internal/poll/fd_mutex.go:186
      if (old & mutexMask)
        runtime::poll_runtime_Semrelease(mutexSema);  // internal/poll/fd_mutex.go:187-189
      return (new_ & (mutexClosed | mutexRefMask)) == mutexClosed;  // internal/poll/fd_mutex.go:190
    }
  }
}

// internal/poll/fd_mutex.go:201  The FD's side: an error instead of false.
int FD::incref() {
  if (!fdmu.incref())
    return isFile ? ErrFileClosing : ErrNetClosing;  // internal/poll/fd_mutex.go:202-204 errClosing
  return 0;                                          // internal/poll/fd_mutex.go:205
}

// internal/poll/fd_mutex.go:211  The last reference out of a closed FD
// closes the descriptor.
int FD::decref() {
  if (fdmu.decref()) return destroy();  // internal/poll/fd_mutex.go:212-214
  return 0;                             // internal/poll/fd_mutex.go:215
}

// internal/poll/fd_mutex.go:220
int FD::readLock() {
  if (!fdmu.rwlock(true))
    return isFile ? ErrFileClosing : ErrNetClosing;  // internal/poll/fd_mutex.go:221-223
  return 0;                                          // internal/poll/fd_mutex.go:224
}

// internal/poll/fd_mutex.go:230
void FD::readUnlock() {
  if (fdmu.rwunlock(true)) destroy();  // internal/poll/fd_mutex.go:231-233
}

// internal/poll/fd_mutex.go:238
int FD::writeLock() {
  if (!fdmu.rwlock(false))
    return isFile ? ErrFileClosing : ErrNetClosing;  // internal/poll/fd_mutex.go:239-241
  return 0;                                          // internal/poll/fd_mutex.go:242
}

// internal/poll/fd_mutex.go:248
void FD::writeUnlock() {
  if (fdmu.rwunlock(false)) destroy();  // internal/poll/fd_mutex.go:249-251
}

}  // namespace internal::poll
