// A call from a hot loop to a function it almost never needs (the tape's
// make_room), made so that the loop keeps its values in registers.
//
// By the x86-64 ABI a call may overwrite every xmm register, so GCC keeps a
// double that lives across one in memory. When the call sits on a cold path
// inside the user's recording loop, GCC may still choose memory for the
// whole loop: the running sum of `z += w * x` then goes through a store and
// a load on every term. cold_call makes the call inside an asm statement that says
// it changes only rax and the flags, and the thunk below keeps that promise by
// saving the call-clobbered registers around the real call. In a probe that
// records the bench problems, recording with no call at all (a trap in its
// place) was 15% faster on (d), 22% on (b) and 10% on (c), and cold_call
// gave the same. Whether GCC spills depends on how the loop is inlined: in
// the bench programs themselves it had not, and they are unchanged
// (bench/README.md, 2026-11-23).
//
// Only where that promise can be kept cheaply: x86-64 ELF compiled without
// AVX, where the compiler uses the low halves of xmm0-xmm15 only. With AVX
// (-mavx, -march=native) the upper halves and zmm16-31 would need saving too,
// and the plain call is used; so must a recording inside a function given
// AVX by `target` attribute in a file compiled without it. Exceptions never
// cross the thunk: the target's exception is caught on the far side and
// thrown again from C++ after the asm. A debugger's backtrace from inside
// the target is wrong beyond the thunk's caller, whose stack pointer the
// call site moves past the red zone without telling the unwinder.
#pragma once

#include <cstddef>
#include <exception>

#if defined(__x86_64__) && defined(__ELF__) && defined(__GNUC__) && !defined(__AVX__)
#define NABLA_COLD_CALL_KEEPS_REGISTERS 1
#else
#define NABLA_COLD_CALL_KEEPS_REGISTERS 0
#endif

namespace nabla::detail {

#if NABLA_COLD_CALL_KEEPS_REGISTERS

// The thunk: called with the argument in rdi and the target in rsi (and 128
// bytes below the caller's stack pointer left alone: the red zone, which a
// leaf function may use); saves rcx, rdx, rsi, rdi, r8-r11 and xmm0-xmm15,
// calls target(argument) on a 16-byte aligned stack, restores them and
// returns the target's result in rax. One copy per program (a COMDAT group).
asm(R"(
  .pushsection .text.nabla_cold_call_thunk,"axG",@progbits,nabla_cold_call_thunk,comdat
  .globl nabla_cold_call_thunk
  .hidden nabla_cold_call_thunk
  .type nabla_cold_call_thunk, @function
nabla_cold_call_thunk:
  .cfi_startproc
  pushq %rbp
  .cfi_def_cfa_offset 16
  .cfi_offset %rbp, -16
  movq %rsp, %rbp
  .cfi_def_cfa_register %rbp
  pushq %rcx
  pushq %rdx
  pushq %rsi
  pushq %rdi
  pushq %r8
  pushq %r9
  pushq %r10
  pushq %r11
  andq $-16, %rsp
  subq $256, %rsp
  movaps %xmm0, 0(%rsp)
  movaps %xmm1, 16(%rsp)
  movaps %xmm2, 32(%rsp)
  movaps %xmm3, 48(%rsp)
  movaps %xmm4, 64(%rsp)
  movaps %xmm5, 80(%rsp)
  movaps %xmm6, 96(%rsp)
  movaps %xmm7, 112(%rsp)
  movaps %xmm8, 128(%rsp)
  movaps %xmm9, 144(%rsp)
  movaps %xmm10, 160(%rsp)
  movaps %xmm11, 176(%rsp)
  movaps %xmm12, 192(%rsp)
  movaps %xmm13, 208(%rsp)
  movaps %xmm14, 224(%rsp)
  movaps %xmm15, 240(%rsp)
  callq *%rsi
  movaps 0(%rsp), %xmm0
  movaps 16(%rsp), %xmm1
  movaps 32(%rsp), %xmm2
  movaps 48(%rsp), %xmm3
  movaps 64(%rsp), %xmm4
  movaps 80(%rsp), %xmm5
  movaps 96(%rsp), %xmm6
  movaps 112(%rsp), %xmm7
  movaps 128(%rsp), %xmm8
  movaps 144(%rsp), %xmm9
  movaps 160(%rsp), %xmm10
  movaps 176(%rsp), %xmm11
  movaps 192(%rsp), %xmm12
  movaps 208(%rsp), %xmm13
  movaps 224(%rsp), %xmm14
  movaps 240(%rsp), %xmm15
  leaq -64(%rbp), %rsp
  popq %r11
  popq %r10
  popq %r9
  popq %r8
  popq %rdi
  popq %rsi
  popq %rdx
  popq %rcx
  popq %rbp
  .cfi_def_cfa %rsp, 8
  ret
  .cfi_endproc
  .size nabla_cold_call_thunk, .-nabla_cold_call_thunk
  .popsection
)");

#endif

/// The exception a cold call's target threw, until cold_call throws it again.
inline thread_local std::exception_ptr cold_call_exception;

[[noreturn, gnu::noinline, gnu::cold]] inline void rethrow_cold_call_exception() {
  std::exception_ptr e = cold_call_exception;
  cold_call_exception = nullptr;
  std::rethrow_exception(e);
}

/// Target(argument), where the target never returns null. Without the
/// thunk, a plain call.
template <class R, R* (*Target)(std::size_t)>
inline R* cold_call(std::size_t argument) {
#if NABLA_COLD_CALL_KEEPS_REGISTERS
  // What the thunk calls: catches, so that no exception unwinds through asm.
  R* (*const catching)(std::size_t) noexcept = [](std::size_t a) noexcept -> R* {
    try {
      return Target(a);
    } catch (...) {
      cold_call_exception = std::current_exception();
      return nullptr;
    }
  };
  R* result;
  asm volatile(
      "leaq -128(%%rsp), %%rsp\n\t"
      "callq nabla_cold_call_thunk\n\t"
      "leaq 128(%%rsp), %%rsp"
      : "=a"(result)
      : "D"(argument), "S"(catching)
      : "memory", "cc", "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)", "mm0", "mm1",
        "mm2", "mm3", "mm4", "mm5", "mm6", "mm7");
  if (result == nullptr) [[unlikely]]
    rethrow_cold_call_exception();
  return result;
#else
  return Target(argument);
#endif
}

}  // namespace nabla::detail
