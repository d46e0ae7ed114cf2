// sys_linux_amd64.h - the C++ view of the system-call stubs.
//
// Defined in asm/sys_linux_amd64.asm (twin of Go's sys_linux_amd64.s).
// Every stub returns the kernel's raw answer: a result, or -errno.  None of
// them reads or writes libc's errno.
//
// Names: Go's, in namespace runtime.  Some of Go's names are symbols glibc
// already exports (exit, open, read, pipe2, usleep, madvise, gettid, raise,
// getpid, tgkill, sigreturn, sigaltstack); defining them would replace
// libc's for the whole program, so their assembly symbols are Go's linker
// names with the middle dot spelled '_' (runtime·read -> runtime_read).
// The asm labels below bind them back to Go's names, so C++ code calls
// runtime::read and runtime::pipe2 exactly as Go calls read and pipe2.
#pragma once

#include <cstdint>

#include "runtime/defs_linux_amd64.h"

namespace runtime {

// sysMmap's two results, (p unsafe.Pointer, err int), returned in rax:rdx.
struct mmapResult {
  void* p;
  int64_t err;  // 0, or a positive errno
};

extern "C" {
// sys_linux_amd64.s:88  Returns 0, or -1 on any error: Go keeps no errno.
int32_t closefd(int32_t fd) noexcept;
// sys_linux_amd64.s:98  fd is a uintptr in Go.
int32_t write1(uintptr_t fd, const void* p, int32_t n) noexcept;
// sys_linux_amd64.s:161  kill(getpid(), sig): to the process, any thread.
void raiseproc(uint32_t sig) noexcept;
// sys_linux_amd64.s:228  CLOCK_MONOTONIC in ns, through the vDSO when there is one.
int64_t nanotime1() noexcept;
// sys_linux_amd64.s:293  This thread's signal mask; crashes if the kernel refuses.
void rtsigprocmask(int32_t how, const sigset* nw, sigset* old, int32_t size) noexcept;
// sys_linux_amd64.s:305  The kernel's sigaction: 0 or -errno.
int32_t rt_sigaction(uintptr_t sig, const sigactiont* nw, sigactiont* old, uintptr_t size) noexcept;
// sys_linux_amd64.s:328  Call fn(sig, info, ctx), a handler installed before ours.
void sigfwd(uintptr_t fn, uint32_t sig, siginfo* info, void* ctx) noexcept;
// sys_linux_amd64.s:342  Where the kernel delivers every signal the runtime
// handles; calls sigtrampgo (src/runtime/signal_unix.cpp).
void sigtramp(int sig, void* info, void* ctx) noexcept;
// sys_linux_amd64.s:477  Go's mmap: p, or p = nullptr and err = errno.
mmapResult sysMmap(void* addr, uintptr_t n, int32_t prot, int32_t flags, int32_t fd,
                   uint32_t off) noexcept;
// sys_linux_amd64.s:517  Crashes (a store to 0xf1) if the kernel refuses, as Go's does.
void sysMunmap(void* addr, uintptr_t n) noexcept;
// sys_linux_amd64.s:655  sched_yield.
void osyield() noexcept;
// sys_linux_amd64.s:551
int32_t futex(void* addr, int32_t op, uint32_t val, const void* ts, void* addr2,
              uint32_t val3) noexcept;
// sys_linux_amd64.s:670
int32_t epollcreate(int32_t size) noexcept;  // netpoll_epoll.go:14
// sys_linux_amd64.s:678
int32_t epollcreate1(int32_t flags) noexcept;  // netpoll_epoll.go:15
// sys_linux_amd64.s:686, declared in Go at netpoll_epoll.go:18
int32_t epollctl(int32_t epfd, int32_t op, int32_t fd, epollevent* ev) noexcept;
// sys_linux_amd64.s:697, but syscall 232 (epoll_wait) where Go issues 281;
// declared in Go at netpoll_epoll.go:21
int32_t epollwait(int32_t epfd, epollevent* ev, int32_t nev, int32_t timeout) noexcept;
// sys_linux_amd64.s:697 exactly: epoll_pwait (281) with a NULL sigmask.
int32_t epollpwait(int32_t epfd, epollevent* ev, int32_t nev, int32_t timeout) noexcept;
// sys_linux_amd64.s:710  Go discards fcntl's answer; so does this.
void closeonexec(int32_t fd) noexcept;                       // netpoll_epoll.go:22
int32_t eventfd2(uint32_t initval, int32_t flags) noexcept;  // go1.23's netpollBreak
}

// sys_linux_amd64.s:56  Go's exit: exit_group, never returns.  Symbol runtime_exit.
[[noreturn]] void exit(int32_t code) noexcept __asm__("runtime_exit");
int32_t open(const char* name, int32_t mode, int32_t perm) noexcept __asm__("runtime_open");
// sys_linux_amd64.s:107  Go's read; symbol runtime_read.
int32_t read(int32_t fd, void* p, int32_t n) noexcept __asm__("runtime_read");
// sys_linux_amd64.s:117  Go's pipe2(flags) (r, w, errno): the kernel writes
// r and w into rw[0] and rw[1]; returns errno (0 or -errno).  Symbol
// runtime_pipe2.
int32_t pipe2(int32_t flags, int32_t rw[2]) noexcept __asm__("runtime_pipe2");
// sys_linux_amd64.s:125  Go's usleep: nanosleep for usec µs.  Symbol runtime_usleep.
void usleep(uint32_t usec) noexcept __asm__("runtime_usleep");
// sys_linux_amd64.s:540  Go's madvise: 0 or -errno.  Symbol runtime_madvise.
int32_t madvise(void* addr, uintptr_t n, int32_t flags) noexcept __asm__("runtime_madvise");
// sys_linux_amd64.s:142  This thread's id.  Symbol runtime_gettid.
uint32_t gettid() noexcept __asm__("runtime_gettid");
// sys_linux_amd64.s:148  tgkill(getpid(), gettid(), sig): to this thread.
// Symbol runtime_raise.
void raise(uint32_t sig) noexcept __asm__("runtime_raise");
// sys_linux_amd64.s:170  The process id.  Symbol runtime_getpid.
int64_t getpid() noexcept __asm__("runtime_getpid");
// sys_linux_amd64.s:176  sig to thread tid of process tgid.  Symbol runtime_tgkill.
void tgkill(int64_t tgid, int64_t tid, int64_t sig) noexcept __asm__("runtime_tgkill");
// sys_linux_amd64.s:472  The restorer a handler returns to: rt_sigreturn.
// Symbol runtime_sigreturn.
void sigreturn() noexcept __asm__("runtime_sigreturn");
// sys_linux_amd64.s:628  This thread's alternate signal stack; crashes if
// the kernel refuses.  Symbol runtime_sigaltstack.
void sigaltstack(const stackt* nw, stackt* old) noexcept __asm__("runtime_sigaltstack");

}  // namespace runtime
