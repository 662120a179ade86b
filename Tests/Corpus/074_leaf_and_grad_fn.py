import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a * 2
c = torch.tensor([3.0])
print("leaf", a.is_leaf, b.is_leaf, c.is_leaf)
print("grad_fn_none", a.grad_fn is None, b.grad_fn is not None)
print("requires", a.requires_grad, b.requires_grad, c.requires_grad)
c.requires_grad_()
print("requires_after", c.requires_grad)
b.sum().backward()
print("leaf_grad", a.grad.tolist())
print("nonleaf_grad_none", b.grad is None)
