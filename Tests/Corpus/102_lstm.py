import torch
import torch.nn as nn

lstm = nn.LSTM(input_size=2, hidden_size=3, batch_first=True)
with torch.no_grad():
    for p in lstm.parameters():
        p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape))
x = torch.arange(12, dtype=torch.float32).reshape(2, 3, 2) / 10
out, (h, c) = lstm(x)
print("shapes", list(out.shape), list(h.shape), list(c.shape))
print("h", [[round(v, 5) for v in r] for r in h[0].tolist()])
print("names", [n for n, _ in lstm.named_parameters()])
