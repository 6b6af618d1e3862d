"""One gradient-descent step of linear regression, as the seed writes it:
prediction y = w x + b, loss MSE = mean((y - t)^2), on x = [1, 2, 3, 4],
t = [2.3, 4.1, 5.9, 8.2], from w = 0.5, b = 0 with rate 0.01. The gradient
comes from nabla.grad; the seed's formulas dMSE/dw = 2 mean((y - t) x) and
dMSE/db = 2 mean(y - t) check it."""

import numpy as np

import nabla

x = np.array([1.0, 2.0, 3.0, 4.0])
t = np.array([2.3, 4.1, 5.9, 8.2])
rate = 0.01


def mse(params):
    w, b = params[0], params[1]
    return np.mean((w * x + b - t) ** 2)


params = np.array([0.5, 0.0])
loss, gradient = nabla.value_and_grad(mse)(params)
residual = params[0] * x + params[1] - t
by_formula = np.array([2 * np.mean(residual * x), 2 * np.mean(residual)])
params_next = params - rate * gradient

print(f"MSE at w = 0.5, b = 0: {loss:.6f}")
print("gradient (nabla)  :", gradient)
print("gradient (formula):", by_formula)
print(f"after one step: w = {params_next[0]:.6f}, b = {params_next[1]:.6f}, MSE = {mse(params_next):.6f}")
