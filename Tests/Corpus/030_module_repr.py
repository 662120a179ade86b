import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dim = dim
        self.linear = nn.Linear(dim, dim)
        self.act = nn.GELU()

    def forward(self, x):
        return x + self.act(self.linear(x))

    def extra_repr(self):
        return f"dim={self.dim}"


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([Block(4) for _ in range(2)])
        self.out = nn.Linear(4, 1, bias=False)

    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        return self.out(x)


net = Net()
print(net)
print("children", [name for name, _ in net.named_children()])
print("modules", len(list(net.modules())))
