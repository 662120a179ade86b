import torch
import torch.nn as nn

w = nn.Parameter(torch.tensor([2.0, -3.0, 1.5]))
target = torch.tensor([0.5, 0.5, 0.5])
opt = torch.optim.RMSprop([w], lr=0.01)

for step in range(20):
    opt.zero_grad()
    loss = ((w - target) ** 2).sum()
    loss.backward()
    opt.step()
    if step % 5 == 0:
        print("loss", step, loss.item())

print("w", w.detach().tolist())
print("grad", w.grad.tolist())
