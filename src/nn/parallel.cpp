// The thread pool behind nn::threads() (see parallel.hpp): between jobs
// workers spin for a short while, then sleep on a condition variable; a job
// is a body and a chunk count, and the caller waits (spinning, then asleep)
// until every chunk has run.
#include "parallel.hpp"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "nabla/nn/ops.hpp"

namespace nabla::nn {
namespace detail {
namespace {

/// Below this many flops a product runs on one thread: measured on the
/// 2-core VM of bench/, a product under 10 MFLOP (about 150 us on one core)
/// gains nothing from a second core, whose share of the operands and of the
/// result then travels between the cores' caches on every training step.
constexpr double min_parallel_work = 1e7;

/// How long a worker, or the caller waiting for the workers, spins before
/// it sleeps. Training runs products back to back with short serial ops
/// between them; waking a sleeping thread costs tens of microseconds on a
/// VM, more than a small product takes, so a pool that only sleeps made two
/// threads slower than one. A busy machine loses at most this much per job.
constexpr auto spin_budget = std::chrono::microseconds(200);

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}

/// Spins until done() or the budget is spent; returns done().
template <class Done>
bool spin_until(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + spin_budget;
  for (int k = 0;; ++k) {
    if (done()) return true;
    cpu_relax();
    if (k % 64 == 63 && std::chrono::steady_clock::now() > deadline) return done();
  }
}

class Pool {
 public:
  explicit Pool(int workers) {
    for (int w = 0; w < workers; ++w) threads_.emplace_back([this, w] { run(w + 1); });
  }
  ~Pool() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }
  int size() const { return static_cast<int>(threads_.size()) + 1; }

  /// Runs chunk(c) for c in [0, chunks) with chunks <= size(), chunk 0 here.
  void run_chunks(int chunks, const std::function<void(int)>& chunk) {
    {
      // The job, its chunk count and its generation change together, under
      // the lock (also so that a worker about to sleep sees the new job).
      std::lock_guard lock(mutex_);
      job_ = &chunk;
      chunks_ = chunks;
      pending_.store(chunks - 1, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    chunk(0);
    const auto finished = [this] { return pending_.load(std::memory_order_acquire) == 0; };
    if (!spin_until(finished)) {
      std::unique_lock lock(mutex_);
      done_.wait(lock, finished);
    }
  }

 private:
  /// A worker takes the generation, the job and its chunk count together,
  /// under the lock. Read apart, a worker that the job did not need could be
  /// pre-empted between them and find a later job's chunk count with an
  /// earlier or a finished job (a null job: a crash), or run a later job's
  /// chunk twice, once for each generation. A worker the job needs cannot
  /// miss it: the caller waits for its chunk before the next job.
  void run(int index) {
    long seen = 0;
    for (;;) {
      const auto woken = [&] { return stop_.load() || generation_.load(std::memory_order_acquire) != seen; };
      if (!spin_until(woken)) {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, woken);
      }
      const std::function<void(int)>* job = nullptr;
      int chunks = 0;
      {
        std::lock_guard lock(mutex_);
        if (stop_) return;
        seen = generation_.load(std::memory_order_relaxed);
        job = job_;
        chunks = chunks_;
      }
      if (index >= chunks) continue;  // not needed for this job
      (*job)(index);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard lock(mutex_);  // the caller may be between its check and its wait
        done_.notify_one();
      }
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* job_ = nullptr;  // guarded by mutex_, as chunks_
  int chunks_ = 0;
  std::atomic<int> pending_{0};
  std::atomic<long> generation_{0};
  std::atomic<bool> stop_{false};
};

std::atomic<int> requested_threads{1};
/// A running training's own count on its thread (0: none, see ThreadsFor).
thread_local int training_threads = 0;

/// threads, or every hardware thread for 0; negative is a DomainError.
int resolved(int threads, const char* who) {
  if (threads < 0) throw DomainError(std::string(who) + ": the thread count must not be negative");
  return threads > 0 ? threads : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
}

/// Held for a whole parallel job: a second caller meanwhile runs serially.
std::mutex pool_mutex;
std::unique_ptr<Pool> pool;

/// In a child of fork() the workers do not exist: the pool is abandoned, not
/// destroyed (joining them would wait forever, at exit too), and the next
/// parallel job makes a new one. A Python process that forked after a
/// threaded fit used to hang there.
void abandon_pool_in_child() { static_cast<void>(pool.release()); }

Pool* pool_of(int threads) {
  static const bool fork_safe = pthread_atfork(nullptr, nullptr, abandon_pool_in_child) == 0;
  static_cast<void>(fork_safe);
  if (!pool || pool->size() != threads) {
    pool.reset();
    pool = std::make_unique<Pool>(threads - 1);
  }
  return pool.get();
}

}  // namespace

ThreadsFor::ThreadsFor(int threads) : previous_(training_threads) {
  training_threads = resolved(threads, "nn::train");
}

ThreadsFor::~ThreadsFor() { training_threads = previous_; }

void parallel_for(Eigen::Index n, double work, const std::function<void(Eigen::Index, Eigen::Index)>& body) {
  const int threads = nn::threads();
  const auto chunks = static_cast<int>(std::min<Eigen::Index>(threads, n));
  std::unique_lock lock(pool_mutex, std::defer_lock);
  if (chunks <= 1 || work < min_parallel_work || !lock.try_lock()) {
    body(0, n);
    return;
  }
  pool_of(threads)->run_chunks(chunks, [&](int c) {
    const Eigen::Index begin = n * c / chunks, end = n * (c + 1) / chunks;
    if (end > begin) body(begin, end - begin);
  });
}

}  // namespace detail

void set_threads(int threads) { detail::requested_threads = detail::resolved(threads, "nn::set_threads"); }

int threads() {
  return detail::training_threads > 0 ? detail::training_threads : detail::requested_threads.load();
}

}  // namespace nabla::nn
