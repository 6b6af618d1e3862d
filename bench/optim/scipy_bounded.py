#!/usr/bin/python3
"""SciPy's L-BFGS-B (default options) on the bounded cases of `optim_bench
bounded`, whose CSV it reads on stdin, with f and the gradient from nabla's
problem code through `optim_bench serve`; prints one Markdown table of both.
Usage: optim_bench bounded | /usr/bin/python3 scipy_bounded.py path/to/optim_bench"""
import csv
import math
import sys

import numpy as np
from scipy.optimize import minimize

from scipy_mgh import Server


def projected_gradient_max(x, g, lower, upper):
    return float(np.max(np.abs(np.clip(x - g, lower, upper) - x)))


def main():
    server = Server(sys.argv[1])
    print("| problem | n | box | nabla L-BFGS-B f / evaluations | SciPy L-BFGS-B f / evaluations |"
          " nabla max projected gradient | SciPy max projected gradient |")
    print("|---|---|---|---|---|---|---|")
    totals = {"nabla": [], "scipy": []}
    for row in csv.DictReader(sys.stdin):
        name, n = row["problem"], int(row["n"])
        lower, upper = float(row["lower"]), float(row["upper"])
        x0 = np.array([float(v) for v in row["x0"].split()])
        count = [0]

        def fun(x):
            count[0] += 1
            return server(name, x)

        bounds = [(None if math.isinf(lower) else lower, None if math.isinf(upper) else upper)] * n
        r = minimize(fun, x0, jac=True, method="L-BFGS-B", bounds=bounds)
        pg = projected_gradient_max(r.x, server(name, r.x)[1], lower, upper)
        totals["nabla"].append(int(row["evaluations"]))
        totals["scipy"].append(count[0])
        print(f"| {name} | {n} | [{lower:g}, {upper:g}] | {float(row['f']):.6g} / {row['evaluations']} |"
              f" {r.fun:.6g} / {count[0]} | {float(row['projected_gradient']):.1e} | {pg:.1e} |")
    print(f"| median evaluations | | | {np.median(totals['nabla']):g} | {np.median(totals['scipy']):g} | | |")


if __name__ == "__main__":
    main()
