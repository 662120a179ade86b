import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
opt = torch.optim.SGD([
    {"params": model[0].parameters(), "lr": 0.01},
    {"params": model[1].parameters()},
], lr=0.1, momentum=0.5)
print("defaults", opt.defaults["lr"], opt.defaults["momentum"])
print("groups", len(opt.param_groups))
print("lrs", [g["lr"] for g in opt.param_groups])
print("momentum", [g["momentum"] for g in opt.param_groups])
print("weight_decay", [g["weight_decay"] for g in opt.param_groups])
print("n_params", [len(g["params"]) for g in opt.param_groups])
for g in opt.param_groups:
    g["lr"] *= 0.5
print("halved", [g["lr"] for g in opt.param_groups])
