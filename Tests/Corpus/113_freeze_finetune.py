import torch
import torch.nn as nn

backbone = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
head = nn.Linear(3, 1)
model = nn.Sequential(backbone, head)
with torch.no_grad():
    for p in model.parameters():
        p.fill_(0.5)
for p in backbone.parameters():
    p.requires_grad = False
trainable = [p for p in model.parameters() if p.requires_grad]
print("trainable", len(trainable), sum(p.numel() for p in trainable))
opt = torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=0.1)
before = backbone[0].weight.clone()
for _ in range(3):
    opt.zero_grad()
    loss = (model(torch.ones(4, 2)) - 3.0).pow(2).mean()
    loss.backward()
    opt.step()
print("backbone_unchanged", bool((backbone[0].weight == before).all()))
print("backbone_grad_none", backbone[0].weight.grad is None)
print("head", [round(v, 5) for v in head.weight[0].tolist()], round(head.bias.item(), 5))
