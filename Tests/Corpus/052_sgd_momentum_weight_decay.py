import torch

w = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
opt = torch.optim.SGD([w], lr=0.1, momentum=0.9, weight_decay=0.01)
history = []
for step in range(5):
    opt.zero_grad()
    loss = (w ** 2).sum()
    loss.backward()
    opt.step()
    history.append([round(v, 6) for v in w.tolist()])
for i, h in enumerate(history):
    print("step", i, h)
v = torch.nn.Parameter(torch.tensor([1.0]))
opt2 = torch.optim.SGD([v], lr=0.1, momentum=0.9, nesterov=True)
for _ in range(3):
    opt2.zero_grad()
    (v ** 2).sum().backward()
    opt2.step()
print("nesterov", round(v.item(), 6))
