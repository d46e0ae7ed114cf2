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

; uint32_t seeded_call(void (*fn)(void *), void *arg, uint64_t seed);
; Loads every callee-saved register with its constant XOR seed, calls
; fn(arg), and returns the mask (as abi_call's) of those that came back
; changed.  Two goroutines with two seeds, each switching away inside fn,
; tell whether the switch gives each its own registers back or hands one
; the other's.
global seeded_call:function (seeded_call.end - seeded_call)
seeded_call:
        push_callee_saved
        push    rdx                     ; the seed, at [rsp]; 7 pushes realign rsp to 16
        mov     r11, rdi
        mov     rdi, rsi
%macro  seed 2
        mov     %1, %2
        xor     %1, [rsp]
%endmacro
        seed    rbx, K_RBX
        seed    rbp, K_RBP
        seed    r12, K_R12
        seed    r13, K_R13
        seed    r14, K_R14
        seed    r15, K_R15
        call    r11
        xor     ecx, ecx
%macro  check 3
        seed    rdx, %2
        cmp     %1, rdx
        je      %%same
        or      ecx, %3
%%same:
%endmacro
        check   rbx, K_RBX, 1
        check   rbp, K_RBP, 2
        check   r12, K_R12, 4
        check   r13, K_R13, 8
        check   r14, K_R14, 16
        check   r15, K_R15, 32
        mov     eax, ecx
        pop     rdx
        pop_callee_saved
        ret
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
