import torch

x = torch.arange(24).reshape(2, 3, 4)
print("x0", x[0].tolist())
print("x_1_2", x[1, 2].tolist())
print("scalar", x[1, 2, 3].item())
print("slice", x[:, 1:, ::2].tolist())
print("neg", x[-1, -1, -2].item())
print("ellipsis", x[..., 0].tolist())
print("none", list(x[None].shape), list(x[:, None, 0].shape))
col = x[:, :, 1]
print("col_shape", list(col.shape))
y = torch.zeros(3, 3)
y[1] = 5.0
y[:, 2] = torch.tensor([1.0, 2.0, 3.0])
y[0, 0] = -1.0
print("assigned", y.tolist())
