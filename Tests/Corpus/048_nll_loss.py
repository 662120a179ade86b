import torch
import torch.nn as nn
import torch.nn.functional as F

logits = torch.tensor([[0.2, 1.5, -0.3], [2.0, 0.1, 0.1], [0.0, 0.0, 3.0]])
target = torch.tensor([1, 0, 2])
log_probs = F.log_softmax(logits, dim=1)
nll = F.nll_loss(log_probs, target)
print("nll", round(nll.item(), 6))
print("ce_equal", abs(nll.item() - F.cross_entropy(logits, target).item()) < 1e-6)
print("module", round(nn.NLLLoss()(log_probs, target).item(), 6))
print("none", [round(v, 5) for v in F.nll_loss(log_probs, target, reduction="none").tolist()])
print("manual", round(-log_probs[torch.arange(3), target].mean().item(), 6))
