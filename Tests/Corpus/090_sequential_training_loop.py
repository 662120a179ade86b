import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

X = torch.linspace(-2, 2, 24).reshape(12, 2)
Y = (X[:, :1] * 0.5 - X[:, 1:] * 1.5 + 0.25)
loader = DataLoader(TensorDataset(X, Y), batch_size=4, shuffle=False)
model = nn.Sequential(nn.Linear(2, 1))
with torch.no_grad():
    model[0].weight.zero_()
    model[0].bias.zero_()
opt = torch.optim.SGD(model.parameters(), lr=0.05)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)
for epoch in range(15):
    epoch_loss = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        opt.step()
        epoch_loss += loss.item()
    sched.step()
    if epoch % 5 == 4:
        print("epoch", epoch + 1, round(epoch_loss / len(loader), 5), sched.get_last_lr())
print("weights", [round(v, 3) for v in model[0].weight.flatten().tolist()])
