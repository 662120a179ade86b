import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.arange(10, dtype=torch.float32).reshape(1, 2, 5)
w = torch.ones(3, 2, 2)
print("conv1d", F.conv1d(x, w).tolist())
print("conv1d_stride_pad", F.conv1d(x, w, torch.tensor([0.5, 0.0, -1.0]), stride=2, padding=1).tolist())
print("conv1d_same", F.conv1d(x, torch.ones(1, 2, 4), padding="same").tolist())
conv = nn.Conv1d(2, 3, 2, bias=False)
nn.init.constant_(conv.weight, 0.25)
print("module", conv(x).tolist())
print("attrs", conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride, conv.padding, conv.bias)
print("repr", conv)
print("max_pool1d", F.max_pool1d(x, 2).tolist())
print("avg_pool1d", F.avg_pool1d(x, 3, stride=1).tolist())
print("avg_pool1d_pad", F.avg_pool1d(x, 2, padding=1).tolist())
print("modules", nn.MaxPool1d(3, stride=2)(x).tolist(), list(nn.AvgPool1d(2)(x).shape))
print("reprs", nn.MaxPool1d(3, stride=2), nn.AvgPool1d(2))
print("unbatched", list(F.max_pool1d(x[0], 2).shape), list(F.conv1d(x[0], w).shape))
y = x.clone().requires_grad_(True)
F.max_pool1d(y, 2).sum().backward()
print("grad", y.grad.tolist())
