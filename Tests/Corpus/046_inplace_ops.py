import torch

x = torch.zeros(3)
x.add_(1.0)
print("add_", x.tolist())
x.mul_(3.0)
print("mul_", x.tolist())
x.sub_(torch.tensor([1.0, 2.0, 3.0]))
print("sub_", x.tolist())
x.div_(2.0)
print("div_", x.tolist())
x.fill_(4.0)
print("fill_", x.tolist())
x.zero_()
print("zero_", x.tolist())
y = torch.ones(2, 2)
y += 1
y *= torch.tensor([1.0, 3.0])
print("aug", y.tolist())
v = y.view(4)
v[0] = 100.0
print("view_shares", y[0, 0].item())
c = y.clone()
c[0, 0] = -1.0
print("clone_independent", y[0, 0].item())
y.copy_(torch.tensor([[9.0, 8.0], [7.0, 6.0]]))
print("copy_", y.tolist())
