import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x * x
h.retain_grad()
out = (h * torch.tensor([1.0, 0.5, 0.25])).sum()
out.backward()
print("h_grad", h.grad.tolist())
print("x_grad", x.grad.tolist())
print("retains", h.retains_grad)
