; abi_check.asm - a checked call, in the manner of x264's checkasm: load
; every System V callee-saved register with an odd constant, call the stub,
; and report which of them came back changed.
;
; int64_t abi_call(const void *fn, uint64_t a, uint64_t b, uint64_t c,
;                  uint64_t d, uint64_t e, uint64_t f, uint32_t *clobbered);
; Calls fn(a, b, c, d, e, f) and returns its rax.  *clobbered gets a bit for each
; register that differs afterwards: 1 rbx, 2 rbp, 4 r12, 8 r13, 16 r14,
; 32 r15.

bits 64
default rel

K_RBX   equ 0x0b0b0b0b_1badc0de
K_RBP   equ 0x0b9b9b9b_2badc0de
K_R12   equ 0x12121212_3badc0de
K_R13   equ 0x13131313_4badc0de
K_R14   equ 0x14141414_5badc0de
K_R15   equ 0x15151515_6badc0de

; Save and restore the registers a System V callee keeps.
%macro  push_callee_saved 0
        push    rbx
        push    rbp
        push    r12
        push    r13
        push    r14
        push    r15
%endmacro
%macro  pop_callee_saved 0
        pop     r15
        pop     r14
        pop     r13
        pop     r12
        pop     rbp
        pop     rbx
%endmacro

; reg = K ^ seed, the seed a qword in memory.
%macro  seed 3
        mov     %1, %2
        xor     %1, %3
%endmacro
; ecx |= bit unless reg == K ^ seed.
%macro  check 4
        seed    rdx, %2, %4
        cmp     %1, rdx
        je      %%same
        or      ecx, %3
%%same:
%endmacro
; Every callee-saved register from its constant and the seed at mem; and
; the mask of those that differ from it.
%macro  seed_all 1
        seed    rbx, K_RBX, %1
        seed    rbp, K_RBP, %1
        seed    r12, K_R12, %1
        seed    r13, K_R13, %1
        seed    r14, K_R14, %1
        seed    r15, K_R15, %1
%endmacro
%macro  check_all 1
        xor     ecx, ecx
        check   rbx, K_RBX, 1, %1
        check   rbp, K_RBP, 2, %1
        check   r12, K_R12, 4, %1
        check   r13, K_R13, 8, %1
        check   r14, K_R14, 16, %1
        check   r15, K_R15, 32, %1
%endmacro

section .text

global abi_call:function (abi_call.end - abi_call)
abi_call:
        push_callee_saved
        mov     rax, [rsp + 64]         ; clobbered: 8th argument, above f and our return address
        push    rax                     ; keep it; 7 pushes also realign rsp to 16
        mov     r11, rdi                ; fn: r11 is scratch in System V
        mov     rdi, rsi                ; shift a..f into fn's argument registers
        mov     rsi, rdx
        mov     rdx, rcx
        mov     rcx, r8
        mov     r8, r9
        mov     r9, [rsp + 64]          ; f: 7th argument
        mov     rbx, K_RBX
        mov     rbp, K_RBP
        mov     r12, K_R12
        mov     r13, K_R13
        mov     r14, K_R14
        mov     r15, K_R15
        call    r11
        xor     ecx, ecx                ; the mask
        mov     rdx, K_RBX
        cmp     rbx, rdx
        je      .rbp
        or      ecx, 1
.rbp:   mov     rdx, K_RBP
        cmp     rbp, rdx
        je      .r12
        or      ecx, 2
.r12:   mov     rdx, K_R12
        cmp     r12, rdx
        je      .r13
        or      ecx, 4
.r13:   mov     rdx, K_R13
        cmp     r13, rdx
        je      .r14
        or      ecx, 8
.r14:   mov     rdx, K_R14
        cmp     r14, rdx
        je      .r15
        or      ecx, 16
.r15:   mov     rdx, K_R15
        cmp     r15, rdx
        je      .done
        or      ecx, 32
.done:  pop     r9
        mov     [r9], ecx
        pop_callee_saved
        ret
.end:

; void seeded_switch(gobuf *save, gobuf *to, uint64_t seed, uint32_t *mask);
; gosave_gogo(save, to) itself, with every callee-saved register holding
; its constant XOR seed; when something switches back to save, *mask gets
; those that came back changed.  No compiled frame lies between the seeds
; and the switch, so none can save and restore a register the switch lost.
extern gosave_gogo
global seeded_switch:function (seeded_switch.end - seeded_switch)
seeded_switch:
        push_callee_saved
        push    rcx                     ; mask, at [rsp + 16]
        push    rdx                     ; seed, at [rsp + 8]
        sub     rsp, 8                  ; 16-aligned for the call
        seed_all [rsp + 8]
        call    gosave_gogo             ; rdi, rsi: save, to, as given
        check_all [rsp + 8]
        mov     rdx, [rsp + 16]
        mov     [rdx], ecx
        add     rsp, 24
        pop_callee_saved
        ret
.end:

; The first code of the other side of a seeded_switch test, entered by
; gosave_gogo's ret from a frame the test built.  seeded_other_ctx points
; to a struct { gobuf *self, *back; uint32_t *mask; uint64_t seed; } (a
; global, not a register in that frame: a register the switch lost would
; crash the test instead of failing it).  It switches back with its own
; seed, and once resumed and checked, back for good.
global seeded_other:function (seeded_other.end - seeded_other)
seeded_other:
        sub     rsp, 8                  ; entered by ret, as if called: realign
        mov     rbx, [rel seeded_other_ctx]
        mov     rdi, [rbx]
        mov     rsi, [rbx + 8]
        mov     rdx, [rbx + 24]
        mov     rcx, [rbx + 16]
        call    seeded_switch           ; keeps rbx
        mov     rdi, [rbx]
        mov     rsi, [rbx + 8]
        call    gosave_gogo             ; never comes back
        ud2
.end:

; int64_t poison_call(const void *fn, uint64_t a, uint64_t b, uint64_t c,
;                     uint64_t d, uint64_t e, uint64_t f, uint32_t int32s);
; Calls fn(a, b, c, d, e, f) after filling the upper half of each argument
; register named in int32s (bit 0 for the first argument, rdi, ... bit 5
; for r9) with POISON, as a System V caller is free to.  These are the
; `int32` arguments, the ones Go loads with MOVL: the stub must clear the
; poison itself before the kernel sees the register.  A tail call: fn
; returns straight to our caller, with the stack as if it had been called
; directly.
POISON  equ 0xdeadbeef_00000000

global poison_call:function (poison_call.end - poison_call)
poison_call:
        mov     r11, rdi                ; fn
        mov     rdi, rsi                ; shift a..f into fn's argument registers
        mov     rsi, rdx
        mov     rdx, rcx
        mov     rcx, r8
        mov     r8, r9
        mov     r9, [rsp + 8]           ; f: 7th argument
        mov     eax, [rsp + 16]         ; int32s: 8th argument
        mov     r10, POISON
        test    eax, 1
        jz      .b
        mov     edi, edi                ; keep the low half, then poison the high
        or      rdi, r10
.b:     test    eax, 2
        jz      .c
        mov     esi, esi
        or      rsi, r10
.c:     test    eax, 4
        jz      .d
        mov     edx, edx
        or      rdx, r10
.d:     test    eax, 8
        jz      .e
        mov     ecx, ecx
        or      rcx, r10
.e:     test    eax, 16
        jz      .f
        mov     r8d, r8d
        or      r8, r10
.f:     test    eax, 32
        jz      .go
        mov     r9d, r9d
        or      r9, r10
.go:    mov     rax, r10                ; poison the scratch registers too
        jmp     r11
.end:

section .note.GNU-stack noalloc noexec nowrite progbits

section .bss
global seeded_other_ctx:data 8
seeded_other_ctx:
        resq    1
