import torch

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print("cumsum", x.cumsum(dim=1).tolist())
print("cumsum0", torch.cumsum(x, dim=0).tolist())
print("prod", x.prod().item())
print("prod_dim", x.prod(dim=1).tolist())
print("cumprod", torch.cumprod(x[0], dim=0).tolist())
