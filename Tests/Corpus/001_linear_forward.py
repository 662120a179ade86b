import torch
import torch.nn as nn

layer = nn.Linear(3, 2)
with torch.no_grad():
    layer.weight.copy_(torch.tensor([[0.1, 0.2, 0.3], [-0.4, 0.5, -0.6]]))
    layer.bias.copy_(torch.tensor([0.01, -0.02]))

x = torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
y = layer(x)
print("shape", list(y.shape))
print("out", y.tolist())
print("weight_shape", list(layer.weight.shape))
print("bias_shape", list(layer.bias.shape))
print("numel", sum(p.numel() for p in layer.parameters()))
print("requires_grad", y.requires_grad)
