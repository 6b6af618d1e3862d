"""PyTorch side of bench/nn: the same tasks on the same data as nn_bench.

Reads the matrices nn_bench wrote (raw float32, shapes in meta.txt), trains
the same architecture with the same optimizer, batch size and epochs on
torch.set_num_threads(threads), and prints one JSON line per task like
nn_bench does. Run with Debian's /usr/bin/python3 (python3-torch 1.13).
"""
import json
import sys
import time

import numpy as np
import torch


def load(work, name):
    with open(f"{work}/{name}.meta") as f:
        rows, cols = (int(v) for v in f.read().split())
    return np.fromfile(f"{work}/{name}.f32", dtype=np.float32).reshape(rows, cols)


def mlp(widths):
    layers = []
    for k in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[k], widths[k + 1]))
        if k + 2 < len(widths):
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def main():
    work, task, threads, epochs, batch, method, lr = sys.argv[1:8]
    threads, epochs, batch, lr = int(threads), int(epochs), int(batch), float(lr)
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    xtr = torch.from_numpy(load(work, f"{task}_xtrain"))
    ytr = torch.from_numpy(load(work, f"{task}_ytrain")).long().view(-1)
    xte = torch.from_numpy(load(work, f"{task}_xtest"))
    yte = torch.from_numpy(load(work, f"{task}_ytest")).long().view(-1)
    widths = [int(w) for w in sys.argv[8].split("-")]
    model = mlp(widths)
    opt = (torch.optim.Adam(model.parameters(), lr=lr) if method == "adam"
           else torch.optim.SGD(model.parameters(), lr=lr))
    loss_fn = torch.nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(0)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(xtr.shape[0], generator=g)
        for b in range(0, xtr.shape[0], batch):
            idx = order[b:b + batch]
            opt.zero_grad()
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - start)
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte).float().mean().item()
    print(json.dumps({"tool": "pytorch", "task": task, "widths": sys.argv[8], "threads": threads, "epochs": epochs,
                      "seconds_per_epoch": sum(times) / len(times),
                      "median_epoch": sorted(times)[len(times) // 2], "test_accuracy": acc}))


if __name__ == "__main__":
    main()
