import torch
import torch.nn as nn
import torch.nn.functional as F

logits = torch.tensor([2.0, -1.0, 0.5, -3.0], requires_grad=True)
target = torch.tensor([1.0, 0.0, 1.0, 1.0])
bcel = F.binary_cross_entropy_with_logits(logits, target)
print("bce_logits", round(bcel.item(), 6))
bcel.backward()
print("grad", [round(v, 6) for v in logits.grad.tolist()])
print("module", round(nn.BCEWithLogitsLoss()(logits, target).item(), 6))
print("sum", round(F.binary_cross_entropy_with_logits(logits, target, reduction="sum").item(), 5))
