import torch

scores = torch.arange(9, dtype=torch.float32).reshape(3, 3)
mask = torch.arange(3)[None, :] > torch.arange(3)[:, None]
print("mask", mask.tolist())
filled = scores.masked_fill(mask, float("-inf"))
print("filled_row0", filled[0].tolist())
attn = torch.softmax(filled, dim=-1)
print("attn", [[round(v, 5) for v in row] for row in attn.tolist()])
print("fill_zero", scores.masked_fill(~mask, 0.0).tolist())
