import torch

a = torch.tensor([1.0, 2.0, 3.0])
b = a.clone()
print("equal", torch.equal(a, b))
b[0] += 1e-7
print("equal_after", torch.equal(a, b))
print("allclose", torch.allclose(a, b))
print("allclose_tol", torch.allclose(a, a + 0.01, atol=0.1))
print("not_close", torch.allclose(a, a + 1.0))
print("shape_mismatch", torch.equal(a, torch.ones(2)))
