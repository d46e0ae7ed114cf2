// signal_amd64.cpp - twin of Go 1.19.8's runtime/signal_amd64.go: the
// register dump a fatal signal prints, and how a fault is turned into a
// call of sigpanic.  (signal_linux_amd64.go's sigctxt, the registers'
// accessors, is include/runtime/signal_unix.h.)
#include "runtime/runtime.h"
#include "runtime/signal_unix.h"

namespace runtime {

// signal_amd64.go:15  The interrupted registers, as Go prints them.
void dumpregs(sigctxt* c) {
  auto hex = [](uint64_t v) { return static_cast<unsigned long>(v); };
  print("rax    %#lx\n", hex(c->rax()));     // signal_amd64.go:16
  print("rbx    %#lx\n", hex(c->rbx()));     // signal_amd64.go:17
  print("rcx    %#lx\n", hex(c->rcx()));     // signal_amd64.go:18
  print("rdx    %#lx\n", hex(c->rdx()));     // signal_amd64.go:19
  print("rdi    %#lx\n", hex(c->rdi()));     // signal_amd64.go:20
  print("rsi    %#lx\n", hex(c->rsi()));     // signal_amd64.go:21
  print("rbp    %#lx\n", hex(c->rbp()));     // signal_amd64.go:22
  print("rsp    %#lx\n", hex(c->rsp()));     // signal_amd64.go:23
  print("r8     %#lx\n", hex(c->r8()));      // signal_amd64.go:24
  print("r9     %#lx\n", hex(c->r9()));      // signal_amd64.go:25
  print("r10    %#lx\n", hex(c->r10()));     // signal_amd64.go:26
  print("r11    %#lx\n", hex(c->r11()));     // signal_amd64.go:27
  print("r12    %#lx\n", hex(c->r12()));     // signal_amd64.go:28
  print("r13    %#lx\n", hex(c->r13()));     // signal_amd64.go:29
  print("r14    %#lx\n", hex(c->r14()));     // signal_amd64.go:30
  print("r15    %#lx\n", hex(c->r15()));     // signal_amd64.go:31
  print("rip    %#lx\n", hex(c->rip()));     // signal_amd64.go:32
  print("rflags %#lx\n", hex(c->rflags()));  // signal_amd64.go:33
  print("cs     %#lx\n", hex(c->cs()));      // signal_amd64.go:34
  print("fs     %#lx\n", hex(c->fs()));      // signal_amd64.go:35
  print("gs     %#lx\n", hex(c->gs()));      // signal_amd64.go:36
}

uintptr_t sigctxt::sigpc() const { return static_cast<uintptr_t>(rip()); }  // signal_amd64.go:41
uintptr_t sigctxt::sigsp() const { return static_cast<uintptr_t>(rsp()); }  // signal_amd64.go:44
uintptr_t sigctxt::fault() const { return static_cast<uintptr_t>(sigaddr()); }  // signal_amd64.go:46

// signal_amd64.go:49  Make the faulting instruction look as though it had
// called sigpanic: its pc pushed as sigpanic's return address, so that a
// traceback walks from sigpanic into the function that faulted.
void sigctxt::preparePanic(uint32_t, g*) {
  // signal_amd64.go:53-64 left out: a bug of macOS 10.5.
  uintptr_t pc = static_cast<uintptr_t>(rip());  // signal_amd64.go:66
  // signal_amd64.go:72  Go pushes the call unless the fault is at a
  // function's entry, where its frame is not yet set up (shouldPushSigpanic);
  // ours pushes it always: sigpanic only throws, and its frame pointer
  // chain still leads back through the faulting function's caller.
  pushCall(reinterpret_cast<uintptr_t>(&sigpanic), pc);  // signal_amd64.go:73
}

// signal_amd64.go:80  As if the code at resumePC had called targetPC.
void sigctxt::pushCall(uintptr_t targetPC, uintptr_t resumePC) {
  uintptr_t sp = static_cast<uintptr_t>(rsp());   // signal_amd64.go:82
  sp -= sizeof(uintptr_t);                        // signal_amd64.go:83
  *reinterpret_cast<uintptr_t*>(sp) = resumePC;   // signal_amd64.go:84
  set_rsp(sp);                                    // signal_amd64.go:85
  set_rip(targetPC);                              // signal_amd64.go:86
}

}  // namespace runtime
