import torch
import torch.nn as nn


def init_weights(m):
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            m.weight.fill_(0.1)
            if m.bias is not None:
                m.bias.fill_(-0.05)


model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2, bias=False))
model.apply(init_weights)
x = torch.tensor([[1.0, 2.0, 3.0]])
print("out", [round(v, 6) for v in model(x)[0].tolist()])
print("biases", [m.bias is None for m in model if isinstance(m, nn.Linear)])
visited = []
model.apply(lambda m: visited.append(type(m).__name__))
print("visited", visited)
