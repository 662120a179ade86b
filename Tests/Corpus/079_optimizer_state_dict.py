import torch

w = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
opt = torch.optim.Adam([w], lr=0.1)
for _ in range(3):
    opt.zero_grad()
    (w ** 2).sum().backward()
    opt.step()
sd = opt.state_dict()
print("keys", sorted(sd.keys()))
print("group_keys_has_lr", "lr" in sd["param_groups"][0])
print("state_step", float(sd["state"][0]["step"]))
print("exp_avg", [round(v, 6) for v in sd["state"][0]["exp_avg"].tolist()])
w2 = torch.nn.Parameter(w.detach().clone())
opt2 = torch.optim.Adam([w2], lr=0.1)
opt2.load_state_dict(sd)
for o, p in ((opt, w), (opt2, w2)):
    o.zero_grad()
    (p ** 2).sum().backward()
    o.step()
print("same", torch.allclose(w, w2), [round(v, 6) for v in w2.tolist()])
