import torch
from torch.utils.data import TensorDataset, Subset, random_split, DataLoader

ds = TensorDataset(torch.arange(10, dtype=torch.float32), torch.arange(10))
sub = Subset(ds, [1, 3, 5])
print("subset", len(sub), [int(sub[i][1]) for i in range(len(sub))])
train, val = random_split(ds, [8, 2], generator=torch.Generator().manual_seed(0))
print("split_sizes", len(train), len(val))
print("disjoint", set(train.indices).isdisjoint(val.indices))
print("batches", len(DataLoader(train, batch_size=3)))
