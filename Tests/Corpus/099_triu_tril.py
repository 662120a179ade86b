import torch

m = torch.ones(3, 3)
print("triu", torch.triu(m, diagonal=1).tolist())
print("tril", torch.tril(m).tolist())
print("method", m.tril(-1).tolist())
