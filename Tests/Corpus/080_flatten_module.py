import torch
import torch.nn as nn

x = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4)
print("flatten", list(nn.Flatten()(x).shape))
print("flatten_all", list(nn.Flatten(0)(x).shape))
print("identity", nn.Identity()(x) is x or bool((nn.Identity()(x) == x).all()))
print("torch_flatten", list(torch.flatten(x, start_dim=1).shape))
