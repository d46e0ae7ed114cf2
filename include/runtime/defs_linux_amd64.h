// defs_linux_amd64.h - twin of Go 1.19.8's runtime/defs_linux_amd64.go:
// the kernel's numbers, the epoll event the netpoller shares with the
// kernel, and the structs of signal delivery (sigaction's, the siginfo and
// the saved registers a handler is given, the alternate stack); with
// os_linux_generic.go's signal sets and their constants.
//
// Names: Go spells these with a leading underscore (_EPOLLIN), which C++
// reserves before a capital; libc owns the bare spelling (EPOLLIN, EINTR are
// macros).  So the underscore moves to the end: Go's _EPOLLIN is our
// runtime::EPOLLIN_, everywhere.  The same for two field names that
// <signal.h> defines as macros: sa_handler and si_addr are sa_handler_
// and si_addr_.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace runtime {

constexpr int32_t EINTR_ = 0x4;   // defs_linux_amd64.go:9
constexpr int32_t EAGAIN_ = 0xb;  // defs_linux_amd64.go:10
constexpr int32_t ENOMEM_ = 0xc;  // defs_linux_amd64.go:11

constexpr int32_t MADV_NOHUGEPAGE_ = 0xf;  // defs_linux_amd64.go:25

constexpr uint64_t SA_RESTART_ = 0x10000000;  // defs_linux_amd64.go:27
constexpr uint64_t SA_ONSTACK_ = 0x8000000;   // defs_linux_amd64.go:28
constexpr uint64_t SA_RESTORER_ = 0x4000000;  // defs_linux_amd64.go:29
constexpr uint64_t SA_SIGINFO_ = 0x4;         // defs_linux_amd64.go:30

constexpr uint32_t SIGHUP_ = 0x1;     // defs_linux_amd64.go:35
constexpr uint32_t SIGINT_ = 0x2;     // defs_linux_amd64.go:36
constexpr uint32_t SIGQUIT_ = 0x3;    // defs_linux_amd64.go:37
constexpr uint32_t SIGILL_ = 0x4;     // defs_linux_amd64.go:38
constexpr uint32_t SIGTRAP_ = 0x5;    // defs_linux_amd64.go:39
constexpr uint32_t SIGABRT_ = 0x6;    // defs_linux_amd64.go:40
constexpr uint32_t SIGBUS_ = 0x7;     // defs_linux_amd64.go:41
constexpr uint32_t SIGFPE_ = 0x8;     // defs_linux_amd64.go:42
constexpr uint32_t SIGKILL_ = 0x9;    // defs_linux_amd64.go:43
constexpr uint32_t SIGUSR1_ = 0xa;    // defs_linux_amd64.go:44
constexpr uint32_t SIGSEGV_ = 0xb;    // defs_linux_amd64.go:45
constexpr uint32_t SIGUSR2_ = 0xc;    // defs_linux_amd64.go:46
constexpr uint32_t SIGPIPE_ = 0xd;    // defs_linux_amd64.go:47
constexpr uint32_t SIGALRM_ = 0xe;    // defs_linux_amd64.go:48
constexpr uint32_t SIGCHLD_ = 0x11;   // defs_linux_amd64.go:50
constexpr uint32_t SIGURG_ = 0x17;    // defs_linux_amd64.go:56
constexpr uint32_t SIGPROF_ = 0x1b;   // defs_linux_amd64.go:60
constexpr uint32_t SIGRTMIN_ = 0x20;  // defs_linux_amd64.go:66

constexpr int32_t FPE_INTDIV_ = 0x1;   // defs_linux_amd64.go:68
constexpr int32_t BUS_ADRERR_ = 0x2;   // defs_linux_amd64.go:78
constexpr int32_t SEGV_MAPERR_ = 0x1;  // defs_linux_amd64.go:81
constexpr int32_t SEGV_ACCERR_ = 0x2;  // defs_linux_amd64.go:82

constexpr uint32_t EPOLLIN_ = 0x1;           // defs_linux_amd64.go:92
constexpr uint32_t EPOLLOUT_ = 0x4;          // defs_linux_amd64.go:93
constexpr uint32_t EPOLLERR_ = 0x8;          // defs_linux_amd64.go:94
constexpr uint32_t EPOLLHUP_ = 0x10;         // defs_linux_amd64.go:95
constexpr uint32_t EPOLLRDHUP_ = 0x2000;     // defs_linux_amd64.go:96
constexpr uint32_t EPOLLET_ = 0x80000000;    // defs_linux_amd64.go:97
constexpr int32_t EPOLL_CLOEXEC_ = 0x80000;  // defs_linux_amd64.go:98
constexpr int32_t EPOLL_CTL_ADD_ = 0x1;      // defs_linux_amd64.go:99
constexpr int32_t EPOLL_CTL_DEL_ = 0x2;      // defs_linux_amd64.go:100
constexpr int32_t EPOLL_CTL_MOD_ = 0x3;      // defs_linux_amd64.go:101

constexpr int32_t O_NONBLOCK_ = 0x800;   // defs_linux_amd64.go:184
constexpr int32_t O_CLOEXEC_ = 0x80000;  // defs_linux_amd64.go:185

// The kernel's struct epoll_event is packed on amd64: a 4-byte mask, then
// the 8-byte user datum at offset 4, unaligned.  Go declares the datum as
// [8]byte so its compiler never assumes alignment, and stores a pointer
// there through an unsafe cast; we keep the bytes and copy pointers in
// and out with memcpy (epolldata_get/set), C++'s defined way to do an
// unaligned load or store.  Bytes need no padding, so no packing attribute
// is required for the layout to be the kernel's.
struct epollevent {  // defs_linux_amd64.go:174
  uint32_t events;   // defs_linux_amd64.go:175
  uint8_t data[8];   // defs_linux_amd64.go:176  unaligned uintptr
};
static_assert(sizeof(epollevent) == 12, "kernel's epoll_event is 12 bytes on amd64");
static_assert(offsetof(epollevent, data) == 4, "data follows events with no padding");

// Go writes `*(**pollDesc)(unsafe.Pointer(&ev.data)) = pd` and reads it back
// the same way.  These are that cast, spelled as the unaligned copy it
// really is.
inline void epolldata_set(epollevent* ev, const void* p) {
  std::memcpy(ev->data, &p, sizeof p);  // netpoll_epoll.go:67  *(**pollDesc)(&ev.data) = pd
}
inline void* epolldata_get(const epollevent* ev) {
  void* p;
  std::memcpy(&p, ev->data, sizeof p);  // netpoll_epoll.go:170  pd := *(**pollDesc)(&ev.data)
  return p;
}
// go1.21 netpoll_epoll.go stores and loads a taggedPointer there instead.
inline void epolldata_set64(epollevent* ev, uint64_t v) { std::memcpy(ev->data, &v, sizeof v); }
inline uint64_t epolldata_get64(const epollevent* ev) {
  uint64_t v;
  std::memcpy(&v, ev->data, sizeof v);
  return v;
}

// defs_linux_amd64.go:127  The kernel's struct sigaction, which is not
// libc's: the handler, the flags, the restorer (where a handler returns
// to), then the mask of signals blocked while it runs.
struct sigactiont {
  uintptr_t sa_handler_;  // defs_linux_amd64.go:128
  uint64_t sa_flags;      // defs_linux_amd64.go:129
  uintptr_t sa_restorer;  // defs_linux_amd64.go:130
  uint64_t sa_mask;       // defs_linux_amd64.go:131
};

// defs_linux_amd64.go:134-147  What the kernel says about a signal: its
// number, a code (SI_USER: sent by kill; else the kernel's reason) and,
// for a fault, the address; padded to the kernel's 128 bytes.
struct siginfo {
  int32_t si_signo;  // defs_linux_amd64.go:135
  int32_t si_errno;  // defs_linux_amd64.go:136
  int32_t si_code;   // defs_linux_amd64.go:137
  uint64_t si_addr_;  // defs_linux_amd64.go:139  the union's first field, after 4 bytes of padding
  uint8_t pad_[128 - 24];
};
static_assert(offsetof(siginfo, si_addr_) == 16 && sizeof(siginfo) == 128, "the kernel's siginfo");

// defs_linux_amd64.go:245  An alternate signal stack (sigaltstack).
struct stackt {
  uint8_t* ss_sp;    // defs_linux_amd64.go:246
  int32_t ss_flags;  // defs_linux_amd64.go:247
  uint8_t pad_cgo_0[4];
  uintptr_t ss_size;  // defs_linux_amd64.go:249
};

// defs_linux_amd64.go:267  The registers a signal interrupted, as the
// kernel saved them; a handler may change them, and rt_sigreturn loads
// them back.
struct sigcontext {
  uint64_t r8, r9, r10, r11, r12, r13, r14, r15;  // defs_linux_amd64.go:268-275
  uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;  // defs_linux_amd64.go:276-284
  uint64_t eflags;                                       // defs_linux_amd64.go:285
  uint16_t cs, gs, fs, pad0_;                            // defs_linux_amd64.go:286-289
  uint64_t err, trapno, oldmask, cr2;                    // defs_linux_amd64.go:290-293
  void* fpstate;                                         // defs_linux_amd64.go:294
  uint64_t reserved1_[8];                                // defs_linux_amd64.go:295
};

// defs_linux_amd64.go:258  The third argument of a handler: the saved
// context, whose uc_mcontext is the sigcontext above.
struct ucontext {
  uint64_t uc_flags;         // defs_linux_amd64.go:259
  ucontext* uc_link;         // defs_linux_amd64.go:260
  stackt uc_stack;           // defs_linux_amd64.go:261
  sigcontext uc_mcontext;    // defs_linux_amd64.go:262  Go's mcontext, the same 256 bytes
  uint64_t uc_sigmask[16];   // defs_linux_amd64.go:263
};
static_assert(offsetof(ucontext, uc_mcontext) == 40 && sizeof(sigcontext) == 256,
              "the kernel's ucontext");

// os_linux_generic.go:10-15
constexpr int32_t SS_DISABLE_ = 2;    // os_linux_generic.go:10
constexpr uint32_t NSIG_ = 65;        // os_linux_generic.go:11
constexpr int32_t SI_USER_ = 0;       // os_linux_generic.go:12
constexpr int32_t SIG_BLOCK_ = 0;     // os_linux_generic.go:13
constexpr int32_t SIG_UNBLOCK_ = 1;   // os_linux_generic.go:14
constexpr int32_t SIG_SETMASK_ = 2;   // os_linux_generic.go:15

// os_linux_generic.go:21  A set of signals 1-64, bit sig-1 for signal sig,
// as the kernel keeps it.
struct sigset {
  uint32_t w[2];
};
constexpr sigset sigset_all{{~uint32_t{0}, ~uint32_t{0}}};  // os_linux_generic.go:23

// go1.23 (CL 560615): eventfd2's flags, the kernel's values.
constexpr int32_t EFD_CLOEXEC_ = 0x80000;
constexpr int32_t EFD_NONBLOCK_ = 0x800;

}  // namespace runtime
