// compile_native (native.hpp): the cache of compiled objects, running the C
// compiler (posix_spawnp, its stderr to a file that becomes the message of a
// CompileError), the atomic rename of a new object into the cache, and
// loading it with dlopen for the lifetime of the NativeFunction.
#include "nabla/sym/native.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "nabla/sym/diff.hpp"

extern char** environ;  // NOLINT: POSIX

namespace nabla::sym {

CompileError::CompileError(const std::string& message, std::string diagnostics)
    : Error(message), diagnostics_(std::move(diagnostics)) {}

namespace {

namespace fs = std::filesystem;

std::string env(const char* name) {
  const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read only
  return v != nullptr ? std::string(v) : std::string();
}

std::string compiler_of(const NativeOptions& options) {
  if (!options.compiler.empty()) return options.compiler;
  const std::string cc = env("NABLA_CC");
  return cc.empty() ? "cc" : cc;
}

fs::path cache_dir_of(const NativeOptions& options) {
  if (!options.cache_dir.empty()) return options.cache_dir;
  if (const std::string xdg = env("XDG_CACHE_HOME"); !xdg.empty()) return fs::path(xdg) / "nabla";
  if (const std::string home = env("HOME"); !home.empty()) return fs::path(home) / ".cache" / "nabla";
  std::error_code ec;
  const fs::path tmp = fs::temp_directory_path(ec);
  return (ec ? fs::path("/tmp") : tmp) / "nabla-cache";
}

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

/// FNV-1a, 64 bits, as 16 hex digits.
std::string hash_hex(const std::string& text) {
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

/// A name no other thread or process uses at the same time.
std::string unique_stem(const std::string& key) {
  static std::atomic<unsigned long> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return "nabla_" + key + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++) + "." +
         std::to_string(rng() % 1000000007ULL);
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out)
    throw IoError("compile_native: cannot write '" + path.string() + "' (is the cache directory writable?)");
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Runs argv with stdout and stderr to `log`; its exit status (-1: killed).
int run(const std::vector<std::string>& argv, const fs::path& log) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int err = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0)
    throw CompileError("compile_native: cannot run the C compiler '" + argv[0] + "': " + std::strerror(err) +
                           " (set NABLA_CC or NativeOptions::compiler)",
                       "");
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Compiles `source` into `target` through temporary files in its directory.
void build(const std::string& source, const NativeOptions& options, const fs::path& target,
           const std::string& key) {
  const fs::path dir = target.parent_path();
  const std::string stem = unique_stem(key);
  const fs::path c_file = dir / (stem + ".c");
  const fs::path so_file = dir / (stem + ".so");
  const fs::path log = dir / (stem + ".log");
  write_file(c_file, source);
  std::vector<std::string> argv = words(compiler_of(options));
  if (argv.empty()) throw CompileError("compile_native: the C compiler command is empty", "");
  for (std::string& f : words(options.flags)) argv.push_back(std::move(f));
  for (const char* f : {"-fPIC", "-shared", "-o"}) argv.emplace_back(f);
  argv.push_back(so_file.string());
  argv.push_back(c_file.string());
  argv.emplace_back("-lm");
  int status = 0;
  try {
    status = run(argv, log);
  } catch (...) {
    std::error_code ec;
    fs::remove(c_file, ec);
    fs::remove(log, ec);
    throw;
  }
  const std::string diagnostics = read_file(log);
  std::error_code ec;
  fs::remove(log, ec);
  if (status != 0) {
    fs::remove(so_file, ec);
    fs::remove(c_file, ec);
    std::string command;
    for (const std::string& a : argv) command += (command.empty() ? "" : " ") + a;
    throw CompileError("compile_native: the C compiler failed (status " + std::to_string(status) +
                           "): " + command + "\n" + diagnostics,
                       diagnostics);
  }
  fs::rename(so_file, target, ec);  // atomic: readers see no object or a whole one
  if (ec) {
    fs::remove(so_file, ec);
    fs::remove(c_file, ec);
    throw IoError("compile_native: cannot move the compiled object into '" + target.string() + "'");
  }
  fs::path kept = target;
  fs::rename(c_file, kept.replace_extension(".c"), ec);  // the source beside it, for reading
  if (ec) fs::remove(c_file, ec);
}

std::shared_ptr<void> open_library(const fs::path& path, std::string& error) {
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* message = ::dlerror();
    error = message != nullptr ? message : "dlopen failed";
    return nullptr;
  }
  return std::shared_ptr<void>(handle, [](void* h) { ::dlclose(h); });
}

}  // namespace

double NativeFunction::value(const Eigen::VectorXd& x) const {
  if (value_ == nullptr) throw DomainError("NativeFunction::value: empty (make one with compile_native)");
  require_dimension(static_cast<std::size_t>(x.size()) == inputs_,
                    "NativeFunction::value: x has the wrong size");
  return value_(x.data());
}

void NativeFunction::gradient(const double* x, double* out) const {
  if (gradient_ == nullptr) throw DomainError("NativeFunction::gradient: compiled without the gradient");
  gradient_(x, out);
}

Eigen::VectorXd NativeFunction::gradient(const Eigen::VectorXd& x) const {
  require_dimension(static_cast<std::size_t>(x.size()) == inputs_,
                    "NativeFunction::gradient: x has the wrong size");
  Eigen::VectorXd g(x.size());
  gradient(x.data(), g.data());
  return g;
}

Eigen::VectorXd NativeFunction::values_batch(const Eigen::MatrixXd& points) const {
  if (value_ == nullptr)
    throw DomainError("NativeFunction::values_batch: empty (make one with compile_native)");
  require_dimension(static_cast<std::size_t>(points.rows()) == inputs_,
                    "NativeFunction::values_batch: points need one row per input");
  Eigen::VectorXd out(points.cols());
  for (Eigen::Index j = 0; j < points.cols(); ++j) out[j] = value_(points.col(j).data());
  return out;
}

NativeFunction compile_native(const Expr& e, const std::vector<Expr>& vars, const NativeOptions& options) {
  NativeFunction f;
  f.source_ = native_source(e, vars, options.gradient);
  f.inputs_ = vars.size();
  const fs::path dir = cache_dir_of(options);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw IoError("compile_native: cannot create the cache directory '" + dir.string() + "'" +
                  (ec ? ": " + ec.message() : std::string()));
  const std::string key = hash_hex(compiler_of(options) + '\n' + options.flags + '\n' + f.source_);
  const fs::path target = dir / ("nabla_" + key + ".so");
  std::string error;
  if (fs::exists(target, ec)) f.handle_ = open_library(target, error);
  if (!f.handle_) {  // not cached, or a damaged object: compile (again)
    build(f.source_, options, target, key);
    f.handle_ = open_library(target, error);
    if (!f.handle_)
      throw CompileError("compile_native: cannot load '" + target.string() + "': " + error, error);
  }
  f.path_ = target.string();
  f.value_ = reinterpret_cast<double (*)(const double*)>(::dlsym(f.handle_.get(), "nabla_value"));
  if (options.gradient)
    f.gradient_ =
        reinterpret_cast<void (*)(const double*, double*)>(::dlsym(f.handle_.get(), "nabla_gradient"));
  if (f.value_ == nullptr || (options.gradient && f.gradient_ == nullptr))
    throw CompileError("compile_native: '" + target.string() + "' lacks nabla_value or nabla_gradient", "");
  return f;
}

NativeFunction compile_native(const Expr& e, const std::vector<std::string>& vars,
                              const NativeOptions& options) {
  return compile_native(e, to_symbols(vars), options);
}

NativeFunction compile_native(const Expr& e, std::initializer_list<std::string_view> vars,
                              const NativeOptions& options) {
  return compile_native(e, to_symbols(vars), options);
}

}  // namespace nabla::sym
