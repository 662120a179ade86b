import torch
import torch.nn as nn

x = torch.linspace(0, 1, 16).reshape(-1, 1)
y = 2 * x - 1
train_x, val_x = x[::2], x[1::2]
train_y, val_y = y[::2], y[1::2]
model = nn.Linear(1, 1)
with torch.no_grad():
    model.weight.fill_(0.0)
    model.bias.fill_(0.0)
opt = torch.optim.SGD(model.parameters(), lr=0.5)
best, bad, patience = float("inf"), 0, 3
for epoch in range(200):
    model.train()
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(train_x), train_y)
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        val = nn.functional.mse_loss(model(val_x), val_y).item()
    if val < best - 1e-4:
        best, bad = val, 0
    else:
        bad += 1
    if bad >= patience:
        break
print("stopped_at", epoch)
print("best_below", best < 1e-3)
print("weight", round(model.weight.item(), 2), "bias", round(model.bias.item(), 2))
