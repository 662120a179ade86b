import torch

m = torch.arange(9, dtype=torch.float32).reshape(3, 3)
print("diag", m.diag().tolist(), torch.diag(m).tolist())
print("diag_embed", torch.diag(torch.tensor([1.0, 2.0])).tolist())
print("trace", m.trace().item())
