import torch
import torch.nn.functional as F

logits = torch.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0], [-1.0, 0.0, 10.0]])
p = F.softmax(logits, dim=1)
print("softmax", [[round(v, 6) for v in row] for row in p.tolist()])
print("row_sums", [round(v, 6) for v in p.sum(dim=1).tolist()])
lp = F.log_softmax(logits, dim=-1)
print("log_softmax", [[round(v, 5) for v in row] for row in lp.tolist()])
print("tensor_method", [round(v, 6) for v in logits.softmax(dim=0)[:, 2].tolist()])
print("module", [round(v, 6) for v in torch.nn.Softmax(dim=1)(logits)[0].tolist()])
print("torch_fn", round(torch.softmax(logits, 1)[2, 2].item(), 6))
print("consistent", torch.allclose(lp.exp(), p))
