import torch

a = torch.arange(12, dtype=torch.float32).reshape(2, 2, 3)
b = torch.ones(2, 3, 2)
out = torch.bmm(a, b)
print("shape", list(out.shape))
print("out", out.tolist())
print("method", a.bmm(b)[1].tolist())
print("baddbmm_like", (torch.bmm(a, b) + 1).sum().item())
