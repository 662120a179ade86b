import torch
from torch.utils.data import TensorDataset, ConcatDataset, Subset, random_split, DataLoader
from torch.nn.utils import clip_grad_value_, clip_grad_norm_, parameters_to_vector, vector_to_parameters

a = TensorDataset(torch.arange(4, dtype=torch.float32), torch.arange(4))
b = TensorDataset(torch.arange(10, 16, dtype=torch.float32), torch.arange(10, 16))
cat = ConcatDataset([a, b])
print("concat_len", len(cat), cat.cumulative_sizes)
print("concat_items", [int(cat[i][1]) for i in [0, 3, 4, 9, -1]])
print("concat_batches", [len(xb) for xb, yb in DataLoader(cat, batch_size=4)])
parts = random_split(cat, [0.5, 0.3, 0.2], generator=torch.Generator().manual_seed(1))
print("fraction_sizes", [len(p) for p in parts])
seen = sorted(i for p in parts for i in p.indices)
print("covers", seen == list(range(10)))
parts = random_split(range(7), [0.5, 0.5])
print("remainder_sizes", [len(p) for p in parts])
sub = Subset(cat, [9, 0])
print("subset_of_concat", [int(sub[i][1]) for i in range(2)], len(Subset(sub, [1])))
g1 = [p.indices for p in random_split(range(20), [10, 10], generator=torch.Generator().manual_seed(3))]
g2 = [p.indices for p in random_split(range(20), [10, 10], generator=torch.Generator().manual_seed(3))]
print("seeded_repeatable", g1 == g2)

w = torch.nn.Parameter(torch.tensor([1.0, -2.0, 3.0]))
v = torch.nn.Parameter(torch.tensor([[0.5, 4.0]]))
w.grad = torch.tensor([0.5, -3.0, 2.0])
v.grad = torch.tensor([[-0.1, 7.0]])
clip_grad_value_([w, v], clip_value=1.0)
print("clip_value", w.grad.tolist(), v.grad.tolist())
w.grad = torch.tensor([3.0, 4.0, 0.0])
print("clip_norm_inf", round(float(clip_grad_norm_([w], max_norm=2.0, norm_type=float("inf"))), 5), [round(x, 4) for x in w.grad.tolist()])
w.grad = torch.tensor([3.0, 4.0, 0.0])
print("clip_norm_1", round(float(clip_grad_norm_([w], max_norm=14.0, norm_type=1)), 5), [round(x, 4) for x in w.grad.tolist()])
w.grad = torch.tensor([float("nan"), 1.0, 0.0])
try:
    clip_grad_norm_([w], 1.0, error_if_nonfinite=True)
except RuntimeError:
    print("nonfinite raised")
vec = parameters_to_vector([w, v])
print("to_vector", list(vec.shape), vec.tolist())
vector_to_parameters(torch.arange(5, dtype=torch.float32), [w, v])
print("from_vector", w.tolist(), v.tolist())
