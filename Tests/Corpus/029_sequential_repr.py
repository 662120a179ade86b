import torch.nn as nn

model = nn.Sequential(
    nn.Linear(2, 16),
    nn.ReLU(),
    nn.Linear(16, 1),
    nn.Sigmoid(),
)
print(model)
print("len", len(model))
print("first", model[0])
print("types", [type(m).__name__ for m in model])
print("params", sum(p.numel() for p in model.parameters()))
