import torch
import torch.nn as nn

model = nn.Linear(3, 1)
with torch.no_grad():
    model.weight.fill_(1.0)
    model.bias.fill_(0.0)
x = torch.tensor([[10.0, 20.0, 30.0]])
loss = model(x).pow(2).sum()
loss.backward()
norm_before = torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters()))
print("norm_before", round(norm_before.item(), 3))
total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
print("returned", round(total.item(), 3))
norm_after = torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters()))
print("norm_after", round(norm_after.item(), 5))
print("grad", [round(v, 6) for v in model.weight.grad[0].tolist()])
