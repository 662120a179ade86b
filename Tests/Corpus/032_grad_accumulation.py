import torch

w = torch.tensor([1.0, -1.0], requires_grad=True)
for k in range(3):
    loss = (w * (k + 1)).sum()
    loss.backward()
    print("accumulated", k, w.grad.tolist())
w.grad.zero_()
print("zeroed", w.grad.tolist())
model = torch.nn.Linear(2, 1)
model(torch.ones(1, 2)).sum().backward()
print("has_grad", model.weight.grad is not None)
model.zero_grad()
print("after_zero_grad", model.weight.grad is None or model.weight.grad.abs().sum().item() == 0)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
model(torch.ones(1, 2)).sum().backward()
opt.zero_grad(set_to_none=True)
print("set_to_none", model.weight.grad is None)
