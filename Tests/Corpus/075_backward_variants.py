import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x * x
out = (h * torch.tensor([1.0, 0.5, 0.25])).sum()
out.backward()
print("x_grad", x.grad.tolist())
y = torch.tensor(2.0, requires_grad=True)
z = y ** 2
z.backward(retain_graph=True)
z.backward()
print("twice", y.grad.item())
w = torch.tensor([1.0, 2.0], requires_grad=True)
v = w * 2
v.backward(torch.tensor([1.0, 10.0]))
print("vector_backward", w.grad.tolist())
