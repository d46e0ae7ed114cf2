// syscall_tracer.h - watch a function's system calls from outside, with
// ptrace, so a test or the tour can show what a stub really asked of the
// kernel: the number in orig_rax, the six argument registers, and rax on
// the way back.  Not part of the runtime (which never traces itself).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tracer {

struct Call {
  uint64_t nr;       // orig_rax at syscall entry
  uint64_t args[6];  // rdi, rsi, rdx, r10, r8, r9
  int64_t ret;       // rax at syscall exit (-errno on failure); 0 for exit and
                     // exit_group, which never return and are recorded on entry
};

// Called by the traced body to cut its calls into segments.  It is one
// getppid with a magic first argument, so the tracer can tell it from any
// getppid the body makes itself.
void mark();

// Runs body(arg) in a forked child that the caller ptraces.  segments[i]
// receives the calls made after the body's i-th mark() and before the
// next; the last segment ends with the child's own exit_group.  The child
// exits when body returns.  Returns false, with the
// reason in *why, when this machine does not allow ptrace or the child
// dies; a caller skips rather than passes in that case.
bool run(void (*body)(void*), void* arg, std::vector<std::vector<Call>>* segments,
         std::string* why);

// True when this process is itself being traced (by gdb, strace, ...):
// it then cannot be traced again by a child of its own.
bool traced();

}  // namespace tracer
