import torch

x = torch.arange(12, dtype=torch.float32).reshape(3, 4)
print("new_zeros", x.new_zeros(2).tolist(), x.new_zeros(2).dtype)
print("new_tensor", x.new_tensor([1, 2]).dtype)
print("narrow", x.narrow(1, 1, 2).tolist())
print("masked_select", x.masked_select(x > 8).tolist())
print("unique", torch.tensor([3, 1, 3, 2, 1]).unique().tolist())
print("median", torch.tensor([3.0, 1.0, 2.0]).median().item())
