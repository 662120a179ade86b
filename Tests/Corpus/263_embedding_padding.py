import torch
import torch.nn as nn
import torch.nn.functional as F

emb = nn.Embedding(5, 3, padding_idx=0)
print("attrs", emb.num_embeddings, emb.embedding_dim, emb.padding_idx, emb.max_norm)
print("padding_row", emb.weight[0].tolist())
print("repr", emb)
with torch.no_grad():
    emb.weight.copy_(torch.arange(15, dtype=torch.float32).reshape(5, 3))
ids = torch.tensor([[0, 2, 0], [4, 2, 1]])
out = emb(ids)
print("lookup", out.tolist())
(out * torch.arange(18, dtype=torch.float32).reshape(2, 3, 3)).sum().backward()
print("grad", emb.weight.grad.tolist())
neg = nn.Embedding(4, 2, padding_idx=-1)
print("negative_padding", neg.padding_idx, neg.weight[3].tolist())
w = torch.arange(8, dtype=torch.float32).reshape(4, 2).requires_grad_(True)
F.embedding(torch.tensor([3, 1, 3]), w, padding_idx=3).sum().backward()
print("functional_grad", w.grad.tolist())
capped = nn.Embedding(3, 2, max_norm=1.0)
with torch.no_grad():
    capped.weight.copy_(torch.tensor([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]]))
print("max_norm_out", [[round(v, 5) for v in r] for r in capped(torch.tensor([0, 1])).tolist()])
print("max_norm_weight", [[round(v, 5) for v in r] for r in capped.weight.tolist()])
