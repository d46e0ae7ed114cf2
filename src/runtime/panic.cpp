// panic.cpp - the fatal-error half of Go 1.19.8's runtime/panic.go: throw,
// and what every fatal error does after its first line (fatalthrow,
// startpanic_m, dopanic_m): print the stacks as GOTRACEBACK says
// (src/runtime/traceback.cpp) and end the process with status 2, or
// GOTRACEBACK=crash's SIGABRT.  A fatal signal ends the same way
// (sighandler, src/runtime/signal_unix.cpp).
//
// There are no panics here, so nothing of defer, recover or panic's
// printing is rebuilt; and no garbage collector to stop
// (freezetheworld): other Ms run on while the stacks are printed, and a
// goroutine running on one of them is shown as Go shows it then,
// "goroutine running on other thread; stack unavailable".
#include <atomic>

#include "runtime/runtime.h"
#include "runtime/signal_unix.h"

namespace runtime {

namespace {

// panic.go:1076  Ms printing a fatal error now; the last one out exits.
std::atomic<uint32_t> panicking;
// panic.go:1080  Held while one M prints, so two fatal errors do not mix.
mutex paniclk;
// panic.go:1240  Whether some M has printed the other goroutines already.
std::atomic<bool> didothers;
// panic.go:1241  Locked twice by an M that must wait forever.
mutex deadlock;

// The g whose stack this code runs on: the M's curg only if the stack
// pointer is inside curg's stack, else g0 (Go's getg(), which it keeps
// in a register; ours reads getg()'s curg and checks the stack).
g* runningg(m* mp) {
  auto sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  g* gp = mp->curg;
  if (gp != nullptr && sp >= gp->stack_lo && sp < gp->stack_hi) return gp;
  return mp->g0;
}

}  // namespace

// panic.go:1040  A fatal error of the runtime's own: print "fatal error:
// s" and every goroutine's stack, and exit with status 2.  C++ reserves
// the word throw.  A thread with no M (which Go never has) gets the
// message and the exit, with no stack to show.
void throw_(const char* s) {
  print("fatal error: %s\n", s);  // panic.go:1044
  if (getm() == nullptr) {        // not in Go: no goroutine to show
    traceFlush();
    exit(2);
  }
  fatalthrow(throwType::Runtime);  // panic.go:1047
}

// panic.go:1111  Print the stacks from throw's caller down, then exit.
// Go switches to the system stack first; ours stays on the stack it was
// called on, whose guard (StackGuard_, src/runtime/proc.cpp) leaves room.
void fatalthrow(throwType t) {
  // panic.go:1112-1113  getcallerpc, getcallersp: where throw is.  Our
  // frame holds throw's frame pointer and the return address into it.
  auto* fp = static_cast<uintptr_t*>(__builtin_frame_address(0));
  uintptr_t pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  uintptr_t sp = reinterpret_cast<uintptr_t>(fp) + 16;
  uintptr_t bp = fp[0];
  m* mp = getm();
  g* gp = runningg(mp);                  // panic.go:1114
  if (mp->throwing == throwType::None) {  // panic.go:1116
    mp->throwing = t;                     // panic.go:1117
  }
  traceFlush();  // NETPOLLTRACE=json: the timeline up to here
  startpanic_m();                    // panic.go:1123
  if (dopanic_m(gp, pc, sp, bp)) {   // panic.go:1125
    crash();                         // panic.go:1129
  }
  exit(2);  // panic.go:1132
}

// panic.go:1192  This M is going down: take paniclk, or if printing the
// last error failed, say so and go on with less.
bool startpanic_m() {
  m* mp = getm();
  // panic.go:1194-1207 left out: the heap, mallocing and m.locks, which
  // this runtime does not keep.
  switch (mp->dying) {    // panic.go:1209
    case 0:               // panic.go:1210
      mp->dying = 1;      // panic.go:1212  and print no more into a Stack buffer
      panicking.fetch_add(1);  // panic.go:1213
      lock(&paniclk);          // panic.go:1214
      // panic.go:1215-1218 left out: schedtrace, and stopping the world
      // (freezetheworld): nothing here stops the other Ms.
      return true;  // panic.go:1219
    case 1:         // panic.go:1220  failed while printing: stacks only
      mp->dying = 2;                  // panic.go:1223
      print("panic during panic\n");  // panic.go:1224
      return false;                   // panic.go:1225
    case 2:  // panic.go:1226  failed even so
      mp->dying = 3;                       // panic.go:1229
      print("stack trace unavailable\n");  // panic.go:1230
      exit(4);                             // panic.go:1231
    default:                               // panic.go:1233
      exit(5);                             // panic.go:1235
  }
}

// panic.go:1243  Print the fault (if a signal caused this), gp's stack
// from pc, sp (and our frame pointer bp), and everyone else's when
// GOTRACEBACK or a runtime throw asks; reports whether to crash.
bool dopanic_m(g* gp, uintptr_t pc, uintptr_t sp, uintptr_t bp) {
  if (gp->sig != 0) {                       // panic.go:1244
    const char* signame_ = signame(gp->sig);  // panic.go:1245
    if (signame_[0] != 0) {                   // panic.go:1246  signame != ""
      print("[signal %s", signame_);        // panic.go:1247
    } else {
      print("[signal %#x", gp->sig);  // panic.go:1249
    }
    print(" code=%#lx addr=%#lx pc=%#lx]\n", static_cast<unsigned long>(gp->sigcode0),
          static_cast<unsigned long>(gp->sigcode1),
          static_cast<unsigned long>(gp->sigpc));  // panic.go:1251
  }
  int32_t level;
  bool all, docrash;
  gotraceback(&level, &all, &docrash);  // panic.go:1254
  m* mp = getm();                       // panic.go:1255  _g_ := getg(), ours the M
  if (level > 0) {                      // panic.go:1256
    if (gp != gp->mp->curg) {           // panic.go:1257
      all = true;                       // panic.go:1258
    }
    if (gp != gp->mp->g0) {             // panic.go:1260
      print("\n");                      // panic.go:1261
      goroutineheader(gp);              // panic.go:1262
      traceback(pc, sp, bp, gp);        // panic.go:1263
    } else if (level >= 2 || mp->throwing >= throwType::Runtime) {  // panic.go:1264
      print("\nruntime stack:\n");     // panic.go:1265
      traceback(pc, sp, bp, gp);       // panic.go:1266
    }
    bool no = false;
    if (all && didothers.compare_exchange_strong(no, true)) {  // panic.go:1268-1269
      tracebackothers(gp);                                     // panic.go:1270
    }
  }
  unlock(&paniclk);  // panic.go:1273
  if (panicking.fetch_sub(1) - 1 != 0) {  // panic.go:1275  another M is printing:
    lock(&deadlock);                      // panic.go:1280  let it exit for both
    lock(&deadlock);                      // panic.go:1281
  }
  // panic.go:1284 left out: printDebugLog.
  return docrash;  // panic.go:1286
}

}  // namespace runtime
