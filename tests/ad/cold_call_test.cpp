// detail::cold_call (ad/cold_call.hpp): the target's result comes back, its
// exception is thrown again at the call site (and only once), and, where the
// thunk is used, every register it promises to keep holds the same bits after
// a target that overwrites them all. A recording whose running value crosses
// many calls of make_room (through cold_call) is tape_test's
// MoreThanAMillionStatementsAcrossManyChunks: value and derivative exact.
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "nabla/nabla.hpp"

namespace nabla {
namespace {

std::array<int, 4> cells{};

int* cell(std::size_t i) { return &cells.at(i); }

int* throws_for_three(std::size_t i) {
  if (i == 3) throw std::out_of_range("three");
  return &cells.at(i);
}

TEST(ColdCall, ReturnsTheTargetsResult) {
  for (std::size_t i = 0; i < cells.size(); ++i) EXPECT_EQ((detail::cold_call<int, &cell>(i)), &cells.at(i));
}

TEST(ColdCall, ThrowsTheTargetsExceptionOnce) {
  EXPECT_THROW((detail::cold_call<int, &throws_for_three>(3)), std::out_of_range);
  EXPECT_EQ(detail::cold_call_exception, nullptr);
  EXPECT_EQ((detail::cold_call<int, &throws_for_three>(2)), &cells.at(2));
  EXPECT_THROW((detail::cold_call<int, &throws_for_three>(3)), std::out_of_range);
}

#if NABLA_COLD_CALL_KEEPS_REGISTERS

/// Overwrites every register that the ABI lets a callee change, except rax.
[[gnu::noinline]] int* clobber_everything(std::size_t i) noexcept {
  asm volatile(
      "pcmpeqd %%xmm0, %%xmm0\n\t"
      "pcmpeqd %%xmm1, %%xmm1\n\t"
      "pcmpeqd %%xmm2, %%xmm2\n\t"
      "pcmpeqd %%xmm3, %%xmm3\n\t"
      "pcmpeqd %%xmm4, %%xmm4\n\t"
      "pcmpeqd %%xmm5, %%xmm5\n\t"
      "pcmpeqd %%xmm6, %%xmm6\n\t"
      "pcmpeqd %%xmm7, %%xmm7\n\t"
      "pcmpeqd %%xmm8, %%xmm8\n\t"
      "pcmpeqd %%xmm9, %%xmm9\n\t"
      "pcmpeqd %%xmm10, %%xmm10\n\t"
      "pcmpeqd %%xmm11, %%xmm11\n\t"
      "pcmpeqd %%xmm12, %%xmm12\n\t"
      "pcmpeqd %%xmm13, %%xmm13\n\t"
      "pcmpeqd %%xmm14, %%xmm14\n\t"
      "pcmpeqd %%xmm15, %%xmm15\n\t"
      "movq $-1, %%rcx\n\t"
      "movq $-1, %%rdx\n\t"
      "movq $-1, %%rsi\n\t"
      "movq $-1, %%rdi\n\t"
      "movq $-1, %%r8\n\t"
      "movq $-1, %%r9\n\t"
      "movq $-1, %%r10\n\t"
      "movq $-1, %%r11" ::
          : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
            "xmm12", "xmm13", "xmm14", "xmm15", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11");
  return &cells.at(i);
}

TEST(ColdCall, TheThunkKeepsEveryCallClobberedRegister) {
  // 16 xmm registers (2 words each), then rcx, rdx, r8, r9, r10, r11; rdi
  // and rsi carry the argument and the target and are compared apart.
  constexpr std::size_t kWords = 2 * 16 + 6;
  std::array<std::uint64_t, 2 * kWords> buffer{};
  for (std::size_t k = 0; k < kWords; ++k) buffer.at(k) = 0x0123456789abcdefULL * (k + 1) + k;
  const std::size_t argument = 1;
  int* (*const target)(std::size_t) noexcept = &clobber_everything;
  int* result = nullptr;
  std::size_t rdi_after = 0;
  std::uintptr_t rsi_after = 0;
  // Loads the patterns, calls the thunk as cold_call does, stores the
  // registers after it into the second half of the buffer.
  asm volatile(
      "movups 0(%%rbx), %%xmm0\n\t"
      "movups 16(%%rbx), %%xmm1\n\t"
      "movups 32(%%rbx), %%xmm2\n\t"
      "movups 48(%%rbx), %%xmm3\n\t"
      "movups 64(%%rbx), %%xmm4\n\t"
      "movups 80(%%rbx), %%xmm5\n\t"
      "movups 96(%%rbx), %%xmm6\n\t"
      "movups 112(%%rbx), %%xmm7\n\t"
      "movups 128(%%rbx), %%xmm8\n\t"
      "movups 144(%%rbx), %%xmm9\n\t"
      "movups 160(%%rbx), %%xmm10\n\t"
      "movups 176(%%rbx), %%xmm11\n\t"
      "movups 192(%%rbx), %%xmm12\n\t"
      "movups 208(%%rbx), %%xmm13\n\t"
      "movups 224(%%rbx), %%xmm14\n\t"
      "movups 240(%%rbx), %%xmm15\n\t"
      "movq 256(%%rbx), %%rcx\n\t"
      "movq 264(%%rbx), %%rdx\n\t"
      "movq 272(%%rbx), %%r8\n\t"
      "movq 280(%%rbx), %%r9\n\t"
      "movq 288(%%rbx), %%r10\n\t"
      "movq 296(%%rbx), %%r11\n\t"
      "leaq -128(%%rsp), %%rsp\n\t"
      "callq nabla_cold_call_thunk\n\t"
      "leaq 128(%%rsp), %%rsp\n\t"
      "movups %%xmm0, 304(%%rbx)\n\t"
      "movups %%xmm1, 320(%%rbx)\n\t"
      "movups %%xmm2, 336(%%rbx)\n\t"
      "movups %%xmm3, 352(%%rbx)\n\t"
      "movups %%xmm4, 368(%%rbx)\n\t"
      "movups %%xmm5, 384(%%rbx)\n\t"
      "movups %%xmm6, 400(%%rbx)\n\t"
      "movups %%xmm7, 416(%%rbx)\n\t"
      "movups %%xmm8, 432(%%rbx)\n\t"
      "movups %%xmm9, 448(%%rbx)\n\t"
      "movups %%xmm10, 464(%%rbx)\n\t"
      "movups %%xmm11, 480(%%rbx)\n\t"
      "movups %%xmm12, 496(%%rbx)\n\t"
      "movups %%xmm13, 512(%%rbx)\n\t"
      "movups %%xmm14, 528(%%rbx)\n\t"
      "movups %%xmm15, 544(%%rbx)\n\t"
      "movq %%rcx, 560(%%rbx)\n\t"
      "movq %%rdx, 568(%%rbx)\n\t"
      "movq %%r8, 576(%%rbx)\n\t"
      "movq %%r9, 584(%%rbx)\n\t"
      "movq %%r10, 592(%%rbx)\n\t"
      "movq %%r11, 600(%%rbx)"
      : "=a"(result), "=D"(rdi_after), "=S"(rsi_after)
      : "b"(buffer.data()), "1"(argument), "2"(reinterpret_cast<std::uintptr_t>(target))
      : "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
        "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "rcx", "rdx", "r8", "r9", "r10", "r11");
  EXPECT_EQ(result, &cells.at(1));
  EXPECT_EQ(rdi_after, argument);
  EXPECT_EQ(rsi_after, reinterpret_cast<std::uintptr_t>(target));
  for (std::size_t k = 0; k < kWords; ++k) EXPECT_EQ(buffer.at(kWords + k), buffer.at(k)) << "word " << k;
}

#endif

}  // namespace
}  // namespace nabla
