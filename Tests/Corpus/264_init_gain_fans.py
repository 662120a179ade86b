import math
import torch
import torch.nn as nn

for name in ["linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]:
    print("gain", name, round(nn.init.calculate_gain(name), 6))
print("gain_leaky_0.2", round(nn.init.calculate_gain("leaky_relu", 0.2), 6))
try:
    nn.init.calculate_gain("softmax")
except ValueError as e:
    print("error", e)
print("fans_linear", nn.init._calculate_fan_in_and_fan_out(torch.empty(4, 6)))
print("fans_conv", nn.init._calculate_fan_in_and_fan_out(torch.empty(8, 3, 5, 5)))
try:
    nn.init.xavier_uniform_(torch.empty(5))
except ValueError as e:
    print("error", e)
torch.manual_seed(0)
w = torch.empty(200, 300)
nn.init.kaiming_uniform_(w, mode="fan_in", nonlinearity="relu")
bound = math.sqrt(2.0) * math.sqrt(3.0 / 300)
print("kaiming_uniform_bounded", bool((w.abs() <= bound).all()), bool(w.abs().max() > 0.9 * bound))
nn.init.kaiming_normal_(w, mode="fan_out")
print("kaiming_normal_std", round(w.std().item() / (math.sqrt(2 / (1 + 0.01 ** 2)) / math.sqrt(200)), 1))
nn.init.xavier_normal_(w, gain=2.0)
print("xavier_normal_std", round(w.std().item() / (2.0 * math.sqrt(2 / 500)), 1))
nn.init.uniform_(w, -3, -2)
print("uniform_range", bool((w >= -3).all() and (w <= -2).all()))
nn.init.normal_(w, mean=5.0, std=0.1)
print("normal_mean", round(w.mean().item(), 1))
nn.init.trunc_normal_(w, std=2.0, a=-1.0, b=1.5)
print("trunc_bounds", bool((w >= -1.0).all() and (w <= 1.5).all()), bool(w.min() < -0.95), bool(w.max() > 1.45))
q = torch.empty(3, 5)
nn.init.orthogonal_(q)
print("orthogonal_rows", bool(((q @ q.T) - torch.eye(3)).abs().max() < 1e-5))
q2 = torch.empty(6, 2, 1)
nn.init.orthogonal_(q2, gain=3.0)
m = q2.reshape(6, 2)
print("orthogonal_cols", bool(((m.T @ m) - 9 * torch.eye(2)).abs().max() < 1e-4))
lin = nn.Linear(2, 2)
r = nn.init.eye_(lin.weight)
print("returns_same", r is lin.weight, lin.weight.requires_grad, lin.weight.grad_fn is None)
print("eye", nn.init.eye_(torch.empty(2, 3)).tolist())
print("constant", nn.init.constant_(torch.empty(2), 1.5).tolist())
