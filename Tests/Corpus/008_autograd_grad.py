import torch

x = torch.tensor(1.5, requires_grad=True)
y = x ** 3
(dy,) = torch.autograd.grad(y, x, create_graph=True)
(d2y,) = torch.autograd.grad(dy, x)
print("y", y.item())
print("dy", dy.item())
print("d2y", d2y.item())
print("x_grad_is_none", x.grad is None)

u = torch.tensor([1.0, 2.0], requires_grad=True)
v = torch.tensor([3.0, 4.0], requires_grad=True)
f = (u * v).sum() + (u ** 2).sum()
gu, gv = torch.autograd.grad(f, [u, v])
print("gu", gu.tolist())
print("gv", gv.tolist())
