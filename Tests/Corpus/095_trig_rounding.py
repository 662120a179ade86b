import torch

x = torch.tensor([0.5, 1.0, 2.0, 4.0])
print("sin", [round(v, 5) for v in torch.sin(x).tolist()])
print("cos", [round(v, 5) for v in x.cos().tolist()])
print("reciprocal", x.reciprocal().tolist())
print("floor_ceil", (x * 1.5).floor().tolist(), (x * 1.5).ceil().tolist())
print("round", torch.tensor([0.4, 1.6, -2.7]).round().tolist())
print("trunc", torch.tensor([-1.5, 1.5]).trunc().tolist())
