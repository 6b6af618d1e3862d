"""Long compiled runs stop on Ctrl-C, and a process that trained on threads
can fork: what a notebook or a multiprocessing pool needs."""

import ctypes
import os
import signal
import subprocess
import time

import numpy as np
import pytest

import nabla
from nabla import nn


def interrupt_after(seconds):
    """Sends SIGINT to this process after `seconds`, as a terminal's Ctrl-C
    does: from another process (a Python thread could not run while the
    compiled loop holds the interpreter)."""
    return subprocess.Popen(["sh", "-c", f"sleep {seconds}; kill -INT {os.getpid()}"])


@pytest.mark.parametrize("fun", ["(1-x)^2 + 100*(y-x^2)^2",
                                 lambda v: (1 - v[0]) ** 2 + 100 * (v[1] - v[0] ** 2) ** 2])
def test_ctrl_c_stops_a_long_minimize(fun):
    # compiled gradient descent at a tiny rate: billions of iterations
    sender = interrupt_after(0.3)
    start = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            nabla.minimize(fun, [-1.2, 1.0], method="gd", lr=1e-9, max_iter=10**9, gtol=0, ftol=0, xtol=0)
    finally:
        sender.wait()
    assert time.monotonic() - start < 30


def test_ctrl_c_stops_a_long_fit():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    sender = interrupt_after(0.3)
    start = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            nn.MLP([4]).fit(x, y, epochs=10**8)
    finally:
        sender.wait()
    assert time.monotonic() - start < 30


def test_a_fork_after_a_threaded_fit_trains_and_exits():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(4000, 200)), rng.integers(0, 2, size=4000)
    nn.MLP([256]).fit(x, y, epochs=1, batch_size=4000, threads=2)  # the pool has a worker now
    child = os.fork()
    if child == 0:
        code = 1
        try:
            nn.MLP([256]).fit(x, y, epochs=1, batch_size=4000, threads=2)
            code = 0
        finally:
            # C's exit, as at the end of a script: the extension's static
            # destructors run (pytest must not go on in the child)
            ctypes.CDLL(None).exit(code)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done, status = os.waitpid(child, os.WNOHANG)
        if done:
            assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
            return
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    pytest.fail("the forked child hung")

