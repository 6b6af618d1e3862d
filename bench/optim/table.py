#!/usr/bin/python3
"""Turns the CSV rows of optim_bench mgh and scipy_mgh.py (stdin) into the
Markdown table of README.md: per problem, final f and evaluations of each
tool; a final f counts as reaching the minimum when it is within 1e-5 relative
(+1e-12) of f* or of a local minimum the paper reports."""
import csv
import statistics
import sys

TOOLS = ["nabla_bfgs", "nabla_lbfgs", "scipy_bfgs", "scipy_lbfgsb", "liblbfgs"]
LOCAL = {"freudenstein_roth": [48.9842], "biggs_exp6": [5.65565e-3], "trigonometric": [2.79506e-5],
         "bard": [17.4286], "kowalik_osborne": [1.02734e-3], "brown_almost_linear": [1.0]}


def reached(name, f, f_star):
    return any(abs(f - t) <= 1e-5 * abs(t) + 1e-12 for t in [f_star] + LOCAL.get(name, []))


def main():
    rows = [r for r in csv.DictReader(line for line in sys.stdin if not line.startswith("#"))
            if r["problem"] != "problem"]
    table = {}
    order = []
    for r in rows:
        if r["problem"] not in table:
            order.append(r["problem"])
            table[r["problem"]] = {"n": r["n"], "f_star": float(r["f_star"])}
        table[r["problem"]][r["tool"]] = (float(r["f"]), int(r["evaluations"]))
    print("| problem | n | f* | " + " | ".join(TOOLS) + " |")
    print("|---|---|---|" + "---|" * len(TOOLS))
    misses = {t: [] for t in TOOLS}
    evals = {t: [] for t in TOOLS}
    for name in order:
        row = table[name]
        cells = []
        for t in TOOLS:
            if t not in row:
                cells.append("-")
                continue
            f, e = row[t]
            ok = reached(name, f, row["f_star"])
            if not ok:
                misses[t].append(name)
            evals[t].append(e)
            cells.append(f"{f:.6g} / {e}" + ("" if ok else " **x**"))
        print(f"| {name} | {row['n']} | {row['f_star']:.6g} | " + " | ".join(cells) + " |")
    print()
    print("| | " + " | ".join(TOOLS) + " |")
    print("|---|" + "---|" * len(TOOLS))
    print("| median evaluations | " + " | ".join(f"{statistics.median(evals[t]):g}" if evals[t] else "-" for t in TOOLS) + " |")
    print("| total evaluations | " + " | ".join(f"{sum(evals[t])}" for t in TOOLS) + " |")
    print("| problems not at a known minimum | " + " | ".join(", ".join(misses[t]) or "none" for t in TOOLS) + " |")


if __name__ == "__main__":
    main()
