import torch
import torch.nn as nn

emb = nn.Embedding(5, 3)
with torch.no_grad():
    emb.weight.copy_(torch.arange(15, dtype=torch.float32).reshape(5, 3))
ids = torch.tensor([[0, 2], [4, 1]])
out = emb(ids)
print("shape", list(out.shape))
print("out", out.tolist())
print("weight_shape", list(emb.weight.shape))
loss = out.sum()
loss.backward()
print("grad", emb.weight.grad.tolist())
print("grad_rows", emb.weight.grad.sum(dim=1).tolist())
