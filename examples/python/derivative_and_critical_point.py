"""The seed's SymPy snippet, done with nabla: the derivative of the cost
J(w) = w^2 - 4w + 5, where it vanishes, and what the second derivative says
about that point."""

import nabla

w = nabla.symbols("w")
cost = w ** 2 - 4 * w + 5
slope = nabla.diff(cost, w)
print("J(w)   =", cost)
print("J'(w)  =", slope)

# J' is linear, a*w + b: its root is -b/a.
b = nabla.evaluate(slope, w=0)
a = nabla.evaluate(slope, w=1) - b
w_star = -b / a
curvature = nabla.evaluate(nabla.diff(cost, w, 2), w=w_star)
kind = "minimum" if curvature > 0 else "maximum" if curvature < 0 else "inconclusive"
print(f"J'(w) = 0 at w = {w_star:g}; J''({w_star:g}) = {curvature:g}: a {kind}, J = {nabla.evaluate(cost, w=w_star):g}")
