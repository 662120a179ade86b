import torch

x = torch.tensor([3, 1, 3, 2, 1, 3])
values, inverse, counts = torch.unique(x, return_inverse=True, return_counts=True)
print("unique", values.tolist(), inverse.tolist(), counts.tolist())
u, c = x.unique(return_counts=True)
print("unique_counts", u.tolist(), c.tolist())
print("unique_float", torch.tensor([[2.5, 1.0], [2.5, -1.0]]).unique().tolist())
print("unique_dtype", torch.tensor([True, False, True]).unique().tolist(), x.unique().dtype)
print("bincount", torch.bincount(x).tolist())
print("bincount_minlength", torch.tensor([0, 2]).bincount(minlength=5).tolist())
print("bincount_weights", torch.bincount(torch.tensor([0, 1, 1, 3]), weights=torch.tensor([0.5, 1.0, 2.0, 4.0])).tolist())
print("bincount_empty", torch.bincount(torch.tensor([], dtype=torch.int64)).tolist())
print("weights_dtype", torch.bincount(torch.tensor([0, 1]), weights=torch.tensor([1.0, 2.0])).dtype)
