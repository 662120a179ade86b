import torch


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 2 * x * grad_output


class ScaleGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, factor):
        ctx.factor = factor
        return x.clone()

    @staticmethod
    def backward(ctx, g):
        return g * ctx.factor, None


x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = Square.apply(x).sum()
y.backward()
print("y", y.item())
print("grad", x.grad.tolist())
x.grad = None
z = ScaleGrad.apply(x, 10.0)
(z * z).sum().backward()
print("scaled_grad", x.grad.tolist())
