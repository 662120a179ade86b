import torch

x = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0])
print("where", torch.where(x > 0, x, torch.zeros_like(x)).tolist())
print("where_scalar", torch.where(x < 0, -1.0, 1.0).tolist())
print("clamp", x.clamp(-1.0, 1.0).tolist())
print("clamp_min", torch.clamp(x, min=0.0).tolist())
print("clamp_max", x.clamp(max=0.25).tolist())
y = x.clone()
y.clamp_(min=-0.1)
print("clamp_", y.tolist())
print("relu_eq", bool((torch.relu(x) == x.clamp(min=0)).all()))
