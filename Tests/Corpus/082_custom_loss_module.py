import torch
import torch.nn as nn


class WeightedMSE(nn.Module):
    def __init__(self, weights):
        super().__init__()
        self.register_buffer("weights", weights)

    def forward(self, pred, target):
        return (self.weights * (pred - target) ** 2).sum() / self.weights.sum()


loss_fn = WeightedMSE(torch.tensor([1.0, 2.0, 1.0]))
pred = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
target = torch.tensor([0.0, 2.0, 5.0])
loss = loss_fn(pred, target)
loss.backward()
print("loss", loss.item())
print("grad", pred.grad.tolist())
print("no_params", len(list(loss_fn.parameters())))
print("repr", loss_fn)
