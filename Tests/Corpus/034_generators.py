import torch


def batches(data, size):
    for i in range(0, len(data), size):
        yield data[i:i + size]


def running_mean():
    total, count = 0.0, 0
    value = yield None
    while True:
        total += value
        count += 1
        value = yield total / count


data = torch.arange(10, dtype=torch.float32)
for b in batches(data, 4):
    print("batch", b.tolist())
gen = running_mean()
next(gen)
for v in [1.0, 2.0, 6.0]:
    print("mean", gen.send(v))
print("squares", list(x * x for x in range(5)))
print("sum_gen", sum(t.item() for t in data[:3]))


def chain(*its):
    for it in its:
        yield from it


print("chain", list(chain([1, 2], (3,), range(4, 6))))
