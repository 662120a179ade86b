import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(2 * 2 * 2, 2)

    def forward(self, x):
        x = self.pool(F.relu(self.conv(x)))
        return self.fc(x.flatten(1))


model = TinyCNN()
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.linspace(-0.5, 0.6, p.numel()).reshape(p.shape) * (-1) ** i)
eye = torch.eye(4)
images = torch.stack([eye, eye[:, [3, 2, 1, 0]]]).unsqueeze(1)
labels = torch.tensor([0, 1])
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(5):
    opt.zero_grad()
    loss = F.cross_entropy(model(images), labels)
    loss.backward()
    opt.step()
    print("step", step, round(loss.item(), 5))
print("pred", model(images).argmax(dim=1).tolist())
