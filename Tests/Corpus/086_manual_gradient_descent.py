import torch

x = torch.tensor([[1.0, 2.0], [2.0, 1.0], [3.0, 4.0], [4.0, 3.0]])
y = torch.tensor([0.0, 0.0, 1.0, 1.0])
w = torch.zeros(2, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.5
for step in range(100):
    p = torch.sigmoid(x @ w + b)
    loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    if step % 25 == 0:
        print("step", step, round(loss.item(), 5))
print("w", [round(v, 4) for v in w.tolist()], "b", round(b.item(), 4))
print("pred", (torch.sigmoid(x @ w + b) > 0.5).long().tolist())
