// Checkpoint files (see nn/checkpoint.hpp): a byte writer and a bounds-checked
// reader over the layout, and FNV-1a over the contents; written whole or not at
// all (core/files.hpp).
#include "nabla/nn/checkpoint.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "nabla/core/files.hpp"

namespace nabla::nn {
namespace {

constexpr char magic[8] = {'N', 'A', 'B', 'L', 'A', 'M', 'D', 'L'};
constexpr std::uint32_t byte_order_mark = 0x01020304;
/// The widest layer a file may declare: beyond any real model, and small
/// enough that a product of two widths stays far from overflow.
constexpr Eigen::Index max_width = Eigen::Index{1} << 32;

std::uint64_t fnv1a(const std::string& bytes) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

class Writer {
 public:
  template <class V>
  void put(V value) {
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  void put_doubles(const double* data, std::size_t n) {
    put<std::uint64_t>(n);
    bytes_.append(reinterpret_cast<const char*>(data), n * sizeof(double));
  }
  void put_string(const std::string& s) {
    put<std::uint64_t>(s.size());
    bytes_.append(s);
  }
  std::string& bytes() { return bytes_; }

 private:
  std::string bytes_;
};

class Reader {
 public:
  Reader(const std::string& bytes, const std::string& path) : bytes_(bytes), path_(path) {}
  template <class V>
  V get() {
    need(sizeof(V));
    V value;
    std::memcpy(&value, bytes_.data() + at_, sizeof value);
    at_ += sizeof value;
    return value;
  }
  /// A count, checked against what is left of the file (each entry `width` bytes).
  std::size_t count(std::size_t width) {
    const auto n = get<std::uint64_t>();
    if (n > (bytes_.size() - at_) / width) truncated();
    return static_cast<std::size_t>(n);
  }
  std::string get_string() {
    const std::size_t n = count(1);
    std::string s = bytes_.substr(at_, n);
    at_ += n;
    return s;
  }
  std::size_t position() const { return at_; }
  [[noreturn]] void truncated() const {
    throw IoError("'" + path_ + "' is truncated or corrupted (it ends inside the checkpoint)");
  }

 private:
  void need(std::size_t n) const {
    if (bytes_.size() - at_ < n) truncated();
  }
  const std::string& bytes_;
  const std::string& path_;
  std::size_t at_ = 0;
};

/// What is wrong with a checkpoint's fields, if anything: the same rules
/// refuse a save (DimensionError or DomainError, before a byte is written)
/// and a load (IoError "corrupted"), so that every file save writes, load
/// reads back.
struct Fault {
  bool dimension = false;  ///< a count or size, else a value out of its range
  std::string what;
};

/// sum over layers of (inputs + 1) outputs, or -1 when it overflows (only a
/// crafted file has such widths).
Eigen::Index parameter_count(const std::vector<Eigen::Index>& widths) {
  Eigen::Index total = 0;
  for (std::size_t k = 1; k < widths.size(); ++k) {
    Eigen::Index layer = 0;
    if (__builtin_mul_overflow(widths[k - 1] + 1, widths[k], &layer) ||
        __builtin_add_overflow(total, layer, &total))
      return -1;
  }
  return total;
}

std::optional<Fault> fault(const Checkpoint& c) {
  if (c.scalar_bytes != 4 && c.scalar_bytes != 8)
    return Fault{false, "scalar_bytes is " + std::to_string(c.scalar_bytes) + ", not 4 or 8"};
  if (static_cast<std::uint32_t>(c.activation) > static_cast<std::uint32_t>(Activation::softplus))
    return Fault{false, "unknown activation"};
  if (static_cast<std::uint32_t>(c.loss) > static_cast<std::uint32_t>(Loss::smoothed_zero_one))
    return Fault{false, "unknown loss"};
  if (c.widths.size() < 2) return Fault{true, "a model has at least two layer widths"};
  for (Eigen::Index width : c.widths)
    if (width <= 0 || width > max_width) return Fault{true, "bad layer width " + std::to_string(width)};
  const Eigen::Index expected = parameter_count(c.widths);
  if (expected < 0 || c.parameters.size() != expected)
    return Fault{true, "the parameter count does not fit the layers"};
  const Eigen::Index inputs = c.widths.front(), outputs = c.widths.back();
  const data::Standardizer& z = c.standardizer;
  if (z.mean.size() != z.scale.size() || (!z.empty() && z.mean.size() != inputs))
    return Fault{true, "the standardizer does not fit the inputs"};
  // A single output is a binary score (two classes); k outputs name k.
  const std::size_t classes =
      is_classification(c.loss) ? static_cast<std::size_t>(outputs == 1 ? 2 : outputs) : 0;
  if (c.class_values.size() > classes) return Fault{true, "the class values do not fit the outputs"};
  if (!c.feature_names.empty() && c.feature_names.size() != static_cast<std::size_t>(inputs))
    return Fault{true, "the feature names do not fit the inputs"};
  if (c.target_column < -1 || c.target_column > inputs)
    return Fault{true, "the target column " + std::to_string(c.target_column) + " is not one of the " +
                           std::to_string(inputs + 1) + " columns of the inputs and the target"};
  return std::nullopt;
}

std::string serialize(const Checkpoint& c) {
  Writer w;
  w.bytes().append(magic, sizeof magic);
  w.put<std::uint32_t>(checkpoint_version);
  w.put<std::uint32_t>(byte_order_mark);
  w.put<std::uint32_t>(static_cast<std::uint32_t>(c.scalar_bytes));
  w.put<std::uint32_t>(static_cast<std::uint32_t>(c.activation));
  w.put<std::uint32_t>(static_cast<std::uint32_t>(c.loss));
  w.put<std::uint64_t>(c.widths.size());
  for (Eigen::Index width : c.widths) w.put<std::int64_t>(width);
  w.put<std::uint64_t>(static_cast<std::uint64_t>(c.parameters.size()));
  for (double p : c.parameters) {
    if (c.scalar_bytes == 4)
      w.put<float>(static_cast<float>(p));
    else
      w.put<double>(p);
  }
  w.put_doubles(c.standardizer.mean.data(), static_cast<std::size_t>(c.standardizer.mean.size()));
  w.put_doubles(c.standardizer.scale.data(), static_cast<std::size_t>(c.standardizer.scale.size()));
  w.put_doubles(c.class_values.data(), c.class_values.size());
  w.put<std::uint64_t>(c.feature_names.size());
  for (const std::string& name : c.feature_names) w.put_string(name);
  w.put_string(c.target_name);
  w.put<std::int64_t>(c.target_column);
  w.put<std::uint64_t>(fnv1a(w.bytes()));
  return std::move(w.bytes());
}

Eigen::RowVectorXd read_row(Reader& r) {
  Eigen::RowVectorXd v(static_cast<Eigen::Index>(r.count(sizeof(double))));
  for (Eigen::Index k = 0; k < v.size(); ++k) v(k) = r.get<double>();
  return v;
}

/// The fields after the header; checks they describe a model.
Checkpoint parse_body(Reader& r, const std::string& path, std::uint32_t version) {
  auto corrupted = [&path](const std::string& what) {
    return IoError(std::string("'").append(path).append("' is corrupted (").append(what).append(")"));
  };
  Checkpoint c;
  c.scalar_bytes = static_cast<int>(r.get<std::uint32_t>());
  const auto activation = r.get<std::uint32_t>(), loss = r.get<std::uint32_t>();
  if ((c.scalar_bytes != 4 && c.scalar_bytes != 8) || activation > 5 || loss > 7)
    throw corrupted("bad header fields");
  c.activation = static_cast<Activation>(activation);
  c.loss = static_cast<Loss>(loss);
  const std::size_t layers = r.count(sizeof(std::int64_t));
  for (std::size_t k = 0; k < layers; ++k) {
    c.widths.push_back(static_cast<Eigen::Index>(r.get<std::int64_t>()));
    if (c.widths.back() <= 0 || c.widths.back() > max_width) throw corrupted("bad layer width");
  }
  // Checked before the parameters are read (their count is bounded by the
  // file's size already, but this gives the clearer message).
  const std::size_t n = r.count(static_cast<std::size_t>(c.scalar_bytes));
  const Eigen::Index expected = parameter_count(c.widths);
  if (layers < 2 || expected < 0 || static_cast<Eigen::Index>(n) != expected)
    throw corrupted("the parameter count does not fit the layers");
  c.parameters.resize(static_cast<Eigen::Index>(n));
  for (Eigen::Index k = 0; k < c.parameters.size(); ++k)
    c.parameters(k) = c.scalar_bytes == 4 ? double(r.get<float>()) : r.get<double>();
  c.standardizer.mean = read_row(r);
  c.standardizer.scale = read_row(r);
  const Eigen::RowVectorXd classes = read_row(r);
  c.class_values.assign(classes.data(), classes.data() + classes.size());
  if (version >= 2) {
    const std::size_t names = r.count(sizeof(std::uint64_t));
    for (std::size_t k = 0; k < names; ++k) c.feature_names.push_back(r.get_string());
    c.target_name = r.get_string();
  }
  if (version >= 3) c.target_column = static_cast<Eigen::Index>(r.get<std::int64_t>());
  if (const auto f = fault(c)) throw corrupted(f->what);
  return c;
}

Checkpoint parse(const std::string& bytes, const std::string& path) {
  if (bytes.size() < sizeof magic || std::memcmp(bytes.data(), magic, sizeof magic) != 0)
    throw IoError("'" + path + "' is not a nabla model checkpoint");
  Reader r(bytes, path);
  for (std::size_t k = 0; k < sizeof magic; ++k) r.get<char>();
  const auto version = r.get<std::uint32_t>();
  if (version == 0 || version > checkpoint_version)
    throw IoError("'" + path + "' has checkpoint format version " + std::to_string(version) +
                  "; this nabla reads up to version " + std::to_string(checkpoint_version));
  if (r.get<std::uint32_t>() != byte_order_mark)
    throw IoError("'" + path + "' was written on a machine of the other byte order");
  Checkpoint c = parse_body(r, path, version);
  const std::size_t body = r.position();
  if (r.get<std::uint64_t>() != fnv1a(bytes.substr(0, body)))
    throw IoError("'" + path + "' is corrupted (checksum mismatch)");
  if (r.position() != bytes.size()) throw IoError("'" + path + "' is corrupted (bytes after the checkpoint)");
  return c;
}

}  // namespace

void save_checkpoint(const std::string& path, const Checkpoint& checkpoint) {
  if (const auto f = fault(checkpoint)) {
    const std::string what = "nn::save_checkpoint: " + f->what + " (load_checkpoint would refuse the file)";
    if (f->dimension) throw DimensionError(what);
    throw DomainError(what);
  }
  write_file_atomically(path, serialize(checkpoint));
}

Checkpoint load_checkpoint(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored))
    throw IoError("'" + path + "' is a directory, not a model checkpoint");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open '" + path + "' for reading");
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse(bytes, path);
}

template <class T>
Checkpoint make_checkpoint(const Model<T>& model, Loss loss, const data::Standardizer& standardizer,
                           std::vector<double> class_values) {
  Checkpoint c;
  c.widths = model.widths();
  c.activation = model.activation();
  c.loss = loss;
  c.scalar_bytes = sizeof(T);
  c.parameters = model.parameters().values().template cast<double>();
  c.standardizer = standardizer;
  c.class_values = std::move(class_values);
  return c;
}

template <class T>
Model<T> Checkpoint::model() const {
  Model<T> m(widths, activation);
  require_dimension(m.parameters().size() == parameters.size(),
                    "nn::Checkpoint::model: parameters do not fit");
  m.parameters().values() = parameters.cast<T>();
  return m;
}

template Checkpoint make_checkpoint(const Model<float>&, Loss, const data::Standardizer&,
                                    std::vector<double>);
template Checkpoint make_checkpoint(const Model<double>&, Loss, const data::Standardizer&,
                                    std::vector<double>);
template Model<float> Checkpoint::model<float>() const;
template Model<double> Checkpoint::model<double>() const;

}  // namespace nabla::nn
