import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(3, 2)
        self.scale = nn.Parameter(torch.ones(2))

    def forward(self, x):
        return self.proj(x) * self.scale


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = Encoder()
        self.dec = nn.Linear(2, 3)

    def forward(self, x):
        return self.dec(self.enc(x))


m = Model()
for name, p in m.named_parameters():
    print("param", name, list(p.shape), p.requires_grad)
print("modules", [name for name, _ in m.named_modules()])
print("sub", type(m.get_submodule("enc.proj")).__name__)
m.enc.requires_grad_(False)
print("trainable", [n for n, p in m.named_parameters() if p.requires_grad])
