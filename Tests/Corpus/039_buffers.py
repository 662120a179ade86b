import torch
import torch.nn as nn


class Normalizer(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.register_buffer("mean", torch.zeros(n))
        self.register_buffer("count", torch.tensor(0))
        self.register_buffer("scratch", torch.ones(n), persistent=False)

    def forward(self, x):
        if self.training:
            self.mean = (self.mean * self.count + x.sum(0)) / (self.count + x.shape[0])
            self.count += x.shape[0]
        return x - self.mean


n = Normalizer(2)
n(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
n(torch.tensor([[5.0, 6.0]]))
print("mean", n.mean.tolist())
print("count", n.count.item())
print("buffers", [name for name, _ in n.named_buffers()])
print("state_keys", list(n.state_dict().keys()))
print("params", len(list(n.parameters())))
n.eval()
print("eval_out", n(torch.tensor([[3.0, 4.0]])).tolist())
