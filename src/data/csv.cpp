// The CSV loader (see data/csv.hpp): lines are split on the detected
// delimiter, the first line is classified (scikit-learn's count line, a
// header, or data), every cell is parsed with from_chars, and the target
// column is moved out of the features.
#include "nabla/data/csv.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>

#include "nabla/core/errors.hpp"

namespace nabla::data {
namespace {

/// One line of the file with its 1-based number.
struct Line {
  std::string text;
  std::size_t number;
};

/// A cell: its text (trimmed, unquoted) and where it starts in the line.
struct Cell {
  std::string text;
  std::size_t position;
};

std::vector<Line> read_lines(std::istream& in) {
  std::vector<Line> lines;
  std::string text;
  for (std::size_t number = 1; std::getline(in, text); ++number) {
    if (number == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0) text = text.substr(3);  // a UTF-8 byte order mark
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    lines.push_back({text, number});
  }
  return lines;
}

char detect_delimiter(const std::vector<Line>& lines) {
  // The candidate that occurs in the first line, the same number of times
  // in the second (when there is one), and most often; else runs of spaces,
  // unless every line after the first is one cell: then the file is one
  // column, and its first line ("my target") one name.
  char best = ' ';
  std::ptrdiff_t best_count = 0;
  for (char c : {',', ';', '\t', '|'}) {
    const auto count = std::count(lines[0].text.begin(), lines[0].text.end(), c);
    if (count == 0 || count <= best_count) continue;
    if (lines.size() > 1 && std::count(lines[1].text.begin(), lines[1].text.end(), c) == 0) continue;
    best = c;
    best_count = count;
  }
  auto one_cell = [](const Line& line) {
    const std::size_t first = line.text.find_first_not_of(" \t"), last = line.text.find_last_not_of(" \t");
    return line.text.find_first_of(" \t", first) > last;
  };
  if (best == ' ' && lines.size() > 1 && std::all_of(lines.begin() + 1, lines.end(), one_cell)) return ',';
  return best;
}

/// A quoted field's text: the outer quotes dropped and each doubled quote
/// inside read as one (RFC 4180: "a""x" is a"x).
std::string unquote(const std::string& quoted) {
  std::string text;
  for (std::size_t k = 1; k + 1 < quoted.size(); ++k) {
    text += quoted[k];
    if (quoted[k] == '"' && quoted[k + 1] == '"' && k + 2 < quoted.size()) ++k;
  }
  return text;
}

/// Where the quote that is never closed opens (a quoted field runs on
/// through the delimiters to the end of the line), if one is.
std::optional<std::size_t> unclosed_quote(const std::string& line) {
  std::optional<std::size_t> open;
  for (std::size_t k = 0; k < line.size(); ++k)
    if (line[k] == '"') open = open ? std::nullopt : std::optional<std::size_t>(k);
  return open;
}

std::vector<Cell> split(const std::string& line, char delimiter) {
  std::vector<Cell> cells;
  auto trimmed = [&](std::size_t begin, std::size_t end) {
    while (begin < end && (line[begin] == ' ' || line[begin] == '\t')) ++begin;
    while (end > begin && (line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
    std::string text = line.substr(begin, end - begin);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = unquote(text);
    cells.push_back({text, begin});
  };
  if (delimiter == ' ') {
    std::size_t k = 0;
    while (k < line.size()) {
      while (k < line.size() && (line[k] == ' ' || line[k] == '\t')) ++k;
      if (k == line.size()) break;
      const std::size_t begin = k;
      while (k < line.size() && line[k] != ' ' && line[k] != '\t') ++k;
      trimmed(begin, k);
    }
    return cells;
  }
  std::size_t begin = 0;
  bool quoted = false;
  for (std::size_t k = 0; k <= line.size(); ++k) {
    if (k < line.size() && line[k] == '"') quoted = !quoted;
    if (k == line.size() || (line[k] == delimiter && !quoted)) {
      trimmed(begin, k);
      begin = k + 1;
    }
  }
  return cells;
}

/// Whether a decimal that from_chars found out of range is too small rather
/// than too large: the power of ten of its leading digit (that of the
/// mantissa plus the exponent) is negative.
bool underflows(const std::string& text) {
  const std::size_t e = text.find_first_of("eE");
  long power = -1;  // of the leading nonzero digit of the mantissa
  bool point = false, seen = false;
  for (std::size_t k = 0; k < std::min(e, text.size()); ++k) {
    const char c = text[k];
    if (c == '.') point = true;
    if (c < '0' || c > '9') continue;
    if (!point && (seen || c != '0')) ++power;
    if (point && !seen && c == '0') --power;
    seen = seen || c != '0';
  }
  if (e == std::string::npos) return power < 0;
  const std::size_t digits = e + 1 + (e + 1 < text.size() && text[e + 1] == '+' ? 1 : 0);
  long exponent = 0;
  const auto [end, error] = std::from_chars(text.data() + digits, text.data() + text.size(), exponent);
  if (error != std::errc()) return text[e + 1] == '-';  // beyond a long: its sign decides
  return exponent < 0 && power + exponent < 0;
}

std::optional<double> number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  // from_chars takes no '+', so one is skipped; but only before a digit or
  // point ("+-5" is no number, though "-5" after the '+' would parse).
  const bool plus = text.front() == '+';
  if (plus && text.size() > 1 && (text[1] == '-' || text[1] == '+')) return std::nullopt;
  const char* first = text.data() + (plus ? 1 : 0);
  double value = 0;
  const auto [end, error] = std::from_chars(first, text.data() + text.size(), value);
  if (end != text.data() + text.size()) return std::nullopt;
  // Too small for a double reads as 0 (as strtod and numpy read it); too
  // large stays an error ("out of range" in the cell's message).
  if (error == std::errc::result_out_of_range && underflows(text)) return text.front() == '-' ? -0.0 : 0.0;
  if (error != std::errc() || !std::isfinite(value)) return std::nullopt;
  return value;
}

/// Whether a cell is a decimal beyond the largest double (1e400).
bool overflows(const std::string& text) {
  const bool plus = !text.empty() && text.front() == '+';
  double value = 0;
  const char* first = text.data() + (plus ? 1 : 0);
  const auto [end, error] = std::from_chars(first, text.data() + text.size(), value);
  return error == std::errc::result_out_of_range && end == text.data() + text.size() && !underflows(text);
}

/// How a missing value is written: an empty cell, NA, N/A, NaN, null, None,
/// '?' or '-' (the markers of R, pandas and the UCI files).
bool is_missing_marker(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text.empty() || text == "na" || text == "n/a" || text == "nan" || text == "-nan" || text == "+nan" ||
         text == "null" || text == "none" || text == "?" || text == "-";
}

/// A cell that can only be a column's name: neither a number (nor one too
/// large for a double) nor a marker.
bool is_name(const Cell& cell) {
  return !number(cell.text) && !overflows(cell.text) && !is_missing_marker(cell.text);
}

/// Whether a first line is a header: none of its cells is a number and at
/// least one is a name. A line that mixes numbers with empty or NA cells is
/// a data row with missing values, and a line of markers only is one too:
/// either is an error of read_csv naming the cell, not a header that
/// silently drops the row.
bool is_header(const std::vector<Cell>& cells) {
  return std::none_of(cells.begin(), cells.end(), [](const Cell& c) { return number(c.text).has_value(); }) &&
         std::any_of(cells.begin(), cells.end(), is_name);
}

/// scikit-learn's first line "n,d,names...": n the data rows, d the features,
/// and the class names, which are names (a data row "3,2,?" whose first
/// cells happen to count the rows is data with a missing value, not a count
/// line). It may have as many cells as a data row (iris: 2 counts and 3
/// class names, 4 features and the target).
bool is_count_line(const std::vector<Cell>& first, const std::vector<Cell>& second, std::size_t data_rows) {
  if (first.size() < 2 || !std::all_of(first.begin() + 2, first.end(), is_name)) return false;
  const auto n = number(first[0].text), d = number(first[1].text);
  return n && d && *n == double(data_rows) && *d + 1 == double(second.size());
}

std::string column_label(std::size_t column, const std::vector<std::string>& names) {
  std::string label = "column " + std::to_string(column + 1);
  if (column < names.size() && !names[column].empty()) label += " ('" + names[column] + "')";
  return label;
}

/// Throws DomainError, naming both columns, if two header names are equal: a
/// saved model finds its columns in a file by name (nabla predict), so the
/// two would be taken for each other, and a target of that name would be a
/// guess.
void require_distinct_names(const std::vector<std::string>& names, const std::string& source) {
  std::unordered_map<std::string_view, std::size_t> first;
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (names[c].empty()) continue;
    const auto [it, fresh] = first.emplace(names[c], c);
    if (!fresh)
      throw DomainError(source + ": columns " + std::to_string(it->second + 1) + " and " +
                        std::to_string(c + 1) + " are both named '" + names[c] +
                        "': models find their columns by name, so each needs its own");
  }
}

/// The index of the target column among `columns`, or -1 for none.
std::ptrdiff_t target_index(const std::string& target, const std::vector<std::string>& names,
                            std::size_t columns, const std::string& source) {
  if (target.empty()) return static_cast<std::ptrdiff_t>(columns) - 1;
  const auto it = std::find(names.begin(), names.end(), target);
  if (target == "none" && it == names.end()) return -1;
  if (it != names.end()) return it - names.begin();  // the only one (require_distinct_names)
  if (const auto k = number(target); k && *k == std::floor(*k)) {
    const auto index = static_cast<std::ptrdiff_t>(*k < 0 ? *k + double(columns) : *k);
    if (index >= 0 && index < static_cast<std::ptrdiff_t>(columns)) return index;
  }
  throw DomainError(source + ": no target column '" + target + "' (the file has " + std::to_string(columns) +
                    " columns" + (names.empty() ? "" : " with a header") + ")");
}

/// The table's layout once the first line is classified.
struct Layout {
  std::vector<std::string> names;  ///< header names (empty without a header)
  std::size_t first_data = 0;      ///< the first data row
  std::size_t columns = 0;
  std::ptrdiff_t target = -1;    ///< -1: no target column
  bool missing_targets = false;  ///< a missing target cell is NaN, not an error
  /// Said of a bad cell on a first line read as data though it holds names.
  std::string first_line_note;
};

/// A row of too many or too few cells: names the column where it runs over
/// (the first extra cell) or short (the first missing one), and an unclosed
/// quote, which joins the cells after it, when there is one.
[[noreturn]] void ragged_row(const std::vector<Cell>& cells, const Line& line, const Layout& layout,
                             const std::string& source) {
  const bool over = cells.size() > layout.columns;
  const std::size_t column = over ? layout.columns : cells.size();
  std::string message = source;
  message.append(": line ")
      .append(std::to_string(line.number))
      .append(", ")
      .append(column_label(column, layout.names))
      .append(over ? ": a cell beyond the last column" : ": missing, the row ends before it")
      .append(" (the row has ")
      .append(std::to_string(cells.size()))
      .append(" cells, expected ")
      .append(std::to_string(layout.columns))
      .append(")");
  std::size_t position = over ? cells[column].position : line.text.size();
  if (const auto quote = unclosed_quote(line.text)) {
    message.append("; the quote at character ")
        .append(std::to_string(*quote + 1))
        .append(" is never closed, which is the likely cause");
    position = *quote;
  }
  throw ParseError(message, line.text, position, line.number);
}

/// Parses one data row into row i of the features and targets.
void parse_row(const std::vector<Cell>& cells, const Line& line, const Layout& layout, Eigen::Index i,
               const std::string& source, Dataset& data) {
  if (cells.size() != layout.columns) ragged_row(cells, line, layout, source);
  Eigen::Index feature = 0;
  for (std::size_t c = 0; c < layout.columns; ++c) {
    const Cell& cell = cells[c];
    auto value = number(cell.text);
    const bool is_target = static_cast<std::ptrdiff_t>(c) == layout.target;
    if (!value && is_target && layout.missing_targets && (cell.text.empty() || is_missing_marker(cell.text)))
      value = std::numeric_limits<double>::quiet_NaN();
    if (!value) {
      const std::string what =
          cell.text.empty()              ? "missing value"
          : is_missing_marker(cell.text) ? "missing value ('" + cell.text + "')"
          : overflows(cell.text) ? "'" + cell.text + "' is out of range (beyond the largest double, 1.8e308)"
                                 : "'" + cell.text + "' is not a number";
      throw ParseError(source + ": line " + std::to_string(line.number) + ", " +
                           column_label(c, layout.names) + ": " + what +
                           (i == 0 ? layout.first_line_note : ""),
                       line.text, cell.position, line.number);
    }
    if (is_target)
      data.targets(i) = *value;
    else
      data.features(i, feature++) = *value;
  }
}

/// Header names, or x0, x1, ... and y.
void name_columns(const Layout& layout, Dataset& data) {
  for (std::size_t c = 0; c < layout.columns; ++c) {
    const bool is_target = static_cast<std::ptrdiff_t>(c) == layout.target;
    std::string name;
    if (!layout.names.empty())
      name = layout.names[c];
    else if (is_target)
      name = "y";
    else
      name = std::string("x").append(std::to_string(c));
    if (is_target)
      data.target_name = name;
    else
      data.feature_names.push_back(name);
  }
}

}  // namespace

Dataset read_csv(std::istream& in, const CsvOptions& options, const std::string& source) {
  std::vector<Line> lines = read_lines(in);
  if (lines.empty()) throw ParseError(source + ": the file has no data", "", 0);
  const char delimiter = options.delimiter ? options.delimiter : detect_delimiter(lines);
  std::vector<std::vector<Cell>> rows;
  rows.reserve(lines.size());
  for (const Line& line : lines) rows.push_back(split(line.text, delimiter));

  Dataset data;
  Layout layout;
  if (options.header != CsvOptions::Header::absent && rows.size() > 1 &&
      is_count_line(rows[0], rows[1], rows.size() - 1)) {
    for (std::size_t k = 2; k < rows[0].size(); ++k) data.class_names.push_back(rows[0][k].text);
    layout.first_data = 1;
  } else if (options.header == CsvOptions::Header::present ||
             (options.header == CsvOptions::Header::detect && is_header(rows[0]))) {
    for (const Cell& c : rows[0]) layout.names.push_back(c.text);
    require_distinct_names(layout.names, source);
    layout.first_data = 1;
  } else if (options.header == CsvOptions::Header::detect &&
             std::any_of(rows[0].begin(), rows[0].end(), is_name)) {
    layout.first_line_note = " (the first line holds numbers, so it is read as data, not as a header)";
  }
  if (layout.first_data >= rows.size())
    throw ParseError(source + ": the file has a header but no data", "", 0);
  layout.columns = layout.names.empty() ? rows[layout.first_data].size() : layout.names.size();
  layout.target = options.no_target ? -1 : target_index(options.target, layout.names, layout.columns, source);
  layout.missing_targets = options.missing_targets;

  const auto n = static_cast<Eigen::Index>(rows.size() - layout.first_data);
  data.features.resize(n, static_cast<Eigen::Index>(layout.columns) - (layout.target >= 0 ? 1 : 0));
  if (layout.target >= 0) data.targets.resize(n);
  for (std::size_t r = layout.first_data; r < rows.size(); ++r)
    parse_row(rows[r], lines[r], layout, static_cast<Eigen::Index>(r - layout.first_data), source, data);
  name_columns(layout, data);
  data.header = !layout.names.empty();
  data.target_column = layout.target;
  return data;
}

std::string read_text(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored))
    throw IoError("'" + path + "' is a directory, not a CSV file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open '" + path + "' for reading");
  std::ostringstream read;
  read << in.rdbuf();
  std::string text = read.str();
  // A compressed or binary file is named as such: its bytes read as a quote
  // "never closed" or a cell that is not a number.
  if (text.size() >= 2 && text[0] == '\x1f' && text[1] == '\x8b')
    throw IoError("'" + path + "' is gzip-compressed, not CSV text: decompress it first (gunzip -k)");
  if (const std::size_t nul = text.find('\0'); nul != std::string::npos)
    throw IoError("'" + path + "' holds binary data (a NUL byte at offset " + std::to_string(nul) +
                  "), not CSV text");
  return text;
}

Dataset read_csv(const std::string& path, const CsvOptions& options) {
  std::istringstream in(read_text(path));
  return read_csv(in, options, path);
}

}  // namespace nabla::data
