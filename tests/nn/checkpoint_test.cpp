// Checkpoints: a model saved and loaded predicts the same; float models
// keep their precision; column names come back, and version 1 files without
// them are still read; an interrupted save leaves the old file whole; a
// truncated, corrupted, foreign or newer file, or a directory, is a clear
// IoError.
#include "nabla/nn/checkpoint.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace nabla::nn;
namespace fs = std::filesystem;

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("nabla_checkpoint_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string bytes(const std::string& file) const {
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  void write(const std::string& file, const std::string& content) const {
    std::ofstream(file, std::ios::binary) << content;
  }
  fs::path dir_;
};

TEST_F(CheckpointTest, RoundTrip) {
  MLP<double> model({3, 5, 2}, Activation::gelu, 4);
  nabla::data::Standardizer z;
  z.mean = Eigen::RowVector3d(1, 2, 3);
  z.scale = Eigen::RowVector3d(4, 5, 6);
  save_checkpoint(path("m.nbl"), make_checkpoint(model, Loss::cross_entropy, z, {3.0, 7.0}));
  const Checkpoint c = load_checkpoint(path("m.nbl"));
  EXPECT_EQ(c.widths, model.widths());
  EXPECT_EQ(c.activation, Activation::gelu);
  EXPECT_EQ(c.loss, Loss::cross_entropy);
  EXPECT_EQ(c.standardizer.scale, z.scale);
  EXPECT_EQ(c.class_values, (std::vector<double>{3.0, 7.0}));
  Model<double> loaded = c.model<double>();
  const Matrix<double> x = Matrix<double>::Random(4, 3);
  // Equal parameters; the products may round differently with the buffers' alignment.
  EXPECT_EQ(loaded.parameters().values(), model.parameters().values());
  EXPECT_LT((loaded.predict(x) - model.predict(x)).cwiseAbs().maxCoeff(), 1e-13);
  // Float parameters are stored as floats and come back bit for bit.
  MLP<float> small({2, 3, 1}, Activation::tanh, 1);
  save_checkpoint(path("f.nbl"), make_checkpoint(small, Loss::mse));
  const Checkpoint cf = load_checkpoint(path("f.nbl"));
  EXPECT_EQ(cf.scalar_bytes, 4);
  EXPECT_EQ(cf.model<float>().parameters().values(), small.parameters().values());
}

TEST_F(CheckpointTest, SavingThroughALinkKeepsTheLink) {
  // Regression: the checkpoint's temporary file was renamed over the path,
  // replacing a link (latest.nbl -> run7.nbl) with a file, and a FIFO or
  // device with a regular file (train --save).
  MLP<double> model({2, 3, 1}, Activation::tanh, 1);
  save_checkpoint(path("run7.nbl"), make_checkpoint(model, Loss::mse));
  fs::create_symlink("run7.nbl", path("latest.nbl"));
  MLP<double> other({2, 4, 1}, Activation::tanh, 2);
  save_checkpoint(path("latest.nbl"), make_checkpoint(other, Loss::mse));
  EXPECT_TRUE(fs::is_symlink(path("latest.nbl")));
  EXPECT_EQ(load_checkpoint(path("run7.nbl")).widths, other.widths());
}

TEST_F(CheckpointTest, ColumnNamesRoundTrip) {
  MLP<double> model({3, 2, 1}, Activation::tanh, 3);
  Checkpoint c = make_checkpoint(model, Loss::mse);
  c.feature_names = {"age", "sex", "body mass"};
  c.target_name = "progression";
  save_checkpoint(path("m.nbl"), c);
  const Checkpoint back = load_checkpoint(path("m.nbl"));
  EXPECT_EQ(back.feature_names, c.feature_names);
  EXPECT_EQ(back.target_name, "progression");
  // Names that do not fit the inputs are refused by save, before a byte is
  // written: the good file stays.
  c.feature_names.pop_back();
  EXPECT_THROW(save_checkpoint(path("m.nbl"), c), nabla::DimensionError);
  EXPECT_EQ(load_checkpoint(path("m.nbl")).feature_names, back.feature_names);
}

/// FNV-1a, 64 bits, as the checkpoint format specifies.
std::uint64_t fnv1a(const std::string& bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : bytes) h = (h ^ ch) * 0x100000001b3ULL;
  return h;
}

/// The fields of a version 2 file (version 3 with a target column), written
/// here by the layout of nn/checkpoint.hpp (not by save_checkpoint, which
/// refuses bad fields).
struct Fields {
  std::uint32_t loss = 0;  // mse
  std::vector<std::int64_t> widths{2, 1};
  std::vector<double> parameters{0.5, -0.5, 0.25};
  std::vector<double> mean, scale, classes;
  std::vector<std::string> names;
  std::optional<std::int64_t> target_column;  // version 3
};

template <class V>
void put(std::string& out, V value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <class V>
void put_all(std::string& out, const std::vector<V>& values) {
  put<std::uint64_t>(out, values.size());
  for (const V& v : values) put(out, v);
}

std::string file_of(const Fields& f) {
  std::string out = "NABLAMDL";
  for (std::uint32_t field : {f.target_column ? 3u : 2u, 0x01020304u, 8u, 0u, f.loss}) put(out, field);
  put_all(out, f.widths);
  put_all(out, f.parameters);
  put_all(out, f.mean);
  put_all(out, f.scale);
  put_all(out, f.classes);
  put<std::uint64_t>(out, f.names.size());
  for (const std::string& name : f.names) {
    put<std::uint64_t>(out, name.size());
    out += name;
  }
  put<std::uint64_t>(out, 0);  // no target name
  if (f.target_column) put(out, *f.target_column);
  put(out, fnv1a(out));
  return out;
}

// Files with a good checksum whose fields contradict each other are
// corrupted: widths whose parameter count overflows 64 bits (it wrapped to
// 0, and a file of no parameters passed), a standardizer or names that do
// not fit the inputs, more class values than the outputs can name.
TEST_F(CheckpointTest, InconsistentFieldsAreCorrupted) {
  auto load_error = [&](const Fields& f) {
    write(path("c.nbl"), file_of(f));
    try {
      load_checkpoint(path("c.nbl"));
    } catch (const nabla::IoError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const Fields good;
  ASSERT_EQ(load_error(good), "no error");
  ASSERT_EQ(load_checkpoint(path("c.nbl")).parameters, Eigen::Vector3d(0.5, -0.5, 0.25));
  Fields wide = good;
  wide.widths = {(std::int64_t{1} << 32) - 1, std::int64_t{1} << 32};  // (2^32) 2^32 = 2^64 parameters
  wide.parameters.clear();
  EXPECT_NE(load_error(wide).find("corrupted"), std::string::npos) << load_error(wide);
  Fields mean_scale = good;
  mean_scale.mean = {1, 2};
  mean_scale.scale = {1, 2, 3};
  EXPECT_NE(load_error(mean_scale).find("standardizer"), std::string::npos);
  Fields three_inputs = good;
  three_inputs.mean = three_inputs.scale = {1, 2, 3};  // the model takes 2
  EXPECT_NE(load_error(three_inputs).find("standardizer"), std::string::npos);
  Fields names = good;
  names.names = {"a", "b", "c"};
  EXPECT_NE(load_error(names).find("feature names"), std::string::npos);
  Fields classes = good;
  classes.loss = 3;  // binary cross-entropy: one output, two classes
  classes.classes = {4, 5};
  EXPECT_EQ(load_error(classes), "no error");
  classes.classes = {4, 5, 6};
  EXPECT_NE(load_error(classes).find("class values"), std::string::npos);
  Fields regression = good;
  regression.classes = {1};
  EXPECT_NE(load_error(regression).find("class values"), std::string::npos);
  Fields target = good;
  target.target_column = 2;  // the inputs are columns 0 and 1 or 1 and 2
  EXPECT_EQ(load_error(target), "no error");
  target.target_column = 3;
  EXPECT_NE(load_error(target).find("target column 3"), std::string::npos) << load_error(target);
}

// save_checkpoint refuses what load_checkpoint would, before writing: the
// file it would have replaced is left as it was.
TEST_F(CheckpointTest, SaveRefusesWhatLoadWouldRefuse) {
  MLP<double> model({3, 4, 2}, Activation::relu, 1);
  const Checkpoint good = make_checkpoint(model, Loss::cross_entropy, {}, {1.0, 2.0});
  save_checkpoint(path("m.nbl"), good);
  const std::string before = bytes(path("m.nbl"));
  auto refused = [&](const Checkpoint& c) -> std::string {
    try {
      save_checkpoint(path("m.nbl"), c);
    } catch (const nabla::DimensionError&) {
      return "dimension";
    } catch (const nabla::DomainError&) {
      return "domain";
    }
    return "saved";
  };
  Checkpoint c = good;
  c.scalar_bytes = 2;
  EXPECT_EQ(refused(c), "domain");
  c = good;
  c.activation = static_cast<Activation>(6);
  EXPECT_EQ(refused(c), "domain");
  c = good;
  c.loss = static_cast<Loss>(8);
  EXPECT_EQ(refused(c), "domain");
  c = good;
  c.parameters.conservativeResize(c.parameters.size() - 1);
  EXPECT_EQ(refused(c), "dimension");
  c = good;
  c.feature_names = {"a", "b"};
  EXPECT_EQ(refused(c), "dimension");
  c = good;
  c.standardizer.mean = Eigen::RowVector3d(0, 0, 0);
  c.standardizer.scale = Eigen::RowVector2d(1, 1);
  EXPECT_EQ(refused(c), "dimension");
  c = good;
  c.class_values = {1, 2, 3};
  EXPECT_EQ(refused(c), "dimension");
  c = good;
  c.widths = {3};
  EXPECT_EQ(refused(c), "dimension");
  EXPECT_EQ(bytes(path("m.nbl")), before);
}

TEST_F(CheckpointTest, VersionOneFilesWithoutNamesAreRead) {
  // A version 1 file is a version 3 file without the names (an empty list
  // and an empty target: two zero counts) and the target column, and with
  // its own checksum.
  MLP<double> model({2, 3, 1}, Activation::relu, 5);
  save_checkpoint(path("m.nbl"), make_checkpoint(model, Loss::mse));
  const std::string v3 = bytes(path("m.nbl"));
  std::string v1 = v3.substr(0, v3.size() - 4 * sizeof(std::uint64_t));
  ASSERT_EQ(v3.substr(v1.size(), 2 * sizeof(std::uint64_t)), std::string(2 * sizeof(std::uint64_t), '\0'));
  v1[8] = 1;  // the version, after the 8-byte magic
  const std::uint64_t sum = fnv1a(v1);
  v1.append(reinterpret_cast<const char*>(&sum), sizeof sum);
  write(path("v1.nbl"), v1);
  const Checkpoint c = load_checkpoint(path("v1.nbl"));
  EXPECT_EQ(c.parameters, model.parameters().values());
  EXPECT_TRUE(c.feature_names.empty());
  EXPECT_TRUE(c.target_name.empty());
  EXPECT_EQ(c.target_column, -1);
}

// The target's column in the training file is kept (a file without a
// header is read by position; it once came back as the last column always),
// and a version 2 file, which does not say, reads as -1: the last column.
TEST_F(CheckpointTest, TargetColumnRoundTripsAndVersionTwoReadsAsTheLast) {
  MLP<double> model({2, 3, 1}, Activation::relu, 5);
  Checkpoint c = make_checkpoint(model, Loss::mse);
  EXPECT_EQ(c.target_column, -1);
  c.target_column = 0;
  save_checkpoint(path("m.nbl"), c);
  EXPECT_EQ(load_checkpoint(path("m.nbl")).target_column, 0);
  const std::string v3 = bytes(path("m.nbl"));
  std::string v2 = v3.substr(0, v3.size() - 2 * sizeof(std::uint64_t));
  v2[8] = 2;
  const std::uint64_t sum = fnv1a(v2);
  v2.append(reinterpret_cast<const char*>(&sum), sizeof sum);
  write(path("v2.nbl"), v2);
  EXPECT_EQ(load_checkpoint(path("v2.nbl")).target_column, -1);
  // Beyond the inputs and the target (3 columns here): refused by save.
  c.target_column = 3;
  EXPECT_THROW(save_checkpoint(path("m.nbl"), c), nabla::DimensionError);
}

TEST_F(CheckpointTest, BadFilesAreClearErrors) {
  MLP<double> model({3, 4, 1}, Activation::relu, 1);
  save_checkpoint(path("m.nbl"), make_checkpoint(model, Loss::mse));
  const std::string good = bytes(path("m.nbl"));
  auto message = [&](const std::string& content) {
    write(path("bad.nbl"), content);
    try {
      load_checkpoint(path("bad.nbl"));
    } catch (const nabla::IoError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  for (std::size_t cut : {std::size_t{0}, std::size_t{5}, std::size_t{30}, good.size() / 2, good.size() - 1})
    EXPECT_NE(message(good.substr(0, cut)).find(cut < 8 ? "not a nabla" : "truncated"), std::string::npos)
        << cut;
  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x10;
  EXPECT_NE(message(flipped).find("corrupted"), std::string::npos);
  EXPECT_NE(message("a,b,c\n1,2,3\n").find("not a nabla model"), std::string::npos);
  std::string newer = good;
  newer[8] = 9;
  EXPECT_NE(message(newer).find("version 9"), std::string::npos);
  EXPECT_NE(message(good + "x").find("corrupted"), std::string::npos);
  EXPECT_THROW(load_checkpoint(path("missing.nbl")), nabla::IoError);
  EXPECT_THROW(save_checkpoint(path("no/such/dir/m.nbl"), make_checkpoint(model, Loss::mse)), nabla::IoError);
  fs::create_directories(path("folder.nbl"));
  try {
    load_checkpoint(path("folder.nbl"));
    ADD_FAILURE() << "a directory was read as a checkpoint";
  } catch (const nabla::IoError& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
  }
}

TEST_F(CheckpointTest, FailedSaveKeepsThePreviousFile) {
  MLP<double> model({3, 4, 1}, Activation::relu, 1);
  save_checkpoint(path("m.nbl"), make_checkpoint(model, Loss::mse));
  const std::string before = bytes(path("m.nbl"));
  // The target is replaced only by rename: make the rename fail (a directory
  // of that name cannot be replaced by a file), and the old file must stay.
  fs::create_directories(path("d.nbl"));
  EXPECT_THROW(save_checkpoint(path("d.nbl"), make_checkpoint(model, Loss::mse)), nabla::IoError);
  EXPECT_TRUE(fs::is_directory(path("d.nbl")));
  // No temporary file is left behind, and a normal save over m.nbl replaces it whole.
  for (const auto& entry : fs::directory_iterator(dir_))
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos);
  MLP<double> other({3, 4, 1}, Activation::relu, 2);
  save_checkpoint(path("m.nbl"), make_checkpoint(other, Loss::mse));
  EXPECT_NE(bytes(path("m.nbl")), before);
  EXPECT_EQ(load_checkpoint(path("m.nbl")).parameters, other.parameters().values());
}

}  // namespace
