import torch

m = torch.arange(6).reshape(3, 2)
for i, row in enumerate(m):
    print("row", i, row.tolist())
print("len", len(m))
print("list", [r.sum().item() for r in m])
a, b, c = m
print("unpack", a.tolist(), c.tolist())
print("zip", [(int(p), int(q)) for p, q in zip(m[:, 0], m[:, 1])])
print("in", 3 in m[1].tolist())
print("bool", bool(torch.tensor(1)), bool(torch.tensor(0.0)))
print("int_float", int(torch.tensor(7)), float(torch.tensor(2.5)))
print("tolist_scalar", torch.tensor(4).tolist())
