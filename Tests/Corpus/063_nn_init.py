import torch
import torch.nn as nn

layer = nn.Linear(3, 3)
nn.init.constant_(layer.weight, 0.5)
nn.init.zeros_(layer.bias)
print("constant", layer.weight.tolist())
print("zeros", layer.bias.tolist())
nn.init.ones_(layer.bias)
print("ones", layer.bias.tolist())
nn.init.eye_(layer.weight)
print("eye", layer.weight.tolist())
w = torch.empty(4, 5)
nn.init.xavier_uniform_(w)
bound = (6 / (4 + 5)) ** 0.5
print("xavier_bounded", bool((w.abs() <= bound).all()))
nn.init.kaiming_normal_(w)
print("kaiming_shape", list(w.shape))
