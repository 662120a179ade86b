import torch
import torch.nn as nn

torch.manual_seed(0)
x = torch.linspace(-1, 1, 20).reshape(-1, 1)
y = 3 * x + 0.5

model = nn.Linear(1, 1)
with torch.no_grad():
    model.weight.fill_(0.0)
    model.bias.fill_(0.0)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.MSELoss()

for epoch in range(50):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    if epoch % 10 == 0:
        print("epoch", epoch, "loss", round(loss.item(), 6))

print("weight", round(model.weight.item(), 4))
print("bias", round(model.bias.item(), 4))
