import torch
from torch.optim.lr_scheduler import OneCycleLR, LinearLR, SequentialLR, ExponentialLR, MultiStepLR, LambdaLR


def params():
    return [torch.nn.Parameter(torch.zeros(1))]


def trace(opt, sched, steps, key="lr"):
    out = []
    for _ in range(steps):
        opt.step()
        sched.step()
        g = opt.param_groups[0]
        v = g[key]
        out.append(round(v[0] if isinstance(v, tuple) else v, 6))
    return out


opt = torch.optim.SGD(params(), lr=0.1, momentum=0.9)
sched = OneCycleLR(opt, max_lr=1.0, total_steps=10)
print("onecycle_start", round(opt.param_groups[0]["lr"], 6), opt.param_groups[0]["momentum"])
print("onecycle_cos", trace(opt, sched, 9))
opt = torch.optim.SGD(params(), lr=0.1, momentum=0.9)
sched = OneCycleLR(opt, max_lr=1.0, total_steps=10)
print("onecycle_momentum", trace(opt, sched, 9, "momentum"))
opt = torch.optim.Adam(params(), lr=0.1)
sched = OneCycleLR(opt, max_lr=0.5, epochs=2, steps_per_epoch=4, anneal_strategy="linear", pct_start=0.25)
print("onecycle_linear", trace(opt, sched, 7))
opt = torch.optim.Adam(params(), lr=0.1)
sched = OneCycleLR(opt, max_lr=0.5, epochs=2, steps_per_epoch=4, anneal_strategy="linear", pct_start=0.25)
print("onecycle_beta1", trace(opt, sched, 7, "betas"))
opt = torch.optim.SGD(params(), lr=0.1)
sched = OneCycleLR(opt, max_lr=0.4, total_steps=12, three_phase=True, cycle_momentum=False, div_factor=4.0, final_div_factor=100.0)
print("onecycle_three", trace(opt, sched, 11))
print("onecycle_keys", sorted(k for k in opt.param_groups[0] if k.endswith("lr")))

opt = torch.optim.SGD(params(), lr=0.1)
sched = LinearLR(opt, start_factor=0.25, total_iters=4)
print("linear_start", round(opt.param_groups[0]["lr"], 6))
print("linear", trace(opt, sched, 6))
opt = torch.optim.SGD(params(), lr=0.1)
sched = LinearLR(opt, start_factor=1.0, end_factor=0.5, total_iters=3)
print("linear_down", trace(opt, sched, 5), [round(v, 6) for v in sched.get_last_lr()])

opt = torch.optim.SGD(params(), lr=0.1)
warm = LinearLR(opt, start_factor=0.1, total_iters=3)
decay = ExponentialLR(opt, gamma=0.5)
sched = SequentialLR(opt, schedulers=[warm, decay], milestones=[3])
print("sequential_start", round(opt.param_groups[0]["lr"], 6))
print("sequential", trace(opt, sched, 7))

a, b = params(), params()
opt = torch.optim.SGD([{"params": a}, {"params": b, "lr": 1.0}], lr=0.1)
sched = MultiStepLR(opt, milestones=[1, 3], gamma=0.5)
for _ in range(3):
    opt.step()
    sched.step()
print("groups_multistep", sched.get_last_lr(), [g["lr"] for g in opt.param_groups], [g["initial_lr"] for g in opt.param_groups])
opt = torch.optim.SGD([{"params": a}, {"params": b, "lr": 1.0}], lr=0.1)
sched = LambdaLR(opt, lr_lambda=[lambda e: 0.5 ** e, lambda e: 1.0 / (1 + e)])
for _ in range(2):
    opt.step()
    sched.step()
print("groups_lambda", [round(v, 6) for v in sched.get_last_lr()], sched.last_epoch)
