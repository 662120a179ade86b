import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvBN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 3, kernel_size=3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(3)
        self.pool = nn.AvgPool2d(2)
        self.fc = nn.Linear(3 * 2 * 2, 2)

    def forward(self, x):
        x = self.pool(F.relu(self.bn(self.conv(x))))
        return self.fc(x.view(x.size(0), -1))


model = ConvBN()
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.linspace(-0.4, 0.5, p.numel()).reshape(p.shape) + 0.1 * i)
images = torch.arange(4 * 16, dtype=torch.float32).reshape(4, 1, 4, 4) % 5 / 4
labels = torch.tensor([0, 1, 1, 0])
opt = torch.optim.Adam(model.parameters(), lr=0.05)
for step in range(5):
    opt.zero_grad()
    loss = F.cross_entropy(model(images), labels)
    loss.backward()
    opt.step()
    print("step", step, round(loss.item(), 5))
model.eval()
with torch.no_grad():
    print("eval_logits", [[round(v, 4) for v in r] for r in model(images).tolist()])
print("running_mean", [round(v, 5) for v in model.bn.running_mean.tolist()])
