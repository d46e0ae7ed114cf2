// mprof.cpp - runtime.Stack, from Go 1.19.8's runtime/mprof.go (the rest of
// that file, the memory, block and mutex profiles, is not rebuilt).
#include "runtime/runtime.h"

namespace runtime {

// mprof.go:1193  The calling goroutine's stack, formatted as a fatal error
// prints it but at GOTRACEBACK=single (runtime frames hidden), into buf;
// with all, every other goroutine's after it.  Returns the bytes written
// (at most len).  Go stops the world first for all; nothing here can, so
// a goroutine running on another M is reported as running, its stack
// unavailable.
int32_t Stack(char* buf, int32_t len, bool all) {
  // mprof.go:1194-1196 left out: stopTheWorld.
  int32_t n = 0;                 // mprof.go:1198
  if (len > 0) {                 // mprof.go:1199
    m* mp = getm();
    g* gp = mp->curg;            // mprof.go:1200
    // mprof.go:1201-1202  getcallersp, getcallerpc: our frame holds the
    // caller's frame pointer and the return address into it.
    auto* fp = static_cast<uintptr_t*>(__builtin_frame_address(0));
    uintptr_t sp = reinterpret_cast<uintptr_t>(fp) + 16;
    uintptr_t pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
    g* g0 = mp->g0;                                      // mprof.go:1204
    mp->traceback = 1;                                   // mprof.go:1208
    g0->writebuf = {buf, 0, static_cast<uint32_t>(len)};  // mprof.go:1209
    goroutineheader(gp);                                 // mprof.go:1210
    traceback(pc, sp, fp[0], gp);                        // mprof.go:1211
    if (all) {                                           // mprof.go:1212
      tracebackothers(gp);                               // mprof.go:1213
    }
    mp->traceback = 0;                          // mprof.go:1215
    n = static_cast<int32_t>(g0->writebuf.len);  // mprof.go:1216
    g0->writebuf = {nullptr, 0, 0};             // mprof.go:1217
  }
  // mprof.go:1221-1223 left out: startTheWorld.
  return n;  // mprof.go:1224
}

}  // namespace runtime
