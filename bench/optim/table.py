#!/usr/bin/python3
"""Turns the CSV rows of optim_bench mgh and scipy_mgh.py (stdin) into the
Markdown table of README.md: per problem, final f and evaluations of each
tool; a final f counts as reaching the minimum when it is within 1e-5 relative
(+1e-12) of f* or of a local minimum the paper reports. Then the like-for-like
counts from the traces of accepted iterates ("evaluations:f;..."): per pair
(nabla against SciPy), the evaluations each needs to first reach the worse of
the two final f (plus 1e-6 relative: the same f to the six digits printed;
rounding along two nearly equal paths differs by 1e-8 relative), and per tool the evaluations to first reach the known minimum
r (the f* or local minimum nabla's L-BFGS ends at; when not 0, taken to full
precision as the least final f of the tools that end there) within
1e-8 max(1, |r|)."""
import csv
import statistics
import sys

TOOLS = ["nabla_bfgs", "nabla_lbfgs", "scipy_bfgs", "scipy_lbfgsb", "liblbfgs", "nabla_lbfgs_scipy_stop"]
LOCAL = {"freudenstein_roth": [48.9842], "biggs_exp6": [5.65565e-3], "trigonometric": [2.79506e-5],
         "bard": [17.4286], "kowalik_osborne": [1.02734e-3], "brown_almost_linear": [1.0]}


def reached(name, f, f_star):
    return any(abs(f - t) <= 1e-5 * abs(t) + 1e-12 for t in [f_star] + LOCAL.get(name, []))


SLACK = 1e-6  # relative: f equal to six digits (the tables print six) counts as reached
PAIRS = [("nabla_lbfgs", "scipy_lbfgsb"), ("nabla_bfgs", "scipy_bfgs")]


def parse_trace(text):
    return [(int(e), float(f)) for e, f in (cell.split(":") for cell in text.split(";") if cell)]


def evaluations_to(trace, target):
    """Evaluations spent when an accepted iterate first has f <= target (None if never)."""
    return next((e for e, f in trace if f <= target), None)


def nearest_minimum(name, f, f_star):
    return min([f_star] + LOCAL.get(name, []), key=lambda t: abs(f - t))


def reference_minimum(name, traces, f_star):
    """The minimum nabla's L-BFGS ends at, to full precision: 0, or (the paper
    gives 6 digits) the least final f of the tools that end at the same minimum."""
    known = nearest_minimum(name, min(f for _, f in traces["nabla_lbfgs"]), f_star)
    if known == 0:
        return 0.0
    finals = [min(f for _, f in trace) for trace in traces.values()]
    return min(f for f in finals if abs(f - known) <= 1e-5 * abs(known) + 1e-12)


def median_cell(values):
    values = [v for v in values if v is not None]
    return f"{statistics.median(values):g} ({len(values)})" if values else "-"


def like_for_like(order, traces, table):
    """The second table and its medians: evaluations to a common f, and to the known minimum."""
    print("| problem | " + " | ".join(f"{a} vs {b}: common f, evaluations" for a, b in PAIRS) + " | r | "
          + " | ".join(f"{t} to r" for t in TOOLS) + " |")
    print("|---|" + "---|" * (len(PAIRS) + 1 + len(TOOLS)))
    to_common = {pair: ([], []) for pair in PAIRS}
    to_minimum = {t: [] for t in TOOLS}
    both_at_minimum = []
    for name in order:
        cells = []
        for a, b in PAIRS:
            worse = max(min(f for _, f in traces[name][a]), min(f for _, f in traces[name][b]))
            target = worse + SLACK * abs(worse)
            ea, eb = evaluations_to(traces[name][a], target), evaluations_to(traces[name][b], target)
            to_common[(a, b)][0].append(ea)
            to_common[(a, b)][1].append(eb)
            cells.append(f"{target:.6g}: {ea} vs {eb}")
        r = reference_minimum(name, traces[name], table[name]["f_star"])
        tolerance = r + 1e-8 * max(1.0, abs(r))
        reach = {t: evaluations_to(traces[name][t], tolerance) for t in TOOLS}
        for t in TOOLS:
            to_minimum[t].append(reach[t])
        if reach["nabla_lbfgs"] is not None and reach["scipy_lbfgsb"] is not None:
            both_at_minimum.append((reach["nabla_lbfgs"], reach["scipy_lbfgsb"]))
        cells.append(f"{r:.6g}")
        cells += ["-" if reach[t] is None else str(reach[t]) for t in TOOLS]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    print("Medians (number of problems counted in parentheses):")
    print()
    print("| | " + " | ".join(TOOLS) + " |")
    print("|---|" + "---|" * len(TOOLS))
    for a, b in PAIRS:
        cells = {a: median_cell(to_common[(a, b)][0]), b: median_cell(to_common[(a, b)][1])}
        print(f"| to the worse final f of {a} and {b} | " + " | ".join(cells.get(t, "") for t in TOOLS) + " |")
    print("| to r + 1e-8 max(1, abs(r)), where the tool gets there | " + " | ".join(median_cell(to_minimum[t]) for t in TOOLS) + " |")
    cells = {"nabla_lbfgs": median_cell([x for x, _ in both_at_minimum]),
             "scipy_lbfgsb": median_cell([y for _, y in both_at_minimum])}
    print("| to r + 1e-8 max(1, abs(r)), problems where both L-BFGS get there | " + " | ".join(cells.get(t, "") for t in TOOLS) + " |")
    wins = sum(1 for x, y in zip(*to_common[PAIRS[0]]) if x < y)
    ties = sum(1 for x, y in zip(*to_common[PAIRS[0]]) if x == y)
    print()
    print(f"nabla_lbfgs needs fewer evaluations than scipy_lbfgsb to the common f on {wins} of {len(order)} problems, "
          f"as many on {ties}.")


def main():
    rows = [r for r in csv.DictReader(line for line in sys.stdin if not line.startswith("#"))
            if r["problem"] != "problem"]
    table = {}
    traces = {}
    order = []
    for r in rows:
        if r["problem"] not in table:
            order.append(r["problem"])
            table[r["problem"]] = {"n": r["n"], "f_star": float(r["f_star"])}
        table[r["problem"]][r["tool"]] = (float(r["f"]), int(r["evaluations"]))
        traces.setdefault(r["problem"], {})[r["tool"]] = parse_trace(r["trace"])
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
    print()
    like_for_like(order, traces, table)


if __name__ == "__main__":
    main()
