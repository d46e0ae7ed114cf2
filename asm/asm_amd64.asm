; asm_amd64.asm - the context switch, twin of the parts of Go 1.19.8's
; runtime/asm_amd64.s that move a CPU between goroutines: gogo, mcall,
; goexit, procyield.
;
; Go switches in two halves.  mcall (TEXT runtime·mcall) saves the running g's
; sp, pc and bp in g.sched and calls a function on the M's own stack (g0);
; gogo (TEXT runtime·gogo) loads a g's sched and jumps into it.  Go's internal
; ABI has no callee-saved registers, so sp, pc and bp are all there is to
; save: every live value is already spilled to the stack at a call.
;
; We are called from C++, under System V, which promises the caller that
; rbx, rbp, r12-r15 survive a call, and that the control bits of MXCSR (SSE
; rounding, exception masks) and of the x87 control word do too.  So one
; routine does both halves: it pushes those onto the stack it leaves, saves
; rsp in one gobuf, loads rsp from the other, and pops them from the stack
; it enters.  The return address on each stack is the pc, so a gobuf needs
; only sp.  g -> g0 is mcall; g0 -> g is gogo.

bits 64
default rel

gobuf_sp        equ 0           ; offsetof(gobuf, sp), checked in runtime2.h

extern goexit1

section .text

; void gosave_gogo(gobuf *save, gobuf *load);
; Saves the caller's context in *save and resumes the one in *load; returns
; when something later resumes *save.
;   save -> rdi   load -> rsi
; Stack left behind, from the top:  return pc, rbp, rbx, r12, r13, r14,
; r15, then 8 bytes holding MXCSR (low 4) and the x87 control word.
global gosave_gogo:function (gosave_gogo.end - gosave_gogo)
gosave_gogo:
        push    rbp                     ; asm_amd64.s:432  Go saves bp too
        push    rbx                     ; System V callee-saved, which Go's ABI has none of
        push    r12
        push    r13
        push    r14
        push    r15
        sub     rsp, 8
        stmxcsr [rsp]                   ; SSE control and status
        fnstcw  [rsp + 4]               ; x87 control word
        mov     [rdi + gobuf_sp], rsp   ; asm_amd64.s:431  g.sched.sp
        mov     rsp, [rsi + gobuf_sp]   ; asm_amd64.s:409  restore SP: now on the other stack
        ldmxcsr [rsp]
        fldcw   [rsp + 4]
        add     rsp, 8
        pop     r15
        pop     r14
        pop     r13
        pop     r12
        pop     rbx
        pop     rbp                     ; asm_amd64.s:412
        ret                             ; asm_amd64.s:417-418  pops the saved pc: Go's MOVQ gobuf_pc, then JMP
.end:

; gostart: where a new g first runs.  proc.cpp's newproc builds a stack
; whose saved registers hold r12 = goroutine_start, r13 = the g, and whose
; saved pc is gostart; above it sits goexit+1, the return address of the
; g's first function, as Go's gostartcall (sys_x86.go:16) arranges.
global gostart:function (gostart.end - gostart)
gostart:
        mov     rdi, r13                ; the g, first argument
        jmp     r12                     ; a jump, not a call: goexit+1 stays the return address
.end:

; void goexit(void);
; Go: asm_amd64.s:1593  The return address of every g's first function is
; goexit+1, so returning from it lands on the call to goexit1, which
; finishes the g and never returns.  The leading nop makes goexit+1 a pc
; inside goexit, so a backtrace names goexit as the outermost frame; the
; two zero words above it on the stack end the walk there.
global goexit:function (goexit.end - goexit)
goexit:
        nop                             ; asm_amd64.s:1594  Go spells it BYTE $0x90
        call    goexit1                 ; asm_amd64.s:1595  does not return
        nop                             ; asm_amd64.s:1597  BYTE $0x90
.end:

; void procyield(uint32_t cycles);
; Go: asm_amd64.s:752  PAUSE tells the CPU this is a spin-wait loop: it
; saves power and lets a sibling hyperthread run.  The lock's active spin.
global procyield:function (procyield.end - procyield)
procyield:
        mov     eax, edi                ; asm_amd64.s:753
.again:
        pause                           ; asm_amd64.s:755
        sub     eax, 1                  ; asm_amd64.s:756
        jnz     .again                  ; asm_amd64.s:757
        ret                             ; asm_amd64.s:758
.end:

; Call frame information for gdb, written by hand because NASM has no CFI
; directives.  One rule matters: goexit has no caller.  DW_CFA_undefined for
; the return-address column tells a debugger so, and a backtrace of any
; goroutine ends cleanly at goexit, as Go's TOPFRAME flag makes Go's own
; tracebacks end there.
section .debug_frame noalloc noexec nowrite align=8
cie:
        dd      .end - .start           ; length
.start: dd      0xffffffff              ; CIE id (.debug_frame's)
        db      1                       ; version
        db      0                       ; augmentation: none
        db      1                       ; code alignment factor
        db      0x78                    ; data alignment factor: -8 (SLEB128)
        db      16                      ; return address column: rip
        db      0x0c, 7, 8              ; DW_CFA_def_cfa: rsp + 8
        db      0x90, 1                 ; DW_CFA_offset: rip at CFA - 8
        align   8, db 0                 ; DW_CFA_nop padding
.end:
fde_goexit:
        dd      .end - .start
.start: dd      cie                     ; this FDE's CIE
        dq      goexit                  ; the code it covers
        dq      goexit.end - goexit
        db      0x07, 16                ; DW_CFA_undefined: rip.  No caller.
        align   8, db 0
.end:

section .note.GNU-stack noalloc noexec nowrite progbits
