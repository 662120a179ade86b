import torch
import torch.nn.functional as F

x = torch.arange(6, dtype=torch.float32).reshape(1, 1, 2, 3)
print("nearest_size", F.interpolate(x, size=(4, 5)).tolist())
print("nearest_scale", list(F.interpolate(x, scale_factor=2).shape), F.interpolate(x, scale_factor=2)[0, 0, 1].tolist())
print("bilinear", [[round(v, 5) for v in row] for row in F.interpolate(x, size=(3, 4), mode="bilinear", align_corners=False)[0, 0].tolist()])
print("bilinear_corners", [[round(v, 5) for v in row] for row in F.interpolate(x, size=(3, 4), mode="bilinear", align_corners=True)[0, 0].tolist()])
print("bilinear_scale", [round(v, 5) for v in F.interpolate(x, scale_factor=1.5, mode="bilinear")[0, 0, 1].tolist()])
print("down", F.interpolate(torch.arange(16.0).reshape(1, 1, 4, 4), size=2, mode="bilinear")[0, 0].tolist())
y = torch.ones(1, 1, 2, 2, requires_grad=True)
F.interpolate(y, size=(3, 3), mode="bilinear").sum().backward()
print("grad", [[round(v, 5) for v in row] for row in y.grad[0, 0].tolist()])
print("linear", [round(v, 5) for v in F.interpolate(torch.tensor([[[0.0, 1.0, 4.0]]]), size=5, mode="linear", align_corners=True)[0, 0].tolist()])
try:
    F.interpolate(x, size=4, align_corners=True)
except ValueError as e:
    print("error", e)
