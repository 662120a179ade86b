import torch

u = torch.tensor([1.0, 2.0, 3.0])
v = torch.tensor([4.0, -5.0, 6.0])
print("dot", torch.dot(u, v).item())
print("method", u.dot(v).item())
print("outer", torch.outer(u, v).tolist())
print("mv", torch.mv(torch.eye(3), v).tolist())
