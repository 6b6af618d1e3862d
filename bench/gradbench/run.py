#!/usr/bin/env python3
"""Times nabla-gradbench on GradBench's modules at the evals' standard sizes.

Spawns the tool, speaks the GradBench protocol to it (start, define, then an
evaluate of the primal and one of the derivative per input) and prints, per
input, the median time of each and their ratio J/f. Inputs are generated
deterministically (Python's random, seed 31337) with the sizes and the
distributions of each eval's generator; the evals' own data files (ADBench's
ba and lstm files) and numpy are not available here, so the values differ
from GradBench's, the sizes do not.

usage: run.py TOOL [--min-runs N] [--min-seconds S] [--rounds R] [--only MODULE ...] [--dump DIR]
"""
import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys


def rng():
    return random.Random(31337)


def llsq_inputs():
    for n in [1024, 4096, 16392]:
        r = rng()
        yield f"n={n},m=128", {"x": [r.random() for _ in range(128)], "n": n}


def lse_inputs():
    for n in [10000, 160000, 1280000]:
        r = rng()
        yield f"n={n}", {"x": [r.random() for _ in range(n)]}


def gmm_input(d, k, n):
    # As the eval's data_gen: alpha, q, l, x normal(0, 1); means uniform(0, 1).
    r = rng()
    return {
        "d": d, "k": k, "n": n,
        "alpha": [r.gauss(0, 1) for _ in range(k)],
        "mu": [[r.random() for _ in range(d)] for _ in range(k)],
        "q": [[r.gauss(0, 1) for _ in range(d)] for _ in range(k)],
        "l": [[r.gauss(0, 1) for _ in range(d * (d - 1) // 2)] for _ in range(k)],
        "x": [[r.gauss(0, 1) for _ in range(d)] for _ in range(n)],
        "gamma": 1.0, "m": 0,
    }


def gmm_inputs():
    for d, k in [(2, 5), (10, 25), (20, 50), (32, 50), (64, 100)]:
        yield f"d={d},k={k},n=1000", gmm_input(d, k, 1000)


def ba_inputs():
    # ADBench's ba1 and ba2 sizes; one camera, point, weight and feature replicated.
    r = rng()
    cam = [r.uniform(-0.1, 0.1) for _ in range(3)] + [r.uniform(-1, 1), r.uniform(-1, 1), -10.0]
    cam += [r.uniform(300, 500), r.uniform(-1, 1), r.uniform(-1, 1), r.uniform(-1e-3, 1e-3), r.uniform(-1e-6, 1e-6)]
    x = [r.uniform(-1, 1) for _ in range(3)]
    for name, n, m, p in [("ba1", 49, 7776, 31843), ("ba2", 21, 11315, 36455)]:
        yield f"{name}_n{n}_m{m}_p{p}", {"n": n, "m": m, "p": p, "cam": cam, "x": x, "w": r.uniform(0.5, 1.5),
                                          "feat": [r.uniform(-1, 1), r.uniform(-1, 1)]}


def lstm_inputs():
    b = 14  # ADBench's lstm files: 14 characters
    for l in [2, 4]:
        for c in [1024, 4096]:
            r = rng()
            seq = []
            for _ in range(c):
                row = [0.0] * b
                row[r.randrange(b)] = 1.0
                seq.append(row)
            yield f"l={l},c={c}", {
                "main_params": [[r.gauss(0, 1) for _ in range(4 * b)] for _ in range(2 * l)],
                "extra_params": [[r.gauss(0, 1) for _ in range(b)] for _ in range(3)],
                "state": [[r.gauss(0, 1) for _ in range(b)] for _ in range(2 * l)],
                "sequence": seq,
            }


def ode_inputs():
    for n, s in [(1000, 100), (10000, 100), (100000, 10)]:
        r = rng()
        yield f"n={n},s={s}", {"x": [r.random() for _ in range(n)], "s": s}


def det_inputs():
    for ell in [5, 7, 9, 10]:
        r = rng()
        yield f"ell={ell}", {"A": [r.random() for _ in range(ell * ell)], "ell": ell}


def mat_mul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(4)) for j in range(4)] for i in range(4)]


def rigid(axis, angle, t):
    # 4 x 4 rows: rotation by `angle` about the unit `axis` (Rodrigues), then translation t.
    x, y, z = axis
    c, s = math.cos(angle), math.sin(angle)
    d = 1 - c
    rot = [[c + x * x * d, x * y * d - z * s, x * z * d + y * s],
           [y * x * d + z * s, c + y * y * d, y * z * d - x * s],
           [z * x * d - y * s, z * y * d + x * s, c + z * z * d]]
    return [rot[0] + [t[0]], rot[1] + [t[1]], rot[2] + [t[2]], [0.0, 0.0, 0.0, 1.0]]


def rigid_inverse(m):
    rt = [[m[j][i] for j in range(3)] for i in range(3)]
    t = [-sum(rt[i][k] * m[k][3] for k in range(3)) for i in range(3)]
    return [rt[0] + [t[0]], rt[1] + [t[1]], rt[2] + [t[2]], [0.0, 0.0, 0.0, 1.0]]


def ht_model(r, bones=22, vertices=544, triangles=1084):
    # ADBench's bone layout: 0 the forearm root, 1 the palm, then per finger 4
    # bones in a chain from the palm. Joint transforms are rigid (a small
    # rotation, a bone-length offset); vertices sit around their bone and are
    # weighted on it and its parent; triangles join neighbouring vertices.
    parents = [-1, 0] + [1 if (b - 2) % 4 == 0 else b - 1 for b in range(2, bones)]
    relatives, absolutes = [], []
    for b in range(bones):
        axis = [r.gauss(0, 1) for _ in range(3)]
        norm = math.sqrt(sum(a * a for a in axis))
        finger = (b - 2) // 4
        t = [0.0, 0.0, 0.0] if b == 0 else [0.0, 8.0, 0.0] if b == 1 else \
            [2.0 * (finger - 2), 3.0, 0.0] if (b - 2) % 4 == 0 else [0.0, r.uniform(2.0, 4.0), 0.0]
        rel = rigid([a / norm for a in axis], r.uniform(-0.2, 0.2), t)
        relatives.append(rel)
        absolutes.append(rel if parents[b] < 0 else mat_mul(absolutes[parents[b]], rel))
    owner = [1 + (v * (bones - 1)) // vertices for v in range(vertices)]  # bones 1..21, in order
    positions, weights = [], []
    for v in range(vertices):
        b = owner[v]
        positions.append([absolutes[b][i][3] + r.gauss(0, 1.0) for i in range(3)] + [1.0])
        w = [0.0] * bones
        own = r.uniform(0.5, 1.0)
        w[b] = own
        if own < 1.0:
            w[parents[b]] += 1.0 - own
        weights.append(w)
    tris = []
    for _ in range(triangles):
        i = r.randrange(vertices - 4)
        tris.append([i, i + 1, i + 2 + r.randrange(3)])
    return {
        "bone_count": bones, "bone_names": [f"bone{b}" for b in range(bones)], "parents": parents,
        "base_relatives": relatives, "inverse_base_absolutes": [rigid_inverse(a) for a in absolutes],
        "base_positions": positions, "weights": weights, "triangles": tris, "is_mirrored": False,
    }


def ht_inputs():
    # ADBench's hand files: the small model (22 bones, 544 vertices), 26
    # parameters, n correspondences from hand1_t26_c100 .. hand12_t26_c100000
    # (GradBench runs hand1 and hand2 by default); "simple" (us empty) and
    # "complicated" (a triangle and u0, u1 per correspondence).
    r = rng()
    model = ht_model(r)
    theta = [r.uniform(-0.5, 0.5) for _ in range(26)]
    for complicated in [False, True]:
        for n in [100, 192, 1600, 12800]:
            r = rng()
            count = len(model["triangles"]) if complicated else len(model["base_positions"])
            corr = [r.randrange(count) for _ in range(n)]
            points = [[r.gauss(0, 10) for _ in range(3)] for _ in range(n)]
            us = []
            if complicated:
                for _ in range(n):
                    u0 = r.random()
                    us.append([u0, r.uniform(0, 1 - u0)])
            name = ("complicated" if complicated else "simple") + f"_small,n={n}"
            yield name, {"theta": theta, "us": us,
                         "data": {"model": model, "correspondences": corr, "points": points}}


MODULES = {
    # module: (inputs, primal function, derivative function)
    "llsq": (llsq_inputs, "primal", "gradient"),
    "lse": (lse_inputs, "primal", "gradient"),
    "gmm": (gmm_inputs, "objective", "jacobian"),
    "ba": (ba_inputs, "objective", "jacobian"),
    "lstm": (lstm_inputs, "objective", "jacobian"),
    "ode": (ode_inputs, "primal", "gradient"),
    "det": (det_inputs, "primal", "gradient"),
    "ht": (ht_inputs, "objective", "jacobian"),
}


class Tool:
    def __init__(self, command):
        self.proc = subprocess.Popen([command], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.id = 0

    def send(self, message):
        message = {"id": self.id} | message
        self.id += 1
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()
        response = json.loads(self.proc.stdout.readline())
        if response.get("id") != message["id"]:
            raise RuntimeError(f"response {response} to message {message['id']}")
        return response


def median_ns(response):
    if not response.get("success"):
        raise RuntimeError(response.get("error"))
    return statistics.median(t["nanoseconds"] for t in response["timings"] if t["name"] == "evaluate")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tool")
    parser.add_argument("--min-runs", type=int, default=3)
    parser.add_argument("--min-seconds", type=float, default=1.0)
    parser.add_argument("--only", nargs="+", default=list(MODULES))
    parser.add_argument("--dump", metavar="DIR", help="also write each input to DIR/<module>_<input>.json")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="time primal and derivative alternately this many times; J/f is the median of the rounds' ratios",
    )
    args = parser.parse_args()
    tool = Tool(args.tool)
    tool.send({"kind": "start", "eval": "nabla-bench"})
    runs = {"min_runs": args.min_runs, "min_seconds": args.min_seconds}
    print("| module | input | primal (ms) | derivative (ms) | J/f |")
    print("|---|---|---:|---:|---:|")
    for module in args.only:
        inputs, primal, derivative = MODULES[module]
        if not tool.send({"kind": "define", "module": module}).get("success"):
            raise RuntimeError(f"{module} not defined")
        for name, data in inputs():
            if args.dump:
                os.makedirs(args.dump, exist_ok=True)
                with open(os.path.join(args.dump, f"{module}_{name}.json"), "w") as out:
                    json.dump(data, out)
            # Each round times the two back to back, so that a slow spell of
            # the (shared) machine hits both sides of its ratio.
            fs, js = [], []
            for _ in range(max(1, args.rounds)):
                request = {"kind": "evaluate", "module": module, "input": data | runs}
                fs.append(median_ns(tool.send(request | {"function": primal})))
                js.append(median_ns(tool.send(request | {"function": derivative})))
            f, j = statistics.median(fs), statistics.median(js)
            ratio = statistics.median(jn / fn for fn, jn in zip(fs, js))
            print(f"| {module} | {name} | {f / 1e6:.4f} | {j / 1e6:.4f} | {ratio:.1f} |", flush=True)
    tool.proc.stdin.close()
    tool.proc.wait()


if __name__ == "__main__":
    sys.exit(main())
