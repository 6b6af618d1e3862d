// A minimal XML reader for the plot tests, independent of the writer: it
// checks well-formedness (matched tags, quoted attributes, known entities,
// no forbidden characters) and returns every element with its attributes and
// text, so the tests can inspect what was drawn.
#pragma once

#include <Eigen/Core>
#include <cctype>
#include <cstdlib>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace nabla::plot::testing {

struct Element {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;  ///< decoded character data directly inside it

  std::string attr(const std::string& key) const {
    auto it = attributes.find(key);
    return it == attributes.end() ? "" : it->second;
  }
  double number(const std::string& key) const { return std::stod(attributes.at(key)); }
  bool has_class(const std::string& c) const {
    std::istringstream words(attr("class"));
    for (std::string w; words >> w;)
      if (w == c) return true;
    return false;
  }
  /// The points of a polyline or polygon.
  std::vector<Eigen::Vector2d> points() const {
    std::vector<Eigen::Vector2d> out;
    std::string list = attr("points");
    for (char& ch : list)
      if (ch == ',') ch = ' ';
    std::istringstream in(list);
    for (double x, y; in >> x >> y;) out.emplace_back(x, y);
    return out;
  }
};

inline std::string decode(const std::string& raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '&') {
      if (raw[i] == '<') throw std::runtime_error("raw '<' in text");
      out += raw[i];
      continue;
    }
    const std::size_t end = raw.find(';', i);
    if (end == std::string::npos) throw std::runtime_error("unterminated entity");
    const std::string entity = raw.substr(i + 1, end - i - 1);
    static const std::map<std::string, char> known{
        {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
    if (!known.count(entity)) throw std::runtime_error("unknown entity &" + entity + ";");
    out += known.at(entity);
    i = end;
  }
  return out;
}

/// Every element of the document in document order; throws std::runtime_error
/// when it is not well-formed.
inline std::vector<Element> parse_xml(const std::string& doc) {
  for (char ch : doc)
    if (static_cast<unsigned char>(ch) < 0x20 && ch != '\n' && ch != '\r' && ch != '\t')
      throw std::runtime_error("forbidden control character");
  std::vector<Element> elements;
  std::vector<std::size_t> open;
  std::size_t i = 0;
  bool root_seen = false;
  while (i < doc.size()) {
    if (doc[i] != '<') {
      const std::size_t next = doc.find('<', i);
      const std::string text = decode(doc.substr(i, next - i));
      if (!open.empty())
        elements[open.back()].text += text;
      else if (text.find_first_not_of(" \n\r\t") != std::string::npos)
        throw std::runtime_error("text outside root");
      i = next == std::string::npos ? doc.size() : next;
      continue;
    }
    if (doc.compare(i, 2, "<?") == 0) {
      i = doc.find("?>", i) + 2;
      continue;
    }
    const std::size_t close = doc.find('>', i);
    if (close == std::string::npos) throw std::runtime_error("unterminated tag");
    std::string tag = doc.substr(i + 1, close - i - 1);
    i = close + 1;
    if (tag[0] == '/') {
      if (open.empty() || elements[open.back()].name != tag.substr(1))
        throw std::runtime_error("mismatched </" + tag);
      open.pop_back();
      continue;
    }
    const bool self_closing = tag.back() == '/';
    if (self_closing) tag.pop_back();
    Element e;
    std::size_t k = 0;
    while (k < tag.size() && !std::isspace(static_cast<unsigned char>(tag[k]))) e.name += tag[k++];
    for (;;) {
      while (k < tag.size() && std::isspace(static_cast<unsigned char>(tag[k]))) ++k;
      if (k >= tag.size()) break;
      const std::size_t eq = tag.find('=', k);
      if (eq == std::string::npos || eq + 1 >= tag.size() || tag[eq + 1] != '"')
        throw std::runtime_error("bad attribute in <" + e.name);
      const std::string key = tag.substr(k, eq - k);
      const std::size_t end = tag.find('"', eq + 2);
      if (end == std::string::npos) throw std::runtime_error("unterminated attribute");
      if (e.attributes.count(key)) throw std::runtime_error("duplicate attribute " + key);
      e.attributes[key] = decode(tag.substr(eq + 2, end - eq - 2));
      k = end + 1;
    }
    if (open.empty() && root_seen) throw std::runtime_error("second root element");
    root_seen = true;
    elements.push_back(e);
    if (!self_closing) open.push_back(elements.size() - 1);
  }
  if (!open.empty()) throw std::runtime_error("unclosed <" + elements[open.back()].name + ">");
  if (elements.empty() || elements[0].name != "svg") throw std::runtime_error("no svg root");
  return elements;
}

inline std::vector<Element> with_class(const std::vector<Element>& all, const std::string& c) {
  std::vector<Element> out;
  for (const Element& e : all)
    if (e.has_class(c)) out.push_back(e);
  return out;
}

}  // namespace nabla::plot::testing
