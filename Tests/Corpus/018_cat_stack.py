import torch

a = torch.tensor([[1, 2], [3, 4]])
b = torch.tensor([[5, 6]])
print("cat0", torch.cat([a, b], dim=0).tolist())
print("cat1", torch.cat([a, a], dim=1).tolist())
print("stack0", list(torch.stack([a, a]).shape))
print("stack1", torch.stack([a, a * 10], dim=1).tolist())
print("stack_last", torch.stack([a, -a], dim=-1).tolist())
parts = [torch.full((2,), float(i)) for i in range(3)]
print("cat_list", torch.cat(parts).tolist())
print("dtype", torch.cat([a, b]).dtype)
print("vstack_like", list(torch.cat([x.unsqueeze(0) for x in parts]).shape))
