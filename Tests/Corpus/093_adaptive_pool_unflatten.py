import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.arange(32, dtype=torch.float32).reshape(1, 2, 4, 4)
print("adaptive_avg", nn.AdaptiveAvgPool2d((1, 1))(x).flatten().tolist())
print("adaptive_avg_2", F.adaptive_avg_pool2d(x, 2)[0, 0].tolist())
print("adaptive_max", nn.AdaptiveMaxPool2d(1)(x).flatten().tolist())
print("unflatten", list(nn.Unflatten(1, (3, 4))(torch.zeros(2, 12)).shape))
