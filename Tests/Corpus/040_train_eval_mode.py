import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)
        self.drop = nn.Dropout(0.3)
        self.bn = nn.BatchNorm1d(2)

    def forward(self, x):
        return self.bn(self.drop(self.fc(x)))


net = Net()
print("default", net.training)
net.eval()
print("eval", [m.training for m in net.modules()])
net.train()
print("train", [m.training for m in net.modules()])
net.train(False)
print("train_false", net.training, net.fc.training)
returned = net.eval()
print("returns_self", returned is net)
