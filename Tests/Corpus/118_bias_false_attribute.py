import torch.nn as nn

print("linear_bias_none", nn.Linear(2, 3, bias=False).bias is None)
print("linear_bias_set", nn.Linear(2, 3).bias is not None)
print("conv_bias_none", nn.Conv2d(1, 2, 3, bias=False).bias is None)
print("n_params", len(list(nn.Linear(2, 3, bias=False).parameters())))
