import torch
import torch.nn as nn
import torch.nn.functional as F

logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 0.3], [-2.0, 3.0, 0.0], [1.0, 1.0, 1.0]], requires_grad=True)
target = torch.tensor([0, 2, 1, 1])
loss = F.cross_entropy(logits, target)
print("loss", round(loss.item(), 6))
loss.backward()
print("grad_row0", [round(v, 6) for v in logits.grad[0].tolist()])
criterion = nn.CrossEntropyLoss()
print("module_loss", round(criterion(logits, target).item(), 6))
print("sum_loss", round(F.cross_entropy(logits, target, reduction="sum").item(), 5))
per = F.cross_entropy(logits, target, reduction="none")
print("per_sample", [round(v, 5) for v in per.tolist()])
pred = logits.argmax(dim=1)
print("accuracy", (pred == target).float().mean().item())
