// tour.cpp - `make tour`: a narrated walk through the system-call stubs in
// the order Go's netpoller uses them.  Each step is run in a child that this
// process watches with ptrace, so what is printed is what the kernel really
// received: the number in rax, the arguments in rdi, rsi, rdx, r10, r8, and
// the answer left in rax.
//
// Under a debugger (or where ptrace is not allowed) the steps run in this
// process instead, so `gdb build/tour` with `break epollwait` stops in them.
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/runtime.h"
#include "runtime/sys_linux_amd64.h"
#include "tools/syscall_tracer.h"

namespace rt = runtime;

namespace {

// What the steps share; in shared memory so the tracer can read the
// stubs' own return values after the child has gone.
struct State {
  int32_t ep, ep2, rw[2];
  uintptr_t breakRd;  // stands in for Go's netpollBreakRd, whose address is the break fd's datum
  rt::epollevent evs[128];
  char buf[16];
  uint32_t word;
  int64_t ret[32];
};

struct Step {
  const char* call;  // as a reader would write it
  const char* go;    // the Go line that makes this call
  const char* why;
  int nargs;  // registers worth showing
  int64_t (*run)(State&);
};

const Step kSteps[] = {
    {"epollcreate1(EPOLL_CLOEXEC)", "netpoll_epoll.go:33",
     "netpollinit asks for an epoll set that closes itself across exec.", 1,
     [](State& s) -> int64_t { return s.ep = rt::epollcreate1(rt::EPOLL_CLOEXEC_); }},
    {"epollcreate(1024)", "netpoll_epoll.go:35",
     "The fallback for kernels older than 2.6.27, which lack epoll_create1.\n"
     "The size must be positive and is otherwise ignored.",
     1, [](State& s) -> int64_t { return s.ep2 = rt::epollcreate(1024); }},
    {"closeonexec(ep2)", "netpoll_epoll.go:40",
     "...so the fallback sets close-on-exec by hand: fcntl(fd, F_SETFD, FD_CLOEXEC).\n"
     "Go ignores the answer; the stub returns nothing.",
     3, [](State& s) -> int64_t { return rt::closeonexec(s.ep2), 0; }},
    {"closefd(ep2)", "sys_linux_amd64.s:88", "We keep the first set; the second goes.", 1,
     [](State& s) -> int64_t { return rt::closefd(s.ep2); }},
    {"pipe2(O_NONBLOCK|O_CLOEXEC, rw)", "nbpipe_pipe2.go:10",
     "nonblockingPipe makes the break pipe.  Go's signature is pipe2(flags), and the\n"
     "kernel writes both descriptors into its result slots: the pointer goes in rdi.",
     2, [](State& s) -> int64_t { return rt::pipe2(rt::O_NONBLOCK_ | rt::O_CLOEXEC_, s.rw); }},
    {"epollctl(ep, EPOLL_CTL_ADD, rw[0], {EPOLLIN, &netpollBreakRd})", "netpoll_epoll.go:51",
     "Register the pipe's read end.  The 4th argument came in rcx and went out in r10:\n"
     "`syscall` overwrites rcx with the return address.",
     4,
     [](State& s) -> int64_t {
       rt::epollevent ev{rt::EPOLLIN_, {}};
       rt::epolldata_set(&ev, &s.breakRd);
       return rt::epollctl(s.ep, rt::EPOLL_CTL_ADD_, s.rw[0], &ev);
     }},
    {"epollwait(ep, events, 128, 0)", "netpoll_epoll.go:126",
     "netpoll(0): a look without waiting.  Nothing is ready yet.", 4,
     [](State& s) -> int64_t { return rt::epollwait(s.ep, s.evs, 128, 0); }},
    {"write1(rw[1], &b, 1)", "netpoll_epoll.go:85",
     "netpollBreak writes one byte to wake a poller that sleeps in epoll_wait.", 3,
     [](State& s) -> int64_t { return rt::write1(static_cast<uintptr_t>(s.rw[1]), "", 1); }},
    {"epollwait(ep, events, 128, -1)", "netpoll_epoll.go:126",
     "netpoll(-1) would block forever, but the byte is there: it returns at once.", 4,
     [](State& s) -> int64_t { return rt::epollwait(s.ep, s.evs, 128, -1); }},
    {"epollpwait(ep, events, 128, -1)", "sys_linux_amd64.s:697",
     "The call Go 1.19 really makes: epoll_pwait with r8 = NULL (no signal mask).\n"
     "Level-triggered and still unread, the byte is reported again.",
     5, [](State& s) -> int64_t { return rt::epollpwait(s.ep, s.evs, 128, -1); }},
    {"read(rw[0], buf, 16)", "netpoll_epoll.go:156",
     "A blocking netpoll drains the break pipe, up to 16 bytes in one read.", 3,
     [](State& s) -> int64_t { return rt::read(s.rw[0], s.buf, sizeof s.buf); }},
    {"read(rw[0], buf, 16)", "netpoll_epoll.go:156",
     "Once more: the pipe is empty and non-blocking, so the kernel says EAGAIN.", 3,
     [](State& s) -> int64_t { return rt::read(s.rw[0], s.buf, sizeof s.buf); }},
    {"epollctl(ep, EPOLL_CTL_DEL, rw[0], &ev)", "netpoll_epoll.go:73",
     "netpollclose: forget a descriptor.", 4,
     [](State& s) -> int64_t {
       rt::epollevent ev{};
       return rt::epollctl(s.ep, rt::EPOLL_CTL_DEL_, s.rw[0], &ev);
     }},
    {"epollctl(ep, EPOLL_CTL_ADD, 12345, &ev)", "netpoll_epoll.go:68",
     "An error: no descriptor 12345.  The kernel answers -errno in rax, the stub hands\n"
     "it back as it is, and libc's errno is never touched.",
     4,
     [](State& s) -> int64_t {
       rt::epollevent ev{rt::EPOLLIN_, {}};
       return rt::epollctl(s.ep, rt::EPOLL_CTL_ADD_, 12345, &ev);
     }},
    {"futex(&word, FUTEX_WAKE_PRIVATE, 1, ...)", "sys_linux_amd64.s:551",
     "How one M wakes another sleeping on a note.  Nobody sleeps here, so 0 woken.", 3,
     [](State& s) -> int64_t {
       return rt::futex(&s.word, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
     }},
    {"nanotime1()", "sys_linux_amd64.s:268",
     "The clock, for deadlines and timers, read the way Go reads it: a call into the\n"
     "vDSO's __vdso_clock_gettime, code the kernel maps into every process that reads\n"
     "a page the kernel keeps current.  No system call; the tracer sees none.",
     2, [](State&) -> int64_t { return rt::nanotime1(); }},
    {"nanotime1() with NETPOLL_VDSO=0", "sys_linux_amd64.s:290",
     "Without a vDSO the stub issues clock_gettime(CLOCK_MONOTONIC, &ts) itself: the\n"
     "kernel fills the timespec and answers 0; the stub returns the nanoseconds.",
     2,
     [](State&) -> int64_t {
       uintptr_t vdso = rt::vdsoClockgettimeSym;
       rt::vdsoClockgettimeSym = 0;  // what NETPOLL_VDSO=0 leaves
       int64_t t = rt::nanotime1();
       rt::vdsoClockgettimeSym = vdso;
       return t;
     }},
    {"closefd(-1)", "sys_linux_amd64.s:92",
     "The one stub that keeps less than the kernel says: any error becomes -1.", 1,
     [](State&) -> int64_t { return rt::closefd(-1); }},
};
constexpr int kNumSteps = sizeof kSteps / sizeof kSteps[0];

const char* sysname(uint64_t nr) {
  switch (nr) {
    case SYS_read: return "read";
    case SYS_write: return "write";
    case SYS_close: return "close";
    case SYS_fcntl: return "fcntl";
    case SYS_futex: return "futex";
    case SYS_epoll_create: return "epoll_create";
    case SYS_epoll_wait: return "epoll_wait";
    case SYS_epoll_ctl: return "epoll_ctl";
    case SYS_epoll_pwait: return "epoll_pwait";
    case SYS_epoll_create1: return "epoll_create1";
    case SYS_pipe2: return "pipe2";
    case SYS_clock_gettime: return "clock_gettime";
  }
  return "?";
}

// The kernel's answer in plain words.
std::string words(uint64_t nr, int64_t r) {
  char b[128];
  if (r < 0) {
    snprintf(b, sizeof b, "-%s: %s", strerrorname_np(static_cast<int>(-r)),
             strerror(static_cast<int>(-r)));
  } else if (nr == SYS_epoll_create || nr == SYS_epoll_create1) {
    snprintf(b, sizeof b, "a new epoll descriptor, fd %lld", static_cast<long long>(r));
  } else if (nr == SYS_epoll_wait || nr == SYS_epoll_pwait) {
    snprintf(b, sizeof b, "%lld descriptor(s) ready", static_cast<long long>(r));
  } else if (nr == SYS_read || nr == SYS_write) {
    snprintf(b, sizeof b, "%lld byte(s)", static_cast<long long>(r));
  } else if (nr == SYS_futex) {
    snprintf(b, sizeof b, "%lld waiter(s) woken", static_cast<long long>(r));
  } else {
    snprintf(b, sizeof b, "success");
  }
  return b;
}

void header(int i) {
  const Step& s = kSteps[i];
  std::printf("\n%2d. %s\n    Go: %s\n", i + 1, s.call, s.go);
  for (const char *p = s.why, *nl; *p; p = nl + (*nl != 0)) {
    nl = std::strchr(p, '\n');
    if (!nl) nl = p + std::strlen(p);
    std::printf("    %.*s\n", static_cast<int>(nl - p), p);
  }
}

void body(void* arg) {
  auto* s = static_cast<State*>(arg);
  for (int i = 0; i < kNumSteps; i++) {
    tracer::mark();
    s->ret[i] = kSteps[i].run(*s);
  }
  tracer::mark();
}

bool traced_tour(State* s) {
  std::vector<std::vector<tracer::Call>> segs;
  std::string why;
  if (!tracer::run(body, s, &segs, &why)) {
    std::printf("(ptrace unavailable: %s; running the steps untraced)\n", why.c_str());
    return false;
  }
  static const char* reg[] = {"rdi", "rsi", "rdx", "r10", "r8", "r9"};
  for (int i = 0; i < kNumSteps; i++) {
    header(i);
    if (segs[i].empty())
      std::printf("    no system call; the stub returned %lld\n",
                  static_cast<long long>(s->ret[i]));
    for (const tracer::Call& c : segs[i]) {
      std::printf("    syscall  rax=%-3llu (%s)", static_cast<unsigned long long>(c.nr),
                  sysname(c.nr));
      for (int a = 0; a < kSteps[i].nargs; a++) {
        unsigned long long v = c.args[a];
        if (v < 4096)
          std::printf("  %s=%llu", reg[a], v);
        else if (v <= 0xffffffff &&
                 static_cast<int32_t>(v) < 0)  // an int32 -1 in a 64-bit register
          std::printf("  %s=%#llx (int %d)", reg[a], v, static_cast<int32_t>(v));
        else
          std::printf("  %s=%#llx", reg[a], v);
      }
      std::printf("\n    kernel   rax=%lld  -> %s\n", static_cast<long long>(c.ret),
                  words(c.nr, c.ret).c_str());
      if (c.ret != s->ret[i] && c.nr != SYS_fcntl)
        std::printf("    stub     returned %lld\n", static_cast<long long>(s->ret[i]));
    }
  }
  return true;
}

void untraced_tour(State* s) {
  for (int i = 0; i < kNumSteps; i++) {
    header(i);
    s->ret[i] = kSteps[i].run(*s);
    std::printf("    returned %lld\n", static_cast<long long>(s->ret[i]));
  }
}

}  // namespace

int main() {
  std::printf(
      "netpoll-asm: a tour of the system-call stubs (asm/sys_linux_amd64.asm),\n"
      "in the order Go 1.19.8's netpoller uses them.\n");
  auto* s = static_cast<State*>(
      mmap(nullptr, sizeof(State), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  if (s == MAP_FAILED) return 1;
  std::fflush(stdout);  // the forked child must not inherit unprinted output
  if (tracer::traced() || !traced_tour(s)) untraced_tour(s);
  std::printf(
      "\nTo see the registers yourself:  gdb build/tour  then  break epollwait,  run,\n"
      "and stepi: the .asm lines step one by one, and at the syscall  p $rax  is 232.\n"
      "Go 1.19's own call is epollpwait's: break epollpwait instead, and at its syscall\n"
      "p $rax  is 281 and  p $r8  is 0.  NETPOLL_EPOLL=pwait makes the demo's netpoll\n"
      "call it too.\n");
  return 0;
}
