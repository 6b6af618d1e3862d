// A thread with a given stack size (POSIX threads: std::thread cannot set it).
#include "deep_stack.hpp"

#include <pthread.h>

#include <exception>
#include <string>

#include "nabla/core/errors.hpp"

namespace nabla::sym::detail {
namespace {

struct Job {
  const std::function<void()>* fn;
  std::exception_ptr error;
};

void* run(void* argument) {
  auto* job = static_cast<Job*>(argument);
  try {
    (*job->fn)();
  } catch (...) {
    job->error = std::current_exception();
  }
  return nullptr;
}

}  // namespace

void call_with_stack(std::size_t stack_bytes, const std::function<void()>& fn) {
  Job job{&fn, nullptr};
  pthread_attr_t attributes;
  if (pthread_attr_init(&attributes) != 0)
    throw DomainError("sym: cannot make a thread for a deep expression");
  pthread_t thread;
  int status = pthread_attr_setstacksize(&attributes, stack_bytes);
  if (status == 0) status = pthread_create(&thread, &attributes, &run, &job);
  pthread_attr_destroy(&attributes);
  if (status != 0)
    throw DomainError("sym: cannot make a thread with a stack of " + std::to_string(stack_bytes >> 20) +
                      " MB for a deep expression");
  pthread_join(thread, nullptr);
  if (job.error) std::rethrow_exception(job.error);
}

}  // namespace nabla::sym::detail
