import torch

a = torch.arange(3, dtype=torch.float32).reshape(3, 1)
b = torch.arange(4, dtype=torch.float32)
c = a + b
print("shape", list(c.shape))
print("sum", c.tolist())
print("mul", (a * b).tolist())
row = torch.tensor([1.0, 10.0, 100.0, 1000.0])
m = torch.ones(2, 3, 4)
print("3d_shape", list((m * row).shape))
print("3d_total", (m * row).sum().item())
print("scalar", (b * 2 + 1).tolist())
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
mean = x.mean(dim=0, keepdim=True)
print("centered", (x - mean).tolist())
print("normalized_rows", (x / x.sum(dim=1, keepdim=True)).tolist())
