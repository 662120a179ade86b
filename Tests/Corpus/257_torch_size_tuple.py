import torch

s = torch.zeros(2, 3, 4).shape
print("repr", s, str(s), repr(s))
print("slice", s[1:], s[:0], s[::-1])
print("concat", s + (5,), (1,) + s, s * 2)
print("unpack", *s)
b, c, d = s
print("unpacked", b, c, d)
print("len", len(s), list(s), tuple(s))
print("eq", s == (2, 3, 4), s == [2, 3, 4], s != (2, 3), s == torch.Size([2, 3, 4]))
print("isinstance", isinstance(s, tuple), isinstance(s, torch.Size))
print("hash", {s: "x"}[(2, 3, 4)])
print("construct", torch.Size([2, 3]), torch.Size(), torch.Size((5,)).numel())
print("numel", s.numel(), torch.Size([]).numel())
print("methods", s.index(3), s.count(2))
print("size_method", torch.ones(5, 1).size(), torch.ones(5, 1).size(0))
print("zeros_from_size", torch.zeros(s).shape, torch.ones(2, 2).view(torch.Size([4])).shape)
print("in", 3 in s, 7 in s)
print("format", f"{s}")
print("compare", s < (2, 4), s > (1,))
print("tensor_from_size", torch.tensor(s).tolist())
print("empty", torch.tensor(1.0).shape, bool(torch.tensor(1.0).shape))
