// sigtab_linux_generic.cpp - twin of Go 1.19.8's
// runtime/sigtab_linux_generic.go: for each of Linux's 65 signal numbers,
// what the runtime does with it and the name it prints.  The flags
// (runtime2.h) read: SigNotify, os/signal may take it (nothing here asks
// for any, so sigsend always declines); SigKill, otherwise the signal ends
// the process as its default would; SigThrow, otherwise the process dies
// printing every goroutine's stack; SigPanic, a fault of the code that
// ran; SigUnblock, never blocked; SigIgn, ignored by default; SigDefault,
// left alone; SigSetStack, libc's (SIGCANCEL and SIGSETXID belong to
// glibc's threads: the runtime only makes their handlers run on the
// signal stack).
#include "runtime/signal_unix.h"

namespace runtime {

const sigTabT sigtable[NSIG_] = {  // sigtab_linux_generic.go:9
    /* 0 */ {0, "SIGNONE: no trap"},  // sigtab_linux_generic.go:10
    /* 1 */ {SigNotify | SigKill, "SIGHUP: terminal line hangup"},  // sigtab_linux_generic.go:11
    /* 2 */ {SigNotify | SigKill, "SIGINT: interrupt"},  // sigtab_linux_generic.go:12
    /* 3 */ {SigNotify | SigThrow, "SIGQUIT: quit"},  // sigtab_linux_generic.go:13
    /* 4 */ {SigThrow | SigUnblock, "SIGILL: illegal instruction"},  // sigtab_linux_generic.go:14
    /* 5 */ {SigThrow | SigUnblock, "SIGTRAP: trace trap"},  // sigtab_linux_generic.go:15
    /* 6 */ {SigNotify | SigThrow, "SIGABRT: abort"},  // sigtab_linux_generic.go:16
    /* 7 */ {SigPanic | SigUnblock, "SIGBUS: bus error"},  // sigtab_linux_generic.go:17
    /* 8 */ {SigPanic | SigUnblock, "SIGFPE: floating-point exception"},  // sigtab_linux_generic.go:18
    /* 9 */ {0, "SIGKILL: kill"},  // sigtab_linux_generic.go:19
    /* 10 */ {SigNotify, "SIGUSR1: user-defined signal 1"},  // sigtab_linux_generic.go:20
    /* 11 */ {SigPanic | SigUnblock, "SIGSEGV: segmentation violation"},  // sigtab_linux_generic.go:21
    /* 12 */ {SigNotify, "SIGUSR2: user-defined signal 2"},  // sigtab_linux_generic.go:22
    /* 13 */ {SigNotify, "SIGPIPE: write to broken pipe"},  // sigtab_linux_generic.go:23
    /* 14 */ {SigNotify, "SIGALRM: alarm clock"},  // sigtab_linux_generic.go:24
    /* 15 */ {SigNotify | SigKill, "SIGTERM: termination"},  // sigtab_linux_generic.go:25
    /* 16 */ {SigThrow | SigUnblock, "SIGSTKFLT: stack fault"},  // sigtab_linux_generic.go:26
    /* 17 */ {SigNotify | SigUnblock | SigIgn, "SIGCHLD: child status has changed"},  // sigtab_linux_generic.go:27
    /* 18 */ {SigNotify | SigDefault | SigIgn, "SIGCONT: continue"},  // sigtab_linux_generic.go:28
    /* 19 */ {0, "SIGSTOP: stop, unblockable"},  // sigtab_linux_generic.go:29
    /* 20 */ {SigNotify | SigDefault | SigIgn, "SIGTSTP: keyboard stop"},  // sigtab_linux_generic.go:30
    /* 21 */ {SigNotify | SigDefault | SigIgn, "SIGTTIN: background read from tty"},  // sigtab_linux_generic.go:31
    /* 22 */ {SigNotify | SigDefault | SigIgn, "SIGTTOU: background write to tty"},  // sigtab_linux_generic.go:32
    /* 23 */ {SigNotify | SigIgn, "SIGURG: urgent condition on socket"},  // sigtab_linux_generic.go:33
    /* 24 */ {SigNotify, "SIGXCPU: cpu limit exceeded"},  // sigtab_linux_generic.go:34
    /* 25 */ {SigNotify, "SIGXFSZ: file size limit exceeded"},  // sigtab_linux_generic.go:35
    /* 26 */ {SigNotify, "SIGVTALRM: virtual alarm clock"},  // sigtab_linux_generic.go:36
    /* 27 */ {SigNotify | SigUnblock, "SIGPROF: profiling alarm clock"},  // sigtab_linux_generic.go:37
    /* 28 */ {SigNotify | SigIgn, "SIGWINCH: window size change"},  // sigtab_linux_generic.go:38
    /* 29 */ {SigNotify, "SIGIO: i/o now possible"},  // sigtab_linux_generic.go:39
    /* 30 */ {SigNotify, "SIGPWR: power failure restart"},  // sigtab_linux_generic.go:40
    /* 31 */ {SigThrow, "SIGSYS: bad system call"},  // sigtab_linux_generic.go:41
    /* 32 */ {SigSetStack | SigUnblock, "signal 32"},  // sigtab_linux_generic.go:42
    /* 33 */ {SigSetStack | SigUnblock, "signal 33"},  // sigtab_linux_generic.go:43
    /* 34 */ {SigSetStack | SigUnblock, "signal 34"},  // sigtab_linux_generic.go:44
    /* 35 */ {SigNotify, "signal 35"},  // sigtab_linux_generic.go:45
    /* 36 */ {SigNotify, "signal 36"},  // sigtab_linux_generic.go:46
    /* 37 */ {SigNotify, "signal 37"},  // sigtab_linux_generic.go:47
    /* 38 */ {SigNotify, "signal 38"},  // sigtab_linux_generic.go:48
    /* 39 */ {SigNotify, "signal 39"},  // sigtab_linux_generic.go:49
    /* 40 */ {SigNotify, "signal 40"},  // sigtab_linux_generic.go:50
    /* 41 */ {SigNotify, "signal 41"},  // sigtab_linux_generic.go:51
    /* 42 */ {SigNotify, "signal 42"},  // sigtab_linux_generic.go:52
    /* 43 */ {SigNotify, "signal 43"},  // sigtab_linux_generic.go:53
    /* 44 */ {SigNotify, "signal 44"},  // sigtab_linux_generic.go:54
    /* 45 */ {SigNotify, "signal 45"},  // sigtab_linux_generic.go:55
    /* 46 */ {SigNotify, "signal 46"},  // sigtab_linux_generic.go:56
    /* 47 */ {SigNotify, "signal 47"},  // sigtab_linux_generic.go:57
    /* 48 */ {SigNotify, "signal 48"},  // sigtab_linux_generic.go:58
    /* 49 */ {SigNotify, "signal 49"},  // sigtab_linux_generic.go:59
    /* 50 */ {SigNotify, "signal 50"},  // sigtab_linux_generic.go:60
    /* 51 */ {SigNotify, "signal 51"},  // sigtab_linux_generic.go:61
    /* 52 */ {SigNotify, "signal 52"},  // sigtab_linux_generic.go:62
    /* 53 */ {SigNotify, "signal 53"},  // sigtab_linux_generic.go:63
    /* 54 */ {SigNotify, "signal 54"},  // sigtab_linux_generic.go:64
    /* 55 */ {SigNotify, "signal 55"},  // sigtab_linux_generic.go:65
    /* 56 */ {SigNotify, "signal 56"},  // sigtab_linux_generic.go:66
    /* 57 */ {SigNotify, "signal 57"},  // sigtab_linux_generic.go:67
    /* 58 */ {SigNotify, "signal 58"},  // sigtab_linux_generic.go:68
    /* 59 */ {SigNotify, "signal 59"},  // sigtab_linux_generic.go:69
    /* 60 */ {SigNotify, "signal 60"},  // sigtab_linux_generic.go:70
    /* 61 */ {SigNotify, "signal 61"},  // sigtab_linux_generic.go:71
    /* 62 */ {SigNotify, "signal 62"},  // sigtab_linux_generic.go:72
    /* 63 */ {SigNotify, "signal 63"},  // sigtab_linux_generic.go:73
    /* 64 */ {SigNotify, "signal 64"},  // sigtab_linux_generic.go:74
};
// Go checks the length when the runtime starts (signal_unix.go's init,
// "bad sigtable len"); C++ checks it when this file compiles.
static_assert(sizeof sigtable / sizeof sigtable[0] == NSIG_, "bad sigtable len");

}  // namespace runtime
