import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Linear(3, 4)
        self.norm = nn.LayerNorm(4)
        self.head = nn.Linear(4, 2)

    def forward(self, x):
        return self.head(torch.relu(self.norm(self.encoder(x))))


a = Net()
sd = a.state_dict()
print("keys", list(sd.keys()))
print("shapes", [list(v.shape) for v in sd.values()])
with torch.no_grad():
    for p in a.parameters():
        p.fill_(0.25)
b = Net()
result = b.load_state_dict(a.state_dict())
print("missing", list(result.missing_keys), "unexpected", list(result.unexpected_keys))
print("equal", all(bool((p == q).all()) for p, q in zip(a.parameters(), b.parameters())))
a.eval(); b.eval()
x = torch.ones(2, 3)
print("same_out", torch.allclose(a(x), b(x)))
print("out", b(x).tolist())
