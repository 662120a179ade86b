import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
print("keys", list(model.state_dict().keys()))
model(torch.arange(6, dtype=torch.float32).reshape(2, 3))
print("tracked", model[1].num_batches_tracked.item())
print("buffers", [n for n, _ in model.named_buffers()])
