// The reverse-mode tape: a thread-local record of statements, each the list
// of (partial derivative, argument index) pairs of one assignment, in flat
// split arrays grown in chunks (no heap allocation and no virtual call per
// operation). Index management is linear: the index of a statement's result
// is its position on the tape, so nothing but the argument list is stored
// (1 byte per statement plus 12 bytes per argument for double). A loop of
// `x += e` extends one statement instead of recording a chain of partial
// sums (end_accumulation; var.hpp says when that is safe).
//
// A tape larger than the cache streams through memory twice: written while
// recording, read backwards by the reverse sweep. Both ask for the cache
// lines a little ahead of where they are (prefetch_ahead), so that the
// hardware does not wait for each line in turn: on GradBench's lstm (a 24 MB
// tape) that made recording 11-13% and the sweep 30% faster.
//
// Tapes nest: a TapeScope takes a fresh tape from a thread-local stack and
// makes it the active one until the scope ends, so a gradient may be computed
// while another is being recorded. Memory is kept between uses (reset()).
//
// Every recording has an epoch, a number of the process's recordings (each
// reset() takes the next one), and every recorded Var carries the epoch of
// its recording, in what was padding. An argument of another epoch -- a Var
// captured from an enclosing recording, kept from an earlier one or made on
// another thread -- would stand for whatever this recording put at its
// index, or for an index beyond it, which the reverse sweep would write
// outside the adjoints. The drivers and preaccumulate always refuse such a
// result (DomainError). Every argument of every statement is checked too
// when NABLA_CHECK_RECORDINGS is 1, its default in builds without NDEBUG
// (debug and sanitizer builds): a compare and a branch per argument, never
// taken, which cost 6-13% of a gradient on the four bench problems
// (bench/README.md), so release builds leave it out unless asked. Epochs are
// 16 bits: a Var kept across a multiple of 65536 recordings is not caught.
#pragma once

#ifndef NABLA_CHECK_RECORDINGS
#ifdef NDEBUG
#define NABLA_CHECK_RECORDINGS 0
#else
#define NABLA_CHECK_RECORDINGS 1
#endif
#endif

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "nabla/ad/cold_call.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/core/primitives.hpp"

namespace nabla {

template <class T>
class BasicVar;

namespace detail {

/// Asks for the cache line `offset` elements away from p (behind it when
/// negative), for writing when Write. Never faults, whatever the address;
/// computed on integers, as the address may lie outside p's array.
template <bool Write, class U>
NABLA_INLINE void prefetch_ahead(const U* p, std::ptrdiff_t offset) {
  const std::uintptr_t at =
      reinterpret_cast<std::uintptr_t>(p) + static_cast<std::uintptr_t>(offset) * sizeof(U);
  // NOLINTNEXTLINE(performance-no-int-to-ptr): on purpose, see above
  __builtin_prefetch(reinterpret_cast<const void*>(at), Write ? 1 : 0);
}

/// How far ahead of the tape's cursor recording and the sweep ask for
/// lines, in arguments (measured on the lstm above: 64-256 on writes and
/// 128-384 on reads gave the same times; less did less).
inline constexpr std::ptrdiff_t kRecordAhead = 128;
inline constexpr std::ptrdiff_t kSweepAhead = 256;

/// Whether every argument recorded is checked for its recording (see the top of this file).
inline constexpr bool kCheckRecordings = NABLA_CHECK_RECORDINGS != 0;

/// A statement took an argument of another recording (see the top of this file).
[[noreturn, gnu::noinline, gnu::cold]] inline void throw_stale_var() {
  throw DomainError(
      "nabla: a Var of another recording was used (captured from an enclosing recording, kept from an "
      "earlier one, or made on another thread); compute from f's arguments");
}

}  // namespace detail

/// The reverse-mode record of computations on BasicVar<T>.
template <class T>
class BasicTape {
 public:
  /// The index of a recorded value; 0 marks a passive value (a constant).
  using Index = std::uint32_t;
  /// The number of a recording (see the top of this file); wraps around.
  using Epoch = std::uint16_t;
  /// Statements with this many arguments or more store their length apart.
  static constexpr std::size_t kLongStatement = 255;

  /// Where a statement's (partial, index) pairs are written; see begin_statement.
  struct Writer {
    T* partial = nullptr;
    Index* index = nullptr;
    std::size_t count = 0;
    /// The epoch of the recording written to.
    Epoch epoch = 0;
    NABLA_INLINE void push(const T& p, Index i) {
      partial[count] = p;
      index[count] = i;
      ++count;
    }
    /// Keeps the pair only if i is active, without a branch (expression.hpp),
    /// and checks the epoch e of its Var.
    NABLA_INLINE void push_active(const T& p, Index i, Epoch e) {
      partial[count] = p;
      index[count] = i;
      count += i != 0;
      check(i, e);
    }
    /// With NABLA_CHECK_RECORDINGS, throws DomainError if an active
    /// argument i of epoch e is not of this recording (nothing of the
    /// statement is kept then).
    NABLA_INLINE void check([[maybe_unused]] Index i, [[maybe_unused]] Epoch e) const {
      if constexpr (detail::kCheckRecordings) {
        if (e != epoch && i != 0) [[unlikely]]
          detail::throw_stale_var();
      }
    }
  };

  BasicTape() = default;
  BasicTape(const BasicTape&) = delete;
  BasicTape& operator=(const BasicTape&) = delete;

  /// The tape that records on this thread now.
  static BasicTape& active() {
    if (active_ == &idle_) [[unlikely]]
      active_ = &stack_tape(0);
    return *active_;
  }

  /// Forgets every statement; keeps the memory for the next recording.
  /// Throws DomainError on a tape that a driver is recording on (f calling
  /// Tape::active().reset() inside nabla::gradient): the driver's sweep
  /// would read statements that are gone.
  void reset() {
    if (driver_)
      throw DomainError(std::string("Tape::reset: this tape is recording for ") + driver_ +
                        "; open a nabla::TapeScope for a recording of your own");
    epoch_ = static_cast<Epoch>(last_epoch_.fetch_add(1, std::memory_order_relaxed) + 1);
    open_ = kNone;
    statement_chunk_ = 0;
    argument_chunk_ = 0;
    if (!statement_chunks_.empty()) load_statement_chunk(0);
    if (!argument_chunks_.empty()) load_argument_chunk(0);
    statement_size_ = 0;
    argument_size_ = 0;
    next_index_ = 1;
    adjoints_.clear();
    update_limit();
  }

  /// A new independent variable with the given value.
  BasicVar<T> input(const T& value) { return BasicVar<T>(value, push_statement(Length{0}), epoch_); }

  /// n new independent variables at once, with the consecutive indices
  /// first, first + 1, ..., first + n - 1; returns first (what the drivers
  /// use: one test of room per chunk instead of one per input).
  Index inputs(std::size_t n) {
    const Index first = next_index_;
    while (n > 0) {
      if (statement_size_ == statement_capacity_) next_statement_chunk();
      const std::size_t k = std::min(n, statement_capacity_ - statement_size_);
      std::fill_n(lengths_ + statement_size_, k, Length{0});
      statement_size_ += k;
      next_index_ += static_cast<Index>(k);
      n -= k;
    }
    update_limit();
    return first;
  }

  /// The active tape, with room for one more statement of up to `max_args`
  /// arguments: the hot path of recording (var.hpp), ONE test (against
  /// argument_limit_, which also counts the statement room; a thread's
  /// first recording finds the idle tape, whose limit is 0) and a single
  /// call site (the cold make_room), made through cold_call so that the
  /// values of a loop that records stay in registers (cold_call.hpp). One
  /// test instead of three (null tape, statement room, argument room) made
  /// recording 3-6% faster on bench (b) and (d).
  NABLA_INLINE static BasicTape& active_with_room(std::size_t max_args) {
    BasicTape* t = active_;
    if (t->argument_size_ + max_args + 1 > t->argument_limit_) [[unlikely]]
      t = detail::cold_call<BasicTape, &BasicTape::make_room>(max_args);
    return *t;
  }

  /// begin_statement without the test, after active_with_room.
  NABLA_INLINE Writer reserved_statement() { return writer_at_cursor(); }

  /// end_statement without the test, after active_with_room.
  template <std::size_t MaxArgs = kLongStatement>
  NABLA_INLINE Index end_reserved_statement(const Writer& w) {
    if (w.count == 0) return 0;
    if constexpr (MaxArgs >= kLongStatement) {
      if (w.count >= kLongStatement) return end_long_statement(w);
    }
    argument_size_ += w.count;
    lengths_[statement_size_++] = static_cast<Length>(w.count);
    return next_index_++;
  }

  /// Closes the statement written through `w` as `target += (its pairs)`,
  /// target being of epoch `target_epoch`. When `extend` (the caller alone
  /// holds target, which it made by an earlier end_accumulation) and
  /// target's statement is still the open one of this recording (see open_)
  /// with room for them, the pairs are appended to it and
  /// target is returned. Otherwise a new statement of the pairs and (1,
  /// target) is recorded and opened; its index is returned. `w` comes from
  /// reserved_statement after active_with_room(MaxArgs), MaxArgs counting
  /// the pair of target.
  template <std::size_t MaxArgs>
  NABLA_INLINE Index end_accumulation(Index target, Epoch target_epoch, bool extend, Writer& w) {
    if (extend && target == open_ && target + 1 == next_index_ &&
        (!detail::kCheckRecordings || target_epoch == epoch_)) {
      const std::size_t end = argument_size_ + w.count;
      if (end - open_start_ < kLongStatement) [[likely]] {
        lengths_[statement_size_ - 1] = static_cast<Length>(end - open_start_);
        argument_size_ = end;
        return target;
      }
    }
    const std::size_t start = argument_size_;
    w.push_active(T(1), target, target_epoch);
    const Index result = end_reserved_statement<MaxArgs>(w);
    open_ = result != 0 ? result : kNone;
    open_start_ = start;
    return result;
  }

  /// Room for up to `max_args` pairs of the next statement.
  NABLA_INLINE Writer begin_statement(std::size_t max_args) {
    if (argument_size_ + max_args + 1 > argument_capacity_) [[unlikely]]
      next_argument_chunk(max_args + 1);
    return writer_at_cursor();
  }

  /// Closes the statement written through `w`; its result's index, or 0 (a
  /// passive result) when it has no active argument. MaxArgs, when known at
  /// compile time and short, spares the test for a long statement.
  template <std::size_t MaxArgs = kLongStatement>
  NABLA_INLINE Index end_statement(const Writer& w) {
    if (statement_size_ == statement_capacity_) [[unlikely]]
      next_statement_chunk();
    return end_reserved_statement<MaxArgs>(w);
  }

  /// Records y = g(x_1, ..., x_n) from its partials dg/dx_i at once (for
  /// n-ary operations such as sum or logsumexp). Passive arguments are
  /// skipped. The indices must be of this recording: they carry no epoch.
  Index push(std::span<const T> partials, std::span<const Index> indices) {
    require_dimension(partials.size() == indices.size(), "Tape::push: partials and indices differ in size");
    Writer w = begin_statement(partials.size());
    for (std::size_t i = 0; i < partials.size(); ++i)
      if (indices[i] != 0) w.push(partials[i], indices[i]);
    return end_statement(w);
  }

  /// The adjoint of a recorded index, valid after reverse(). Throws
  /// DomainError for an index this recording has not given out.
  T& adjoint(Index i) {
    if (!holds(i)) [[unlikely]]
      throw DomainError("Tape::adjoint: index " + std::to_string(i) +
                        " was not recorded since the last reset");
    ensure_adjoints();
    return adjoints_[i];
  }
  /// The adjoint of v; throws DomainError for a Var of another recording
  /// (whose index may lie beyond this one's adjoints).
  T& adjoint(const BasicVar<T>& v) {
    if (!holds(v)) [[unlikely]]
      detail::throw_stale_var();
    return adjoint(v.index());
  }

  /// Sets every adjoint to zero (sized to the tape).
  void clear_adjoints() { adjoints_.assign(next_index_, T(0)); }

  /// Propagates adjoints from the last statement back to the first:
  /// adjoint(arg) += partial * adjoint(result) for every recorded pair.
  void reverse() {
    ensure_adjoints();
    T* adj = adjoints_.data();
    backward([adj](Index lhs, const T* partial, const Index* index, std::size_t n) {
      const T a = adj[lhs];
      if constexpr (std::is_arithmetic_v<T>) {
        if (a == 0) return;
      }
      for (std::size_t k = 0; k < n; ++k) adj[index[k]] += partial[k] * a;
    });
  }

  /// Vector-mode reverse: propagates L adjoints at once (the rows of an
  /// L x n Jacobian in one sweep) through `adjoints`, which the caller sizes
  /// to statements() + 1, seeds, and reads back by tape index. The tape's own
  /// adjoints are left alone.
  template <std::size_t L>
  void reverse_lanes(std::array<T, L>* adjoints) {
    backward([adjoints](Index lhs, const T* partial, const Index* index, std::size_t n) {
      const std::array<T, L> a = adjoints[lhs];
      if constexpr (std::is_arithmetic_v<T>) {
        bool zero = true;
        for (std::size_t l = 0; l < L; ++l) zero = zero && a[l] == 0;
        if (zero) return;
      }
      for (std::size_t k = 0; k < n; ++k) {
        std::array<T, L>& target = adjoints[index[k]];
        for (std::size_t l = 0; l < L; ++l) target[l] += partial[k] * a[l];
      }
    });
  }

  /// The epoch of the current recording (see the top of this file).
  Epoch epoch() const { return epoch_; }
  /// Whether v was recorded in the current recording (true for a passive v).
  bool holds(const BasicVar<T>& v) const {
    return !v.is_active() || (v.epoch() == epoch_ && holds(v.index()));
  }

  /// Statements recorded (independent variables included).
  std::size_t statements() const { return next_index_ - 1; }
  /// Whether index i is one this tape has given out since its last reset
  /// (0, a passive value, is).
  bool holds(Index i) const { return i < next_index_; }
  /// (partial, index) pairs recorded.
  std::size_t arguments() const {
    std::size_t total = argument_size_;
    for (std::size_t c = 0; c < argument_chunk_; ++c) total += argument_chunks_[c].size;
    return total;
  }
  /// Bytes of the recording: one length byte per statement and a partial
  /// and an index per argument (chunk capacity not counted).
  std::size_t bytes() const { return statements() + arguments() * (sizeof(T) + sizeof(Index)); }

 private:
  template <class>
  friend class TapeScope;

  /// A statement's number of arguments. Not a character type, so that its
  /// stores do not alias (and force reloads of) everything else.
  enum class Length : std::uint8_t {};

  /// Calls visit(result index, partials, indices, count) for every statement
  /// with arguments, from the last one back to the first; it stops at the
  /// first argument recorded, so the inputs before it are not walked.
  template <class Visit>
  NABLA_INLINE void backward(Visit&& visit) {
    save_sizes();
    if (statement_chunks_.empty()) return;
    Index lhs = next_index_ - 1;
    std::size_t ac = argument_chunk_;
    std::size_t apos = argument_chunks_.empty() ? 0 : argument_chunks_[ac].size;
    const T* partial = argument_chunks_.empty() ? nullptr : argument_chunks_[ac].partial.get();
    const Index* index = argument_chunks_.empty() ? nullptr : argument_chunks_[ac].index.get();
    for (std::size_t sc = statement_chunk_ + 1; sc-- > 0;) {
      const Length* lengths = statement_chunks_[sc].length.get();
      for (std::size_t s = statement_chunks_[sc].size; s-- > 0; --lhs) {
        std::size_t n = static_cast<std::size_t>(lengths[s]);
        if (n == 0) continue;
        while (apos == 0) {
          apos = argument_chunks_[--ac].size;
          partial = argument_chunks_[ac].partial.get();
          index = argument_chunks_[ac].index.get();
        }
        if (n == kLongStatement) n = index[--apos];
        apos -= n;
        detail::prefetch_ahead<false>(partial + apos, -detail::kSweepAhead);
        detail::prefetch_ahead<false>(index + apos, -detail::kSweepAhead);
        visit(lhs, partial + apos, index + apos, n);
        if (apos == 0 && ac == 0) return;  // no arguments left: the rest are inputs and constants
      }
    }
  }

  /// The writer at the end of the arguments, with the lines ahead asked for.
  NABLA_INLINE Writer writer_at_cursor() {
    T* partial = partials_ + argument_size_;
    Index* index = indices_ + argument_size_;
    detail::prefetch_ahead<true>(partial, detail::kRecordAhead);
    detail::prefetch_ahead<true>(index, detail::kRecordAhead);
    return Writer{partial, index, 0, epoch_};
  }

  Index end_long_statement(const Writer& w) {
    w.index[w.count] = static_cast<Index>(w.count);  // the length, read first when going back
    argument_size_ += w.count + 1;
    return push_statement(static_cast<Length>(kLongStatement));
  }
  static constexpr std::size_t kFirstChunk = std::size_t{1} << 12;
  static constexpr std::size_t kLargestChunk = std::size_t{1} << 22;

  struct StatementChunk {
    std::unique_ptr<Length[]> length;
    std::size_t size = 0;
    std::size_t capacity = 0;
  };
  struct ArgumentChunk {
    std::unique_ptr<T[]> partial;
    std::unique_ptr<Index[]> index;
    std::size_t size = 0;
    std::size_t capacity = 0;
  };

  NABLA_INLINE Index push_statement(Length length) {
    if (statement_size_ == statement_capacity_) [[unlikely]]
      next_statement_chunk();
    lengths_[statement_size_++] = length;
    update_limit();
    return next_index_++;
  }

  void ensure_adjoints() {
    if (adjoints_.size() < next_index_) adjoints_.resize(next_index_, T(0));
  }

  void save_sizes() {
    if (!statement_chunks_.empty()) statement_chunks_[statement_chunk_].size = statement_size_;
    if (!argument_chunks_.empty()) argument_chunks_[argument_chunk_].size = argument_size_;
  }

  void load_statement_chunk(std::size_t c) {
    statement_chunk_ = c;
    lengths_ = statement_chunks_[c].length.get();
    statement_size_ = 0;
    statement_capacity_ = statement_chunks_[c].capacity;
  }
  void load_argument_chunk(std::size_t c) {
    argument_chunk_ = c;
    partials_ = argument_chunks_[c].partial.get();
    indices_ = argument_chunks_[c].index.get();
    argument_size_ = 0;
    argument_capacity_ = argument_chunks_[c].capacity;
  }

  static std::size_t next_capacity(std::size_t previous, std::size_t needed) {
    return std::max(needed, previous == 0 ? kFirstChunk : std::min(previous * 2, kLargestChunk));
  }

  void next_statement_chunk() {
    save_sizes();
    std::size_t next = statement_chunks_.empty() ? 0 : statement_chunk_ + 1;
    if (next == statement_chunks_.size()) {
      StatementChunk c;
      c.capacity = next_capacity(statement_capacity_, 1);
      c.length = std::make_unique_for_overwrite<Length[]>(c.capacity);
      statement_chunks_.push_back(std::move(c));
    }
    load_statement_chunk(next);
    open_ = kNone;  // its arguments could not be extended in place
    // Checked here, once per chunk, rather than on every statement.
    if (statement_capacity_ > kMaxIndex - next_index_)
      throw DimensionError("Tape: more than 2^32 - 2 recorded statements");
    update_limit();
  }

  void next_argument_chunk(std::size_t needed) {
    save_sizes();
    std::size_t next = argument_chunks_.empty() ? 0 : argument_chunk_ + 1;
    // A reused chunk too small for this statement is replaced by a larger one.
    if (next < argument_chunks_.size() && argument_chunks_[next].capacity < needed)
      argument_chunks_.erase(argument_chunks_.begin() + static_cast<std::ptrdiff_t>(next),
                             argument_chunks_.end());
    if (next == argument_chunks_.size()) {
      ArgumentChunk c;
      c.capacity = next_capacity(argument_capacity_, needed);
      c.partial = std::make_unique_for_overwrite<T[]>(c.capacity);
      c.index = std::make_unique_for_overwrite<Index[]>(c.capacity);
      argument_chunks_.push_back(std::move(c));
    }
    load_argument_chunk(next);
    open_ = kNone;
    update_limit();
  }

  /// The thread's tape with room for max_args + 1 arguments and as many
  /// statements (a new statement chunk may leave a few slots of the last
  /// one unused), its limit recomputed.
  [[gnu::noinline, gnu::cold]] static BasicTape* make_room(std::size_t max_args) {
    BasicTape* t = &active();
    if (t->statement_size_ + max_args + 1 > t->statement_capacity_) t->next_statement_chunk();
    if (t->argument_size_ + max_args + 1 > t->argument_capacity_) t->next_argument_chunk(max_args + 1);
    t->update_limit();
    return t;
  }

  /// argument_limit_ = the least of the argument capacity and the arguments
  /// that the statement room can take (a recorded statement has at least
  /// one), so that argument_size_ + max_args + 1 <= argument_limit_ means
  /// room for max_args + 1 arguments and as many statements. Recomputed
  /// wherever a chunk changes or statements without arguments are made
  /// (inputs); a statement of k >= 1 arguments only raises the true limit
  /// (by k - 1), so the hot path leaves it as it is.
  void update_limit() {
    argument_limit_ = std::min(argument_capacity_, argument_size_ + (statement_capacity_ - statement_size_));
  }

  static BasicTape& stack_tape(std::size_t depth) {
    static thread_local std::vector<std::unique_ptr<BasicTape>> stack;
    while (stack.size() <= depth) {
      stack.push_back(std::make_unique<BasicTape>());
      stack.back()->reset();  // an epoch of its own (the idle tape's 0 is shared)
    }
    return *stack[depth];
  }

  static constexpr Index kMaxIndex = ~Index{0};
  /// open_ when no statement is open: an index no statement reaches.
  static constexpr Index kNone = kMaxIndex;
  /// The tape active_ starts at on every thread: empty, never written (its
  /// limit of 0 sends the first recording to make_room, which takes the
  /// thread's own tape), so that the hot path needs no null test.
  static BasicTape idle_;
  static inline thread_local BasicTape* active_ = &idle_;
  static inline thread_local std::size_t depth_ = 0;
  /// The epoch the last reset() on any thread gave out.
  static inline std::atomic<Epoch> last_epoch_{0};

  // The chunk being written, cached for the hot path.
  T* partials_ = nullptr;
  Index* indices_ = nullptr;
  std::size_t argument_size_ = 0;
  std::size_t argument_capacity_ = 0;
  std::size_t argument_limit_ = 0;  // see update_limit
  Length* lengths_ = nullptr;
  std::size_t statement_size_ = 0;
  std::size_t statement_capacity_ = 0;
  Index next_index_ = 1;
  Epoch epoch_ = 0;
  /// The statement that `x += e` may extend in place (end_accumulation):
  /// the last one made by end_accumulation, while its arguments are the
  /// last of the current chunk; kNone after a new chunk or a reset.
  Index open_ = kNone;
  /// Where the open statement's arguments start in the current chunk, so
  /// that extending it writes its length without reading it first.
  std::size_t open_start_ = 0;

  std::size_t statement_chunk_ = 0;
  std::size_t argument_chunk_ = 0;
  std::vector<StatementChunk> statement_chunks_;
  std::vector<ArgumentChunk> argument_chunks_;
  std::vector<T> adjoints_;
  /// The driver recording on this tape, if one is (TapeScope).
  const char* driver_ = nullptr;
};

template <class T>
constinit BasicTape<T> BasicTape<T>::idle_{};

/// Makes a fresh, empty tape the active one on this thread for its lifetime,
/// and restores the previously active tape at the end: recordings nest.
template <class T>
class TapeScope {
 public:
  /// `driver`, when given, names the driver that records on the tape
  /// (reset() then refuses, see there).
  explicit TapeScope(const char* driver = nullptr) : previous_(BasicTape<T>::active_) {
    BasicTape<T>::active();  // the depth-0 tape exists before a nested one is taken
    ++BasicTape<T>::depth_;
    depth_ = BasicTape<T>::depth_;
    tape_ = &BasicTape<T>::stack_tape(depth_);
    tape_->reset();
    tape_->driver_ = driver;
    BasicTape<T>::active_ = tape_;
  }
  ~TapeScope() {
    tape_->driver_ = nullptr;
    --BasicTape<T>::depth_;
    BasicTape<T>::active_ = previous_ != &BasicTape<T>::idle_ ? previous_ : &BasicTape<T>::stack_tape(0);
  }
  TapeScope(const TapeScope&) = delete;
  TapeScope& operator=(const TapeScope&) = delete;

  BasicTape<T>& tape() { return *tape_; }
  /// How deep this scope's tape is nested (the thread's first tape is 0).
  std::size_t depth() const { return depth_; }

 private:
  BasicTape<T>* previous_;
  BasicTape<T>* tape_;
  std::size_t depth_;
};

}  // namespace nabla
