import torch


def f(x):
    return (torch.tanh(x) * x ** 2).sum() + (x[0] * x[1]) ** 2


x = torch.tensor([0.3, -0.7, 1.1], dtype=torch.float64, requires_grad=True)
y = f(x)
(g,) = torch.autograd.grad(y, x)
eps = 1e-6
numeric = []
for i in range(3):
    d = torch.zeros(3, dtype=torch.float64)
    d[i] = eps
    numeric.append(((f(x.detach() + d) - f(x.detach() - d)) / (2 * eps)).item())
print("analytic", [round(v, 6) for v in g.tolist()])
print("numeric", [round(v, 6) for v in numeric])
print("match", max(abs(a - b) for a, b in zip(g.tolist(), numeric)) < 1e-6)
print("dtype", g.dtype)
