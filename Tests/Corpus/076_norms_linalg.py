import torch

v = torch.tensor([3.0, 4.0])
print("norm", v.norm().item(), torch.norm(v).item())
print("norm_p1", v.norm(p=1).item())
m = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
print("norm_dim", [round(x, 5) for x in m.norm(dim=1).tolist()])
print("linalg_norm", round(torch.linalg.norm(m).item(), 5))
print("outer", torch.outer(v, v).tolist())
print("det", round(torch.linalg.det(m).item(), 5))
print("inv", [[round(x, 5) for x in r] for r in torch.linalg.inv(m).tolist()])
