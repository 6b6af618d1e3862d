// The GradBench protocol (CONTRIBUTING.md, section Protocol): one JSON message
// per line in, one JSON response per line out. start -> {"id", "tool"};
// define -> success true for a module the tool implements, false with an
// error otherwise; evaluate -> the output and one "evaluate" timing per run;
// analysis and any other kind -> an acknowledgement. A line that is not a
// message (malformed JSON, no id, an unknown kind, a bad input) gets
// success: false and an error, never a crash.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace nabla::gradbench {

/// The response to one line of input.
nlohmann::json respond(const std::string& line);

}  // namespace nabla::gradbench
