import torch
import torch.nn as nn
import torch.nn.functional as F

probs = torch.tensor([0.9, 0.2, 0.6, 0.1], requires_grad=True)
target = torch.tensor([1.0, 0.0, 1.0, 1.0])
loss = F.binary_cross_entropy(probs, target)
print("bce", round(loss.item(), 6))
loss.backward()
print("grad", [round(v, 5) for v in probs.grad.tolist()])
print("module", round(nn.BCELoss()(probs, target).item(), 6))
