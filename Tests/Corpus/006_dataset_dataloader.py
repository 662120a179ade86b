import torch
from torch.utils.data import Dataset, DataLoader


class Squares(Dataset):
    def __init__(self, n):
        self.xs = torch.arange(n, dtype=torch.float32)

    def __len__(self):
        return len(self.xs)

    def __getitem__(self, i):
        x = self.xs[i]
        return x.unsqueeze(0), x * x


ds = Squares(10)
print("len", len(ds))
x0, y0 = ds[3]
print("item", x0.tolist(), y0.item())

loader = DataLoader(ds, batch_size=4, shuffle=False)
print("batches", len(loader))
for i, (xb, yb) in enumerate(loader):
    print("batch", i, list(xb.shape), list(yb.shape), yb.tolist())

loader = DataLoader(ds, batch_size=4, drop_last=True)
print("dropped_batches", len(loader), sum(1 for _ in loader))
