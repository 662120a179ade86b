import torch


def make_scaler(factor):
    def scale(x):
        return x * factor
    return scale


def counter():
    count = 0

    def inc():
        nonlocal count
        count += 1
        return count
    return inc


double = make_scaler(2)
print("closure", double(torch.tensor([1.0, 2.0])).tolist())
c = counter()
c(); c()
print("nonlocal", c())
ops = {"sq": lambda t: t ** 2, "neg": lambda t: -t}
x = torch.tensor([3.0])
print("lambdas", {k: f(x).item() for k, f in ops.items()})
print("sorted_key", sorted([(1, "b"), (0, "c"), (1, "a")], key=lambda p: (p[0], p[1])))
print("map_filter", list(map(lambda v: v * 10, filter(lambda v: v % 2, range(6)))))


def apply_all(x, *fns, **kw):
    for f in fns:
        x = f(x)
    return x + kw.get("offset", 0)


print("varargs", apply_all(1, lambda v: v + 1, lambda v: v * 3, offset=100))
