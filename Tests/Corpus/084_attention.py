import math
import torch
import torch.nn as nn


class SelfAttention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.q = nn.Linear(dim, dim, bias=False)
        self.k = nn.Linear(dim, dim, bias=False)
        self.v = nn.Linear(dim, dim, bias=False)
        self.dim = dim

    def forward(self, x):
        q, k, v = self.q(x), self.k(x), self.v(x)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.dim)
        weights = torch.softmax(scores, dim=-1)
        return weights @ v, weights


attn = SelfAttention(4)
with torch.no_grad():
    for i, p in enumerate(attn.parameters()):
        p.copy_(torch.eye(4) * (i + 1) * 0.5)
x = torch.arange(12, dtype=torch.float32).reshape(1, 3, 4) / 10
out, w = attn(x)
print("out_shape", list(out.shape), "weights_shape", list(w.shape))
print("weights", [[round(v, 5) for v in row] for row in w[0].tolist()])
print("out_row0", [round(v, 5) for v in out[0, 0].tolist()])
print("rows_sum", [round(v, 5) for v in w.sum(-1)[0].tolist()])
