// Running a recursive walk of a deeply nested expression on a thread of its
// own, whose stack is as large as the walk needs (the printers recurse once
// per level of nesting; the calling thread's stack may be 8 MB or less).
#pragma once

#include <cstddef>
#include <functional>

namespace nabla::sym::detail {

/// Runs fn on a new thread with stack_bytes of stack and waits for it;
/// rethrows what fn threw. A thread that cannot be made is a DomainError.
void call_with_stack(std::size_t stack_bytes, const std::function<void()>& fn);

}  // namespace nabla::sym::detail
