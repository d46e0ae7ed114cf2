; sys_linux_amd64.asm - the netpoller's system calls, twin of Go 1.19.8's
; runtime/sys_linux_amd64.s.
;
; Each stub is a System V AMD64 function that loads the kernel's registers
; and executes `syscall`, nothing more: no libc, no errno, no stack frame.
; It returns what the kernel left in rax: a result, or -errno in -4095..-1.
;
; Two calling conventions meet here.
;   Go's ABI0 (what sys_linux_amd64.s is written in) passes every argument
;   and result in the caller's frame: `epfd+0(FP)` is the first argument,
;   `ret+24(FP)` the result slot.  Go's stubs copy slots into registers.
;   System V passes the first six integer arguments in
;       rdi, rsi, rdx, rcx, r8, r9          and returns in rax,
;   the Linux `syscall` instruction takes the number in rax and
;       rdi, rsi, rdx, r10, r8, r9.
;   The lists differ in one place: `syscall` itself overwrites rcx (with the
;   return address) and r11 (with rflags), so the kernel cannot read an
;   argument from rcx; a fourth argument is moved to r10.
; The kernel preserves every other register, so rbx, rbp, r12-r15 (callee-
; saved in System V) survive untouched and no stub needs a frame: rsp still
; points at our caller's return address throughout.
;
; Names.  Go's names are kept, except where glibc already exports the
; symbol (exit, open, read, pipe2, usleep, madvise, gettid, raise, getpid,
; tgkill, sigreturn, sigaltstack): a stub of that name would replace libc's
; for the whole program.  Those take Go's linker symbol with `·` spelled `_`:
;   runtime·exit    -> runtime_exit
;   runtime·open    -> runtime_open
;   runtime·read    -> runtime_read
;   runtime·pipe2   -> runtime_pipe2
;   runtime·madvise -> runtime_madvise
;   runtime·raise   -> runtime_raise        (and so on)
; The C++ declarations are in include/runtime/sys_linux_amd64.h.
;
; int32 arguments.  Go loads each with MOVL, and a 32-bit move clears the
; upper half of its 64-bit register.  System V promises nothing about the
; upper half of an `int` argument: the caller may leave anything there.
; That is harmless only where the kernel declares the argument `int`
; (its SYSCALL_DEFINE wrapper then truncates it).  It is not harmless for
; read's and write's count (size_t) or for mmap's prot, flags, fd and off
; (unsigned long): garbage above bit 31 is a huge count or offset.  So
; every stub repeats Go's MOVL where Go has one, as a 32-bit move of the
; register onto itself (`mov edx, edx`): the kernel sees exactly the
; register contents Go's stub would give it.  notes/abi.md has the list.

bits 64
default rel

; Syscall numbers, sorted, as Go's SYS_* defines (sys_linux_amd64.s:16-54).
; tests/sys_linux_amd64_test.cpp holds each against the kernel's
; asm/unistd_64.h, Go's runtime table and Go's golang.org/x/sys/unix table.
SYS_read                equ 0
SYS_write               equ 1
SYS_close               equ 3
SYS_mmap                equ 9
SYS_munmap              equ 11
SYS_rt_sigaction        equ 13
SYS_rt_sigprocmask      equ 14
SYS_rt_sigreturn        equ 15
SYS_sched_yield         equ 24
SYS_madvise             equ 28
SYS_nanosleep           equ 35
SYS_getpid              equ 39
SYS_kill                equ 62
SYS_fcntl               equ 72
SYS_sigaltstack         equ 131
SYS_gettid              equ 186
SYS_futex               equ 202
SYS_epoll_create        equ 213
SYS_clock_gettime       equ 228
SYS_exit_group          equ 231
SYS_epoll_wait          equ 232         ; Go 1.19 does not use this one
SYS_epoll_ctl           equ 233
SYS_tgkill              equ 234
SYS_openat              equ 257
SYS_epoll_pwait         equ 281
SYS_eventfd2            equ 290         ; go1.23's netpollBreak, not 1.19's
SYS_epoll_create1       equ 291
SYS_pipe2               equ 293

AT_FDCWD                equ -100        ; openat: a path relative to the working directory
F_SETFD                 equ 2           ; fcntl: set descriptor flags
FD_CLOEXEC              equ 1
CLOCK_MONOTONIC         equ 1

; Offsets nanotime1 reads, as Go's go_asm.h gives its assembly; checked by
; static_assert in include/runtime/runtime2.h.
m_g0sched               equ 0           ; m.g0sched: g0's saved context
m_curg                  equ 8           ; m.curg
m_vdsoSP                equ 16          ; m.vdsoSP
m_vdsoPC                equ 24          ; m.vdsoPC
gobuf_sp                equ 0           ; gobuf.sp
g_stack_lo              equ 0           ; g.stack_lo
g_stack_hi              equ 8           ; g.stack_hi

section .text

; void runtime_exit(int32_t code);                           Go's `exit`
; Go: sys_linux_amd64.s:56  (TEXT runtime·exit)
;   code+0(FP) -> edi, zero-extended
; exit_group ends every thread of the process at once and never returns.
; libc's exit would first run atexit handlers and flush stdio; the runtime
; wants neither when it throws.
global runtime_exit:function (runtime_exit.end - runtime_exit)
runtime_exit:
        mov     edi, edi                        ; sys_linux_amd64.s:57  code, MOVL: upper half cleared
        mov     eax, SYS_exit_group             ; sys_linux_amd64.s:58
        syscall                                 ; sys_linux_amd64.s:59
        ret                                     ; sys_linux_amd64.s:60  never reached
.end:

; int32_t runtime_open(const char *name, int32_t mode, int32_t perm);  Go's `open`
; Go: sys_linux_amd64.s:74  (TEXT runtime·open)
;   name+0(FP) -> rsi (arrives in rdi)   mode+8(FP) -> edx (arrives in esi)
;   perm+12(FP) -> r10d (arrives in edx); rdi gets AT_FDCWD
; openat relative to the working directory, as Go's (Android blocks plain
; open).  System V hands us the arguments one register to the left of
; where the kernel wants them, so they move from the last to the first,
; each before its register is overwritten: Go's order, reversed.
; Returns the new fd, or -1 on any error (the errno dropped, as Go's).
global runtime_open:function (runtime_open.end - runtime_open)
runtime_open:
        mov     r10d, edx                       ; sys_linux_amd64.s:79  perm, MOVL
        mov     edx, esi                        ; sys_linux_amd64.s:78  mode, MOVL
        mov     rsi, rdi                        ; sys_linux_amd64.s:77  name
        mov     edi, AT_FDCWD                   ; sys_linux_amd64.s:76  MOVL: 0x00000000ffffff9c, as Go's
        mov     eax, SYS_openat                 ; sys_linux_amd64.s:80
        syscall                                 ; sys_linux_amd64.s:81
        cmp     rax, -4095                      ; sys_linux_amd64.s:82
        jbe     .ok                             ; sys_linux_amd64.s:83
        mov     eax, -1                         ; sys_linux_amd64.s:84
.ok:                                            ; sys_linux_amd64.s:85  result: already in eax
        ret                                     ; sys_linux_amd64.s:86
.end:

; int32_t closefd(int32_t fd);
; Go: sys_linux_amd64.s:88  (TEXT runtime·closefd)
;   fd+0(FP) -> edi (System V rdi, kernel rdi: in place; zero-extended)
; Returns 0, or -1 on any error.  Like Go's stub, this one keeps less than
; the kernel said: the errno is dropped, so the caller sees -1, not -EBADF.
; Kernel leaves: rax = 0 or -errno; rcx, r11 clobbered.
global closefd:function (closefd.end - closefd)
closefd:
        mov     edi, edi                        ; sys_linux_amd64.s:89  fd, MOVL
        mov     eax, SYS_close                  ; sys_linux_amd64.s:90
        syscall                                 ; sys_linux_amd64.s:91
        cmp     rax, -4095                      ; sys_linux_amd64.s:92  0xfffffffffffff001
        jbe     .ok                             ; sys_linux_amd64.s:93  unsigned <=: not an error
        mov     eax, -1                         ; sys_linux_amd64.s:94
.ok:                                            ; sys_linux_amd64.s:95  result: already in eax
        ret                                     ; sys_linux_amd64.s:96
.end:

; int32_t write1(uintptr_t fd, const void *p, int32_t n);
; Go: sys_linux_amd64.s:98  (TEXT runtime·write1)
;   fd+0(FP) -> rdi   p+8(FP) -> rsi   n+16(FP) -> edx, zero-extended
; fd is a uintptr in Go (MOVQ), hence the 64-bit type here.  n is an int32
; that the kernel reads as a size_t count: its upper half must be clear.
; Returns bytes written or -errno.  Kernel leaves rcx, r11 clobbered.
global write1:function (write1.end - write1)
write1:
                                                ; sys_linux_amd64.s:99-100  fd, p: already in rdi, rsi
        mov     edx, edx                        ; sys_linux_amd64.s:101  n, MOVL: a size_t to the kernel
        mov     eax, SYS_write                  ; sys_linux_amd64.s:102
        syscall                                 ; sys_linux_amd64.s:103
                                                ; sys_linux_amd64.s:104  result: already in eax
        ret                                     ; sys_linux_amd64.s:105
.end:

; int32_t runtime_read(int32_t fd, void *p, int32_t n);      Go's `read`
; Go: sys_linux_amd64.s:107  (TEXT runtime·read)
;   fd+0(FP) -> edi   p+8(FP) -> rsi   n+16(FP) -> edx   (edi, edx zero-extended)
; Returns bytes read (0 at end of file) or -errno.  rcx, r11 clobbered.
global runtime_read:function (runtime_read.end - runtime_read)
runtime_read:
        mov     edi, edi                        ; sys_linux_amd64.s:108  fd, MOVL
                                                ; sys_linux_amd64.s:109  p: already in rsi
        mov     edx, edx                        ; sys_linux_amd64.s:110  n, MOVL: a size_t to the kernel
        mov     eax, SYS_read                   ; sys_linux_amd64.s:111
        syscall                                 ; sys_linux_amd64.s:112
                                                ; sys_linux_amd64.s:113  result: already in eax
        ret                                     ; sys_linux_amd64.s:114
.end:

; int32_t runtime_pipe2(int32_t flags, int32_t rw[2]);      Go's `pipe2`
; Go: sys_linux_amd64.s:117  (TEXT runtime·pipe2)
; Go declares `pipe2(flags int32) (r, w int32, errno int32)` and hands the
; kernel the address of its own result slots r+8(FP), w+12(FP): the kernel
; writes the two descriptors straight into them.  In C the result slots
; become the array rw, passed second to keep Go's argument order; the
; kernel wants it first, so the two registers trade places.
;   flags+0(FP) -> esi (from edi, zero-extended)   &r+8(FP) -> rdi (from rsi)
; Returns 0 or -errno (Go's errno result).  rcx, r11 clobbered.
global runtime_pipe2:function (runtime_pipe2.end - runtime_pipe2)
runtime_pipe2:
        xchg    rdi, rsi                        ; sys_linux_amd64.s:118  &r into rdi, flags into rsi
        mov     esi, esi                        ; sys_linux_amd64.s:119  flags, MOVL
        mov     eax, SYS_pipe2                  ; sys_linux_amd64.s:120
        syscall                                 ; sys_linux_amd64.s:121
                                                ; sys_linux_amd64.s:122  errno result: already in eax
        ret                                     ; sys_linux_amd64.s:123
.end:

; void runtime_usleep(uint32_t usec);                          Go's `usleep`
; Go: sys_linux_amd64.s:125  (TEXT runtime·usleep)
;   usec+0(FP) -> edi
; Sleeps at least usec microseconds: nanosleep with a timespec built on
; the stack, {usec / 1e6 s, usec % 1e6 * 1000 ns}.  sysmon sleeps here.
; Returns nothing (Go discards nanosleep's answer).  rax, rcx, rdx, rsi,
; rdi, r11 clobbered.
global runtime_usleep:function (runtime_usleep.end - runtime_usleep)
runtime_usleep:
        sub     rsp, 24                         ; sys_linux_amd64.s:125  $16 of frame, and rsp aligned
        xor     edx, edx                        ; sys_linux_amd64.s:126  DX = 0: the dividend's top half
        mov     eax, edi                        ; sys_linux_amd64.s:127  usec, MOVL
        mov     ecx, 1000000                    ; sys_linux_amd64.s:128
        div     ecx                             ; sys_linux_amd64.s:129  eax = seconds, edx = the rest in µs
        mov     [rsp], rax                      ; sys_linux_amd64.s:130  tv_sec
        mov     eax, 1000                       ; sys_linux_amd64.s:131  usec to nsec
        mul     edx                             ; sys_linux_amd64.s:132
        mov     [rsp + 8], rax                  ; sys_linux_amd64.s:133  tv_nsec
        mov     rdi, rsp                        ; sys_linux_amd64.s:136  &ts
        xor     esi, esi                        ; sys_linux_amd64.s:137  no remainder wanted
        mov     eax, SYS_nanosleep              ; sys_linux_amd64.s:138
        syscall                                 ; sys_linux_amd64.s:139
        add     rsp, 24
        ret                                     ; sys_linux_amd64.s:140
.end:

; int32_t runtime_gettid(void);                              Go's `gettid`
; Go: sys_linux_amd64.s:142  (TEXT runtime·gettid)
; The calling thread's id: the name the kernel knows it by, which tgkill
; aims at and /proc/self/task lists.  Every M records its own (minit,
; src/runtime/os_linux.cpp).  gettid cannot fail.  rcx, r11 clobbered.
global runtime_gettid:function (runtime_gettid.end - runtime_gettid)
runtime_gettid:
        mov     eax, SYS_gettid                 ; sys_linux_amd64.s:143
        syscall                                 ; sys_linux_amd64.s:144
                                                ; sys_linux_amd64.s:145  result: already in eax
        ret                                     ; sys_linux_amd64.s:146
.end:

; void runtime_raise(uint32_t sig);                          Go's `raise`
; Go: sys_linux_amd64.s:148  (TEXT runtime·raise)
;   sig+0(FP) -> edx (arrives in edi)
; Sends sig to this thread alone, tgkill(getpid(), gettid(), sig): a
; signal the process raises about itself (dieFromSignal) must land where
; it was raised, not on whichever thread the kernel would pick.  Go keeps
; the pid in R12 across the second system call; System V says r12 is ours
; to keep, so it is saved first.  sig arrives in edi and must move to edx
; before edi takes the pid: Go's line 156 comes first here.  The kernel
; leaves rdi alone across the two earlier calls.  rcx, r11 clobbered.
global runtime_raise:function (runtime_raise.end - runtime_raise)
runtime_raise:
        push    r12                             ; System V: r12 is callee-saved
        mov     eax, SYS_getpid                 ; sys_linux_amd64.s:149
        syscall                                 ; sys_linux_amd64.s:150
        mov     r12d, eax                       ; sys_linux_amd64.s:151  the pid
        mov     eax, SYS_gettid                 ; sys_linux_amd64.s:152
        syscall                                 ; sys_linux_amd64.s:153
        mov     edx, edi                        ; sys_linux_amd64.s:156  sig, MOVL: arg 3
        mov     esi, eax                        ; sys_linux_amd64.s:154  arg 2: the tid
        mov     edi, r12d                       ; sys_linux_amd64.s:155  arg 1: the pid
        mov     eax, SYS_tgkill                 ; sys_linux_amd64.s:157
        syscall                                 ; sys_linux_amd64.s:158
        pop     r12
        ret                                     ; sys_linux_amd64.s:159
.end:

; void raiseproc(uint32_t sig);
; Go: sys_linux_amd64.s:161  (TEXT runtime·raiseproc)
;   sig+0(FP) -> esi (arrives in edi)
; Sends sig to the whole process, kill(getpid(), sig): the kernel gives it
; to any thread that does not block it.  GOTRACEBACK=crash relays SIGQUIT
; from M to M this way (sighandler).  sig moves out of edi before the pid
; takes its place: Go's line 165 first.  rcx, r11 clobbered.
global raiseproc:function (raiseproc.end - raiseproc)
raiseproc:
        mov     esi, edi                        ; sys_linux_amd64.s:165  sig, MOVL: arg 2
        mov     eax, SYS_getpid                 ; sys_linux_amd64.s:162
        syscall                                 ; sys_linux_amd64.s:163
        mov     edi, eax                        ; sys_linux_amd64.s:164  arg 1: the pid
        mov     eax, SYS_kill                   ; sys_linux_amd64.s:166
        syscall                                 ; sys_linux_amd64.s:167
        ret                                     ; sys_linux_amd64.s:168
.end:

; int64_t runtime_getpid(void);                              Go's `getpid`
; Go: sys_linux_amd64.s:170  (TEXT ·getpid)
; The process id; signalM's tgkill names the process with it.  rcx, r11
; clobbered.
global runtime_getpid:function (runtime_getpid.end - runtime_getpid)
runtime_getpid:
        mov     eax, SYS_getpid                 ; sys_linux_amd64.s:171
        syscall                                 ; sys_linux_amd64.s:172
                                                ; sys_linux_amd64.s:173  result: already in rax
        ret                                     ; sys_linux_amd64.s:174
.end:

; void runtime_tgkill(int64_t tgid, int64_t tid, int64_t sig);  Go's `tgkill`
; Go: sys_linux_amd64.s:176  (TEXT ·tgkill)
;   tgid+0(FP) -> rdi   tid+8(FP) -> rsi   sig+16(FP) -> rdx   (all in place)
; Sends sig to one thread of one process: signalM's way to reach a given M.
; Go discards the answer; rax holds it.  rcx, r11 clobbered.
global runtime_tgkill:function (runtime_tgkill.end - runtime_tgkill)
runtime_tgkill:
                                                ; sys_linux_amd64.s:177-179  tgid, tid, sig: already in rdi, rsi, rdx
        mov     eax, SYS_tgkill                 ; sys_linux_amd64.s:180
        syscall                                 ; sys_linux_amd64.s:181
        ret                                     ; sys_linux_amd64.s:182
.end:

; int64_t nanotime1(void);
; Go: sys_linux_amd64.s:228  (TEXT runtime·nanotime1)
; CLOCK_MONOTONIC in nanoseconds.  When sysargs found a vDSO
; (src/runtime/os_linux.cpp), vdsoClockgettimeSym holds the address of the
; kernel's __vdso_clock_gettime: an ordinary function in user space that
; reads the time from a page the kernel keeps current, with no system
; call.  When there is none (or NETPOLL_VDSO=0) the stub issues
; clock_gettime, which is the step a reader can take to the kernel.
;
; Go runs the vDSO on g0's stack: nobody knows how much stack it needs
; (golang/go#20427: hardened kernels use a page), and a goroutine's may be
; small.  Ours are 256 KiB, but the switch is kept, as Go's.  Go finds the
; M from g in R14; ours asks getm (src/runtime/proc.cpp), which reads it
; from a thread-local variable, and outside a run there is none: then
; there is nothing to record and no g0 to switch to.  Go switches when g
; is m.curg; we have no g register, so "on curg" is "SP within curg's
; stack" -- on g0, with curg still set (a g parking), SP is not.
;
; m.vdsoSP/vdsoPC (runtime2.h's m) say, while the vDSO runs, where the
; goroutine was: Go's SIGPROF traceback reads them; here gdb can.
; System V differences: rbx and r12 are callee-saved, so they are pushed
; first (Go's ABI keeps no register across a call).  rcx, rdx, rsi, rdi,
; r8-r11 clobbered, by the vDSO or by `syscall`.
extern runtime_getm
extern vdsoClockgettimeSym
global nanotime1:function (nanotime1.end - nanotime1)
nanotime1:
        push    rbx                             ; System V: ours to keep
        push    r12
        sub     rsp, 24                         ; sys_linux_amd64.s:228  Go's $16 frame, + 8 to align
        mov     r12, rsp                        ; sys_linux_amd64.s:236  save old SP; C code keeps r12
        call    runtime_getm                    ; sys_linux_amd64.s:238  g_m(R14): ours from TLS
        mov     rbx, rax                        ;   the M; C code keeps rbx
        test    rbx, rbx                        ; no M (not in a run): nothing to record
        jz      .noswitch
        mov     rcx, [rbx + m_vdsoPC]           ; sys_linux_amd64.s:243
        mov     rdx, [rbx + m_vdsoSP]           ; sys_linux_amd64.s:244
        mov     [rsp], rcx                      ; sys_linux_amd64.s:245  old vdsoPC
        mov     [rsp + 8], rdx                  ; sys_linux_amd64.s:246  old vdsoSP
        lea     rdx, [rsp + 48]                 ; sys_linux_amd64.s:248  ret+0(FP): the caller's SP
        mov     rcx, [rdx - 8]                  ; sys_linux_amd64.s:249  the return address
        mov     [rbx + m_vdsoPC], rcx           ; sys_linux_amd64.s:250
        mov     [rbx + m_vdsoSP], rdx           ; sys_linux_amd64.s:251
        mov     rcx, [rbx + m_curg]             ; sys_linux_amd64.s:253  CMPQ R14, m_curg: only switch if on curg:
        test    rcx, rcx                        ;   is there one,
        jz      .noswitch
        cmp     rsp, [rcx + g_stack_lo]         ;   and is SP in its stack?
        jb      .noswitch
        cmp     rsp, [rcx + g_stack_hi]
        jae     .noswitch                       ; sys_linux_amd64.s:254
        mov     rsp, [rbx + m_g0sched + gobuf_sp]  ; sys_linux_amd64.s:256-257  set SP to g0's stack
.noswitch:                                      ; sys_linux_amd64.s:259
        sub     rsp, 16                         ; sys_linux_amd64.s:260  space for the timespec
        and     rsp, -16                        ; sys_linux_amd64.s:261  align for C code
        mov     edi, CLOCK_MONOTONIC            ; sys_linux_amd64.s:263
        mov     rsi, rsp                        ; sys_linux_amd64.s:264  &ts
        mov     rax, [rel vdsoClockgettimeSym]  ; sys_linux_amd64.s:265
        test    rax, rax                        ; sys_linux_amd64.s:266
        jz      .fallback                       ; sys_linux_amd64.s:267
        call    rax                             ; sys_linux_amd64.s:268  into the vDSO
.ret:                                           ; sys_linux_amd64.s:269
        mov     rax, [rsp]                      ; sys_linux_amd64.s:270  tv_sec
        mov     rdx, [rsp + 8]                  ; sys_linux_amd64.s:271  tv_nsec
        mov     rsp, r12                        ; sys_linux_amd64.s:272  restore the real SP
        test    rbx, rbx
        jz      .done
        mov     rcx, [rsp + 8]                  ; sys_linux_amd64.s:278
        mov     [rbx + m_vdsoSP], rcx           ; sys_linux_amd64.s:279  restore vdsoSP (0 outside)
        mov     rcx, [rsp]                      ; sys_linux_amd64.s:280
        mov     [rbx + m_vdsoPC], rcx           ; sys_linux_amd64.s:281
.done:
        imul    rax, rax, 1000000000            ; sys_linux_amd64.s:284
        add     rax, rdx                        ; sys_linux_amd64.s:285
                                                ; sys_linux_amd64.s:286  result: already in rax
        add     rsp, 24
        pop     r12
        pop     rbx
        ret                                     ; sys_linux_amd64.s:287
.fallback:                                      ; sys_linux_amd64.s:288
        mov     eax, SYS_clock_gettime          ; sys_linux_amd64.s:289  edi, rsi: set above
        syscall                                 ; sys_linux_amd64.s:290
        jmp     .ret                            ; sys_linux_amd64.s:291
.end:

; void rtsigprocmask(int32_t how, const sigset *new, sigset *old, int32_t size);
; Go: sys_linux_amd64.s:293  (TEXT runtime·rtsigprocmask)
;   how+0(FP) -> edi (zero-extended)   new+8(FP) -> rsi   old+16(FP) -> rdx
;   size+24(FP) -> r10d (arrives in ecx, zero-extended)
; This thread's signal mask: block, unblock or set (how), the old mask into
; *old when old is not null.  size is the kernel's sigset size, 8 bytes.
; A refusal means the runtime passed nonsense: Go's stub crashes on purpose
; with a store to 0xf1, as sysMunmap does; so does this one.
; rcx, r11 clobbered.
global rtsigprocmask:function (rtsigprocmask.end - rtsigprocmask)
rtsigprocmask:
        mov     edi, edi                        ; sys_linux_amd64.s:294  how, MOVL
                                                ; sys_linux_amd64.s:295-296  new, old: already in rsi, rdx
        mov     r10d, ecx                       ; sys_linux_amd64.s:297  size, MOVL, into the 4th register
        mov     eax, SYS_rt_sigprocmask         ; sys_linux_amd64.s:298
        syscall                                 ; sys_linux_amd64.s:299
        cmp     rax, -4095                      ; sys_linux_amd64.s:300
        jbe     .ok                             ; sys_linux_amd64.s:301
        mov     dword [abs 0xf1], 0xf1          ; sys_linux_amd64.s:302  crash
.ok:
        ret                                     ; sys_linux_amd64.s:303
.end:

; int32_t rt_sigaction(uintptr_t sig, const sigactiont *new, sigactiont *old,
;                      uintptr_t size);
; Go: sys_linux_amd64.s:305  (TEXT runtime·rt_sigaction)
;   sig+0(FP) -> rdi   new+8(FP) -> rsi   old+16(FP) -> rdx   (in place)
;   size+24(FP) -> r10 (arrives in rcx, which `syscall` overwrites)
; The kernel's own sigaction, not libc's: libc's sigaction fills in its
; own restorer and, under a sanitizer, is the sanitizer's wrapper.  The
; runtime passes the kernel's struct (defs_linux_amd64.h's sigactiont),
; whose sa_restorer is where a handler returns to: runtime_sigreturn,
; below.  Returns 0 or -errno.  rcx, r11 clobbered.
global rt_sigaction:function (rt_sigaction.end - rt_sigaction)
rt_sigaction:
                                                ; sys_linux_amd64.s:306-308  sig, new, old: already in rdi, rsi, rdx
        mov     r10, rcx                        ; sys_linux_amd64.s:309  size, MOVQ, into the 4th register
        mov     eax, SYS_rt_sigaction           ; sys_linux_amd64.s:310
        syscall                                 ; sys_linux_amd64.s:311
                                                ; sys_linux_amd64.s:312  result: already in eax
        ret                                     ; sys_linux_amd64.s:313
.end:

; void sigfwd(uintptr_t fn, uint32_t sig, void *info, void *ctx);
; Go: sys_linux_amd64.s:328  (TEXT runtime·sigfwd)
;   fn+0(FP) -> rax (from rdi)   sig+8(FP) -> edi (from esi)
;   info+16(FP) -> rsi (from rdx)   ctx+24(FP) -> rdx (from rcx)
; Calls fn(sig, info, ctx), the handler that was installed before ours
; (sigfwdgo): a sanitizer's, say, for a fault outside any goroutine.  The
; arguments move one register left, each before it is overwritten; the
; stack is aligned for a C function as Go aligns it, and rbp restores it.
global sigfwd:function (sigfwd.end - sigfwd)
sigfwd:
        mov     rax, rdi                        ; sys_linux_amd64.s:329  fn
        mov     edi, esi                        ; sys_linux_amd64.s:330  sig, MOVL
        mov     rsi, rdx                        ; sys_linux_amd64.s:331  info
        mov     rdx, rcx                        ; sys_linux_amd64.s:332  ctx
        push    rbp                             ; sys_linux_amd64.s:333
        mov     rbp, rsp                        ; sys_linux_amd64.s:334
        and     rsp, -16                        ; sys_linux_amd64.s:335  alignment for x86_64 ABI
        call    rax                             ; sys_linux_amd64.s:336
        mov     rsp, rbp                        ; sys_linux_amd64.s:337
        pop     rbp                             ; sys_linux_amd64.s:338
        ret                                     ; sys_linux_amd64.s:339
.end:

; void sigtramp(int sig, void *info, void *ctx);      the kernel calls it
; Go: sys_linux_amd64.s:342  (TEXT runtime·sigtramp)
; Every signal the runtime handles enters here, on the M's gsignal stack
; (the alternate stack, SA_ONSTACK), called by the kernel with the C
; convention: sig, info, ctx in rdi, rsi, rdx.  It returns to the
; sa_restorer the kernel pushed, runtime_sigreturn.
; Go's stub moves from the C ABI into Go's: it saves the registers C keeps
; (Go's ABI keeps none), loads g into R14 and zeroes X15.  sigtrampgo here
; is a System V function that keeps rbx, rbp, r12-r15 itself and reads
; its M from thread-local storage, so only the call is left, with the
; stack aligned for it: the kernel enters with rsp 8 past a 16-byte
; boundary, as any call does.  The kernel clears the direction flag for a
; handler, which is what the CLD in Go's macro makes sure of.
extern sigtrampgo
global sigtramp:function (sigtramp.end - sigtramp)
sigtramp:
                                                ; sys_linux_amd64.s:344  PUSH_REGS_HOST_TO_ABI0: sigtrampgo keeps them
                                                ; sys_linux_amd64.s:347-349  g into R14, X15 = 0: no g register here
                                                ; sys_linux_amd64.s:352  NOP SP: quiets Go's vet
        sub     rsp, 8                          ; sys_linux_amd64.s:353  ADJSP $24: here, alignment only
                                                ; sys_linux_amd64.s:356-358  sig, info, ctx: already in rdi, rsi, rdx
        call    sigtrampgo                      ; sys_linux_amd64.s:359
        add     rsp, 8                          ; sys_linux_amd64.s:361  ADJSP $-24
                                                ; sys_linux_amd64.s:363  POP_REGS_HOST_TO_ABI0
        ret                                     ; sys_linux_amd64.s:364  into runtime_sigreturn
.end:

; void runtime_sigreturn(void);                              Go's `sigreturn`
; Go: sys_linux_amd64.s:472  (TEXT runtime·sigreturn)
; The sa_restorer: a handler's return address, pushed by the kernel.
; rt_sigreturn restores the registers and signal mask the kernel saved in
; the frame at rsp and resumes the interrupted code; it never returns here.
; x86-64 kernels require a restorer (SA_RESTORER); libc installs its own,
; the runtime installs this one (setsig, src/runtime/os_linux.cpp).
; Its bytes must be glibc's restorer's, 48 c7 c0 0f 00 00 00 0f 05: an
; unwinder (libgcc's, gdb's) knows a signal frame by exactly them, and
; can then walk from a handler back into the code it interrupted.  NASM
; would shorten `mov rax, 15` to the 5-byte `mov eax, 15`; `strict dword`
; keeps Go's MOVQ as it is.
global runtime_sigreturn:function (runtime_sigreturn.end - runtime_sigreturn)
runtime_sigreturn:
        mov     rax, strict dword SYS_rt_sigreturn  ; sys_linux_amd64.s:473  MOVQ, as glibc's
        syscall                                 ; sys_linux_amd64.s:474
        int3                                    ; sys_linux_amd64.s:475  not reached
.end:

; struct mmapResult { void *p; int64_t err; }
; mmapResult sysMmap(void *addr, uintptr_t n, int32_t prot, int32_t flags,
;                    int32_t fd, uint32_t off);
; Go: sys_linux_amd64.s:477  (TEXT runtime·sysMmap)
;   addr+0(FP) -> rdi   n+8(FP) -> rsi   prot+16(FP) -> edx
;   flags+20(FP) -> r10d (arrives in ecx)   fd+24(FP) -> r8d   off+28(FP) -> r9d
; The last four are MOVLs in Go, and the kernel reads all four as
; unsigned long: each 32-bit move clears its register's upper half.
; Go returns two results, (p unsafe.Pointer, err int); System V returns a
; 16-byte struct in rax:rdx, so the pair survives as it is.  Like Go's
; stub this one turns the kernel's -errno into p = 0, err = +errno.
global sysMmap:function (sysMmap.end - sysMmap)
sysMmap:
                                                ; sys_linux_amd64.s:478-479  addr, n: already in rdi, rsi
        mov     edx, edx                        ; sys_linux_amd64.s:480  prot, MOVL
        mov     r10d, ecx                       ; sys_linux_amd64.s:481  flags, MOVL, into the 4th register
        mov     r8d, r8d                        ; sys_linux_amd64.s:482  fd, MOVL
        mov     r9d, r9d                        ; sys_linux_amd64.s:483  off, MOVL
        mov     eax, SYS_mmap                   ; sys_linux_amd64.s:485
        syscall                                 ; sys_linux_amd64.s:486
        cmp     rax, -4095                      ; sys_linux_amd64.s:487
        jbe     .ok                             ; sys_linux_amd64.s:488
        not     rax                             ; sys_linux_amd64.s:489  -errno -> errno, in two steps
        inc     rax                             ; sys_linux_amd64.s:490
        mov     rdx, rax                        ; sys_linux_amd64.s:492  err
        xor     eax, eax                        ; sys_linux_amd64.s:491  p = nil
        ret                                     ; sys_linux_amd64.s:493
.ok:
        xor     edx, edx                        ; sys_linux_amd64.s:496  err = 0
                                                ; sys_linux_amd64.s:495  p: already in rax
        ret                                     ; sys_linux_amd64.s:497
.end:

; void sysMunmap(void *addr, uintptr_t n);
; Go: sys_linux_amd64.s:517  (TEXT runtime·sysMunmap)
;   addr+0(FP) -> rdi   n+8(FP) -> rsi
; A failed munmap means the runtime's bookkeeping is broken, so Go's stub
; crashes on purpose by storing to address 0xf1; so does this one.
global sysMunmap:function (sysMunmap.end - sysMunmap)
sysMunmap:
                                                ; sys_linux_amd64.s:518-519  addr, n: already in rdi, rsi
        mov     eax, SYS_munmap                 ; sys_linux_amd64.s:520
        syscall                                 ; sys_linux_amd64.s:521
        cmp     rax, -4095                      ; sys_linux_amd64.s:522
        jbe     .ok                             ; sys_linux_amd64.s:523
        mov     dword [abs 0xf1], 0xf1             ; sys_linux_amd64.s:524  crash
.ok:
        ret                                     ; sys_linux_amd64.s:525
.end:

; int32_t runtime_madvise(void *addr, uintptr_t n, int32_t flags);  Go's `madvise`
; Go: sys_linux_amd64.s:540  (TEXT runtime·madvise)
;   addr+0(FP) -> rdi   n+8(FP) -> rsi   flags+16(FP) -> edx, zero-extended
; Advice about a range of memory; the runtime asks for no transparent huge
; pages on its stack spans.  Returns 0 or -errno.  rcx, r11 clobbered.
global runtime_madvise:function (runtime_madvise.end - runtime_madvise)
runtime_madvise:
                                                ; sys_linux_amd64.s:541-542  addr, n: already in rdi, rsi
        mov     edx, edx                        ; sys_linux_amd64.s:543  flags, MOVL
        mov     eax, SYS_madvise                ; sys_linux_amd64.s:544
        syscall                                 ; sys_linux_amd64.s:545
                                                ; sys_linux_amd64.s:546  result: already in eax
        ret                                     ; sys_linux_amd64.s:547
.end:

; int32_t futex(void *addr, int32_t op, uint32_t val,
;               const void *ts, void *addr2, uint32_t val3);
; Go: sys_linux_amd64.s:551  (TEXT runtime·futex)
;   addr+0(FP) -> rdi   op+8(FP) -> esi   val+12(FP) -> edx
;   ts+16(FP) -> r10 (arrives in rcx)   addr2+24(FP) -> r8   val3+32(FP) -> r9d
; op, val and val3 are MOVLs in Go: zero-extended here too.
; Returns the kernel's answer (woken count, 0, or -errno).  rcx, r11 clobbered.
global futex:function (futex.end - futex)
futex:
                                                ; sys_linux_amd64.s:552  addr: already in rdi
        mov     esi, esi                        ; sys_linux_amd64.s:553  op, MOVL
        mov     edx, edx                        ; sys_linux_amd64.s:554  val, MOVL
        mov     r10, rcx                        ; sys_linux_amd64.s:555  ts, MOVQ: rcx is syscall's
                                                ; sys_linux_amd64.s:556  addr2: already in r8
        mov     r9d, r9d                        ; sys_linux_amd64.s:557  val3, MOVL
        mov     eax, SYS_futex                  ; sys_linux_amd64.s:558
        syscall                                 ; sys_linux_amd64.s:559
                                                ; sys_linux_amd64.s:560  result: already in eax
        ret                                     ; sys_linux_amd64.s:561
.end:

; void runtime_sigaltstack(const stackt *new, stackt *old);  Go's `sigaltstack`
; Go: sys_linux_amd64.s:628  (TEXT runtime·sigaltstack)
;   new+0(FP) -> rdi   old+8(FP) -> rsi   (in place)
; This thread's alternate signal stack, where the kernel runs a handler
; installed with SA_ONSTACK: every M sets its gsignal stack here (minit),
; so that a signal can be handled even when a goroutine's stack is nearly
; full.  A refusal crashes on purpose, as in rtsigprocmask.
; rcx, r11 clobbered.
global runtime_sigaltstack:function (runtime_sigaltstack.end - runtime_sigaltstack)
runtime_sigaltstack:
                                                ; sys_linux_amd64.s:629-630  new, old: already in rdi, rsi
        mov     eax, SYS_sigaltstack            ; sys_linux_amd64.s:631  MOVQ: the number is small
        syscall                                 ; sys_linux_amd64.s:632
        cmp     rax, -4095                      ; sys_linux_amd64.s:633
        jbe     .ok                             ; sys_linux_amd64.s:634
        mov     dword [abs 0xf1], 0xf1          ; sys_linux_amd64.s:635  crash
.ok:
        ret                                     ; sys_linux_amd64.s:636
.end:

; void osyield(void);
; Go: sys_linux_amd64.s:655  (TEXT runtime·osyield)
; sched_yield: give the CPU to another thread; the lock's passive spin.
global osyield:function (osyield.end - osyield)
osyield:
        mov     eax, SYS_sched_yield            ; sys_linux_amd64.s:656
        syscall                                 ; sys_linux_amd64.s:657
        ret                                     ; sys_linux_amd64.s:658
.end:

; int32_t epollcreate(int32_t size);
; Go: sys_linux_amd64.s:670  (TEXT runtime·epollcreate)
;   size+0(FP) -> edi, zero-extended
; Returns a new epoll descriptor or -errno (-EINVAL when size <= 0; the
; kernel otherwise ignores size).  rcx, r11 clobbered.
global epollcreate:function (epollcreate.end - epollcreate)
epollcreate:
        mov     edi, edi                        ; sys_linux_amd64.s:671  size, MOVL
        mov     eax, SYS_epoll_create           ; sys_linux_amd64.s:672
        syscall                                 ; sys_linux_amd64.s:673
                                                ; sys_linux_amd64.s:674  result: already in eax
        ret                                     ; sys_linux_amd64.s:675
.end:

; int32_t epollcreate1(int32_t flags);
; Go: sys_linux_amd64.s:678  (TEXT runtime·epollcreate1)
;   flags+0(FP) -> edi, zero-extended
; Returns a new epoll descriptor or -errno (-EINVAL for any flag other
; than EPOLL_CLOEXEC).  rcx, r11 clobbered.
global epollcreate1:function (epollcreate1.end - epollcreate1)
epollcreate1:
        mov     edi, edi                        ; sys_linux_amd64.s:679  flags, MOVL
        mov     eax, SYS_epoll_create1          ; sys_linux_amd64.s:680
        syscall                                 ; sys_linux_amd64.s:681
                                                ; sys_linux_amd64.s:682  result: already in eax
        ret                                     ; sys_linux_amd64.s:683
.end:

; int32_t epollctl(int32_t epfd, int32_t op, int32_t fd, epollevent *ev);
; Go: sys_linux_amd64.s:686  (TEXT runtime·epollctl)
;   epfd+0(FP) -> edi   op+4(FP) -> esi   fd+8(FP) -> edx   (all three zero-extended)
;   ev+16(FP) -> r10 (arrives in rcx, which `syscall` overwrites)
; Returns 0 or -errno.  rcx, r11 clobbered.
global epollctl:function (epollctl.end - epollctl)
epollctl:
        mov     edi, edi                        ; sys_linux_amd64.s:687  epfd, MOVL
        mov     esi, esi                        ; sys_linux_amd64.s:688  op, MOVL
        mov     edx, edx                        ; sys_linux_amd64.s:689  fd, MOVL
        mov     r10, rcx                        ; sys_linux_amd64.s:690  ev, MOVQ, into the 4th register
        mov     eax, SYS_epoll_ctl              ; sys_linux_amd64.s:691
        syscall                                 ; sys_linux_amd64.s:692
                                                ; sys_linux_amd64.s:693  result: already in eax
        ret                                     ; sys_linux_amd64.s:694
.end:

; int32_t epollwait(int32_t epfd, epollevent *ev, int32_t nev, int32_t timeout);
; Go: sys_linux_amd64.s:697  (TEXT runtime·epollwait), with one deliberate
; difference: Go's stub issues epoll_pwait (281) with a NULL sigmask,
; "because Android O blocks wait" (its seccomp policy forbids 232).  This one
; issues epoll_wait (232); epollpwait below is Go's exact choice.  The two
; behave the same when the mask is NULL.  notes/sys_linux_amd64.md has the
; story.
;   epfd+0(FP) -> edi   ev+8(FP) -> rsi   nev+16(FP) -> edx
;   timeout+20(FP) -> r10d (arrives in ecx)   (edi, edx, r10d zero-extended)
; Returns the number of ready events or -errno.  rcx, r11 clobbered.
global epollwait:function (epollwait.end - epollwait)
epollwait:
        mov     edi, edi                        ; sys_linux_amd64.s:699  epfd, MOVL
                                                ; sys_linux_amd64.s:700  ev: already in rsi
        mov     edx, edx                        ; sys_linux_amd64.s:701  nev, MOVL
        mov     r10d, ecx                       ; sys_linux_amd64.s:702  timeout, MOVL, into the 4th register
                                                ; sys_linux_amd64.s:703 left out: epoll_wait has no sigmask
        mov     eax, SYS_epoll_wait             ; sys_linux_amd64.s:704  Go: SYS_epoll_pwait
        syscall                                 ; sys_linux_amd64.s:705
                                                ; sys_linux_amd64.s:706  result: already in eax
        ret                                     ; sys_linux_amd64.s:707
.end:

; int32_t epollpwait(int32_t epfd, epollevent *ev, int32_t nev, int32_t timeout);
; Go: sys_linux_amd64.s:697  (TEXT runtime·epollwait) exactly as Go 1.19
; issues it: epoll_pwait with sigmask = NULL, so the thread's signal mask
; is left alone and the call is epoll_wait under another number.  The
; kernel ignores the fifth argument's companion, sigsetsize (r9), when the
; mask is NULL.
;   as epollwait, plus  sigmask -> r8 = 0
; Returns the number of ready events or -errno.  rcx, r11 clobbered.
global epollpwait:function (epollpwait.end - epollpwait)
epollpwait:
        mov     edi, edi                        ; sys_linux_amd64.s:699  epfd, MOVL
                                                ; sys_linux_amd64.s:700  ev: already in rsi
        mov     edx, edx                        ; sys_linux_amd64.s:701  nev, MOVL
        mov     r10d, ecx                       ; sys_linux_amd64.s:702  timeout, MOVL
        xor     r8d, r8d                        ; sys_linux_amd64.s:703  sigmask = NULL
        mov     eax, SYS_epoll_pwait            ; sys_linux_amd64.s:704
        syscall                                 ; sys_linux_amd64.s:705
                                                ; sys_linux_amd64.s:706  result: already in eax
        ret                                     ; sys_linux_amd64.s:707
.end:

; int32_t eventfd2(uint32_t initval, int32_t flags);
; Not in Go 1.19: go1.23 (golang/go#65443, CL 560615) makes netpollBreak's
; wake-up an eventfd, created through its internal syscall package
; (Eventfd, a Syscall6 of SYS_EVENTFD2).  Built as the other stubs are:
;   initval -> edi, flags -> esi, both zero-extended as a MOVL would, in
;   place (System V and the kernel agree on the first two registers).
; Returns the new descriptor or -errno.  rcx, r11 clobbered.
global eventfd2:function (eventfd2.end - eventfd2)
eventfd2:
        mov     edi, edi                        ; initval
        mov     esi, esi                        ; flags: EFD_CLOEXEC|EFD_NONBLOCK
        mov     eax, SYS_eventfd2
        syscall
        ret
.end:

; void closeonexec(int32_t fd);
; Go: sys_linux_amd64.s:710  (TEXT runtime·closeonexec)
;   fd+0(FP) -> edi (zero-extended)   F_SETFD -> rsi   FD_CLOEXEC -> rdx
; Returns nothing: Go's stub discards the kernel's answer, and so does this
; one (rax holds it, but a void function's rax means nothing to a caller).
; rcx, r11 clobbered.
global closeonexec:function (closeonexec.end - closeonexec)
closeonexec:
        mov     edi, edi                        ; sys_linux_amd64.s:711  fd, MOVL
        mov     esi, F_SETFD                    ; sys_linux_amd64.s:712
        mov     edx, FD_CLOEXEC                 ; sys_linux_amd64.s:713
        mov     eax, SYS_fcntl                  ; sys_linux_amd64.s:714
        syscall                                 ; sys_linux_amd64.s:715
        ret                                     ; sys_linux_amd64.s:716
.end:

; Without this empty section the linker assumes the object needs an
; executable stack and grants one to the whole program.
section .note.GNU-stack noalloc noexec nowrite progbits
