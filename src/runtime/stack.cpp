// stack.cpp - the parts of Go 1.19.8's runtime/stack.go that fixed stacks
// need: where a goroutine's stack comes from (stackalloc), and what happens
// when a goroutine runs off the end of it (newstack's overflow branch).
//
// Go's stacks start at 2 KiB and grow by copying; ours never move, so each
// is a fixed 256 KiB of address space of which only the pages a goroutine
// touches become memory.  They are carved from spans of stackSpanStacks
// stacks, one mapping each: the kernel limits a process to 65,530 mappings
// (vm.max_map_count), and a mapping per stack (two, with a guard page)
// would stop at about 32,700 goroutines.  For the same reason there is no
// guard page between stacks: overflow is caught in software, as Go catches
// it, by comparing the stack pointer with g.stackguard0 at the entry of
// every function (below).
//
// This file is compiled without debug information (see the Makefile), so
// that gdb's `step` passes over the entry check instead of stopping in it.
#include "runtime/runtime.h"

namespace runtime {

namespace {
constexpr uintptr_t stackSpanStacks = 256;  // stacks per mapping: 64 MiB of address space
mutex stackLock;
uintptr_t spanNext, spanEnd;  // the unused part of the newest span
}  // namespace

// stack.go:344  A stack of n bytes (always stackSize here): [lo, hi).
// Go takes small stacks from per-P caches and a global pool, large ones
// from the heap; ours come from the newest span, and a new span is mapped
// when it runs out.  Stacks are never freed: a dead g keeps its stack for
// the next goroutine (gfput).
void stackalloc(uintptr_t n, uintptr_t* lo, uintptr_t* hi) {
  lock(&stackLock);
  if (spanNext == spanEnd) {
    uintptr_t bytes = stackSpanStacks * n;
    // MAP_NORESERVE: address space, not memory; a page is memory only
    // once a goroutine touches it.
    mmapResult r = sysMmap(nullptr, bytes, 3 /* PROT_READ|WRITE */,
                           0x4022 /* MAP_PRIVATE|ANON|NORESERVE */, -1, 0);
    if (r.p == nullptr) {
      print("runtime: cannot map %lu bytes of stacks: errno %ld\n",
            static_cast<unsigned long>(bytes), static_cast<long>(r.err));
      throw_("out of memory allocating stack");
    }
    // With transparent huge pages "always", the first touch of a stack's
    // top page could bring in 2 MiB; Go asks the same for its heap
    // (mem_linux.go's sysNoHugePageOS).
    madvise(r.p, bytes, MADV_NOHUGEPAGE_);
    spanNext = reinterpret_cast<uintptr_t>(r.p);
    spanEnd = spanNext + bytes;
  }
  *lo = spanNext;
  *hi = spanNext + n;
  spanNext += n;
  unlock(&stackLock);
}

}  // namespace runtime

// The stack check.  Go's compiler begins every function that needs a
// frame with a comparison of SP against g.stackguard0 and a call to
// morestack when it is below (asm_amd64.s's morestack, then stack.go's
// newstack, which grows the stack or, at its limit, throws "stack
// overflow").  C++ compilers do not emit that check, but GCC's
// -finstrument-functions makes every function call __cyg_profile_func_enter
// on entry, with its frame already allocated: here is the comparison.
// Ours cannot grow, so crossing stackguard0 is the overflow case at once.
// StackGuard_ bytes above the bottom are the room this function, print,
// throw and any libc function called from the last checked frame may use.
extern "C" {

__attribute__((no_instrument_function)) void __cyg_profile_func_enter(void*, void*) {
  runtime::g* gp = runtime::getg();
  if (gp == nullptr) return;  // on an M's own stack (g0): the OS's guard page
  auto sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  if (sp >= gp->stackguard0) return;                    // the prologue's compare
  if (sp < gp->stack_lo || sp >= gp->stack_hi) return;  // not on gp's stack (a signal stack)
  gp->stackguard0 = 0;  // print and throw below run past the guard: check no more
  // stack.go:1096-1103, the branch for a stack at its limit.
  runtime::print("runtime: goroutine stack exceeds %lu-byte limit\n",
                 static_cast<unsigned long>(gp->stack_hi - gp->stack_lo));
  runtime::print("runtime: sp=%#lx stack=[%#lx, %#lx]\n", static_cast<unsigned long>(sp),
                 static_cast<unsigned long>(gp->stack_lo),
                 static_cast<unsigned long>(gp->stack_hi));
  runtime::throw_("stack overflow");
}

__attribute__((no_instrument_function)) void __cyg_profile_func_exit(void*, void*) {}

}  // extern "C"
