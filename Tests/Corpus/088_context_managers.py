import torch


class Timer:
    def __init__(self, name, log):
        self.name = name
        self.log = log

    def __enter__(self):
        self.log.append(f"enter {self.name}")
        return self

    def __exit__(self, exc_type, exc, tb):
        self.log.append(f"exit {self.name} {exc_type.__name__ if exc_type else None}")
        return exc_type is ValueError


log = []
with Timer("a", log) as t:
    log.append(f"body {t.name}")
with Timer("b", log):
    raise ValueError("swallowed")
try:
    with Timer("c", log):
        raise KeyError("k")
except KeyError:
    log.append("caught KeyError")
for entry in log:
    print("log", entry)
with torch.no_grad(), Timer("d", log):
    print("grad_enabled", torch.is_grad_enabled())
print("last", log[-1])
