import torch

x = torch.tensor([[0, 1, 0], [2, 0, 3]])
print("nonzero", torch.nonzero(x).tolist())
print("as_tuple", [t.tolist() for t in torch.nonzero(x, as_tuple=True)])
print("method", (x > 1).nonzero().tolist())
print("count_nonzero", torch.count_nonzero(x).item())
