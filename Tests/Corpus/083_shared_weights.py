import torch
import torch.nn as nn


class Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.Linear(2, 2, bias=False)

    def forward(self, x):
        return self.layer(self.layer(x))


m = Tied()
with torch.no_grad():
    m.layer.weight.copy_(torch.tensor([[1.0, 2.0], [0.0, 1.0]]))
x = torch.tensor([[1.0, 1.0]])
out = m(x)
print("out", out.tolist())
out.sum().backward()
print("grad", m.layer.weight.grad.tolist())
print("n_params", len(list(m.parameters())))
