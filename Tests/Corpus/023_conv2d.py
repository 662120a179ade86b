import torch
import torch.nn as nn

conv = nn.Conv2d(in_channels=2, out_channels=3, kernel_size=3, padding=1)
with torch.no_grad():
    conv.weight.copy_(torch.linspace(-1, 1, conv.weight.numel()).reshape(conv.weight.shape))
    conv.bias.copy_(torch.tensor([0.0, 0.5, -0.5]))
x = torch.arange(2 * 2 * 4 * 4, dtype=torch.float32).reshape(2, 2, 4, 4) / 32
y = conv(x)
print("shape", list(y.shape))
print("weight_shape", list(conv.weight.shape))
print("sum", round(y.sum().item(), 4))
print("corner", [round(v, 5) for v in y[0, :, 0, 0].tolist()])
print("center", [round(v, 5) for v in y[1, :, 2, 1].tolist()])
strided = nn.Conv2d(2, 1, kernel_size=2, stride=2, bias=False)
print("strided_shape", list(strided(x).shape))
print("n_params", len(list(strided.parameters())))
