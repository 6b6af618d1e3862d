// The protocol end to end: the built nabla-gradbench is spawned with its
// stdin and stdout on pipes, sent a session of messages (good ones, malformed
// JSON, unknown modules, functions and kinds, bad inputs), and every
// response line is checked. The answers come from the program, not from
// the library linked into this test.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

using Json = nlohmann::json;

namespace {

/// Runs the tool on `input` (lines) and returns its stdout lines and exit status.
std::vector<std::string> run_tool(const std::string& input, int& status) {
  int to_child[2], from_child[2];
  if (pipe(to_child) != 0 || pipe(from_child) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(to_child[0], 0);
    dup2(from_child[1], 1);
    close(to_child[1]);
    close(from_child[0]);
    execl(NABLA_GRADBENCH_TOOL, NABLA_GRADBENCH_TOOL, static_cast<char*>(nullptr));
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  // Small sessions: the whole input fits in the pipe buffer before reading.
  const ssize_t written = write(to_child[1], input.data(), input.size());
  EXPECT_EQ(written, static_cast<ssize_t>(input.size()));
  close(to_child[1]);
  std::string out;
  char buffer[4096];
  for (ssize_t got; (got = read(from_child[0], buffer, sizeof buffer)) > 0;)
    out.append(buffer, static_cast<std::size_t>(got));
  close(from_child[0]);
  waitpid(pid, &status, 0);
  std::vector<std::string> lines;
  std::istringstream stream(out);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

std::vector<Json> session(const std::vector<std::string>& messages) {
  std::string input;
  for (const auto& m : messages) input += m + "\n";
  int status = -1;
  const auto lines = run_tool(input, status);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  std::vector<Json> responses;
  for (const auto& l : lines) responses.push_back(Json::parse(l));  // every line is JSON
  return responses;
}

}  // namespace

TEST(GradbenchProtocol, HelloSession) {
  const auto r = session({
      R"({"id": 0, "kind": "start", "eval": "hello"})",
      R"({"id": 1, "kind": "define", "module": "hello"})",
      R"({"id": 2, "kind": "evaluate", "module": "hello", "function": "square", "input": 3.0})",
      R"({"id": 3, "kind": "analysis", "of": 2, "valid": true})",
      R"({"id": 4, "kind": "evaluate", "module": "hello", "function": "double", "input": 1.5})",
  });
  ASSERT_EQ(r.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(r[static_cast<std::size_t>(i)]["id"], i);
  EXPECT_EQ(r[0]["tool"], "nabla");
  EXPECT_EQ(r[1]["success"], true);
  EXPECT_EQ(r[2]["success"], true);
  EXPECT_DOUBLE_EQ(r[2]["output"].get<double>(), 9.0);
  ASSERT_EQ(r[2]["timings"].size(), 1u);
  EXPECT_EQ(r[2]["timings"][0]["name"], "evaluate");
  EXPECT_GE(r[2]["timings"][0]["nanoseconds"].get<long long>(), 0);
  EXPECT_EQ(r[3], Json({{"id", 3}}));
  EXPECT_DOUBLE_EQ(r[4]["output"].get<double>(), 3.0);
}

TEST(GradbenchProtocol, RunsGiveOneTimingEach) {
  const auto r = session({
      R"({"id": 0, "kind": "evaluate", "module": "lse", "function": "gradient", "input": {"x": [0, 0], "min_runs": 4, "min_seconds": 0}})",
      R"({"id": 1, "kind": "evaluate", "module": "llsq", "function": "primal", "input": {"x": [0.5], "n": 3, "runs": 2}})",
      // a function slow enough (tens of microseconds) that 0.01 s is well
      // under the cap of 100000 runs
      R"({"id": 2, "kind": "evaluate", "module": "llsq", "function": "primal", "input": {"x": [0.5, 1, 2], "n": 20000, "min_runs": 1, "min_seconds": 0.01}})",
  });
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0]["timings"].size(), 4u);
  EXPECT_DOUBLE_EQ(r[0]["output"][0].get<double>(), 0.5);
  EXPECT_EQ(r[1]["timings"].size(), 2u);
  // 1/2 ((-1 - 0.5)^2 + (0 - 0.5)^2 + (1 - 0.5)^2)
  EXPECT_DOUBLE_EQ(r[1]["output"].get<double>(), 0.5 * (2.25 + 0.25 + 0.25));
  long long total = 0;
  for (const auto& t : r[2]["timings"]) total += t["nanoseconds"].get<long long>();
  EXPECT_GE(total, 10'000'000);
}

TEST(GradbenchProtocol, RunsAreBoundedSoAFastFunctionCannotExhaustMemory) {
  // lse of one number takes ~60 ns: 0.5 s of it was 8 million timings, 3 GB
  // of JSON, and an abort when memory ran out
  const auto r = session({
      R"({"id": 0, "kind": "evaluate", "module": "lse", "function": "primal", "input": {"x": [1], "min_seconds": 5}})",
      R"({"id": 1, "kind": "evaluate", "module": "lse", "function": "primal", "input": {"x": [1], "min_runs": 100001}})",
  });
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0]["success"], true);
  EXPECT_LE(r[0]["timings"].size(), 100000u);
  EXPECT_EQ(r[1]["success"], false);
  EXPECT_NE(r[1]["error"].get<std::string>().find("min_runs"), std::string::npos) << r[1];
}

TEST(GradbenchProtocol, AnIdThatIsNotANumberOrAStringIsRefused) {
  // an id nested 100000 deep overflowed the stack of the serializer that
  // echoed it back (the tool reads this line while the test writes it)
  std::string deep_id(100000, '[');
  deep_id.append(100000, ']');
  const auto r =
      session({R"({"id": )" + deep_id + R"(, "kind": "start"})", R"({"id": {"a": 1}, "kind": "start"})",
               R"({"id": "s", "kind": "start"})", R"({"id": 3, "kind": "start"})"});
  ASSERT_EQ(r.size(), 4u);
  for (int i : {0, 1}) {
    EXPECT_TRUE(r[static_cast<std::size_t>(i)]["id"].is_null()) << i;
    EXPECT_EQ(r[static_cast<std::size_t>(i)]["success"], false) << i;
  }
  EXPECT_EQ(r[2]["id"], "s");
  EXPECT_EQ(r[3]["id"], 3);
}

TEST(GradbenchProtocol, BadMessagesGetErrorsAndTheSessionGoesOn) {
  const auto r = session({
      R"(this is not json)",
      R"({"id": 1, "kind": "define", "module": "no-such-module"})",
      R"({"id": 2, "kind": "evaluate", "module": "hello", "function": "cube", "input": 2})",
      R"({"id": 3, "kind": "evaluate", "module": "llsq", "function": "gradient", "input": {"x": "abc", "n": 4}})",
      R"({"id": 4, "kind": "evaluate", "module": "gmm", "function": "objective", "input": {"d": 2}})",
      R"({"id": 5, "kind": "dance"})",
      R"({"kind": "start"})",
      R"([1, 2, 3])",
      R"({"id": 8, "kind": "evaluate", "module": "det", "function": "primal", "input": {"A": [1, 2, 3], "ell": 2}})",
      R"({"id": 9, "kind": "evaluate", "module": "hello", "function": "square", "input": "three"})",
      R"({"id": 10, "kind": "define", "module": "ode"})",
  });
  ASSERT_EQ(r.size(), 11u);
  for (std::size_t i = 0; i + 1 < r.size(); ++i) {
    EXPECT_EQ(r[i]["success"], false) << i;
    EXPECT_TRUE(r[i]["error"].is_string()) << i;
  }
  EXPECT_TRUE(r[0]["id"].is_null());
  EXPECT_EQ(r[1]["id"], 1);
  EXPECT_NE(r[1]["error"].get<std::string>().find("no-such-module"), std::string::npos);
  EXPECT_NE(r[2]["error"].get<std::string>().find("cube"), std::string::npos);
  EXPECT_EQ(r[5]["id"], 5);
  EXPECT_EQ(r[10]["id"], 10);
  EXPECT_EQ(r[10]["success"], true);
}

TEST(GradbenchProtocol, ANonFiniteOutputIsAnErrorNotASuccessWithNull) {
  // JSON has no inf or NaN: the output was written as null with success
  // true, and GradBench stops a run on a successful response without output.
  const auto r = session({
      R"({"id": 0, "kind": "evaluate", "module": "hello", "function": "square", "input": 1e200})",
      Json::parse(R"({"id": 1, "kind": "evaluate", "module": "gmm", "function": "objective", "input": {
      "d": 2, "k": 2, "n": 3, "alpha": [0.1, -0.2], "mu": [[0, 1], [1, 0]], "q": [[0.1, 0.2], [0, -0.1]],
      "l": [[0.3], [-0.2]], "x": [[0, 0], [1, 1], [0.5, -0.5]], "gamma": 0, "m": 0}})")
          .dump(),
      R"({"id": 2, "kind": "evaluate", "module": "hello", "function": "square", "input": 1e100})",
      R"({"id": 3, "kind": "start", "eval": -1e400})",
  });
  ASSERT_EQ(r.size(), 4u);
  for (std::size_t i : {0u, 1u}) {
    EXPECT_EQ(r[i]["id"], i);
    ASSERT_EQ(r[i]["success"], false) << r[i].dump();
    EXPECT_NE(r[i]["error"].get<std::string>().find("not finite"), std::string::npos) << r[i].dump();
  }
  EXPECT_EQ(r[2]["success"], true);
  EXPECT_DOUBLE_EQ(r[2]["output"].get<double>(), 1e200);
  // a number beyond a double is malformed JSON, like any other
  ASSERT_EQ(r[3]["success"], false);
  EXPECT_EQ(r[3]["error"].get<std::string>().rfind("malformed JSON: ", 0), 0u) << r[3].dump();
}

TEST(GradbenchProtocol, EveryModuleIsDefined) {
  std::vector<std::string> messages;
  const std::vector<std::string> names = {"hello", "llsq", "lse", "gmm", "ba", "lstm", "ode", "det", "ht"};
  for (std::size_t i = 0; i < names.size(); ++i)
    messages.push_back(Json{{"id", i}, {"kind", "define"}, {"module", names[i]}}.dump());
  const auto r = session(messages);
  ASSERT_EQ(r.size(), names.size());
  for (const auto& response : r) EXPECT_EQ(response["success"], true);
}

TEST(GradbenchProtocol, MalformedHtInputsGetErrorsFromTheProgram) {
  const auto r = session({
      R"({"id": 0, "kind": "evaluate", "module": "ht", "function": "jacobian", "input": {"theta": [1, 2], "us": []}})",
      Json::parse(R"({"id": 1, "kind": "evaluate", "module": "ht", "function": "objective", "input": {
          "theta": [], "us": [], "data": {"model": {"bone_count": 22}, "correspondences": [0],
          "points": [[0, 0, 0]]}}})")
          .dump(),
      R"({"id": 2, "kind": "evaluate", "module": "ht", "function": "objective", "input": {"us": 7, "data": []}})",
      R"({"id": 3, "kind": "define", "module": "ht"})",
  });
  ASSERT_EQ(r.size(), 4u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r[i]["id"], i);
    EXPECT_EQ(r[i]["success"], false) << i;
    EXPECT_TRUE(r[i]["error"].is_string()) << i;
  }
  EXPECT_NE(r[0]["error"].get<std::string>().find("data"), std::string::npos) << r[0].dump();
  EXPECT_NE(r[1]["error"].get<std::string>().find("bone_names"), std::string::npos) << r[1].dump();
  EXPECT_EQ(r[3]["success"], true);
}

TEST(GradbenchProtocol, GmmJacobianHasTheEvalsShape) {
  const auto r = session(
      {Json::parse(R"({"id": 0, "kind": "evaluate", "module": "gmm", "function": "jacobian", "input": {
      "d": 2, "k": 2, "n": 3, "alpha": [0.1, -0.2], "mu": [[0, 1], [1, 0]], "q": [[0.1, 0.2], [0, -0.1]],
      "l": [[0.3], [-0.2]], "x": [[0, 0], [1, 1], [0.5, -0.5]], "gamma": 1.0, "m": 0}})")
           .dump()});
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0]["success"], true) << r[0].dump();
  const Json& out = r[0]["output"];
  EXPECT_EQ(out["alpha"].size(), 2u);
  EXPECT_EQ(out["mu"].size(), 2u);
  EXPECT_EQ(out["mu"][0].size(), 2u);
  EXPECT_EQ(out["q"][1].size(), 2u);
  EXPECT_EQ(out["l"][0].size(), 1u);
  // The alpha gradient of -n lse(alpha) + sum_i lse_k(...) sums to zero.
  EXPECT_NEAR(out["alpha"][0].get<double>() + out["alpha"][1].get<double>(), 0.0, 1e-12);
}
