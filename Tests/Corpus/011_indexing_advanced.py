import torch

x = torch.arange(12, dtype=torch.float32).reshape(3, 4)
mask = x > 5
print("mask_count", mask.sum().item())
print("masked", x[mask].tolist())
print("rows", x[[0, 2]].tolist())
print("pairs", x[[0, 1, 2], [3, 2, 1]].tolist())
idx = torch.tensor([2, 0])
print("tensor_idx", x[idx].tolist())
print("cols", x[:, idx].tolist())
x[x < 3] = 0.0
print("after_mask_assign", x.tolist())
labels = torch.tensor([1, 0, 3])
print("gathered", x[torch.arange(3), labels].tolist())
