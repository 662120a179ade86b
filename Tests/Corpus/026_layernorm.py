import torch
import torch.nn as nn

ln = nn.LayerNorm(4)
x = torch.tensor([[1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 2.0, 6.0]])
y = ln(x)
print("out", [[round(v, 5) for v in row] for row in y.tolist()])
print("row_means", [round(v, 5) for v in y.mean(dim=-1).tolist()])
with torch.no_grad():
    ln.weight.fill_(2.0)
    ln.bias.fill_(1.0)
print("affine", [round(v, 5) for v in ln(x)[0].tolist()])
print("param_shapes", [list(p.shape) for p in ln.parameters()])
ln2 = nn.LayerNorm([2, 3])
print("ln2_shape", list(ln2(torch.arange(12.0).reshape(2, 2, 3)).shape))
