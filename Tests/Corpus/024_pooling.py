import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.arange(32, dtype=torch.float32).reshape(1, 2, 4, 4)
mp = nn.MaxPool2d(2)
print("maxpool", mp(x).tolist())
print("avgpool", nn.AvgPool2d(kernel_size=2, stride=2)(x).tolist())
print("f_max_pool", list(F.max_pool2d(x, 2).shape))
print("stride1", list(F.max_pool2d(x, kernel_size=3, stride=1).shape))
print("global_mean", x.mean(dim=(2, 3)).tolist())
