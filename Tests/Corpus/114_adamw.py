import torch

w = torch.nn.Parameter(torch.tensor([1.0, -2.0, 0.5]))
opt = torch.optim.AdamW([w], lr=0.1, weight_decay=0.1)
for step in range(5):
    opt.zero_grad()
    loss = ((w - 1.0) ** 2).sum()
    loss.backward()
    opt.step()
    print("step", step, [round(v, 6) for v in w.tolist()])
print("group_lr", opt.param_groups[0]["lr"])
