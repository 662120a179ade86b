import torch

x = torch.tensor([[4.0, -1.0, 2.5], [0.0, 3.0, -2.0]])
print("any_dim", (x > 3).any(dim=1).tolist())
print("all_dim", (x > -1.5).all(dim=0).tolist())
print("any_keepdim", list((x > 0).any(1, keepdim=True).shape))
print("torch_any", torch.any(x > 3).item(), torch.all(x > -3).item())
