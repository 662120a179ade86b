import torch

x = torch.tensor([[4.0, -1.0, 2.5], [0.0, 3.0, -2.0]])
print("index_select", x.index_select(1, torch.tensor([2, 0])).tolist())
print("amax", x.amax(dim=1).tolist(), x.amin(dim=0).tolist())
print("max_values", x.max(dim=0).values.tolist(), x.max(dim=0).indices.tolist())
print("max_pair", torch.max(x[0], x[1]).tolist())
print("sum_keep", list(x.sum(0, keepdim=True).shape))
print("mean_dims", x.mean(dim=(0, 1)).item())
print("std_unbiased_false", round(x.std(unbiased=False).item(), 5))
print("var_correction0", round(x.var(dim=1, unbiased=False)[0].item(), 5))
print("square", x.square()[0].tolist())
print("argmax_keep", list(x.argmax(dim=1, keepdim=True).shape))
