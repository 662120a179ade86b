import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0])
print("relu", F.relu(x).tolist())
print("relu_module", nn.ReLU()(x).tolist())
print("sigmoid", [round(v, 6) for v in torch.sigmoid(x).tolist()])
print("tanh", [round(v, 6) for v in nn.Tanh()(x).tolist()])
print("gelu", [round(v, 5) for v in nn.GELU()(x).tolist()])
print("sigmoid_module", [round(v, 6) for v in nn.Sigmoid()(x).tolist()])
x.requires_grad_(True)
F.relu(x).sum().backward()
print("relu_grad", x.grad.tolist())
