// Reading inputs and choosing variables for the verbs (see input.hpp).
#include "input.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "nabla/core/errors.hpp"
#include "nabla/sym/parse.hpp"

namespace nabla::cli {

std::vector<Input> read_inputs(const std::vector<std::string>& args, bool join, std::istream& in) {
  std::vector<Input> inputs;
  if (!args.empty()) {
    if (join) {
      std::string all;
      for (const std::string& a : args) all += (all.empty() ? "" : ", ") + a;
      inputs.push_back({all, 0});
    } else {
      for (const std::string& a : args) inputs.push_back({a, 0});
    }
    return inputs;
  }
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    inputs.push_back({line, number});
  }
  return inputs;
}

std::vector<Piece> split_top_level(std::string_view text) {
  std::vector<Piece> pieces;
  std::size_t depth = 0, start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')' && depth > 0) --depth;
    if (text[i] == ',' && depth == 0) {
      pieces.push_back({text.substr(start, i - start), start});
      start = i + 1;
    }
  }
  pieces.push_back({text.substr(start), start});
  return pieces;
}

sym::Expr parse_one(std::string_view text) { return sym::parse(text); }

std::vector<sym::Expr> parse_list(std::string_view text) {
  std::vector<sym::Expr> es;
  for (const Piece& p : split_top_level(text)) {
    try {
      es.push_back(sym::parse(p.text));
    } catch (const ParseError& e) {
      throw ParseError(e.what(), std::string(text), p.offset + e.position());
    }
  }
  return es;
}

namespace {
bool is_symbol_name(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; });
}
}  // namespace

std::vector<std::string> variables(const Options& options, const std::vector<sym::Expr>& es,
                                   Repeats repeats) {
  std::vector<std::string> vars;
  if (!options.wrt.empty()) {
    for (const std::string& w : options.wrt) {
      const auto begin = w.find_first_not_of(" \t"), end = w.find_last_not_of(" \t");
      const std::string name = begin == std::string::npos ? "" : w.substr(begin, end - begin + 1);
      if (!is_symbol_name(name) || name == "pi" || name == "e")
        throw UsageError("--wrt: '" + name + "' is not a symbol name");
      if (repeats == Repeats::Refused && std::find(vars.begin(), vars.end(), name) != vars.end())
        throw UsageError("--wrt: '" + name + "' is given twice (each variable is one entry of the result)");
      vars.push_back(name);
    }
    return vars;
  }
  std::set<std::string> names;
  for (const sym::Expr& e : es)
    for (const sym::Expr& s : sym::free_symbols(e)) names.insert(s.name());
  return {names.begin(), names.end()};
}

}  // namespace nabla::cli
