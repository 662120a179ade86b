import torch
import torch.nn as nn
import torch.nn.functional as F

pred = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
target = torch.tensor([1.5, 2.0, 2.0, 5.0])
loss = F.mse_loss(pred, target)
print("mse", loss.item())
loss.backward()
print("grad", pred.grad.tolist())
print("sum", F.mse_loss(pred, target, reduction="sum").item())
print("none", F.mse_loss(pred, target, reduction="none").tolist())
print("module", nn.MSELoss()(pred, target).item())
print("manual", ((pred - target) ** 2).mean().item())
