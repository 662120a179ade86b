import torch

a = torch.arange(6, dtype=torch.float32).reshape(2, 3)
b = torch.arange(12, dtype=torch.float32).reshape(3, 4)
print("matmul", torch.einsum("ij,jk->ik", a, b).tolist())
print("trace", torch.einsum("ii->", torch.eye(3) * 2).item())
print("outer", torch.einsum("i,j->ij", torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])).tolist())
x = torch.ones(2, 3, 4)
print("batch_sum", torch.einsum("bij->b", x).tolist())
