// os_linux.cpp - the part of Go 1.19.8's runtime/os_linux.go that runs
// first: sysargs and sysauxv, which read the auxiliary vector, the list of
// (tag, value) pairs the kernel leaves above a new process's environment.
// Among them is AT_SYSINFO_EHDR, the address of the vDSO
// (src/runtime/vdso_linux.cpp).  The rest of os_linux.go (newosproc,
// futexes, signals) is rebuilt where it is used or left out; see
// notes/proc.md.
#include <cstdlib>

#include "runtime/runtime.h"

namespace runtime {

namespace {
constexpr uintptr_t AT_NULL_ = 0;           // os_linux.go:211  end of the vector
const char procAuxv[] = "/proc/self/auxv";  // os_linux.go:218
}  // namespace

// os_linux.go:283  Walks the vector until AT_NULL, offering every entry to
// vdsoauxv; returns the number of entries.  Left out, as nothing here reads
// them: the AT_RANDOM case (startupRandomData, Go's seed for map hashes and
// fastrand), the AT_PAGESZ case (physPageSize, for the heap) and the call
// of archauxv (which does nothing on amd64).
int32_t sysauxv(const uintptr_t* auxv) {
  int32_t i = 0;                                 // os_linux.go:284
  for (; auxv[i] != AT_NULL_; i += 2) {          // os_linux.go:285
    uintptr_t tag = auxv[i], val = auxv[i + 1];  // os_linux.go:286
    vdsoauxv(tag, val);                          // os_linux.go:298
  }
  return i / 2;  // os_linux.go:300
}

// os_linux.go:224  The auxiliary vector lies after argv and envp, each
// ended by a null pointer.  If it is empty, ask the kernel for a copy.
void sysargs(int32_t argc, char** argv) {
  int32_t n = argc + 1;         // os_linux.go:225  past argv and its null
  while (argv[n] != nullptr) {  // os_linux.go:228  skip over envp
    n++;                        // os_linux.go:229
  }
  n++;  // os_linux.go:233  skip the null separator
  auto* auxv = reinterpret_cast<const uintptr_t*>(argv + n);  // os_linux.go:236
  if (sysauxv(auxv) != 0) return;                             // os_linux.go:237-238
  // No vector from the loader (Go meets this loaded as a library on
  // Android): read the kernel's copy.
  int32_t fd = open(procAuxv, 0 /* O_RDONLY */, 0);  // os_linux.go:243
  // os_linux.go:244  Without it Go probes the page size with mincore, for
  // physPageSize; nothing here needs that, so ours just returns.
  if (fd < 0) return;
  uintptr_t buf[128];
  n = read(fd, buf, sizeof buf);  // os_linux.go:268
  closefd(fd);                    // os_linux.go:269
  if (n < 0) return;              // os_linux.go:270-271
  // os_linux.go:275  End the vector even if the file did not fit.
  buf[128 - 2] = AT_NULL_;
  sysauxv(buf);  // os_linux.go:276
}

namespace {

// Go's process starts in rt0_go, which calls args (runtime1.go:66) and so
// sysargs before anything else.  Ours starts in libc,
// which calls every function in .init_array with argc, argv and envp
// before main: sysargs runs from there, before any nanotime.
void args(int argc, char** argv, char**) {
  sysargs(argc, argv);  // runtime1.go:69
}
__attribute__((section(".init_array"), used)) void (*const args_entry)(int, char**, char**) = args;

}  // namespace

}  // namespace runtime
