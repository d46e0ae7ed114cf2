// signal_unix.h - the runtime's signals: the table of what to do with
// each (sigtab_linux_generic.go), the handler and its helpers
// (signal_unix.go), and the view of a signal's saved registers
// (signal_linux_amd64.go's sigctxt, with signal_amd64.go's methods).
// Defined in src/runtime/sigtab_linux_generic.cpp, signal_unix.cpp and
// signal_amd64.cpp; the stubs they call are asm/sys_linux_amd64.asm's.
//
// As in Go, the handler is the kernel's to call (sigtramp), installed with
// rt_sigaction, never libc's sigaction: it runs on the M's gsignal stack
// and with every signal blocked.  Its files are built without
// ThreadSanitizer's instrumentation (Makefile), as Go's race detector
// instruments no runtime code: a handler may interrupt TSan's own
// bookkeeping, which the instrumentation would then re-enter.
#pragma once

#include <cstdint>

#include "runtime/defs_linux_amd64.h"
#include "runtime/runtime2.h"

namespace runtime {

// signal_unix.go:21  One row of sigtable: the flags (runtime2.h's Sig*)
// and the signal's name as Go prints it ("SIGQUIT: quit").
struct sigTabT {
  int32_t flags;     // signal_unix.go:22
  const char* name;  // signal_unix.go:23
};
// sigtab_linux_generic.go:9  A row for every signal, 0 to 64.
extern const sigTabT sigtable[NSIG_];

// signal_linux_amd64.go:12  A signal as the handler sees it: the kernel's
// siginfo and the context it saved, whose registers are the interrupted
// code's.  Go's methods, one per register, read them.
struct sigctxt {
  siginfo* info;  // signal_linux_amd64.go:13
  void* ctxt;     // signal_linux_amd64.go:14
  // signal_linux_amd64.go:19  The saved registers: the ucontext's mcontext.
  sigcontext* regs() const { return &static_cast<ucontext*>(ctxt)->uc_mcontext; }
  uint64_t rax() const { return regs()->rax; }  // signal_linux_amd64.go:23
  uint64_t rbx() const { return regs()->rbx; }  // signal_linux_amd64.go:24
  uint64_t rcx() const { return regs()->rcx; }  // signal_linux_amd64.go:25
  uint64_t rdx() const { return regs()->rdx; }  // signal_linux_amd64.go:26
  uint64_t rdi() const { return regs()->rdi; }  // signal_linux_amd64.go:27
  uint64_t rsi() const { return regs()->rsi; }  // signal_linux_amd64.go:28
  uint64_t rbp() const { return regs()->rbp; }  // signal_linux_amd64.go:29
  uint64_t rsp() const { return regs()->rsp; }  // signal_linux_amd64.go:30
  uint64_t r8() const { return regs()->r8; }    // signal_linux_amd64.go:31
  uint64_t r9() const { return regs()->r9; }    // signal_linux_amd64.go:32
  uint64_t r10() const { return regs()->r10; }  // signal_linux_amd64.go:33
  uint64_t r11() const { return regs()->r11; }  // signal_linux_amd64.go:34
  uint64_t r12() const { return regs()->r12; }  // signal_linux_amd64.go:35
  uint64_t r13() const { return regs()->r13; }  // signal_linux_amd64.go:36
  uint64_t r14() const { return regs()->r14; }  // signal_linux_amd64.go:37
  uint64_t r15() const { return regs()->r15; }  // signal_linux_amd64.go:38
  uint64_t rip() const { return regs()->rip; }  // signal_linux_amd64.go:42
  uint64_t rflags() const { return regs()->eflags; }  // signal_linux_amd64.go:44
  uint64_t cs() const { return regs()->cs; }          // signal_linux_amd64.go:45
  uint64_t fs() const { return regs()->fs; }          // signal_linux_amd64.go:46
  uint64_t gs() const { return regs()->gs; }          // signal_linux_amd64.go:47
  uint64_t sigcode() const { return static_cast<uint64_t>(info->si_code); }  // signal_linux_amd64.go:48
  uint64_t sigaddr() const { return info->si_addr_; }  // signal_linux_amd64.go:49
  void set_rip(uint64_t x) { regs()->rip = x; }       // signal_linux_amd64.go:51
  void set_rsp(uint64_t x) { regs()->rsp = x; }       // signal_linux_amd64.go:52
  // signal_amd64.go (src/runtime/signal_amd64.cpp)
  uintptr_t sigpc() const;
  uintptr_t sigsp() const;
  uintptr_t fault() const;
  void preparePanic(uint32_t sig, g* gp);
  void pushCall(uintptr_t targetPC, uintptr_t resumePC);
};
void dumpregs(sigctxt* c);  // signal_amd64.go:15

// --- signal_unix.go (src/runtime/signal_unix.cpp), in Go's order ---
void os_sigpipe();  // os.sigpipe: a write to fd 1 or 2 found its reader gone
const char* signame(uint32_t sig);
void initsig(bool preinit);
bool sigInstallGoHandler(uint32_t sig);
void sigpipe();
g* sigFetchG(sigctxt* c);
extern "C" void sigtrampgo(uint32_t sig, siginfo* info, void* ctx);
void sighandler(uint32_t sig, siginfo* info, void* ctxt, g* gp);
void sigpanic();
[[noreturn]] void dieFromSignal(uint32_t sig);
void raisebadsignal(uint32_t sig, sigctxt* c);
[[noreturn]] void crash();
void badsignal(uintptr_t sig, sigctxt* c);
bool sigfwdgo(uint32_t sig, siginfo* info, void* ctx);
void sigsave(sigset* p);
void msigrestore(sigset sigmask);
void sigblock(bool exiting);
void unblocksig(uint32_t sig);
void minitSignals();
void minitSignalStack();
void minitSignalMask();
void unminitSignals();
bool blockableSig(uint32_t sig);
void setGsignalStack(const stackt* st, gsignalStack* old);
void restoreGsignalStack(const gsignalStack* st);
void signalstack(uintptr_t lo, uintptr_t hi);
// signal_unix.go:595  Go's runtime tests hook SIGUSR1: when set, it sees
// the signal first (with the g it interrupted) and may swallow it.
extern bool (*testSigusr1)(g* gp);
extern sigset initSigmask;  // proc.go's: the mask the first run started with

// --- sigqueue.go (src/runtime/sigqueue.cpp): os/signal's side, never asked ---
bool sigsend(uint32_t s);
void sigInitIgnored(uint32_t s);
bool signal_ignored(uint32_t s);

// --- os_linux.go's signal part (src/runtime/os_linux.cpp) ---
void mpreinit(m* mp);
void minit();
void unminit();
void sigprocmask(int32_t how, const sigset* nw, sigset* old);
void setsig(uint32_t i, uintptr_t fn);
void setsigstack(uint32_t i);
uintptr_t getsig(uint32_t i);
void sysSigaction(uint32_t sig, const sigactiont* nw, sigactiont* old);
void sigaddset(sigset* mask, int i);
void sigdelset(sigset* mask, int i);
void sigfillset(uint64_t* mask);
constexpr uintptr_t SIG_DFL_ = 0;  // signal_unix.go:39
constexpr uintptr_t SIG_IGN_ = 1;  // signal_unix.go:40
// What setsig is given to mean "the runtime's handler" (Go passes
// sighandler's address, and setsig puts sigtramp in its place).
uintptr_t sighandlerPC();

}  // namespace runtime
