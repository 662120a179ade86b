import torch

grads = [[1.0, -2.0, 0.5], [-3.0, 0.1, 2.0], [0.2, 0.2, -1.0], [4.0, -1.0, 0.3], [0.5, 0.5, 0.5]]


def run(make):
    w = torch.nn.Parameter(torch.tensor([0.5, -1.0, 2.0]))
    opt = make([w])
    for g in grads:
        w.grad = torch.tensor(g)
        opt.step()
    return [round(v, 6) for v in w.tolist()]


print("adagrad", run(lambda p: torch.optim.Adagrad(p, lr=0.1)))
print("adagrad_opts", run(lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.5)))
print("adamax", run(lambda p: torch.optim.Adamax(p, lr=0.1)))
print("adamax_wd", run(lambda p: torch.optim.Adamax(p, lr=0.1, betas=(0.8, 0.9), weight_decay=0.2)))
print("nadam", run(lambda p: torch.optim.NAdam(p, lr=0.1)))
print("nadam_wd", run(lambda p: torch.optim.NAdam(p, lr=0.1, weight_decay=0.1, momentum_decay=0.01)))
print("nadam_decoupled", run(lambda p: torch.optim.NAdam(p, lr=0.1, weight_decay=0.1, decoupled_weight_decay=True)))
print("adam_amsgrad", run(lambda p: torch.optim.Adam(p, lr=0.1, amsgrad=True)))
print("adamw_amsgrad", run(lambda p: torch.optim.AdamW(p, lr=0.1, amsgrad=True)))
print("adam_decoupled", run(lambda p: torch.optim.Adam(p, lr=0.1, weight_decay=0.1, decoupled_weight_decay=True)))
print("rmsprop_centered", run(lambda p: torch.optim.RMSprop(p, lr=0.01, centered=True)))
print("rmsprop_centered_momentum", run(lambda p: torch.optim.RMSprop(p, lr=0.01, centered=True, momentum=0.9, weight_decay=0.1)))
print("sgd_maximize", run(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, maximize=True)))
print("adam_maximize", run(lambda p: torch.optim.Adam(p, lr=0.1, maximize=True)))

w = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
for name in ["Adagrad", "Adamax", "NAdam", "RMSprop"]:
    opt = getattr(torch.optim, name)([w])
    w.grad = torch.ones(2)
    opt.step()
    print("state_keys", name, list(opt.state_dict()["state"][0].keys()))
    print("group_keys", name, sorted(k for k in opt.param_groups[0].keys() if k != "params"))
print("defaults", sorted(torch.optim.NAdam([w]).defaults.items()))
