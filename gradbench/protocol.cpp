// The message dispatch of the tool (see protocol.hpp).
#include "protocol.hpp"

#include <cmath>
#include <exception>
#include <new>

#include "module.hpp"
#include "nabla/core/errors.hpp"

namespace nabla::gradbench {

namespace {

Json failure(const Json& id, const std::string& error) {
  return Json{{"id", id}, {"success", false}, {"error", error}};
}

const Module* find_module(const Json& message, std::string& error) {
  const auto it = message.find("module");
  if (it == message.end() || !it->is_string()) {
    error = "message has no string field 'module'";
    return nullptr;
  }
  const auto& all = modules();
  const auto m = all.find(it->get<std::string>());
  if (m == all.end()) {
    error = "unknown module '" + it->get<std::string>() + "'";
    return nullptr;
  }
  return &m->second;
}

/// Whether every number in j is finite: JSON has no inf or NaN, which
/// nlohmann writes as null, and GradBench stops a run on a successful
/// response whose output is null.
bool all_finite(const Json& j) {
  if (j.is_number_float()) return std::isfinite(j.get<double>());
  if (j.is_array() || j.is_object()) {
    for (const Json& item : j)
      if (!all_finite(item)) return false;
  }
  return true;
}

Json evaluate(const Json& id, const Json& message) {
  std::string error;
  const Module* module = find_module(message, error);
  if (module == nullptr) return failure(id, error);
  const auto f = message.find("function");
  if (f == message.end() || !f->is_string()) return failure(id, "message has no string field 'function'");
  const auto fn = module->functions.find(f->get<std::string>());
  if (fn == module->functions.end())
    return failure(id, "module '" + message["module"].get<std::string>() + "' has no function '" +
                           f->get<std::string>() + "'");
  const auto input = message.find("input");
  if (input == message.end()) return failure(id, "message has no field 'input'");
  Evaluation result = fn->second(*input);
  if (!all_finite(result.output))
    return failure(id, "the output has a number that is not finite (inf or NaN), which JSON cannot hold");
  Json timings = Json::array();
  for (auto ns : result.nanoseconds) timings.push_back(Json{{"name", "evaluate"}, {"nanoseconds", ns}});
  return Json{
      {"id", id}, {"success", true}, {"output", std::move(result.output)}, {"timings", std::move(timings)}};
}

Json dispatch(const Json& message) {
  if (!message.is_object()) return failure(nullptr, "a message must be a JSON object");
  const auto idit = message.find("id");
  if (idit == message.end()) return failure(nullptr, "message has no field 'id'");
  const Json& id = *idit;
  // GradBench's ids are integers; anything else nested is not echoed back
  // (writing an id nested 100000 deep overflowed the serializer's stack)
  if (!(id.is_number() || id.is_string() || id.is_null()))
    return failure(nullptr, "the field 'id' must be a number, a string or null");
  const auto kind = message.find("kind");
  if (kind == message.end() || !kind->is_string()) return failure(id, "message has no string field 'kind'");
  const std::string k = kind->get<std::string>();
  if (k == "start") return Json{{"id", id}, {"tool", "nabla"}};
  if (k == "analysis") return Json{{"id", id}};
  if (k == "define") {
    std::string error;
    if (find_module(message, error) == nullptr) return failure(id, error);
    return Json{{"id", id}, {"success", true}};
  }
  if (k == "evaluate") {
    try {
      return evaluate(id, message);
    } catch (const Error& e) {
      return failure(id, e.what());
    } catch (const Json::exception& e) {
      return failure(id, std::string("bad input: ") + e.what());
    } catch (const std::bad_alloc&) {
      return failure(id, "out of memory");
    } catch (const std::exception& e) {
      return failure(id, e.what());
    }
  }
  return failure(id, "unknown message kind '" + k + "'");
}

}  // namespace

Json respond(const std::string& line) {
  Json message;
  try {
    message = Json::parse(line);
  } catch (const Json::exception& e) {  // also out_of_range: a number beyond a double, 1e400
    return failure(nullptr, std::string("malformed JSON: ") + e.what());
  }
  return dispatch(message);
}

}  // namespace nabla::gradbench
