import torch
import torch.nn as nn
import torch.nn.functional as F

labels = torch.tensor([0, 2, 1])
print("one_hot", F.one_hot(labels, num_classes=3).tolist())
print("one_hot_infer", F.one_hot(torch.tensor([1, 3])).shape)
x = torch.linspace(-2.0, 2.0, 5)
print("dropout_eval", F.dropout(x, p=0.5, training=False).tolist())
print("dropout_p0", F.dropout(x, p=0.0).tolist())
print("silu_module", [round(v, 5) for v in nn.SiLU()(x).tolist()])
print("identity", nn.Identity()(x).tolist())
net = nn.Sequential(nn.Linear(5, 5), nn.SiLU(), nn.Identity())
print("modules", [type(m).__name__ for m in net])
