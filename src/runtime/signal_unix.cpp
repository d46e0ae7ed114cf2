// signal_unix.cpp - twin of the parts of Go 1.19.8's runtime/signal_unix.go
// that a program without os/signal and without a CPU profiler uses: the
// handlers the runtime installs for every signal in sigtable (initsig),
// what its handler does with each (sighandler), how a process dies of a
// signal as a shell expects (dieFromSignal), what happens to a signal that
// lands on a thread with no M (badsignal, raisebadsignal), and each M's
// signal stack and mask (minitSignals).  Functions are in Go's order.
//
// So, as in Go: SIGPIPE is caught and ignored, and the write that raised
// it returns EPIPE (os_sigpipe ends the process for fd 1 and 2 only);
// SIGQUIT prints every goroutine's stack and exits with status 2; SIGINT,
// SIGTERM and SIGHUP end the process by the signal itself; SIGURG is
// caught and ignored; a fault in a goroutine prints the stacks too.
//
// What differs, and why:
//  - Nothing here asks for signals (os/signal), so sigsend always
//    declines (src/runtime/sigqueue.cpp) and no signal thread is started.
//  - No async preemption: Go sends SIGURG to preempt a goroutine that has
//    run 10 ms; nothing here preempts, so SIGURG is only ever the
//    kernel's, and is ignored as its SigIgn flag says.  (preemptM,
//    doSigPreempt left out.)
//  - No CPU profiler (SIGPROF is caught and dropped), no SIGTRAP test hook,
//    no fork hooks (signalDuringFork), no c-archive or c-shared builds.
//  - Our program is linked with glibc, whose threads own signals 32 and
//    33 (SIGCANCEL, SIGSETXID) and whose threads may have no M: ours does
//    what Go does when cgo is linked in (iscgo) in those places, and says
//    so at each.
//  - No extra Ms (needm/dropm): a signal on a thread with no M takes
//    raisebadsignal's path at once.
//  - No panics: a fault turns into a throw, as Go's does in runtime code
//    (sigpanic).
#include <atomic>

#include "runtime/runtime.h"
#include "runtime/signal_unix.h"

namespace runtime {

// signal_unix.go:27  os.sigpipe: the os package's File.Write found EPIPE
// on fd 1 or 2 (src/os/file.cpp's epipecheck).  Go runs sigpipe on the
// system stack; ours needs no switch.
void os_sigpipe() {
  sigpipe();  // signal_unix.go:28
}

// signal_unix.go:31  The name Go prints for sig, "" past the table.
const char* signame(uint32_t sig) {
  if (sig >= NSIG_) return "";  // signal_unix.go:32-34
  return sigtable[sig].name;    // signal_unix.go:35
}

namespace {

// signal_unix.go:73  The signal Go preempts goroutines with.  Named here
// because blockableSig and the table mention it; nothing sends it.
constexpr uint32_t sigPreempt = SIGURG_;

// signal_unix.go:82  The handler each signal had before initsig, to
// forward to when ours does not want it (sigfwdgo), read by the handler.
std::atomic<uintptr_t> fwdSig[NSIG_];

// signal_unix.go:88  Whether ours is the handler installed for the signal.
std::atomic<uint32_t> handlingSig[NSIG_];

// signal_unix.go:107  Set once the runtime may take signals.
std::atomic<bool> signalsOK;

}  // namespace

// signal_unix.go:114  Install the runtime's handler for every signal in
// sigtable it handles, remembering the one it replaces.  Called once, by
// the first run's m0 (mstartm0).
void initsig(bool preinit) {
  if (!preinit) {            // signal_unix.go:115
    signalsOK.store(true);   // signal_unix.go:117
  }
  // signal_unix.go:122-124 left out: c-archive and c-shared builds.
  for (uint32_t i = 0; i < NSIG_; i++) {                              // signal_unix.go:126
    const sigTabT* t = &sigtable[i];                                  // signal_unix.go:127
    if (t->flags == 0 || (t->flags & SigDefault) != 0) continue;  // signal_unix.go:128-130
    fwdSig[i].store(getsig(i));                                       // signal_unix.go:134
    if (!sigInstallGoHandler(i)) {                                    // signal_unix.go:136
      // Not ours to handle: make the other handler run on the signal
      // stack, or remember that the signal is ignored.
      if (fwdSig[i].load() != SIG_DFL_ && fwdSig[i].load() != SIG_IGN_) {  // signal_unix.go:139
        setsigstack(i);                                                    // signal_unix.go:140
      } else if (fwdSig[i].load() == SIG_IGN_) {                           // signal_unix.go:141
        sigInitIgnored(i);                                                 // signal_unix.go:142
      }
      continue;  // signal_unix.go:144
    }
    handlingSig[i].store(1);   // signal_unix.go:147
    setsig(i, sighandlerPC());  // signal_unix.go:148
  }
}

// signal_unix.go:154  Whether the runtime takes sig for itself.
bool sigInstallGoHandler(uint32_t sig) {
  switch (sig) {                                    // signal_unix.go:158
    case SIGHUP_:                                   // signal_unix.go:159
    case SIGINT_:                                   // a process started ignoring these
      if (fwdSig[sig].load() == SIG_IGN_) return false;  // signal_unix.go:160-162
      break;                                             //   (nohup's) goes on ignoring them
  }
  // signal_unix.go:165-170 left out: Go's programs without cgo take
  // signal 33, glibc's per-thread-syscall signal, for the same purpose;
  // ours are linked with glibc, whose pthreads need it, so it stays
  // glibc's, as in a Go program with cgo (!iscgo is false).
  const sigTabT* t = &sigtable[sig];         // signal_unix.go:172
  if ((t->flags & SigSetStack) != 0) {       // signal_unix.go:173
    return false;                            // signal_unix.go:174
  }
  // signal_unix.go:179-181 left out: c-archive and c-shared builds.
  return true;  // signal_unix.go:183
}

// signal_unix.go:333  A write to fd 1 or 2 found its reader gone: die of
// SIGPIPE, as a Unix program that did not catch it would, unless the
// program ignores SIGPIPE or asked for it (never, here).
void sigpipe() {
  if (signal_ignored(SIGPIPE_) || sigsend(SIGPIPE_)) {  // signal_unix.go:334
    return;                                             // signal_unix.go:335
  }
  dieFromSignal(SIGPIPE_);  // signal_unix.go:337
}

// signal_unix.go:398  The g the signal interrupted.  Go reads its g
// register.  Ours has none: the M's curg if the interrupted stack pointer
// lies in curg's stack; otherwise the M's g0 (the thread's own stack,
// where the scheduler, netpoll and sysmon run); nullptr on a thread with
// no M.
g* sigFetchG(sigctxt* c) {
  m* mp = getm();
  if (mp == nullptr) return nullptr;
  g* gp = mp->curg;
  uintptr_t sp = c->sigsp();
  if (gp != nullptr && sp >= gp->stack_lo && sp < gp->stack_hi) return gp;
  return mp->g0;  // signal_unix.go:417  getg()
}

// signal_unix.go:431  Called by sigtramp, on the gsignal stack, with every
// signal blocked (setsig's mask).
extern "C" void sigtrampgo(uint32_t sig, siginfo* info, void* ctx) {
  if (sigfwdgo(sig, info, ctx)) {  // signal_unix.go:432
    return;                        // signal_unix.go:433
  }
  sigctxt c{info, ctx};    // signal_unix.go:435
  g* gp = sigFetchG(&c);   // signal_unix.go:436
  if (gp == nullptr) {     // signal_unix.go:438  a thread with no M
    if (sig == SIGPROF_) { // signal_unix.go:439
      return;              // signal_unix.go:445  no CPU profiler here
    }
    // signal_unix.go:447-459 left out: a preemption signal; none is sent.
    badsignal(sig, &c);  // signal_unix.go:461
    return;              // signal_unix.go:462
  }
  // signal_unix.go:465-476 left out: Go switches its g register to
  // gsignal, and checks that the handler runs on a stack it knows; ours
  // has no g register, and the kernel put us on the stack minit chose.
  sighandler(sig, info, ctx, gp);  // signal_unix.go:479
}

namespace {

// signal_unix.go:589  How many Ms have printed their stacks for
// GOTRACEBACK=crash.
std::atomic<int32_t> crashing;

}  // namespace

// signal_unix.go:595
bool (*testSigusr1)(g* gp);

// signal_unix.go:608  What to do with sig, which interrupted gp; on the
// gsignal stack.  Returns when the program goes on.
void sighandler(uint32_t sig, siginfo* info, void* ctxt, g* gp) {
  m* mp = getm();        // signal_unix.go:611  _g_.m
  sigctxt c{info, ctxt};  // signal_unix.go:610
  // signal_unix.go:623 left out: signals ThreadSanitizer delayed; ours
  // never go through TSan's wrapper (rt_sigaction).
  if (sig == SIGPROF_) {  // signal_unix.go:625
    return;               // signal_unix.go:631  no CPU profiler here
  }
  // signal_unix.go:634-636 left out: the SIGTRAP test hook.
  if (sig == SIGUSR1_ && testSigusr1 != nullptr && testSigusr1(gp)) {  // signal_unix.go:638
    return;                                                              // signal_unix.go:639
  }
  // signal_unix.go:642-649 left out: signal 33 is glibc's (sigInstallGoHandler).
  // signal_unix.go:651-657 left out: no async preemption, so a SIGURG
  // is never a preemption request; below, it is ignored (SigIgn).
  int32_t flags = SigThrow;   // signal_unix.go:659
  if (sig < NSIG_) {           // signal_unix.go:660
    flags = sigtable[sig].flags;  // signal_unix.go:661
  }
  // signal_unix.go:663-672 left out: no split stacks (throwsplit), and
  // no abort() that faults on purpose (isAbortPC).
  if (c.sigcode() != SI_USER_ && (flags & SigPanic) != 0) {  // signal_unix.go:673
    // A fault in the code gp ran: make it look as though that code
    // called sigpanic, and return into it.
    gp->sig = sig;                                    // signal_unix.go:682
    gp->sigcode0 = static_cast<uintptr_t>(c.sigcode());  // signal_unix.go:683
    gp->sigcode1 = c.fault();                         // signal_unix.go:684
    gp->sigpc = c.sigpc();                            // signal_unix.go:685
    c.preparePanic(sig, gp);                          // signal_unix.go:687
    return;                                           // signal_unix.go:688
  }
  if (c.sigcode() == SI_USER_ || (flags & SigNotify) != 0) {  // signal_unix.go:691
    if (sigsend(sig)) {                                        // signal_unix.go:692
      return;                                                  // signal_unix.go:693
    }
  }
  if (c.sigcode() == SI_USER_ && signal_ignored(sig)) {  // signal_unix.go:697
    return;                                              // signal_unix.go:698
  }
  if ((flags & SigKill) != 0) {  // signal_unix.go:701
    dieFromSignal(sig);          // signal_unix.go:702
  }
  // Neither thrown nor a fault from a kill: ignore it (SIGPIPE, SIGURG,
  // SIGCHLD, SIGWINCH, SIGUSR1 ...).
  if ((flags & (SigThrow | SigPanic)) == 0) {  // signal_unix.go:709
    return;                                     // signal_unix.go:710
  }
  mp->throwing = throwType::Runtime;  // signal_unix.go:713
  mp->caughtsig = gp;                 // signal_unix.go:714
  if (crashing.load() == 0) {         // signal_unix.go:716
    startpanic_m();                   // signal_unix.go:717
  }
  if (sig < NSIG_) {                   // signal_unix.go:720
    print("%s\n", sigtable[sig].name);  // signal_unix.go:721
  } else {
    print("Signal %u\n", sig);  // signal_unix.go:723
  }
  print("PC=%#lx m=%ld sigcode=%lu\n", static_cast<unsigned long>(c.sigpc()),
        static_cast<long>(mp->id), static_cast<unsigned long>(c.sigcode()));  // signal_unix.go:726
  // signal_unix.go:727-732 left out: a signal during a cgo call.
  if (sig == SIGILL_ || sig == SIGFPE_) {  // signal_unix.go:733
    // The instruction, as 16 bytes, without reading past its page.
    constexpr uintptr_t maxN = 16;                     // signal_unix.go:738
    uintptr_t n = maxN;                                // signal_unix.go:739
    uintptr_t pc = c.sigpc();                          // signal_unix.go:746
    constexpr uintptr_t physPageSize = 4096;
    if (n > physPageSize - pc % physPageSize) {        // signal_unix.go:747
      n = physPageSize - pc % physPageSize;            // signal_unix.go:748
    }
    print("instruction bytes:");                       // signal_unix.go:750
    auto* b = reinterpret_cast<const uint8_t*>(pc);    // signal_unix.go:751
    for (uintptr_t i = 0; i < n; i++) {                // signal_unix.go:752
      print(" %#x", b[i]);                             // signal_unix.go:753
    }
    // signal_unix.go:755  println()
    print("\n");
  }
  print("\n");  // signal_unix.go:757
  int32_t level;
  bool all, docrash;
  gotraceback(&level, &all, &docrash);  // signal_unix.go:759
  if (level > 0) {                      // signal_unix.go:760
    goroutineheader(gp);                                  // signal_unix.go:761
    tracebacktrap(c.sigpc(), c.sigsp(), c.rbp(), gp);     // signal_unix.go:762
    if (crashing.load() > 0 && gp != mp->curg && mp->curg != nullptr &&
        mp->curg->atomicstatus.load() == Grunning) {      // signal_unix.go:763
      // The M was on g0 with a goroutine running; the first M could not
      // see that goroutine's stack.
      goroutineheader(mp->curg);                          // signal_unix.go:765
      traceback(~uintptr_t{0}, ~uintptr_t{0}, 0, mp->curg);  // signal_unix.go:766
    } else if (crashing.load() == 0) {                    // signal_unix.go:767
      tracebackothers(gp);                                // signal_unix.go:768
      print("\n");                                        // signal_unix.go:769
    }
    dumpregs(&c);  // signal_unix.go:771
  }
  if (docrash) {                     // signal_unix.go:774
    int32_t n = ++crashing;          // signal_unix.go:775
    if (n < mcount()) {              // signal_unix.go:776  no extra Ms here
      // Pass SIGQUIT on to an M that has not printed yet: this one
      // blocks every signal while it is in the handler, so the kernel
      // gives it to another.  The last one crashes.
      print("\n-----\n\n");           // signal_unix.go:787
      raiseproc(SIGQUIT_);            // signal_unix.go:788
      usleep(5 * 1000 * 1000);        // signal_unix.go:789
    }
    crash();  // signal_unix.go:791
  }
  // signal_unix.go:794 left out: printDebugLog, the runtime's debug log.
  exit(2);  // signal_unix.go:796
}

// What initsig and raisebadsignal pass setsig for "the runtime's handler":
// sighandler's address, as Go's abi.FuncPCABIInternal(sighandler) is;
// setsig installs sigtramp, its entry from the kernel, in its place.
uintptr_t sighandlerPC() { return reinterpret_cast<uintptr_t>(&sighandler); }

// signal_unix.go:816  Where a goroutine that faulted resumes, as though
// the faulting instruction had called it (preparePanic).  Go turns the
// fault into a panic when the goroutine may panic (canpanic), and throws
// when it is in the runtime.  This runtime has no panics: every fault
// takes the runtime's path.  dopanic_m prints the signal, its code and
// address, then the stacks.
void sigpanic() {
  throw_("unexpected signal during runtime execution");  // signal_unix.go:819
}

// signal_unix.go:866  End the process by sig, so that a shell sees it die
// of that signal (status 128+sig), not merely exit.
void dieFromSignal(uint32_t sig) {
  unblocksig(sig);            // signal_unix.go:867
  handlingSig[sig].store(0);  // signal_unix.go:869  ours no more: sigfwdgo forwards it
  raise(sig);                 // signal_unix.go:870
  // That should have done it; give another thread the chance to take it.
  osyield();                  // signal_unix.go:877
  osyield();                  // signal_unix.go:878
  osyield();                  // signal_unix.go:879
  setsig(sig, SIG_DFL_);      // signal_unix.go:882  then the default action, surely
  raise(sig);                 // signal_unix.go:883
  osyield();                  // signal_unix.go:885
  osyield();                  // signal_unix.go:886
  osyield();                  // signal_unix.go:887
  exit(2);                    // signal_unix.go:890  still alive: the wrong status, at least
}

// signal_unix.go:896  sig landed on a thread with no M, and nobody asked
// for it: let the handler from before initsig have it (the default
// action, usually), then take it back.
void raisebadsignal(uint32_t sig, sigctxt* c) {
  if (sig == SIGPROF_) {  // signal_unix.go:897
    return;               // signal_unix.go:899
  }
  uintptr_t handler;                // signal_unix.go:902
  if (sig >= NSIG_) {               // signal_unix.go:903
    handler = SIG_DFL_;             // signal_unix.go:904
  } else {
    handler = fwdSig[sig].load();   // signal_unix.go:906
  }
  // We are in the handler, so sig is blocked: unblock it, or the raise
  // below would wait until we return.
  unblocksig(sig);        // signal_unix.go:917
  setsig(sig, handler);   // signal_unix.go:918
  // signal_unix.go:930-932 left out: c-archive and c-shared builds.
  (void)c;
  raise(sig);  // signal_unix.go:934
  // Give the signal a chance to be delivered: in almost every case the
  // program is about to die.
  usleep(1000);                  // signal_unix.go:939
  setsig(sig, sighandlerPC());   // signal_unix.go:947  it did not: ours again
}

// signal_unix.go:951  Die of SIGABRT, leaving a core where the system
// keeps them (GOTRACEBACK=crash).
void crash() {
  // signal_unix.go:958-960 left out: macOS's linear core dumps.
  dieFromSignal(SIGABRT_);  // signal_unix.go:962
}

// signal_unix.go:1040  A signal on a thread with no M.  Go without cgo has
// no such thread and prints "fatal: bad g in signal handler"; with cgo it
// borrows an extra M (needm) to ask os/signal whether it wants the signal.
// Ours has threads with no M (glibc's: a test's, the main thread between
// runs) and no os/signal to ask, so it is cgo's path without the M.
void badsignal(uintptr_t sig, sigctxt* c) {
  // signal_unix.go:1041-1049 left out: the "bad g" exit, for Go without cgo.
  if (!sigsend(static_cast<uint32_t>(sig))) {       // signal_unix.go:1051
    raisebadsignal(static_cast<uint32_t>(sig), c);  // signal_unix.go:1054
  }
}

// signal_unix.go:1069  Whether the signal belongs to the handler that was
// there before ours; if so, it has been passed on (or dropped).
bool sigfwdgo(uint32_t sig, siginfo* info, void* ctx) {
  if (sig >= NSIG_) {  // signal_unix.go:1070
    return false;      // signal_unix.go:1071
  }
  uintptr_t fwdFn = fwdSig[sig].load();  // signal_unix.go:1073
  int32_t flags = sigtable[sig].flags;   // signal_unix.go:1074
  // Not ours: forward it.
  if (handlingSig[sig].load() == 0 || !signalsOK.load()) {                 // signal_unix.go:1077
    if (fwdFn == SIG_IGN_ || (fwdFn == SIG_DFL_ && (flags & SigIgn) != 0)) {  // signal_unix.go:1079
      return true;                                                         // signal_unix.go:1080
    }
    if (fwdFn == SIG_DFL_) {    // signal_unix.go:1084  nobody else: the default action
      setsig(sig, SIG_DFL_);    // signal_unix.go:1085
      dieFromSignal(sig);       // signal_unix.go:1086
    }
    sigfwd(fwdFn, sig, info, ctx);  // signal_unix.go:1090
    return true;                    // signal_unix.go:1091
  }
  // signal_unix.go:1097-1099 left out: macOS's SIGPIPE.
  if (fwdFn == SIG_DFL_) {  // signal_unix.go:1102  nobody to forward to
    return false;           // signal_unix.go:1103
  }
  sigctxt c{info, ctx};  // signal_unix.go:1106
  // Forward only faults and SIGPIPE, and only those outside goroutines:
  // a sanitizer's fault handler then reports a fault in the scheduler.
  if ((c.sigcode() == SI_USER_ || (flags & SigPanic) == 0) && sig != SIGPIPE_) {  // signal_unix.go:1111
    return false;                                                                 // signal_unix.go:1112
  }
  g* gp = sigFetchG(&c);  // signal_unix.go:1118
  if (gp != nullptr && gp->mp != nullptr && gp->mp->curg != nullptr) {  // signal_unix.go:1119
    return false;  // signal_unix.go:1120  it happened in a goroutine: ours
  }
  if (fwdFn != SIG_IGN_) {            // signal_unix.go:1124
    sigfwd(fwdFn, sig, info, ctx);    // signal_unix.go:1125
  }
  return true;  // signal_unix.go:1128
}

// signal_unix.go:1139  This thread's signal mask into *p.
void sigsave(sigset* p) {
  sigprocmask(SIG_SETMASK_, nullptr, p);  // signal_unix.go:1140
}

// signal_unix.go:1151  Set this thread's signal mask to sigmask.
void msigrestore(sigset sigmask) {
  sigprocmask(SIG_SETMASK_, &sigmask, nullptr);  // signal_unix.go:1152
}

// signal_unix.go:1171  Block every signal on this thread.
void sigblock(bool exiting) {
  if (exiting) {                                   // signal_unix.go:1172
    sigprocmask(SIG_SETMASK_, &sigset_all, nullptr);  // signal_unix.go:1173  sigsetAllExiting
    return;                                           // signal_unix.go:1174
  }
  sigprocmask(SIG_SETMASK_, &sigset_all, nullptr);  // signal_unix.go:1176
}

// signal_unix.go:1186  Take sig out of this thread's mask.
void unblocksig(uint32_t sig) {
  sigset set{};                                  // signal_unix.go:1187
  sigaddset(&set, static_cast<int>(sig));        // signal_unix.go:1188
  sigprocmask(SIG_UNBLOCK_, &set, nullptr);      // signal_unix.go:1189
}

// signal_unix.go:1194  A new M's signal stack and mask, on its thread.
void minitSignals() {
  minitSignalStack();  // signal_unix.go:1195
  minitSignalMask();   // signal_unix.go:1196
}

// signal_unix.go:1209  The alternate signal stack: gsignal's, unless the
// thread has one already.  Go keeps a thread's own only when cgo is linked
// in (a C thread calling Go).  Ours are glibc's threads, and under
// AddressSanitizer every one starts with ASan's stack, which ASan unmaps
// when the thread ends: replaced, it would unmap gsignal's.  So ours
// takes cgo's branch whenever the thread has a stack already.
void minitSignalStack() {
  m* mp = getm();
  stackt st{};                           // signal_unix.go:1211
  sigaltstack(nullptr, &st);             // signal_unix.go:1212
  if ((st.ss_flags & SS_DISABLE_) != 0) {  // signal_unix.go:1213  (Go: || !iscgo)
    signalstack(mp->gsignal->stack_lo, mp->gsignal->stack_hi);  // signal_unix.go:1214
    mp->newSigstack = true;                                     // signal_unix.go:1215
  } else {
    setGsignalStack(&st, &mp->goSigStack);  // signal_unix.go:1217
    mp->newSigstack = false;                // signal_unix.go:1218
  }
}

// signal_unix.go:1230  Unblock, on this thread, every signal the runtime
// must always be able to take; the rest stay as the thread that made
// the M had them (initSigmask).
void minitSignalMask() {
  m* mp = getm();
  sigset nmask = mp->sigmask;                          // signal_unix.go:1231
  for (uint32_t i = 0; i < NSIG_; i++) {               // signal_unix.go:1232
    if (!blockableSig(i)) {                            // signal_unix.go:1233
      sigdelset(&nmask, static_cast<int>(i));          // signal_unix.go:1234
    }
  }
  sigprocmask(SIG_SETMASK_, &nmask, nullptr);  // signal_unix.go:1237
}

// signal_unix.go:1244  Undo minitSignals' stack, when the thread stops
// being an M (here: as a run ends).
void unminitSignals() {
  m* mp = getm();
  if (mp->newSigstack) {               // signal_unix.go:1245
    stackt st{};                       // signal_unix.go:1246
    st.ss_flags = SS_DISABLE_;
    sigaltstack(&st, nullptr);         // signal_unix.go:1247
  } else {
    restoreGsignalStack(&mp->goSigStack);  // signal_unix.go:1255  gsignal's own again
  }
}

// signal_unix.go:1268  Whether an M may block sig.  Never the faults
// (SigUnblock), nor, in a program of its own, the signals that kill or
// throw: if every M blocked those they would wait for a new thread.
bool blockableSig(uint32_t sig) {
  int32_t flags = sigtable[sig].flags;  // signal_unix.go:1269
  if ((flags & SigUnblock) != 0) {      // signal_unix.go:1270
    return false;                       // signal_unix.go:1271
  }
  // signal_unix.go:1273-1275 left out: the preemption signal, when
  // async preemption is on; here it never is.
  (void)sigPreempt;
  // signal_unix.go:1276-1278 left out: c-archive and c-shared builds.
  return (flags & (SigKill | SigThrow)) == 0;  // signal_unix.go:1279
}

// signal_unix.go:1299  gsignal's stack is now st, the thread's own
// alternate stack; its old bounds go to *old, for restoreGsignalStack.
void setGsignalStack(const stackt* st, gsignalStack* old) {
  g* gsignal = getm()->gsignal;
  if (old != nullptr) {             // signal_unix.go:1301
    old->lo = gsignal->stack_lo;    // signal_unix.go:1302
    old->hi = gsignal->stack_hi;
  }
  auto stsp = reinterpret_cast<uintptr_t>(st->ss_sp);  // signal_unix.go:1307
  gsignal->stack_lo = stsp;                            // signal_unix.go:1308
  gsignal->stack_hi = stsp + st->ss_size;              // signal_unix.go:1309
  // signal_unix.go:1310-1311 left out: gsignal's stack guards; nothing
  // checks a signal stack here (the entry check skips it, stack.cpp).
}

// signal_unix.go:1319
void restoreGsignalStack(const gsignalStack* st) {
  g* gp = getm()->gsignal;  // signal_unix.go:1320
  gp->stack_lo = st->lo;    // signal_unix.go:1321  gp.stack = st.stack
  gp->stack_hi = st->hi;
}

// signal_unix.go:1330  Make [lo, hi) this thread's alternate signal stack.
void signalstack(uintptr_t lo, uintptr_t hi) {
  stackt st{};                               // signal_unix.go:1331
  st.ss_size = hi - lo;
  st.ss_sp = reinterpret_cast<uint8_t*>(lo);  // signal_unix.go:1332  setSignalstackSP
  sigaltstack(&st, nullptr);                  // signal_unix.go:1333
}

}  // namespace runtime
