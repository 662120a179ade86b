import torch
from torch.optim.lr_scheduler import MultiStepLR, ExponentialLR, LambdaLR, CosineAnnealingLR


def run(make, steps=6):
    w = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([w], lr=0.1)
    sched = make(opt)
    lrs = []
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(round(opt.param_groups[0]["lr"], 8))
    return lrs


print("multistep", run(lambda o: MultiStepLR(o, milestones=[2, 4], gamma=0.1)))
print("exponential", run(lambda o: ExponentialLR(o, gamma=0.5)))
print("lambda", run(lambda o: LambdaLR(o, lr_lambda=lambda e: 1.0 / (e + 1))))
print("cosine", run(lambda o: CosineAnnealingLR(o, T_max=4)))
