import torch
from torch.optim.lr_scheduler import ReduceLROnPlateau

w = torch.nn.Parameter(torch.zeros(1))
opt = torch.optim.SGD([w], lr=1.0)
sched = ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1)
for epoch, val_loss in enumerate([1.0, 0.9, 0.95, 0.95, 0.95, 0.5, 0.6, 0.7]):
    sched.step(val_loss)
    print("epoch", epoch, opt.param_groups[0]["lr"])
