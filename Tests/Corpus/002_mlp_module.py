import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.fc1 = nn.Linear(n_in, n_hidden)
        self.fc2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        return self.fc2(h)


model = MLP(4, 8, 3)
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape))

x = torch.arange(8, dtype=torch.float32).reshape(2, 4) / 10
out = model(x)
print("shape", list(out.shape))
print("out", [round(v, 5) for v in out.flatten().tolist()])
print("n_params", sum(p.numel() for p in model.parameters()))
print("names", [n for n, _ in model.named_parameters()])
