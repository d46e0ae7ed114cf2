// vdso_linux_amd64.cpp - twin of Go 1.19.8's runtime/vdso_linux_amd64.go:
// which vDSO functions amd64 wants, and where their addresses go.
#include "runtime/runtime.h"

namespace runtime {

// vdso_linux_amd64.go:10  vdsoArrayMax sizes Go's maximal array types;
// ours index plain pointers and need no such bound.

// vdso_linux_amd64.go:13  The version every amd64 vDSO function is defined
// at, with the ELF hash of its name.
const vdsoVersionKey vdsoLinuxVersion = {"LINUX_2.6", 0x3ae75f6};

// vdso_linux_amd64.go:15  Each name with its ELF (SysV) hash, its GNU hash,
// and the variable its address goes to; tests/vdso_linux_test.cpp computes
// both hashes afresh.
const vdsoSymbolKey vdsoSymbolKeys[2] = {
    {"__vdso_gettimeofday", 0x315ca59, 0xb01bca00, &vdsoGettimeofdaySym},  // vdso_linux_amd64.go:16
    {"__vdso_clock_gettime", 0xd35ec75, 0x6e43a318,
     &vdsoClockgettimeSym},  // vdso_linux_amd64.go:17
};

// vdso_linux_amd64.go:20-23  0 until sysargs finds a vDSO.  nanotime1
// (asm/sys_linux_amd64.asm) calls vdsoClockgettimeSym when it is set and
// issues clock_gettime itself when it is not.  gettimeofday is looked up
// as Go does; nothing here calls it (Go's walltime does not either).
uintptr_t vdsoGettimeofdaySym;
uintptr_t vdsoClockgettimeSym;

}  // namespace runtime
