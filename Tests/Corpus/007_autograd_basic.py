import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x ** 2 + 3 * x).sum()
y.backward()
print("y", y.item())
print("grad", x.grad.tolist())
print("is_leaf", x.is_leaf, y.is_leaf)

a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(5.0, requires_grad=True)
c = a * b + torch.exp(a) - b / a
c.backward()
print("c", round(c.item(), 5))
print("da", round(a.grad.item(), 5))
print("db", round(b.grad.item(), 5))

w = torch.ones(2, 2, requires_grad=True)
out = (w @ torch.tensor([[1.0], [2.0]])).mean()
out.backward()
print("dw", w.grad.tolist())
