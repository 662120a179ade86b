import torch
from torch.utils.data import Dataset, DataLoader


class Records(Dataset):
    def __init__(self):
        self.items = [(f"item{i}", i, float(i) / 2) for i in range(5)]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, idx):
        name, label, score = self.items[idx]
        return {"name": name, "label": label, "score": score, "x": torch.full((2,), float(idx))}


loader = DataLoader(Records(), batch_size=2)
for batch in loader:
    print("names", batch["name"])
    print("labels", batch["label"].tolist(), batch["label"].dtype)
    print("scores", batch["score"].tolist(), batch["score"].dtype)
    print("x", list(batch["x"].shape))
