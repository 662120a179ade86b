import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0])
print("relu", F.relu(x).tolist())
print("leaky_relu", F.leaky_relu(x, 0.1).tolist())
print("elu", [round(v, 5) for v in F.elu(x).tolist()])
print("gelu", [round(v, 5) for v in F.gelu(x).tolist()])
print("silu", [round(v, 5) for v in F.silu(x).tolist()])
print("softplus", [round(v, 5) for v in F.softplus(x).tolist()])
print("hardtanh", F.hardtanh(x).tolist())
print("modules", nn.LeakyReLU(0.2)(x).tolist())
