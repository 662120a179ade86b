import torch
import torch.nn as nn
import torch.nn.functional as F

pred = torch.tensor([0.0, 0.5, 2.0, -3.0])
target = torch.tensor([0.2, 0.5, 0.0, 0.0])
print("l1", F.l1_loss(pred, target).item())
print("l1_module", nn.L1Loss()(pred, target).item())
print("l1_none", F.l1_loss(pred, target, reduction="none").tolist())
