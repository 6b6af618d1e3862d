// The CSV loader on small texts (header or none, each delimiter, target by
// name and index, errors naming line and column) and on the bundled datasets
// (their sizes and a few cells checked against the files' documentation).
#include "nabla/data/csv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "nabla/core/errors.hpp"

namespace {

using namespace nabla::data;

Dataset parse(const std::string& text, const CsvOptions& options = {}) {
  std::istringstream in(text);
  return read_csv(in, options, "test.csv");
}

TEST(Csv, HeaderAndDelimiters) {
  for (const char* text : {"a,b,y\n1,2,3\n4,5,6\n", "a;b;y\n1;2;3\n4;5;6\n", "a\tb\ty\n1\t2\t3\n4\t5\t6\n",
                           "a b  y\n1 2 3\n 4  5 6\n", "a|b|y\r\n1|2|3\r\n\r\n4|5|6\r\n"}) {
    const Dataset d = parse(text);
    ASSERT_EQ(d.rows(), 2) << text;
    ASSERT_EQ(d.cols(), 2);
    EXPECT_EQ(d.feature_names, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(d.target_name, "y");
    EXPECT_TRUE(d.header);
    EXPECT_EQ(d.features(1, 1), 5);
    EXPECT_EQ(d.targets(1), 6);
  }
}

TEST(Csv, OneColumnWhoseNameHasASpace) {
  // Without a delimiter runs of spaces split the lines, and "my target" was
  // two columns over rows of one cell (an error); rows of one cell make the
  // first line one name.
  CsvOptions no_target;
  no_target.no_target = true;
  const Dataset d = parse("my target\n1\n2\n 3 \n", no_target);
  ASSERT_EQ(d.rows(), 3);
  ASSERT_EQ(d.cols(), 1);
  EXPECT_EQ(d.feature_names, (std::vector<std::string>{"my target"}));
  EXPECT_EQ(d.features(2, 0), 3);
  // rows of several cells still split at the spaces
  EXPECT_EQ(parse("a b\n1 2\n3 4\n").cols(), 1);
}

TEST(Csv, NoHeaderAndTargetChoice) {
  const Dataset d = parse("1,2,3\n4,5,6\n");
  EXPECT_EQ(d.rows(), 2);
  EXPECT_FALSE(d.header);
  EXPECT_EQ(d.feature_names, (std::vector<std::string>{"x0", "x1"}));
  EXPECT_EQ(d.targets(0), 3);
  CsvOptions first;
  first.target = "0";
  EXPECT_EQ(parse("1,2,3\n4,5,6\n", first).targets(1), 4);
  CsvOptions by_name;
  by_name.target = "b";
  const Dataset n = parse("a,b,c\n1,2,3\n4,5,6\n", by_name);
  EXPECT_EQ(n.targets(1), 5);
  EXPECT_EQ(n.feature_names, (std::vector<std::string>{"a", "c"}));
  CsvOptions none;
  none.target = "none";
  EXPECT_EQ(parse("1,2,3\n", none).cols(), 3);
  EXPECT_EQ(parse("a,none\n1,2\n", none).targets(0), 2);  // a column named none is taken
  CsvOptions no_target;
  no_target.target = "none";
  no_target.no_target = true;
  EXPECT_EQ(parse("a,none\n1,2\n", no_target).cols(), 2);
  CsvOptions absent;
  absent.header = CsvOptions::Header::absent;
  EXPECT_THROW(parse("a,b\n1,2\n", absent), nabla::ParseError);
  CsvOptions twice;  // two columns of that name: refused, not the first taken silently
  twice.target = "a";
  EXPECT_THROW(parse("a,b,a\n1,2,3\n", twice), nabla::DomainError);
  // nor two features of one name, which a saved model would take for each
  // other when it finds its columns by name (and then by its position)
  twice.target = "2";
  EXPECT_THROW(parse("a,b,a\n1,2,3\n", twice), nabla::DomainError);
  try {
    parse("a,a,y\n1,2,3\n");
    ADD_FAILURE() << "two columns named a were read";
  } catch (const nabla::DomainError& e) {
    EXPECT_NE(std::string(e.what()).find("columns 1 and 2 are both named 'a'"), std::string::npos)
        << e.what();
  }
  CsvOptions unknown;
  unknown.target = "zzz";
  EXPECT_THROW(parse("a,b\n1,2\n", unknown), nabla::DomainError);
}

TEST(Csv, UnknownTargetsReadAsNaNWhenAskedAndFeaturesStayStrict) {
  const std::string text = "a,b,y\n1,2,?\n3,4,\n5,6,7\n";
  EXPECT_THROW(parse(text), nabla::ParseError);
  CsvOptions unknown;
  unknown.missing_targets = true;
  const Dataset d = parse(text, unknown);
  ASSERT_EQ(d.rows(), 3);
  EXPECT_TRUE(std::isnan(d.targets(0)));
  EXPECT_TRUE(std::isnan(d.targets(1)));
  EXPECT_EQ(d.targets(2), 7);
  EXPECT_EQ(d.features(1, 1), 4);
  EXPECT_THROW(parse("a,b,y\n1,NA,3\n", unknown), nabla::ParseError);
  EXPECT_THROW(parse("a,b,y\n1,2,abc\n", unknown), nabla::ParseError);  // a word is no missing value
}

TEST(Csv, BadCellsNameLineAndColumn) {
  try {
    parse("a,b,y\n1,2,3\n4,x,6\n");
    FAIL();
  } catch (const nabla::ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("line 3, column 2 ('b')"), std::string::npos) << e.what();
    EXPECT_EQ(e.position(), 2u);
  }
  try {
    parse("1,2,3\n4,,6\n");
    FAIL();
  } catch (const nabla::ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("line 2, column 2: missing value"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse("1,2,3\n4,5\n"), nabla::ParseError);
  EXPECT_THROW(parse("1,2,nan\n"), nabla::ParseError);
  EXPECT_THROW(parse(""), nabla::ParseError);
  EXPECT_THROW(parse("a,b\n"), nabla::ParseError);
  EXPECT_THROW(read_csv("/nonexistent/file.csv"), nabla::IoError);
  try {
    read_csv("/tmp");
    FAIL() << "a directory was read as a CSV file";
  } catch (const nabla::IoError& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
  }
}

TEST(Csv, CompressedAndBinaryFilesAreNamedSo) {
  // digits.csv.gz was "a quote ... never closed"; these are the bytes of a
  // gzip header and a file with a NUL in it
  const std::filesystem::path dir = std::filesystem::temp_directory_path();
  const auto message = [](const std::string& path) {
    try {
      read_csv(path);
    } catch (const nabla::IoError& e) {
      return std::string(e.what());
    }
    return std::string("read");
  };
  const std::string gz = (dir / "nabla_csv_test.csv.gz").string(),
                    nul = (dir / "nabla_csv_test.bin").string();
  std::ofstream(gz, std::ios::binary) << std::string("\x1f\x8b\x08\x00\x00\x00", 6) << "\"a,b\n";
  std::ofstream(nul, std::ios::binary) << std::string("1,2\n3,\0\n", 8);
  EXPECT_EQ(message(gz), "'" + gz + "' is gzip-compressed, not CSV text: decompress it first (gunzip -k)");
  EXPECT_EQ(message(nul), "'" + nul + "' holds binary data (a NUL byte at offset 6), not CSV text");
  std::filesystem::remove(gz);
  std::filesystem::remove(nul);
}

// "+-5" is no number: the '+' the loader skips must not let from_chars see
// "-5" (it read as -5). One sign is fine.
TEST(Csv, TwoSignsAreNotANumber) {
  try {
    parse("a,b\n1,2\n3,+-5\n");
    FAIL() << "+-5 was read as a number";
  } catch (const nabla::ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("line 3, column 2 ('b'): '+-5' is not a number"), std::string::npos)
        << e.what();
    EXPECT_EQ(e.position(), 2u);
  }
  EXPECT_THROW(parse("1,++5\n"), nabla::ParseError);
  EXPECT_THROW(parse("1,-+5\n"), nabla::ParseError);
  const Dataset d = parse("1,+5\n2,-0.5\n");
  EXPECT_EQ(d.targets(0), 5);
  EXPECT_EQ(d.targets(1), -0.5);
}

// RFC 4180: a doubled quote inside a quoted field is one quote (pandas
// reads the header "a""x" as a"x), and the delimiter inside quotes is text.
TEST(Csv, QuotedFieldsAreUnescaped) {
  const Dataset d = parse("\"a\"\"x\",\"b,c\",\"\"\"\"\n1,2,3\n");
  EXPECT_EQ(d.feature_names, (std::vector<std::string>{"a\"x", "b,c"}));
  EXPECT_EQ(d.target_name, "\"");
  EXPECT_EQ(d.features(0, 1), 2);
}

// A ragged row names the column where it runs over or short, and an
// unclosed quote (it joins the cells after it) as the likely cause.
TEST(Csv, RaggedRowsNameTheColumn) {
  auto error = [](const std::string& text) -> std::pair<std::string, std::size_t> {
    try {
      parse(text);
    } catch (const nabla::ParseError& e) {
      return {e.what(), e.position()};
    }
    return {"no error", 0};
  };
  const auto over = error("a,b\n1,2\n3,4,5\n");
  EXPECT_NE(
      over.first.find("line 3, column 3: a cell beyond the last column (the row has 3 cells, expected 2)"),
      std::string::npos)
      << over.first;
  EXPECT_EQ(over.second, 4u);  // under the 5
  const auto short_row = error("a,b,y\n1,2,3\n4,5\n");
  EXPECT_NE(short_row.first.find("line 3, column 3 ('y'): missing"), std::string::npos) << short_row.first;
  EXPECT_EQ(short_row.first.find("quote"), std::string::npos);
  const auto quote = error("a,b,y\n1,2,3\n4,\"5,6\n");
  EXPECT_NE(quote.first.find("line 3, column 3 ('y')"), std::string::npos) << quote.first;
  EXPECT_NE(quote.first.find("the quote at character 3 is never closed"), std::string::npos) << quote.first;
  EXPECT_EQ(quote.second, 2u);
}

// A first line is a header only when its cells are names: numbers beside
// an empty or NA cell make it a data row with a missing value, an error
// naming line 1 (it once became a header named "1", "", "3" and the row
// was silently dropped).
TEST(Csv, AFirstRowWithAMissingCellIsDataNotAHeader) {
  auto error = [](const std::string& text) -> std::string {
    try {
      parse(text);
    } catch (const nabla::ParseError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_NE(error("1,,3\n2,1,4\n3,5,1\n").find("line 1, column 2: missing value"), std::string::npos)
      << error("1,,3\n2,1,4\n");
  for (const char* marker : {"nan", "NA", "N/A", "null", "?"}) {
    const std::string e = error(std::string("1,") + marker + ",3\n2,1,4\n");
    EXPECT_NE(e.find(std::string("line 1, column 2: missing value ('") + marker + "')"), std::string::npos)
        << e;
  }
  EXPECT_NE(error("1,NA\n2,1\n3,5\n").find("line 1, column 2"), std::string::npos);
  EXPECT_NE(error("NA,,nan\n1,2,3\n").find("line 1, column 1: missing value ('NA')"), std::string::npos);
  // A name beside numbers: data, and the message says why it is no header.
  const std::string named = error("a,2020,y\n1,2,3\n");
  EXPECT_NE(named.find("line 1, column 1: 'a' is not a number (the first line holds numbers"),
            std::string::npos)
      << named;
  CsvOptions present;
  present.header = CsvOptions::Header::present;
  EXPECT_EQ(parse("a,2020,y\n1,2,3\n", present).feature_names, (std::vector<std::string>{"a", "2020"}));
  // Names with an empty cell (pandas' index column) are still a header.
  const Dataset index = parse(",a,y\n0,1,2\n1,3,4\n");
  EXPECT_TRUE(index.header);
  EXPECT_EQ(index.rows(), 2);
  EXPECT_EQ(index.feature_names, (std::vector<std::string>{"", "a"}));
}

// A decimal too small for a double reads as 0 (as strtod and numpy read
// it; "1e-400" was "not a number" while "4e-320" was read); one too large
// stays an error, which says it is out of range.
TEST(Csv, UnderflowReadsAsZeroAndOverflowIsOutOfRange) {
  const Dataset d = parse("a,y\n1e-400,1\n-1e-400,2\n4e-320,3\n0.0000e-999999999999999999999,4\n+1e-400,5\n");
  EXPECT_EQ(d.features(0, 0), 0);
  EXPECT_TRUE(std::signbit(d.features(1, 0)));
  EXPECT_EQ(d.features(2, 0), 4e-320);
  EXPECT_EQ(d.features(3, 0), 0);
  EXPECT_EQ(d.features(4, 0), 0);
  // Numbers too large are no names either: a first line of them is no header.
  EXPECT_NE(([]() -> std::string {  // a string: what() dies with the exception
              try {
                parse("1e400,1e400\n1,2\n");
              } catch (const nabla::ParseError& e) {
                return e.what();
              }
              return "no error";
            }())
                .find("line 1, column 1: '1e400' is out of range"),
            std::string::npos);
  for (const char* big : {"1e400", "-1e400", "100e307", "1e999999999999999999999"}) {
    try {
      parse(std::string("a,y\n1,1\n") + big + ",2\n");
      ADD_FAILURE() << big << ": no error";
    } catch (const nabla::ParseError& e) {
      EXPECT_NE(
          std::string(e.what()).find("line 3, column 1 ('a'): '" + std::string(big) + "' is out of range"),
          std::string::npos)
          << e.what();
    }
  }
}

TEST(Csv, CountLinesAsWideAsARowAreNotHeaders) {
  std::istringstream three("3,3,no,yes\n1,2,3,0\n3,4,5,1\n5,6,7,1\n");
  const Dataset d = read_csv(three);
  EXPECT_EQ(d.rows(), 3);
  EXPECT_FALSE(d.header);
  EXPECT_EQ(d.class_names, (std::vector<std::string>{"no", "yes"}));
  // The same cells all numeric are a data row (a headerless file).
  std::istringstream numbers("2,3,1,0\n1,2,3,0\n3,4,5,1\n");  // n and d would fit
  EXPECT_EQ(read_csv(numbers).rows(), 3);
}

TEST(Csv, ADataRowWhoseFirstCellsCountTheRowsIsData) {
  // "3,2,?" counts the 3 rows after it and 2 features, and '?' is no class
  // name: it was taken for a count line and dropped, unsaid, even with the
  // header declared absent (predict then gave 3 predictions for 4 rows).
  std::istringstream unknown("3,2,\n4,5,\n1,1,\n2,7,\n");
  CsvOptions predict;
  predict.missing_targets = true;
  EXPECT_EQ(read_csv(unknown, predict).rows(), 4);
  std::istringstream marked("3,2,?\n4,5,1\n1,1,2\n2,7,3\n");
  try {
    read_csv(marked);
    ADD_FAILURE() << "the '?' of line 1 was dropped";
  } catch (const nabla::ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("line 1, column 3: missing value ('?')"), std::string::npos)
        << e.what();
  }
  // A real count line is data when the file is said to have no header.
  std::istringstream headerless("3,3,no,yes\n1,2,3,0\n3,4,5,1\n5,6,7,1\n");
  CsvOptions absent;
  absent.header = CsvOptions::Header::absent;
  EXPECT_THROW(read_csv(headerless, absent), nabla::ParseError);  // 'no' is not a number
}

TEST(Csv, BundledDatasets) {
  const std::string dir = NABLA_DATA_DIR;
  const Dataset cancer = read_csv(dir + "/breast_cancer.csv");
  EXPECT_EQ(cancer.rows(), 569);
  EXPECT_EQ(cancer.cols(), 30);
  EXPECT_EQ(cancer.class_names, (std::vector<std::string>{"malignant", "benign"}));
  EXPECT_EQ((cancer.targets.array() == 1).count(), 357);  // 212 malignant, 357 benign (breast_cancer.rst)
  const Dataset iris = read_csv(dir + "/iris.csv");
  EXPECT_EQ(iris.rows(), 150);
  EXPECT_EQ(iris.cols(), 4);
  EXPECT_DOUBLE_EQ(iris.features(0, 0), 5.1);
  // Its count line "150,4,setosa,versicolor,virginica" has as many cells as
  // a row; it is no header, so --target 4 is the class column, not sepal width.
  EXPECT_FALSE(iris.header);
  EXPECT_EQ(iris.class_names, (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
  CsvOptions by_index;
  by_index.target = "4";
  EXPECT_EQ(read_csv(dir + "/iris.csv", by_index).targets, iris.targets);
  EXPECT_EQ(iris.targets.maxCoeff(), 2);
  const Dataset wine = read_csv(dir + "/wine_data.csv");
  EXPECT_EQ(wine.rows(), 178);
  EXPECT_EQ(wine.cols(), 13);
  const Dataset digits = read_csv(dir + "/digits.csv");
  EXPECT_EQ(digits.rows(), 1797);
  EXPECT_EQ(digits.cols(), 64);
  EXPECT_EQ(digits.features.maxCoeff(), 16);
  EXPECT_EQ(digits.targets.maxCoeff(), 9);
  const Dataset diabetes = read_csv(dir + "/diabetes.csv");
  EXPECT_EQ(diabetes.rows(), 442);
  EXPECT_EQ(diabetes.cols(), 10);
  EXPECT_EQ(diabetes.target_name, "progression");
  EXPECT_EQ(diabetes.targets(0), 151);
}

}  // namespace
