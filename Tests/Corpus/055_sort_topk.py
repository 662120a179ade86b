import torch

x = torch.tensor([3.0, 1.0, 4.0, 1.5, 5.0, 9.0, 2.0])
values, indices = torch.sort(x)
print("sorted", values.tolist(), indices.tolist())
values, indices = x.sort(descending=True)
print("desc", values.tolist(), indices.tolist())
v, i = torch.topk(x, 3)
print("topk", v.tolist(), i.tolist())
print("argsort", torch.argsort(x).tolist())
m = torch.tensor([[3, 1, 2], [9, 7, 8]])
print("sort_dim", torch.sort(m, dim=1).values.tolist())
