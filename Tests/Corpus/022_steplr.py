import torch
from torch.optim.lr_scheduler import StepLR

w = torch.nn.Parameter(torch.zeros(2))
opt = torch.optim.SGD([w], lr=1.0)
sched = StepLR(opt, step_size=3, gamma=0.5)
lrs = []
for epoch in range(10):
    opt.zero_grad()
    (w.sum() * 0).backward()
    opt.step()
    lrs.append(opt.param_groups[0]["lr"])
    sched.step()
print("lrs", lrs)
print("last_lr", sched.get_last_lr())
print("final_group_lr", opt.param_groups[0]["lr"])
