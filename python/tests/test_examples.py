"""The seeds' Python examples (examples/python) run and print the answers
the seeds' formulas give."""

import os
import pathlib
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"


def run(name):
    done = subprocess.run([sys.executable, str(EXAMPLES / name)], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_derivative_and_critical_point():
    out = run("derivative_and_critical_point.py")
    assert "J'(w)  = 2*w - 4" in out
    assert "at w = 2; J''(2) = 2: a minimum, J = 1" in out


def test_numerical_gradient():
    out = run("numerical_gradient.py")
    assert out.count("[18.7781122  8.3890561]") == 3


def test_linear_regression_step():
    out = run("linear_regression_step.py")
    # dMSE/dw = 2 mean((0.5 x - t) x) = -23, dMSE/db = 2 mean(0.5 x - t) = -7.75
    assert "gradient (nabla)  : [-23.    -7.75]" in out
    assert "w = 0.730000, b = 0.077500" in out


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.py")))
def test_every_example_runs(name):
    run(name)
