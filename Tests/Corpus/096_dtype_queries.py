import torch

x = torch.tensor([1, 2, 3])
f = torch.tensor([1.5, 2.5])
print("is_floating", x.is_floating_point(), f.is_floating_point())
print("type_as", x.type_as(f).dtype)
print("isclose", torch.isclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.1])).tolist())
print("element_size", x.element_size(), f.element_size())
