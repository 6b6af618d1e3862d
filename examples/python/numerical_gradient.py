"""The seed's numerical gradient of f(x, y) = x^2 y + e^{xy} at (1, 2), by
central differences with Richardson extrapolation, beside reverse-mode AD
and the symbolic gradient: three independent methods that agree."""

import numpy as np

import nabla


def f_numpy(v):
    return v[0] ** 2 * v[1] + np.exp(v[0] * v[1])


def f_traced(v):
    return v[0] ** 2 * v[1] + nabla.exp(v[0] * v[1])


point = np.array([1.0, 2.0])
numeric, error = nabla.numdiff.gradient(f_numpy, point, with_error=True)
automatic = nabla.grad(f_traced)(point)
symbolic = nabla.gradient("x^2*y + exp(x*y)")
exact = [nabla.evaluate(g, x=1.0, y=2.0) for g in symbolic]

print("symbolic gradient:", [str(g) for g in symbolic])
print("numerical  :", numeric, "+/-", error)
print("automatic  :", automatic)
print("symbolic   :", np.array(exact))
print("largest difference:", np.max(np.abs(numeric - automatic)))
