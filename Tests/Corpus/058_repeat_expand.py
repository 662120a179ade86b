import torch

x = torch.tensor([[1, 2]])
print("expand", x.expand(3, 2).tolist())
print("expand_neg", list(x.expand(4, -1).shape))
print("repeat", x.repeat(2, 3).tolist())
print("repeat_interleave", torch.tensor([1, 2, 3]).repeat_interleave(2).tolist())
print("expand_as", list(x.expand_as(torch.zeros(5, 2)).shape))
