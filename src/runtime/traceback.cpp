// traceback.cpp - the printing half of Go 1.19.8's runtime/traceback.go:
// a goroutine's stack as Go prints it when a program dies (throw, SIGQUIT,
// a fault) and for runtime::Stack,
//
//	goroutine 7 [IO wait]:
//	runtime.gopark(...)
//		/path/src/runtime/proc.cpp:1101 +0x8d fp=0x7f.. sp=0x7f.. pc=0x55..
//	internal/poll.(*FD).Read(...)
//		/path/src/internal/poll/fd_unix.cpp:160 +0x1fe
//	...
//	created by main.serve
//		/path/src/cmd/demo.cpp:74 +0x5c
//
// Each frame names the Go function ours rebuilds (src/runtime/symtab.cpp
// says how), and the file and line are ours: the line of our code that
// made the call, because that is the line this program ran, the one gdb
// stops on and a reader can open; its comment cites the Go line it
// rebuilds.  The arguments are not known here (Go reads them from each
// frame's argument map; a C++ frame has none to read), so every frame
// prints `(...)`, which is how Go prints a frame it cannot show the
// arguments of (an inlined one).
//
// Go walks a stack with the frame sizes its linker records for every pc.
// Ours walks the frame-pointer chain: every C++ function here keeps one
// (the Makefile's -fno-omit-frame-pointer, as Go's amd64 frames keep BP),
// rbp pointing at the caller's rbp with the return address just above.
// The system-call stubs have no frame: a signal that stops one finds its
// return address at rsp.  A goroutine that is not running is walked from
// what gosave_gogo left on its stack (asm/asm_amd64.asm).
//
// Left out: printing into a pc buffer (callers, gcallers: nothing here
// needs them), cgo tracebacks, inlined frames (an -O0 build has none),
// ancestors (GODEBUG=tracebackancestors), wrappers, system goroutines (this
// runtime starts none) and the hex dump of a bad stack.
#include "runtime/runtime.h"

extern "C" {
void goexit();   // asm/asm_amd64.asm: every goroutine's outermost return address
void gostart();  // asm/asm_amd64.asm: where a goroutine that never ran resumes
}

namespace runtime {

namespace {

constexpr int TracebackMaxFrames = 100;  // runtime2.go:1032  _TracebackMaxFrames
constexpr unsigned TraceRuntimeFrames = 1 << 0;  // runtime2.go:1026  include runtime frames
constexpr unsigned TraceTrap = 1 << 1;           // runtime2.go:1027  the initial pc is a trap's

// A frame being printed (Go's stkframe, the fields printing reads).
struct stkframe {
  uintptr_t pc, sp, fp;
};

bool within(uintptr_t p, uintptr_t lo, uintptr_t hi) { return p >= lo && p + 16 <= hi; }

// Whether f keeps no frame of its own at pc: a system-call stub (they push
// nothing), or a C++ function stopped before its prologue saved rbp.
bool frameless(const funcInfo& f, uintptr_t pc) {
  char file[256];
  funcline(f, f.entry, file, sizeof file);
  size_t n = 0;
  while (file[n] != 0) n++;
  bool asm_ = n > 4 && file[n - 4] == '.' && file[n - 3] == 'a' && file[n - 2] == 's' && file[n - 1] == 'm';
  return asm_ || pc == f.entry;
}

// traceback.go:33  Print gp's frames from pc0 (sp0, bp0: its stack and
// frame pointers), at most max; returns how many it printed.  With pcbuf,
// print nothing: store the frames' pcs there, the first skip left out, and
// return how many it stored (what callers and gcallers ask for).
int gentraceback(uintptr_t pc0, uintptr_t sp0, uintptr_t bp0, g* gp, int skip, uintptr_t* pcbuf,
                 int max, unsigned flags) {
  int32_t level;
  bool all, crash;
  gotraceback(&level, &all, &crash);  // traceback.go:55
  stkframe frame{pc0, sp0, 0};
  uintptr_t bp = bp0;
  uintptr_t lo = gp->stack_lo, hi = gp->stack_hi;
  bool fresh = false;  // a goroutine that has not run yet
  if (pc0 == ~uintptr_t{0} && sp0 == ~uintptr_t{0}) {  // traceback.go:59  gp's saved state
    // gosave_gogo left, from sched.sp up: the control words, r15, r14, r13,
    // r12, rbx, rbp, and the return address.  The return address is in mcall
    // (or is gostart, for a g that never ran); Go's mcall saves its caller's
    // pc and sp instead, so Go's walk starts one frame up, in gopark: so
    // does ours.
    auto* s = reinterpret_cast<uintptr_t*>(gp->sched.sp);
    if (!within(gp->sched.sp, lo, hi)) return 0;
    if (s[7] == reinterpret_cast<uintptr_t>(&gostart)) {
      // Never run: its function, at its first instruction, returning to goexit.
      frame = {reinterpret_cast<uintptr_t>(gp->fn), gp->sched.sp + 64, 0};
      bp = 0;
      fresh = true;
    } else {
      uintptr_t mcallbp = s[6];
      if (!within(mcallbp, lo, hi)) return 0;
      auto* f = reinterpret_cast<uintptr_t*>(mcallbp);
      frame = {f[1], mcallbp + 16, 0};
      bp = f[0];
    }
  }
  funcInfo f = findfunc(frame.pc);  // traceback.go:114
  if (!f.valid()) {                 // traceback.go:115
    print("runtime: g %ld: unknown pc %#lx\n", static_cast<long>(gp->goid),
          static_cast<unsigned long>(frame.pc));  // traceback.go:117
    return 0;  // traceback.go:123
  }
  int n = 0, nprint = 0;
  bool waspanic = false;
  while (n < max) {  // traceback.go:131
    // The caller, and this frame's fp (the caller's sp): from the stack
    // at rsp for a frameless stop, else from the frame-pointer chain.
    uintptr_t callerpc = 0, callersp = 0, callerbp = 0;
    char name[256];
    bool twin;
    funcname(f, name, sizeof name, &twin);
    // traceback.go:209  The top of the stack: goexit, or an M's mstart,
    // the functions Go marks TOPFRAME.
    bool top = __builtin_strcmp(name, "runtime.goexit") == 0 || __builtin_strcmp(name, "runtime.mstart") == 0;
    if (fresh) {
      callerpc = reinterpret_cast<uintptr_t>(&goexit) + 1;
      callersp = frame.sp;
    } else if (n == 0 && (flags & TraceTrap) != 0 && frameless(f, frame.pc)) {
      if (within(frame.sp, lo, hi)) {
        callerpc = *reinterpret_cast<uintptr_t*>(frame.sp);
        callersp = frame.sp + 8;
        callerbp = bp;
      }
    } else if (bp != 0 && within(bp, lo, hi) && bp >= frame.sp - 16) {
      auto* fp = reinterpret_cast<uintptr_t*>(bp);
      callerpc = fp[1];
      callersp = bp + 16;
      callerbp = fp[0];
    }
    frame.fp = callersp != 0 ? callersp : frame.sp + 8;  // the top: where its caller's sp would be
    // traceback.go:415  A return address is the instruction after the
    // call: back up into the call for its line.  Not for a trap's pc, nor
    // after sigpanic, whose "return address" is the faulting instruction.
    uintptr_t tracepc = frame.pc;
    if ((n > 0 || (flags & TraceTrap) == 0) && frame.pc > f.entry && !waspanic) {
      tracepc--;  // traceback.go:417
    }
    if (pcbuf != nullptr) {  // record the frame, as traceback.go's "main frame"
      if (skip > 0) {          // traceback.go:396
        skip--;                // traceback.go:397
      } else {
        pcbuf[nprint++] = frame.pc;  // traceback.go:399
        if (nprint == max) break;
      }
    } else if ((flags & TraceRuntimeFrames) != 0 || showframe(f, gp, nprint == 0)) {  // traceback.go:447
      char file[256];
      int32_t line = funcline(f, tracepc, file, sizeof file);  // traceback.go:453
      print("%s(...)\n", name);                            // traceback.go:457-460
      print("\t%s:%d", file, line);                        // traceback.go:461
      if (frame.pc > f.entry) {                            // traceback.go:462
        print(" +%#lx", static_cast<unsigned long>(frame.pc - f.entry));  // traceback.go:463
      }
      m* gm = gp->mp;
      if ((gm != nullptr && gm->throwing >= throwType::Runtime && gp == gm->curg) ||
          level >= 2) {                                                      // traceback.go:465
        print(" fp=%#lx sp=%#lx pc=%#lx", static_cast<unsigned long>(frame.fp),
              static_cast<unsigned long>(frame.sp),
              static_cast<unsigned long>(frame.pc));  // traceback.go:466
      }
      print("\n");  // traceback.go:468
      nprint++;     // traceback.go:469
    }
    n++;
    waspanic = __builtin_strcmp(name, "runtime.sigpanic") == 0;  // traceback.go:487
    if (top || callerpc == 0) {  // traceback.go:491  no caller: the bottom of the stack
      break;                     // traceback.go:492
    }
    fresh = false;
    frame = {callerpc, callersp, 0};
    bp = callerbp;
    f = findfunc(frame.pc);
    if (!f.valid()) break;
  }
  if (pcbuf != nullptr) return nprint;  // traceback.go:575  n, the frames stored
  return (n == max && f.valid()) ? max : nprint;
}

}  // namespace

// traceback.go:919  The pcs of the calling goroutine's frames, from its
// caller's caller, skip of them left out: for the execution tracer's stacks.
__attribute__((noinline)) int callers(int skip, uintptr_t* pcbuf, int max) {
  auto* fp = static_cast<uintptr_t*>(__builtin_frame_address(0));
  uintptr_t sp = reinterpret_cast<uintptr_t>(fp) + 16;  // traceback.go:920  getcallersp
  uintptr_t pc = fp[1];                                 // traceback.go:921  getcallerpc
  g* gp = getg();
  if (gp == nullptr) return 0;  // not in Go: on g0, or a thread with no g
  return gentraceback(pc, sp, fp[0], gp, skip, pcbuf, max, 0);  // traceback.go:925
}

// traceback.go:930  The same for gp, parked: from where it will resume.
int gcallers(g* gp, int skip, uintptr_t* pcbuf, int max) {
  return gentraceback(~uintptr_t{0}, ~uintptr_t{0}, 0, gp, skip, pcbuf, max, 0);  // traceback.go:931
}

// traceback.go:780  "created by" and where, for every goroutine but main's.
void printcreatedby(g* gp) {
  uintptr_t pc = gp->gopc;                                      // traceback.go:782
  funcInfo f = findfunc(pc);                                    // traceback.go:783
  if (f.valid() && showframe(f, gp, false) && gp->goid != 1) {  // traceback.go:784
    printcreatedby1(f, pc);                                     // traceback.go:785
  }
}

// traceback.go:789
void printcreatedby1(funcInfo f, uintptr_t pc) {
  char name[256];
  print("created by %s\n", funcname(f, name, sizeof name, nullptr));  // traceback.go:790
  uintptr_t tracepc = pc;   // traceback.go:791  back up into the call
  if (pc > f.entry) {       // traceback.go:792
    tracepc -= 1;           // traceback.go:793
  }
  char file[256];
  int32_t line = funcline(f, tracepc, file, sizeof file);  // traceback.go:795
  print("\t%s:%d", file, line);                            // traceback.go:796
  if (pc > f.entry) {                                      // traceback.go:797
    print(" +%#lx", static_cast<unsigned long>(pc - f.entry));  // traceback.go:798
  }
  print("\n");  // traceback.go:800
}

// traceback.go:803  gp's stack from pc, sp (and bp, our frame pointer);
// all ~0 for gp's saved state.
void traceback(uintptr_t pc, uintptr_t sp, uintptr_t bp, g* gp) {
  traceback1(pc, sp, bp, gp, 0);  // traceback.go:804
}

// traceback.go:815  As traceback, for a pc a signal stopped: not a return
// address, so not backed up into a call.
void tracebacktrap(uintptr_t pc, uintptr_t sp, uintptr_t bp, g* gp) {
  // traceback.go:816-820 left out: m.libcallsp, a C call's saved state on
  // systems that make system calls through libc.
  traceback1(pc, sp, bp, gp, TraceTrap);  // traceback.go:821
}

// traceback.go:824
void traceback1(uintptr_t pc, uintptr_t sp, uintptr_t bp, g* gp, unsigned flags) {
  // traceback.go:826-846 left out: cgo's traceback; and a goroutine in a
  // system call (Gsyscall), a status no goroutine here takes.
  if (gp->mp != nullptr && gp->mp->vdsoSP != 0 && pc != ~uintptr_t{0}) {  // traceback.go:847
    // In the vDSO (nanotime1): walk from where the goroutine called it.
    pc = gp->mp->vdsoPC;  // traceback.go:850
    sp = gp->mp->vdsoSP;  // traceback.go:851
    flags &= ~TraceTrap;  // traceback.go:852
  }
  // By default, omit runtime frames; if that prints nothing at all, print
  // them all instead.
  int n = gentraceback(pc, sp, bp, gp, 0, nullptr, TracebackMaxFrames, flags);  // traceback.go:857
  if (n == 0 && (flags & TraceRuntimeFrames) == 0) {                // traceback.go:858
    n = gentraceback(pc, sp, bp, gp, 0, nullptr, TracebackMaxFrames, flags | TraceRuntimeFrames);  // traceback.go:859
  }
  if (n == TracebackMaxFrames) {                  // traceback.go:861
    print("...additional frames elided...\n");    // traceback.go:862
  }
  printcreatedby(gp);  // traceback.go:864
  // traceback.go:866-871 left out: ancestors.
}

// traceback.go:936  Whether to print a frame: all of the goroutine a fatal
// error or signal stopped, else as showfuncinfo says.
bool showframe(funcInfo f, g* gp, bool firstFrame) {
  m* mp = getm();
  if (mp != nullptr && mp->throwing >= throwType::Runtime && gp != nullptr &&
      (gp == mp->curg || gp == mp->caughtsig)) {  // traceback.go:938
    return true;                                  // traceback.go:939
  }
  return showfuncinfo(f, firstFrame);  // traceback.go:941
}

// traceback.go:946  At level 2 every frame; else those of Go functions
// outside the runtime, and the runtime's exported ones (runtime.Gosched).
// A name with no dot, which C++ names of functions with no Go twin are,
// is never one of them.
bool showfuncinfo(funcInfo f, bool firstFrame) {
  (void)firstFrame;
  int32_t level;
  bool all, crash;
  gotraceback(&level, &all, &crash);  // traceback.go:950
  if (level > 1) {                    // traceback.go:951
    return true;                      // traceback.go:953
  }
  if (!f.valid()) {  // traceback.go:956
    return false;    // traceback.go:957
  }
  // traceback.go:960-962 left out: wrappers; traceback.go:971-973:
  // runtime.gopanic, as there are no panics.
  char name[256];
  funcname(f, name, sizeof name, nullptr);  // traceback.go:964
  bool dot = false;
  for (const char* p = name; *p != 0; p++) dot = dot || *p == '.';
  bool runtime_ = name[0] == 'r' && __builtin_strncmp(name, "runtime.", 8) == 0;
  return dot && (!runtime_ || isExportedRuntime(name));  // traceback.go:975
}

// traceback.go:980  runtime.Name, Name capitalised.
bool isExportedRuntime(const char* name) {
  constexpr int n = 8;  // traceback.go:981  len("runtime.")
  return __builtin_strncmp(name, "runtime.", n) == 0 && name[n] >= 'A' && name[n] <= 'Z';  // traceback.go:982
}

namespace {

// traceback.go:993  What goroutineheader prints for each status.
const char* const gStatusStrings[] = {
    "idle",       // traceback.go:994  Gidle
    "runnable",   // traceback.go:995
    "running",    // traceback.go:996
    "syscall",    // traceback.go:997
    "waiting",    // traceback.go:998
    "dead",       // traceback.go:999
    "copystack",  // traceback.go:1000
    "preempted",  // traceback.go:1001
};

}  // namespace

// traceback.go:1004  "goroutine 7 [IO wait]:", the wait reason in place of
// "waiting", and how long it has waited once that is a minute or more.
void goroutineheader(g* gp) {
  uint32_t gpstatus = gp->atomicstatus.load();  // traceback.go:1005
  // traceback.go:1007-1008 left out: the GC's scan bit, never set here.
  const char* status;                                            // traceback.go:1011
  if (gpstatus < sizeof gStatusStrings / sizeof gStatusStrings[0]) {  // traceback.go:1012
    status = gStatusStrings[gpstatus];                           // traceback.go:1013
  } else {
    status = "???";  // traceback.go:1015
  }
  if (gpstatus == Gwaiting && gp->waitreason.load() != waitReason::zero) {  // traceback.go:1019
    status = waitReasonString(gp->waitreason.load());                        // traceback.go:1020
  }
  int64_t waitfor = 0;                                       // traceback.go:1024
  if (gpstatus == Gwaiting && gp->waitsince != 0) {          // traceback.go:1025  (no Gsyscall here)
    waitfor = (nanotime() - gp->waitsince) / 60000000000;    // traceback.go:1026
  }
  print("goroutine %ld [%s", static_cast<long>(gp->goid), status);  // traceback.go:1028
  if (waitfor >= 1) {                                              // traceback.go:1032
    print(", %ld minutes", static_cast<long>(waitfor));            // traceback.go:1033
  }
  // traceback.go:1035-1037 left out: locked to a thread (LockOSThread).
  print("]:\n");  // traceback.go:1038
}

// traceback.go:1041  Every goroutine but me: this M's own first, then the
// rest in the order they were made.  One running on another M is not
// stopped to be read (Go would have frozen the world; here nothing
// does): it is said to be running, and where it was created.
void tracebackothers(g* me) {
  int32_t level;
  bool all, crash;
  gotraceback(&level, &all, &crash);  // traceback.go:1042
  m* mp = getm();
  g* curgp = mp != nullptr ? mp->curg : nullptr;  // traceback.go:1045
  if (curgp != nullptr && curgp != me) {          // traceback.go:1046
    print("\n");                                  // traceback.go:1047
    goroutineheader(curgp);                       // traceback.go:1048
    traceback(~uintptr_t{0}, ~uintptr_t{0}, 0, curgp);  // traceback.go:1049
  }
  // traceback.go:1059  Without allglock (the process may be dying with it
  // held): each g loaded atomically, as forEachGRace loads it.
  for (g* gp = __atomic_load_n(&allg_head, __ATOMIC_ACQUIRE); gp != nullptr;
       gp = __atomic_load_n(&gp->alllink, __ATOMIC_ACQUIRE)) {  // proc.go:591
    if (gp == me || gp == curgp || gp->atomicstatus.load() == Gdead) {  // traceback.go:1060
      // traceback.go:1061  return, from Go's loop body
      continue;
    }
    print("\n");          // traceback.go:1063
    goroutineheader(gp);  // traceback.go:1064
    if (gp->atomicstatus.load() == Grunning && (gp->mp == nullptr || gp->mp != mp)) {  // traceback.go:1069
      print("\tgoroutine running on other thread; stack unavailable\n");  // traceback.go:1070
      printcreatedby(gp);                                                 // traceback.go:1071
    } else {
      traceback(~uintptr_t{0}, ~uintptr_t{0}, 0, gp);  // traceback.go:1073
    }
  }
}

}  // namespace runtime
