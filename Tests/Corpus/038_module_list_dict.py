import torch
import torch.nn as nn


class Heads(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
        self.heads = nn.ModuleDict({"cls": nn.Linear(2, 4), "reg": nn.Linear(2, 1)})
        for i, layer in enumerate(self.layers):
            with torch.no_grad():
                layer.weight.fill_(0.1 * (i + 1))
                layer.bias.zero_()

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return {k: h(x) for k, h in self.heads.items()}


m = Heads()
out = m(torch.ones(1, 2))
print("keys", list(out.keys()))
print("shapes", [list(v.shape) for v in out.values()])
print("n_layers", len(m.layers))
print("head_names", list(m.heads.keys()))
print("n_params", len(list(m.parameters())))
print("x", [round(v, 6) for v in m.layers[2](m.layers[1](m.layers[0](torch.ones(1, 2))))[0].tolist()])
