import torch

x = torch.zeros(2, 3, 4)
print(x.shape)
print(x.size())
print("size_eq", x.shape == (2, 3, 4))
print("size_index", x.shape[1], x.shape[-1])
print("numel", x.shape.numel())
