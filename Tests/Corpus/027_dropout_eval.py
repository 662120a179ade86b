import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(p=0.5), nn.ReLU())
with torch.no_grad():
    model[0].weight.copy_(torch.eye(4))
    model[0].bias.zero_()
model.eval()
x = torch.tensor([[1.0, -2.0, 3.0, -4.0]])
print("eval_out", model(x).tolist())
print("training", model.training, model[1].training)
model.train()
print("training_after", model.training, model[1].training)
drop = nn.Dropout(0.0)
print("p0", drop(x).tolist())
print("p", model[1].p)
