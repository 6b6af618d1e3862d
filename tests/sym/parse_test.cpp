// Tests of sym::parse: the precedence and associativity table (each input
// against the same expression built with Expr's operators), number literals,
// every error path with its message and position, the depth and size limits,
// random bytes and random token sequences (always an Expr or a ParseError,
// never a crash), and printing then parsing random expressions.
#include "nabla/sym/parse.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "nabla/core/errors.hpp"
#include "nabla/sym/expr.hpp"
#include "nabla/sym/print.hpp"

namespace nabla::sym {

/// Failures show expressions as text.
void PrintTo(const Expr& e, std::ostream* os) { *os << to_string(e); }

namespace {

const Expr a = symbol("a"), b = symbol("b"), c = symbol("c"), x = symbol("x"), y = symbol("y");

struct Case {
  const char* text;
  Expr expected;
};

TEST(Parse, PrecedenceAndAssociativity) {
  const std::vector<Case> cases = {
      {"a + b * c", a + b * c},
      {"a * b + c", a * b + c},
      {"(a + b) * c", (a + b) * c},
      {"a - b - c", (a - b) - c},
      {"a - (b - c)", a - (b - c)},
      {"a / b / c", (a / b) / c},
      {"a / (b / c)", a / (b / c)},
      {"a * b / c", (a * b) / c},
      {"a ^ b ^ c", pow(a, pow(b, c))},
      {"(a ^ b) ^ c", pow(pow(a, b), c)},
      {"a ** b ** c", pow(a, pow(b, c))},
      {"a**b", pow(a, b)},
      {"-a^2", -pow(a, Expr(2))},
      {"-a**2", -pow(a, Expr(2))},
      {"(-a)^2", pow(-a, Expr(2))},
      {"a^-b", pow(a, -b)},
      {"a^-b^c", pow(a, -pow(b, c))},
      {"2^-1", rational(1, 2)},
      {"-a * b", (-a) * b},
      {"a * -b", a * (-b)},
      {"a - -b", a - (-b)},
      {"+a", a},
      {"--a", a},
      {"---a", -a},
      {"+-+a", -a},
      {"a*b^c", a * pow(b, c)},
      {"a^b*c", pow(a, b) * c},
      {"a/b^c", a / pow(b, c)},
      {"2*a + 3*b - c/4", Expr(2) * a + Expr(3) * b - c / Expr(4)},
      {"sin(x)^2", pow(sin(x), Expr(2))},
      {"-sin(x)", -sin(x)},
      {"sin(x + y) * cos(x)", sin(x + y) * cos(x)},
      {"exp(-x^2/2)", exp(-pow(x, Expr(2)) / Expr(2))},
      {"e^x", pow(e(), x)},
      {"pi*x", pi() * x},
      {"e", e()},
      {"pi", pi()},
      {"atan2(y, x)", atan2(y, x)},
      {"pow(x, y)", call("pow", std::vector<Expr>{x, y})},
      {"max(x, 0)", max(x, Expr(0))},
      {"softplus(x)", softplus(x)},
      {"softplus(x, 2)", softplus(x, 2.0)},
      {"softplus(x, 0.5)", softplus(x, 0.5)},
      {"leaky_relu(x, 0.1)", leaky_relu(x, 0.1)},
      {"leaky_relu(x)", leaky_relu(x)},
      {" \t a\n+\r\nb ", a + b},
      {"x_1 + _y2", symbol("x_1") + symbol("_y2")},
      {"epsilon + pie", symbol("epsilon") + symbol("pie")},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.text);
    EXPECT_EQ(parse(k.text), k.expected);
  }
}

TEST(Parse, Numbers) {
  EXPECT_EQ(parse("12"), Expr(12));
  EXPECT_EQ(parse("0"), Expr(0));
  EXPECT_EQ(parse("007"), Expr(7));
  EXPECT_EQ(parse("1/3"), rational(1, 3));
  EXPECT_TRUE(parse("1/3").is_exact());
  EXPECT_EQ(parse("1e-3"), Expr(1e-3));
  EXPECT_EQ(parse("2.5E+2"), Expr(250.0));
  EXPECT_EQ(parse(".5"), Expr(0.5));
  EXPECT_EQ(parse("2."), Expr(2.0));
  EXPECT_EQ(parse("2.").kind(), Kind::Real);
  EXPECT_EQ(parse("1e3").kind(), Kind::Real);
  EXPECT_EQ(parse("9223372036854775807"), Expr(9223372036854775807LL));
  EXPECT_EQ(parse("99999999999999999999"), Expr(1e20));  // beyond 64 bits: a double
  EXPECT_EQ(parse("1e-400"), Expr(0.0));                 // underflow: the nearest double
  EXPECT_EQ(parse("0.000e999"), Expr(0.0));
  // 1e-351 with a positive exponent: still an underflow
  EXPECT_EQ(parse("0." + std::string(400, '0') + "1e50"), Expr(0.0));
}

struct ErrorCase {
  std::string text;
  std::string message;
  std::size_t position;
};

TEST(Parse, ErrorsSayWhatAndWhere) {
  const std::vector<ErrorCase> cases = {
      {"", "empty expression", 0},
      {"   ", "empty expression", 3},
      {"x +", "dangling operator '+'", 2},
      {"x*", "dangling operator '*'", 1},
      {"x^", "dangling operator '^'", 1},
      {"x**", "dangling operator '**'", 1},
      {"-", "dangling operator '-'", 0},
      {"(x", "expected ')' to close '(' at 0", 2},
      {"x*(y+1", "expected ')' to close '(' at 2", 6},
      {"sin(x", "expected ')' to close '(' at 3", 5},
      {"sin(x,", "expected an argument after ','", 6},
      {"sin(x,)", "expected an argument after ','", 6},
      {"(", "unexpected end of input", 1},
      {"x)", "unmatched ')'", 1},
      {"()", "empty parentheses", 1},
      {"x + * y", "expected an operand after '+', found '*'", 4},
      {"x + )", "expected an operand after '+', found ')'", 4},
      {"*x", "expected an operand before '*'", 0},
      {"x y", "expected an operator before 'y'", 2},
      {"2x", "expected an operator before 'x' (write 2*x)", 1},
      {"(x)(y)", "expected an operator before '('", 3},
      {"2(x)", "expected an operator before '('", 1},
      {"(x y)", "expected an operator before 'y'", 3},
      {"sni(x)", "unknown function 'sni' \u2014 did you mean 'sin'?", 0},
      {"x + sinn(x)", "unknown function 'sinn' \u2014 did you mean 'sin'?", 4},
      {"frobnicate(x)", "unknown function 'frobnicate'", 0},
      {"f(x)", "unknown function 'f'", 0},
      {"sin(x, y)", "sin takes 1 argument, got 2", 0},
      {"sin()", "sin takes 1 argument, got 0", 0},
      {"atan2(x)", "atan2 takes 2 arguments, got 1", 0},
      {"softplus(x, 1, 2)", "softplus takes 1 or 2 arguments, got 3", 0},
      {"softplus(x, y)", "the last argument of softplus must be a number", 12},
      {"e(x)", "'e' is a constant, not a function", 0},
      {"pi(2)", "'pi' is a constant, not a function", 0},
      {"sin + 1", "'sin' is a function: write sin(...)", 0},
      {"x, y", "unexpected ',' outside a function call", 1},
      {"1e", "malformed number: the exponent 'e' has no digits", 1},
      {"2E+", "malformed number: the exponent 'E' has no digits", 1},
      {"1e400", "number out of range: '1e400'", 0},
      {"x + 0.1e310", "number out of range: '0.1e310'", 4},  // 1e309: it was read as 0
      {".5e400", "number out of range: '.5e400'", 0},
      // a fold that overflows: at the operator that takes the first operand
      // too many (it was at the last token)
      {"1e308 + 1e308 + x", "number out of range: a product or sum of numbers overflows", 6},
      {"sin(1e200*1e200*x) + y", "number out of range: a product or sum of numbers overflows", 9},
      {"x + 1e308*x + 1e308*x", "number out of range: a product or sum of numbers overflows", 12},
      {"x + 1e-200*1e-200*y", "number out of range: a product of numbers underflows", 10},
      {"x # y", "unexpected character '#'", 2},
      {"x = 1", "unexpected character '='", 2},
      {std::string("x\0", 2), "unexpected NUL byte", 1},
      {"x\x01", "unexpected control character 0x01", 1},
      {"\xC3\xA9 + 1", "unexpected byte 0xC3 (expressions are ASCII)", 0},
      {"x\x7f", "unexpected control character 0x7F", 1},
  };
  for (const ErrorCase& k : cases) {
    SCOPED_TRACE(k.text);
    try {
      (void)parse(k.text);
      ADD_FAILURE() << "parsed";
    } catch (const ParseError& err) {
      EXPECT_EQ(std::string(err.what()), k.message);
      EXPECT_EQ(err.position(), k.position);
      EXPECT_EQ(err.input(), k.text);
    }
  }
}

TEST(Parse, CaretPointsAtTheProblem) {
  try {
    parse("x + * y");
    FAIL();
  } catch (const ParseError& err) {
    EXPECT_EQ(err.caret(), "x + * y\n    ^");
  }
  // a tab or a carriage return is one column wide in the caret's line, as
  // every other byte (a tab was left in and moved the text to column 8)
  try {
    parse("x +\t\r* 2");
    FAIL();
  } catch (const ParseError& err) {
    EXPECT_EQ(err.caret(), "x +  * 2\n     ^");
  }
}

TEST(Parse, DivisionByZeroIsAParseErrorAtTheOperator) {
  try {
    (void)parse("x + 1/0");
    // An implementation may also represent 1/0 (as a complex infinity or NaN).
    SUCCEED();
  } catch (const ParseError& err) {
    EXPECT_EQ(err.position(), 5U);
  }
}

TEST(Parse, AnOverflowInALongSumIsPlacedAtItsOperator) {
  // the first prefix that overflows, found by bisection among 4001 terms
  std::string text;
  for (int i = 0; i < 2000; ++i) text.append("x").append(std::to_string(i)).append(" + ");
  text += "1e308 + ";
  const std::size_t second = text.size() + 2;  // the '+' before the second 1e308
  text += "y + 1e308";
  for (int i = 0; i < 2000; ++i) text.append(" + z").append(std::to_string(i));
  try {
    (void)parse(text);
    FAIL();
  } catch (const ParseError& err) {
    EXPECT_EQ(err.position(), second);
    EXPECT_EQ(text.substr(err.position(), 8), "+ 1e308 ");
  }
}

TEST(Parse, NestingIsBounded) {
  const auto nested = [](std::size_t n, const std::string& open, const std::string& close) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += open;
    s += "x";
    for (std::size_t i = 0; i < n; ++i) s += close;
    return s;
  };
  EXPECT_EQ(parse(nested(400, "(", ")")), x);
  EXPECT_NO_THROW(parse(nested(400, "sin(", ")")));
  for (const std::string& deep : {nested(100000, "(", ")"), nested(100000, "sin(", ")"),
                                  nested(100000, "x^", ""), nested(100000, "(-", ")")}) {
    try {
      parse(deep);
      ADD_FAILURE() << "parsed";
    } catch (const ParseError& err) {
      EXPECT_EQ(std::string(err.what()), "nesting deeper than 512 levels");
    }
  }
  // A chain of signs is a loop, not nesting.
  EXPECT_EQ(parse(std::string(100001, '-') + "x"), -x);
  ParseLimits shallow;
  shallow.max_depth = 3;
  EXPECT_NO_THROW(parse("((x))", shallow));
  EXPECT_THROW(parse("(((x)))", shallow), ParseError);
}

TEST(Parse, InputSizeIsBounded) {
  std::string big = "x";
  while (big.size() <= (std::size_t{1} << 20)) big += " + x";
  try {
    parse(big);
    ADD_FAILURE() << "parsed";
  } catch (const ParseError& err) {
    EXPECT_EQ(std::string(err.what()).rfind("input too long: ", 0), 0U);
    EXPECT_EQ(err.position(), 0U);
  }
  // A long flat sum just under the limit parses (in one canonicalization).
  std::string sum = "x0";
  for (int i = 1; i < 20000; ++i) sum += " + x" + std::to_string(i);
  EXPECT_EQ(parse(sum).kind(), Kind::Add);
}

TEST(Parse, SuggestionsByEditDistance) {
  const std::vector<std::string_view> names = {"sin", "sinh", "exp", "sigmoid", "log"};
  EXPECT_EQ(closest_name("sni", names), "sin");
  EXPECT_EQ(closest_name("SIN", names), "sin");
  EXPECT_EQ(closest_name("sigmiod", names), "sigmoid");
  EXPECT_EQ(closest_name("lg", names), "log");
  EXPECT_EQ(closest_name("q", names), "");
  EXPECT_EQ(closest_name("frobnicate", names), "");
}

/// Parses `text` and requires an Expr or a ParseError with a position inside it.
void parses_or_fails_cleanly(const std::string& text) {
  try {
    (void)parse(text);
  } catch (const ParseError& err) {
    ASSERT_LE(err.position(), text.size()) << text;
  }
}

TEST(Parse, RandomBytesNeverCrash) {
  std::mt19937 rng(20240601);
  std::uniform_int_distribution<int> byte(0, 255), length(0, 40);
  for (int i = 0; i < 20000; ++i) {
    std::string s(static_cast<std::size_t>(length(rng)), '\0');
    for (char& ch : s) ch = static_cast<char>(byte(rng));
    parses_or_fails_cleanly(s);
  }
}

TEST(Parse, RandomTokenSequencesNeverCrash) {
  const std::vector<std::string> tokens = {
      "x",
      "y",
      "2",
      "0",
      "1.5",
      "1e-3",
      ".5",
      "+",
      "-",
      "*",
      "/",
      "^",
      "**",
      "(",
      ")",
      ",",
      "sin(",
      "atan2(",
      "softplus(",
      "e",
      "pi",
      " ",
      "sni(",
      "1e",
      "#",
      "max(",
      "0^-1",
      "1/0",
      "2^1000",
      "(-1)",
      "99999999999999999999",
      "e(",
      "leaky_relu(",
      "0.0",
  };
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> pick(0, tokens.size() - 1), length(0, 16);
  for (int i = 0; i < 30000; ++i) {
    std::string s;
    for (std::size_t n = length(rng); n > 0; --n) s += tokens[pick(rng)];
    parses_or_fails_cleanly(s);
  }
}

/// A random expression of the given depth over x, y, z, numbers, constants
/// and registry functions.
Expr random_expr(std::mt19937& rng, int depth) {
  std::uniform_int_distribution<int> pick(0, depth <= 0 ? 3 : 13);
  const std::vector<Expr> leaves = {x,
                                    y,
                                    symbol("z"),
                                    Expr(2),
                                    Expr(-3),
                                    rational(1, 3),
                                    rational(-5, 2),
                                    Expr(0.5),
                                    Expr(2.5e-3),
                                    Expr(1e20),
                                    pi(),
                                    e()};
  std::uniform_int_distribution<std::size_t> leaf(0, leaves.size() - 1);
  switch (pick(rng)) {
    case 0:
    case 1:
    case 2:
    case 3:
      return leaves[leaf(rng)];
    case 4:
      return random_expr(rng, depth - 1) + random_expr(rng, depth - 1);
    case 5:
      return random_expr(rng, depth - 1) - random_expr(rng, depth - 1);
    case 6:
      return random_expr(rng, depth - 1) * random_expr(rng, depth - 1);
    case 7:
      return random_expr(rng, depth - 1) / (random_expr(rng, depth - 1) + symbol("w"));
    case 8:
      return pow(random_expr(rng, depth - 1), leaves[leaf(rng)]);
    case 9:
      return -random_expr(rng, depth - 1);
    case 10:
      return sin(random_expr(rng, depth - 1));
    case 11:
      return exp(random_expr(rng, depth - 1)) + log(random_expr(rng, depth - 1));
    case 12:
      return atan2(random_expr(rng, depth - 1), random_expr(rng, depth - 1));
    default:
      return softplus(random_expr(rng, depth - 1), 2.0) + leaky_relu(random_expr(rng, depth - 1), 0.2) +
             max(random_expr(rng, depth - 1), Expr(0));
  }
}

TEST(Parse, PrintThenParseIsTheIdentity) {
  std::mt19937 rng(11);
  for (int i = 0; i < 3000; ++i) {
    const Expr original = random_expr(rng, 1 + i % 5);
    const std::string text = to_string(original);
    SCOPED_TRACE(text);
    Expr back;
    ASSERT_NO_THROW(back = parse(text));
    EXPECT_EQ(back, original);
  }
}

TEST(Parse, TheIssuesDerivativesReadBack) {
  for (const char* text : {"4*x^3 - 12*x^2 + 8*x", "6*x*cos(3*x^2 + 2)", "6*x*(x^2 + 1)^2", "x/(2*sqrt(y))"})
    EXPECT_EQ(to_string(parse(text)), text);
}

}  // namespace
}  // namespace nabla::sym
