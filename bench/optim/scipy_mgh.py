#!/usr/bin/python3
"""SciPy's BFGS and L-BFGS-B (default options) on the MGH problems, with f and
its gradient computed by nabla's own problem code: each evaluation is one line
to `optim_bench serve` and one line back. Prints CSV rows like optim_bench mgh,
with the trace "evaluations:f;..." of the accepted iterates (the start, then
one entry per callback; f of an iterate is looked up among the evaluations).
Usage: /usr/bin/python3 scipy_mgh.py path/to/optim_bench < mgh.csv (the CSV of
`optim_bench mgh`, read for the problem names, sizes and starting points)."""
import csv
import subprocess
import sys

import numpy as np
import scipy
from scipy.optimize import minimize


class Server:
    def __init__(self, program):
        self.process = subprocess.Popen([program, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        bufsize=1)

    def __call__(self, name, x):
        self.process.stdin.write(name + " " + " ".join(repr(float(v)) for v in x) + "\n")
        values = [float(v) for v in self.process.stdout.readline().split()]
        return values[0], np.array(values[1:])


def main():
    program = sys.argv[1]
    x0s = {}
    with open(sys.argv[2]) as f:
        for line in f:
            name, *values = line.split()
            x0s[name] = np.array([float(v) for v in values])
    rows = list(csv.DictReader(sys.stdin))
    server = Server(program)
    seen = []
    for row in rows:
        if row["problem"] not in seen:
            seen.append(row["problem"])
    print(f"# scipy {scipy.__version__}", file=sys.stderr)
    for name in seen:
        f_star = next(r["f_star"] for r in rows if r["problem"] == name)
        for method, tool in (("BFGS", "scipy_bfgs"), ("L-BFGS-B", "scipy_lbfgsb")):
            count = [0]
            seen_f = {}
            trace = []

            def fun(x):
                count[0] += 1
                f, g = server(name, x)
                seen_f[np.asarray(x, dtype=float).tobytes()] = f
                if count[0] == 1:
                    trace.append(f"1:{f!r}")
                return f, g

            def callback(xk):
                f = seen_f.get(np.asarray(xk, dtype=float).tobytes())
                if f is None:  # an iterate SciPy did not evaluate as such (should not happen)
                    f = server(name, xk)[0]
                trace.append(f"{count[0]}:{f!r}")

            r = minimize(fun, x0s[name], jac=True, method=method, callback=callback)
            print(f"{name},{len(x0s[name])},{f_star},{tool},{r.fun:.10g},{count[0]},{r.nit},{r.status},"
                  + ";".join(trace))


if __name__ == "__main__":
    main()
