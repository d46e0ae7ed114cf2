// os_linux.cpp - the parts of Go 1.19.8's runtime/os_linux.go that run
// first, sysargs and sysauxv, which read the auxiliary vector (the list of
// (tag, value) pairs the kernel leaves above a new process's environment;
// among them AT_SYSINFO_EHDR, the address of the vDSO,
// src/runtime/vdso_linux.cpp); the start of a new M's thread (newosproc)
// and its set-up on that thread (mpreinit, minit, unminit); and the
// kernel's sigaction as the signal code uses it (setsig, getsig,
// sigprocmask), with os_linux_generic.go's signal sets.  Functions are in
// Go's order.  The futexes are in src/runtime/lock_futex.cpp.
#include <pthread.h>

#include <cstdlib>
#include <new>

#include "runtime/runtime.h"
#include "runtime/signal_unix.h"

namespace runtime {

// os_linux.go:166  Start mp's thread, which runs mstart.  Go calls clone
// itself, with g0's stack; ours asks pthread_create (sanitizers and gdb
// must know every thread), which writes the thread's handle to mp->thread.
// Every signal is blocked while the thread is made, so that it starts
// with none delivered until minit has set its signal stack and mask.
void newosproc(m* mp, void* (*start)(void*)) {
  sigset oset;
  sigprocmask(SIG_SETMASK_, &sigset_all, &oset);                     // os_linux.go:178
  int ret = pthread_create(reinterpret_cast<pthread_t*>(&mp->thread), nullptr, start,
                           mp);                                      // os_linux.go:179  clone
  sigprocmask(SIG_SETMASK_, &oset, nullptr);                         // os_linux.go:180
  if (ret != 0) {                                                    // os_linux.go:182
    print("runtime: failed to create new OS thread (have %d already; errno=%d)\n", mcount(),
          ret);                                                      // os_linux.go:183
    if (ret == EAGAIN_) {                                            // os_linux.go:184
      print("runtime: may need to increase max user processes (ulimit -u)\n");  // os_linux.go:185
    }
    throw_("newosproc");  // os_linux.go:187
  }
}

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

// mpreinit's signal stacks, one per M slot (src/runtime/proc.cpp's mstore),
// kept from run to run as the slots are.  Raw storage, made into gs as
// they are first used: a static array of g would need a constructor run
// from .init_array, whose order against args' entry below is not ours.
alignas(g) unsigned char gsignals[256][sizeof(g)];

}  // namespace

// os_linux.go:383  Called by allocm (mcommoninit) on the thread making
// mp: the g whose stack the signal handler runs on.  Go allocates a 32 KiB
// one for each M; ours is 64 KiB, because a fatal signal's traceback here
// also reads the executable's symbol and line tables
// (src/runtime/symtab.cpp), and is mapped once per slot.
void mpreinit(m* mp) {
  static bool made[256];
  g* gp = reinterpret_cast<g*>(gsignals[mp->id]);
  if (!made[mp->id]) {
    new (gp) g();
    made[mp->id] = true;
    constexpr uintptr_t size = 64 << 10;
    mmapResult r = sysMmap(nullptr, size, 3 /* PROT_READ|WRITE */, 0x22 /* MAP_PRIVATE|ANON */,
                           -1, 0);
    if (r.p == nullptr) throw_("runtime: cannot allocate signal stack");
    gp->stack_lo = reinterpret_cast<uintptr_t>(r.p);
    gp->stack_hi = gp->stack_lo + size;
  }
  mp->gsignal = gp;  // os_linux.go:384  malg(32 * 1024)
  gp->mp = mp;       // os_linux.go:385
}

// os_linux.go:392  A new M, on its own thread: its signal stack and mask,
// and its thread id (for tgkill and for a reader of /proc/self/task).
void minit() {
  minitSignals();                                // os_linux.go:393
  getm()->procid = static_cast<uint64_t>(gettid());  // os_linux.go:398
}

// os_linux.go:404  Undo minit, as the thread stops being an M.
void unminit() {
  unminitSignals();  // os_linux.go:405
}

// os_linux.go:441  sigprocmask with the kernel's sigset size.
void sigprocmask(int32_t how, const sigset* nw, sigset* old) {
  rtsigprocmask(how, nw, old, static_cast<int32_t>(sizeof(sigset)));  // os_linux.go:442
}

// os_linux.go:466  Install fn as sig's handler, with every signal blocked
// while it runs, on the signal stack, restarting the system calls it
// interrupts where the kernel can (SA_RESTART; epoll_wait never restarts),
// and returning through runtime_sigreturn.  fn == sighandlerPC() means the
// runtime's handler, whose entry from the kernel is the asm sigtramp.
void setsig(uint32_t i, uintptr_t fn) {
  sigactiont sa{};                                                   // os_linux.go:467
  sa.sa_flags = SA_SIGINFO_ | SA_ONSTACK_ | SA_RESTORER_ | SA_RESTART_;  // os_linux.go:468
  sigfillset(&sa.sa_mask);                                           // os_linux.go:469
  sa.sa_restorer = reinterpret_cast<uintptr_t>(&sigreturn);          // os_linux.go:474
  if (fn == sighandlerPC()) {                                        // os_linux.go:476
    // os_linux.go:477-481  Go's cgo programs enter through cgoSigtramp,
    // which collects a C traceback first; ours through sigtramp alone.
    fn = reinterpret_cast<uintptr_t>(&sigtramp);
  }
  sa.sa_handler_ = fn;              // os_linux.go:483
  sysSigaction(i, &sa, nullptr);   // os_linux.go:484  sigaction
}

// os_linux.go:489  Add SA_ONSTACK to the handler someone else installed.
void setsigstack(uint32_t i) {
  sigactiont sa{};                                   // os_linux.go:490
  sysSigaction(i, nullptr, &sa);                     // os_linux.go:491  sigaction
  if ((sa.sa_flags & SA_ONSTACK_) != 0) {            // os_linux.go:492
    return;                                          // os_linux.go:493
  }
  sa.sa_flags |= SA_ONSTACK_;                         // os_linux.go:495
  sysSigaction(i, &sa, nullptr);                      // os_linux.go:496  sigaction
}

// os_linux.go:501  The handler installed for sig now.
uintptr_t getsig(uint32_t i) {
  sigactiont sa{};                                   // os_linux.go:502
  sysSigaction(i, nullptr, &sa);                     // os_linux.go:503  sigaction
  return sa.sa_handler_;                              // os_linux.go:504
}

// os_linux.go:521  The kernel's sigaction, or a throw.  (Go's sigaction,
// in sigaction.go, only calls this in a program without cgo.)  The kernel
// refuses nothing the runtime asks; QEMU's user-mode emulation refuses
// 32, 33 and 64, and those refusals are let pass.
void sysSigaction(uint32_t sig, const sigactiont* nw, sigactiont* old) {
  if (rt_sigaction(sig, nw, old, sizeof(sigactiont::sa_mask)) != 0) {  // os_linux.go:522
    if (sig != 32 && sig != 33 && sig != 64) {                         // os_linux.go:534
      throw_("sigaction failed");                                      // os_linux.go:537
    }
  }
}

// os_linux_generic.go:27  Signal i into the set: bit i-1.
void sigaddset(sigset* mask, int i) {
  mask->w[(i - 1) / 32] |= uint32_t{1} << ((static_cast<uint32_t>(i) - 1) & 31);  // os_linux_generic.go:28
}

// os_linux_generic.go:31
void sigdelset(sigset* mask, int i) {
  mask->w[(i - 1) / 32] &= ~(uint32_t{1} << ((static_cast<uint32_t>(i) - 1) & 31));  // os_linux_generic.go:32
}

// os_linux_generic.go:36  Every signal: sigaction's mask.
void sigfillset(uint64_t* mask) {
  *mask = ~uint64_t{0};  // os_linux_generic.go:37
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
