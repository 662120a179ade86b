import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiTask(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Linear(3, 4)
        self.cls_head = nn.Linear(4, 2)
        self.reg_head = nn.Linear(4, 1)

    def forward(self, x):
        h = F.relu(self.trunk(x))
        return self.cls_head(h), self.reg_head(h).squeeze(-1)


model = MultiTask()
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.linspace(-0.6, 0.8, p.numel()).reshape(p.shape) * (1 + i % 2))
x = torch.tensor([[1.0, 0.0, -1.0], [0.5, 0.5, 0.5], [-1.0, 2.0, 0.0]])
labels, targets = torch.tensor([0, 1, 1]), torch.tensor([0.5, -0.5, 1.0])
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(4):
    logits, reg = model(x)
    loss_c = F.cross_entropy(logits, labels)
    loss_r = F.mse_loss(reg, targets)
    loss = loss_c + 0.5 * loss_r
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("step", step, round(loss_c.item(), 5), round(loss_r.item(), 5))
print("trunk_grad_norm", round(model.trunk.weight.grad.norm().item(), 5))
