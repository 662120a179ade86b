import torch

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
idx = torch.tensor([[2], [0]])
print("gather", torch.gather(x, 1, idx).tolist())
print("gather_method", x.gather(1, torch.tensor([[0, 0], [1, 2]])).tolist())
z = torch.zeros(2, 4)
z.scatter_(1, torch.tensor([[1], [3]]), 1.0)
print("scatter_", z.tolist())
labels = torch.tensor([0, 2, 1])
print("one_hot", torch.nn.functional.one_hot(labels, num_classes=3).tolist())
