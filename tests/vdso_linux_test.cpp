// The vDSO lookup (src/runtime/vdso_linux.cpp, vdso_linux_amd64.cpp), the
// auxiliary vector that leads to it (src/runtime/os_linux.cpp), and
// nanotime1's two paths (asm/sys_linux_amd64.asm).
//
// The lookup is checked against the kernel's own image: the symbol found
// must be the one the dynamic loader names for that address, and copies of
// the image with a table taken out send the parser down Go's other paths
// (the SysV hash table, no versions, an unknown version).
#include <dlfcn.h>
#include <sys/auxv.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <vector>

#include "gotest.h"
#include "runtime/runtime.h"
#include "runtime/vdso_elf64.h"
#include "testutil.h"
#include "tools/syscall_tracer.h"

namespace rt = runtime;

namespace {

// The two hash functions of the ELF world, written from their definitions
// (the System V ABI's elf_hash; the GNU hash is h = h*33 + c from 5381).
uint32_t elf_hash(const char* s) {
  uint32_t h = 0;
  for (; *s; s++) {
    h = (h << 4) + static_cast<uint8_t>(*s);
    uint32_t g = h & 0xf0000000;
    if (g) h ^= g >> 24;
    h &= ~g;
  }
  return h;
}
uint32_t gnu_hash(const char* s) {
  uint32_t h = 5381;
  for (; *s; s++) h = h * 33 + static_cast<uint8_t>(*s);
  return h;
}

// Where the kernel mapped the vDSO, from /proc/self/maps.
bool vdso_mapping(uintptr_t* lo, uintptr_t* hi) {
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    if (line.find("[vdso]") == std::string::npos) continue;
    std::sscanf(line.c_str(), "%lx-%lx", lo, hi);
    return true;
  }
  return false;
}

int64_t syscall_clock() {
  timespec ts;
  ::syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// Saves the two symbols and puts them back, so one test cannot leave the
// rest of the suite on the other clock path.
struct KeepSyms {
  uintptr_t c = rt::vdsoClockgettimeSym, t = rt::vdsoGettimeofdaySym;
  ~KeepSyms() {
    rt::vdsoClockgettimeSym = c;
    rt::vdsoGettimeofdaySym = t;
  }
};

// A private copy of the kernel's vDSO image and the dynamic entry of a
// given tag in it, for the tests that take a table out.
struct VdsoCopy {
  std::vector<uint64_t> buf;  // 8-aligned, as the image is
  uintptr_t base = 0, size = 0;
  VdsoCopy() {
    uintptr_t lo, hi;
    if (!vdso_mapping(&lo, &hi)) return;
    base = lo, size = hi - lo;
    buf.resize(size / 8);
    std::memcpy(buf.data(), reinterpret_cast<void*>(lo), size);
  }
  uintptr_t addr() const { return reinterpret_cast<uintptr_t>(buf.data()); }
  // Where a linked-at address lies in the copy (the first PT_LOAD's
  // offset minus its vaddr, as vdsoInitFromSysinfoEhdr computes).
  uintptr_t at(uint64_t vaddr) {
    auto* eh = reinterpret_cast<rt::elfEhdr*>(buf.data());
    for (int i = 0; i < eh->e_phnum; i++) {
      auto* ph = reinterpret_cast<rt::elfPhdr*>(addr() + eh->e_phoff + i * sizeof(rt::elfPhdr));
      if (ph->p_type == 1 /* PT_LOAD */) return addr() + ph->p_offset - ph->p_vaddr + vaddr;
    }
    return 0;
  }
  rt::elfDyn* dyn(int64_t tag) {
    auto* eh = reinterpret_cast<rt::elfEhdr*>(buf.data());
    for (int i = 0; i < eh->e_phnum; i++) {
      auto* ph = reinterpret_cast<rt::elfPhdr*>(addr() + eh->e_phoff + i * sizeof(rt::elfPhdr));
      if (ph->p_type != 2 /* PT_DYNAMIC */) continue;
      for (auto* d = reinterpret_cast<rt::elfDyn*>(addr() + ph->p_offset); d->d_tag != 0; d++)
        if (d->d_tag == tag) return d;
    }
    return nullptr;
  }
  // The symbols found in this copy, as offsets from its start (0: none).
  uintptr_t lookup() {
    KeepSyms keep;
    rt::vdsoClockgettimeSym = 0;
    rt::vdsoauxv(33 /* AT_SYSINFO_EHDR */, addr());
    return rt::vdsoClockgettimeSym ? rt::vdsoClockgettimeSym - addr() : 0;
  }
};

constexpr int64_t kGnuHash = 0x6ffffef5, kVerdef = 0x6ffffffc, kHash = 4;  // DT_*
constexpr int64_t kUnused = 0x6ffffef0;  // a tag no parser reads: a table hidden

}  // namespace

TEST(Vdso, KeysCarryTheELFAndGNUHashesOfTheirNames) {
  for (const rt::vdsoSymbolKey& k : rt::vdsoSymbolKeys) {
    EXPECT_EQ(k.symHash, elf_hash(k.name)) << k.name;
    EXPECT_EQ(k.gnuHash, gnu_hash(k.name)) << k.name;
  }
  EXPECT_EQ(rt::vdsoLinuxVersion.verHash, elf_hash(rt::vdsoLinuxVersion.version));
}

TEST(Vdso, SysargsFoundClockGettimeInTheKernelsVdsoBeforeMain) {
  uintptr_t lo, hi;
  ASSERT_TRUE(vdso_mapping(&lo, &hi)) << "this kernel maps no vDSO";
  EXPECT_EQ(getauxval(AT_SYSINFO_EHDR), lo);
  uintptr_t sym = rt::vdsoClockgettimeSym;
  ASSERT_GE(sym, lo) << "not in the vDSO";
  ASSERT_LT(sym, hi) << "not in the vDSO";
  // The loader knows the vDSO as linux-vdso.so.1: ask it what is there.
  Dl_info info{};
  ASSERT_NE(dladdr(reinterpret_cast<void*>(sym), &info), 0);
  ASSERT_NE(info.dli_sname, nullptr);
  EXPECT_TRUE(std::strcmp(info.dli_sname, "__vdso_clock_gettime") == 0 ||
              std::strcmp(info.dli_sname, "clock_gettime") == 0)
      << info.dli_sname;
  EXPECT_EQ(reinterpret_cast<uintptr_t>(info.dli_saddr), sym);
  // gettimeofday is found too, as Go finds it, and is another function.
  EXPECT_GE(rt::vdsoGettimeofdaySym, lo);
  EXPECT_LT(rt::vdsoGettimeofdaySym, hi);
  EXPECT_NE(rt::vdsoGettimeofdaySym, sym);
}

TEST(Vdso, Nanotime1ThroughTheVdsoLiesBetweenTwoSystemCallReadings) {
  ASSERT_NE(rt::vdsoClockgettimeSym, 0u);
  for (int i = 0; i < 1000; i++) {
    int64_t a = syscall_clock(), t = rt::nanotime1(), b = syscall_clock();
    ASSERT_LE(a, t);
    ASSERT_LE(t, b);
  }
}

TEST(Vdso, Nanotime1ThroughTheVdsoMakesNoSystemCall) {
  ASSERT_NE(rt::vdsoClockgettimeSym, 0u);
  std::vector<std::vector<tracer::Call>> segs;
  std::string why;
  bool ok = tracer::run(
      [](void*) {
        tracer::mark();
        volatile int64_t t = rt::nanotime1();
        (void)t;
        tracer::mark();
      },
      nullptr, &segs, &why);
  if (!ok) GTEST_SKIP() << why;
  ASSERT_GE(segs.size(), 1u);
  EXPECT_EQ(segs[0].size(), 0u) << "first call: " << (segs[0].empty() ? 0 : segs[0][0].nr);
}

TEST(Vdso, Nanotime1WithoutAVdsoIssuesClockGettime) {
  KeepSyms keep;
  rt::vdsoClockgettimeSym = 0;
  std::vector<std::vector<tracer::Call>> segs;
  std::string why;
  bool ok = tracer::run(
      [](void*) {
        tracer::mark();
        volatile int64_t t = rt::nanotime1();
        (void)t;
        tracer::mark();
      },
      nullptr, &segs, &why);
  if (!ok) GTEST_SKIP() << why;
  ASSERT_EQ(segs[0].size(), 1u);
  EXPECT_EQ(segs[0][0].nr, static_cast<uint64_t>(SYS_clock_gettime));
}

// With nothing after envp (Go meets this loaded as a library on Android),
// sysargs reads /proc/self/auxv and finds the same vDSO.
TEST(Vdso, SysargsWithAnEmptyVectorReadsProcSelfAuxv) {
  KeepSyms keep;
  uintptr_t want = rt::vdsoClockgettimeSym;
  ASSERT_NE(want, 0u);
  rt::vdsoClockgettimeSym = 0;
  char arg0[] = "x";
  // argv[0], its null, an empty envp's null, then AT_NULL.
  char* argv[] = {arg0, nullptr, nullptr, nullptr, nullptr};
  rt::sysargs(1, argv);
  EXPECT_EQ(rt::vdsoClockgettimeSym, want);
}

TEST(Vdso, NetpollVdsoZeroLeavesTheSyscallPath) {
  KeepSyms keep;
  rt::vdsoClockgettimeSym = 0;
  setenv("NETPOLL_VDSO", "0", 1);
  rt::vdsoauxv(33 /* AT_SYSINFO_EHDR */, getauxval(AT_SYSINFO_EHDR));
  unsetenv("NETPOLL_VDSO");
  EXPECT_EQ(rt::vdsoClockgettimeSym, 0u);
  rt::vdsoauxv(33, getauxval(AT_SYSINFO_EHDR));
  EXPECT_NE(rt::vdsoClockgettimeSym, 0u) << "and without it, the vDSO";
}

TEST(Vdso, AZeroAddressFindsNothing) {
  KeepSyms keep;
  rt::vdsoClockgettimeSym = 0;
  rt::vdsoauxv(33, 0);
  EXPECT_EQ(rt::vdsoClockgettimeSym, 0u);
}

// The same symbol through each of the parser's paths, in copies of the
// image: the GNU hash table (the kernel's image has both), the SysV one,
// and no version tables.
TEST(Vdso, EveryHashTablePathFindsTheSameSymbol) {
  VdsoCopy whole;
  ASSERT_NE(whole.size, 0u);
  uintptr_t want = rt::vdsoClockgettimeSym - whole.base;
  ASSERT_NE(whole.dyn(kGnuHash), nullptr) << "the kernel's image has a GNU hash table";
  EXPECT_EQ(whole.lookup(), want) << "through DT_GNU_HASH";

  VdsoCopy sysv;
  rt::elfDyn* d = sysv.dyn(kGnuHash);
  if (sysv.dyn(kHash) == nullptr) GTEST_SKIP() << "this kernel's vDSO has no DT_HASH";
  d->d_tag = kUnused;
  EXPECT_EQ(sysv.lookup(), want) << "through DT_HASH";

  VdsoCopy unversioned;
  unversioned.dyn(kVerdef)->d_tag = kUnused;
  EXPECT_EQ(unversioned.lookup(), want) << "with no version tables, any version";
}

TEST(Vdso, AVersionTheImageDoesNotDefineMatchesNoSymbol) {
  VdsoCopy c;
  ASSERT_NE(c.size, 0u);
  // Rename every version definition's hash: LINUX_2.6 is no longer there.
  auto* def = reinterpret_cast<rt::elfVerdef*>(c.at(c.dyn(kVerdef)->d_val));
  for (;;) {
    def->vd_hash ^= 1;
    if (def->vd_next == 0) break;
    def = reinterpret_cast<rt::elfVerdef*>(reinterpret_cast<uintptr_t>(def) + def->vd_next);
  }
  EXPECT_EQ(c.lookup(), 0u);
}

TEST(Vdso, AnImageWithoutADynamicTableFindsNothing) {
  VdsoCopy c;
  ASSERT_NE(c.size, 0u);
  auto* eh = reinterpret_cast<rt::elfEhdr*>(c.buf.data());
  for (int i = 0; i < eh->e_phnum; i++) {
    auto* ph = reinterpret_cast<rt::elfPhdr*>(c.addr() + eh->e_phoff + i * sizeof(rt::elfPhdr));
    if (ph->p_type == 2) ph->p_type = 4;  // PT_DYNAMIC -> PT_NOTE
  }
  EXPECT_EQ(c.lookup(), 0u);
}

// nanotime1 on a goroutine: the vDSO runs on g0's stack, aligned for C,
// with m.vdsoSP and m.vdsoPC saying where the goroutine was, as Go's
// sys_linux_amd64.s:236-281 arranges.  A stand-in for the vDSO's function
// records what it sees and reads the real clock.
namespace {

struct Seen {
  rt::g* want;  // record only this goroutine's call (sysmon reads the clock too)
  int clock;
  uintptr_t entry_sp, g0_sp, vdsoSP, vdsoPC, lo, hi;
  bool called;
};
Seen seen;
std::atomic<int> fake_calls;

extern "C" __attribute__((noinline, no_instrument_function, no_sanitize("address", "thread"))) int
fake_clock_gettime(int clock, timespec* ts) {
  fake_calls++;
  rt::m* mp = rt::getm();
  if (mp != nullptr && mp->curg != nullptr && mp->curg == seen.want) {
    seen.called = true;
    seen.clock = clock;
    // The frame pointer sits just below the return address: entry SP + 8.
    seen.entry_sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) + 8;
    seen.g0_sp = mp->g0sched.sp;
    seen.vdsoSP = mp->vdsoSP;
    seen.vdsoPC = mp->vdsoPC;
    seen.lo = mp->curg->stack_lo;
    seen.hi = mp->curg->stack_hi;
  }
  return static_cast<int>(::syscall(SYS_clock_gettime, clock, ts));
}

__attribute__((noinline)) int64_t call_nanotime1() { return rt::nanotime1(); }

}  // namespace

TEST(Vdso, OnAGoroutineTheVdsoRunsOnG0sStackWithVdsoSPAndPCSet) {
  KeepSyms keep;
  seen = Seen{};
  int64_t t = 0, before = 0, after = 0;
  uintptr_t spSaved = 1, pcSaved = 1;
  gotest::go(
      [&] {
        seen.want = rt::getg();
        rt::vdsoClockgettimeSym = reinterpret_cast<uintptr_t>(&fake_clock_gettime);
        before = syscall_clock();
        t = call_nanotime1();
        after = syscall_clock();
        rt::vdsoClockgettimeSym = keep.c;
        spSaved = rt::getm()->vdsoSP;
        pcSaved = rt::getm()->vdsoPC;
      },
      1);
  ASSERT_TRUE(seen.called);
  EXPECT_EQ(seen.clock, CLOCK_MONOTONIC);
  EXPECT_TRUE(seen.entry_sp < seen.lo || seen.entry_sp >= seen.hi)
      << "the vDSO ran on the goroutine's stack";
  // g0's saved SP, less 16 for the timespec, rounded down to 16, less the
  // return address the call pushed.
  EXPECT_EQ(seen.entry_sp, ((seen.g0_sp - 16) & ~uintptr_t{15}) - 8);
  // vdsoSP: the caller's SP after nanotime1 returns, on the goroutine's
  // stack; vdsoPC: the return address into call_nanotime1.
  EXPECT_GE(seen.vdsoSP, seen.lo);
  EXPECT_LT(seen.vdsoSP, seen.hi);
  auto f = reinterpret_cast<uintptr_t>(&call_nanotime1);
  EXPECT_GT(seen.vdsoPC, f);
  EXPECT_LT(seen.vdsoPC, f + 64);
  EXPECT_EQ(spSaved, 0u) << "vdsoSP restored after the call";
  EXPECT_EQ(pcSaved, 0u) << "vdsoPC restored after the call";
  EXPECT_LE(before, t);
  EXPECT_LE(t, after);
}

TEST(Vdso, OutsideARunNanotime1CallsTheVdsoOnTheCallersStack) {
  KeepSyms keep;
  seen = Seen{};
  // No M: fake_clock_gettime records nothing, but runs, and nanotime1
  // must come back with a time and the stack as it was.
  rt::vdsoClockgettimeSym = reinterpret_cast<uintptr_t>(&fake_clock_gettime);
  int calls = fake_calls;
  int64_t before = syscall_clock(), t = call_nanotime1(), after = syscall_clock();
  EXPECT_EQ(fake_calls, calls + 1);
  EXPECT_LE(before, t);
  EXPECT_LE(t, after);
  EXPECT_FALSE(seen.called);
}
