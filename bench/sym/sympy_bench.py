#!/usr/bin/python3
"""SymPy's side of nabla's symbolic benchmarks (section "Symbolic differentiation" of
bench/README.md): the same three problems as bench_sym (the 6-level nest's
third derivative, the Hessians of chained Rosenbrock n = 100 and of a small
network's loss, and the tree sizes of f, f', f'''), timed with
time.perf_counter, checked at the same points, printed as Markdown tables.

Run it with Debian's /usr/bin/python3 (python3-sympy). When given the JSON
that bench_sym wrote in the same run (--cxx-json), it also prints the ratios
SymPy / nabla and SymPy / GiNaC and how far SymPy's values are from nabla's
(from GiNaC's while nabla's rows are pending).

Every repetition builds its expression from fresh symbols (a new suffix) and
starts with an empty SymPy cache (sympy.core.cache.clear_cache()), so no
repetition reuses the work of another one.
"""

import argparse
import json
import signal
import statistics
import sys
import time

import sympy as sp
from sympy.core.cache import clear_cache

# The points of the checks: the same as in bench/sym/problems.hpp.
NEST_DEPTH = 6
NEST_POINTS = [0.3, 0.7, -0.4]
ROSENBROCK_N = 100
NET_INPUTS, NET_HIDDEN, NET_BATCH = 4, 8, 4


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


# ------------------------------------------------------------- problems ---

def nest(x, depth):
    """e <- sin(e) cos(e) + e^2, depth times, from e = x."""
    e = x
    for _ in range(depth):
        e = sp.sin(e) * sp.cos(e) + e**2
    return e


def rosenbrock_point(i):
    return sp.Rational(i % 7 - 3, 4)


def rosenbrock(xs):
    """Chained: sum_{i < n-1} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2."""
    return sp.Add(*[100 * (xs[i + 1] - xs[i]**2)**2 + (1 - xs[i])**2 for i in range(len(xs) - 1)])


def net_data():
    """The fixed batch: inputs ((5 s + 3 k) mod 9 - 4) / 4, targets ((7 s) mod 5 - 2) / 2."""
    inputs = [[sp.Rational((5 * s + 3 * k) % 9 - 4, 4) for k in range(NET_INPUTS)] for s in range(NET_BATCH)]
    targets = [sp.Rational((7 * s) % 5 - 2, 2) for s in range(NET_BATCH)]
    return inputs, targets


def net_weights(suffix):
    """W1 (hidden x inputs, row by row), b1, w2, b2: 49 symbols, in this order."""
    w1 = [[sp.Symbol(f"W1_{j}_{k}{suffix}") for k in range(NET_INPUTS)] for j in range(NET_HIDDEN)]
    b1 = [sp.Symbol(f"b1_{j}{suffix}") for j in range(NET_HIDDEN)]
    w2 = [sp.Symbol(f"w2_{j}{suffix}") for j in range(NET_HIDDEN)]
    b2 = sp.Symbol(f"b2{suffix}")
    return w1, b1, w2, b2, [w for row in w1 for w in row] + b1 + w2 + [b2]


def net_loss(w1, b1, w2, b2):
    """sum_s (b2 + sum_j w2_j tanh(sum_k W1_jk x_sk + b1_j) - y_s)^2."""
    inputs, targets = net_data()
    loss = 0
    for s in range(NET_BATCH):
        out = b2
        for j in range(NET_HIDDEN):
            out += w2[j] * sp.tanh(sum(w1[j][k] * inputs[s][k] for k in range(NET_INPUTS)) + b1[j])
        loss += (out - targets[s])**2
    return loss


def net_point(p):
    return sp.Rational((37 * p) % 17 - 8, 16)


# ---------------------------------------------------------------- timing ---

def timed(build, work, repetitions, budget, timeout):
    """Up to `repetitions` timings of work(build(r)) (a fresh expression each
    time, a cleared cache), fewer once `budget` seconds are spent; each
    repetition is cut at `timeout` seconds. Returns (CPU times, wall-clock
    times, the last result, 'timeout' or None). CPU time is
    time.process_time(), wall-clock time time.perf_counter()."""
    times, walls, result = [], [], None
    signal.signal(signal.SIGALRM, _alarm)
    for r in range(repetitions):
        args = build(f"_r{r}")
        clear_cache()
        signal.alarm(int(timeout))
        try:
            start, start_cpu = time.perf_counter(), time.process_time()
            result = (args, work(args))
            times.append(time.process_time() - start_cpu)
            walls.append(time.perf_counter() - start)
        except Timeout:
            return times, walls, result, "timeout"
        finally:
            signal.alarm(0)
        if sum(walls) > budget:
            break
    return times, walls, result, None


def digest(values):
    """Sum of the entries, sum of their squares."""
    return sum(values), sum(v * v for v in values)


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


def fmt_time(t):
    return f"{t:.3g}" if t is not None else "—"


# ----------------------------------------------------------------- cases ---

def case_nest(args):
    def build(suffix):
        x = sp.Symbol("x" + suffix)
        return x, nest(x, NEST_DEPTH)

    times, walls, result, status = timed(build, lambda a: sp.diff(a[1], a[0], 3), args.repetitions,
                                         args.budget, args.timeout)
    values = []
    if result is not None:
        (x, _), d3 = result
        fn = sp.lambdify([x], d3, "math")
        values = [fn(p) for p in NEST_POINTS]
    return {"times": times, "walls": walls, "status": status, "values": values}


def gradient_then_diff(f, xs):
    """The Hessian as bench_sym's GiNaC side makes it: each gradient entry
    once, then its derivatives for j >= i, mirrored. (sympy.hessian instead
    differentiates f again for every entry: f.diff(x_i).diff(x_j).)"""
    n = len(xs)
    h = sp.zeros(n, n)
    for i in range(n):
        gi = f.diff(xs[i])
        for j in range(i, n):
            h[i, j] = h[j, i] = gi.diff(xs[j])
    return h


def hessian_case(build, args):
    method = sp.hessian if args.method == "hessian" else gradient_then_diff
    times, walls, result, status = timed(build, lambda a: method(a[1], a[0]), args.repetitions, args.budget,
                                         args.timeout)
    out = {"times": times, "walls": walls, "status": status}
    if result is not None:
        (vs, _), h = result
        point = [float(args.point(i)) for i in range(len(vs))]
        fn = sp.lambdify(list(vs), list(h), "math")
        entries = fn(*point)
        n = len(vs)
        out["sum"], out["sumsq"] = digest(entries)
        out["entries"] = {f"{i},{j}": entries[i * n + j] for i, j in args.entries}
    return out


def case_rosenbrock(args):
    def build(suffix):
        xs = sp.symbols(f"x0:{ROSENBROCK_N}")
        xs = [sp.Symbol(f"{s.name}{suffix}") for s in xs]
        return xs, rosenbrock(xs)

    args.point, args.entries = (lambda i: rosenbrock_point(i)), [(0, 0), (49, 50), (99, 99)]
    return hessian_case(build, args)


def case_net(args):
    def build(suffix):
        w1, b1, w2, b2, vs = net_weights(suffix)
        return vs, net_loss(w1, b1, w2, b2)

    args.point, args.entries = (lambda p: net_point(p)), [(0, 0), (10, 40), (48, 48)]
    return hessian_case(build, args)


def tree_size(e):
    return sum(1 for _ in sp.preorder_traversal(e))


def case_sizes(args):
    """Tree sizes of the nest's f, f', f''' (depth 1..max) and of chained
    Rosenbrock's gradient; each derivative under the time limit."""
    rows = []
    x = sp.Symbol("x")
    signal.signal(signal.SIGALRM, _alarm)
    for depth in range(1, args.max_depth + 1):
        f = nest(x, depth)
        row = {"depth": depth}
        for name, order in (("f", 0), ("d1", 1), ("d3", 3)):
            signal.alarm(int(args.timeout))
            try:
                g = f if order == 0 else sp.diff(f, x, order)
                row[name] = {"preorder": tree_size(g), "count_ops": int(sp.count_ops(g))}
            except Timeout:
                row[name] = None
            finally:
                signal.alarm(0)
        rows.append(row)
    grads = []
    for n in args.rosenbrock_sizes:
        xs = sp.symbols(f"x0:{n}")
        f = rosenbrock(list(xs))
        signal.alarm(int(args.timeout))
        try:
            g = [f.diff(v) for v in xs]
            grads.append({"n": n, "f": tree_size(f), "gradient": sum(tree_size(d) for d in g)})
        except Timeout:
            grads.append({"n": n, "f": tree_size(f), "gradient": None})
        finally:
            signal.alarm(0)
    return {"nest": rows, "rosenbrock": grads}


# -------------------------------------------------------------- printing ---

def ratio_cell(sympy_time, cxx_tool):
    cxx_time = (cxx_tool or {}).get("cpu")
    if sympy_time is None or not cxx_time:
        return "pending" if cxx_tool is None or cxx_time is None else "—"
    return f"{sympy_time / cxx_time:.0f}x"


def print_timing(name, res, cxx_case, check_text):
    times, walls = res["times"], res["walls"]
    med = statistics.median(times) if times else None
    med_wall = statistics.median(walls) if walls else None
    status = f"{len(times)}"
    if res["status"] == "timeout":
        status += ", then one cut at the timeout"
    nabla_t = (cxx_case or {}).get("nabla")
    ginac_t = (cxx_case or {}).get("ginac")
    print(f"| {name} | {fmt_time(med)} | {fmt_time(med_wall)} | {', '.join(f'{t:.3g}' for t in times)} | "
          f"{status} | {ratio_cell(med, nabla_t)} | {ratio_cell(med, ginac_t)} | {check_text} |")


def check_values(mine, theirs, source):
    """'max rel. diff.' of two lists of values, or a note."""
    if not theirs:
        return "no values from bench_sym"
    if not mine:
        return "no SymPy values"
    worst = max(rel(a, b) for a, b in zip(mine, theirs))
    return f"max rel. diff. from {source} {worst:.1e}" + ("" if worst <= 1e-10 else " **MISMATCH**")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cxx-json", help="the JSON written by bench_sym --json=FILE in the same run")
    parser.add_argument("--repetitions", type=int, default=3, help="at most this many per case (3)")
    parser.add_argument("--budget", type=float, default=40.0,
                        help="no further repetition once a case has spent this many seconds (40)")
    parser.add_argument("--timeout", type=float, default=300.0, help="a repetition is cut after this (300 s)")
    parser.add_argument("--max-depth", type=int, default=6, help="nest depths of the size table (1..6)")
    parser.add_argument("--rosenbrock-sizes", type=int, nargs="*", default=[10, 100, 1000])
    parser.add_argument("--skip-sizes", action="store_true")
    args = parser.parse_args()

    cxx = {}
    if args.cxx_json:
        with open(args.cxx_json) as f:
            cxx = json.load(f)
    cases = cxx.get("cases", {})

    print(f"SymPy {sp.__version__}, Python {sys.version.split()[0]} ({sys.executable})")
    print()
    print("Medians of CPU time (time.process_time(); the machine is shared) and of wall-clock time "
          "(time.perf_counter()); the ratios divide CPU medians by bench_sym's CPU medians of the same run.")
    print()
    print("| problem | SymPy CPU (s) | SymPy wall (s) | each repetition, CPU (s) | repetitions | SymPy / nabla "
          "| SymPy / GiNaC | check |")
    print("|---|---:|---:|---|---|---:|---:|---|")

    nest_res = case_nest(args)
    cn = cases.get("nest6_d3", {})
    vals = ", ".join(f"f'''({p}) = {v:.15g}" for p, v in zip(NEST_POINTS, nest_res["values"]))
    print_timing("(i) diff(f, x, 3), 6-level nest", nest_res, cn,
                 vals + "; " + check_values(nest_res["values"], cn.get("values"), cn.get("values_from")))
    sys.stdout.flush()

    for key, label, fn, method in (
            ("rosenbrock100_hessian", "(ii) sympy.hessian(f, x), chained Rosenbrock n = 100", case_rosenbrock,
             "hessian"),
            ("rosenbrock100_hessian", "(ii) the same by gradient, then diff of each entry (j >= i)",
             case_rosenbrock, "gradient"),
            ("net_hessian", "(ii) sympy.hessian(loss, w), 4-8-1 tanh network, 49 weights", case_net, "hessian"),
            ("net_hessian", "(ii) the same by gradient, then diff of each entry (j >= i)", case_net, "gradient")):
        args.method = method
        res = fn(args)
        c = cases.get(key, {})
        text = "no SymPy values"
        if "sum" in res:
            entries = ", ".join(f"H[{k}] = {v:.15g}" for k, v in res["entries"].items())
            text = f"sum {res['sum']:.15g}, sum of squares {res['sumsq']:.15g}, {entries}"
            if "sum" in c:
                theirs = c.get("entries", {})
                worst = max(rel(res["sum"], c["sum"]), rel(res["sumsq"], c["sumsq"]),
                            *(rel(v, theirs[k]) for k, v in res["entries"].items() if k in theirs))
                text += f"; max rel. diff. from {c.get('values_from')} {worst:.1e}"
                text += "" if worst <= 1e-10 else " **MISMATCH**"
            else:
                text += "; no values from bench_sym"
        print_timing(label, res, c, text)
        sys.stdout.flush()

    if args.skip_sizes:
        return
    sizes = case_sizes(args)
    cxx_sizes = {row["depth"]: row for row in cxx.get("sizes", {}).get("nest", [])}
    print()
    print("Tree sizes in SymPy: len(list(preorder_traversal(e))) (every node of the tree: operators, "
          "symbols, numbers) and count_ops(e) (operations only), beside nabla's tree_size and dag_size "
          "from bench_sym in the same run.")
    print()
    print("| depth | f: preorder / count_ops | f': preorder / count_ops | f''': preorder / count_ops "
          "| nabla f''': tree_size / dag_size |")
    print("|---:|---:|---:|---:|---:|")

    def cell(c):
        return f"{c['preorder']} / {c['count_ops']}" if c else "timeout"

    for row in sizes["nest"]:
        n = cxx_sizes.get(row["depth"], {}).get("nabla_d3")
        ncell = f"{n['tree']} / {n['dag']}" if n else "pending"
        print(f"| {row['depth']} | {cell(row['f'])} | {cell(row['d1'])} | {cell(row['d3'])} | {ncell} |")
    print()
    print("| chained Rosenbrock n | f: preorder | gradient: sum of the n entries' preorder sizes |")
    print("|---:|---:|---:|")
    for g in sizes["rosenbrock"]:
        print(f"| {g['n']} | {g['f']} | {g['gradient'] if g['gradient'] is not None else 'timeout'} |")


if __name__ == "__main__":
    main()
