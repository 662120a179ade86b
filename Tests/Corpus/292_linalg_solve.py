# Linear algebra the way scripts use it: least squares through the normal equations, a batched
# inverse, determinants (with a row swap), and the gradient of log|det| (which is inv(A)^T).
import torch

X = torch.stack([torch.ones(6), torch.linspace(0.0, 1.0, 6)], dim=1)
y = 3.0 * torch.linspace(0.0, 1.0, 6) + 0.5 + torch.tensor([0.01, -0.02, 0.0, 0.03, -0.01, 0.0])
w = torch.linalg.solve(X.T @ X, X.T @ y)
print("lstsq", w.tolist())

A = torch.tensor([[[4.0, 1.0], [2.0, 3.0]], [[0.0, 2.0], [5.0, 1.0]]])
Ainv = torch.linalg.inv(A)
print("inv", Ainv.tolist())
print("identity_err", (A @ Ainv - torch.eye(2)).abs().max().item() < 1e-5)
print("det", torch.linalg.det(A).tolist(), torch.det(A[1]).item())
print("inverse_method", A[0].inverse().tolist())
B = torch.arange(1.0, 5.0).reshape(2, 2)
print("solve_matrix", torch.linalg.solve(A[0], B).tolist())

M = torch.tensor([[2.0, 0.5, 0.0], [1.0, 3.0, -1.0], [0.0, 1.0, 4.0]], requires_grad=True)
logdet = torch.linalg.det(M).abs().log()
logdet.backward()
print("logdet", logdet.item())
print("grad_is_inv_T", (M.grad - torch.linalg.inv(M).T).abs().max().item() < 1e-5)
try:
    torch.linalg.inv(torch.tensor([[1.0, 2.0], [2.0, 4.0]]))
except RuntimeError as e:
    print("singular", "singular" in str(e))
