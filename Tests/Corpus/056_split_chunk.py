import torch

x = torch.arange(10)
print("split", [t.tolist() for t in torch.split(x, 4)])
print("split_sizes", [t.tolist() for t in x.split([2, 3, 5])])
print("chunk", [t.tolist() for t in torch.chunk(x, 3)])
m = torch.arange(12).reshape(3, 4)
a, b = m.chunk(2, dim=1)
print("chunk_dim", a.tolist(), b.tolist())
print("unbind", [t.tolist() for t in m.unbind(0)])
