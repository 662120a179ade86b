# Token classification with padding: cross_entropy skips ignore_index targets; a regression
# head trained with nn.HuberLoss on adaptive-max-pooled features.
import torch
import torch.nn as nn
import torch.nn.functional as F

logits = torch.linspace(-2.0, 2.0, 20).reshape(5, 4)
targets = torch.tensor([1, -100, 3, 0, -100])
print("ce_ignore", F.cross_entropy(logits, targets, ignore_index=-100).item())
print("ce_ignore_sum", F.cross_entropy(logits, targets, ignore_index=-100, reduction="sum").item())
loss_fn = nn.CrossEntropyLoss(ignore_index=0)
print("ce_module", loss_fn(logits, torch.tensor([1, 0, 3, 2, 0])).item())


class Regressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3, padding=1)
        self.head = nn.Linear(2 * 2 * 2, 1)
        nn.init.constant_(self.conv.weight, 0.1)
        nn.init.zeros_(self.conv.bias)
        with torch.no_grad():
            self.head.weight.copy_(torch.linspace(-0.5, 0.5, 8).reshape(1, 8))
        nn.init.constant_(self.head.bias, 0.2)

    def forward(self, x):
        x = F.relu(self.conv(x))
        x = F.adaptive_max_pool2d(x, (2, 2))
        return self.head(x.flatten(1))


model = Regressor()
x = torch.arange(2 * 1 * 5 * 5, dtype=torch.float32).reshape(2, 1, 5, 5) / 50
y = torch.tensor([[1.0], [-1.0]])
pooled = F.adaptive_max_pool2d(F.relu(model.conv(x)), 2)
print("pooled_shape", tuple(pooled.shape))
print("pooled_sum", pooled.sum().item())
criterion = nn.HuberLoss(delta=0.5)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(3):
    opt.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    opt.step()
    print("huber", step, round(loss.item(), 6))
print("conv_grad_norm", model.conv.weight.grad.norm().item())
