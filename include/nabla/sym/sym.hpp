// The symbolic engine, nabla::sym: expressions as a hash-consed DAG, their
// canonical construction and simplification, derivatives (diff, gradient,
// jacobian, hessian), printing (to_string, to_latex, to_c), evaluation and
// compilation to a Program or to native code (compile_native), and parsing.
#pragma once

#include "nabla/sym/diff.hpp"
#include "nabla/sym/evaluate.hpp"
#include "nabla/sym/expr.hpp"
#include "nabla/sym/native.hpp"
#include "nabla/sym/print.hpp"
#include "nabla/sym/simplify.hpp"
#if __has_include("nabla/sym/parse.hpp")
#include "nabla/sym/parse.hpp"
#endif
