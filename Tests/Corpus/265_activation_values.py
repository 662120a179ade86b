import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.tensor([-30.0, -2.0, -0.5, 0.0, 0.5, 2.0, 30.0])
def show(name, t):
    print(name, [round(v, 5) for v in t.tolist()])
show("selu", F.selu(x))
show("mish", F.mish(x))
show("elu_alpha", F.elu(x, alpha=0.5))
show("softplus_beta", F.softplus(x, beta=2.0))
show("softplus_threshold", F.softplus(x, beta=1.0, threshold=1.0))
show("hardtanh_range", F.hardtanh(x, min_val=-0.25, max_val=1.0))
show("leaky_default", F.leaky_relu(x))
show("modules", torch.cat([nn.ELU(2.0)(x), nn.SELU()(x), nn.Mish()(x), nn.Hardtanh(-2, 2)(x), nn.Softplus(beta=0.5)(x)]))
y = x.clone().requires_grad_(True)
(F.selu(y) + F.mish(y) + F.softplus(y, beta=2.0) + F.elu(y) + F.leaky_relu(y, 0.2)).sum().backward()
show("grad", y.grad)
z = torch.tensor([-1.0, 2.0])
F.leaky_relu(z, 0.5, inplace=True)
print("inplace", z.tolist())
print("reprs", nn.LeakyReLU(0.2), nn.ELU(), nn.SELU(), nn.Mish(), nn.Hardtanh(), nn.Softplus(beta=2.0, threshold=10.0))
print("attrs", nn.LeakyReLU(0.2).negative_slope, nn.ELU(0.3).alpha, nn.Hardtanh(-2.0, 3.0).max_val, nn.Softplus().beta)
