import torch
from torch.utils.data import IterableDataset, DataLoader


class Counter(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        for i in range(self.n):
            yield torch.tensor([float(i), float(i * i)])


loader = DataLoader(Counter(7), batch_size=3)
for b in loader:
    print("batch", b.tolist())
print("count", sum(len(b) for b in loader))
