// time_nofake.cpp - twin of Go 1.19.8's runtime/time_nofake.go: the clock
// and the write the runtime uses in every build but the playground's
// (Go's faketime build tag, whose time_fake.go is not rebuilt here).
#include "runtime/runtime.h"

namespace runtime {

// time_nofake.go:15 left out: faketime, the playground's simulated clock,
// is always zero in this build, and nothing here reads it.

// time_nofake.go:18  The monotonic clock, in ns.
int64_t nanotime() {
  return nanotime1();  // time_nofake.go:19
}

// time_nofake.go:22  When set, every write the runtime makes goes here
// instead of to the kernel.  Nothing in Go 1.19.8's own tree sets it; it is
// a hook for whoever embeds or tests the runtime.  Our tests use it to
// capture what print and throw write.
int32_t (*overrideWrite)(uintptr_t fd, const void* p, int32_t n);

// time_nofake.go:27  The runtime's write: the hook if set, else write1.
int32_t write(uintptr_t fd, const void* p, int32_t n) {
  if (overrideWrite != nullptr)      // time_nofake.go:28
    return overrideWrite(fd, p, n);  // time_nofake.go:29
  return write1(fd, p, n);           // time_nofake.go:31
}

}  // namespace runtime
