import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
d = y.detach()
c = y.clone()
print("detach", d.requires_grad, "clone", c.requires_grad)
(c.sum() * 2).backward()
print("grad_through_clone", x.grad.tolist())
d[0] = 100.0
print("detach_shares", y[0].item())
z = x.detach().clone()
z += 1
print("independent", x.tolist(), z.tolist())
print("item_no_grad", x.sum().item())
print("numpy_like", x.detach().tolist())
