import torch
import torch.nn as nn
import torch.nn.functional as F

pred = torch.tensor([0.0, 0.5, 2.0, -3.0])
target = torch.tensor([0.2, 0.5, 0.0, 0.0])
print("smooth_l1", F.smooth_l1_loss(pred, target).item())
print("huber", F.huber_loss(pred, target, delta=1.0).item())
print("module", nn.SmoothL1Loss()(pred, target).item())
